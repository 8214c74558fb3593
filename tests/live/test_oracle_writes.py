"""Every kind of write, sent to Slurm's own slurmrestd and to slurmrestpy on
the same cluster, each on objects of its own (names ending -o for the
oracle's, -p for ours): the same status, warnings and error numbers, and
Slurm left in the same state, read back through slurmrestd for both. What
may differ is in tests/oracle.py's DIFFERENCES, with its reason."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from conftest import ADMIN, ALICE
from tests.oracle import allowed, differences, document, oracle, send  # noqa: F401 (oracle is a fixture)

DB, CTL = "/slurmdb/v0.0.44", "/slurm/v0.0.44"
TAG = uuid.uuid4().hex[:6]
START = int(time.time()) + 30 * 86400


def fill(template, who: str):
    """The template with WHO as the side's own name suffix."""
    return json.loads(json.dumps(template).replace("WHO", f"{TAG}-{who}"))


@pytest.fixture(scope="module")
def pair(oracle, server, auth):
    """send(method, path, body, user): both answers, compared; returns them."""

    def both(method, path, body=None, user=ADMIN, expect=None, operation=None):
        # path: a template, or (the oracle's, ours) where the objects' ids differ
        paths = path if isinstance(path, tuple) else (fill(path, "o"), fill(path, "p"))
        operation = operation or f"{method} {path}"
        bodies = [body(who) if callable(body) else fill(body, who) if body else None for who in "op"]
        theirs = send(oracle, method, paths[0], auth(user), bodies[0])
        ours = send(server.url, method, paths[1], auth(user), bodies[1])
        if ours.status_code != theirs.status_code and allowed(operation, "<status>"):
            return document(theirs), document(ours)
        assert ours.status_code == theirs.status_code, (operation, theirs.text[:1500], ours.text[:1500])
        if expect is not None:
            assert theirs.status_code == expect, theirs.text[:1500]
        a, b = document(theirs), document(ours)
        assert [w["description"] for w in b.get("warnings", [])] == \
            [w["description"] for w in a.get("warnings", [])] or allowed(operation, "warnings"), (a, b)
        assert [e["error_number"] for e in b.get("errors", [])] == [e["error_number"] for e in a.get("errors", [])]
        return a, b

    return both


@pytest.fixture(scope="module")
def same_state(oracle, auth):
    """Read both sides' objects back through slurmrestd and compare."""

    def check(operation, path, user=ADMIN):
        theirs = document(send(oracle, "GET", fill(path, "o"), auth(user)))
        ours = json.loads(json.dumps(document(send(oracle, "GET", fill(path, "p"), auth(user))))
                          .replace(f"{TAG}-p", f"{TAG}-o"))
        found = differences(f"STATE {operation}", theirs, ours)
        assert not found, "\n".join(found[:40])
        return theirs, ours

    return check


@pytest.fixture(scope="module", autouse=True)
def cleanup(cluster):
    yield
    for who in ("o", "p"):
        name = f"{TAG}-{who}"
        cluster.run("scontrol", "delete", f"ReservationName=t-or-{name}", check=False)
        for squeue_name in (f"t-or-{name}",):
            ids = cluster.run("squeue", "-h", "-o", "%i", "-n", squeue_name, check=False).stdout.split()
            if ids:
                cluster.cancel(*map(int, ids))
        cluster.run("scontrol", "delete", f"NodeName=tor{TAG}{who}", check=False)
        cluster.run("sacctmgr", "-i", "delete", "cluster", f"tor-{name}", check=False)
        for entity in ("user", "qos", "account"):
            cluster.run("sacctmgr", "-i", "delete", entity, "where",
                        f"name=t-or-{name},t-or-deny-{name},t-or-cfg-{name}", check=False)


def test_qos_with_a_memory_limit(pair, same_state):
    limits = {"max": {"tres": {"per": {"job": [{"type": "memory", "count": 2048}, {"type": "cpu", "count": 4}]}}}}
    pair("POST", f"{DB}/qos/", {"qos": [{"name": "t-or-WHO", "limits": limits, "priority": {"set": True, "number": 5}}]},
         expect=200)
    same_state("POST /slurmdb/v0.0.44/qos/", f"{DB}/qos/t-or-WHO")


