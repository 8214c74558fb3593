"""server.slurmdb.config: the whole accounting setup read as one document
and loaded from one. The read_ and write_ functions it is built on have
tests of their own; here they are stand-ins that keep what they were given
(and run one change each through the Call, as the real ones do through
server.slurmdb.common.apply), so that what is tested is the document: which
sections, in which order, with what left out, checked how, and reported how
when Slurm refuses a change half-way."""

from __future__ import annotations

import asyncio
import copy
from types import SimpleNamespace

import pytest

from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_associations import SacctmgrShowNames
from server.slurm.commands.sacctmgr_entity import SacctmgrChange
from server.slurmdb import config
from server.slurmdb.common import apply

TRES = [{"type": "cpu", "name": "", "id": 1, "count": 0}, {"type": "mem", "name": "", "id": 2, "count": 0}]


def unset():
    return {"set": False, "infinite": True, "number": 0}


def assoc(account, user="", partition="", **more):
    found = {"accounting": [], "account": account, "cluster": "srp", "comment": "", "default": {"qos": ""},
             "flags": [], "id": 0, "is_default": False, "lineage": "", "max": {"jobs": {"active": unset()}},
             "parent_account": "" if user else ("" if account == "root" else "root"), "partition": partition,
             "qos": [], "shares_raw": 1, "user": user}
    found.update(more)
    return found


def qos(name, **more):
    return {"description": f"{name} QOS", "flags": [], "id": 1, "name": name, "priority": unset(), **more}


class Slurmdbd:
    """What slurmdbd has, as the stand-ins of the read_ functions give it."""

    def __init__(self):
        self.clusters = ["srp"]
        self.accounts = ["root", "research"]
        self.users = ["root", "alice"]
        self.qos = [qos("normal")]
        self.associations = [assoc("root"), assoc("root", "root", is_default=True), assoc("research"),
                             assoc("research", "alice", is_default=True)]
        self.coordinators = {"research": []}
        self.parents = {"research": "root"}


class FakeCall:
    def __init__(self, slurmdbd: Slurmdbd, refuse=None):
        self.slurmdbd = slurmdbd
        self.refuse = refuse  # a change whose `what` holds this is refused
        self.version = "v0.0.44"
        self.slurm = SimpleNamespace(release="22.05.8", prints=lambda command, version: False)
        self.services = SimpleNamespace(slurm_conf=SimpleNamespace(cluster_name="srp"))
        self.warnings: list[dict] = []
        self.changed: list[str] = []

    def warn(self, description, source="slurmrestpy"):
        self.warnings.append({"description": description, "source": source})

    async def run(self, command):
        if isinstance(command, SacctmgrShowNames):
            return {"cluster": self.slurmdbd.clusters, "account": self.slurmdbd.accounts,
                    "user": self.slurmdbd.users}[command.entity]
        assert isinstance(command, SacctmgrChange), command
        if self.refuse and self.refuse in command.what:
            raise SlurmError(f"Unable to {command.what}: Access/permission denied", number=2002,
                             source=command.source())
        self.changed.append(command.what)
        return []


@pytest.fixture
def slurmdbd(monkeypatch):
    """A Slurmdbd behind the read_ functions, and stand-ins of the write_
    functions; ``slurmdbd.written`` is (step, objects) in the order written."""
    found = Slurmdbd()
    found.written = []

    async def read_qos(call, **_):
        return copy.deepcopy(found.qos)

    async def read_associations(call, condition=None):
        assert condition.without_parent_limits and condition.with_raw_qos
        return copy.deepcopy(found.associations)

    async def read_tres(call):
        return copy.deepcopy(TRES)

    async def coordinator_map(call, rows=None):
        return copy.deepcopy(found.coordinators), dict(found.parents)

    def writer(step, name_of):
        async def write(call, items, **_):
            found.written.append((step, copy.deepcopy(items)))
            await apply(call, [SacctmgrChange("add", step, [], f"load {step} {name_of(item)}")
                               for item in items])
        return write

    for name, value in (("read_qos", read_qos), ("read_associations", read_associations),
                        ("read_tres", read_tres), ("coordinator_map", coordinator_map)):
        monkeypatch.setattr(config, name, value)
    for step, name_of in (("clusters", lambda i: i["name"]), ("qos", lambda i: i["name"]),
                          ("accounts", lambda i: i["name"]), ("users", lambda i: i["name"]),
                          ("wckeys", lambda i: i["name"]),
                          ("associations", lambda i: "/".join((i["account"], i.get("user", ""),
                                                               i.get("partition", ""))))):
        monkeypatch.setattr(config, f"write_{step}", writer(step, name_of))
    return found


