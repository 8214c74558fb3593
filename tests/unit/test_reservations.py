"""Advance reservations: Slurm 22.05's `scontrol -o show reservation`
(recorded on the live cluster, tests/data/slurm-22.05/reservations/) into
v0.0.44 reservation_info; v0.0.44 descriptions into `scontrol create|update
reservation` arguments; what Slurm's failures become."""

import time
from pathlib import Path

import pytest

from server.convert import reservations
from server.convert.reservations import InvalidDescription, scontrol_arguments
from server.slurm.commands.scontrol_reservations import (
    ScontrolCreateReservation,
    ScontrolDeleteReservation,
    ScontrolUpdateReservation,
)
from server.slurm.runner import Result
from tests.schemas import reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "reservations"
API = "/slurm/v0.0.44"
UNSET = {"set": False, "infinite": False, "number": 0}


def number(n):
    return {"set": True, "infinite": False, "number": n}


def local(text):
    """The UNIX time of a local time Slurm printed (the recordings are local)."""
    return int(time.mktime(time.strptime(text, "%Y-%m-%dT%H:%M:%S")))


@pytest.fixture(scope="module")
def recorded_22_05():
    found = reservations.reservations((DATA / "show-reservation.txt").read_text())
    return {r["name"]: r for r in found}


def test_every_record_is_read_and_valid(recorded_22_05):
    assert sorted(recorded_22_05) == sorted(f"t-resv-probe{i}" for i in range(1, 11))
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/reservations/",
                      {"reservations": list(recorded_22_05.values()), "last_update": UNSET})


def test_none_in_the_system():
    assert reservations.reservations((DATA / "show-reservation-none.txt").read_text()) == []


def test_nodes_times_and_users(recorded_22_05):
    r = recorded_22_05["t-resv-probe1"]
    line = (DATA / "show-reservation.txt").read_text().splitlines()[0]
    start = local(line.split("StartTime=")[1].split()[0])
    assert r["start_time"] == number(start)
    assert r["end_time"] == number(start + 3600)  # duration=60 minutes
    assert r["node_list"] == "n3" and r["node_count"] == 1 and r["core_count"] == 2
    assert r["users"] == "root" and r["accounts"] == "" and r["groups"] == ""
    assert r["flags"] == ["SPEC_NODES"]
    assert r["partition"] == "" and r["features"] == "" and r["licenses"] == ""
    assert r["tres"] == "cpu=2"
    assert r["max_start_delay"] == 0
    assert r["purge_completed"] == {"time": UNSET}
    assert r["watts"] == UNSET
    assert r["core_specializations"] == []


def test_accounts_licenses_purge_time_and_start_delay(recorded_22_05):
    r = recorded_22_05["t-resv-probe2"]
    assert r["flags"] == ["MAINT", "IGNORE_JOBS", "PURGE_COMP"]
    assert r["purge_completed"] == {"time": number(300)}  # PURGE_COMP=00:05:00
    assert r["max_start_delay"] == 600  # MaxStartDelay=00:10:00
    assert r["accounts"] == "research" and r["users"] == "srp_alice,srp_bob"
    assert r["licenses"] == "fluent:1" and r["partition"] == "debug"
    assert r["node_list"] == "n[1-2]" and r["node_count"] == 2
    assert r["end_time"]["number"] - r["start_time"]["number"] == 36 * 3600


def test_flag_names_of_22_05(recorded_22_05):
    assert recorded_22_05["t-resv-probe3"]["flags"] == ["FLEX", "DAILY"]
    # LICENSE_ONLY is printed as ANY_NODES, a license-only reservation has no nodes
    probe4 = recorded_22_05["t-resv-probe4"]
    assert probe4["flags"] == ["ANY_NODES"]
    assert probe4["node_list"] == "" and probe4["node_count"] == 0 and probe4["tres"] == ""
    assert probe4["end_time"]["number"] - probe4["start_time"]["number"] == 365 * 86400  # UNLIMITED
    assert recorded_22_05["t-resv-probe7"]["flags"] == [
        "WEEKLY", "SPEC_NODES", "STATIC", "NO_HOLD_JOBS_AFTER_END", "MAGNETIC"]
    assert recorded_22_05["t-resv-probe9"]["flags"] == ["TIME_FLOAT", "REPLACE", "REPLACE_DOWN"]
    # FIRST_CORES has no v0.0.44 name
    assert recorded_22_05["t-resv-probe8"]["flags"] == ["OVERLAP", "WEEKDAY", "SPEC_NODES", "PART_NODES"]


def test_groups_denied_users_and_accounts_and_burst_buffer(recorded_22_05):
    assert recorded_22_05["t-resv-probe6"]["groups"] == "srp_alice"
    assert recorded_22_05["t-resv-probe6"]["users"] == ""
    assert recorded_22_05["t-resv-probe7"]["users"] == "-srp_bob"
    assert recorded_22_05["t-resv-probe7"]["burst_buffer"] == "foo:1G"
    assert recorded_22_05["t-resv-probe8"]["accounts"] == "-research"
    assert recorded_22_05["t-resv-probe5"]["core_count"] == 1


