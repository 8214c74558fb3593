"""The operations v0.0.45 adds (job requeue, partition create/update/delete,
the controller's and slurmdbd's configuration) on the live clusters; every
answer validated against v0.0.45's description, ours and SchedMD's as
meant (checked_api)."""

import time
import uuid

import pytest

from conftest import ADMIN, ALICE, BOB
from server.slurm.errno import by_name
from tests.live.checked_api import checked_api_fixture

api = checked_api_fixture()
V = "/slurm/v0.0.45"


def squeue(cluster, job_id: int) -> str:
    """'STATE REASON' of a job, as root sees it."""
    return cluster.run("squeue", "-h", "-j", str(job_id), "-o", "%T %r").stdout.strip()


def running_job(cluster) -> int:
    job_id = cluster.submit("--wrap", "sleep 300")
    for _ in range(100):
        if squeue(cluster, job_id).startswith("RUNNING"):
            return job_id
        time.sleep(0.2)
    cluster.cancel(job_id)
    pytest.skip("no node free to run a job")


def requeued(cluster, job_id: int) -> str:
    """'STATE REASON' once the job is back in the queue (it passes through
    COMPLETING on its way)."""
    for _ in range(100):
        if not (now := squeue(cluster, job_id)).startswith(("RUNNING", "COMPLETING")):
            return now
        time.sleep(0.2)
    return now


@pytest.fixture
def jobs(cluster):
    made: list[int] = []
    yield made
    cluster.cancel(*made)


