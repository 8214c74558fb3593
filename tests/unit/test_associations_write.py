"""POST and DELETE of associations against recorded Slurm 22.05 answers:
everything is checked before anything changes, and the commands that would
run are the ones that change exactly what was asked."""

from server.slurm.commands.sacctmgr_associations import AssocCondition
from server.slurmdb.associations import delete_associations, read_associations, write_associations
from tests.unit.test_associations_fakes import (
    FakeCall,
    error_of,
    ok,
    only,
    recorded,
    recorded_change,
    run,
    shows,
)

CLUSTER = "srp"


def slurm(refuse=None):
    """The recorded tree (t-acct-cap-top > t-acct-cap-sub, users a and b);
    ``refuse``: the recorded refusal a change whose argv contains it gets."""

    def answer(argv):
        entity = shows(argv)
        if entity == "cluster":
            return ok("srp\nt-clu-probe\n")
        if entity == "account":
            return ok("root\nt-acct-cap-sub\nt-acct-cap-top\n")
        if entity == "qos":
            return ok("normal\n")
        if entity == "tres":
            return ok(recorded("associations/tres.txt"))
        if entity == "associations":
            if "accounts=t-acct-cap-nosuch" in argv:
                return ok("")
            if "onlydefaults" in argv:
                return ok(recorded("associations/defaults.txt"))
            if "woplimits" in argv:
                return ok(recorded("associations/show-woplimits.txt"))
            if any(a.startswith("format=Cluster,Account,ParentName") for a in argv):
                return ok(recorded("associations/tree.txt"))
            return ok(recorded("associations/show.txt"))
        if refuse and any(refuse in a for a in argv):
            return recorded_change("associations/modify-denied")
        if argv[1:4] == ["-i", "delete", "user"]:
            return recorded_change("associations/delete-user-last")
        if argv[1:4] == ["-i", "delete", "account"]:
            return recorded_change("associations/delete-account-assoc")
        return ok(" Modified...\n")

    return FakeCall(answer)


def user_assoc(**more):
    return {"account": "t-acct-cap-sub", "cluster": CLUSTER, "user": "t-user-cap-b", **more}


def test_a_known_association_is_changed_a_new_one_added():
    call = slurm()
    run(write_associations(call, [
        user_assoc(max={"jobs": {"active": {"set": True, "number": 2}}}),
        {"account": "t-acct-cap-sub", "cluster": CLUSTER, "user": "t-user-cap-c", "partition": "debug",
         "is_default": True, "priority": {"set": True, "number": 3}},
    ]))
    assert call.changes == [
        ["sacctmgr", "-i", "modify", "user", "where", "Name=t-user-cap-b", "Account=t-acct-cap-sub",
         "Cluster=srp", "Partition=''", "set", "MaxJobs=2"],
        ["sacctmgr", "-i", "add", "user", "Name=t-user-cap-c", "Account=t-acct-cap-sub", "Cluster=srp",
         "Partition=debug", "DefaultAccount=t-acct-cap-sub", "Priority=3"],
    ]


def test_an_unchanged_association_runs_nothing():
    call = slurm()
    run(write_associations(call, [user_assoc()]))
    assert call.changes == []


def test_a_change_without_tres_limits_removes_them_as_slurmrestd_does():
    """slurmrestd takes a POSTed association as the new state of its TRES
    limits (scalar limits not given stay): t-acct-cap-top has TRES limits."""
    call = slurm()
    run(write_associations(call, [{"account": "t-acct-cap-top", "cluster": CLUSTER, "user": "",
                                   "parent_account": "root"}]))
    [change] = call.changes
    assert change[:8] == ["sacctmgr", "-i", "modify", "account", "where", "Name=t-acct-cap-top",
                          "Cluster=srp", "set"]
    assert change[8:] == ["GrpTRES=cpu=-1,mem=-1,node=-1,billing=-1,fs/disk=-1", "GrpTRESMins=cpu=-1,mem=-1",
                          "GrpTRESRunMins=cpu=-1", "MaxTRESMins=cpu=-1", "MaxTRES=cpu=-1,mem=-1",
                          "MaxTRESPerNode=cpu=-1"]


