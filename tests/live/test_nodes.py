"""The nodes operations of v0.0.44 against the live cluster: reading nodes,
draining and resuming one, changing dynamic nodes, creating and deleting
them, and what an unprivileged user and bad input get. Every response is
validated against SchedMD's reference description.

Objects this module creates are dynamic nodes named t-nodes-*; a real node
(an idle one of n[1-3]) is drained for a few seconds and resumed."""

import time
import uuid

import pytest

from conftest import ADMIN, ALICE, API
from tests.schemas import reference_as_meant, validate_response

NODES = f"{API}/nodes/"
NODE = f"{API}/node/{{node_name}}"
NEW = f"{API}/new/node/"


def reference():
    return reference_as_meant("v0.0.44")


def check(response, method, template, status=200):
    assert response.status_code == status, response.text
    body = response.json()
    validate_response(reference(), method, template, body, status=status)
    return body


def scontrol_nodes(cluster, names=None, options=("--all", "--details")):
    """{name: the node's `scontrol -o` line} of the nodes scontrol shows."""
    out = cluster.run("scontrol", "-o", *options, "show", "node", *([names] if names else []),
                      check=False).stdout
    return {line.split()[0].split("=", 1)[1]: line for line in out.splitlines()
            if line.startswith("NodeName=")}


def get_node(api, auth, name, **params):
    response = api.get(f"{API}/node/{name}", params=params, headers=auth(ADMIN))
    body = check(response, "get", NODE)
    return body["nodes"][0] if body["nodes"] else None


def delete_quietly(cluster, *names):
    for name in names:
        cluster.run("scontrol", "delete", f"nodename={name}", check=False)


@pytest.fixture
def dynamic(cluster):
    """Names for dynamic nodes of this test, removed afterwards whatever happens."""
    tag = uuid.uuid4().hex[:6]
    names = [f"t-nodes-{tag}-{i}" for i in (1, 2)]
    yield names
    delete_quietly(cluster, *names)


@pytest.fixture
def idle_node(cluster):
    """A real node that is idle and has no reason set; resumed afterwards if a
    test left it drained or down."""
    for name, line in scontrol_nodes(cluster, "n[1-3]").items():
        if " State=IDLE " in line and "Reason=" not in line:
            break
    else:
        pytest.skip("no node of n[1-3] is idle and free of reasons to borrow")
    yield name
    line = scontrol_nodes(cluster, name).get(name, "")
    if "DRAIN" in line or "State=DOWN" in line:
        cluster.run("scontrol", "update", f"nodename={name}", "state=resume", check=False)


def scontrol_field(line: str, key: str) -> str:
    """The value of one key=value word of a `scontrol -o show node` line."""
    return line.split(f" {key}=", 1)[1].split()[0]


def test_nodes_lists_what_scontrol_lists(api, auth, cluster):
    shown = scontrol_nodes(cluster, "n1")["n1"]
    body = check(api.get(NODES, headers=auth(ALICE)), "get", NODES)  # any user may read nodes
    assert body["errors"] == [] and body["warnings"] == []
    assert {node["name"] for node in body["nodes"]} == set(scontrol_nodes(cluster))
    n1 = next(node for node in body["nodes"] if node["name"] == "n1")
    assert n1["cpus"] == 2 and n1["real_memory"] == 1000
    assert n1["partitions"] == ["debug"]
    # each cluster's slurmd ports are its own (17001-3 and 17011-3 here)
    assert n1["port"] == int(scontrol_field(shown, "Port")) and n1["address"] == "127.0.0.1"
    assert n1["tres"].startswith("cpu=2,mem=1000M")
    assert n1["version"] == scontrol_field(shown, "Version")
    assert n1["version"].startswith(cluster.release + ".")
    assert n1["boot_time"]["set"] and n1["boot_time"]["number"] > 1_600_000_000
    assert body["meta"]["plugin"]["type"] == "openapi/slurmctld"


def test_update_time_is_not_applied_and_says_so(api, auth, cluster):
    body = check(api.get(NODES, params={"update_time": "1"}, headers=auth(ADMIN)), "get", NODES)
    assert {node["name"] for node in body["nodes"]} == set(scontrol_nodes(cluster))
    assert [w["description"] for w in body["warnings"]] == [
        "update_time is not applied: every node is listed"]


