"""Partitions: Slurm 22.05's `scontrol -o show partition` (recorded on the
live cluster, tests/data/slurm-22.05/partitions/) into v0.0.44
partition_info, and the pass-through of a Slurm printing v0.0.44 itself."""

import json
from pathlib import Path

import pytest

from server.convert import partitions
from server.slurm.commands.scontrol_partitions import ScontrolShowPartitions
from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers, recorded
API = "/slurm/v0.0.44"

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "partitions"
UNSET = {"set": False, "infinite": False, "number": 0}
INFINITE = {"set": False, "infinite": True, "number": 0}


def number(n):
    return {"set": True, "infinite": False, "number": n}


@pytest.fixture(scope="module")
def recorded_22_05():
    found = partitions.partitions((DATA / "show-partition.txt").read_text())
    return {p["name"]: p for p in found}


def test_every_record_is_read_and_valid(recorded_22_05):
    assert list(recorded_22_05) == ["debug", "t-part-probe1", "t-part-probe2", "t-part-probe3"]
    body = {"partitions": list(recorded_22_05.values()), "last_update": UNSET}
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/partitions/", body)


def test_the_default_partition(recorded_22_05):
    debug = recorded_22_05["debug"]
    assert debug["nodes"] == {"allowed_allocation": "", "configured": "n[1-3]", "total": 3}
    assert debug["cpus"] == {"task_binding": 0, "total": 6}
    assert debug["tres"] == {"billing_weights": "", "configured": "cpu=6,mem=3000M,node=3,billing=6"}
    # ALL is v0.0.44's empty list, as Slurm 25.11 prints it
    assert debug["accounts"] == {"allowed": "", "deny": ""}
    assert debug["groups"] == {"allowed": ""}
    assert debug["qos"] == {"allowed": "", "deny": "", "assigned": ""}
    assert debug["partition"]["state"] == ["UP"]
    assert debug["defaults"]["time"] == UNSET  # DefaultTime=NONE
    assert debug["maximums"]["time"] == INFINITE  # MaxTime=UNLIMITED
    assert debug["maximums"]["nodes"] == INFINITE
    assert debug["maximums"]["cpus_per_node"] == INFINITE
    assert debug["maximums"]["over_time_limit"] == UNSET  # OverTimeLimit=NONE
    assert debug["maximums"]["shares"] == 1  # OverSubscribe=NO
    assert debug["maximums"]["oversubscribe"] == {"jobs": 1, "flags": []}
    # DefMemPerNode=UNLIMITED is 0 per node, as Slurm keeps it (cf. 25.11's recording)
    assert debug["defaults"]["memory_per_cpu"] == 0
    assert debug["defaults"]["partition_memory_per_node"] == number(0)
    assert debug["defaults"]["partition_memory_per_cpu"] == UNSET
    assert debug["minimums"] == {"nodes": 0}
    assert debug["priority"] == {"job_factor": 1, "tier": 1}
    assert debug["select_type"] == []
    assert debug["timeouts"] == {"resume": UNSET, "suspend": UNSET}
    assert debug["suspend_time"] == UNSET


def test_lists_limits_and_memory_per_cpu(recorded_22_05):
    probe = recorded_22_05["t-part-probe1"]
    assert probe["groups"]["allowed"] == "srp_alice,srp_bob"
    assert probe["accounts"] == {"allowed": "research", "deny": ""}
    assert probe["qos"] == {"allowed": "normal", "deny": "", "assigned": "normal"}
    assert probe["alternate"] == "debug"
    assert probe["cpus"]["task_binding"] == 0x4  # CpuBind=cores: CPU_BIND_TO_CORES
    assert probe["nodes"] == {"allowed_allocation": "", "configured": "", "total": 0}
    assert probe["defaults"]["time"] == number(10)  # DefaultTime=00:10:00
    assert probe["maximums"]["time"] == number(1440)  # MaxTime=1-00:00:00
    assert probe["maximums"]["nodes"] == number(2)
    assert probe["maximums"]["cpus_per_node"] == number(2)
    assert probe["maximums"]["over_time_limit"] == number(5)
    assert probe["minimums"] == {"nodes": 1}
    assert probe["grace_time"] == 30
    assert probe["priority"] == {"job_factor": 10, "tier": 3}
    assert probe["partition"]["state"] == ["DRAIN"]
    # OverSubscribe=FORCE:4: the raw max_share carries SHARED_FORCE (0x8000)
    assert probe["maximums"]["shares"] == 0x8000 | 4
    assert probe["maximums"]["oversubscribe"] == {"jobs": 4, "flags": ["force"]}
    # DefMemPerCPU=100: Slurm keeps 100 | MEM_PER_CPU (2^63), dumped as int64
    assert probe["defaults"]["memory_per_cpu"] == (100 | 1 << 63) - (1 << 64)
    assert probe["defaults"]["partition_memory_per_cpu"] == number(100)
    assert probe["defaults"]["partition_memory_per_node"] == UNSET
    assert probe["maximums"]["partition_memory_per_cpu"] == number(500)
    assert probe["defaults"]["job"] == "DefMemPerGPU=100"
    assert probe["tres"] == {"billing_weights": "CPU=1.0,Mem=0.25G", "configured": ""}


