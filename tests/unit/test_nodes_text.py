"""Slurm 22.05's `scontrol show node` text (recorded on the local cluster, see
tests/data/slurm-22.05/nodes/capture.sh) into v0.0.44 nodes, checked fact by
fact and against SchedMD's v0.0.44 description."""

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from server.convert import nodes_text
from tests.schemas import reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "nodes"
API = "/slurm/v0.0.44"
RECORDINGS = sorted(p.name for p in DATA.glob("*.txt") if p.name != "unknown.txt")


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    # The recordings were made on a machine in UTC: read their times in UTC.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def text(name):
    return (DATA / name).read_text()


def one(name, **options):
    [record] = nodes_text.records(text(name))
    return nodes_text.node(record, **options)


def utc_epoch(stamp):
    return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp())


def at(stamp):
    return {"set": True, "infinite": False, "number": utc_epoch(stamp)}


@pytest.mark.parametrize("name", RECORDINGS)
def test_every_recording_validates_against_the_reference(name):
    listing = nodes_text.nodes_response(text(name), default_port=6818)
    assert listing["nodes"]
    body = {**listing, "meta": {}, "errors": [], "warnings": []}
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/nodes/", body)


def test_records_keep_free_texts_whole():
    records = {r["NodeName"]: r for r in nodes_text.records(text("all.txt"))}
    assert list(records) == ["n1", "n2", "n3", "t-nodes-cap1", "t-nodes-cap2"]
    cap1 = records["t-nodes-cap1"]
    # On one line these would have split into bogus Extra/x/y keys.
    assert cap1["Comment"] == "a comment Extra=not-extra"
    assert cap1["Extra"] == "x=1 y=2"
    assert records["n1"]["OS"] == "Linux 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0"
    assert records["t-nodes-cap2"]["Reason"] == "first line [root@2026-11-21T08:25:21]\nsecond line"


def test_idle_node():
    node = one("idle.txt", default_port=6818)
    assert node["name"] == "n3"
    assert node["state"] == ["IDLE"]
    assert node["cpus"] == 2 and node["effective_cpus"] == 2
    assert node["alloc_cpus"] == 0 and node["alloc_idle_cpus"] == 2
    assert node["cores"] == 1 and node["sockets"] == 2 and node["threads"] == 1 and node["boards"] == 1
    assert node["real_memory"] == 1000 and node["alloc_memory"] == 0
    assert node["free_mem"] == {"set": True, "infinite": False, "number": 23465}
    assert node["cpu_load"] == 58
    assert node["address"] == "127.0.0.1" and node["hostname"] == "vm"
    assert node["port"] == 17003  # printed: it differs from SlurmdPort
    assert node["version"] == "22.05.8"
    assert node["architecture"] == "x86_64"
    assert node["partitions"] == ["debug"]
    assert node["features"] == [] and node["active_features"] == []
    assert node["gres"] == "" and node["gres_drained"] == "N/A" and node["gres_used"] == ""
    assert node["tres"] == "cpu=2,mem=1000M,billing=2" and node["tres_used"] == ""
    assert node["boot_time"] == at("2026-11-21T07:46:30")
    assert node["slurmd_start_time"] == at("2026-11-21T08:16:53")
    assert node["last_busy"] == at("2026-11-21T08:25:18")
    assert node["reason"] == "" and node["reason_set_by_user"] == ""
    assert node["reason_changed_at"] == {"set": True, "infinite": False, "number": 0}
    assert node["owner"] == "" and node["mcs_label"] == ""
    assert node["next_state_after_reboot"] == ["INVALID"]
    assert node["energy"] == {"average_watts": 0,
                              "current_watts": {"set": True, "infinite": False, "number": 0}}
    assert node["weight"] == 1 and node["temporary_disk"] == 0


def test_mixed_and_allocated():
    mixed = one("mixed.txt")
    assert mixed["state"] == ["MIXED"]
    assert (mixed["alloc_cpus"], mixed["alloc_idle_cpus"], mixed["alloc_memory"]) == (1, 1, 100)
    assert mixed["tres_used"] == "cpu=1,mem=100M"
    allocated = one("allocated.txt")
    assert allocated["state"] == ["ALLOCATED"]
    assert (allocated["alloc_cpus"], allocated["alloc_idle_cpus"]) == (2, 0)
    assert allocated["tres_used"] == "cpu=2,mem=200M"


