"""server.convert.sacct_v0038 against what Slurm 22.05.8 really printed
(tests/data/slurm-22.05/sacct, see the README there): every converted
response must pass SchedMD's v0.0.44 description, and the facts 22.05's
JSON gets wrong must come out right, found by job name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.convert import sacct_v0038 as conv
from tests.schemas import reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "sacct"
JOBS_PATH = "/slurmdb/v0.0.44/jobs/"
NOW = 1795249800  # a little after the recording
META = {"plugin": {"type": "openapi/slurmdbd", "name": "Slurm OpenAPI slurmdbd",
                   "data_parser": "data_parser/v0.0.44", "accounting_storage": ""},
        "client": {"source": "test", "user": "root", "group": "root"}, "command": [],
        "slurm": {"version": {"major": "22", "minor": "05", "micro": "8"},
                  "release": "22.05.8", "cluster": "srp"}}


def load(name):
    return json.loads((DATA / name).read_text())


DOC = load("jobs.json")
TEXT = conv.text_records((DATA / "jobs.txt").read_text())
CONVERTED = conv.jobs_response(DOC, TEXT, now=NOW)


def by_name(name, jobs=None):
    found = [j for j in (jobs or CONVERTED["jobs"]) if j["name"] == name]
    assert found, name
    return found


def one(name):
    [job] = by_name(name)
    return job


def test_the_whole_response_passes_the_reference():
    validate_response(reference_as_meant("v0.0.44"), "get", JOBS_PATH,
                      {**CONVERTED, "meta": META, "errors": [], "warnings": []})


def test_every_job_of_the_json_is_converted_with_its_text_row():
    assert len(CONVERTED["jobs"]) == len(DOC["jobs"]) == len(TEXT["jobs"]) == 13
    assert all("submit_line" in j and "id" in j["association"] for j in CONVERTED["jobs"])


def test_exit_codes_come_from_the_text_where_the_json_lost_them():
    raw = {j["job_id"]: j for j in DOC["jobs"]}
    fail = one("acct-fail")
    assert raw[fail["job_id"]]["exit_code"] == {"status": "SUCCESS", "return_code": 0}  # 22.05
    assert fail["exit_code"]["status"] == ["ERROR"]
    assert fail["exit_code"]["return_code"] == {"set": True, "infinite": False, "number": 3}
    assert fail["state"]["current"] == ["FAILED"]
    assert fail["steps"][0]["exit_code"]["return_code"]["number"] == 3
    failed_task = next(j for j in by_name("acct-array") if j["array"]["task_id"]["number"] == 2)
    assert failed_task["exit_code"]["status"] == ["ERROR"]
    assert failed_task["exit_code"]["return_code"]["number"] == 1


def test_signals_and_derived_exit_codes():
    steps = one("acct-steps")
    assert steps["derived_exit_code"]["status"] == ["SIGNALED"]
    assert steps["derived_exit_code"]["signal"] == {
        "id": {"set": True, "infinite": False, "number": 13}, "name": "PIPE"}
    [batch, first, second] = steps["steps"]
    assert [s["step"]["id"] for s in steps["steps"]] == [f"{steps['job_id']}.{n}"
                                                          for n in ("batch", 0, 1)]
    assert first["exit_code"]["signal"]["name"] == "PIPE" and first["state"] == ["CANCELLED"]
    assert first["tasks"]["count"] == 2 and second["tasks"]["count"] == 1
    cancelled = one("acct-cancel")
    assert cancelled["state"]["current"] == ["CANCELLED"]
    assert cancelled["steps"][0]["exit_code"]["signal"]["name"] == "TERM"
    # The owner set DerivedExitCode=1024, a raw status: return code 4.
    ok = one("acct-ok")
    assert ok["derived_exit_code"]["status"] == ["ERROR"]
    assert ok["derived_exit_code"]["return_code"]["number"] == 4
    assert ok["exit_code"]["status"] == ["SUCCESS"]


def test_comments():
    assert one("acct-ok")["comment"] == {"administrator": "", "job": "alice says hi", "system": ""}
    assert one("acct-fail")["comment"] == {"administrator": "admin-note", "job": "",
                                           "system": "system-note"}


def test_flags_from_the_text():
    assert one("acct-ok")["flags"] == ["STARTED_ON_SCHEDULE", "START_RECEIVED"]
    assert one("acct-2nodes")["flags"] == ["STARTED_ON_BACKFILL", "START_RECEIVED"]
    held = one("acct-held")
    assert held["flags"] == ["START_RECEIVED"]
    assert all("CLEAR_SCHEDULING" not in j["flags"] for j in CONVERTED["jobs"])


def test_a_job_cancelled_while_pending():
    held = one("acct-held")
    assert held["steps"] == []
    assert held["state"] == {"current": ["CANCELLED"], "reason": "JobHeldUser"}
    assert held["nodes"] == "None assigned" and held["allocation_nodes"] == 0
    # Never eligible (held): no planned time. slurmdbd gives a cancelled
    # pending job its end as start.
    assert held["time"]["eligible"] == 0 and held["time"]["planned"]["set"] is False
    assert held["time"]["start"] == held["time"]["end"] > 0


def test_planned_time():
    ok = one("acct-ok")["time"]
    assert ok["planned"] == {"set": True, "infinite": False, "number": ok["start"] - ok["eligible"]}
    pending = conv.planned({"eligible": NOW - 30, "start": 0}, NOW)
    assert pending["number"] == 30


def test_memory_per_cpu_or_per_node():
    percpu = one("acct-percpu")["required"]
    assert percpu["CPUs"] == 2
    assert percpu["memory_per_cpu"] == {"set": True, "infinite": False, "number": 60}
    assert percpu["memory_per_node"]["set"] is False
    twonodes = one("acct-2nodes")["required"]
    assert twonodes["memory_per_node"] == {"set": True, "infinite": False, "number": 30}
    assert twonodes["memory_per_cpu"]["set"] is False


def test_arrays_users_associations_limits_and_submit_lines():
    tasks = by_name("acct-array")
    array_id = {t["array"]["job_id"] for t in tasks}
    assert len(array_id) == 1
    assert sorted(t["array"]["task_id"]["number"] for t in tasks) == [1, 2, 3]
    assert next(t for t in tasks if t["array"]["task_id"]["number"] == 3)["job_id"] in array_id
    bob = one("acct-bob")
    assert bob["user"] == "srp_bob" and bob["association"]["user"] == "srp_bob"
    assert bob["association"]["id"] != one("acct-ok")["association"]["id"]
    assert one("acct-nolimit")["time"]["limit"] == {"set": True, "infinite": False,
                                                    "number": 525600}
    assert one("acct-resv")["time"]["limit"]["number"] == 1
    assert one("acct-fail")["submit_line"].endswith("--wrap exit 3")
    assert one("acct-resv")["reservation"]["id"] > 0
    assert one("acct-resv")["reservation"]["name"] == ""  # gone before the recording


def test_tres_and_steps():
    ok = one("acct-ok")
    energy = next(t for t in ok["tres"]["allocated"] if t["type"] == "energy")
    assert energy == {"type": "energy", "name": "", "id": 3, "count": -2}
    [batch] = ok["steps"]
    assert batch["CPU"]["governor"] == "0"
    assert batch["CPU"]["requested_frequency"]["min"] == {"set": True, "infinite": False,
                                                          "number": 0}
    assert batch["nodes"]["list"] == [batch["nodes"]["range"]]
    srun_step = one("acct-steps")["steps"][1]
    assert srun_step["CPU"]["governor"] == ""
    assert srun_step["CPU"]["requested_frequency"]["max"]["set"] is False
    assert ok["hold"] is False and ok["priority"]["set"] is True


def test_without_the_text_the_json_is_used_as_it_is():
    job = conv.job(DOC["jobs"][0], None, now=NOW)
    assert "submit_line" not in job and "id" not in job["association"]
    assert job["flags"] == ["STARTED_ON_SCHEDULE"]  # CLEAR_SCHEDULING dropped
    assert job["reservation"]["name"] == ""
    validate_response(reference_as_meant("v0.0.44"), "get", JOBS_PATH,
                      {"jobs": [job], "meta": META, "errors": [], "warnings": []})


def test_skip_steps_and_nothing_found():
    skipped = conv.jobs_response(load("jobs-skip-steps.json"), TEXT, now=NOW)
    assert len(skipped["jobs"]) == 13 and all(j["steps"] == [] for j in skipped["jobs"])
    assert conv.jobs_response(load("nothing-found.json"), None) == {"jobs": []}


def test_text_records():
    records = conv.text_records("7|100|1:0|0:0|4||50M|SchedMain|5|sbatch --wrap 'a|b'\n"
                                "second line of the wrap\n"
                                "7.batch|101|1:0||4|||||\n"
                                "7.0|101|0:9||4|||||srun x\n")
    assert records["jobs"][(7, 100)]["submitline"] == "sbatch --wrap 'a|b'\nsecond line of the wrap"
    assert set(records["steps"]) == {(7, 100, "batch"), (7, 100, "0")}


@pytest.mark.parametrize("text, raw", [("0:0", 0), ("3:0", 768), ("0:9", 9), ("4:0", 1024),
                                       ("", None), ("x", None)])
def test_exit_status(text, raw):
    assert conv.exit_status(text) == raw


def test_exit_status_keeps_a_core_dump_the_json_reports():
    code = conv.exit_code({"status": "CORE_DUMPED", "signal": {"signal_id": 11}}, "0:11")
    assert code["status"] == ["CORE_DUMPED"] and code["signal"]["name"] == "SEGV"


@pytest.mark.parametrize("text, megabytes", [("120M", 120), ("1.50G", 1536), ("512K", 0.5),
                                             ("", None), ("0", 0)])
def test_memory_mb(text, megabytes):
    assert conv.memory_mb(text) == megabytes


@pytest.mark.parametrize("value, expected", [
    ("5", {"set": True, "infinite": False, "number": 5}),
    ("UNLIMITED", {"set": False, "infinite": True, "number": 0}),
    ("Partition_Limit", {"set": False, "infinite": False, "number": 0}),
])
def test_time_limit(value, expected):
    assert conv.time_limit(None, value) == expected


@pytest.mark.parametrize("value, expected", [([], "0"), (["Performance"], "Performance"),
                                             (["ondemand"], "OnDemand"),
                                             (["Conservative", "Performance"], "")])
def test_governor(value, expected):
    assert conv.governor(value) == expected