def test_core_ids_and_an_update_that_cleared_every_flag():
    [r] = reservations.reservations((DATA / "show-reservation-core-ids.txt").read_text())
    assert r["core_specializations"] == [{"node": "n1", "core": "0"}]
    assert r["flags"] == ["MAINT", "SPEC_NODES", "STATIC", "PURGE_COMP"]
    [updated] = reservations.reservations((DATA / "show-reservation-probe3-updated.txt").read_text())
    assert updated["flags"] == []  # "Flags=" printed empty
    assert updated["users"] == "root,srp_bob"
    assert updated["end_time"]["number"] - updated["start_time"]["number"] == 86400 + 1800


def test_22_05_clears_every_flag_after_a_minus():
    # why scontrol_arguments puts the words that clear last: after
    # `flags=-maint,daily` probe2 lost MAINT and did not get DAILY
    text = (DATA / "show-reservation-probe2-after-minus-maint-daily.txt").read_text()
    [r] = reservations.reservations(text)
    assert r["flags"] == ["IGNORE_JOBS", "PURGE_COMP"]


def test_an_active_license_only_reservation():
    text = (DATA.parent / "licenses" / "show-reservation-license-only-active.txt").read_text()
    [r] = reservations.reservations(text)
    assert r["licenses"] == "matlab:1" and r["flags"] == ["ANY_NODES"]
    assert r["end_time"]["number"] - r["start_time"]["number"] == 60


# --- writing: descriptions into scontrol arguments

START = 1900000000


def desc(**extra):
    base = {"name": "t-resv-x", "start_time": number(START), "duration": number(60),
            "node_list": ["n1"], "users": ["root"]}
    return {**base, **extra}


def test_a_creation():
    args = scontrol_arguments(desc(accounts=["research"], partition="debug", licenses=["fluent:1"],
                                   features="fast", burst_buffer="foo:1G",
                                   tres=[{"type": "cpu", "count": 2}, {"type": "gres", "name": "gpu",
                                                                       "count": 1}],
                                   max_start_delay=number(600), node_count=number(1),
                                   core_count=number(2), flags=["MAINT", "IGNORE_JOBS"]),
                              update=False)
    assert args == [
        "ReservationName=t-resv-x",
        f"StartTime={time.strftime('%Y-%m-%dT%H:%M:%S', time.localtime(START))}",
        "Duration=60", "NodeCnt=1", "CoreCnt=2", "Nodes=n1", "PartitionName=debug",
        "Features=fast", "BurstBuffer=foo:1G", "Users=root", "Accounts=research",
        "Licenses=fluent:1", "TRES=cpu=2,gres/gpu=1", "MaxStartDelay=0-00:10:00",
        "Flags=MAINT,IGNORE_JOBS",
    ]


def test_times_round_trip_through_slurms_local_format():
    args = scontrol_arguments(desc(end_time=number(START + 3600), duration=None), update=False)
    start = args[1].split("=", 1)[1]
    end = args[2].split("=", 1)[1]
    assert local(start) == START and local(end) == START + 3600


def test_flags_and_their_negations_in_22_05_words():
    args = scontrol_arguments({"name": "r", "flags": ["NO_MAINT", "STATIC", "NO_STATIC", "NO_FLEX",
                                                     "ANY_NODES", "NO_PURGE_COMP", "MAGNETIC",
                                                     "REPLACE_DOWN", "NO_HOLD_JOBS_AFTER_END"]},
                              update=True)
    # words that clear come last: 22.05 reads every word after a "-" as clearing
    assert args == ["ReservationName=r", "Flags=STATIC_ALLOC,ANY_NODES,MAGNETIC,REPLACE_DOWN,"
                    "NO_HOLD_JOBS_AFTER_END,-MAINT,-STATIC_ALLOC,-FLEX,-PURGE_COMP"]


def test_purge_time_rides_on_the_flag():
    args = scontrol_arguments(desc(flags=["PURGE_COMP"], purge_completed={"time": number(300)}),
                              update=False)
    assert args[-1] == "Flags=PURGE_COMP=0-00:05:00"


def test_updates_take_duration_changes_skip_and_infinite_end():
    assert scontrol_arguments({"name": "r", "duration": number(30), "flags": ["DURATION_PLUS"]},
                              update=True) == ["ReservationName=r", "Duration+=30"]
    assert scontrol_arguments({"name": "r", "duration": number(30), "flags": ["DURATION_MINUS"]},
                              update=True) == ["ReservationName=r", "Duration-=30"]
    assert scontrol_arguments({"name": "r", "flags": ["SKIP"]}, update=True) == ["ReservationName=r", "Skip"]
    assert scontrol_arguments({"name": "r", "end_time": {"infinite": True}}, update=True) == [
        "ReservationName=r", "Duration=UNLIMITED"]
    # an unset number is "not given"
    assert scontrol_arguments({"name": "r", "node_count": {"set": False, "number": 5}, "users": []},
                              update=True) == ["ReservationName=r"]


