"""server.convert.from_v0038 against what Slurm 22.05.8 really printed.

The input is tests/data/slurm-22.05/squeue.json (see the README beside it);
every converted job and the whole response must pass SchedMD's v0.0.44
description, and the facts a broken conversion would lose are checked
against the recorded values, found by job name, never by a guessed id.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from server.convert import from_v0038 as conv
from tests.schemas import reference_as_meant, reference_path, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05"
JOBS_PATH = "/slurm/v0.0.44/jobs/"


@pytest.fixture(scope="module")
def spec() -> dict:
    return reference_as_meant("v0.0.44")


@pytest.fixture(scope="module")
def job_info_schema(spec) -> dict:
    return spec["components"]["schemas"]["v0.0.44_job_info"]


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


RECORDED = _load("squeue.json")
RECORDED_AS_BOB = _load("squeue-as-srp_bob.json")
V38 = {j["job_id"]: j for j in RECORDED["jobs"]}
CONVERTED = {j["job_id"]: conv.job(j) for j in RECORDED["jobs"]}


def by_name(name: str) -> list[tuple[dict, dict]]:
    """(v0.0.38 record, converted job) of every recorded job with that name."""
    found = [(V38[i], CONVERTED[i]) for i in V38 if V38[i]["name"] == name]
    assert found, f"no job named {name!r} in the recording"
    return found


def one(name: str) -> tuple[dict, dict]:
    found = by_name(name)
    assert len(found) == 1, f"{len(found)} jobs named {name!r}"
    return found[0]


def meta_v0044() -> dict:
    return {"plugin": {"type": "openapi/slurmctld", "name": "Slurm OpenAPI slurmctld",
                       "data_parser": "data_parser/v0.0.44", "accounting_storage": ""},
            "client": {"source": "unit-test", "user": "root", "group": "root"},
            "command": [],
            "slurm": {"version": {"major": "22", "micro": "8", "minor": "05"},
                      "release": "22.05.8", "cluster": "srp"}}


def response(jobs: list[dict]) -> dict:
    return {"jobs": jobs, "last_backfill": dict(conv.UNSET), "last_update": dict(conv.UNSET),
            "meta": meta_v0044(), "errors": [], "warnings": []}


# --- the recording is what the tests think it is ------------------------------

def test_recording_is_22_05_v0038():
    assert RECORDED["meta"]["plugin"]["type"] == "openapi/v0.0.38"
    assert RECORDED["meta"]["Slurm"]["release"] == "22.05.8"
    assert 20 <= len(RECORDED["jobs"]) <= 30


# --- schema validation ------------------------------------------------------

@pytest.mark.parametrize("job_id", sorted(V38))
def test_each_converted_job_matches_v0044_schema(spec, job_id):
    validate_response(spec, "GET", JOBS_PATH, response([CONVERTED[job_id]]))


def test_whole_response_matches_v0044_schema(spec):
    body = {**conv.jobs_response(RECORDED), "meta": meta_v0044(), "errors": [], "warnings": []}
    validate_response(spec, "GET", JOBS_PATH, body)
    assert [j["job_id"] for j in body["jobs"]] == [j["job_id"] for j in RECORDED["jobs"]]


def test_response_as_unprivileged_user_matches_v0044_schema(spec):
    body = {**conv.jobs_response(RECORDED_AS_BOB), "meta": meta_v0044(), "errors": [], "warnings": []}
    validate_response(spec, "GET", JOBS_PATH, body)
    # PrivateData=jobs: slurmctld sent srp_bob his own jobs only
    assert body["jobs"] and {j["user_name"] for j in body["jobs"]} == {"srp_bob"}


def test_spec_fixes_do_not_hide_real_errors(spec):
    """The relaxed description still rejects what it must."""
    _, job = one("completed")
    broken = copy.deepcopy(job)
    broken["job_resources"]["nodes"].pop("count")
    with pytest.raises(AssertionError, match="count"):
        validate_response(spec, "GET", JOBS_PATH, response([broken]))
    broken = copy.deepcopy(job)
    broken["job_state"] = ["COMPLETE"]
    with pytest.raises(AssertionError, match="job_state"):
        validate_response(spec, "GET", JOBS_PATH, response([broken]))
    broken = copy.deepcopy(job)
    broken["time_limit"] = 5
    with pytest.raises(AssertionError, match="time_limit"):
        validate_response(spec, "GET", JOBS_PATH, response([broken]))


def test_real_slurm_25_11_jobs_pass_the_fixed_spec(spec):
    """The fixes make SchedMD's own recorded output valid (bar its null
    job_resources of pending jobs, which from_v0038 leaves out instead)."""
    recorded = Path(reference_path("v0.0.44")).parent.parent / "recorded" / "slurm-25.11" / "0.0.44"
    body = json.loads((recorded / "slurm-jobs.json").read_text())
    for job in body["jobs"]:
        if job.get("job_resources") is None:
            job.pop("job_resources", None)
    validate_response(spec, "GET", JOBS_PATH, body)


# --- the map covers v0.0.44 exactly, and uses every v0.0.38 field ------------

def test_every_v0044_property_is_filled_or_listed_as_not_supplied(job_info_schema):
    filled = [name for name, _, _ in conv.FIELDS]
    assert len(filled) == len(set(filled))
    assert not set(filled) & set(conv.NOT_SUPPLIED)
    assert set(filled) | set(conv.NOT_SUPPLIED) == set(job_info_schema["properties"])
    assert filled == [p for p in job_info_schema["properties"] if p in filled], "not in schema order"
    assert not job_info_schema.get("required")
    for job in CONVERTED.values():
        assert not set(job) & set(conv.NOT_SUPPLIED)


def test_every_v0038_field_is_used_or_dropped():
    used = {source for _, source, _ in conv.FIELDS if isinstance(source, str)} | set(conv.RECORD_FIELDS) | set(conv.DROPPED)
    printed = set().union(*(j.keys() for j in RECORDED["jobs"]))
    assert printed - used == set()


def test_lookup_tables_only_produce_v0044_enum_values(job_info_schema, spec):
    props = job_info_schema["properties"]
    assert {s for states in conv.JOB_STATES.values() for s in states} <= set(props["job_state"]["items"]["enum"])
    assert set(conv.JOB_FLAGS.values()) <= set(props["flags"]["items"]["enum"])
    assert set(conv.SHARED.values()) <= set(props["shared"]["items"]["enum"])
    assert set(conv.PROFILES.values()) <= set(props["profile"]["items"]["enum"])
    core = spec["components"]["schemas"]["v0.0.44_job_res_core"]["properties"]["status"]["items"]["enum"]
    assert {s for st in conv.CORE_STATUS.values() for s in st} <= set(core)


def test_conversion_is_pure():
    before = copy.deepcopy(RECORDED)
    first = conv.jobs_response(RECORDED)
    assert RECORDED == before
    assert conv.jobs_response(RECORDED) == first


def test_common_structs_are_shared_and_no_version_changes_them():
    """Unset, infinite and small numbers are one object each (80 MB less
    for 10,000 jobs), so nothing may change a converted job in place: every
    other version is made from it as requests make them, and the structs
    and the jobs are checked to be as they were."""
    from server.specs import available_versions
    from server.versions import Converter
    from tests.schemas import load_spec, ours_path

    body = conv.jobs_response(RECORDED)
    a, b = body["jobs"][0], body["jobs"][1]
    unset = [k for k in a if a[k] is conv.UNSET]
    assert unset and any(b.get(k) is conv.UNSET for k in unset)
    assert a["cpus"] is conv.number(a["cpus"]["number"])
    pristine = copy.deepcopy(body)
    for version in available_versions():
        spec = load_spec(ours_path(version))
        schema = spec["paths"][f"/slurm/{version}/jobs/"]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        Converter(version, spec, lambda text: None).answer(body, schema)
    assert body == pristine
    assert conv.UNSET == {"set": False, "infinite": False, "number": 0}
    assert conv.INFINITE_STRUCT == {"set": False, "infinite": True, "number": 0}
    assert all(conv.number(n) == {"set": True, "infinite": False, "number": n} for n in range(1024))


def test_response_level_times_are_unset():
    body = conv.jobs_response(RECORDED)
    assert set(body) == {"jobs", "last_backfill", "last_update"}
    assert body["last_backfill"] == body["last_update"] == {"set": False, "infinite": False, "number": 0}


# --- facts a broken conversion would lose ------------------------------------

def test_plain_fields_are_copied_unchanged():
    for job_id, v38 in V38.items():
        new = CONVERTED[job_id]
        for key in ("job_id", "name", "user_id", "user_name", "group_id", "group_name", "account",
                    "partition", "qos", "nodes", "batch_host", "comment", "dependency",
                    "state_reason", "tres_req_str", "tres_alloc_str", "current_working_directory",
                    "array_task_string", "het_job_id_set", "requeue", "contiguous"):
            assert new[key] == v38[key], (job_id, key)


def test_users_and_groups():
    seen = {(v["user_name"], v["group_name"]) for v in V38.values()}
    assert {"root", "srp_alice", "srp_bob"} <= {u for u, _ in seen}
    for name, user in (("alice-run", "srp_alice"), ("bob-run", "srp_bob"), ("completed", "root")):
        v38, job = one(name)
        assert job["user_name"] == v38["user_name"] == user
        assert (job["user_id"], job["group_id"], job["group_name"]) == \
            (v38["user_id"], v38["group_id"], v38["group_name"])


def test_unicode_and_quoted_name_preserved_exactly():
    names = [v["name"] for v in V38.values() if any(ord(c) > 127 for c in v["name"])]
    assert len(names) == 1
    v38, job = one(names[0])
    assert job["name"] == v38["name"]
    for piece in ('"', "'", "\\", "é", "✓", "日本"):
        assert piece in job["name"]
    raw = (DATA / "squeue.json").read_text(encoding="utf-8")
    assert json.dumps(job["name"], ensure_ascii=False) in raw  # same text as Slurm printed
    assert job["comment"] == v38["comment"] and '"' in job["comment"]


def test_states_become_lists():
    expected = {"completed": "COMPLETED", "failed": "FAILED", "signaled": "FAILED",
                "timeout": "TIMEOUT", "cancel-running": "CANCELLED", "cancel-pending": "CANCELLED",
                "alice-run": "RUNNING", "wants-all": "PENDING"}
    for name, state in expected.items():
        v38, job = one(name)
        assert v38["job_state"] == state
        assert job["job_state"] == [state]
    for job_id, v38 in V38.items():
        assert CONVERTED[job_id]["job_state"] == [v38["job_state"]]  # 22.05 printed base states only


def test_flag_state_strings_restore_their_base_state():
    assert conv.job_state("CONFIGURING") == ["RUNNING", "CONFIGURING"]
    assert conv.job_state("REQUEUE_HOLD") == ["PENDING", "REQUEUE_HOLD"]
    assert conv.job_state("COMPLETING") == ["COMPLETING"]
    assert conv.job_state("NOT_A_STATE") == []


def test_held_jobs():
    held = {v["name"]: (v, CONVERTED[i]) for i, v in V38.items()
            if v["state_reason"] in ("JobHeldUser", "JobHeldAdmin") and v["job_state"] == "PENDING"}
    assert {"held-admin", "alice-held"} <= set(held)
    assert held["held-admin"][0]["state_reason"] == "JobHeldAdmin"
    assert held["alice-held"][0]["state_reason"] == "JobHeldUser"
    for v38, job in held.values():
        assert job["job_state"] == ["PENDING"]
        assert job["state_reason"] == v38["state_reason"]
        assert job["hold"] is True
        assert job["priority"] == {"set": True, "infinite": False, "number": 0}
        assert "job_resources" not in job
    _, running = one("alice-run")
    assert running["hold"] is False and running["priority"]["number"] > 0


def test_pending_reasons_and_begin_time():
    for name, reason in (("wants-all", "Resources"), ("dependent", "Dependency"), ("later", "BeginTime")):
        v38, job = one(name)
        assert job["state_reason"] == v38["state_reason"] == reason
        assert job["job_state"] == ["PENDING"]
        assert "job_resources" not in job
    v38, job = one("dependent")
    assert job["dependency"] == v38["dependency"] and v38["dependency"].startswith("afterok:")
    v38, job = one("later")
    assert job["eligible_time"] == {"set": True, "infinite": False, "number": v38["eligible_time"]}
    assert job["time_minimum"]["number"] == v38["time_minimum"] == 2
    assert job["cpus"] == {"set": True, "infinite": False, "number": v38["cpus"]}


def test_array_jobs():
    tasks = [(v, CONVERTED[i]) for i, v in V38.items() if v["array_job_id"]]
    assert len(tasks) >= 5
    for v38, job in tasks:
        assert job["array_job_id"] == {"set": True, "infinite": False, "number": v38["array_job_id"]}
        if v38["array_task_id"] is None:  # the record of the tasks not started yet
            assert job["array_task_id"] == {"set": False, "infinite": False, "number": 0}
        else:
            assert job["array_task_id"] == {"set": True, "infinite": False, "number": v38["array_task_id"]}
    done = sorted((v["array_task_id"], j) for v, j in by_name("array-done"))
    assert [t for t, _ in done] == [1, 2, 3]
    assert [j["job_state"] for _, j in done] == [["COMPLETED"], ["COMPLETED"], ["FAILED"]]
    assert done[2][1]["exit_code"]["return_code"]["number"] == 1
    live = {v["array_task_id"]: (v, j) for v, j in by_name("array-live")}
    v38, meta = live[None]
    assert meta["array_task_string"] == v38["array_task_string"] == "2-3%1"
    assert meta["array_max_tasks"] == {"set": True, "infinite": False, "number": 1}
    assert meta["state_reason"] == "JobArrayTaskLimit"
    assert live[1][1]["job_state"] == ["RUNNING"]
    not_array = CONVERTED[one("completed")[0]["job_id"]]
    assert not_array["array_job_id"] == {"set": True, "infinite": False, "number": 0}
    assert not_array["array_task_id"] == {"set": False, "infinite": False, "number": 0}


def test_het_job():
    parts = sorted(by_name("het-demo"), key=lambda p: p[0]["het_job_offset"])
    assert len(parts) == 2
    leader = parts[0][0]["job_id"]
    for offset, (v38, job) in enumerate(parts):
        assert job["het_job_id"] == {"set": True, "infinite": False, "number": leader}
        assert job["het_job_offset"] == {"set": True, "infinite": False, "number": offset}
        assert job["het_job_id_set"] == v38["het_job_id_set"] == f"{leader}-{leader + 1}"
    assert CONVERTED[one("completed")[0]["job_id"]]["het_job_id"]["number"] == 0


def test_time_limits_in_minutes():
    for job_id, v38 in V38.items():
        limit = CONVERTED[job_id]["time_limit"]
        if v38["time_limit"] is None:
            assert limit == {"set": False, "infinite": True, "number": 0}
        else:
            assert limit == {"set": True, "infinite": False, "number": v38["time_limit"]}
    assert one("timeout")[1]["time_limit"]["number"] == 1
    assert one("bob-run")[1]["time_limit"]["number"] == 2 * 24 * 60
    assert one("bob-pending")[1]["time_limit"]["infinite"] is True


def test_memory():
    v38, job = one("completed")
    assert v38["memory_per_node"] == 50
    assert job["memory_per_node"] == {"set": True, "infinite": False, "number": 50}
    assert job["memory_per_cpu"] == {"set": False, "infinite": False, "number": 0}
    assert job["job_resources"]["nodes"]["allocation"][0]["memory"]["allocated"] == 50
    v38, job = one("alice-run")
    assert v38["memory_per_cpu"] == 100 and v38["memory_per_node"] is None
    assert job["memory_per_cpu"] == {"set": True, "infinite": False, "number": 100}
    assert job["memory_per_node"] == {"set": False, "infinite": False, "number": 0}
    whole = [(v, CONVERTED[i]) for i, v in V38.items()
             if v["memory_per_node"] is None and v["memory_per_cpu"] is None]
    assert whole  # --mem=0 / no request: 22.05 prints null for both
    for _, job in whole:
        assert job["memory_per_node"] == {"set": True, "infinite": False, "number": 0}


def test_exit_codes():
    cases = {"completed": (["SUCCESS"], 0, None), "failed": (["ERROR"], 3, None),
             "signaled": (["SIGNALED"], None, (9, "KILL")), "timeout": (["SIGNALED"], None, (15, "TERM")),
             "cancel-running": (["SIGNALED"], None, (15, "TERM"))}
    for name, (status, code, signal) in cases.items():
        v38, job = one(name)
        ec = job["exit_code"]
        assert ec["status"] == status, name
        if code is None:
            assert ec["return_code"] == {"set": False, "infinite": False, "number": 0}
        else:
            assert ec["return_code"] == {"set": True, "infinite": False, "number": code}
            assert v38["exit_code"] == code << 8
        if signal is None:
            assert ec["signal"] == {"id": {"set": False, "infinite": False, "number": 0}, "name": ""}
        else:
            assert ec["signal"] == {"id": {"set": True, "infinite": False, "number": signal[0]},
                                    "name": signal[1]}
            assert v38["exit_code"] == signal[0]
        assert job["derived_exit_code"]["status"] == ["SUCCESS"]


def test_exit_code_corner_cases():
    assert conv.exit_code(None)["status"] == ["PENDING"]
    assert conv.exit_code(conv.NO_VAL)["status"] == ["PENDING"]
    dumped = conv.exit_code(0x80 | 11)
    assert dumped["status"] == ["CORE_DUMPED"] and dumped["signal"]["name"] == "SEGV"
    assert conv.exit_code(0x7F)["status"] == ["INVALID"]


def test_flags_are_renamed():
    v38, job = one("alice-run")
    assert set(v38["flags"]) == {"JOB_CPUS_SET", "JOB_ACCRUE_OVER", "JOB_WAS_RUNNING", "JOB_MEM_SET"}
    assert job["flags"] == ["EXACT_CPU_COUNT_REQUESTED", "ACCRUE_COUNT_CLEARED", "JOB_WAS_RUNNING",
                            "EXACT_MEMORY_REQUESTED"]
    assert conv.job_flags(["JOB_RESIZED", "KILL_INV_DEP"]) == ["KILL_INVALID_DEPENDENCY"]


def test_sharing():
    v38, job = one("wants-all")
    assert v38["shared"] == "none"
    assert job["shared"] == ["none"]
    v38, job = one("bob-pending")
    assert v38["shared"] == "shared"
    assert job["shared"] == ["oversubscribe"]
    v38, job = one("completed")
    assert v38["shared"] is None and job["shared"] == []
    assert job["job_resources"]["nodes"]["whole"] is False


def test_job_resources_of_running_and_finished_jobs():
    with_res = [(v, CONVERTED[i]) for i, v in V38.items() if "job_resources" in v]
    assert len(with_res) >= 10
    for v38, job in with_res:
        res, new = v38["job_resources"], job["job_resources"]
        assert new["cpus"] == res["allocated_cores"]
        assert new["select_type"] == ["CORE"]
        assert new["nodes"]["count"] == res["allocated_hosts"]
        assert new["nodes"]["list"] == res["nodes"] == v38["nodes"]
        for index, (old, node) in enumerate(zip(res["allocated_nodes"], new["nodes"]["allocation"])):
            assert node["index"] == index and node["name"] == old["nodename"]
            assert node["memory"] == {"used": old["memory_used"], "allocated": old["memory_allocated"]}
            assert node["cpus"]["used"] == old["cpus_used"]
            listed = {(int(s), int(c)) for s, sock in old["sockets"].items() for c in sock["cores"]}
            assert {(s["index"], c["index"]) for s in node["sockets"] for c in s["cores"]} == listed
            assert all(c["status"] == ["ALLOCATED"] for s in node["sockets"] for c in s["cores"])
        assert sum(n["cpus"]["count"] for n in new["nodes"]["allocation"]) == res["allocated_cores"]
    assert conv.job(V38[with_res[0][0]["job_id"]], cr_type=["CORE", "MEMORY"])["job_resources"]["select_type"] \
        == ["CORE", "MEMORY"]


def test_multi_node_cpu_count_is_spread_over_nodes():
    v38 = copy.deepcopy(one("completed")[0])
    v38["job_resources"] = {
        "nodes": "n[1-2]", "allocated_cores": 6, "allocated_hosts": 2,
        "allocated_nodes": [
            {"sockets": {"0": {"cores": {"0": "allocated"}}}, "nodename": "n1",
             "cpus_used": 0, "memory_used": 0, "memory_allocated": 10},
            {"sockets": {"0": {"cores": {"0": "allocated_and_in_use"}}, "1": {"cores": {"0": "allocated"}}},
             "nodename": "n2", "cpus_used": 2, "memory_used": 0, "memory_allocated": 10}]}
    alloc = conv.job(v38)["job_resources"]["nodes"]["allocation"]
    assert [n["cpus"]["count"] for n in alloc] == [2, 4]  # 6 CPUs on 3 cores: 2 threads a core
    assert [n["index"] for n in alloc] == [0, 1]
    assert alloc[1]["sockets"][0]["cores"][0]["status"] == ["ALLOCATED", "IN_USE"]
    v38["job_resources"]["allocated_cores"] = 4  # not a multiple: fall back to the core counts
    assert [n["cpus"]["count"] for n in conv.job(v38)["job_resources"]["nodes"]["allocation"]] == [1, 2]


def test_other_numbers():
    v38, job = one(next(v["name"] for v in V38.values() if v["nice"]))
    assert job["nice"] == v38["nice"] == 5
    assert job["requeue"] is False
    assert one("completed")[1]["nice"] == 0
    for job_id, v38 in V38.items():
        job = CONVERTED[job_id]
        assert job["submit_time"] == {"set": True, "infinite": False, "number": v38["submit_time"]}
        assert job["node_count"]["number"] == v38["node_count"]
        assert job["tasks_per_core"]["infinite"] is (v38["tasks_per_core"] is None)
        if v38["billable_tres"] is None:
            assert job["billable_tres"] == {"set": False, "infinite": False, "number": 0}
        else:
            assert job["billable_tres"]["number"] == v38["billable_tres"]
        assert (job["core_spec"], job["thread_spec"]) == (0, 32766)  # nobody asked for core specialisation
        assert job["step_id"]["job_id"]["number"] == job_id
        assert job["power"] == {"flags": []}
        assert job["profile"] == ["NOT_SET"]


def test_consuming_conversion_gives_the_same_answer_and_lets_the_records_go():
    document = copy.deepcopy(RECORDED)
    consumed = conv.jobs_response(document, consume=True)
    assert consumed == conv.jobs_response(RECORDED)
    assert document["jobs"] and all(record is None for record in document["jobs"])


# --- a job made from the one before it (JobConverter) ------------------------

ALL_RECORDS = RECORDED["jobs"] + RECORDED_AS_BOB["jobs"]


@pytest.mark.parametrize("cr_type", [None, ["CORE", "MEMORY"]])
def test_a_job_made_from_the_one_before_is_the_job_made_alone(cr_type):
    """Every recorded job after every other (running after pending, an
    array task after a finished job...): the same properties, values and
    order as job() gives it alone."""
    for before in ALL_RECORDS:
        for record in ALL_RECORDS:
            convert = conv.JobConverter(cr_type=cr_type)
            convert(before)
            made, alone = convert(record), conv.job(record, cr_type=cr_type)
            assert made == alone, (before["job_id"], record["job_id"])
            assert list(made) == list(alone), (before["job_id"], record["job_id"])


def test_a_list_of_jobs_made_one_from_another_is_the_list_made_alone():
    assert conv.jobs(ALL_RECORDS) == [conv.job(record) for record in ALL_RECORDS]
    assert conv.jobs(ALL_RECORDS[::-1]) == [conv.job(record) for record in ALL_RECORDS[::-1]]


def test_a_changed_field_of_a_job_like_the_one_before_is_converted_again():
    """Two jobs alike but for one field: the second gets its own value, not
    the first's."""
    first = V38[next(i for i in V38 if V38[i]["job_state"] == "PENDING")]
    changes = {"name": "another name", "priority": 0, "time_limit": None, "nice": 5,
               "job_state": "RUNNING", "memory_per_node": 1024, "core_spec": 2}
    for field, value in changes.items():
        assert first[field] != value
        second = {**first, field: value}
        convert = conv.JobConverter()
        convert(first)
        assert convert(second) == conv.job(second), field