def test_account_user_without_association_and_association(pair, same_state):
    pair("POST", f"{DB}/accounts/", {"accounts": [{"name": "t-or-WHO", "description": "oracle test",
                                                   "organization": "srp"}]}, expect=200)
    same_state("POST /slurmdb/v0.0.44/accounts/", f"{DB}/account/t-or-WHO")
    pair("POST", f"{DB}/users/", {"users": [{"name": "t-or-WHO", "administrator_level": ["None"]}]}, expect=200)
    same_state("POST /slurmdb/v0.0.44/users/", f"{DB}/user/t-or-WHO?with_assocs=true")
    # a user's association to an account that has none on the cluster
    pair("POST", f"{DB}/associations/", {"associations": [{"account": "t-or-WHO", "user": "t-or-WHO",
                                                           "cluster": "srp"}]})
    # what depends on such a user: its association, once the account has one
    pair("POST", f"{DB}/associations/", {"associations": [{"account": "t-or-WHO", "cluster": "srp"}]},
         expect=200)
    # a WCKey of that user (of its own: a WCKey can become the user's default)
    pair("POST", f"{DB}/wckeys/", {"wckeys": [{"name": "t-or-WHO", "user": "t-or-WHO", "cluster": "srp"}]})
    pair("POST", f"{DB}/associations/", {"associations": [{"account": "t-or-WHO", "user": "t-or-WHO",
                                                           "cluster": "srp"}]}, expect=200)
    same_state("POST /slurmdb/v0.0.44/associations/", f"{DB}/associations/?account=t-or-WHO")


def test_reservation_of_a_whole_partition_then_updated(pair, same_state):
    def desc(who):  # a day apart: each takes the whole partition
        return fill({"name": "t-or-WHO", "partition": "debug", "node_list": [], "users": ["srp_alice"],
                     "start_time": {"set": True, "number": START + (who == "p") * 86400},
                     "duration": {"set": True, "number": 60}}, who)

    a, b = pair("POST", f"{CTL}/reservation", desc, expect=200)
    assert a["warnings"] == b["warnings"] == []
    same_state("POST /slurm/v0.0.44/reservation", f"{CTL}/reservation/t-or-WHO")
    a, b = pair("POST", f"{CTL}/reservations/", {"reservations": [{"name": "t-or-WHO", "duration":
                                                                    {"set": True, "number": 90}}]}, expect=200)
    assert a["warnings"] == b["warnings"] == []
    same_state("POST /slurm/v0.0.44/reservations/", f"{CTL}/reservation/t-or-WHO")
    pair("DELETE", f"{CTL}/reservation/t-or-WHO", expect=200)


def test_a_held_job_updated_and_cancelled(pair, oracle, auth):
    def send_get(path):
        [job] = document(send(oracle, "GET", path, auth(ALICE)))["jobs"]
        return job

    job = {"name": "t-or-WHO", "script": "#!/bin/sh\nsleep 60", "current_working_directory": "/tmp",
           "environment": ["PATH=/bin:/usr/bin"], "priority": {"set": True, "number": 0}}
    a, b = pair("POST", f"{CTL}/job/submit", {"job": job}, user=ALICE, expect=200)
    assert a["warnings"] and b["warnings"]  # the held job's warnings, compared above
    paths = (f"{CTL}/job/{a['job_id']}", f"{CTL}/job/{b['job_id']}")
    theirs, ours = (send_get(path) for path in paths)
    for key in ("job_state", "state_reason", "priority", "hold"):
        assert theirs[key] == ours[key], key
    pair("POST", paths, {"time_limit": {"set": True, "number": 5}}, user=ALICE, expect=200,
         operation="POST /slurm/v0.0.44/job/{job_id}")
    theirs, ours = (send_get(path) for path in paths)
    assert theirs["time_limit"] == ours["time_limit"] == {"set": True, "infinite": False, "number": 5}
    pair("DELETE", paths, user=ALICE, expect=200, operation="DELETE /slurm/v0.0.44/job/{job_id}")
    theirs, ours = (send_get(path) for path in paths)
    assert theirs["job_state"] == ours["job_state"] and "CANCELLED" in ours["job_state"]


def test_writes_slurmdbd_denies_an_ordinary_user(pair):
    # the status slurmrestd of this release gives a refusal (25.11: 500)
    for path, body in ((f"{DB}/qos/", {"qos": [{"name": "t-or-deny-WHO"}]}),
                       (f"{DB}/accounts/", {"accounts": [{"name": "t-or-deny-WHO", "description": "d",
                                                          "organization": "o"}]})):
        a, b = pair("POST", path, body, user=ALICE)
        assert a["errors"] and b["errors"]


