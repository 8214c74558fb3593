"""server/convert/sdiag_text.py: 22.05's ``sdiag`` text -> v0.0.44 statistics.

tests/data/slurm-22.05/sdiag*.txt were printed by Slurm 22.05.8's sdiag on the
local cluster (capture-errno-ping-sdiag.sh). The variants below that no
recording shows (no cycle yet, backfill running, pending RPCs, a newer sdiag's
exit reasons) are those texts edited along sdiag.c's printf formats; each edit
is spelled out where it is made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from server.convert import sdiag_text
from tests.schemas import load_spec, ours_path, reference_path, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05"
RECORDINGS = sorted(p.name for p in DATA.glob("sdiag*.txt"))
PATH = "/slurm/v0.0.44/diag/"
SPECS = pytest.mark.parametrize(
    "spec_path", [reference_path("v0.0.44"), ours_path("v0.0.44")], ids=["reference", "ours"]
)

# Every field a 22.05 sdiag text gives once the schedulers have run.
FIELDS_OF_22_05 = {
    "req_time", "req_time_start", "server_thread_count", "agent_queue_size",
    "agent_count", "agent_thread_count", "dbd_agent_queue_size", "gettimeofday_latency",
    "jobs_submitted", "jobs_started", "jobs_completed", "jobs_canceled", "jobs_failed",
    "job_states_ts", "jobs_pending", "jobs_running",
    "schedule_cycle_last", "schedule_cycle_max", "schedule_cycle_total",
    "schedule_cycle_mean", "schedule_cycle_mean_depth", "schedule_cycle_per_minute",
    "schedule_queue_length",
    "bf_backfilled_jobs", "bf_last_backfilled_jobs", "bf_backfilled_het_jobs",
    "bf_cycle_counter", "bf_when_last_cycle", "bf_cycle_last", "bf_cycle_max",
    "bf_cycle_mean", "bf_last_depth", "bf_last_depth_try", "bf_depth_mean",
    "bf_depth_mean_try", "bf_queue_len", "bf_queue_len_mean", "bf_table_size",
    "bf_table_size_mean", "bf_active",
    "rpcs_by_message_type", "rpcs_by_user", "pending_rpcs", "pending_rpcs_by_hostlist",
}


def recorded(name: str = "sdiag-after-jobs.txt") -> str:
    return (DATA / name).read_text()


def no_val(number):
    return {"set": True, "infinite": False, "number": number}


def validate(spec_path, stats):
    validate_response(load_spec(spec_path), "GET", PATH, {"statistics": stats})


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


# --- the recordings -----------------------------------------------------------

def test_there_are_recordings():
    assert len(RECORDINGS) >= 2


@pytest.mark.parametrize("name", RECORDINGS)
def test_every_line_is_understood(name):
    stats, leftovers = sdiag_text.parse_with_leftovers(recorded(name))
    assert leftovers == []
    assert set(stats) == FIELDS_OF_22_05


@pytest.mark.parametrize("name", RECORDINGS)
@SPECS
def test_recordings_validate(name, spec_path):
    validate(spec_path, sdiag_text.parse(recorded(name)))


def test_values_of_the_recording():
    stats = sdiag_text.parse(recorded())
    assert stats["req_time"] == no_val(1795248506)
    assert stats["req_time_start"] == no_val(1795247738)
    assert stats["server_thread_count"] == 3
    assert stats["jobs_submitted"] == 41
    assert stats["jobs_started"] == 28
    assert stats["jobs_completed"] == 18
    assert stats["jobs_canceled"] == 18
    assert stats["jobs_running"] == 1
    assert stats["job_states_ts"] == no_val(1795248488)
    assert stats["gettimeofday_latency"] == 23
    # "Last cycle" and friends mean different fields in the two sections
    assert (stats["schedule_cycle_last"], stats["schedule_cycle_max"]) == (22, 1408)
    assert (stats["bf_cycle_last"], stats["bf_cycle_max"]) == (215, 1350)
    assert stats["schedule_cycle_total"] == 39
    assert stats["schedule_cycle_mean"] == 294
    assert stats["schedule_cycle_per_minute"] == 3
    assert stats["bf_cycle_counter"] == 6
    assert stats["bf_cycle_mean"] == 717
    assert stats["bf_backfilled_het_jobs"] == 2
    assert stats["bf_when_last_cycle"] == no_val(1795248217)
    assert stats["bf_active"] is False
    assert stats["pending_rpcs"] == []
    assert stats["pending_rpcs_by_hostlist"] == []


def test_rpcs_by_message_type():
    by_type = {r["message_type"]: r for r in sdiag_text.parse(recorded())["rpcs_by_message_type"]}
    assert len(by_type) == 17
    assert by_type["REQUEST_SUBMIT_BATCH_JOB"] == {
        "type_id": 4003,
        "message_type": "REQUEST_SUBMIT_BATCH_JOB",
        "count": 43,
        "queued": 0,
        "dropped": 0,
        "cycle_last": 0,
        "cycle_max": 0,
        "total_time": 27623,
        "average_time": no_val(642),
    }
    assert by_type["MESSAGE_NODE_REGISTRATION_STATUS"]["type_id"] == 1002


def test_rpcs_by_user_keep_sdiag_order():
    users = sdiag_text.parse(recorded())["rpcs_by_user"]
    assert [u["user"] for u in users] == ["root", "srp_bob", "srp_alice"]
    assert users[0] == {
        "user_id": 0, "user": "root", "count": 313, "total_time": 189313,
        "average_time": no_val(604),
    }
    assert users[1] == {
        "user_id": 1002, "user": "srp_bob", "count": 15, "total_time": 3672,
        "average_time": no_val(244),
    }


def test_fields_come_in_schema_order():
    schema = load_spec(reference_path("v0.0.44"))["components"]["schemas"]["v0.0.44_stats_msg"]
    order = list(schema["properties"])
    keys = list(sdiag_text.parse(recorded()))
    assert keys == sorted(keys, key=order.index)


# --- what the recordings do not show -------------------------------------------

def fresh_controller() -> str:
    """No scheduling cycle yet, less than a minute since the reset: sdiag.c
    prints no means, no "Cycles per minute", and "Last cycle when: N/A"."""
    text = recorded("sdiag.txt")
    for line in (
        "\tMean cycle:   267\n", "\tMean depth cycle:  3\n", "\tCycles per minute: 3\n",
        "\tMean cycle: 717\n", "\tDepth Mean: 8\n", "\tDepth Mean (try depth): 8\n",
        "\tQueue length mean: 8\n", "\tMean table size: 2\n",
    ):
        text = edit(text, line, "")
    text = edit(text, "\tTotal cycles: 34\n", "\tTotal cycles: 0\n")
    text = edit(text, "\tTotal cycles: 6\n", "\tTotal cycles: 0\n")
    return edit(text, "\tLast cycle when: Sat Nov 21 08:03:37 2026 (1795248217)\n",
                "\tLast cycle when: N/A\n")


def test_missing_lines_give_missing_fields():
    stats, leftovers = sdiag_text.parse_with_leftovers(fresh_controller())
    assert leftovers == []
    missing = FIELDS_OF_22_05 - set(stats)
    assert missing == {
        "schedule_cycle_mean", "schedule_cycle_mean_depth", "schedule_cycle_per_minute",
        "bf_cycle_mean", "bf_depth_mean", "bf_depth_mean_try", "bf_queue_len_mean",
        "bf_table_size_mean",
    }
    assert stats["schedule_cycle_total"] == 0
    assert stats["bf_cycle_counter"] == 0
    assert stats["bf_when_last_cycle"] == no_val(0)


@SPECS
def test_fresh_controller_validates(spec_path):
    validate(spec_path, sdiag_text.parse(fresh_controller()))


def busy_controller() -> str:
    """Backfill running, and RPCs waiting: sdiag.c's heading with the WARNING,
    '\\t%-40s(%5u) count:%-6u' per pending type, then the 'Pending RPCs' dump
    '\\t%2u: %-36s %s' (index, type, hostlist)."""
    text = edit(recorded(), "\nBackfilling stats\n",
                "\nBackfilling stats (WARNING: data obtained in the middle of backfilling"
                " execution.)\n")
    return edit(
        text,
        "\tNo pending RPCs\n",
        "\tREQUEST_TERMINATE_JOB                   ( 6011) count:3     \n"
        "\tREQUEST_LAUNCH_PROLOG                   ( 6017) count:1     \n"
        "\nPending RPCs\n"
        "\t 1: REQUEST_TERMINATE_JOB                n[1-2]\n"
        "\t 2: REQUEST_TERMINATE_JOB                n3\n"
        "\t 3: REQUEST_LAUNCH_PROLOG                n[01-02],login\n",
    )


def test_backfill_running_and_pending_rpcs():
    stats, leftovers = sdiag_text.parse_with_leftovers(busy_controller())
    assert leftovers == []
    assert stats["bf_active"] is True
    assert stats["pending_rpcs"] == [
        {"type_id": 6011, "message_type": "REQUEST_TERMINATE_JOB", "count": 3},
        {"type_id": 6017, "message_type": "REQUEST_LAUNCH_PROLOG", "count": 1},
    ]
    assert stats["pending_rpcs_by_hostlist"] == [
        {"type_id": 6011, "message_type": "REQUEST_TERMINATE_JOB", "count": ["n1", "n2"]},
        {"type_id": 6011, "message_type": "REQUEST_TERMINATE_JOB", "count": ["n3"]},
        {"type_id": 6017, "message_type": "REQUEST_LAUNCH_PROLOG",
         "count": ["n01", "n02", "login"]},
    ]


@SPECS
def test_busy_controller_validates(spec_path):
    validate(spec_path, sdiag_text.parse(busy_controller()))


def newer_sdiag() -> str:
    """A newer sdiag also prints the exit reasons, '\\t%s:%2u' per reason, after
    each scheduler's block (sdiag.c of current Slurm)."""
    text = edit(recorded(), "\tLast queue length: 0\n\nBackfilling stats\n",
                "\tLast queue length: 0\n\nMain scheduler exit:\n"
                "\tEnd of job queue:37\n\tHit default_queue_depth: 0\n"
                "\tHit sched_max_job_start: 0\n\tBlocked on licenses: 0\n"
                "\tHit max_rpc_cnt: 2\n\tTimeout (max_sched_time): 0\n"
                "\nBackfilling stats\n")
    return edit(text, "\tMean table size: 2\n",
                "\tMean table size: 2\n\nBackfill exit\n"
                "\tEnd of job queue: 6\n\tHit bf_max_job_start: 0\n"
                "\tHit bf_max_job_test: 0\n\tSystem state changed: 0\n"
                "\tHit table size limit (bf_node_space_size): 0\n"
                "\tTimeout (bf_max_time): 1\n")


