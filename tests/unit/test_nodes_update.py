"""update_node_msg bodies into `scontrol update` words, and node_conf lines:
what scontrol can express is passed on exactly, everything else is refused
naming the field."""

import pytest

from server.convert.nodes_update import (
    Capabilities,
    InvalidField,
    STATE_WORDS,
    node_conf_names,
    update_words,
)


def words(body, **options):
    options.setdefault("caller", "root")
    options.setdefault("caller_uid", 0)
    options.setdefault("path_name", "n1")
    names, update = update_words(body, **options)
    return names, update.words, update.warnings


def refused(body, **options):
    with pytest.raises(InvalidField) as raised:
        words(body, **options)
    return raised.value


def test_every_field_scontrol_knows():
    names, argv, warnings = words({
        "comment": "a b=c", "extra": "x=1 y=2", "gres": "gpu:1",
        "features": ["fa", "fb"], "features_act": ["fa"],
        "address": ["10.0.0.1"], "hostname": ["h1"],
        "cpu_bind": 0x1 | 0x4, "weight": {"set": True, "infinite": False, "number": 7},
        "state": ["DRAIN"], "reason": "disk", "reason_uid": "root",
    })
    assert names == "n1" and warnings == []
    assert argv == ["Comment=a b=c", "Extra=x=1 y=2", "Gres=gpu:1", "AvailableFeatures=fa,fb",
                    "ActiveFeatures=fa", "NodeAddr=10.0.0.1", "NodeHostName=h1",
                    "CpuBind=verbose,cores", "Weight=7", 'Reason="disk"', "State=DRAIN"]


def test_reason_is_quoted_so_that_scontrol_keeps_its_own_quotes():
    assert words({"reason": '"quoted"', "state": ["DRAIN"]})[1] == ['Reason=""quoted""', "State=DRAIN"]
    assert words({"reason": "", "state": ["RESUME"]})[1] == ['Reason=""', "State=RESUME"]


def test_empty_lists_clear():
    assert words({"features": [], "features_act": []})[1] == ["AvailableFeatures=", "ActiveFeatures="]


@pytest.mark.parametrize("states,word", [(sorted(k), v) for k, v in STATE_WORDS.items()])
def test_states_scontrol_can_set(states, word):
    body = {"state": states, "reason": "r"}
    assert words(body)[1][-1] == f"State={word}"


@pytest.mark.parametrize("states", [["DOWN", "DRAIN"], ["REBOOT_ISSUED"], ["POWER_DRAIN"],
                                    ["PLANNED"], ["IDLE", "DRAIN"]])
def test_states_it_cannot(states):
    error = refused({"state": states, "reason": "r"})
    assert error.field == "state" and "+".join(states) in error.message


@pytest.mark.parametrize("state", ["DOWN", "DRAIN", "FAIL"])
def test_down_drain_and_fail_need_a_reason(state):
    assert refused({"state": [state]}).field == "reason"


def test_reason_uid_must_be_the_caller():
    assert words({"comment": "c", "reason_uid": "srp_alice"}, caller="srp_alice",
                 caller_uid=1001)[1] == ["Comment=c"]
    assert words({"comment": "c", "reason_uid": "1001"}, caller="srp_alice", caller_uid=1001)
    error = refused({"comment": "c", "reason_uid": "srp_bob"})
    assert error.field == "reason_uid" and "srp_bob" in error.message


def test_resume_after_needs_a_later_scontrol():
    body = {"state": ["DRAIN"], "reason": "r", "resume_after": {"set": True, "number": 60}}
    assert refused(body).field == "resume_after"
    later = Capabilities(resume_after=True)
    assert words(body, capabilities=later)[1][-1] == "ResumeAfter=60"
    body["resume_after"] = {"set": False, "infinite": True, "number": 0}
    assert words(body, capabilities=later)[1][-1] == "ResumeAfter=-1"
    body["state"] = ["IDLE"]
    assert refused(body, capabilities=later).field == "resume_after"
    # unset is "no change", on any Slurm
    assert words({"comment": "c", "resume_after": {"set": False, "infinite": False, "number": 0}})[1] == ["Comment=c"]


def test_weight():
    assert words({"weight": {"number": 3}})[1] == ["Weight=3"]
    assert refused({"weight": {"set": False, "infinite": True}}).field == "weight"
    assert refused({"weight": {"set": True, "number": -1}}).field == "weight"
    assert refused({"weight": 3}).field == "weight"


def test_cpu_bind():
    assert words({"cpu_bind": 0x20})[1] == ["CpuBind=none"]
    assert words({"cpu_bind": 0x80000})[1] == ["CpuBind=off"]
    assert words({"cpu_bind": 0x1})[1] == ["CpuBind=verbose"]
    assert refused({"cpu_bind": 0x40}).field == "cpu_bind"  # rank: not for nodes
    assert refused({"cpu_bind": 0x4 | 0x8}).field == "cpu_bind"  # two levels
    # 0 is slurmrestd's "no change": nothing left to do
    assert refused({"cpu_bind": 0}).field == "update_node_msg"


def test_fields_scontrol_cannot_set_and_unknown_fields():
    assert refused({"topology_str": "switch1"}).field == "topology_str"
    assert refused({"comment": "c", "cpus": 4}).field == "cpus"
    assert refused({}).field == "update_node_msg"
    assert refused({"address": []}).field == "address"
    assert refused({"features": [1]}).field == "features"
    assert refused({"comment": 5}).field == "comment"


def test_names_of_post_nodes_and_post_node():
    names, _ = update_words({"name": ["n1", "n[2-3]", "n[5,7]"], "comment": "c"}, caller="root")
    assert names == "n1,n[2-3],n[5,7]"
    with pytest.raises(InvalidField) as raised:
        update_words({"comment": "c"}, caller="root")
    assert raised.value.field == "name"
    # POST /node/{name}: the path decides; another name is ignored, and said so
    names, _, warnings = words({"name": ["n2"], "comment": "c"}, path_name="n1")
    assert names == "n1"
    assert warnings == ["node_names field n2 ignored for singular node update"]
    assert words({"name": ["n1"], "comment": "c"}, path_name="n1")[2] == []


def test_node_conf():
    assert node_conf_names("NodeName=d[1-2] CPUs=2 State=FUTURE") == "d[1-2]"
    assert node_conf_names("  nodename=d1 State=CLOUD ") == "d1"
    for bad in ("", "   ", "CPUs=2 NodeName=d1", "NodeName=d1\nNodeName=d2", None, 5):
        with pytest.raises(InvalidField) as raised:
            node_conf_names(bad)
        assert raised.value.field == "node_conf"