def test_deny_lists_unlimited_times_and_exclusive(recorded_22_05):
    probe = recorded_22_05["t-part-probe2"]
    assert probe["accounts"] == {"allowed": "", "deny": "research"}
    assert probe["qos"]["deny"] == "normal" and probe["qos"]["allowed"] == ""
    assert probe["nodes"]["allowed_allocation"] == "n1"
    assert probe["defaults"]["time"] == INFINITE  # DefaultTime=UNLIMITED
    assert probe["maximums"]["over_time_limit"] == INFINITE
    assert probe["maximums"]["shares"] == 0  # OverSubscribe=EXCLUSIVE
    assert probe["maximums"]["oversubscribe"] == {"jobs": 0, "flags": []}
    assert probe["defaults"]["memory_per_cpu"] == 200  # DefMemPerNode=200
    assert probe["defaults"]["partition_memory_per_node"] == number(200)
    assert probe["maximums"]["partition_memory_per_node"] == number(800)
    assert probe["partition"]["state"] == ["INACTIVE"]


def test_oversubscribe_yes_and_cpu_bind_with_verbose(recorded_22_05):
    probe = recorded_22_05["t-part-probe3"]
    assert probe["maximums"]["shares"] == 2
    assert probe["maximums"]["oversubscribe"] == {"jobs": 2, "flags": []}
    assert probe["cpus"]["task_binding"] == 0x1 | 0x8  # verbose,sockets
    assert probe["partition"]["state"] == ["DOWN"]


def test_an_unprivileged_user_sees_hidden_partitions_only_with_all():
    plain = partitions.partitions((DATA / "show-partition-as-srp_alice.txt").read_text())
    every = partitions.partitions((DATA / "show-partition-all-as-srp_alice.txt").read_text())
    assert [p["name"] for p in plain] == ["debug"]
    assert len(every) == 4


def test_values_22_05_prints_for_power_saving_and_select_type():
    fields = {"PartitionName": "p", "ResumeTimeout": "GLOBAL", "SuspendTimeout": "INFINITE",
              "SuspendTime": "600", "SelectTypeParameters": "CR_CORE_MEMORY,CR_ONE_TASK_PER_CORE",
              "State": "UP", "OverSubscribe": "NO", "NodeSets": "ns1"}
    p = partitions.partition(fields)
    assert p["timeouts"] == {"resume": UNSET, "suspend": INFINITE}
    assert p["suspend_time"] == number(600)
    assert p["select_type"] == ["CORE", "MEMORY", "ONE_TASK_PER_CORE"]
    assert p["node_sets"] == "ns1"


def test_command_options():
    assert ScontrolShowPartitions().argv() == ["scontrol", "-o", "show", "partition"]
    assert ScontrolShowPartitions(flags="ALL").argv() == ["scontrol", "--all", "-o", "show", "partition"]
    assert ScontrolShowPartitions(show_all=True, flags="LOCAL").argv() == [
        "scontrol", "--all", "--local", "-o", "show", "partition"]
    assert ScontrolShowPartitions(flags="MIXED").argv() == ["scontrol", "-o", "show", "partition"]


# --- a Slurm that prints v0.0.44 itself (fake 25.11 client, recorded answers)


def test_partitions_pass_through(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-partitions.json")
    (folder / "scontrol.json").write_text(json.dumps(original))
    response = client.get(f"{API}/partitions/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert (folder / "scontrol.argv").read_text().split("\n") == ["--json=v0.0.44", "show", "partitions"]
    assert body["partitions"] == original["partitions"]
    assert body["last_update"] == original["last_update"]
    assert body["errors"] == []
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/partitions/", body)


def test_one_partition_pass_through_and_flags(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-partitions.json")
    (folder / "scontrol.json").write_text(json.dumps(original))
    response = client.get(f"{API}/partition/GPU", params={"flags": "LOCAL"}, headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert (folder / "scontrol.argv").read_text().split("\n") == [
        "--json=v0.0.44", "--all", "--local", "show", "partitions"]
    assert body["partitions"] == [p for p in original["partitions"] if p["name"] == "gpu"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/partition/{{partition_name}}", body)


def test_unknown_partition_answers_as_slurmrestd_25_11(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.json").write_text(json.dumps(recorded("slurm-partitions.json")))
    response = client.get(f"{API}/partition/nosuch", headers=headers())
    assert response.status_code == 422
    body = response.json()
    [error] = body["errors"]
    assert error["description"] == "Unable to find partition nosuch"
    assert error["error_number"] == 9000  # ESLURM_REST_INVALID_QUERY
    assert body["partitions"] == []
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/partition/{{partition_name}}",
                      body, status=422)


def test_forbidden_nulls_are_left_out(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-partitions.json")
    original["partitions"][0]["alternate"] = None
    (folder / "scontrol.json").write_text(json.dumps(original))
    body = client.get(f"{API}/partitions/", headers=headers()).json()
    assert "alternate" not in body["partitions"][0]
    assert body["partitions"][1] == original["partitions"][1]