def load(slurmdbd, document, **call_options):
    call = FakeCall(slurmdbd, **call_options)
    applied = asyncio.run(config.load_config(call, document))
    return call, applied


def refusal(slurmdbd, document, **call_options) -> tuple[SlurmError, FakeCall]:
    call = FakeCall(slurmdbd, **call_options)
    with pytest.raises(SlurmError) as caught:
        asyncio.run(config.load_config(call, document))
    return caught.value, call


def steps(slurmdbd):
    return [step for step, _ in slurmdbd.written]


def written(slurmdbd, step):
    return [items for name, items in slurmdbd.written if name == step]


# -- loading ------------------------------------------------------------------


def test_sections_load_in_the_order_slurm_22_05_needs(slurmdbd):
    document = {
        "wckeys": [{"name": "w", "user": "bob", "cluster": "srp", "id": 4, "accounting": [], "flags": []}],
        "users": [{"name": "bob", "administrator_level": ["Operator"], "default": {"account": "lab"},
                   "associations": [{"account": "lab"}], "coordinators": [], "wckeys": [], "flags": []}],
        "associations": [assoc("lab", "bob", is_default=True), assoc("lab")],
        "accounts": [{"name": "lab", "description": "d", "organization": "o", "associations": [],
                      "coordinators": [], "flags": []}],
        "qos": [qos("fast")],
        "tres": TRES,
        "clusters": [{"name": "srp"}],
        "instances": [],
    }
    call, applied = load(slurmdbd, document)
    assert steps(slurmdbd) == ["clusters", "qos", "accounts", "associations", "users", "wckeys"]
    assert applied == ["load clusters srp", "load qos fast", "load accounts lab", "load associations lab//",
                       "load associations lab/bob/", "load users bob", "load wckeys w"]
    # Only what each writer sets: a user's associations, coordinators and
    # WCKeys come from their own sections, not from the user.
    assert written(slurmdbd, "users") == [[{"name": "bob", "administrator_level": ["Operator"],
                                            "default": {"account": "lab"}}]]
    assert written(slurmdbd, "accounts") == [[{"name": "lab", "description": "d", "organization": "o",
                                               "coordinators": []}]]
    assert written(slurmdbd, "wckeys") == [[{"name": "w", "user": "bob", "cluster": "srp"}]]
    assert call.warnings == []


def test_what_is_there_already_as_described_is_left_alone(slurmdbd):
    """A GET posted back unchanged: no QOS and no association to write (the
    writers of accounts, users and clusters change nothing themselves when
    nothing differs; see their own tests)."""
    document = {"clusters": [{"name": "srp"}], "qos": copy.deepcopy(slurmdbd.qos),
                "associations": copy.deepcopy(slurmdbd.associations),
                "accounts": [{"name": "research", "description": "r", "organization": "r", "coordinators": []}]}
    # What slurmdbd sets is not compared: ids, lineage, usage.
    document["associations"][2].update(id=99, lineage="/research/", accounting=[{"id": 1}])
    load(slurmdbd, document)
    assert steps(slurmdbd) == ["clusters", "accounts"]

    changed = copy.deepcopy(document)
    changed["qos"][0]["priority"] = {"set": True, "infinite": False, "number": 5}
    changed["associations"][3]["max"] = {"jobs": {"active": {"set": True, "infinite": False, "number": 2}}}
    slurmdbd.written.clear()
    load(slurmdbd, changed)
    assert [items for items in written(slurmdbd, "qos")] == [
        [{k: v for k, v in changed["qos"][0].items() if k != "id"}]]
    [[alice]] = written(slurmdbd, "associations")
    assert alice["user"] == "alice" and "id" not in alice and "lineage" not in alice


