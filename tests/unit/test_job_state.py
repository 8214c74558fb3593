"""Job states (squeue --Format text of Slurm 22.05.8, recorded into
tests/data/slurm-22.05/job_state/ by capture-issue3.sh) and the parameters
of GET /jobs/ and /job/{job_id}: update_time, flags, SelectTypeParameters.
The pass-through cases run the app on the fake 25.11 client."""

import json
import time
from pathlib import Path

import pytest

from handlers.slurm import jobs as jobs_handler
from server.convert import job_state
from server.slurm.command import SlurmError
from server.slurm.commands.squeue import SqueueJson
from server.slurm.commands.squeue_state import SqueueStates
from server.slurm.runner import Result
from tests.schemas import RECORDED_DIR, reference_as_meant, validate_response
from tests.fakes.current_slurm import headers
API = "/slurm/v0.0.44"

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "job_state"
RECORDED = RECORDED_DIR / "slurm-25.11" / "0.0.44"
SET = lambda n: {"set": True, "infinite": False, "number": n}  # noqa: E731
UNSET = {"set": False, "infinite": False, "number": 0}


def states(name: str) -> list[dict]:
    return job_state.from_squeue((DATA / name).read_text())


def body(records) -> dict:
    return {"jobs": records, "last_backfill": UNSET, "last_update": UNSET, "meta": {}, "errors": [],
            "warnings": []}


# ---------------------------------------------------------------- job states

def test_compact_records_of_four_kinds_of_job():
    records = {r["job_id"]: r for r in states("squeue-format-four-jobs.txt")}
    assert records[119] == {"job_id": 119, "array_job_id": SET(0), "array_task_id": UNSET,
                            "het_job_id": SET(0), "het_job_offset": SET(0), "job_state": ["RUNNING"]}
    assert records[123]["job_state"] == ["FAILED"]
    pending_tasks = records[120]
    assert pending_tasks["array_job_id"] == SET(120) and pending_tasks["array_task_id"] == UNSET
    assert pending_tasks["array_task_string"] == "1-3%1"
    assert (records[121]["het_job_id"], records[121]["het_job_offset"]) == (SET(121), SET(0))
    assert (records[122]["het_job_id"], records[122]["het_job_offset"]) == (SET(121), SET(1))
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/state/", body(list(records.values())))


def test_one_array_task_of_a_pending_record():
    [task] = states("squeue-format-array-task.txt")
    assert (task["job_id"], task["array_job_id"], task["array_task_id"]) == (120, SET(120), SET(2))
    assert "array_task_string" not in task


def test_squeue_lists_every_component_for_one():
    # Why the handler filters again: --jobs=121+1 gives both components.
    assert [r["job_id"] for r in states("squeue-format-het-component.txt")] == [122, 121]


def test_an_unknown_single_job_is_no_job():
    command = SqueueStates(["99999999"])
    rc = int((DATA / "squeue-format-unknown-job.rc").read_text())
    stderr = (DATA / "squeue-format-unknown-job.stderr").read_text()
    assert command.parse(Result(tuple(command.argv()), rc, "", stderr, 0.01)) == []


def test_other_squeue_failures_are_errors():
    command = SqueueStates()
    with pytest.raises(SlurmError, match="Unable to query job states"):
        command.parse(Result(tuple(command.argv()), 1, "",
                             "squeue: error: Unable to contact slurm controller (connect failure)\n", 0.01))


def test_squeue_argv():
    assert SqueueStates().argv() == ["squeue", "--noheader", "--states=all", f"--Format={job_state.FORMAT}"]
    assert SqueueStates(["1", "2_3", "4+1"]).argv()[-1] == "--jobs=1,2_3,4+1"


def test_squeue_json_is_asked_for_the_named_jobs():
    # A current squeue --json lists a pending array as one record; asked for
    # 123_2 it prints that task's own record, as 22.05's squeue text does.
    command = SqueueJson(data_parser="v0.0.44", flags="ALL", job_ids=["1", "2_3", "4+1"])
    assert command.argv() == ["squeue", "--json=v0.0.44", "--states=all", "--all", "--jobs=1,2_3,4+1"]
    assert "--jobs" not in " ".join(SqueueJson(data_parser="v0.0.44").argv())