def test_exit_reasons_of_a_newer_sdiag():
    stats, leftovers = sdiag_text.parse_with_leftovers(newer_sdiag())
    assert leftovers == []
    assert stats["schedule_exit"] == {
        "end_job_queue": 37, "default_queue_depth": 0, "max_job_start": 0,
        "licenses": 0, "max_rpc_cnt": 2, "max_sched_time": 0,
    }
    assert stats["bf_exit"] == {
        "end_job_queue": 6, "bf_max_job_start": 0, "bf_max_job_test": 0,
        "state_changed": 0, "bf_node_space_size": 0, "bf_max_time": 1,
    }
    # and the backfill block after it is still read as backfill
    assert stats["bf_table_size_mean"] == 2
    assert stats["schedule_queue_length"] == 0


@SPECS
def test_newer_sdiag_validates(spec_path):
    validate(spec_path, sdiag_text.parse(newer_sdiag()))


def test_unknown_lines_are_reported_not_guessed():
    text = edit(recorded(), "Agent count:", "Agent frobnication: 7\nAgent count:")
    stats, leftovers = sdiag_text.parse_with_leftovers(text)
    assert leftovers == ["Agent frobnication: 7"]
    assert stats == sdiag_text.parse(recorded())


def test_not_sdiag_output():
    with pytest.raises(ValueError):
        sdiag_text.parse("No data available. Probably slurmctld is not working\n")


@pytest.mark.parametrize(
    "hostlist, hosts",
    [
        ("n1", ["n1"]),
        ("n[1-3]", ["n1", "n2", "n3"]),
        ("n[1-2,5],login", ["n1", "n2", "n5", "login"]),
        ("n[08-10]", ["n08", "n09", "n10"]),
        ("r[1-2]n[1-2]", ["r1n1", "r1n2", "r2n1", "r2n2"]),
        ("a,b", ["a", "b"]),
    ],
)
def test_expand_hostlist(hostlist, hosts):
    assert sdiag_text.expand_hostlist(hostlist) == hosts
