"""Job ids of the URL: forms slurmrestd accepts, and what each one selects."""

import pytest

from server.jobid import JobSelector, task_ids
from server.slurm.command import SlurmError


def struct(n):
    return {"set": True, "infinite": False, "number": n}


UNSET = {"set": False, "infinite": False, "number": 0}
PLAIN = {"job_id": 10, "array_job_id": struct(0), "array_task_id": UNSET, "het_job_id": struct(0)}
TASK_4 = {"job_id": 21, "array_job_id": struct(20), "array_task_id": struct(4), "het_job_id": struct(0)}
PENDING_TASKS = {"job_id": 20, "array_job_id": struct(20), "array_task_id": UNSET,
                 "array_task_string": "5-9:2%1", "het_job_id": struct(0)}
HET_1 = {"job_id": 31, "het_job_id": struct(30), "het_job_offset": struct(1), "array_job_id": struct(0)}


@pytest.mark.parametrize("text, selected", [
    ("10", [PLAIN]),
    ("20", [TASK_4, PENDING_TASKS]),
    ("20_4", [TASK_4]),
    ("20_7", [PENDING_TASKS]),
    ("20_6", []),
    ("30", [HET_1]),
    ("30+1", [HET_1]),
    ("30+0", []),
    ("31", [HET_1]),
])
def test_selection(text, selected):
    jobs = [PLAIN, TASK_4, PENDING_TASKS, HET_1]
    assert [job for job in jobs if JobSelector.parse(text).matches(job)] == selected


@pytest.mark.parametrize("text", ["abc", "", "12_", "1+", "1_2+3", "-5", "1 2"])
def test_malformed_ids_are_a_400(text):
    with pytest.raises(SlurmError) as raised:
        JobSelector.parse(text)
    assert raised.value.status == 400


def test_task_expressions():
    assert task_ids("1-3,7,10-20:5%2") == {1, 2, 3, 7, 10, 15, 20}
    assert task_ids("") == set()