def test_an_object_saying_less_than_what_is_there_changes_nothing():
    current = qos("normal", limits={"max": {"jobs": {"count": unset()}}}, preempt={"list": ["a", "b"]})
    assert config.covers(current, {"name": "normal", "limits": {}})
    assert config.covers(current, {"name": "normal", "preempt": {"list": ["b", "a"]}})
    assert not config.covers(current, {"name": "normal", "preempt": {"list": ["a"]}})
    assert not config.covers(current, {"name": "normal", "limits": {"max": {"jobs": {"count": {"set": True}}}}})
    assert not config.covers({"is_default": 1}, {"is_default": True})
    assert not config.covers({}, {"comment": "x"})


def test_deleted_records_and_instances_are_not_loaded(slurmdbd):
    call, _ = load(slurmdbd, {
        "qos": [qos("gone", flags=["DELETED"]), qos("fast")],
        "accounts": [{"name": "old", "description": "d", "organization": "o", "flags": ["DELETED"]}],
        "associations": [assoc("old", flags=["DELETED"])],
        "instances": [{"cluster": "srp", "instance_id": "i-1"}],
        "meta": {}, "errors": [], "warnings": []})
    assert [[q["name"] for q in items] for items in written(slurmdbd, "qos")] == [["fast"]]
    assert "accounts" not in steps(slurmdbd) and "associations" not in steps(slurmdbd)
    said = [w["description"] for w in call.warnings]
    assert said[:3] == [
        "accounts: 1 record(s) flagged DELETED not loaded (loading them would bring back what was deleted)",
        "qos: 1 record(s) flagged DELETED not loaded (loading them would bring back what was deleted)",
        "associations: 1 record(s) flagged DELETED not loaded (loading them would bring back what was deleted)",
    ]
    assert said[3].startswith("instances: not loaded")


def test_tres_are_not_loaded_and_unknown_ones_are_said(slurmdbd):
    call, _ = load(slurmdbd, {"tres": [*TRES, {"type": "gres", "name": "gpu", "id": 1001, "count": 0}]})
    assert slurmdbd.written == []
    [warning] = call.warnings
    assert warning["description"].startswith("tres: not loaded") and "gres/gpu" in warning["description"]


def test_parents_come_before_children_and_a_users_default_association_first(slurmdbd):
    load(slurmdbd, {"accounts": [{"name": n, "description": n, "organization": "o"} for n in ("a", "b", "c")],
                    "associations": [assoc("c", "bob", "debug"), assoc("c", "bob", is_default=True),
                                     assoc("c", parent_account="b"), assoc("b", parent_account="a"),
                                     assoc("a", parent_account="research")]})
    [items] = written(slurmdbd, "associations")
    assert [(i["account"], i["user"], i["partition"]) for i in items] == [
        ("a", "", ""), ("b", "", ""), ("c", "", ""), ("c", "bob", ""), ("c", "bob", "debug")]


def test_coordinators(slurmdbd):
    slurmdbd.accounts.append("lab")
    slurmdbd.coordinators = {"research": ["alice"], "lab": ["alice"]}
    slurmdbd.parents = {"research": "root", "lab": "research"}
    slurmdbd.associations.append(assoc("lab", parent_account="research"))
    load(slurmdbd, {
        "accounts": [
            # alice coordinates lab through research: she is not made lab's own.
            {"name": "lab", "description": "l", "organization": "o",
             "coordinators": [{"name": "alice", "direct": False}, {"name": "bob", "direct": True}]},
            # No coordinators given: research keeps its own.
            {"name": "research", "description": "r", "organization": "o"}],
        "associations": [assoc("lab", "bob", is_default=True)]})
    # bob is a user once his association is added: his coordinator role comes last.
    assert steps(slurmdbd) == ["accounts", "associations", "accounts"]
    first, last = written(slurmdbd, "accounts")
    assert first == [{"name": "lab", "description": "l", "organization": "o", "coordinators": []},
                     {"name": "research", "description": "r", "organization": "o",
                      "coordinators": [{"name": "alice"}]}]
    assert last == [{"name": "lab", "coordinators": [{"name": "bob"}]}]