def test_requeue_puts_a_running_job_back(api, auth, cluster, jobs):
    jobs.append(job_id := running_job(cluster))
    response = api.get(f"{V}/job/{job_id}/requeue", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == [{"job_id": job_id, "step_id": str(job_id), "error": "No error",
                                          "error_code": 0, "why": ""}]
    assert requeued(cluster, job_id).startswith("PENDING")


def test_requeue_with_hold_keeps_it_held(api, auth, cluster, jobs):
    jobs.append(job_id := running_job(cluster))
    response = api.get(f"{V}/job/{job_id}/requeue?Hold", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    state, reason = requeued(cluster, job_id).split(maxsplit=1)
    assert state == "PENDING" and "held" in reason.lower()


def test_requeue_of_another_users_job_is_refused(api, auth, cluster, jobs):
    jobs.append(job_id := running_job(cluster))
    response = api.get(f"{V}/job/{job_id}/requeue", headers=auth(BOB))
    assert response.status_code != 200
    [error] = response.json()["errors"]
    assert error["error_number"] == by_name("ESLURM_ACCESS_DENIED").number
    assert squeue(cluster, job_id).startswith("RUNNING")


def test_requeue_special_exit_needs_hold(api, auth):
    response = api.get(f"{V}/job/1/requeue?SpecialExit", headers=auth(ALICE))
    assert response.status_code == 400
    assert "SpecialExit" in response.json()["errors"][0]["description"]


def test_post_requeue_reports_each_job(api, auth, cluster, jobs):
    jobs.append(running := running_job(cluster))
    jobs.append(held := cluster.submit("--hold", "--wrap", "sleep 300"))
    response = api.post(f"{V}/jobs/requeue", headers=auth(ALICE), json={"jobs": [str(running), str(held)]})
    assert response.status_code == 200, response.text
    [[first], [second]] = response.json()["status"]
    assert (first["job_id"], first["error_code"]) == (running, 0)
    pending = by_name("ESLURM_JOB_PENDING").number
    assert (second["job_id"], second["error_code"]) == (held, pending)
    assert "pending" in second["why"].lower()
    assert requeued(cluster, running).startswith("PENDING")


def test_post_requeue_refuses_a_bad_id_before_slurm(api, auth, cluster, jobs):
    jobs.append(job_id := running_job(cluster))
    response = api.post(f"{V}/jobs/requeue", headers=auth(ALICE), json={"jobs": [str(job_id), "x1"]})
    assert response.status_code == 400
    assert squeue(cluster, job_id).startswith("RUNNING")


@pytest.fixture
def partition(cluster):
    name = f"srp-e-{uuid.uuid4().hex[:6]}"
    yield name
    cluster.run("scontrol", "delete", f"PartitionName={name}", check=False)


def shown(cluster, name: str) -> dict:
    out = cluster.run("scontrol", "-o", "--all", "show", "partition", name, check=False).stdout
    return dict(word.split("=", 1) for word in out.split() if "=" in word)


def test_create_update_delete_a_partition(api, auth, cluster, partition):
    body = {"partitions": [{"name": partition, "flags": ["HIDDEN"], "partition": {"state": ["DRAIN"]},
                            "maximums": {"time": {"set": True, "infinite": False, "number": 90},
                                         "nodes": {"set": False, "infinite": True, "number": 0}},
                            "priority": {"tier": 3}}]}
    response = api.post(f"{V}/partitions/", headers=auth(ADMIN), json=body)
    assert response.status_code == 200, response.text
    made = shown(cluster, partition)
    assert (made["Hidden"], made["State"], made["MaxTime"], made["MaxNodes"], made["PriorityTier"]) == (
        "YES", "DRAIN", "01:30:00", "UNLIMITED", "3")
    # posted again: an update of what is there, the rest kept
    response = api.post(f"{V}/partitions/", headers=auth(ADMIN), json={"partitions": [
        {"name": partition, "defaults": {"time": {"set": True, "infinite": False, "number": 10}}, "flags": ["HIDDEN_CLEAR"]}]})
    assert response.status_code == 200, response.text
    changed = shown(cluster, partition)
    assert (changed["DefaultTime"], changed["Hidden"], changed["MaxTime"]) == ("00:10:00", "NO", "01:30:00")
    response = api.delete(f"{V}/partition/{partition}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert shown(cluster, partition) == {}


def test_partition_writes_of_an_ordinary_user_are_refused(api, auth, cluster, partition):
    response = api.post(f"{V}/partitions/", headers=auth(ALICE), json={"partitions": [{"name": partition}]})
    assert response.status_code != 200 and response.json()["errors"]
    assert shown(cluster, partition) == {}
    response = api.delete(f"{V}/partition/debug", headers=auth(ALICE))
    assert response.status_code != 200 and response.json()["errors"]
    assert shown(cluster, "debug")["State"] == "UP"


def test_a_partition_field_scontrol_cannot_set_is_refused_by_name(api, auth, cluster, partition):
    response = api.post(f"{V}/partitions/", headers=auth(ADMIN), json={"partitions": [
        {"name": partition, "grace_time": 5, "colour": "blue"}]})
    assert response.status_code == 400
    assert "partitions[0].colour" in response.json()["errors"][0]["description"]
    assert shown(cluster, partition) == {}


def test_deleting_an_unknown_partition(api, auth, partition):
    response = api.delete(f"{V}/partition/{partition}", headers=auth(ADMIN))
    assert response.status_code != 200
    assert response.json()["errors"][0]["error_number"] == by_name("ESLURM_INVALID_PARTITION_NAME").number


def printed_settings(cluster, *argv: str, after: str = "") -> dict:
    out = cluster.run(*argv).stdout
    out = out[out.index(after):] if after else out
    return {k.strip(): v.strip() for k, _, v in (line.partition("=") for line in out.splitlines()) if _}


def test_conf_is_what_scontrol_shows(api, auth, cluster):
    response = api.get(f"{V}/conf", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    body = response.json()
    conf, meta = body["slurm_conf"], body["slurm_conf_meta"]
    printed = printed_settings(cluster, "scontrol", "show", "config")
    assert conf["ClusterName"] == printed["ClusterName"] == "srp"
    assert conf["SlurmctldPort"] == int(printed["SlurmctldPort"])
    assert conf["MessageTimeout"] == int(printed["MessageTimeout"].split()[0])
    assert conf["AccountingStorageEnforce"] == printed["AccountingStorageEnforce"].split(",")
    assert conf["PrivateData"] == ["jobs"]
    assert conf["SlurmUser"] == "root" and conf["SlurmUserId"] == 0
    assert conf["controllers"][0]["machine"] == printed["SlurmctldHost[0]"].split("(")[0]
    assert meta["SLURM_VERSION"] == printed["SLURM_VERSION"]
    assert meta["SLURM_VERSION"].startswith(cluster.release)
    assert "AccountingStorageBackupHost" not in conf  # printed (null): not sent


def test_slurmdb_conf_is_what_sacctmgr_shows(api, auth, cluster):
    response = api.get("/slurmdb/v0.0.45/conf", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    conf = response.json()["slurmdbd_conf"]
    printed = printed_settings(cluster, "sacctmgr", "show", "configuration", after="SlurmDBD configuration:")
    assert conf["DbdPort"] == int(printed["DbdPort"])
    assert conf["StorageUser"] == printed["StorageUser"] and conf["StorageLoc"] == "slurm_acct_db"
    assert ("AllowNoDefAcct" in conf["Flags"]) == (printed["AllowNoDefAcct"].lower() == "yes")
    if "TrackWCKey" in printed:  # 25.11 prints it, 22.05 does not
        assert conf["TrackWCKey"] is (printed["TrackWCKey"].lower() == "yes")
    else:
        assert "TrackWCKey" not in conf
    assert "StoragePass" not in conf and "DefaultQOS" not in conf  # (null)
