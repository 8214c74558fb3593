"""Associations as Slurm 22.05.8's sacctmgr printed them (recorded by
tests/data/slurm-22.05/associations/capture.sh) into v0.0.44 `assoc`
objects, and v0.0.44 objects into sacctmgr settings."""

import json

import pytest

from server.convert import associations as convert
from server.convert import tres as tres_convert
from server.convert.sacctmgr_text import rows
from server.convert.sacctmgr_values import FieldError
from server.convert.tres import TresTable
from tests.schemas import RECORDED_DIR, reference_as_meant, validate_response
from tests.unit.test_associations_fakes import recorded, recorded_change

KEYS = [key for key, _ in convert.FIELDS]
PATH = "/slurmdb/v0.0.44/associations/"


def table():
    return TresTable([tres_convert.from_row(r)
                      for r in rows(recorded("associations/tres.txt"), [k for k, _ in tres_convert.FIELDS])])


def shown(name="associations/show.txt"):
    return rows(recorded(name), KEYS)


def converted(name="associations/show.txt"):
    accounts = convert.lineages(rows(recorded("associations/tree.txt"), [k for k, _ in convert.TREE_FIELDS]))
    defaults = set(recorded("associations/defaults.txt").split())
    return [convert.from_row(row, table(), lineage=convert.lineage_of(row, accounts),
                             is_default=row["id"] in defaults) for row in shown(name)]


def by_id(assocs, number):
    return next(a for a in assocs if a["id"] == number and a["cluster"] == "srp")


def test_format_asks_for_every_field_once():
    names = [name.lower() for _, name in convert.FIELDS]
    assert len(names) == len(set(names)) == len(shown()[0])
    assert {limit[3] for limit in convert.LIMITS} <= {name for _, name in convert.FIELDS}


def test_every_limit_lands_where_v0_0_44_keeps_it():
    top = by_id(converted(), 26)
    assert (top["account"], top["user"], top["parent_account"]) == ("t-acct-cap-top", "", "root")
    jobs = top["max"]["jobs"]
    number = lambda struct: struct["number"] if struct["set"] else None  # noqa: E731
    assert number(jobs["per"]["count"]) == 6  # GrpJobs
    assert number(jobs["per"]["accruing"]) == 3  # GrpJobsAccrue
    assert number(jobs["per"]["submitted"]) == 9  # GrpSubmitJobs
    assert number(jobs["per"]["wall_clock"]) == 2 * 1440 + 3 * 60 + 5  # MaxWall 2-03:05:00
    assert number(jobs["active"]) == 11  # MaxJobs
    assert number(jobs["accruing"]) == 4  # MaxJobsAccrue
    assert number(jobs["total"]) == 8  # MaxSubmitJobs
    assert number(top["max"]["per"]["account"]["wall_clock"]) == 10  # GrpWall 00:10:00
    assert number(top["min"]["priority_threshold"]) == 7
    assert number(top["priority"]) == 5
    assert top["shares_raw"] == 20
    assert top["qos"] == ["normal"] and top["default"] == {"qos": "normal"}
    tres = top["max"]["tres"]
    counts = lambda items: {t["type"] + ("/" + t["name"] if t["name"] else ""): t["count"] for t in items}  # noqa: E731
    assert counts(tres["total"]) == {"cpu": 8, "mem": 2048, "node": 2, "billing": 7,
                                     "fs/disk": 3221225472}
    assert [t["id"] for t in tres["total"]] == [1, 2, 4, 5, 6]  # in ID order, as slurmrestd
    assert counts(tres["group"]["minutes"]) == {"cpu": 1000, "mem": 5000}
    assert counts(tres["group"]["active"]) == {"cpu": 500}
    assert counts(tres["minutes"]["per"]["job"]) == {"cpu": 60}
    assert counts(tres["per"]["job"]) == {"cpu": 2, "mem": 1500}
    assert counts(tres["per"]["node"]) == {"cpu": 1}
    assert tres["minutes"]["total"] == []


def test_unset_limits_are_infinite_as_slurmrestd_prints_them():
    root = by_id(converted(), 1)
    assert root["max"]["jobs"]["active"] == {"set": False, "infinite": True, "number": 0}
    assert root["priority"] == {"set": False, "infinite": True, "number": 0}
    assert root["parent_account"] == "" and root["lineage"] == "/"


def test_fairshare_parent_and_inherited_limits():
    sub = by_id(converted(), 27)
    assert sub["shares_raw"] == convert.SHARES_USE_PARENT
    # Without woplimits, sacctmgr shows what a child inherits (as slurmrestd does).
    assert sub["max"]["jobs"]["active"]["number"] == 11
    own = by_id(converted("associations/show-woplimits.txt"), 27)
    assert own["max"]["jobs"]["active"]["set"] is False


def test_lineage_default_and_parent_of_users():
    assocs = converted()
    user = by_id(assocs, 28)
    assert (user["lineage"], user["is_default"], user["parent_account"]) == \
        ("/t-acct-cap-top/0-t-user-cap-a/", True, "")
    partition = by_id(assocs, 29)
    assert partition["partition"] == "debug" and partition["is_default"] is False
    assert partition["lineage"] == "/t-acct-cap-top/t-acct-cap-sub/0-t-user-cap-a/debug/"
    assert by_id(assocs, 27)["lineage"] == "/t-acct-cap-top/t-acct-cap-sub/"