def test_draining_and_drained_keep_the_reason_whole():
    draining = one("draining.txt")
    assert draining["state"] == ["MIXED", "DRAIN"]
    assert draining["reason"] == "t-nodes capture: bad DIMM Slot=3 [see ticket]"
    assert draining["reason_set_by_user"] == "root"
    assert draining["reason_changed_at"] == at("2026-11-21T08:25:17")
    drained = one("drained.txt")
    assert drained["state"] == ["IDLE", "DRAIN"]
    assert drained["reason"] == draining["reason"]


def test_down_and_just_resumed():
    down = one("down.txt")
    assert down["state"] == ["DOWN", "DRAIN"]
    assert down["reason"] == "t-nodes capture: down"
    resumed = one("resumed.txt")
    # slurmctld pings a resumed node: not responding until slurmd answers.
    assert resumed["state"] == ["IDLE", "NOT_RESPONDING"]
    assert resumed["boot_time"] == {"set": True, "infinite": False, "number": 0}  # BootTime=None
    assert resumed["reason"] == ""


def test_future_dynamic_node():
    node = one("future-dynamic.txt", default_port=6818)
    assert node["name"] == "t-nodes-cap1"
    assert node["state"] == ["FUTURE", "DYNAMIC_NORM"]
    assert node["cpu_binding"] == 0x1 | 0x4  # CpuBind=verbose,cores
    assert node["features"] == ["fa", "fb"] and node["active_features"] == ["fa"]
    assert node["weight"] == 7
    assert node["comment"] == "a comment Extra=not-extra"
    assert node["extra"] == "x=1 y=2"
    assert "cpu_load" not in node  # CPULoad=N/A
    assert node["free_mem"] == {"set": False, "infinite": False, "number": 0}
    assert node["port"] == 6818  # not printed: slurm.conf's SlurmdPort
    assert node["architecture"] == "" and node["version"] == "" and node["operating_system"] == ""
    assert node["last_busy"] == {"set": True, "infinite": False, "number": 0}  # Unknown
    assert node["partitions"] == []


def test_reason_of_two_lines():
    node = one("drained-dynamic-two-line-reason.txt")
    assert node["state"] == ["FUTURE", "DRAIN", "DYNAMIC_NORM"]
    assert node["reason"] == "first line\nsecond line"
    assert node["reason_set_by_user"] == "root"
    assert node["reason_changed_at"] == at("2026-11-21T08:25:21")


def test_without_details_gres_use_is_left_out_not_guessed():
    [record] = nodes_text.records(text("idle.txt"))
    del record["GresDrain"]
    node = nodes_text.node(record, detailed=False)
    assert "gres_used" not in node and "gres_drained" not in node


def test_names_keep_exact_matches_only():
    listing = nodes_text.nodes_response(text("all.txt"), names=["n2"])
    assert [n["name"] for n in listing["nodes"]] == ["n2"]
    assert listing["last_update"] == {"set": False, "infinite": False, "number": 0}
    assert nodes_text.nodes_response(text("all.txt"), names=["n"])["nodes"] == []
    assert nodes_text.nodes_response(text("unknown.txt"))["nodes"] == []


def test_state_without_an_api_name_is_dropped_with_a_warning():
    warnings = []
    assert nodes_text.states("IDLE+PERFCTRS+DRAIN", warnings) == ["IDLE", "DRAIN"]
    assert warnings == ["node state PERFCTRS has no name in the API and is left out"]


def test_values_read_from_later_slurms():
    record = {"NodeName": "x", "State": "IDLE", "Owner": "srp_alice(1001)",
              "ResumeAfterTime": "2026-11-21T09:00:00", "RestrictedCoresPerGPU": "2(0-1)",
              "NextState": "RESUME", "CpuBind": "sockets,bogus"}
    warnings = []
    node = nodes_text.node(record, warnings=warnings)
    assert node["owner"] == "srp_alice"
    assert node["resume_after"] == at("2026-11-21T09:00:00")
    assert node["res_cores_per_gpu"] == 2 and node["gpu_spec"] == "0-1"
    assert node["next_state_after_reboot"] == ["RESUME"]
    assert node["cpu_binding"] == 0x8
    assert warnings == ["CPU binding bogus is not known and is left out of cpu_binding"]