@pytest.mark.parametrize("document, field", [
    ({"accounts": "lab"}, "accounts: expected a list"),
    ({"qos": ["fast"]}, "qos[0]: expected an object"),
    ({"qos": [{"description": "no name"}]}, "qos[0].name"),
    ({"qos": [qos("fast"), qos("FAST")]}, "qos[1].name"),
    ({"qos": [qos("fast", preempt={"list": ["nosuch"]})]}, "qos[0].preempt.list[0]"),
    ({"qos": [qos("fast", priority={"set": True, "number": -3})]}, "qos[0].priority"),
    ({"clusters": [{"name": "a,b"}]}, "clusters[0].name"),
    ({"associations": [assoc("research", cluster="nosuch")]}, "associations[0].cluster"),
    ({"associations": [assoc("nosuch")]}, "associations[0].account"),
    ({"associations": [assoc("research", qos=["nosuch"])]}, "associations[0].qos[0]"),
    ({"associations": [assoc("research", default={"qos": "nosuch"})]}, "associations[0].default.qos"),
    ({"associations": [assoc("research", parent_account="nosuch")]}, "associations[0].parent_account"),
    ({"associations": [assoc("research", max={"tres": {"total": [{"type": "bogus", "count": 1}]}})]},
     "associations[0].max.tres.total[0]"),
    ({"associations": [assoc("research"), assoc("RESEARCH")]}, "associations[1]"),
    ({"accounts": [{"name": "lab", "description": "l", "organization": "o"}],
      "associations": [assoc("lab", "bob")]}, "associations[0].account"),
    ({"accounts": [{"name": n, "description": n, "organization": "o"} for n in ("a", "b")],
      "associations": [assoc("a", parent_account="b"), assoc("b", parent_account="a")]}, "associations"),
    ({"users": [{"name": "bob"}]}, "users[0].default.account"),
    ({"users": [{"name": "bob", "default": {"account": "nosuch"}}]}, "users[0].default.account"),
    ({"users": [{"name": "alice", "default": {"account": "root"}}]}, "users[0].default.account"),
    ({"users": [{"name": "alice", "administrator_level": ["Superuser"]}]}, "users[0].administrator_level"),
    ({"accounts": [{"name": "research", "coordinators": [{"name": "bob"}]}]}, "accounts[0].coordinators[0].name"),
    ({"wckeys": [{"name": "w", "user": "bob", "cluster": "srp"}]}, "wckeys[0].user"),
    ({"wckeys": [{"name": "w", "user": "alice", "cluster": "nosuch"}]}, "wckeys[0].cluster"),
    # A record left out (deleted) keeps the others' places in the document.
    ({"qos": [qos("gone", flags=["DELETED"]), {"name": "a b"}]}, "qos[1].name"),
])
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(slurmdbd, document, field):
    document = {"clusters": [{"name": "srp"}], "qos": [qos("fast")], **document}
    error, call = refusal(slurmdbd, document)
    assert error.status == 400, error.description
    assert error.description.startswith(field), error.description
    assert slurmdbd.written == [] and call.changed == []


def test_a_refusal_half_way_says_what_was_applied_and_what_was_not_loaded(slurmdbd):
    document = {"qos": [qos("fast")],
                "accounts": [{"name": "lab", "description": "l", "organization": "o"}],
                "associations": [assoc("lab"), assoc("lab", "bob", is_default=True), assoc("lab", "eve")],
                "users": [{"name": "bob", "administrator_level": ["Operator"]}]}
    error, call = refusal(slurmdbd, document, refuse="associations lab/bob/")
    assert error.number == 2002
    assert call.changed == ["load qos fast", "load accounts lab", "load associations lab//"]
    assert error.description == (
        "associations: Unable to load associations lab/bob/: Access/permission denied "
        "(applied before it: load associations lab//; not attempted: load associations lab/eve/) "
        "[loading the configuration, changes applied before associations: load qos fast; "
        "load accounts lab; not loaded: users]")