def test_comment_exists_from_23_02_on():
    with pytest.raises(InvalidDescription) as raised:
        scontrol_arguments(desc(comment="hello"), update=False)
    assert raised.value.field == "comment"
    args = scontrol_arguments(desc(comment="hello"), update=False, slurm_version=(25, 11, 0))
    assert "Comment=hello" in args


def test_a_partition_without_resources_stands_for_its_nodes():
    # slurmctld (through scontrol, as through slurmrestd) reserves the
    # whole partition; nothing to refuse here.
    args = scontrol_arguments(desc(node_list=[], partition="debug"), update=False)
    assert "PartitionName=debug" in args and not any(a.startswith("Nodes=") for a in args)


@pytest.mark.parametrize("changes, field, words", [
    ({"name": ""}, "name", "name is required"),
    ({"start_time": None}, "start_time", "start time"),
    ({"duration": None}, "end_time", "end_time or a duration"),
    ({"end_time": number(START - 1), "duration": None}, "end_time", "after the start"),
    ({"end_time": number(START + 60), "duration": number(60)}, "duration", "does not equal"),
    ({"node_list": None}, "node_list", "needs resources"),
    ({"users": None}, "users", "users, groups or accounts"),
    ({"groups": ["srp_alice"]}, "groups", "mutually exclusive"),
    ({"flags": ["PART_NODES"]}, "flags", "PART_NODES"),
    ({"flags": ["SPEC_NODES"]}, "flags", "SPEC_NODES cannot be requested"),
    ({"flags": ["USER_DELETE"]}, "flags", "USER_DELETE does not exist in Slurm 22.05"),
    ({"flags": ["DURATION_PLUS"]}, "flags", "only applies when changing"),
    ({"flags": ["SKIP"]}, "flags", "SKIP only applies"),
    ({"purge_completed": {"time": number(60)}}, "purge_completed.time", "PURGE_COMP"),
    ({"start_time": {"infinite": True}}, "start_time", "infinite"),
    ({"node_count": {"infinite": True}}, "node_count", "infinite"),
    ({"max_start_delay": {"set": True, "number": -5}}, "max_start_delay.number", "at least 0"),
    ({"tres": [{"type": "cpu"}]}, "tres[0].count", "count"),
])
def test_descriptions_slurm_cannot_take_name_the_field(changes, field, words):
    with pytest.raises(InvalidDescription) as raised:
        scontrol_arguments(desc(**changes), update=False)
    assert raised.value.field == field
    assert words in raised.value.message


def test_what_a_new_reservation_needs_is_not_asked_of_an_update():
    assert scontrol_arguments({"name": "r", "users": ["srp_bob"]}, update=True) == [
        "ReservationName=r", "Users=srp_bob"]


def test_command_argv_keeps_every_value_one_word():
    create = ScontrolCreateReservation(["ReservationName=a b", "Users=x,y"], "a b")
    assert create.argv() == ["scontrol", "create", "reservation", "ReservationName=a b", "Users=x,y"]
    assert ScontrolUpdateReservation(["ReservationName=r", "Duration=5"], "r").argv() == [
        "scontrol", "update", "ReservationName=r", "Duration=5"]
    # a name that looks like an option stays part of its Key=value word
    assert ScontrolDeleteReservation("--all").argv() == ["scontrol", "delete", "ReservationName=--all"]
    assert not create.read_only


# --- Slurm's refusals (recorded stderr) as errors


def failure_of(command, name):
    text = (DATA / name).read_text().replace("exit=1\n", "")
    return command.failure(Result(tuple(command.argv()), 1, "", text, 0.1), "failed")


@pytest.mark.parametrize("name, number, status", [
    ("stderr-create-as-srp_alice.txt", 2010, 500),  # not an operator: ESLURM_USER_ID_MISSING
    ("stderr-create-duplicate-name.txt", 2082, 500),
    ("stderr-create-overlap.txt", 2058, 500),
    ("stderr-create-unknown-license.txt", 2048, 500),
    ("stderr-create-unknown-node.txt", 2018, 500),
    ("stderr-create-bad-feature.txt", 2029, 500),
    ("stderr-create-unknown-user.txt", 2010, 500),
    ("stderr-create-start-in-past.txt", 2054, 500),
    ("stderr-update-unknown.txt", 2053, 500),
    ("stderr-update-as-srp_alice.txt", 2010, 500),
    ("stderr-delete-unknown.txt", 2053, 500),
    ("stderr-delete-as-srp_alice.txt", 2010, 500),
])
def test_slurms_refusals_keep_their_number(name, number, status):
    error = failure_of(ScontrolCreateReservation([], "r"), name)
    assert error.number == number
    assert error.status == status
    assert error.description.startswith("failed: ")


def test_a_check_of_scontrols_own_has_no_number():
    # scontrol's own checks print no Slurm error text; ours run first anyway
    error = failure_of(ScontrolCreateReservation([], "r"), "stderr-create-no-users.txt")
    assert error.number == -1
    assert "Users/Groups and/or Accounts" in error.description
