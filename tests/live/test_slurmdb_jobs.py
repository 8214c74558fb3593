"""GET/POST /slurmdb/v0.0.44/jobs/ and /job/{job_id} against the live cluster:
real jobs of srp_alice (one that succeeds, one that fails, one cancelled,
an array with a failing task) and one of srp_bob, read back from slurmdbd
with filters, compared with what sacct itself says, and changed with
sacctmgr's rules. Every response is validated against SchedMD's description."""

from __future__ import annotations

import os
import time
from datetime import datetime

import pytest

from conftest import ADMIN, ALICE, BOB
from tests.schemas import reference_as_meant, validate_response

DB = "/slurmdb/v0.0.44"
JOBS, JOB = f"{DB}/jobs/", f"{DB}/job/{{job_id}}"
PREFIX = f"srpdb{os.getpid()}"


def reference():
    return reference_as_meant("v0.0.44")


def get(api, auth, path, user=ALICE, status=200, template=None, **params):
    response = api.get(path, headers=auth(user), params=params or None)
    assert response.status_code == status, response.text
    body = response.json()
    validate_response(reference(), "get", template or path, body, status=status)
    return body


def ids(body):
    return sorted(job["job_id"] for job in body["jobs"])


def sacct_ids(cluster, *options, user=ALICE):
    """What sacct itself lists for a selection (text output honours --user)."""
    out = cluster.run("sacct", "--noheader", "--parsable2", "--allocations", "--format=jobidraw",
                      *options, user=user).stdout
    return sorted(int(line) for line in out.split() if line.strip().isdigit())


@pytest.fixture(scope="module")
def jobs(cluster):
    start = int(time.time()) - 5
    submitted = {
        "ok": cluster.submit(f"--job-name={PREFIX}-ok", "--mem=20", "--time=2", "--wrap=true"),
        "fail": cluster.submit(f"--job-name={PREFIX}-fail", "--mem=20", "--time=2", "--wrap=exit 3"),
        "cancel": cluster.submit(f"--job-name={PREFIX}-cancel", "--mem=20", "--time=2",
                                 "--wrap=sleep 300"),
        "array": cluster.submit(f"--job-name={PREFIX}-array", "--array=1-3", "--mem=20", "--time=2",
                                "--wrap=exit $((SLURM_ARRAY_TASK_ID == 2))"),
        "bob": cluster.submit(f"--job-name={PREFIX}-bob", "--mem=20", "--time=2", "--wrap=true",
                              user=BOB),
    }
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = cluster.run("squeue", "-h", "-j", str(submitted["cancel"]), "-o", "%T",
                                check=False).stdout.strip()
            if state in ("RUNNING", ""):
                break
            time.sleep(1)
        cluster.cancel(submitted["cancel"])
        # Wait until slurmdbd has the end of every job.
        names = ",".join(f"{PREFIX}-{n}" for n in submitted)
        while time.monotonic() < deadline:
            out = cluster.run("sacct", "-a", "-n", "-P", "-X", f"--name={names}", "-S",
                              datetime.fromtimestamp(start).strftime("%Y-%m-%dT%H:%M:%S"),
                              "-o", "state").stdout.splitlines()
            if len(out) == 7 and not any(s.split()[0] in ("PENDING", "RUNNING", "COMPLETING")
                                         for s in out):
                break
            time.sleep(2)
        else:
            pytest.fail(f"the jobs of {PREFIX} did not end in time")
        yield {**submitted, "start": start}
    finally:
        cluster.cancel(*(v for k, v in submitted.items()))


def one(body):
    [job] = body["jobs"]
    return job


