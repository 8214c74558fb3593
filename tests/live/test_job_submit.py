"""POST /job/submit and /job/allocate of v0.0.44 against the live cluster:
jobs belong to the caller, every field reaches Slurm exactly as sent, and a
request Slurm 22.05 cannot honour is refused before anything is created.
Every answer is checked against SchedMD's description (checked_api)."""

import os
import re
import time
import uuid
from pathlib import Path

import httpx
import pytest

from conftest import ADMIN, ALICE, API, BOB, start_server, stop_server
from tests.live.checked_api import CheckedApi, checked_api_fixture

api = checked_api_fixture()

SCRIPT = "#!/bin/sh\nsleep 300\n"
ENV = ["PATH=/usr/bin:/bin"]


@pytest.fixture
def created(cluster):
    """Job IDs a test made; every one is cancelled afterwards."""
    jobs: list[int] = []
    yield jobs
    if jobs:
        cluster.cancel(*jobs)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def submit(api, auth, job: dict, created: list, *, user=ALICE, script=SCRIPT, status=200, **request):
    body = {"job": {"environment": ENV, **job}, **request}
    if script is not None:
        body["script"] = script
    response = api.post(f"{API}/job/submit", json=body, headers=auth(user))
    if response.status_code == 200:
        created.append(response.json()["job_id"])
    assert response.status_code == status, response.text
    return response.json()


# what slurmrestd 25.11 warns of a held job (measured)
HELD_WARNINGS = ["Job submission resulted in non-zero return code: Job is in held state, pending "
                 "scheduler release", "Job is in held state, pending scheduler release"]


def job_record(api, auth, job_id: int, user=ALICE) -> list[dict]:
    response = api.get(f"{API}/job/{job_id}", headers=auth(user))
    assert response.status_code == 200, response.text
    return response.json()["jobs"]


def names_in_queue(cluster, name: str) -> list[str]:
    return cluster.run("squeue", "-h", "-t", "all", "-n", name, "-o", "%i").stdout.split()


def wait_for(predicate, seconds=90, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds}s")


# -- submission ------------------------------------------------------------------------


def test_a_held_job_is_the_callers_and_keeps_name_and_script_byte_for_byte(api, auth, cluster, created):
    name = "odd $(id) `id` 'single' \"double\" ; | & > <\nsecond line ünïcødé ✓"
    script = "#!/bin/bash\n# $(rm -rf /) `id` 'q' \"d\" \\ ; | & ünïcødé ✓\necho \"$HOME\" > /dev/null\n"
    body = submit(api, auth, {"name": name, "hold": True, "time_limit": {"set": True, "number": 5}},
                  created, script=script)
    assert body["step_id"] == "batch"
    assert body["job_submit_user_msg"] == ""
    assert body["errors"] == []
    assert [w["description"] for w in body["warnings"]] == HELD_WARNINGS
    [job] = job_record(api, auth, body["job_id"])
    assert job["user_name"] == ALICE
    assert job["name"] == name
    assert job["time_limit"]["number"] == 5
    assert "PENDING" in job["job_state"]
    assert job["current_working_directory"] == os.path.expanduser(f"~{ALICE}")  # the user's home
    stored = cluster.run("scontrol", "write", "batch_script", str(body["job_id"]), "-").stdout
    assert stored == script


def test_priority_zero_holds_the_job_and_warns_as_slurmrestd(api, auth, cluster, created):
    body = submit(api, auth, {"name": "t-held-zero", "priority": {"set": True, "number": 0}}, created)
    assert [w["description"] for w in body["warnings"]] == HELD_WARNINGS
    [job] = job_record(api, auth, body["job_id"])
    assert "PENDING" in job["job_state"] and job["state_reason"] == "JobHeldUser"


