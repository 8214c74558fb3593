"""GET /partitions/ and /partition/{partition_name} of v0.0.44 against the
live cluster; every response validated against SchedMD's description."""

import time
import uuid

import pytest

from conftest import ADMIN, ALICE, API
from tests.schemas import reference_as_meant, validate_response

ONE = f"{API}/partition/{{partition_name}}"
UNSET = {"set": False, "infinite": False, "number": 0}
INFINITE = {"set": False, "infinite": True, "number": 0}


def number(n):
    return {"set": True, "infinite": False, "number": n}


def reference():
    return reference_as_meant("v0.0.44")


@pytest.fixture(scope="module")
def hidden(cluster):
    """A hidden partition of our own, without nodes (so no job or node of
    anyone else is affected), with settings the default partition lacks."""
    name = f"t-part-{uuid.uuid4().hex[:8]}"
    cluster.run("scontrol", "create", f"PartitionName={name}", "Hidden=YES", "State=DRAIN",
                "DenyAccounts=research", "MaxTime=1-00:00:00", "DefaultTime=30", "MaxNodes=2",
                "OverSubscribe=FORCE:4", "DefMemPerCPU=100", "PriorityTier=7", "GraceTime=15")
    yield name
    cluster.run("scontrol", "delete", f"PartitionName={name}", check=False)


def names(body):
    return [p["name"] for p in body["partitions"]]


def scontrol_names(cluster, user):
    shown = cluster.run("scontrol", "-o", "show", "partition", user=user).stdout
    return {line.split()[0].split("=", 1)[1] for line in shown.splitlines() if line}


def test_partitions_as_slurm_lists_them(api, auth, cluster):
    before = scontrol_names(cluster, ALICE)
    response = api.get(f"{API}/partitions/", headers=auth(ALICE))
    after = scontrol_names(cluster, ALICE)
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/partitions/", body)
    # others may add or remove partitions meanwhile: what stayed must be there
    assert before & after <= set(names(body)) <= before | after
    assert "debug" in names(body)
    if cluster.current:
        # scontrol --json of a current Slurm gives when slurmctld last changed
        # a partition, as slurmrestd does (later only if one changed since)
        told = cluster.oracle(f"{API}/partitions/", ALICE)["last_update"]
        assert body["last_update"]["set"] and told["set"]
        assert 1_600_000_000 < body["last_update"]["number"] <= told["number"] <= time.time()
    else:
        assert body["last_update"] == UNSET
    assert body["errors"] == [] and body["warnings"] == []


def test_the_debug_partition(api, auth):
    body = api.get(f"{API}/partition/debug", headers=auth(ALICE)).json()
    validate_response(reference(), "get", ONE, body)
    [debug] = body["partitions"]
    assert debug["nodes"]["configured"] == "n[1-3]" and debug["nodes"]["total"] == 3
    assert debug["cpus"]["total"] == 6
    assert debug["tres"]["configured"].startswith("cpu=6,mem=3000M,node=3")
    assert debug["partition"]["state"] == ["UP"]
    assert debug["maximums"]["time"] == INFINITE  # MaxTime=INFINITE in slurm.conf
    assert debug["defaults"]["time"] == UNSET
    assert debug["maximums"]["oversubscribe"] == {"jobs": 1, "flags": []}


def test_a_partition_with_limits(api, auth, hidden):
    body = api.get(f"{API}/partition/{hidden}", headers=auth(ADMIN)).json()
    validate_response(reference(), "get", ONE, body)
    [p] = body["partitions"]
    assert p["name"] == hidden
    assert p["partition"]["state"] == ["DRAIN"]
    assert p["accounts"] == {"allowed": "", "deny": "research"}
    assert p["maximums"]["time"] == number(1440)
    assert p["defaults"]["time"] == number(30)
    assert p["maximums"]["nodes"] == number(2)
    assert p["maximums"]["oversubscribe"] == {"jobs": 4, "flags": ["force"]}
    assert p["maximums"]["shares"] == 0x8000 | 4
    assert p["defaults"]["partition_memory_per_cpu"] == number(100)
    assert p["priority"]["tier"] == 7 and p["grace_time"] == 15
    assert p["nodes"] == {"allowed_allocation": "", "configured": "", "total": 0}


def test_hidden_partitions_need_flags_all_for_an_unprivileged_user(api, auth, hidden):
    plain = api.get(f"{API}/partitions/", headers=auth(ALICE)).json()
    every = api.get(f"{API}/partitions/", params={"flags": "ALL"}, headers=auth(ALICE)).json()
    admin = api.get(f"{API}/partitions/", headers=auth(ADMIN)).json()
    for body in (plain, every, admin):
        validate_response(reference(), "get", f"{API}/partitions/", body)
    assert hidden not in names(plain)
    assert hidden in names(every)
    assert hidden in names(admin)  # slurmctld shows hidden partitions to administrators
    # one partition is looked up among all of them, as slurmrestd does
    one = api.get(f"{API}/partition/{hidden}", headers=auth(ALICE))
    assert one.status_code == 200 and names(one.json()) == [hidden]


def test_a_name_is_found_without_regard_to_case(api, auth):
    body = api.get(f"{API}/partition/DeBuG", headers=auth(ALICE)).json()
    assert names(body) == ["debug"]


def test_unknown_partition(api, auth):
    response = api.get(f"{API}/partition/t-part-nosuch", headers=auth(ALICE))
    assert response.status_code == 422, response.text
    body = response.json()
    validate_response(reference(), "get", ONE, body, status=422)
    [error] = body["errors"]
    assert error["description"] == "Unable to find partition t-part-nosuch"
    assert error["error_number"] == 9000
    assert body["partitions"] == []


def test_update_time_is_not_applied_and_says_so(api, auth):
    body = api.get(f"{API}/partitions/", params={"update_time": "1"}, headers=auth(ALICE)).json()
    validate_response(reference(), "get", f"{API}/partitions/", body)
    assert "debug" in names(body)
    assert "update_time" in body["warnings"][0]["description"]


def test_bad_flag(api, auth):
    response = api.get(f"{API}/partitions/", params={"flags": "EVERYTHING"}, headers=auth(ALICE))
    assert response.status_code == 400
    validate_response(reference(), "get", f"{API}/partitions/", response.json(), status=400)
    assert "'flags'" in response.json()["errors"][0]["description"]