def test_host_lists(pair):
    for path, body in (("/util/v0.0.44/hostnames", {"hostlist": "n[1-3]"}),
                       ("/util/v0.0.44/hostlist", {"hostnames": ["n1", "n2", "n3"]})):
        a, b = pair("POST", path, body, expect=200)
        a.pop("meta", None), b.pop("meta", None)
        assert a == b


def _job(path_job_id: str, oracle, auth, user=ALICE) -> dict:
    [job] = document(send(oracle, "GET", f"{CTL}/job/{path_job_id}", auth(user)))["jobs"]
    return job


def test_an_allocation_signalled_then_cancelled(pair, oracle, auth):
    job = {"name": "t-or-WHO", "current_working_directory": "/tmp", "environment": ["PATH=/bin:/usr/bin"],
           "time_limit": {"set": True, "number": 5}, "cpus_per_task": 1, "memory_per_node": {"set": True,
                                                                                          "number": 100}}
    a, b = pair("POST", f"{CTL}/job/allocate", {"job": job}, user=ALICE, expect=200)
    assert set(a) - {"meta"} == set(b) - {"meta"}, (a, b)
    ids = (a["job_id"], b["job_id"])
    for key in ("job_state", "state_reason", "batch_flag", "time_limit", "memory_per_node", "cpus"):
        assert _job(ids[0], oracle, auth)[key] == _job(ids[1], oracle, auth)[key], key
    paths = tuple(f"{CTL}/job/{i}?signal=SIGUSR1" for i in ids)
    pair("DELETE", paths, user=ALICE, expect=200, operation="DELETE /slurm/v0.0.44/job/{job_id}")
    # several jobs at once, by a body: the caller's, and one slurmctld does not know
    a, b = pair("DELETE", f"{CTL}/jobs/", lambda who: {"signal": "SIGCONT",
                                                       "jobs": [str(ids["op".index(who)]), "99999999"]},
                user=ALICE, expect=200)
    assert [s["error"]["code"] for s in a["status"]] == [s["error"]["code"] for s in b["status"]]
    assert [s["job_id"] for s in a["status"]] == [s["job_id"] for s in b["status"]]
    # another user's job
    a, b = pair("DELETE", paths, user="srp_bob", operation="DELETE /slurm/v0.0.44/job/{job_id}")
    assert [s["error"]["code"] for s in a["status"]] == [s["error"]["code"] for s in b["status"]]
    assert [s["step_id"] for s in a["status"]] == [str(ids[0])] and \
        [s["step_id"] for s in b["status"]] == [str(ids[1])]
    pair("DELETE", tuple(f"{CTL}/job/{i}" for i in ids), user=ALICE, expect=200,
         operation="DELETE /slurm/v0.0.44/job/{job_id}")
    for key in ("job_state", "state_reason", "exit_code"):
        assert _job(ids[0], oracle, auth)[key] == _job(ids[1], oracle, auth)[key], key
    assert "CANCELLED" in _job(ids[1], oracle, auth)["job_state"]


def test_a_pending_job_signalled(pair, oracle, auth):
    job = {"name": "t-or-WHO", "script": "#!/bin/sh\nsleep 60", "current_working_directory": "/tmp",
           "environment": ["PATH=/bin:/usr/bin"], "priority": {"set": True, "number": 0}}
    a, b = pair("POST", f"{CTL}/job/submit", {"job": job}, user=ALICE, expect=200)
    paths = tuple(f"{CTL}/job/{i}?signal=SIGUSR1" for i in (a["job_id"], b["job_id"]))
    theirs, ours = pair("DELETE", paths, user=ALICE, operation="DELETE /slurm/v0.0.44/job/{job_id}")
    assert [s["error"] for s in theirs["status"]] == [s["error"] for s in ours["status"]]
    for key in ("job_state", "state_reason"):
        assert _job(a["job_id"], oracle, auth)[key] == _job(b["job_id"], oracle, auth)[key], key


