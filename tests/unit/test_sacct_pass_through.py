"""A Slurm that prints API v0.0.44 itself (25.11's `sacct --json=v0.0.44`)
is passed through: the recorded real slurmdbd job responses play sacct's
output, through the real runner, command objects and handlers, and come out
unchanged but for meta; the filters sacct cannot apply are applied on them.
Also what the other slurmdbd operations do with such a Slurm."""

import json
from pathlib import Path

import pytest

from tests.fakes.current_slurm import RECORDED, headers, recorded
from tests.schemas import reference_as_meant, validate_response

API = "/slurmdb/v0.0.44"
DATA_25 = Path(__file__).resolve().parents[1] / "data" / "slurm-25.11"


def sacct_argv(folder):
    return (folder / "sacct.argv").read_text().split("\n")


JOB_FILES = sorted(p.name for p in RECORDED.glob("slurmdb-job-*.json") if recorded(p.name)["jobs"])


@pytest.mark.parametrize("name", JOB_FILES)
def test_each_recorded_job_passes_through(fake_slurm, name):
    folder, client = fake_slurm
    original = recorded(name)
    (folder / "sacct.json").write_text(json.dumps(original))
    job_id = original["jobs"][0]["job_id"]
    response = client.get(f"{API}/job/{job_id}", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert sacct_argv(folder) == ["--json=v0.0.44", f"--jobs={job_id}", "--duplicates"]
    assert body["jobs"] == [{k: v for k, v in j.items() if v is not None} for j in original["jobs"]]
    assert body["errors"] == [] and body["warnings"] == original["warnings"]
    assert body["meta"]["plugin"]["type"] == "openapi/slurmdbd"
    assert body["meta"]["slurm"]["release"] == "25.11.0"
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/job/{{job_id}}", body)


def test_unfound_job_answers_as_slurmrestd(fake_slurm):
    folder, client = fake_slurm
    expected = recorded("slurmdb-job-unfound.json")
    (folder / "sacct.json").write_text(json.dumps({"jobs": [], "errors": [], "warnings": []}))
    response = client.get(f"{API}/job/11500", headers=headers())
    assert response.status_code == 200
    body = response.json()
    assert body["jobs"] == expected["jobs"] == []
    assert body["errors"] == expected["errors"]
    assert body["warnings"] == expected["warnings"]


def test_slurms_own_found_nothing_warning_is_not_repeated(fake_slurm):
    folder, client = fake_slurm
    expected = recorded("slurmdb-job-unfound.json")
    (folder / "sacct.json").write_text(json.dumps(
        {"jobs": [], "errors": [], "warnings": expected["warnings"]}))
    body = client.get(f"{API}/job/11500", headers=headers()).json()
    assert body["warnings"] == expected["warnings"]


def all_recorded_jobs():
    return [job for name in JOB_FILES for job in recorded(name)["jobs"]]


def test_job_list_with_filters_sacct_takes_and_filters_it_cannot(fake_slurm):
    folder, client = fake_slurm
    jobs = all_recorded_jobs()
    (folder / "sacct.json").write_text(json.dumps({"jobs": jobs, "errors": [], "warnings": []}))
    response = client.get(f"{API}/jobs/", headers=headers(), params={
        "users": "vhartman", "state": "FAILED,COMPLETED", "start_time": "1762000000",
        "end_time": "1763000000", "exit_code": "256"})
    assert response.status_code == 200, response.text
    argv = sacct_argv(folder)
    assert argv[0] == "--json=v0.0.44"
    assert {"--state=FAILED,COMPLETED", "--user=vhartman", "--duplicates"} <= set(argv)
    assert any(a.startswith("--starttime=") for a in argv) and "--allusers" not in argv
    body = response.json()
    # exit_code is the raw status slurmdbd compares: 256 is "exited 1".
    assert [j["job_id"] for j in body["jobs"]] == [j["job_id"] for j in jobs
                                                   if j["exit_code"]["return_code"]["number"] == 1
                                                   and "SUCCESS" not in j["exit_code"]["status"]]
    assert body["jobs"] and all(j["state"]["current"] == ["FAILED"] for j in body["jobs"])
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/", body)


def test_scheduling_flags_filter_the_records(fake_slurm):
    folder, client = fake_slurm
    jobs = all_recorded_jobs()
    (folder / "sacct.json").write_text(json.dumps({"jobs": jobs, "errors": [], "warnings": []}))
    body = client.get(f"{API}/jobs/?scheduled_by_main", headers=headers()).json()
    assert body["jobs"] and all("STARTED_ON_SCHEDULE" in j["flags"] for j in body["jobs"])
    assert len(body["jobs"]) < len(jobs)  # the pending ones never started
    # 25.11 records altered jobs: the filter applies (none of these was).
    body = client.get(f"{API}/jobs/?job_altered", headers=headers()).json()
    assert body["jobs"] == [] and body["warnings"][-1]["source"] == "_dump_jobs"


def test_time_filters_need_escaping(fake_slurm):
    folder, client = fake_slurm
    (folder / "sacct.json").write_text(json.dumps({"jobs": [], "errors": [], "warnings": []}))
    response = client.get(f"{API}/jobs/?submit_time=02/28/24", headers=headers())
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["source"] == "submit_time" and "%2F" in error["description"]
    assert not (folder / "sacct.argv").exists()  # refused before sacct ran
    response = client.get(f"{API}/jobs/?submit_time=02%2F28%2F24", headers=headers())
    assert response.status_code == 200, response.text
    assert "--endtime=2100-01-01T00:00:00" in sacct_argv(folder)


def test_sacct_failure_is_an_error_in_the_envelope(fake_slurm):
    folder, client = fake_slurm  # no sacct.json: the fake sacct fails
    response = client.get(f"{API}/jobs/", headers=headers())
    assert response.status_code == 500
    body = response.json()
    assert body["jobs"] == [] and "Unable to query jobs" in body["errors"][0]["description"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/", body, status=500)


def test_modify_job_runs_sacctmgr(fake_slurm):
    folder, client = fake_slurm
    (folder / "sacctmgr.txt").write_text(" Modified jobs...\n  5749 submitted at 2025-11-12T10:14:34\n")
    response = client.post(f"{API}/job/5749", headers=headers(),
                           json={"comment": {"job": "hello"}, "wckey": "w"})
    assert response.status_code == 200, response.text
    assert response.json()["results"] == ["5749 submitted at 2025-11-12T10:14:34"]
    assert (folder / "sacctmgr.argv").read_text().split("\n") == [
        "-i", "modify", "job", "where", "jobid=5749", "set", "Comment=hello", "NewWCKey=w"]
    response = client.post(f"{API}/jobs/", headers=headers(),
                           json={"job_id_list": ["5749", "5750_1"], "job_rec": {"comment": {"system": "s"}}})
    assert response.status_code == 200, response.text
    assert "jobid=5749,5750_1" in (folder / "sacctmgr.argv").read_text()
    validate_response(reference_as_meant("v0.0.44"), "post", f"{API}/jobs/", response.json())


def test_modify_refuses_what_sacctmgr_cannot_do(fake_slurm):
    folder, client = fake_slurm
    response = client.post(f"{API}/jobs/", headers=headers(),
                           json={"job_id_list": ["abc"], "job_rec": {"comment": {"job": "x"}}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == "job_id_list[0]"
    response = client.post(f"{API}/job/5749", headers=headers(), json={"extra": "e"})
    assert response.status_code == 400 and response.json()["errors"][0]["source"] == "extra"
    assert not (folder / "sacctmgr.argv").exists()


def test_instances_of_a_current_slurm_are_what_sacctmgr_prints(fake_slurm):
    folder, client = fake_slurm
    printed = (DATA_25 / "sacctmgr-show-instance.json").read_text()
    (folder / "sacctmgr.json").write_text(printed)
    response = client.get(f"{API}/instances/?node_list=g-cl1&time_start=2026-01-01",
                          headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["instances"] == json.loads(printed)["instances"] and body["warnings"] == []
    argv = (folder / "sacctmgr.argv").read_text().split("\n")
    assert argv == ["--json=v0.0.44", "show", "instance", "Nodes=g-cl1", "Start=2026-01-01"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/instances/", body)


def test_no_instances_of_a_current_slurm_warn_as_slurmrestd(fake_slurm):
    folder, client = fake_slurm
    printed = json.loads((DATA_25 / "sacctmgr-show-instance.json").read_text())
    (folder / "sacctmgr.json").write_text(json.dumps({**printed, "instances": []}))
    response = client.get(f"{API}/instances/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["instances"] == []
    assert [(w["description"], w["source"]) for w in body["warnings"]] == [
        ("slurmdb_instances_get() found nothing", "_dump_instance_cond")]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/instances/", body)


def test_one_instance_of_several_is_an_ambiguous_query(fake_slurm):
    folder, client = fake_slurm
    (folder / "sacctmgr.json").write_text((DATA_25 / "sacctmgr-show-instance.json").read_text())
    response = client.get(f"{API}/instance/", headers=headers())
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["error_number"] == 9211 and error["source"] == "_dump_instance_cond"