def test_keys_are_those_of_real_slurmrestd_output_in_its_order():
    real = json.loads((RECORDED_DIR / "slurm-25.11" / "0.0.44" / "slurmdb-associations.json").read_text())
    mine, theirs = converted()[0], real["associations"][0]

    def shape(value):
        return {k: shape(v) for k, v in value.items()} if isinstance(value, dict) else None

    assert list(mine) == list(theirs)
    assert json.dumps(shape(mine)) == json.dumps(shape(theirs))


def test_converted_records_validate_against_schedmds_description():
    body = {"associations": converted() + converted("associations/show-woplimits.txt"),
            "meta": {}, "errors": [], "warnings": []}
    validate_response(reference_as_meant("v0.0.44"), "get", PATH, body)


def test_the_validation_above_can_fail():
    bad = converted()[0]
    bad["shares_raw"] = "twenty"
    with pytest.raises(AssertionError, match="shares_raw"):
        validate_response(reference_as_meant("v0.0.44"), "get", PATH, {"associations": [bad]})


def test_short_form():
    assert convert.short(by_id(converted(), 29)) == {
        "account": "t-acct-cap-sub", "cluster": "srp", "partition": "debug",
        "user": "t-user-cap-a", "id": 29}


# -- writing ------------------------------------------------------------------


def test_settings_of_a_new_association():
    assoc = {
        "account": "a", "cluster": "srp", "user": "",
        "max": {"jobs": {"active": {"set": True, "infinite": False, "number": 4},
                         "per": {"wall_clock": {"set": True, "number": 90},
                                 "count": {"infinite": True}},
                         "total": {"set": False, "infinite": False, "number": 0}},
                "tres": {"total": [{"type": "cpu", "count": 8}, {"type": "mem", "count": 2048},
                                   {"type": "fs", "name": "disk", "count": 5}],
                         "per": {"node": [{"id": 1, "count": 2}]}},
                "per": {"account": {"wall_clock": {"set": True, "number": 1500}}}},
        "priority": {"set": True, "number": 7},
        "shares_raw": convert.SHARES_USE_PARENT,
        "qos": ["normal"], "default": {"qos": "normal"},
    }
    assert convert.settings(assoc, table(), "associations[0]") == [
        "GrpJobs=-1", "MaxWall=01:30:00", "MaxJobs=4", "GrpTRES=cpu=8,mem=2048,fs/disk=5",
        "MaxTRESPerNode=cpu=2", "GrpWall=1-01:00:00", "Priority=7", "Fairshare=parent",
        "QOS=normal", "DefaultQOS=normal"]


def test_settings_of_a_change_replace_every_tres_limit():
    """As slurmrestd: the TRES lists given are the new limits whole; the
    scalar limits not given stay as they are."""
    now = by_id(converted("associations/show-woplimits.txt"), 26)
    change = {"max": {"tres": {"total": [{"type": "cpu", "count": 16}]}}}
    found = convert.settings(change, table(), "associations[0]", current=now)
    assert "GrpTRES=cpu=16,mem=-1,node=-1,billing=-1,fs/disk=-1" in found
    assert "GrpTRESMins=cpu=-1,mem=-1" in found
    assert "MaxTRES=cpu=-1,mem=-1" in found
    assert not any(s.startswith(("MaxJobs=", "GrpJobs=", "Priority=")) for s in found)
    nothing_now = by_id(converted("associations/show-woplimits.txt"), 30)
    assert convert.settings({}, table(), "x", current=nothing_now) == []


def test_empty_qos_and_default_qos_clear_them():
    found = convert.settings({"qos": [], "default": {"qos": ""}}, table(), "x")
    assert found == ["QOS=", "DefaultQOS=-1"]


@pytest.mark.parametrize("assoc, field", [
    ({"max": {"jobs": {"active": {"set": True, "number": -3}}}}, "x.max.jobs.active"),
    ({"max": {"jobs": {"active": {"number": "many"}}}}, "x.max.jobs.active"),
    ({"max": {"tres": {"total": [{"type": "bogus", "count": 1}]}}}, "x.max.tres.total[0]"),
    ({"max": {"tres": {"total": [{"type": "cpu"}]}}}, "x.max.tres.total[0].count"),
    ({"shares_raw": -1}, "x.shares_raw"),
    ({"qos": ["a,b"]}, "x.qos[0]"),
    ({"default": {"qos": 3}}, "x.default.qos"),
])
def test_bad_values_name_their_field(assoc, field):
    with pytest.raises(FieldError) as caught:
        convert.settings(assoc, table(), "x")
    assert caught.value.field == field


def test_settings_of_an_assoc_rec_set():
    rec = {"grpjobs": {"set": True, "number": 5}, "maxwalldurationperjob": {"set": True, "number": 60},
           "grptres": [{"type": "cpu", "count": 4}], "fairshare": 9, "qoslevel": ["normal"],
           "defaultqos": "normal", "priority": {"infinite": True}}
    assert convert.rec_set_settings(rec, table(), "association") == [
        "GrpJobs=5", "MaxWall=01:00:00", "GrpTRES=cpu=4", "Priority=-1", "Fairshare=9",
        "QOS=normal", "DefaultQOS=normal"]


def test_what_a_removal_printed():
    lines = recorded_change("associations/delete-user-last").stdout.splitlines()
    assert convert.removed(lines) == ["C = srp        A = t-acct-cap-sub U = t-user-cap-b"]
    assert convert.users_removed_with(lines) == ["t-user-cap-b"]
    lines = recorded_change("associations/delete-account-assoc").stdout.splitlines()
    assert convert.removed(lines) == ["C = srp        A = t-acct-cap-sub of t-acct-cap-top"]
    assert convert.removed(recorded_change("associations/delete-nothing").stdout.splitlines()) == []
