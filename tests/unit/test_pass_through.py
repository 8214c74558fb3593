"""A Slurm that prints API v0.0.44 itself (25.11's `squeue --json=v0.0.44`)
is passed through: every recorded real response comes out unchanged but for
`meta`, which is ours to fill. The recorded responses play Slurm's output,
through the real runner, command objects and handlers."""

import json

import pytest

from tests.fakes.current_slurm import RECORDED, headers, recorded
from tests.schemas import reference_as_meant, validate_response

API = "/slurm/v0.0.44"


JOB_FILES = sorted(p.name for p in RECORDED.glob("slurm-job-*.json")
                   if recorded(p.name)["jobs"])


# Slurm's own layout (cut a job at a time, server/joblist.py) and another (parsed whole).
LAYOUTS = {"pretty": lambda doc: json.dumps(doc, indent=2),
           "compact": lambda doc: json.dumps(doc, separators=(",", ":")), "one line": json.dumps}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_job_list_passes_through(fake_slurm, layout):
    folder, client = fake_slurm
    original = recorded("slurm-jobs.json")
    (folder / "squeue.json").write_text(LAYOUTS[layout](original))
    response = client.get(f"{API}/jobs/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    # --states=all: a current squeue leaves out finished jobs slurmrestd lists
    assert (folder / "squeue.argv").read_text().split("\n")[:2] == ["--json=v0.0.44", "--states=all"]
    for key in ("last_backfill", "last_update"):
        assert body[key] == original[key]
    # Unchanged but for slurmrestd's one defect: job_resources null is left out.
    assert body["jobs"] == [{k: v for k, v in job.items() if v is not None} for job in original["jobs"]]
    assert any(job.get("job_resources", "") is None for job in original["jobs"])
    assert body["meta"]["slurm"]["release"] == "25.11.0"
    assert body["meta"]["slurm"]["cluster"] == "hpc"
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/", body)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", JOB_FILES)
def test_each_recorded_job_passes_through(fake_slurm, name, layout):
    folder, client = fake_slurm
    original = recorded(name)
    (folder / "squeue.json").write_text(LAYOUTS[layout](original))
    job = original["jobs"][0]
    response = client.get(f"{API}/job/{job['job_id']}", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["jobs"] == [{k: v for k, v in j.items() if v is not None}
                            for j in original["jobs"] if j["job_id"] == job["job_id"]]
    assert body["last_backfill"] == original["last_backfill"]
    assert body["errors"] == original["errors"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/job/{{job_id}}", body)


def test_unfound_job_answers_as_slurmrestd(fake_slurm):
    folder, client = fake_slurm
    (folder / "squeue.json").write_text(json.dumps(recorded("slurm-jobs.json")))
    expected = recorded("slurm-job-unfound.json")
    response = client.get(f"{API}/job/11500", headers=headers())
    assert response.status_code == 404
    body = response.json()
    assert body["jobs"] == expected["jobs"]
    [error], [expected_error] = body["errors"], expected["errors"]
    for key in ("description", "error_number", "error"):
        assert error[key] == expected_error[key]


def test_ping_passes_through(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-ping.json")
    (folder / "scontrol.json").write_text(json.dumps(original))
    response = client.get(f"{API}/ping/", headers=headers())
    assert response.status_code == 200, response.text
    assert response.json()["pings"] == original["pings"]
    assert (folder / "scontrol.argv").read_text().split("\n") == ["--json=v0.0.44", "ping"]


def test_failure_of_the_command_is_an_error_in_the_envelope(fake_slurm):
    folder, client = fake_slurm  # no squeue.json: the fake squeue fails
    response = client.get(f"{API}/jobs/", headers=headers())
    assert response.status_code == 500
    body = response.json()
    assert body["jobs"] == []
    assert "Unable to query jobs" in body["errors"][0]["description"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/", body, status=500)