def test_squeue_json_of_one_unknown_job_is_no_job():
    one = SqueueJson(data_parser="v0.0.44", job_ids=["99999999"])
    unknown = "slurm_load_jobs error: Invalid job id specified\n"
    assert one.parse(Result(tuple(one.argv()), 1, "", unknown, 0.01)) == {"jobs": []}
    several = SqueueJson(data_parser="v0.0.44", job_ids=["99999999", "1"])
    with pytest.raises(SlurmError, match="Unable to query jobs"):
        several.parse(Result(tuple(several.argv()), 1, "", unknown, 0.01))
    with pytest.raises(SlurmError, match="Unable to query jobs"):
        one.parse(Result(tuple(one.argv()), 1, "",
                         "squeue: error: Unable to contact slurm controller (connect failure)\n", 0.01))


def test_states_from_v0044_jobs():
    original = json.loads((RECORDED / "slurm-jobs.json").read_text())
    compact = job_state.from_jobs(original["jobs"])
    assert [r["job_id"] for r in compact] == [j["job_id"] for j in original["jobs"]]
    assert all(set(r) <= set(job_state.COMPACT_KEYS) for r in compact)
    assert [r["job_state"] for r in compact] == [j["job_state"] for j in original["jobs"]]


def test_job_states_pass_through_filtered(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    original = json.loads((RECORDED / "slurm-jobs.json").read_text())
    (folder / "squeue.json").write_text(json.dumps(original))
    wanted = [original["jobs"][0]["job_id"], original["jobs"][2]["job_id"]]
    response = client.get(f"{API}/jobs/state/", params={"job_id": f"{wanted[0]},{wanted[1]},99999999"},
                          headers=headers())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [j["job_id"] for j in answer["jobs"]] == wanted
    assert answer["last_update"] == original["last_update"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/state/", answer)


@pytest.mark.parametrize("job_ids", ["abc", "1,2.batch", "1_x"])
def test_bad_job_ids_are_refused(fake_slurm, job_ids):  # noqa: F811
    folder, client = fake_slurm
    response = client.get(f"{API}/jobs/state/", params={"job_id": job_ids}, headers=headers())
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "'job_id'" in error["description"]
    assert not (folder / "squeue.argv").exists()


# ---------------------------------------------------------------- update_time

@pytest.mark.parametrize("value, seconds", [
    (None, None), ("", None), ("0", None), ("1795249368", 1795249368), ("+12", 12),
])
def test_update_time_values(value, seconds):
    assert jobs_handler.parse_update_time(value) == seconds


def test_update_time_as_a_date():
    expected = int(time.mktime((2026, 1, 31, 12, 0, 0, 0, 0, -1)))
    assert jobs_handler.parse_update_time("2026-01-31T12:00:00") == expected


@pytest.mark.parametrize("value", ["abc", "-5", "12.5", "9" * 30])
def test_bad_update_time(value):
    with pytest.raises(SlurmError) as raised:
        jobs_handler.parse_update_time(value)
    assert raised.value.status == 400 and "'update_time'" in raised.value.description


def test_changed_since_looks_at_past_job_times_only():
    job = {"submit_time": SET(100), "start_time": SET(200), "end_time": SET(10_000), "suspend_time": SET(0)}
    assert jobs_handler.changed_since([job], since=150, now=1000)
    assert not jobs_handler.changed_since([job], since=250, now=1000)  # end_time is expected, not past
    assert jobs_handler.changed_since([job], since=250, now=20_000)
    assert not jobs_handler.changed_since([], since=0, now=1000)


def test_update_time_in_the_future_answers_no_jobs_without_asking(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    since = int(time.time()) + 3600
    response = client.get(f"{API}/jobs/", params={"update_time": str(since)}, headers=headers())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["jobs"] == []
    [warning] = answer["warnings"]
    assert warning["description"].startswith(f"No job changes since update_time[{since}]=")
    assert not (folder / "squeue.argv").exists()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/", answer)


def test_update_time_with_a_later_job_change_lists_everything(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    original = json.loads((RECORDED / "slurm-jobs.json").read_text())
    (folder / "squeue.json").write_text(json.dumps(original))
    first_submission = min(j["submit_time"]["number"] for j in original["jobs"])
    answer = client.get(f"{API}/jobs/", params={"update_time": str(first_submission)}, headers=headers()).json()
    assert len(answer["jobs"]) == len(original["jobs"]) and answer["warnings"] == []


def test_update_time_without_evidence_lists_everything_and_says_so(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    original = json.loads((RECORDED / "slurm-jobs.json").read_text())
    (folder / "squeue.json").write_text(json.dumps(original))
    since = original["last_update"]["number"]  # after every job time in the recording
    answer = client.get(f"{API}/jobs/", params={"update_time": str(since)}, headers=headers()).json()
    assert len(answer["jobs"]) == len(original["jobs"])
    [warning] = answer["warnings"]
    assert "not applied" in warning["description"] and warning["source"] == "update_time"


def test_one_job_ignores_update_time_as_slurmrestd_does(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    original = json.loads((RECORDED / "slurm-jobs.json").read_text())
    (folder / "squeue.json").write_text(json.dumps(original))
    job_id = original["jobs"][0]["job_id"]
    answer = client.get(f"{API}/job/{job_id}", params={"update_time": str(int(time.time()) + 3600)},
                        headers=headers()).json()
    assert [j["job_id"] for j in answer["jobs"]] == [job_id] and answer["warnings"] == []
    bad = client.get(f"{API}/job/{job_id}", params={"update_time": "soon"}, headers=headers())
    assert bad.status_code == 400


# ---------------------------------------------------------------- flags

@pytest.mark.parametrize("flags, option", [
    (None, "--all"), ("ALL", "--all"), ("LOCAL", "--local"), ("SIBLING", "--sibling"),
    ("FEDERATION", "--federation"), ("DETAIL", None), ("MIXED", None), ("FUTURE", None),
])
def test_flags_become_squeue_options(fake_slurm, flags, option):  # noqa: F811
    folder, client = fake_slurm
    (folder / "squeue.json").write_text((RECORDED / "slurm-jobs.json").read_text())
    params = {"flags": flags} if flags else {}
    response = client.get(f"{API}/jobs/", params=params, headers=headers())
    assert response.status_code == 200, response.text
    argv = (folder / "squeue.argv").read_text().split("\n")
    # --states=all always: a current squeue lists only pending and running jobs unless told
    assert argv == ["--json=v0.0.44", "--states=all"] + ([option] if option else [])
    warnings = response.json()["warnings"]
    if flags in ("MIXED", "FUTURE"):
        [warning] = warnings
        assert flags in warning["description"] and warning["source"] == "flags"
    else:
        assert warnings == []


# ---------------------------------------------------------------- SelectTypeParameters

@pytest.mark.parametrize("value, flags", [
    ("CR_Core_Memory", ["CORE", "MEMORY"]),
    ("CR_CORE_MEMORY", ["CORE", "MEMORY"]),
    ("CR_CPU", ["CPU"]),
    ("CR_Socket_Memory,CR_ONE_TASK_PER_CORE", ["SOCKET", "MEMORY", "ONE_TASK_PER_CORE"]),
    ("CR_LLN, CR_Core, CR_Pack_Nodes", ["CORE", "PACK_NODES", "LLN"]),
    ("CR_Core,MULTIPLE_SHARING_GRES", ["CORE"]),
    ("", None),
    (None, None),
])
def test_select_type_parameters(value, flags):
    assert jobs_handler.cr_type(value) == flags


def test_select_type_reaches_job_resources():
    from server.convert import from_v0038
    doc = json.loads((Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "resources"
                      / "squeue-running-and-pending.json").read_text())
    running = from_v0038.jobs_response(doc, cr_type=jobs_handler.cr_type("CR_Core_Memory"))["jobs"][0]
    assert running["job_resources"]["select_type"] == ["CORE", "MEMORY"]