def test_options_of_the_description_reach_slurm(api, auth, cluster, created):
    name = unique("opts")
    body = submit(api, auth, {
        "name": name, "hold": True, "partition": "debug", "account": "research", "qos": "normal",
        "time_limit": {"set": True, "number": 9}, "time_minimum": {"set": True, "number": 2},
        "tasks": 2, "cpus_per_task": 1, "memory_per_cpu": {"set": True, "number": 100},
        "comment": "a comment, with commas; and $(shell)", "licenses": "fluent:1",
        "nice": 7, "requeue": False, "mail_type": ["END", "FAIL"], "mail_user": "alice@example.org",
        "current_working_directory": "/tmp", "standard_output": "/dev/null",
        "constraints": "", "excluded_nodes": ["n3"], "wckey": "",
        "begin_time": {"set": True, "number": int(time.time()) + 3600},
    }, created)
    [job] = job_record(api, auth, body["job_id"])
    assert job["partition"] == "debug" and job["account"] == "research" and job["qos"] == "normal"
    assert job["time_limit"]["number"] == 9 and job["time_minimum"]["number"] == 2
    assert job["tasks"]["number"] == 2
    assert job["memory_per_cpu"]["number"] == 100
    assert job["comment"] == "a comment, with commas; and $(shell)"
    assert job["licenses"] == "fluent:1"
    assert job["nice"] == 7
    assert job["requeue"] is False
    shown = cluster.run("scontrol", "-o", "show", "job", str(body["job_id"])).stdout
    assert "MailUser=alice@example.org MailType=END,FAIL" in shown  # not in squeue's JSON of 22.05
    assert job["current_working_directory"] == "/tmp"
    assert job["excluded_nodes"] == "n3"
    assert job["eligible_time"]["number"] >= int(time.time()) + 3500


def test_the_job_gets_exactly_its_environment_and_no_token(api, auth, cluster, created, tmp_path):
    out = Path("/tmp") / unique("srp-env")
    odd = "comma,separated\nsecond line 'q' \"d\" $(id) ünï"
    script = f"#!/bin/sh\nenv > {out}.tmp && mv {out}.tmp {out}\n"
    try:
        submit(api, auth, {"name": unique("env"), "environment": ["PATH=/usr/bin:/bin", f"ODD={odd}",
                                                                  "EMPTY="],
                           "current_working_directory": "/tmp", "standard_output": "/dev/null",
                           "time_limit": {"set": True, "number": 2}}, created, script=script)
        text = wait_for(lambda: out.exists() and out.read_text(), what="the job writing its environment")
        assert f"ODD={odd}\n" in text
        assert "EMPTY=\n" in text
        assert "PATH=/usr/bin:/bin\n" in text
        assert "SLURM_JWT" not in text  # as root the token stays out of the job
        assert "HOME=" not in text  # nothing of the submitting process leaks in
    finally:
        out.unlink(missing_ok=True)


def test_an_array_job(api, auth, cluster, created):
    body = submit(api, auth, {"name": unique("array"), "hold": True, "array": "1-3"}, created)
    records = job_record(api, auth, body["job_id"])
    assert records[0]["array_job_id"]["number"] == body["job_id"]
    assert records[0]["array_task_string"] == "1-3"
    task = job_record(api, auth, f"{body['job_id']}_2")
    assert task[0]["array_job_id"]["number"] == body["job_id"]


def test_a_heterogeneous_job_takes_the_script_into_its_first_component(api, auth, cluster, created):
    name = unique("het")
    response = api.post(f"{API}/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT,
        "jobs": [
            {"name": name, "hold": True, "tasks": 1, "environment": ENV},
            {"name": name, "tasks": 2, "memory_per_cpu": {"set": True, "number": 50}},
        ],
    })
    assert response.status_code == 200, response.text
    leader = response.json()["job_id"]
    created.append(leader)
    records = job_record(api, auth, leader)
    assert sorted(r["het_job_offset"]["number"] for r in records) == [0, 1]
    assert {r["het_job_id"]["number"] for r in records} == {leader}
    assert {r["user_name"] for r in records} == {ALICE}
    assert sorted(r["tasks"]["number"] for r in records) == [1, 2]
    assert cluster.run("scontrol", "write", "batch_script", str(leader), "-").stdout == SCRIPT


