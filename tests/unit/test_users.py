"""Users as Slurm 22.05.8's sacctmgr printed them (recorded by
tests/data/slurm-22.05/associations/capture.sh) into v0.0.44 `user`
objects, and POST/DELETE of users against recorded answers."""

import pytest

from server.convert import users as convert
from server.convert.sacctmgr_text import rows
from server.convert.sacctmgr_values import FieldError
from server.slurmdb.users import add_users_with_assocs, delete_user, read_users, write_users
from tests.schemas import reference_as_meant, validate_response
from tests.unit.test_associations_fakes import (
    FakeCall,
    error_of,
    ok,
    recorded,
    recorded_change,
    run,
    shows,
)

KEYS = [key for key, _ in convert.FIELDS]
ASSOCS = ("srp|t-acct-cap-top||\nsrp|t-acct-cap-top|t-user-cap-a|\nsrp|t-acct-cap-sub||\n"
          "srp|t-acct-cap-sub|t-user-cap-a|debug\nsrp|t-acct-cap-sub|t-user-cap-b|\nsrp|research||\n")


def test_rows_become_users_in_slurmrestds_order():
    [root, a, b] = [convert.from_row(r) for r in rows(recorded("users/show.txt"), KEYS)]
    assert root == {"administrator_level": ["Administrator"], "associations": [], "coordinators": [],
                    "default": {"account": "root", "wckey": ""}, "flags": [], "name": "root",
                    "wckeys": []}
    assert b["administrator_level"] == ["Operator"] and a["administrator_level"] == ["None"]
    assert convert.from_row(rows(recorded("users/show.txt"), KEYS)[1], without_defaults=True)["default"] == {}
    assert convert.admin_level("") == "Not Set"


def users_slurm(refuse=None):
    def answer(argv):
        entity = shows(argv)
        if entity == "users":
            text = recorded("users/show-withcoordinators.txt" if "withcoordinators" in argv
                            else "users/show.txt")
            wanted = next((a[len("names="):].split(",") for a in argv if a.startswith("names=")), None)
            if wanted is not None:
                text = "".join(line + "\n" for line in text.splitlines() if line.split("|")[0] in wanted)
            return ok(text)
        if entity == "accounts":
            return ok(recorded("accounts/show-withcoordinators.txt"))
        if entity == "account":
            return ok("root\nresearch\nt-acct-cap-alone\nt-acct-cap-sub\nt-acct-cap-top\n")
        if entity == "associations":
            if "format=Cluster,Account,ParentName" in argv:
                return ok(recorded("associations/tree.txt"))
            if "format=ID" in argv:
                return ok(recorded("associations/defaults.txt"))
            if "format=Cluster,Account,User,Partition" in argv:
                return ok(ASSOCS)
            return ok(recorded("associations/show.txt"))
        if entity == "wckeys":
            return ok("wk1|srp|t-user-cap-a|3\n")
        if entity == "cluster":
            return ok("srp\nt-clu-probe\n")
        if entity == "tres":
            return ok(recorded("associations/tres.txt"))
        if refuse and refuse in argv:
            return recorded_change("users/add-user-denied")
        return ok(" Done\n")

    return FakeCall(answer)


def test_read_with_everything():
    call = users_slurm()
    found = run(read_users(call, names=["t-user-cap-a"], with_assocs=True, with_coords=True, with_wckeys=True))
    [a] = found
    assert a["coordinators"] == [{"name": "t-acct-cap-sub", "direct": False},
                                 {"name": "t-acct-cap-top", "direct": True}]
    assert [(s["account"], s["partition"], s["id"]) for s in a["associations"]] == [
        ("t-acct-cap-top", "", 28), ("t-acct-cap-sub", "debug", 29)]
    assert a["wckeys"] == [{"accounting": [], "cluster": "srp", "id": 3, "name": "wk1",
                            "user": "t-user-cap-a", "flags": []}]
    validate_response(reference_as_meant("v0.0.44"), "get", "/slurmdb/v0.0.44/users/", {"users": found})


def test_a_new_user_without_an_account_has_no_association():
    # as slurmrestd adds it; sacctmgr needs an account or a WCKey to add a user
    call = users_slurm()
    run(write_users(call, [{"name": "t-user-cap-new"}]))
    assert call.changes == [
        ["sacctmgr", "-i", "add", "user", "Names=t-user-cap-new", "WCKeys=slurmrestpy-new-user", "Cluster=srp"],
        ["sacctmgr", "-i", "delete", "user", "where", "Name=t-user-cap-new", "WCKeys=slurmrestpy-new-user"]]
    call = users_slurm()
    run(write_users(call, [{"name": "t-user-cap-new", "default": {"wckey": "w"},
                            "administrator_level": ["Operator"]}]))
    assert call.changes == [["sacctmgr", "-i", "add", "user", "Names=t-user-cap-new", "WCKeys=w", "Cluster=srp",
                             "AdminLevel=Operator", "DefaultWCKey=w"]]


def test_a_new_user_with_an_account_is_added_with_an_association():
    call = users_slurm()
    run(write_users(call, [{"name": "t-user-cap-new", "default": {"account": "research", "wckey": "w"},
                            "administrator_level": ["Operator"]}]))
    assert call.changes == [["sacctmgr", "-i", "add", "user", "Name=t-user-cap-new", "Account=research",
                             "Cluster=srp", "AdminLevel=Operator", "DefaultWCKey=w"]]