def test_a_dynamic_node_created_updated_and_deleted(pair):
    names = {who: f"tor{TAG}{who}" for who in "op"}
    paths = lambda suffix: tuple(f"{CTL}/node/{names[who]}{suffix}" for who in "op")  # noqa: E731
    pair("POST", f"{CTL}/new/node/", lambda who: {"node_conf": f"NodeName={names[who]} CPUs=1 "
                                                               "RealMemory=100 State=FUTURE Feature=f1"},
         expect=200)
    operation = "POST /slurm/v0.0.44/node/{node_name}"
    read_back = lambda: same_state_nodes(pair, names)  # noqa: E731
    read_back()
    pair("POST", paths(""), {"comment": "oracle", "features": ["f1", "f2"], "weight": {"set": True, "number": 7}},
         expect=200, operation=operation)
    read_back()
    # slurmctld refuses available features that leave out an active one
    a, b = pair("POST", paths(""), {"features": ["f3"]}, operation=operation)
    assert a["errors"] and b["errors"]
    read_back()
    pair("POST", paths(""), {"state": ["DRAIN"], "reason": "t-or oracle"}, expect=200, operation=operation)
    read_back()
    # a node that does not exist, and one that is not dynamic
    pair("POST", (f"{CTL}/node/tor{TAG}x", f"{CTL}/node/tor{TAG}x"), {"comment": "x"}, operation=operation)
    pair("DELETE", (f"{CTL}/node/n1", f"{CTL}/node/n1"), operation="DELETE /slurm/v0.0.44/node/{node_name}")
    pair("DELETE", paths(""), expect=200, operation="DELETE /slurm/v0.0.44/node/{node_name}")
    a, b = pair("GET", paths(""), operation="GET /slurm/v0.0.44/node/{node_name}")
    assert a["errors"] and b["errors"]  # gone


def same_state_nodes(pair, names):
    """Both dynamic nodes read back (FUTURE ones are shown only when asked for)."""
    a, b = pair("GET", tuple(f"{CTL}/node/{names[who]}?flags=FUTURE" for who in "op"), expect=200,
                operation="GET /slurm/v0.0.44/node/{node_name}")
    ours = json.loads(json.dumps(b).replace(names["p"], names["o"]))
    found = differences("STATE POST /slurm/v0.0.44/node/{node_name}", a, ours)
    assert not found, "\n".join(found[:40])


def test_a_cluster_added_and_deleted(pair, same_state):
    pair("POST", f"{DB}/clusters/", {"clusters": [{"name": "tor-WHO"}]}, expect=200)
    same_state("POST /slurmdb/v0.0.44/clusters/", f"{DB}/cluster/tor-WHO")
    pair("POST", f"{DB}/clusters/", {"clusters": [{"name": "tor-WHO"}]})  # again
    a, b = pair("DELETE", f"{DB}/cluster/tor-WHO", expect=200)
    assert [c.replace(f"{TAG}-p", f"{TAG}-o") for c in b["deleted_clusters"]] == a["deleted_clusters"]
    same_state("DELETE /slurmdb/v0.0.44/cluster/", f"{DB}/cluster/tor-WHO")
    a, b = pair("DELETE", f"{DB}/cluster/tor-WHO")  # again: slurmrestd's 304 is in DIFFERENCES
    assert [w["description"] for w in b["warnings"]] == ["slurmdb_clusters_remove() found nothing"]
    a, b = pair("POST", f"{DB}/clusters/", {"clusters": [{"name": "tor-deny-WHO"}]}, user=ALICE)
    assert a["errors"] and b["errors"]


def test_tres(pair):
    for user in (ADMIN, ALICE):
        a, b = pair("POST", f"{DB}/tres/", {"TRES": [{"type": "gres", "name": "tor-WHO"}]}, user=user)
        assert a["errors"] and b["errors"]


def test_config_of_a_few_objects(pair, oracle, auth):
    # Only objects of the test's own: never the whole configuration (a
    # shared cluster's other writers). slurmrestd wants a clusters list.
    a, b = pair("POST", f"{DB}/config", {"qos": [{"name": "t-or-cfg-WHO", "description": "oracle config"}]})
    assert a["errors"][0]["error_number"] == 2162 and b["errors"] == []  # DIFFERENCES
    theirs = document(send(oracle, "GET", f"{DB}/qos/t-or-cfg-{TAG}-o", auth(ADMIN)))
    ours = document(send(oracle, "GET", f"{DB}/qos/t-or-cfg-{TAG}-p", auth(ADMIN)))
    assert theirs["qos"] == [] and [q["description"] for q in ours["qos"]] == ["oracle config"]
