"""Accounts as Slurm 22.05.8's sacctmgr printed them (recorded by
tests/data/slurm-22.05/associations/capture.sh) into v0.0.44 `account`
objects, and POST/DELETE of accounts against recorded answers."""

import pytest

from server.convert import accounts as convert
from server.convert.associations import TREE_FIELDS
from server.convert.sacctmgr_text import rows
from server.slurm.commands.sacctmgr_accounts import SacctmgrAddAccount, SacctmgrDeleteAccount
from server.slurmdb.accounts import add_accounts_with_assocs, delete_account, read_accounts, write_accounts
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


def accounts_shown(name="accounts/show-withcoordinators.txt"):
    return rows(recorded(name), KEYS)


def tree():
    return rows(recorded("associations/tree.txt"), [k for k, _ in TREE_FIELDS])


def test_rows_become_accounts_in_slurmrestds_order():
    [root, sub, top] = [convert.from_row(r) for r in accounts_shown("accounts/show.txt")]
    assert top == {"associations": [], "coordinators": [], "description": "capture top",
                   "name": "t-acct-cap-top", "organization": "capture", "flags": []}
    assert sub["organization"] == "t-acct-cap-top"  # 22.05's default: the parent's name
    assert convert.from_row(accounts_shown()[0], deleted=True)["flags"] == ["DELETED"]


def test_coordinators_of_a_parent_are_indirect_below_it():
    coords = convert.coordinators_by_account(accounts_shown())
    parent_of = convert.parents(tree())
    assert convert.coordinators("t-acct-cap-top", coords, parent_of) == [
        {"name": "t-user-cap-a", "direct": True}]
    assert convert.coordinators("t-acct-cap-sub", coords, parent_of) == [
        {"name": "t-user-cap-a", "direct": False}]
    assert convert.user_coordinators("t-user-cap-a", coords, parent_of) == [
        {"name": "t-acct-cap-sub", "direct": False}, {"name": "t-acct-cap-top", "direct": True}]
    assert convert.direct_coordinators("t-acct-cap-sub", coords, parent_of) == set()


def slurm(existing="accounts/show-withcoordinators.txt", refuse=None):
    def answer(argv):
        entity = shows(argv)
        if entity == "accounts":
            text = recorded(existing)
            wanted = next((a[len("names="):].split(",") for a in argv if a.startswith("names=")), None)
            if wanted is not None:
                text = "".join(line + "\n" for line in text.splitlines() if line.split("|")[0] in wanted)
            return ok(text)
        if entity == "associations":
            return ok(recorded("associations/tree.txt"))
        if entity == "user":
            return ok("t-user-cap-a\nt-user-cap-b\n")
        if entity == "cluster":
            return ok("srp\nt-clu-probe\n")
        if entity == "tres":
            return ok(recorded("associations/tres.txt"))
        if entity == "qos":
            return ok("normal\n")
        if refuse and refuse in argv:
            return recorded_change("accounts/add-account-denied")
        return ok(" Done\n")

    return FakeCall(answer)


def test_read_with_coordinators_and_associations():
    def answer(argv):
        if shows(argv) == "accounts":
            return ok(recorded("accounts/show-withcoordinators.txt"))
        if "format=Cluster,Account,ParentName" in argv:
            return ok(recorded("associations/tree.txt"))
        if shows(argv) == "tres":
            return ok(recorded("associations/tres.txt"))
        if "onlydefaults" in argv:
            return ok(recorded("associations/defaults.txt"))
        return ok(recorded("associations/show.txt"))

    call = FakeCall(answer)
    found = run(read_accounts(call, with_coords=True, with_assocs=True))
    top = next(a for a in found if a["name"] == "t-acct-cap-top")
    assert top["coordinators"] == [{"name": "t-user-cap-a", "direct": True}]
    assert [(a["user"], a["id"]) for a in top["associations"]] == [("", 26), ("t-user-cap-a", 28)]
    validate_response(reference_as_meant("v0.0.44"), "get", "/slurmdb/v0.0.44/accounts/",
                      {"accounts": found})


def test_a_new_account_is_added_alone_with_its_coordinators():
    call = slurm()
    run(write_accounts(call, [{"name": "T-Acct-Cap-New", "description": "new one", "organization": "o",
                               "coordinators": [{"name": "t-user-cap-b"}]}]))
    assert call.changes == [
        ["sacctmgr", "-i", "add", "account", "Name=t-acct-cap-new", "Cluster=srp",
         "Description=new one", "Organization=o"],
        # sacctmgr always adds an association; slurmrestd's account has none.
        ["sacctmgr", "-i", "delete", "account", "where", "Name=t-acct-cap-new", "Cluster=srp"],
        ["sacctmgr", "-i", "add", "coordinator", "Accounts=t-acct-cap-new", "Names=t-user-cap-b"],
    ]


def test_a_known_account_gets_what_differs_and_exactly_the_coordinators_listed():
    call = slurm()
    run(write_accounts(call, [
        {"name": "t-acct-cap-top", "description": "capture top", "organization": "other",
         "coordinators": [{"name": "t-user-cap-b"}]},
        # t-user-cap-a coordinates t-acct-cap-sub through its parent only: not removed.
        {"name": "t-acct-cap-sub", "description": "t-acct-cap-sub", "organization": "t-acct-cap-top"},
    ]))
    assert call.changes == [
        ["sacctmgr", "-i", "modify", "account", "where", "Name=t-acct-cap-top", "set", "Organization=other"],
        ["sacctmgr", "-i", "add", "coordinator", "Accounts=t-acct-cap-top", "Names=t-user-cap-b"],
        ["sacctmgr", "-i", "delete", "coordinator", "Accounts=t-acct-cap-top", "Names=t-user-cap-a"],
    ]