def test_a_known_user_gets_what_differs():
    call = users_slurm()
    run(write_users(call, [
        {"name": "t-user-cap-a", "administrator_level": ["Administrator"],
         "default": {"account": "t-acct-cap-sub"}},
        {"name": "t-user-cap-b", "administrator_level": ["Operator"], "default": {"account": "t-acct-cap-sub"}},
    ]))
    assert call.changes == [
        ["sacctmgr", "-i", "modify", "user", "where", "Name=t-user-cap-a", "set", "AdminLevel=Administrator"],
        # Only on the clusters where the user has an association to the account.
        ["sacctmgr", "-i", "modify", "user", "where", "Name=t-user-cap-a", "Clusters=srp", "set",
         "DefaultAccount=t-acct-cap-sub"],
    ]


def test_rename():
    call = users_slurm()
    run(write_users(call, [{"name": "t-user-cap-z", "old_name": "t-user-cap-b"}]))
    assert call.changes == [["sacctmgr", "-i", "modify", "user", "where", "Name=t-user-cap-b", "set",
                             "NewName=t-user-cap-z"]]
    error = error_of(write_users(users_slurm(), [{"name": "t-user-cap-a", "old_name": "t-user-cap-b"}]))
    assert error.status == 400 and "exists already" in error.description


def test_coordinators_and_associations_are_not_set_through_users():
    call = users_slurm()
    run(write_users(call, [{"name": "t-user-cap-b", "coordinators": [{"name": "t-acct-cap-top"}],
                            "associations": [{"user": "t-user-cap-b", "account": "root"}]}]))
    assert call.changes == []
    assert [w["description"].split(" ")[0] for w in call.warnings] == [
        "users[0].associations", "users[0].coordinators"]


@pytest.mark.parametrize("users, field, number", [
    ([{"name": "t-user-cap-b", "administrator_level": ["Root"]}], "users[0].administrator_level", 9001),
    ([{"name": "t-user-cap-b", "administrator_level": ["None", "Operator"]}],
     "users[0].administrator_level", 9001),
    ([{"name": "t-user-cap-b", "default": {"account": "t-acct-cap-nosuch"}}], "users[0].default.account", 2045),
    ([{"name": "t-user-cap-b", "default": {"account": "research"}}], "users[0].default.account", 2045),
    ([{"name": "x y"}], "users[0].name", 9001),
    # an account without any association (as POST /accounts/ adds them)
    ([{"name": "t-user-cap-new", "default": {"account": "t-acct-cap-alone"}}], "users[0].default.account", 2045),
    ([{"name": "t-user-cap-z", "old_name": "t-user-cap-nosuch"}], "users[0].old_name", 2010),
    ([{"name": "a"}, {"name": "A"}], "users[1].name", 9001),
])
def test_bad_input_changes_nothing(users, field, number):
    call = users_slurm()
    error = error_of(write_users(call, users))
    assert (error.status, error.number) == (400, number), error.description
    assert error.description.startswith(field)
    assert call.changes == []


def test_slurms_refusal():
    call = users_slurm(refuse="Name=t-user-cap-new")
    error = error_of(write_users(call, [{"name": "t-user-cap-new", "default": {"account": "research"}}]))
    assert (error.number, error.status) == (2002, 500)


def test_admin_levels_as_sacctmgr_takes_them():
    assert convert.admin_level_argument(["Administrator"], "x") == "Administrator"
    assert convert.admin_level_argument(["Not Set"], "x") is None
    assert convert.admin_level_argument([], "x") is None
    with pytest.raises(FieldError):
        convert.admin_level_argument("None", "x")


def test_delete():
    call = FakeCall(lambda argv: recorded_change("users/delete-user"))
    assert run(delete_user(call, "t-user-cap-a")) == ["t-user-cap-a"]
    assert call.changes == [["sacctmgr", "-i", "delete", "user", "where", "Name=t-user-cap-a"]]
    call = FakeCall(lambda argv: recorded_change("associations/delete-nothing"))
    assert run(delete_user(call, "t-user-cap-nosuch")) == []
    error = error_of(delete_user(FakeCall(lambda argv: recorded_change("users/delete-user-denied")), "x"))
    assert error.number == 2002


def test_users_with_associations():
    call = users_slurm()
    run(add_users_with_assocs(call, {
        "association_condition": {"users": ["t-user-cap-new"], "accounts": ["t-acct-cap-sub"],
                                  "partitions": ["debug"],
                                  "association": {"maxjobs": {"set": True, "number": 2}}},
        "user": {"adminlevel": ["None"], "defaultaccount": "t-acct-cap-sub"}}))
    # No cluster named: the clusters where the account is (not t-clu-probe).
    assert call.changes == [["sacctmgr", "-i", "add", "user", "Names=t-user-cap-new", "Clusters=srp",
                             "Accounts=t-acct-cap-sub", "MaxJobs=2", "DefaultAccount=t-acct-cap-sub",
                             "AdminLevel=None", "Partitions=debug"]]
    assert "t-clu-probe" in call.warnings[0]["description"]


def test_users_with_associations_checks_first():
    for body, field in (
        ({"association_condition": {"users": ["x"]}, "user": {}}, "association_condition.accounts"),
        ({"association_condition": {"users": [], "accounts": ["research"]}, "user": {}},
         "association_condition.users"),
        ({"association_condition": {"users": ["x"], "accounts": ["t-acct-cap-nosuch"], "clusters": ["srp"]},
          "user": {}}, "association_condition.accounts[0]"),
    ):
        call = users_slurm()
        error = error_of(add_users_with_assocs(call, body))
        assert error.status == 400 and error.description.startswith(field), error.description
        assert call.changes == []