def test_root_acting_for_a_user_submits_as_that_user(api, auth, cluster, created):
    headers = {**auth(ADMIN, "token"), "X-SLURM-USER-NAME": ALICE}
    response = api.post(f"{API}/job/submit", headers=headers,
                        json={"script": SCRIPT, "job": {"name": unique("for-alice"), "hold": True,
                                                        "environment": ENV}})
    assert response.status_code == 200, response.text
    created.append(response.json()["job_id"])
    [job] = job_record(api, auth, response.json()["job_id"])
    assert job["user_name"] == ALICE


def test_an_unprivileged_server_submits_as_the_caller(cluster, auth, created):
    """slurmrestpy run as nobody (-u): sbatch runs in a user namespace with
    --uid/--gid, and slurmctld takes the job for the token's user."""
    server = start_server(cluster, "--coalesce", "0", "-u", "nobody", log_name="server-job-submit-nobody.log")
    out = Path("/tmp") / unique("srp-env-unpriv")
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            checked = CheckedApi(client)
            body = submit(checked, auth, {"name": unique("unpriv"), "hold": True}, created)
            [job] = job_record(checked, auth, body["job_id"])
            assert job["user_name"] == ALICE
            assert job["group_name"] == ALICE
            odd = "a,b\nc 'q' ü"
            submit(checked, auth, {"name": unique("unpriv-env"), "environment": ["PATH=/usr/bin:/bin", f"ODD={odd}"],
                                   "current_working_directory": "/tmp", "standard_output": "/dev/null",
                                   "time_limit": {"set": True, "number": 2}},
                   created, script=f"#!/bin/sh\nenv > {out}.tmp && mv {out}.tmp {out}\n")
            text = wait_for(lambda: out.exists() and out.read_text(), what="the job writing its environment")
            assert f"ODD={odd}\n" in text and "PATH=/usr/bin:/bin\n" in text
            refused = checked.post(f"{API}/job/submit", headers=auth(ALICE), json={
                "script": SCRIPT, "job": {"name": unique("unpriv-ld"), "hold": True,
                                          "environment": ["PATH=/bin", "LD_PRELOAD=/tmp/x.so"]}})
            assert refused.status_code == 400
            assert "LD_PRELOAD" in refused.json()["errors"][0]["description"]
    finally:
        stop_server(server)
        out.unlink(missing_ok=True)


# -- refusals -----------------------------------------------------------------------------


def test_a_field_slurm_2205_cannot_express_is_refused_by_name_and_nothing_is_submitted(api, auth, cluster, created):
    name = unique("argv")
    body = submit(api, auth, {"name": name, "argv": ["--flag"], "hold": True}, created, status=400)
    [error] = body["errors"]
    assert "'job.argv'" in error["description"]
    assert error["error_number"] == 9001
    assert names_in_queue(cluster, name) == []


def test_a_bad_component_refuses_the_whole_heterogeneous_job(api, auth, cluster, created):
    name = unique("het-bad")
    response = api.post(f"{API}/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT,
        "jobs": [{"name": name, "hold": True, "environment": ENV}, {"name": name, "x11": ["BATCH_NODE"]}],
    })
    assert response.status_code == 400, response.text
    assert "'jobs[1].x11'" in response.json()["errors"][0]["description"]
    assert names_in_queue(cluster, name) == []


@pytest.mark.parametrize("job, fragment", [
    ({"tasks": "two"}, "'two' is not of type 'integer'"),
    ({"shared": ["bogus"]}, "'bogus' is not one of"),
    ({"time_limit": 5}, "is not of type 'object'"),
    ({"hold": "yes"}, "is not of type 'boolean'"),
])
def test_bodies_that_break_the_description_are_refused_readably(api, auth, cluster, created, job, fragment):
    name = unique("invalid")
    body = submit(api, auth, {"name": name, **job}, created, status=400)
    [error] = body["errors"]
    assert fragment in error["description"]
    assert error["error_number"] == 9001
    assert names_in_queue(cluster, name) == []