def test_a_job_that_succeeded(api, auth, cluster, jobs):
    body = get(api, auth, f"{DB}/job/{jobs['ok']}", template=JOB)
    job = one(body)
    assert job["job_id"] == jobs["ok"] and job["name"] == f"{PREFIX}-ok"
    assert job["user"] == ALICE
    if cluster.current:
        # 25.11's job record names its association by id only, in slurmrestd too
        [told] = cluster.oracle(f"{DB}/job/{jobs['ok']}", ALICE)["jobs"]
        assert job["association"] == told["association"] and job["association"]["id"] > 0
    else:
        assert job["association"]["user"] == ALICE
    assert job["state"]["current"] == ["COMPLETED"]
    assert job["exit_code"]["status"] == ["SUCCESS"]
    assert job["exit_code"]["return_code"]["number"] == 0
    assert [s["step"]["id"] for s in job["steps"]] == [f"{jobs['ok']}.batch"]
    assert "START_RECEIVED" in job["flags"] and "--wrap=true" in job["submit_line"]
    assert body["meta"]["plugin"]["type"] == "openapi/slurmdbd"
    assert body["errors"] == [] and body["warnings"] == []


def test_a_job_that_failed_keeps_its_exit_code(api, auth, jobs):
    job = one(get(api, auth, f"{DB}/job/{jobs['fail']}", template=JOB))
    assert job["state"]["current"] == ["FAILED"]
    assert job["exit_code"]["status"] == ["ERROR"]
    assert job["exit_code"]["return_code"] == {"set": True, "infinite": False, "number": 3}


def test_a_cancelled_job(api, auth, jobs):
    job = one(get(api, auth, f"{DB}/job/{jobs['cancel']}", template=JOB))
    assert job["state"]["current"] == ["CANCELLED"]
    assert job["kill_request_user"] in (ALICE, "root", ADMIN)


def test_an_array_and_one_of_its_tasks(api, auth, jobs):
    whole = get(api, auth, f"{DB}/job/{jobs['array']}", template=JOB)
    assert len(whole["jobs"]) == 3
    assert {j["array"]["job_id"] for j in whole["jobs"]} == {jobs["array"]}
    task = one(get(api, auth, f"{DB}/job/{jobs['array']}_2", template=JOB))
    assert task["array"]["task_id"]["number"] == 2
    assert task["state"]["current"] == ["FAILED"]
    assert task["exit_code"]["return_code"]["number"] == 1


def test_filters_combined(api, auth, cluster, jobs):
    names = ",".join(f"{PREFIX}-{n}" for n in ("ok", "fail", "cancel", "bob"))
    body = get(api, auth, JOBS, job_name=names, users=ALICE, start_time=str(jobs["start"]),
               skip_steps="")
    assert ids(body) == sorted([jobs["ok"], jobs["fail"], jobs["cancel"]])
    assert all(j["steps"] == [] for j in body["jobs"])
    failed = get(api, auth, JOBS, job_name=names, state="FAILED", start_time=str(jobs["start"]),
                 end_time="now")
    assert ids(failed) == [jobs["fail"]]
    # exit_code is the raw status slurmdbd compares: 768 is "exited 3".
    exited_3 = get(api, auth, JOBS, job_name=names, exit_code="768", start_time=str(jobs["start"]))
    assert ids(exited_3) == [jobs["fail"]]
    started = get(api, auth, JOBS, job_name=names, start_time=str(jobs["start"]),
                  scheduled_by_main="", scheduled_by_backfill="", scheduled_on_submit="")
    assert ids(started) == sorted([jobs["ok"], jobs["fail"], jobs["cancel"], jobs["bob"]])


def test_an_unprivileged_user_sees_what_slurmdbd_lets_them_see(api, auth, cluster, jobs):
    start = datetime.fromtimestamp(jobs["start"]).strftime("%Y-%m-%dT%H:%M:%S")
    name = f"--name={PREFIX}-ok,{PREFIX}-bob"
    for user, users in ((ALICE, BOB), (BOB, ALICE), (ALICE, None)):
        params = {"job_name": f"{PREFIX}-ok,{PREFIX}-bob", "start_time": str(jobs["start"])}
        options = [name, f"--starttime={start}"]
        if users:
            params["users"] = users
            options.append(f"--user={users}")
        else:
            options.append("--allusers")
        body = get(api, auth, JOBS, user=user, **params)
        assert ids(body) == sacct_ids(cluster, *options, user=user), (user, users)