def test_an_error_of_a_writer_names_the_object_by_its_place_in_the_document(slurmdbd, monkeypatch):
    async def write_associations(call, items, **_):
        raise config.missing("associations[1].account", "account 'lab' went away", "ESLURM_INVALID_ACCOUNT")

    monkeypatch.setattr(config, "write_associations", write_associations)
    document = {"associations": [copy.deepcopy(slurmdbd.associations[0]), assoc("research", "bob"),
                                 assoc("research", "eve")]}
    error, _ = refusal(slurmdbd, document)
    # The first is unchanged and left out of the step: its [1] is eve, [2] here.
    assert error.description.startswith("associations[2].account: account 'lab' went away [loading the "
                                        "configuration, changes applied before associations: none;")
    assert error.status == 400


# -- reading ------------------------------------------------------------------


@pytest.fixture
def readers(monkeypatch):
    """Stand-ins of the read_ functions; ``asked`` keeps how each was asked."""
    asked = {}
    given = {
        "read_clusters": [{"name": "srp"}],
        "read_tres": TRES,
        "read_accounts": [{"name": "research", "associations": [], "coordinators": [], "flags": []}],
        "read_users": [{"name": "alice", "associations": [], "flags": []},
                       {"name": "gone", "associations": [], "flags": ["DELETED"]}],
        "read_qos": [qos("normal")],
        "read_wckeys": [],
        "read_associations": [assoc("root"), assoc("research", id=3), assoc("research", "alice", id=4)],
    }

    def reader(name):
        async def read(call, *args, **kwargs):
            asked[name] = (args, kwargs)
            if isinstance(given[name], Exception):
                raise given[name]
            return copy.deepcopy(given[name])
        return read

    for name in given:
        monkeypatch.setattr(config, name, reader(name))
    return SimpleNamespace(asked=asked, given=given)


def read(call=None):
    call = call or FakeCall(Slurmdbd())
    return asyncio.run(config.read_config(call)), call


def test_the_document_has_every_section_read_as_slurmrestd_dumps_them(readers):
    document, call = read()
    assert list(document) == ["clusters", "tres", "accounts", "users", "qos", "wckeys", "associations",
                              "instances"]
    assert document["instances"] == [] and call.warnings == []
    assert readers.asked["read_accounts"][1] == {"with_deleted": True, "with_coords": True, "with_assocs": False}
    assert readers.asked["read_users"][1] == {"with_deleted": True, "with_coords": True, "with_assocs": False}
    for name in ("read_clusters", "read_qos", "read_wckeys"):
        assert readers.asked[name][1] == {"with_deleted": True}
    [condition] = readers.asked["read_associations"][0]
    assert condition.with_deleted and condition.without_parent_limits and condition.with_raw_qos
    assert not condition.filters()
    # 22.05: accounts and users list their associations from the one read of all.
    assert document["accounts"][0]["associations"] == [
        {"account": "research", "cluster": "srp", "partition": "", "user": "", "id": 3},
        {"account": "research", "cluster": "srp", "partition": "", "user": "alice", "id": 4}]
    assert document["users"][0]["associations"] == [
        {"account": "research", "cluster": "srp", "partition": "", "user": "alice", "id": 4}]
    assert document["users"][1]["associations"] == []


def test_a_section_slurm_does_not_let_the_caller_read_is_left_empty_and_said(readers):
    readers.given["read_wckeys"] = SlurmError("Unable to query wckey: Access/permission denied", number=2002,
                                              source="sacctmgr show wckey")
    readers.given["read_qos"] = []
    document, call = read()
    assert document["wckeys"] == [] and document["users"]
    assert call.warnings == [
        {"description": "wckeys: not listed, Slurm does not let this user read them (Unable to query wckey: "
                        "Access/permission denied)", "source": "sacctmgr show wckey"},
        {"description": "slurmdb_qos_get() found nothing", "source": "_dump"}]


def test_any_other_failure_fails_the_read(readers):
    readers.given["read_users"] = SlurmError("Unable to query user: Connection refused", number=1008)
    with pytest.raises(SlurmError, match="Connection refused"):
        read()