def test_an_empty_record_first_is_made_alone():
    convert = conv.JobConverter()
    assert convert({}) == conv.job({})
    assert convert(ALL_RECORDS[0]) == conv.job(ALL_RECORDS[0])


def test_what_is_returned_is_the_callers_own():
    convert = conv.JobConverter()
    made = convert(ALL_RECORDS[0])
    made.clear()
    assert convert(ALL_RECORDS[0]) == conv.job(ALL_RECORDS[0])


class ReadFields(dict):
    """A record that notes which of its fields are read."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read = set()

    def get(self, key, *default):
        self.read.add(key)
        return super().get(key, *default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def test_record_converters_read_only_the_fields_the_map_names_for_them():
    """JobConverter makes a property again only when a field the map names
    for it changed: a converter reading another field would keep a stale
    value."""
    for name, fields, convert in conv.FIELDS:
        if isinstance(fields, str):
            continue
        for record in ALL_RECORDS:
            seen = ReadFields(record)
            convert(seen, {"cr_type": None})
            assert seen.read <= set(fields), (name, seen.read - set(fields))


def test_each_field_is_printed_with_one_json_type_or_null():
    """What JobConverter takes for granted when it finds a field equal to the
    job before's (true == 1 in Python): 22.05 prints a field in one type."""
    types: dict[str, set] = {}
    for record in ALL_RECORDS:
        for field, value in record.items():
            if value is not None:
                types.setdefault(field, set()).add(type(value))
    assert {field: kinds for field, kinds in types.items() if len(kinds) > 1} == {}