def test_an_account_association_moves_and_a_new_one_hangs_under_one_added_before():
    call = slurm()
    run(write_associations(call, [
        {"account": "t-acct-cap-sub", "cluster": "t-clu-probe", "user": "", "parent_account": "root"},
        {"account": "t-acct-cap-sub", "cluster": "t-clu-probe", "user": "t-user-cap-a"},
        {"account": "t-acct-cap-sub", "cluster": CLUSTER, "user": "", "parent_account": "root"},
    ]))
    assert call.changes == [
        ["sacctmgr", "-i", "add", "account", "Name=t-acct-cap-sub", "Cluster=t-clu-probe", "Parent=root"],
        ["sacctmgr", "-i", "add", "user", "Name=t-user-cap-a", "Account=t-acct-cap-sub",
         "Cluster=t-clu-probe"],
        ["sacctmgr", "-i", "modify", "account", "where", "Name=t-acct-cap-sub", "Cluster=srp", "set",
         "Parent=root"],
    ]


def check_refused(assocs, field, number, status=400):
    call = slurm()
    error = error_of(write_associations(call, assocs))
    assert (error.status, error.number) == (status, number), error.description
    assert error.description.startswith(field), error.description
    assert call.changes == []
    return error


def test_references_to_what_slurmdbd_does_not_have_change_nothing():
    check_refused([user_assoc(), {**user_assoc(), "cluster": "nosuch"}], "associations[1].cluster", 7104)
    check_refused([user_assoc(account="t-acct-cap-nosuch")], "associations[0].account", 2045)
    check_refused([user_assoc(cluster="t-clu-probe")], "associations[0].account", 2045)
    check_refused([{"account": "t-acct-cap-sub", "cluster": "t-clu-probe", "user": "",
                    "parent_account": "t-acct-cap-top"}], "associations[0].parent_account", 2046)
    check_refused([user_assoc(qos=["normal", "t-qos-nosuch"])], "associations[0].qos[1]", 2066)


def test_bad_input_is_refused_before_anything_changes():
    check_refused([user_assoc(), user_assoc()], "associations[1]", 9001)
    check_refused([user_assoc(user="a,b")], "associations[0].user", 9001)
    check_refused([{"account": "t-acct-cap-sub", "user": ""}], "associations[0].cluster", 9001)
    check_refused([{"account": "x", "cluster": CLUSTER, "user": "", "partition": "debug"}],
                  "associations[0].partition", 9001)
    check_refused([user_assoc(max={"tres": {"total": [{"type": "gres", "name": "gpu", "count": 1}]}})],
                  "associations[0].max.tres.total[0]", 9001)
    check_refused("not a list", "associations", 9001)


def test_a_refusal_by_slurm_says_what_was_applied_and_what_not():
    call = slurm(refuse="Name=t-user-cap-a")
    error = error_of(write_associations(call, [
        user_assoc(max={"jobs": {"active": {"set": True, "number": 2}}}),
        user_assoc(user="t-user-cap-a", max={"jobs": {"active": {"set": True, "number": 2}}}),
        user_assoc(user="t-user-cap-d"),
    ]))
    assert error.number == 2002 and error.status == 500
    assert "Access/permission denied" in error.description
    assert "applied before it: modify association of user t-user-cap-b" in error.description
    assert "not attempted: add association of user t-user-cap-d" in error.description
    assert len(call.changes) == 2


def test_comment_is_not_kept_by_22_05():
    call = slurm()
    run(write_associations(call, [user_assoc(comment="hello")]))
    assert "comment" in call.warnings[0]["description"]