def test_associations_and_the_deleted_flag_are_not_set_through_accounts():
    call = slurm()
    run(write_accounts(call, [{"name": "t-acct-cap-sub", "description": "t-acct-cap-sub",
                               "organization": "t-acct-cap-top", "flags": ["DELETED"],
                               "associations": [{"user": "", "account": "t-acct-cap-sub"}]}]))
    assert call.changes == []
    assert len(call.warnings) == 2


@pytest.mark.parametrize("accounts, field, number", [
    ([{"name": "a,b", "description": "d", "organization": "o"}], "accounts[0].name", 9001),
    ([{"name": "", "description": "d", "organization": "o"}], "accounts[0].name", 9001),
    ([{"name": "a", "description": 'say "hi"', "organization": "o"}], "accounts[0].description", 9001),
    ([{"name": "a", "description": "d", "organization": "o"}] * 2, "accounts[1].name", 9001),
    ([{"name": "a", "description": "d", "organization": "o", "coordinators": [{"name": "t-user-nosuch"}]}],
     "accounts[0].coordinators[0].name", 2010),
    ("nope", "accounts", 9001),
])
def test_bad_input_changes_nothing(accounts, field, number):
    call = slurm()
    error = error_of(write_accounts(call, accounts))
    assert (error.status, error.number) == (400, number)
    assert error.description.startswith(field)
    assert call.changes == []


def test_slurms_refusal_and_what_was_done_before_it():
    call = slurm(refuse="Name=t-acct-cap-second")
    error = error_of(write_accounts(call, [
        {"name": "t-acct-cap-first", "description": "d", "organization": "o"},
        {"name": "t-acct-cap-second", "description": "d", "organization": "o"},
    ]))
    assert (error.number, error.status) == (2002, 500)
    assert "Access/permission denied" in error.description
    assert "applied before it: add account t-acct-cap-first; delete association" in error.description


def test_delete_reports_the_names_removed():
    call = FakeCall(lambda argv: recorded_change("accounts/delete-account"))
    assert run(delete_account(call, "t-acct-cap-top")) == ["t-acct-cap-top"]
    call = FakeCall(lambda argv: recorded_change("accounts/delete-account-nothing"))
    assert run(delete_account(call, "t-acct-cap-nosuch")) == []
    call = FakeCall(lambda argv: recorded_change("accounts/delete-account-denied"))
    error = error_of(delete_account(call, "t-acct-cap-top"))
    assert (error.number, error.status) == (2002, 500)


def test_recorded_refusals_become_slurms_errors():
    for name in ("add-account-denied", "modify-account-denied", "add-coordinator-denied"):
        result = recorded_change(f"accounts/{name}")
        error = error_of(_parse(SacctmgrAddAccount("x", "srp", []), result))
        assert error.number == 2002, name
    error = error_of(_parse(SacctmgrDeleteAccount("x"), recorded_change("accounts/add-account-bad-parent")))
    assert "Parent account 't-acct-cap-nosuch' doesn't exist" in error.description \
        or "No associations created" in error.description


async def _parse(command, result):
    return command.parse(result)


def test_accounts_with_associations():
    call = slurm()
    added = run(add_accounts_with_assocs(call, {
        "association_condition": {"accounts": ["t-acct-cap-x", "t-acct-cap-y"], "clusters": ["srp"],
                                  "association": {"parent": "t-acct-cap-top", "grpjobs": {"set": True, "number": 3},
                                                  "qoslevel": ["normal"]}},
        "account": {"description": "two", "organization": "org"}}))
    assert call.changes == [["sacctmgr", "-i", "add", "account", "Names=t-acct-cap-x,t-acct-cap-y",
                             "Clusters=srp", "Parent=t-acct-cap-top", "GrpJobs=3", "QOS=normal",
                             "Description=two", "Organization=org"]]
    assert added == " Done\n"


def test_accounts_with_associations_refused_before_anything_changes():
    for body, field in (
        ({"association_condition": {"accounts": []}}, "association_condition.accounts"),
        ({"association_condition": {"accounts": ["x"], "clusters": ["nosuch"]}},
         "association_condition.clusters[0]"),
        ({"association_condition": {"accounts": ["x"], "association": {"parent": "t-acct-cap-nosuch"}}},
         "association_condition.association.parent"),
        ({"association_condition": {"accounts": ["x"], "association": {"qoslevel": ["nosuch"]}}},
         "association_condition.association.qoslevel[0]"),
        ({}, "association_condition"),
    ):
        call = slurm()
        error = error_of(add_accounts_with_assocs(call, body))
        assert error.status == 400 and error.description.startswith(field), error.description
        assert call.changes == []


def test_sacctmgrs_own_refusal_is_access_denied():
    # 25.11's sacctmgr refuses an ordinary user itself, in its own words;
    # slurmrestd answers the same request with 2002
    from server.slurm.commands.sacctmgr_entity import SacctmgrChange, failure
    from server.slurm.runner import Result

    command = SacctmgrChange("add", "account", ["Names=t-x"], "add account t-x")
    result = Result(("sacctmgr",), 1, "", " error: Only admins/operators/coordinators can add accounts\n", 0.01)
    error = failure(command, result, "Unable to add account t-x")
    assert (error.number, error.status) == (2002, 500)
    assert error.description == "Unable to add account t-x: error: Only admins/operators/coordinators can add accounts"
