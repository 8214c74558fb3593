"""slurmdbd's statistics and ping (server.convert.slurmdbd_diag, the
sacctmgr command objects) and sacctmgr modify job, on what Slurm 22.05.8
printed (tests/data/slurm-22.05/slurmdbd and .../sacct)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.slurmdb.jobs import assignments_of, raw_exit_status
from server.convert import slurmdbd_diag
from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_diag import SacctmgrConfiguration, SacctmgrStats
from server.slurm.commands.sacctmgr_jobs import SacctmgrModifyJob
from server.slurm.runner import Result
from tests.schemas import reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05"
DBD = DATA / "slurmdbd"
SACCT = DATA / "sacct"
META = {"plugin": {"type": "openapi/slurmdbd", "name": "Slurm OpenAPI slurmdbd",
                   "data_parser": "data_parser/v0.0.44", "accounting_storage": ""},
        "client": {"source": "test", "user": "root", "group": "root"}, "command": [],
        "slurm": {"version": {"major": "22", "minor": "05", "micro": "8"},
                  "release": "22.05.8", "cluster": "srp"}}


def result(argv, stdout="", stderr="", returncode=0, seconds=0.01):
    return Result(tuple(argv), returncode, stdout, stderr, seconds)


STATS_TEXT = (DBD / "sacctmgr-show-stats.txt").read_text()


def test_stats():
    stats = slurmdbd_diag.stats(STATS_TEXT)
    assert stats["time_start"] == 1795249010
    assert stats["rollups"]["hourly"] == {"count": 1, "last_run": 1795249010,
                                          "duration": {"last": 1270, "max": 1270, "time": 1270}}
    assert stats["rollups"]["daily"]["count"] == 0 and stats["rollups"]["monthly"]["last_run"] == 0
    fini = next(r for r in stats["RPCs"] if r["rpc"] == "DBD_FINI")
    assert fini == {"rpc": "DBD_FINI", "count": 980, "time": {"average": 466, "total": 456967}}
    rpc_lines = [line for line in STATS_TEXT.splitlines() if "ave_time:" in line]
    assert len(stats["RPCs"]) + len(stats["users"]) == len(rpc_lines)
    assert {u["user"] for u in stats["users"]} >= {"root", "srp_alice"}
    validate_response(reference_as_meant("v0.0.44"), "get", "/slurmdb/v0.0.44/diag/",
                      {"statistics": stats, "meta": META, "errors": [], "warnings": []})


def test_stats_of_every_rollup_slot_and_a_cluster_block():
    text = ("Data since                    Tue Jul 21 08:42:39 2020 (1595335359)\n\n"
            "Internal DBD rollup last ran Wed Jul 22 11:00:00 2020 (1595430000)\n"
            "\tLast cycle:   18617\n\tMax cycle:    35768\n\tTotal time:   551977\n"
            "\tTotal cycles: 28\n\tMean cycle:   19713\n\n"
            "User RPC rollup call last ran Wed Jul 22 10:00:00 2020 (1595426400)\n"
            "\tLast cycle:   5\n\tMax cycle:    6\n\tTotal time:   7\n\tTotal cycles: 2\n"
            "\tMean cycle:   3\n\n"
            "Cluster 'owens' rollup statistics\nHour  last ran Wed Jul 22 11:00:00 2020 (1595430000)\n"
            "\tLast cycle:   2462\n\tTotal cycles: 28\n")
    stats = slurmdbd_diag.stats(text)
    assert stats["rollups"]["hourly"]["count"] == 28
    assert stats["rollups"]["hourly"]["duration"] == {"last": 18617, "max": 35768, "time": 551977}
    assert stats["rollups"]["daily"] == {"count": 2, "last_run": 1595426400,
                                         "duration": {"last": 5, "max": 6, "time": 7}}
    assert stats["RPCs"] == [] and stats["users"] == []


def test_stats_command():
    command = SacctmgrStats()
    assert command.argv() == ["sacctmgr", "show", "stats"]
    assert command.parse(result(command.argv(), STATS_TEXT))["time_start"] == 1795249010


def test_stats_refused_to_an_unprivileged_user_although_sacctmgr_exits_0():
    command = SacctmgrStats()
    stderr = (DBD / "sacctmgr-show-stats-as-srp_alice.err").read_text()
    with pytest.raises(SlurmError) as caught:
        command.parse(result(command.argv(), "", stderr, returncode=0))
    assert caught.value.number == 2002 and caught.value.error == "Access/permission denied"
    assert caught.value.status == 500  # slurmrestd's answer to ESLURM_ACCESS_DENIED


CONFIGURATION = (DBD / "sacctmgr-show-configuration.txt").read_text()


def test_ping_from_the_configuration_round_trip():
    command = SacctmgrConfiguration()
    answer = command.parse(result(command.argv(), CONFIGURATION, seconds=0.1834))
    assert answer == {"responding": True, "latency": 183400, "host": "127.0.0.1",
                      "backup_host": None}
    body = {"pings": [slurmdbd_diag.ping(answer["host"], True, answer["latency"])],
            "meta": META, "errors": [], "warnings": []}
    validate_response(reference_as_meant("v0.0.44"), "get", "/slurmdb/v0.0.44/ping/", body)


def test_a_slurmdbd_that_does_not_answer_is_not_responding():
    slurm_part = CONFIGURATION.split("SlurmDBD configuration:")[0]
    stderr = ("sacctmgr: error: slurm_persist_conn_open_without_init: failed to open persistent "
              "connection to host:127.0.0.1:16819: Connection refused\n"
              "sacctmgr: error: Sending PersistInit msg: Connection refused\n")
    command = SacctmgrConfiguration()
    answer = command.parse(result(command.argv(), slurm_part, stderr, seconds=2.0))
    assert answer["responding"] is False and answer["latency"] == 2000000


def test_a_bad_token_is_an_error_not_a_dead_slurmdbd():
    stderr = ("sacctmgr: error: Sending PersistInit msg: Protocol authentication error\n"
              "sacctmgr: error: DBD_GET_CONFIG failure: Protocol authentication error\n")
    command = SacctmgrConfiguration()
    with pytest.raises(SlurmError) as caught:
        command.parse(result(command.argv(), CONFIGURATION.split("SlurmDBD")[0], stderr))
    assert caught.value.number == 1007


# -- sacctmgr modify job ------------------------------------------------------------


def test_modify_job_argv_and_changed_records():
    command = SacctmgrModifyJob(["104", "77_2"], [("Comment", "alice says hi"),
                                                 ("DerivedExitCode", "1024")])
    assert command.argv() == ["sacctmgr", "-i", "modify", "job", "where", "jobid=104,77_2", "set",
                              "Comment=alice says hi", "DerivedExitCode=1024"]
    assert command.read_only is False
    out = (SACCT / "sacctmgr-modify-job.txt").read_text()
    assert command.parse(result(command.argv(), out)) == ["104 submitted at 2026-11-21T08:28:28"]


def test_modify_of_an_unknown_job_changes_nothing():
    command = SacctmgrModifyJob(["99999999"], [("Comment", "x")])
    out = (SACCT / "sacctmgr-modify-job-unknown.out").read_text()
    err = (SACCT / "sacctmgr-modify-job-unknown.err").read_text()
    assert command.parse(result(command.argv(), out, err, returncode=1)) is None


def test_modify_of_another_users_job_is_denied():
    command = SacctmgrModifyJob(["104"], [("Comment", "x")])
    err = (SACCT / "sacctmgr-modify-job-other-user.err").read_text()
    with pytest.raises(SlurmError) as caught:
        command.parse(result(command.argv(), "", err, returncode=1))
    assert caught.value.number == 2002


# 25.11's sacctmgr: the heading first, then the failure (exit 1) on stderr.
HEADING_25_11 = " Modified jobs...\n"


def test_modify_on_25_11_of_another_users_job_is_denied():
    command = SacctmgrModifyJob(["104"], [("Comment", "x")])
    err = ("sacctmgr: error: Your user doesn't have privilege to perform this action\n"
           " Error with request: Access/permission denied\n")
    with pytest.raises(SlurmError) as caught:
        command.parse(result(command.argv(), HEADING_25_11, err, returncode=1))
    assert caught.value.number == 2002


def test_modify_on_25_11_of_an_unknown_job_changes_nothing():
    command = SacctmgrModifyJob(["99999999"], [("Comment", "x")])
    err = " Error with request: Data has not changed since time specified\n"
    assert command.parse(result(command.argv(), HEADING_25_11, err, returncode=1)) is None


def test_a_job_modify_body_as_sacctmgr_assignments():
    body = {"comment": {"administrator": "a", "job": "j", "system": "s"},
            "derived_exit_code": {"return_code": {"set": True, "infinite": False, "number": 1024}},
            "wckey": "w"}
    assert assignments_of(body, "", "22.05.8") == [
        ("Comment", "j"), ("AdminComment", "a"), ("SystemComment", "s"),
        ("DerivedExitCode", "1024"), ("NewWCKey", "w")]


@pytest.mark.parametrize("body, field", [
    ({}, "body"),
    ({"extra": "x"}, "extra"),
    ({"tres": {"allocated": [{"type": "energy", "count": 1}]}}, "tres"),
    ({"comment": {"job": "two\nlines"}}, "comment.job"),
    ({"comment": "text"}, "comment"),
    ({"derived_exit_code": {"status": ["ERROR"]}}, "derived_exit_code"),
    ({"derived_exit_code": {"signal": {"name": "NOPE"}}}, "derived_exit_code.signal.name"),
])
def test_what_sacctmgr_cannot_change_is_refused_naming_the_field(body, field):
    with pytest.raises(SlurmError) as caught:
        assignments_of(body, "", "22.05.8")
    assert caught.value.status == 400 and caught.value.source == field


@pytest.mark.parametrize("verbose, raw", [
    ({"return_code": {"set": True, "number": 1024}}, 1024),
    ({"signal": {"id": {"set": True, "number": 9}}}, 9),
    ({"signal": {"name": "SIGKILL"}}, 9),
    ({"signal": {"name": "TERM"}}, 15),
    ({"status": ["SUCCESS"]}, 0),
])
def test_derived_exit_code_as_the_raw_status(verbose, raw):
    assert raw_exit_status(verbose, "derived_exit_code") == raw
