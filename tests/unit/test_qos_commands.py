"""The sacctmgr command objects of QOS, TRES, wckeys and clusters on what
Slurm 22.05.8's sacctmgr printed (stdout, stderr and exit status recorded
from the live cluster): what a change reports, and which Slurm error a
failure stands for."""

from pathlib import Path

import pytest

from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_clusters import SacctmgrAddCluster, SacctmgrDeleteCluster
from server.slurm.commands.sacctmgr_entity import SacctmgrShow
from server.slurm.commands.sacctmgr_qos import SacctmgrAddQos, SacctmgrDeleteQos, SacctmgrModifyQos
from server.slurm.commands.sacctmgr_wckeys import (SacctmgrAddWckey, SacctmgrDeleteWckey,
                                                   SacctmgrShowWckeys)
from server.slurm.errno import http_status
from server.slurm.runner import Result

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05"


def recorded(area, name, command):
    folder = DATA / area / "stderr"
    return Result(tuple(command.argv()), int((folder / f"{name}.rc").read_text()),
                  (folder / f"{name}.out").read_text(), (folder / f"{name}.err").read_text(), 0.05)


def test_a_deletion_says_what_it_removed():
    command = SacctmgrDeleteQos("t-qos-capture-c")
    assert command.parse(recorded("qos", "delete-c", command)) == ["t-qos-capture-c"]
    command = SacctmgrDeleteCluster("t-clu-capture")
    assert command.parse(recorded("clusters", "delete", command)) == ["t-clu-capture"]
    command = SacctmgrDeleteWckey("t-user-capture", "t-wk-b", "srp")
    assert command.parse(recorded("wckeys", "delete", command)) == [
        "C = srp        W = t-wk-b               U = t-user-capture"]


def test_nothing_deleted_is_an_empty_answer_not_a_failure():
    command = SacctmgrDeleteQos("t-qos-capture-none")
    assert command.parse(recorded("qos", "delete-unknown", command)) == []
    command = SacctmgrDeleteWckey("t-user-capture", "t-wk-z", "srp")
    assert command.parse(recorded("wckeys", "delete-unknown", command)) == []


def test_a_change_that_worked_gives_its_lines():
    command = SacctmgrAddQos("t-qos-capture-a", [])
    lines = command.parse(recorded("qos", "add-a", command))
    assert lines[0] == " Adding QOS(s)" and "  t-qos-capture-a" in lines


@pytest.mark.parametrize("area,name,command,number,words", [
    ("qos", "add-as-srp_alice", SacctmgrAddQos("t-qos-capture-d", []), 2002,
     "Unable to add QOS t-qos-capture-d: Problem adding QOS: Access/permission denied"),
    ("qos", "modify-as-srp_alice", SacctmgrModifyQos("t-qos-capture-c", []), 2002,
     "Unable to modify QOS t-qos-capture-c: Error with request: Access/permission denied"),
    ("wckeys", "add-as-srp_alice", SacctmgrAddWckey("t-user-capture", "t-wk-c", "srp"), 2002,
     "Problem adding user associations: Access/permission denied"),
    ("clusters", "add-as-srp_alice", SacctmgrAddCluster("t-clu-capture2"), 2002,
     "Problem adding clusters: Access/permission denied"),
    ("clusters", "delete-as-srp_alice", SacctmgrDeleteCluster("t-clu-capture"), 2002,
     "Access/permission denied"),
    ("qos", "modify-unknown-tres", SacctmgrModifyQos("t-qos-capture-c", []), -1,
     "slurmdb_format_tres_str: no TRES known by type gres/gpu"),
    ("qos", "modify-unknown-preempt", SacctmgrModifyQos("t-qos-capture-c", []), -1,
     "You gave a bad qos 'nope'"),
    ("qos", "add-existing", SacctmgrAddQos("t-qos-capture-c", []), -1, "Nothing new added."),
    ("clusters", "add-existing", SacctmgrAddCluster("t-clu-capture"), -1,
     "This cluster t-clu-capture already exists.  Not adding."),
])
def test_failures_name_slurms_error(area, name, command, number, words):
    with pytest.raises(SlurmError) as raised:
        command.parse(recorded(area, name, command))
    error = raised.value
    assert error.number == number
    assert words in error.description
    assert error.source == f"sacctmgr {command.action} {command.entity}"
    assert error.status == http_status(number)


def test_a_read_that_is_denied():
    command = SacctmgrShowWckeys()
    with pytest.raises(SlurmError) as raised:
        command.parse(recorded("wckeys", "show-wckeys-as-srp_alice", command))
    assert raised.value.number == 2002
    assert raised.value.description == "Unable to query wckey: Error with request: Access/permission denied"


def test_a_read_is_split_by_its_format_fields():
    command = SacctmgrShow("wckey", (("id", "ID"), ("name", "WCKey")), ["users=x"])
    assert command.argv() == ["sacctmgr", "-n", "-P", "show", "wckey", "users=x", "format=ID,WCKey"]
    result = Result(tuple(command.argv()), 0, "6|t-wk-a\n7|t-wk-b\n", "", 0.01)
    assert command.parse(result) == [{"id": "6", "name": "t-wk-a"}, {"id": "7", "name": "t-wk-b"}]


class FakeCall:
    """Runs commands by parsing prepared results: the second change fails
    as srp_alice's add did on the live cluster."""

    def __init__(self, results):
        self.results = results
        self.ran = []

    async def run(self, command):
        self.ran.append(command.what)
        return command.parse(self.results[len(self.ran) - 1])


def test_several_changes_stop_at_the_first_failure_and_say_what_was_done():
    import asyncio

    from server.slurmdb.common import apply

    ok = SacctmgrAddQos("t-qos-capture-a", [])
    denied = SacctmgrAddQos("t-qos-capture-d", [])
    never = SacctmgrModifyQos("t-qos-capture-c", ["Priority=1"])
    call = FakeCall([recorded("qos", "add-a", ok), recorded("qos", "add-as-srp_alice", denied)])
    with pytest.raises(SlurmError) as raised:
        asyncio.run(apply(call, [ok, denied, never]))
    assert call.ran == ["add QOS t-qos-capture-a", "add QOS t-qos-capture-d"]
    assert raised.value.number == 2002
    assert raised.value.description == (
        "Unable to add QOS t-qos-capture-d: Problem adding QOS: Access/permission denied"
        " (applied before it: add QOS t-qos-capture-a; not attempted: modify QOS t-qos-capture-c)")
    # One change alone says nothing more than its failure.
    call = FakeCall([recorded("qos", "add-as-srp_alice", denied)])
    with pytest.raises(SlurmError) as raised:
        asyncio.run(apply(call, [denied]))
    assert raised.value.description.endswith("Access/permission denied")