def test_node_by_name(api, auth, cluster):
    body = check(api.get(f"{API}/node/n2", headers=auth(ALICE)), "get", NODE)
    [node] = body["nodes"]
    port = int(scontrol_field(scontrol_nodes(cluster, "n2")["n2"], "Port"))
    assert node["name"] == "n2" and node["port"] == port


def test_unknown_node_answers_as_slurmrestd(api, auth):
    # slurmrestd: status 200, error numbered 0; plus the empty properties the
    # schema requires (x-slurmrestpy-note of GET /node/{node_name}).
    body = check(api.get(f"{API}/node/t-nodes-nosuch", headers=auth(ADMIN)), "get", NODE)
    assert body["nodes"] == []
    [error] = body["errors"]
    assert error["description"] == "Failure to query node t-nodes-nosuch"
    assert error["error_number"] == 0
    # a hostlist expression is not a node name
    body = check(api.get(f"{API}/node/n[1-2]", headers=auth(ADMIN)), "get", NODE)
    assert body["nodes"] == [] and body["errors"]


def test_drain_and_resume_a_node(api, auth, cluster, idle_node):
    started = int(time.time())
    reason = f"t-nodes live test {uuid.uuid4().hex[:6]}: bad DIMM Slot=3"
    response = api.post(f"{API}/node/{idle_node}", json={"state": ["DRAIN"], "reason": reason},
                        headers=auth(ADMIN))
    body = check(response, "post", NODE)
    assert body["errors"] == []
    node = get_node(api, auth, idle_node)
    assert "DRAIN" in node["state"] and "IDLE" in node["state"]
    assert node["reason"] == reason
    assert node["reason_set_by_user"] == ADMIN
    assert node["reason_changed_at"]["set"] and node["reason_changed_at"]["number"] >= started - 1
    assert reason in scontrol_nodes(cluster, idle_node)[idle_node]

    check(api.post(f"{API}/node/{idle_node}", json={"state": ["RESUME"]}, headers=auth(ADMIN)),
          "post", NODE)
    node = get_node(api, auth, idle_node)
    assert "DRAIN" not in node["state"] and node["reason"] == ""
    # slurmctld pings a resumed node: NOT_RESPONDING until its slurmd answers
    deadline = time.monotonic() + 30
    while node["state"] != ["IDLE"] and time.monotonic() < deadline:
        time.sleep(1)
        node = get_node(api, auth, idle_node)
    assert node["state"] == ["IDLE"]


def test_an_unprivileged_user_may_not_change_a_node(api, auth, cluster):
    before = scontrol_nodes(cluster, "n1")["n1"]
    response = api.post(f"{API}/node/n1", json={"comment": "t-nodes alice was here"},
                        headers=auth(ALICE))
    body = check(response, "post", NODE, status=500)  # slurmrestd's status for this error
    [error] = body["errors"]
    assert error["error_number"] == 2010 and error["error"] == "Invalid user id"
    assert "n1" in error["description"]
    assert scontrol_nodes(cluster, "n1")["n1"].split("LastBusyTime")[0] == before.split("LastBusyTime")[0]


@pytest.mark.parametrize("body,field", [
    ({"state": ["DOWN", "DRAIN"], "reason": "t-nodes"}, "state"),
    ({"state": ["DRAIN"]}, "reason"),
    ({"state": ["IDLE"], "resume_after": {"set": True, "number": 60}}, "resume_after"),
    ({"comment": "t-nodes", "reason_uid": "srp_bob"}, "reason_uid"),
    ({"comment": "t-nodes", "cpus": 4}, "cpus"),
    ({"topology_str": "switch1"}, "topology_str"),
    ({}, "update_node_msg"),
])
def test_what_scontrol_cannot_apply_is_refused_before_anything_runs(api, auth, cluster, body, field):
    before = scontrol_nodes(cluster, "n1")["n1"]
    response = api.post(f"{API}/node/n1", json=body, headers=auth(ADMIN))
    answer = check(response, "post", NODE, status=400)
    [error] = answer["errors"]
    assert f"'{field}'" in error["description"]
    assert error["error_number"] == 9001
    after = scontrol_nodes(cluster, "n1")["n1"]
    assert "DRAIN" not in after and "Comment=" not in after
    assert after.split(" State=")[1].split()[0] == before.split(" State=")[1].split()[0]


