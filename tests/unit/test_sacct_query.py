"""The query of GET /slurmdb/v0.0.44/jobs/ as sacct options and filters
(server.convert.sacct_query), times as slurmrestd takes them
(server.convert.query_time), and the sacct command objects on what 22.05
printed (tests/data/slurm-22.05/sacct)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from server.convert import query_time
from server.convert.sacct_query import (
    EPOCH_START,
    FAR_FUTURE,
    JobQuery,
    QueryError,
    job_selector,
    raw_exit_status,
    unescaped,
)
from server.convert.slurm_time import format_timestamp
from server.slurm.command import SlurmError
from server.slurm.commands.sacct import SacctJson, SacctText
from server.slurm.runner import Result

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "sacct"
NOW = time.mktime(datetime(2026, 11, 21, 10, 30, 15).timetuple())


def local(*fields) -> int:
    return int(time.mktime(datetime(*fields).timetuple()))


# -- times ----------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("1700000000", 1700000000),           # digits: a UNIX time, as slurmrestd reads them
    ("0228", 228),
    ("uts1700000000", 1700000000),
    ("02/28/24", local(2024, 2, 28)),
    ("2/28/24-10:05", local(2024, 2, 28, 10, 5)),
    ("02.28.24", local(2024, 2, 28)),
    ("2024-02-28", local(2024, 2, 28)),
    ("2024-02-28T10:05:30", local(2024, 2, 28, 10, 5, 30)),
    ("02/28", local(2026, 2, 28)),          # no year: this year...
    ("12/24", local(2025, 12, 24)),         # ...or last year for a month still to come
    ("10:05", local(2026, 11, 21, 10, 5)),  # a time of day alone: today
    ("11:45:10", local(2026, 11, 21, 11, 45, 10)),
    ("4:15 PM", local(2026, 11, 21, 16, 15)),
    ("12:30am", local(2026, 11, 21, 0, 30)),
    ("now", int(NOW)),
    ("now-1hours", int(NOW) - 3600),
    ("now+90", int(NOW) + 90),
    ("now-2days", int(NOW) - 2 * 86400),
    ("today", local(2026, 11, 21)),
    ("tomorrow", local(2026, 11, 22)),
    ("midnight", local(2026, 11, 21)),
    ("teatime", local(2026, 11, 21, 16)),
    ("today-noon", local(2026, 11, 21, 12)),
])
def test_times_slurmrestd_accepts(text, expected):
    assert query_time.parse(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["garbage", "", "13/01/24", "02/30x", "25:00", "now-", "now-3years",
                                  "uts12", "2024-13-01", "02/30/24"])
def test_times_slurmrestd_refuses(text):
    with pytest.raises(ValueError):
        query_time.parse(text, now=NOW)


# -- the raw query ----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "submit_time=02%2F28%2F24", "skip_steps&users=srp_alice",
                                 "state=COMPLETED%2CFAILED", "job_name=a+b", "a=b;c=d",
                                 "start_time=now-1hours"])
def test_queries_slurmrestd_reads(raw):
    assert unescaped(raw) is None


@pytest.mark.parametrize("raw, field, says", [
    ("submit_time=02/28/24", "submit_time", "'/'"),
    ("users=srp_alice&state=COMPLETED,FAILED", "state", "','"),
    ("start_time=10:00", "start_time", "%3A"),
    ("job_name=caf%C3%A9&end_time=a%zz", "end_time", "%zz"),
    ("account=a=b", "account", "second '='"),
    ("job_name=é", "job_name", "%C3%A9"),
])
def test_queries_slurmrestd_refuses(raw, field, says):
    problem = unescaped(raw)
    assert problem.field == field and says in problem.message


# -- the job condition ------------------------------------------------------------


def query(**parameters) -> JobQuery:
    return JobQuery.from_parameters(parameters, now=NOW)


def test_no_parameter_at_all_is_every_job_of_all_time():
    q = query(account=None, users=None)
    assert q.everything
    assert q.sacct_options() == ["--allusers", "--allclusters", f"--starttime={EPOCH_START}",
                                 f"--endtime={FAR_FUTURE}"]


def test_no_parameter_on_slurm_25_11_is_the_default_window():
    # as slurmrestd 25.11 selects (test_oracle_reads compares the two)
    q = JobQuery.from_parameters({"account": None}, now=NOW, release="25.11.7")
    assert not q.everything
    with_a_parameter = query(format="").sacct_options()
    assert q.sacct_options() == [*[o for o in with_a_parameter if o != "--duplicates"], "--truncate"]
    assert "--duplicates" in with_a_parameter


def test_defaults_midnight_to_now_duplicates_no_truncation():
    q = query(format="")
    assert q.sacct_options() == ["--allusers", f"--starttime={format_timestamp(local(2026, 11, 21))}",
                                 f"--endtime={format_timestamp(int(NOW))}", "--duplicates"]


def test_lists_and_filters_become_options():
    q = query(account="research,other", cluster="srp", constraints="fast", groups="srp_bob",
              job_name="a,b", partition="debug", qos="normal", reason="None", wckey="w",
              association="4", node="n[1-2]", step="75.0", users="srp_alice")
    options = q.sacct_options()
    assert {"--accounts=research,other", "--clusters=srp", "--constraints=fast",
            "--group=srp_bob", "--name=a,b", "--partition=debug", "--qos=normal",
            "--reason=None", "--wckeys=w", "--associations=4", "--nodelist=n[1-2]",
            "--jobs=75.0", "--user=srp_alice"} <= set(options)
    assert "--allusers" not in options
    # With a step, sacct has no default window: none is given.
    assert not any(o.startswith(("--starttime", "--endtime")) for o in options)


def test_state_window_is_now_or_start():
    assert query(state="FAILED").sacct_options() == [
        "--state=FAILED", "--allusers", f"--starttime={format_timestamp(int(NOW))}",
        f"--endtime={format_timestamp(int(NOW))}", "--duplicates"]
    options = query(state="FAILED", start_time="1700000000").sacct_options()
    assert f"--endtime={format_timestamp(1700000000)}" in options


def test_setting_one_condition_flag_drops_the_defaults():
    options = query(skip_steps="").sacct_options()
    assert "--allocations" in options and "--truncate" in options
    assert "--duplicates" not in options
    assert "--truncate" not in query(skip_steps="true", disable_truncate_usage_time="").sacct_options()
    assert "--duplicates" in query(skip_steps="false").sacct_options()  # false sets nothing
    assert "--whole-hetjob=yes" in query(whole_hetjob="").sacct_options()
    assert "--whole-hetjob=no" in query(disable_whole_hetjob="yes").sacct_options()


def test_submit_time_windows_the_submission():
    q = query(submit_time="02/28/24", end_time="2024-03-01")
    assert q.submit_window == (local(2024, 2, 28), local(2024, 3, 1))
    options = q.sacct_options()
    assert f"--starttime={format_timestamp(local(2024, 2, 28))}" in options
    assert f"--endtime={FAR_FUTURE}" in options and "--truncate" not in options
    assert q.keeps({"time": {"submission": local(2024, 2, 29, 12)}})
    assert not q.keeps({"time": {"submission": local(2024, 3, 2)}})
    assert query(usage_time_as_submit_time="").submit_window == (None, None)


@pytest.mark.parametrize("parameters, field", [
    ({"skip_steps": "maybe"}, "skip_steps"),
    ({"start_time": "garbage"}, "start_time"),
    ({"end_time": "25:61"}, "end_time"),
    ({"submit_time": "02/28/24", "start_time": "now"}, "submit_time"),
    ({"exit_code": "one"}, "exit_code"),
    ({"reservation_id": "7,x"}, "reservation_id"),
    ({"whole_hetjob": "", "disable_whole_hetjob": ""}, "disable_whole_hetjob"),
    ({"job_altered": ""}, "job_altered"),
])
def test_bad_values_name_their_parameter(parameters, field):
    with pytest.raises(QueryError) as caught:
        query(**parameters)
    assert caught.value.field == field


def test_what_is_not_applied_is_said():
    q = JobQuery.from_parameters({"show_batch_script": "", "disable_wait_for_result": "",
                                  "bogus": "1"}, now=NOW, release="22.05.8")
    assert len(q.warnings) == 3
    assert any("bogus" in w for w in q.warnings)
    assert any("22.05.8" in w and "show_batch_script" in w for w in q.warnings)


def job(**fields):
    base = {"user": "srp_alice", "flags": ["STARTED_ON_SCHEDULE", "START_RECEIVED"],
            "exit_code": {"status": ["ERROR"], "return_code": {"set": True, "number": 3},
                          "signal": {"id": {"set": False, "number": 0}, "name": ""}},
            "reservation": {"id": 45, "name": "maint"}, "time": {"submission": 100}}
    return {**base, **fields}


def test_filters_done_on_the_records():
    assert query(users="srp_alice").keeps(job())
    assert not query(users="srp_bob").keeps(job())
    assert query(scheduled_by_main="").keeps(job())
    assert not query(scheduled_by_backfill="").keeps(job())
    assert query(scheduled_by_backfill="", job_started="").keeps(job())  # any of them
    assert query(scheduler_unset="").keeps(job(flags=[]))  # alone: no filter (slurmdbd's rule)
    assert query(exit_code="768").keeps(job())  # the raw status of exit 3
    assert not query(exit_code="3").keeps(job())
    assert query(exit_code="0").keeps(job(exit_code=None))  # 0: no filter
    assert query(reservation="maint").keeps(job()) and not query(reservation="x").keeps(job())
    assert query(reservation_id="45").keeps(job()) and not query(reservation_id="4").keeps(job())


def test_a_uid_in_users_matches_the_name():
    assert query(users="0").user_names == {"root"}


@pytest.mark.parametrize("verbose, raw", [
    ({"status": ["SUCCESS"], "return_code": {"set": True, "number": 0}}, 0),
    ({"status": ["ERROR"], "return_code": {"set": True, "number": 1}}, 256),
    ({"status": ["SIGNALED"], "signal": {"id": {"set": True, "number": 9}}}, 9),
    ({"status": ["CORE_DUMPED"], "signal": {"id": {"set": True, "number": 11}}}, 139),
    ({"status": ["PENDING"]}, None),
])
def test_raw_exit_status(verbose, raw):
    assert raw_exit_status(verbose) == raw


@pytest.mark.parametrize("text, expected", [("123", "123"), (" 123_4", "123_4"), ("123+1", "123+1"),
                                            ("123.batch", "123.batch"), ("123.0", "123.0"),
                                            ("abc", None), ("123.x", None), ("12 3", None)])
def test_job_selector(text, expected):
    assert job_selector(text) == expected


# -- the sacct commands on recorded output ------------------------------------------


def result(argv, stdout="", stderr="", returncode=0):
    return Result(tuple(argv), returncode, stdout, stderr, 0.01)


def test_sacct_json_argv_and_output():
    command = SacctJson(["--jobs=104"])
    assert command.argv() == ["sacct", "--json", "--jobs=104"]
    assert SacctJson([], data_parser="v0.0.44").argv()[:2] == ["sacct", "--json=v0.0.44"]
    doc = command.parse(result(command.argv(), (DATA / "jobs.json").read_text()))
    assert len(doc["jobs"]) == 13


def test_nothing_found_is_no_error():
    command = SacctJson(["--jobs=99999999"])
    doc = command.parse(result(command.argv(), (DATA / "nothing-found.json").read_text()))
    assert doc["jobs"] == []


def test_an_error_in_the_json_is_raised_with_its_number():
    command = SacctJson(["--jobs=104"])
    with pytest.raises(SlurmError) as caught:
        command.parse(result(command.argv(), (DATA / "bad-token.json").read_text()))
    assert caught.value.number == 1007 and caught.value.error == "Protocol authentication error"


@pytest.mark.parametrize("name, field", [("state", "state"), ("qos", "qos"), ("reason", "reason"),
                                         ("users", "users"), ("groups", "groups"),
                                         ("step", "step")])
def test_a_refused_selection_names_the_parameter(name, field):
    command = SacctJson([])
    stderr = (DATA / f"refused-{name}.err").read_text()
    with pytest.raises(SlurmError) as caught:
        command.parse(result(command.argv(), "", stderr, returncode=1))
    assert caught.value.status == 400 and caught.value.source == field
    assert "\n" not in caught.value.description


def test_a_refused_job_id_names_the_path_parameter():
    command = SacctJson(["--jobs=abc"], job_field="job_id")
    with pytest.raises(SlurmError) as caught:
        command.parse(result(command.argv(), "", (DATA / "refused-step.err").read_text(), 1))
    assert caught.value.source == "job_id"


def test_sacct_text_argv_and_output():
    command = SacctText(["--jobs=104"])
    argv = command.argv()
    assert argv[:4] == ["env", "SLURM_TIME_FORMAT=%s", "sacct", "--jobs=104"]
    assert argv[-3:] == ["--parsable2", "--noheader", "--format=jobidraw,submit,exitcode,"
                         "derivedexitcode,associd,reservation,reqmem,flags,timelimitraw,submitline"]
    records = command.parse(result(argv, (DATA / "jobs.txt").read_text()))
    assert len(records["jobs"]) == 13 and len(records["steps"]) == 14
    assert command.source() == "sacct"