def test_submit_time_accepts_escaped_slurm_dates(api, auth, jobs):
    day = datetime.fromtimestamp(jobs["start"]).strftime("%m/%d/%y")
    body = get(api, auth, JOBS, submit_time=day, job_name=f"{PREFIX}-ok")
    assert ids(body) == [jobs["ok"]]
    response = api.get(f"{JOBS}?submit_time={day}&job_name={PREFIX}-ok", headers=auth(ALICE))
    assert response.status_code == 400
    body = response.json()
    validate_response(reference(), "get", JOBS, body, status=400)
    [error] = body["errors"]
    assert error["source"] == "submit_time" and "%2F" in error["description"]


def test_no_condition_lists_every_job(api, auth, jobs):
    body = get(api, auth, JOBS, user=ADMIN)
    assert {jobs["ok"], jobs["fail"], jobs["bob"]} <= set(ids(body))


def test_a_job_slurmdbd_does_not_know(api, auth):
    body = get(api, auth, f"{DB}/job/99999999", template=JOB)
    assert body["jobs"] == [] and body["errors"] == []
    assert body["warnings"] == [{"description": "slurmdb_jobs_get() found nothing",
                                 "source": "_dump_jobs"}]


@pytest.mark.parametrize("params, field", [
    ({"start_time": "not-a-time"}, "start_time"),
    ({"state": "NOSUCHSTATE"}, "state"),
    ({"skip_steps": "perhaps"}, "skip_steps"),
    ({"users": "no_such_user_srp"}, "users"),
])
def test_bad_filters_are_refused_naming_them(api, auth, params, field):
    body = get(api, auth, JOBS, status=400, **params)
    [error] = body["errors"]
    assert error["source"] == field and "\n" not in error["description"]


def test_bad_job_id(api, auth):
    body = get(api, auth, f"{DB}/job/abc", status=400, template=JOB)
    assert "abc" in body["errors"][0]["description"]


def post(api, auth, path, body, user=ALICE, status=200, template=None):
    response = api.post(path, headers=auth(user), json=body)
    assert response.status_code == status, response.text
    answer = response.json()
    validate_response(reference(), "post", template or path, answer, status=status)
    return answer


def test_the_owner_changes_the_comment_and_derived_exit_code(api, auth, jobs):
    answer = post(api, auth, f"{DB}/job/{jobs['ok']}", {
        "comment": {"job": f"{PREFIX} was here"},
        "derived_exit_code": {"return_code": {"set": True, "infinite": False, "number": 1024}}},
        template=JOB)
    [changed] = answer["results"]
    assert changed.startswith(f"{jobs['ok']} submitted at ")
    job = one(get(api, auth, f"{DB}/job/{jobs['ok']}", template=JOB))
    assert job["comment"]["job"] == f"{PREFIX} was here"
    assert job["derived_exit_code"]["return_code"]["number"] == 4  # 1024 is a raw status


def test_several_jobs_at_once(api, auth, jobs):
    answer = post(api, auth, JOBS, {"job_id_list": [str(jobs["fail"]), f"{jobs['array']}_2"],
                                    "job_rec": {"comment": {"job": "batch change"}}})
    assert len(answer["results"]) == 2
    task = one(get(api, auth, f"{DB}/job/{jobs['array']}_2", template=JOB))
    assert task["comment"]["job"] == "batch change"


def test_another_users_job_cannot_be_changed(api, auth, jobs):
    answer = post(api, auth, f"{DB}/job/{jobs['ok']}", {"comment": {"job": "bob"}}, user=BOB,
                  status=500, template=JOB)
    assert answer["errors"][0]["error_number"] == 2002
    assert one(get(api, auth, f"{DB}/job/{jobs['ok']}", template=JOB))["comment"]["job"] != "bob"


def test_what_22_05_cannot_change_is_refused(api, auth, jobs):
    answer = post(api, auth, f"{DB}/job/{jobs['ok']}", {"extra": "x"}, status=400, template=JOB)
    assert answer["errors"][0]["source"] == "extra"
    answer = post(api, auth, f"{DB}/job/99999999", {"comment": {"job": "x"}}, user=ADMIN,
                  template=JOB)
    assert answer["results"] == [] and answer["warnings"]