def test_a_missing_script_is_refused(api, auth, created):
    body = submit(api, auth, {"name": unique("noscript")}, created, script=None, status=400)
    assert "script" in body["errors"][0]["description"]
    body = submit(api, auth, {"name": unique("noscript")}, created, script="", status=400)
    assert "script" in body["errors"][0]["description"]


def test_a_script_sbatch_would_refuse_is_refused_by_name(api, auth, created):
    body = submit(api, auth, {"name": unique("shebang")}, created, script="echo no interpreter\n", status=400)
    assert "'job.script'" in body["errors"][0]["description"] and "#!" in body["errors"][0]["description"]


def test_a_missing_environment_is_refused_as_slurmctld_would(api, auth, created):
    response = api.post(f"{API}/job/submit", headers=auth(ALICE),
                        json={"script": SCRIPT, "job": {"name": unique("noenv"), "hold": True}})
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert "'job.environment'" in error["description"]
    assert error["error_number"] == 2127 and error["error"] == "Environment is missing in job"


def test_job_and_jobs_together_are_refused(api, auth, created):
    response = api.post(f"{API}/job/submit", headers=auth(ALICE),
                        json={"script": SCRIPT, "job": {"environment": ENV}, "jobs": [{"environment": ENV}]})
    assert response.status_code == 400
    assert "never both" in response.json()["errors"][0]["description"]


def test_a_user_id_of_someone_else_is_refused(api, auth, cluster, created):
    name = unique("other-user")
    body = submit(api, auth, {"name": name, "hold": True, "user_id": BOB}, created, status=400)
    assert "'job.user_id'" in body["errors"][0]["description"]
    assert names_in_queue(cluster, name) == []


def test_slurmctlds_refusal_carries_its_error(api, auth, created):
    body = submit(api, auth, {"name": unique("badpart"), "partition": "no_such_partition", "hold": True},
                  created, status=500)
    [error] = body["errors"]
    assert error["error_number"] == 2000
    assert error["error"] == "Invalid partition name specified"


# -- allocation ------------------------------------------------------------------------------


def test_an_allocation_runs_with_no_shell_and_is_cancelled(api, auth, cluster, created):
    name = unique("alloc")
    response = api.post(f"{API}/job/allocate", headers=auth(ALICE), json={
        "job": {"name": name, "time_limit": {"set": True, "number": 2}, "tasks": 1,
                "memory_per_node": {"set": True, "number": 50}}})
    assert response.status_code == 200, response.text
    body = response.json()
    created.append(body["job_id"])
    assert body["job_submit_user_msg"] == ""
    [job] = job_record(api, auth, body["job_id"])
    assert job["user_name"] == ALICE and job["name"] == name
    assert "RUNNING" in job["job_state"]
    assert job["batch_flag"] is False
    cancelled = api.delete(f"{API}/job/{body['job_id']}", headers=auth(ALICE))
    assert cancelled.status_code == 200, cancelled.text
    wait_for(lambda: "RUNNING" not in job_record(api, auth, body["job_id"])[0]["job_state"],
             seconds=30, what="the allocation ending")


UNUSABLE = {"DRAIN", "NOT_RESPONDING", "MAINTENANCE", "RESERVED", "POWERED_DOWN", "POWERING_DOWN",
            "REBOOT_REQUESTED", "REBOOT_ISSUED", "FAIL"}  # flags of a node that takes no new job