def test_reading_builds_lineage_defaults_and_deleted_flags():
    def answer(argv):
        if shows(argv) == "tres":
            return ok(recorded("associations/tres.txt"))
        if "onlydefaults" in argv:
            return ok(recorded("associations/defaults.txt"))
        if any(a.startswith("format=Cluster,Account,ParentName") for a in argv):
            return ok(recorded("associations/tree.txt"))
        if argv[-1] == "format=ID":  # the same query without withdeleted
            return ok("".join(f"{line.split('|')[4]}\n"
                              for line in recorded("associations/show.txt").splitlines()
                              if line.split("|")[4] != "30"))
        return ok(recorded("associations/show.txt"))

    call = FakeCall(answer)
    found = run(read_associations(call, AssocCondition(accounts=["t-acct-cap-sub"], with_deleted=True)))
    assert call.ran[0][4:6] == ["associations", "accounts=t-acct-cap-sub"]
    assert "withdeleted" in call.ran[0]
    deleted = [a["id"] for a in found if a["flags"] == ["DELETED"]]
    assert deleted == [30]


def test_reading_nothing_runs_one_command():
    call = FakeCall(lambda argv: ok(""))
    assert run(read_associations(call, AssocCondition(accounts=["nosuch"]))) == []
    assert len(call.ran) == 1


def test_delete_removes_users_before_accounts_and_reports_slurmdbds_words():
    rows = only(recorded("associations/show.txt"), "t-acct-cap-sub")

    def answer(argv):
        if shows(argv) == "associations":
            return ok("".join(f"{l.split('|')[0]}|{l.split('|')[1]}|{l.split('|')[6]}|{l.split('|')[2]}|"
                              f"{l.split('|')[3]}|{l.split('|')[4]}\n" for l in rows.splitlines()))
        return slurm().answer(argv)

    call = FakeCall(answer)
    removed = run(delete_associations(call, AssocCondition(accounts=["t-acct-cap-sub"])))
    # The users' associations go with their account's: one command.
    assert call.changes == [["sacctmgr", "-i", "delete", "account", "where", "Name=t-acct-cap-sub",
                             "Cluster=srp"]]
    assert removed == ["C = srp        A = t-acct-cap-sub of t-acct-cap-top"]


def test_delete_of_one_user_association_and_the_user_it_takes_along():
    call = slurm()
    calls = FakeCall(lambda argv: ok("srp|t-acct-cap-sub||t-user-cap-b||30\n")
                     if shows(argv) == "associations" else call.answer(argv))
    removed = run(delete_associations(calls, AssocCondition(users=["t-user-cap-b"]), only_one=True))
    assert calls.changes == [["sacctmgr", "-i", "delete", "user", "where", "Name=t-user-cap-b",
                              "Account=t-acct-cap-sub", "Cluster=srp", "Partition=''"]]
    assert removed == ["C = srp        A = t-acct-cap-sub U = t-user-cap-b"]
    assert "t-user-cap-b" in calls.warnings[0]["description"]


def test_delete_of_one_that_matches_several_changes_nothing():
    call = slurm()
    error = error_of(delete_associations(call, AssocCondition(accounts=["t-acct-cap-sub"]), only_one=True))
    assert error.number == 9210 and call.changes == []


def test_delete_without_any_filter_is_refused():
    call = slurm()
    error = error_of(delete_associations(call, AssocCondition(with_deleted=True)))
    assert error.status == 400 and call.ran == []


def test_delete_of_nothing():
    call = slurm()
    assert run(delete_associations(call, AssocCondition(accounts=["t-acct-cap-nosuch"]))) == []
    assert call.changes == []


def test_conditions_become_sacctmgr_words():
    condition = AssocCondition(accounts=["a", "b"], users=[""], partitions=["debug"], ids=["3"],
                               parents=["p"], qos=["normal"], default_qos=["normal"], clusters=["srp"],
                               only_defaults=True, with_deleted=True, with_raw_qos=True,
                               with_sub_accounts=True, without_parent_info=True,
                               without_parent_limits=True)
    assert condition.conditions() == [
        "accounts=a,b", "clusters=srp", "users=''", "partitions=debug", "ids=3", "parent=p",
        "qos=normal", "defaultqos=normal", "onlydefaults", "withdeleted", "withrawqos",
        "withsubaccounts", "wopinfo", "woplimits"]
