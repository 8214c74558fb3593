"""The readers and writers behind v0.0.45's new operations: configuration
text read against the version's schema, partition_info made into scontrol
settings, and scontrol requeue's per-job outcome."""

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from server.convert.conf_text import ConfReader, sections
from server.convert.partition_settings import settings
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_requeue import ScontrolRequeue
from server.slurm.errno import by_name

DATA = Path(__file__).resolve().parents[1] / "data"
DOCUMENT = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi" / "v0.0.45.yaml").read_text())


@pytest.mark.parametrize("release", ["22.05", "25.11"])
def test_slurm_conf_from_scontrol_show_config(release):
    printed = sections((DATA / f"slurm-{release}" / "conf" / "scontrol-show-config.txt").read_text())[0]
    reader = ConfReader(DOCUMENT)
    conf = reader.read(printed, "v0.0.45_slurm_conf")
    assert conf["ClusterName"] == "srp"
    assert conf["AccountingStorageEnforce"] == ["associations", "limits", "qos"]
    assert conf["MessageTimeout"] == 10  # "10 sec"
    assert conf["SuspendTime"] == {"set": False, "infinite": True, "number": 0}  # INFINITE
    assert conf["PreemptMode"] == ["DISABLED"]  # printed OFF
    assert conf["SlurmUser"] == "root" and conf["SlurmUserId"] == 0  # root(0)
    assert conf["controllers"] == [{"machine": "vm", "address": "127.0.0.1"}]
    assert "AccountingStorageBackupHost" not in conf  # (null)
    assert "SrunPortRange" not in conf  # 0-0
    meta = reader.read(printed, "v0.0.45_slurm_conf_meta")
    assert meta["SLURM_VERSION"].startswith(release)
    assert meta["NEXT_JOB_ID"]["set"] and meta["LastUpdate"] > 1_700_000_000


@pytest.mark.parametrize("release", ["22.05", "25.11"])
def test_slurmdbd_conf_from_sacctmgr(release):
    text = (DATA / f"slurm-{release}" / "conf" / "sacctmgr-show-configuration.txt").read_text()
    printed = sections(text[text.index("SlurmDBD configuration:"):])[0]
    conf = ConfReader(DOCUMENT).read(printed, "v0.0.45_slurmdbd_conf")
    assert conf["DbdPort"] in (16819, 16829) and conf["StorageUser"] == "slurm"
    assert conf["Flags"] == (["AllowNoDefAcct"] if printed["AllowNoDefAcct"] == "yes" else [])
    assert "PurgeJobAfter" not in conf  # NONE
    assert "MaxQueryTimeRange" in conf and "DefaultQOS" not in conf


def test_purge_units_and_port_ranges():
    reader = ConfReader(DOCUMENT)
    conf = reader.read({"PurgeJobAfter": "12months", "CommitDelay": "No"}, "v0.0.45_slurmdbd_conf")
    assert conf == {"PurgeJobAfter": {"set": True, "months": 12}}
    assert reader.read({"SrunPortRange": "60001-63000"}, "v0.0.45_slurm_conf") == {
        "SrunPortRange": {"minimum": 60001, "maximum": 63000, "set": True}}


def test_partition_settings():
    name, values = settings({
        "name": "p1", "flags": ["HIDDEN", "LLN_CLEAR"], "partition": {"state": ["DRAIN"]},
        "maximums": {"time": {"set": True, "infinite": False, "number": 90},
                     "nodes": {"set": False, "infinite": True, "number": 0},
                     "cpus_per_node": {"set": False, "infinite": False, "number": 0},
                     "oversubscribe": {"jobs": 4, "flags": ["force"]}},
        "cpus": {"task_binding": ["CPU_BIND_TO_CORES", "VERBOSE"], "total": 8},
        "accounts": {"allowed": "a,b"}, "preempt_mode": ["CLUSTER_GLOBAL"],
    }, "partitions[0]")
    assert name == "p1"
    assert values == ["Hidden=YES", "LLN=NO", "State=DRAIN", "MaxTime=90", "MaxNodes=UNLIMITED",
                      "CpuBind=cores,verbose", "AllowAccounts=a,b", "OverSubscribe=FORCE:4"]


@pytest.mark.parametrize("partition,field", [
    ({"name": "p", "colour": 1}, "partitions[0].colour"),
    ({"name": "p", "flags": ["LOUD"]}, "partitions[0].flags"),
    ({"name": "p x"}, "partitions[0].name"),
    ({"name": "p", "partition": {"state": ["UP", "DOWN"]}}, "partitions[0].partition.state"),
    ({"name": "p", "maximums": {"time": "soon"}}, "partitions[0].maximums.time"),
    ({"name": "p", "alternate": "q\nState=DOWN"}, "partitions[0].alternate"),
])
def test_partition_settings_refused_by_name(partition, field):
    with pytest.raises(SlurmError) as refused:
        settings(partition, "partitions[0]")
    assert refused.value.status == 400 and refused.value.source == field


def result(stderr: str, ok: bool):
    return SimpleNamespace(stdout="", stderr=stderr, ok=ok, argv=["scontrol"])


def test_requeue_outcome_per_job():
    command = ScontrolRequeue(["12", "13", "14_2"], hold=False)
    assert command.argv() == ["scontrol", "requeue", "12,13,14_2"]
    outcomes = command.parse(result("Job is pending execution for job 13\n"
                                    "Invalid job id specified for job 14_2\n", ok=False))
    assert [(o.job, o.number) for o in outcomes] == [
        ("12", 0), ("13", by_name("ESLURM_JOB_PENDING").number),
        ("14_2", by_name("ESLURM_INVALID_JOB_ID").number)]


def test_requeue_special_exit_is_held():
    command = ScontrolRequeue(["12"], special_exit=True, incomplete=True)
    assert command.argv() == ["scontrol", "requeuehold", "Incomplete", "State=SpecialExit", "12"]


def test_requeue_failure_without_a_job_line_is_an_error():
    with pytest.raises(SlurmError):
        ScontrolRequeue(["12"]).parse(result("scontrol: error: Unable to contact slurmctld", ok=False))