def test_a_drain_that_ends_by_itself(api, auth, cluster, idle_node):
    """ResumeAfter= came with Slurm 23.02: 22.05's scontrol cannot schedule the
    resume, so the request is refused whole; a current one drains the node
    and slurmctld records when it resumes."""
    before = scontrol_nodes(cluster, idle_node)[idle_node]
    asked = int(time.time())
    response = api.post(f"{API}/node/{idle_node}", headers=auth(ADMIN), json={
        "state": ["DRAIN"], "reason": "t-nodes resume after", "resume_after": {"set": True, "number": 600}})
    after = scontrol_nodes(cluster, idle_node)[idle_node]
    if not cluster.current:
        [error] = check(response, "post", NODE, status=400)["errors"]
        assert "'resume_after'" in error["description"] and error["error_number"] == 9001
        assert "DRAIN" not in after
        assert scontrol_field(after, "State") == scontrol_field(before, "State")
        return
    assert check(response, "post", NODE)["errors"] == []
    assert "DRAIN" in scontrol_field(after, "State")
    node = get_node(api, auth, idle_node)
    assert node["reason"] == "t-nodes resume after"
    resume = node["resume_after"]
    assert resume["set"] and asked + 600 - 5 <= resume["number"] <= int(time.time()) + 600 + 5


def test_request_body_of_the_wrong_type_is_refused(api, auth):
    response = api.post(f"{API}/node/n1", json={"state": "DRAIN"}, headers=auth(ADMIN))
    check(response, "post", NODE, status=400)


def test_update_of_a_node_that_does_not_exist(api, auth):
    body = check(api.post(f"{API}/node/t-nodes-nosuch", json={"comment": "x"}, headers=auth(ADMIN)),
                 "post", NODE, status=500)
    assert body["errors"][0]["error_number"] == 2018  # Invalid node name specified


def test_dynamic_nodes_created_changed_and_deleted(api, auth, cluster, dynamic):
    first, second = dynamic
    expression = f"{first[:-2]}-[1-2]"
    created = api.post(NEW, json={"node_conf": f"NodeName={expression} CPUs=1 RealMemory=100 "
                                               "State=FUTURE Features=fa,fb"},
                       headers=auth(ADMIN))
    assert check(created, "post", NEW)["errors"] == []
    assert set(scontrol_nodes(cluster, expression, options=("--future",))) == {first, second}

    # FUTURE nodes are shown only when asked for, as slurmctld decides
    listed = check(api.get(NODES, headers=auth(ADMIN)), "get", NODES)
    assert first not in {node["name"] for node in listed["nodes"]}
    listed = check(api.get(NODES, params={"flags": "FUTURE"}, headers=auth(ADMIN)), "get", NODES)
    assert {first, second} <= {node["name"] for node in listed["nodes"]}
    assert get_node(api, auth, first) is None
    node = get_node(api, auth, first, flags="FUTURE")
    assert node["state"] == ["FUTURE", "DYNAMIC_NORM"]
    assert node["cpus"] == 1 and node["real_memory"] == 100 and node["features"] == ["fa", "fb"]

    change = {"name": [first, second], "comment": "t-nodes comment Extra=not-extra",
              "extra": "x=1 y=2", "features_act": ["fa"], "cpu_bind": 0x4,
              "weight": {"set": True, "infinite": False, "number": 7}}
    check(api.post(NODES, json=change, headers=auth(ADMIN)), "post", NODES)
    for name in (first, second):
        node = get_node(api, auth, name, flags="FUTURE")
        assert node["comment"] == "t-nodes comment Extra=not-extra"
        assert node["extra"] == "x=1 y=2"
        assert node["active_features"] == ["fa"] and node["features"] == ["fa", "fb"]
        assert node["cpu_binding"] == 0x4 and node["weight"] == 7

    # one unknown name among them: slurmctld refuses the whole update
    refused = api.post(NODES, json={"name": [first, "t-nodes-nosuch"], "comment": "changed"},
                       headers=auth(ADMIN))
    assert check(refused, "post", NODES, status=500)["errors"][0]["error_number"] == 2018
    assert get_node(api, auth, first, flags="FUTURE")["comment"] == "t-nodes comment Extra=not-extra"

    # a list to delete with a static node in it: nothing is deleted
    mixed = api.delete(f"{API}/node/{first},n1", headers=auth(ADMIN))
    assert "not dynamic" in check(mixed, "delete", NODE, status=500)["errors"][0]["description"]
    assert first in scontrol_nodes(cluster, first, options=("--future",))

    # an unprivileged user may not delete it
    denied = api.delete(f"{API}/node/{first}", headers=auth(ALICE))
    assert check(denied, "delete", NODE, status=500)["errors"][0]["error_number"] == 2010
    assert first in scontrol_nodes(cluster, first, options=("--future",))

    check(api.delete(f"{API}/node/{first}", headers=auth(ADMIN)), "delete", NODE)
    assert get_node(api, auth, first, flags="FUTURE") is None
    check(api.delete(f"{API}/node/{second}", headers=auth(ADMIN)), "delete", NODE)
    assert scontrol_nodes(cluster, expression, options=("--future",)) == {}

    gone = api.delete(f"{API}/node/{first}", headers=auth(ADMIN))
    assert check(gone, "delete", NODE, status=500)["errors"][0]["error_number"] == 2018


