#!/usr/bin/env python3
"""Records what Slurm 22.05.8's sacctmgr prints for QOS, TRES, wckeys and
clusters into tests/data/slurm-22.05/{qos,tres,wckeys,clusters}/, with the
argument vectors of slurmrestpy's own command objects (so the recordings are
exactly what the readers get). Run as root with the local cluster up:

    .venv/bin/python tests/data/slurm-22.05/qos/capture.py

It creates only its own objects (QOS t-qos-capture-*, account
t-acct-capture, user t-user-capture and its wckeys, cluster t-clu-capture)
and deletes them at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO))

from server.slurm.commands.sacctmgr_clusters import (SacctmgrAddCluster,  # noqa: E402
                                                     SacctmgrDeleteCluster, SacctmgrShowClusters,
                                                     SacctmgrShowRootAssociations)
from server.slurm.commands.sacctmgr_qos import (SacctmgrAddQos, SacctmgrDeleteQos,  # noqa: E402
                                                SacctmgrModifyQos, SacctmgrShowQos)
from server.slurm.commands.sacctmgr_tres import SacctmgrShowTres  # noqa: E402
from server.slurm.commands.sacctmgr_wckeys import (SacctmgrAddWckey,  # noqa: E402
                                                   SacctmgrDeleteWckey, SacctmgrShowUsers,
                                                   SacctmgrShowWckeys)

CONF = REPO / ".cluster" / "etc" / "slurm.conf"
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SLURM_CONF": str(CONF), "LANG": "C.UTF-8"}
DATA = HERE.parent
QOS = ("t-qos-capture-a", "t-qos-capture-b", "t-qos-capture-c")


def run(argv, user=None):
    env = dict(ENV)
    if user:
        token = subprocess.run(["scontrol", "token", f"username={user}", "lifespan=300"], env=ENV,
                               capture_output=True, text=True, check=True).stdout.split("=", 1)[1].strip()
        env["SLURM_JWT"] = token
        argv = ["runuser", "-u", user, "--", "env", *[f"{k}={v}" for k, v in env.items()], *argv]
    return subprocess.run(argv, env=env, capture_output=True, text=True, cwd="/tmp")


def save(folder, name, result, *, streams=False):
    target = DATA / folder
    (target / "stderr").mkdir(parents=True, exist_ok=True)
    if streams:
        (target / "stderr" / f"{name}.out").write_text(result.stdout)
        (target / "stderr" / f"{name}.err").write_text(result.stderr)
        (target / "stderr" / f"{name}.rc").write_text(f"{result.returncode}\n")
    else:
        assert result.returncode == 0, (name, result.stderr)
        (target / f"{name}.txt").write_text(result.stdout)


def main():
    try:
        capture()
    finally:
        for name in QOS:
            run(SacctmgrDeleteQos(name).argv())
        run(SacctmgrDeleteCluster("t-clu-capture").argv())
        run(["sacctmgr", "-i", "delete", "user", "where", "name=t-user-capture"])
        run(["sacctmgr", "-i", "delete", "account", "where", "name=t-acct-capture"])


def capture():
    # --- QOS: one with every limit, one with every flag, one 22.05-only
    save("qos", "add-b", run(SacctmgrAddQos("t-qos-capture-b", [
        "Description=all the flags, gang|suspend", "PreemptMode=suspend,gang",
        "Flags=DenyOnLimit,EnforceUsageThreshold,NoReserve,PartitionMaxNodes,PartitionMinNodes,"
        "OverPartQOS,PartitionTimeLimit,RequiresReservation,NoDecay,UsageFactorSafe",
        "UsageFactor=0", "PreemptExemptTime=0"]).argv()), streams=True)
    save("qos", "add-a", run(SacctmgrAddQos("t-qos-capture-a", [
        "Description=every limit", "Priority=10", "GraceTime=30", "PreemptExemptTime=2-03:04:05",
        "PreemptMode=requeue", "Preempt=normal,t-qos-capture-b", "UsageFactor=1.5",
        "UsageThreshold=0.25", "LimitFactor=2", "GrpTRES=cpu=4,mem=2048,fs/disk=5000,billing=7",
        "GrpTRESMins=cpu=600,mem=3072", "GrpTRESRunMins=cpu=300", "GrpJobs=5", "GrpJobsAccrue=3",
        "GrpSubmitJobs=10", "GrpWall=2-00:00:00", "MaxTRES=cpu=2,node=1",
        "MaxTRESPerNode=cpu=2,mem=1500", "MaxTRESMins=cpu=100", "MaxWall=90", "MaxTRESPU=cpu=3",
        "MaxJobsPU=2", "MaxSubmitJobsPU=4", "MaxTRESPA=cpu=4,mem=1048576", "MaxJobsPA=3",
        "MaxSubmitJobsPA=6", "MaxJobsAccruePU=1", "MaxJobsAccruePA=2", "MaxTRESRunMinsPU=cpu=50",
        "MaxTRESRunMinsPA=cpu=70", "MinPrioThres=5", "MinTRES=cpu=1"]).argv()), streams=True)
    save("qos", "add-c", run(SacctmgrAddQos("t-qos-capture-c", ["PreemptMode=cancel,within"]).argv()),
         streams=True)
    save("qos", "show-qos", run(SacctmgrShowQos(names=("normal", *QOS)).argv()))
    save("qos", "show-qos-unknown", run(SacctmgrShowQos(names=("t-qos-capture-none",)).argv()))
    save("qos", "add-existing", run(SacctmgrAddQos("t-qos-capture-c", []).argv()), streams=True)
    save("qos", "add-as-srp_alice", run(SacctmgrAddQos("t-qos-capture-d", []).argv(), "srp_alice"),
         streams=True)
    save("qos", "modify-as-srp_alice", run(SacctmgrModifyQos("t-qos-capture-c", ["Priority=3"]).argv(),
                                           "srp_alice"), streams=True)
    save("qos", "modify-unknown-tres", run(SacctmgrModifyQos("t-qos-capture-c", ["GrpTRES=gres/gpu=2"]
                                                             ).argv()), streams=True)
    save("qos", "modify-unknown-preempt", run(SacctmgrModifyQos("t-qos-capture-c", ["Preempt=nope"]
                                                                ).argv()), streams=True)
    save("qos", "modify-clear", run(SacctmgrModifyQos("t-qos-capture-a", [
        "Preempt=", "Flags=-1", "MaxWall=-1", "GrpTRES=cpu=-1", "UsageFactor=-1"]).argv()),
        streams=True)
    save("qos", "show-qos-cleared", run(SacctmgrShowQos(names=("t-qos-capture-a",)).argv()))
    save("qos", "delete-c", run(SacctmgrDeleteQos("t-qos-capture-c").argv()), streams=True)
    save("qos", "delete-unknown", run(SacctmgrDeleteQos("t-qos-capture-none").argv()), streams=True)

    # --- TRES
    save("tres", "show-tres", run(SacctmgrShowTres().argv()))
    save("tres", "add-tres", run(["sacctmgr", "-i", "add", "tres", "gres/t-capture"]), streams=True)

    # --- wckeys (on a user of our own; `add user` creates it with the wckeys)
    run(["sacctmgr", "-i", "add", "account", "name=t-acct-capture", "description=capture",
         "organization=capture"])
    run(["sacctmgr", "-i", "add", "user", "name=t-user-capture", "account=t-acct-capture"])
    save("wckeys", "add", run(SacctmgrAddWckey("t-user-capture", "t-wk-a", "srp").argv()), streams=True)
    run(SacctmgrAddWckey("t-user-capture", "t-wk-b", "srp").argv())
    save("wckeys", "add-existing", run(SacctmgrAddWckey("t-user-capture", "t-wk-a", "srp").argv()),
         streams=True)
    save("wckeys", "add-as-srp_alice", run(SacctmgrAddWckey("t-user-capture", "t-wk-c", "srp").argv(),
                                           "srp_alice"), streams=True)
    save("wckeys", "show-wckeys", run(SacctmgrShowWckeys(users=("t-user-capture",)).argv()))
    save("wckeys", "show-wckeys-as-srp_alice", run(SacctmgrShowWckeys().argv(), "srp_alice"),
         streams=True)
    save("wckeys", "show-users", run(SacctmgrShowUsers(("t-user-capture",)).argv()))
    save("wckeys", "delete", run(SacctmgrDeleteWckey("t-user-capture", "t-wk-b", "srp").argv()),
         streams=True)
    save("wckeys", "delete-unknown", run(SacctmgrDeleteWckey("t-user-capture", "t-wk-z", "srp").argv()),
         streams=True)

    # --- clusters
    save("clusters", "add", run(SacctmgrAddCluster("t-clu-capture").argv()), streams=True)
    save("clusters", "add-existing", run(SacctmgrAddCluster("t-clu-capture").argv()), streams=True)
    save("clusters", "add-as-srp_alice", run(SacctmgrAddCluster("t-clu-capture2").argv(), "srp_alice"),
         streams=True)
    save("clusters", "show-clusters", run(SacctmgrShowClusters(names=("srp", "t-clu-capture")).argv()))
    save("clusters", "show-root-associations",
         run(SacctmgrShowRootAssociations(("srp", "t-clu-capture")).argv()))
    save("clusters", "delete-as-srp_alice", run(SacctmgrDeleteCluster("t-clu-capture").argv(),
                                                "srp_alice"), streams=True)
    save("clusters", "delete", run(SacctmgrDeleteCluster("t-clu-capture").argv()), streams=True)


if __name__ == "__main__":
    main()
