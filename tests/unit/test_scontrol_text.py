"""`scontrol -o show` lines of Slurm 22.05.8, as the live cluster printed them."""

from server.convert.scontrol_text import record, records, value_or_none

NODE = ("NodeName=n1 Arch=x86_64 CoresPerSocket=1  CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=1.54 "
        "AvailableFeatures=(null) ActiveFeatures=(null) Gres=(null) NodeAddr=127.0.0.1 NodeHostName=vm "
        "Port=17001 Version=22.05.8 OS=Linux 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0  RealMemory=1000 "
        "AllocMem=0 FreeMem=22718 Sockets=2 Boards=1 State=IDLE+DRAIN ThreadsPerCore=1 TmpDisk=0 Weight=1 "
        "Owner=N/A MCS_label=N/A Partitions=debug  BootTime=2026-11-21T07:46:30 "
        "CfgTRES=cpu=2,mem=1000M,billing=2 AllocTRES= CapWatts=n/a "
        "Reason=disk died, see ticket #12 [root@2026-11-21T08:20:00]")


def test_a_node_line():
    node = record(NODE)
    assert node["NodeName"] == "n1"
    assert node["OS"] == "Linux 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0"
    assert node["CfgTRES"] == "cpu=2,mem=1000M,billing=2"
    assert node["AllocTRES"] == ""
    assert node["State"] == "IDLE+DRAIN"
    assert node["Reason"] == "disk died, see ticket #12 [root@2026-11-21T08:20:00]"
    assert node["CoresPerSocket"] == "1" and node["CPUAlloc"] == "0"


def test_several_records_and_unset_values():
    text = ("LicenseName=fluent Total=4 Used=0 Free=4 Reserved=0 Remote=no\n\n"
            "LicenseName=matlab Total=2 Used=1 Free=1 Reserved=0 Remote=no\n")
    assert [r["LicenseName"] for r in records(text)] == ["fluent", "matlab"]
    assert records(text)[1]["Used"] == "1"
    assert value_or_none("(null)") is None and value_or_none("N/A") is None
    assert value_or_none("n1") == "n1"