def test_creating_a_node_that_exists_changes_nothing(api, auth, cluster):
    # 22.05 itself answers success and does nothing; slurmrestpy says so.
    before = scontrol_nodes(cluster, "n1")["n1"]
    response = api.post(NEW, json={"node_conf": "NodeName=n1 State=FUTURE CPUs=1"}, headers=auth(ADMIN))
    [error] = check(response, "post", NEW, status=500)["errors"]
    assert "n1 already exist" in error["description"]
    assert error["error"] == "Node already exists in the node table"
    after = scontrol_nodes(cluster, "n1")["n1"]
    assert after.split(" State=")[1].split()[0] == before.split(" State=")[1].split()[0]
    assert "CPUTot=2" in after


@pytest.mark.parametrize("line,number,text", [
    # scontrol's own words, which differ by release (25.11 adds EXTERNAL nodes)
    ("State=IDLE", 2028, {"22.05": "Only State=FUTURE and State=CLOUD allowed",
                          "25.11": "Only State=FUTURE, CLOUD, or EXTERNAL allowed"}),
    ("State=FUTURE Bogus=1", -1, {"22.05": "Failed to parse nodeline", "25.11": "Failed to parse nodeline"}),
])
def test_node_lines_slurm_refuses(api, auth, cluster, dynamic, line, number, text):
    response = api.post(NEW, json={"node_conf": f"NodeName={dynamic[0]} {line}"}, headers=auth(ADMIN))
    [error] = check(response, "post", NEW, status=500)["errors"]
    assert error["error_number"] == number and text[cluster.release] in error["description"]
    assert scontrol_nodes(cluster, dynamic[0], options=("--future",)) == {}


@pytest.mark.parametrize("body", [{"node_conf": "State=FUTURE CPUs=1"}, {"node_conf": ""},
                                  {"node_conf": "NodeName=t-nodes-a State=FUTURE\nNodeName=t-nodes-b"}])
def test_node_lines_that_are_not_one_node_definition(api, auth, body):
    response = api.post(NEW, json=body, headers=auth(ADMIN))
    [error] = check(response, "post", NEW, status=400)["errors"]
    assert "'node_conf'" in error["description"]


def test_an_unprivileged_user_may_not_create_a_node(api, auth, cluster, dynamic):
    response = api.post(NEW, json={"node_conf": f"NodeName={dynamic[0]} State=FUTURE"},
                        headers=auth(ALICE))
    [error] = check(response, "post", NEW, status=500)["errors"]
    assert error["error_number"] == 2010
    assert scontrol_nodes(cluster, dynamic[0], options=("--future",)) == {}


def test_a_cloud_node_is_created_and_deleted_though_slurmctld_hides_it(api, auth, cluster, dynamic):
    response = api.post(NEW, json={"node_conf": f"NodeName={dynamic[0]} State=CLOUD CPUs=1"},
                        headers=auth(ADMIN))
    body = check(response, "post", NEW)
    assert body["errors"] == []
    if cluster.current:
        # a current slurmctld lists powered-down cloud nodes: nothing to warn of
        assert body["warnings"] == []
        node = get_node(api, auth, dynamic[0])
        assert {"CLOUD", "POWERED_DOWN"} <= set(node["state"]) and node["cpus"] == 1
    else:
        [warning] = body["warnings"]
        assert dynamic[0] in warning["description"] and "PrivateData=cloud" in warning["description"]
    check(api.delete(f"{API}/node/{dynamic[0]}", headers=auth(ADMIN)), "delete", NODE)
    # deleted indeed: a second delete finds nothing
    again = api.delete(f"{API}/node/{dynamic[0]}", headers=auth(ADMIN))
    assert check(again, "delete", NODE, status=500)["errors"][0]["error_number"] == 2018