def room_for(cluster, count: int, memory: int) -> bool:
    """Whether the cluster's nodes could start `count` jobs of one CPU and
    `memory` MB each now (components of one heterogeneous job may share a node)."""
    slots = 0
    for line in cluster.run("scontrol", "-o", "show", "node").stdout.splitlines():
        node = dict(field.split("=", 1) for field in line.split() if "=" in field)
        state, *flags = node["State"].split("+")
        if state not in ("IDLE", "MIXED") or set(flags) & UNUSABLE:
            continue
        cpus = int(node["CPUTot"]) - int(node["CPUAlloc"])
        slots += min(cpus, (int(node["RealMemory"]) - int(node["AllocMem"])) // memory)
    return slots >= count


def backfill_interval(cluster) -> int:
    """How often slurmctld's backfill scheduler runs (bf_interval, 30 s by default)."""
    config = cluster.run("scontrol", "show", "config").stdout
    match = re.search(r"^SchedulerParameters\s*=.*\bbf_interval=(\d+)", config, re.MULTILINE)
    return int(match[1]) if match else 30


def test_a_heterogeneous_allocation(auth, cluster, created):
    """Slurm starts a heterogeneous job only at a backfill iteration, up to
    bf_interval after it is asked for even on idle nodes, where the shared
    server's salloc gives up after 25 s: this one's command timeout outlasts
    two iterations. Jobs of other tests (and of other runs on a shared
    cluster) may still hold the nodes for a while: the test waits for room."""
    try:
        wait_for(lambda: room_for(cluster, 2, 50), seconds=180, what="room for two one-CPU components")
    except AssertionError as error:
        running = cluster.run("squeue", "-h", "-t", "running,completing", "-o", "%i %u %j %C %m %M %N").stdout
        raise AssertionError(f"{error}; running:\n{running}") from None
    timeout = 2 * backfill_interval(cluster) + 15
    server = start_server(cluster, "--coalesce", "0", "--command-timeout", str(timeout),
                          log_name="server-job-submit-het.log")
    name = unique("alloc-het")
    try:
        with httpx.Client(base_url=server.url, timeout=timeout + 30) as client:
            api = CheckedApi(client)
            response = api.post(f"{API}/job/allocate", headers=auth(ALICE), json={"hetjob": [
                {"name": name, "tasks": 1, "time_limit": {"set": True, "number": 1},
                 "memory_per_node": {"set": True, "number": 50}},
                {"name": name, "tasks": 1, "memory_per_node": {"set": True, "number": 50}},
            ]})
            assert response.status_code == 200, response.text
            leader = response.json()["job_id"]
            created.append(leader)
            records = job_record(api, auth, leader)
            assert sorted(r["het_job_offset"]["number"] for r in records) == [0, 1]
            assert all("RUNNING" in r["job_state"] and r["user_name"] == ALICE for r in records)
    finally:
        stop_server(server)


def test_an_allocation_slurm_cannot_grant_in_time_is_withdrawn(api, auth, cluster, created):
    """A held allocation is never granted: salloc is stopped before the
    command timeout and withdraws its job, so nothing stays behind."""
    name = unique("alloc-held")
    response = api.post(f"{API}/job/allocate", headers=auth(ALICE),
                        json={"job": {"name": name, "hold": True, "time_limit": {"set": True, "number": 1}}})
    assert response.status_code == 500, response.text
    [error] = response.json()["errors"]
    assert "withdrawn" in error["description"]
    assert error["error_number"] == 2042  # ESLURM_JOB_HELD: why it was not granted
    states = cluster.run("squeue", "-h", "-t", "all", "-n", name, "-o", "%T").stdout.split()
    assert states and set(states) <= {"CANCELLED"}


def test_an_allocation_refuses_options_salloc_lacks(api, auth, cluster, created):
    name = unique("alloc-array")
    response = api.post(f"{API}/job/allocate", headers=auth(ALICE), json={"job": {"name": name, "array": "1-2"}})
    assert response.status_code == 400
    assert "'job.array'" in response.json()["errors"][0]["description"]
    assert names_in_queue(cluster, name) == []
