#!/bin/bash
# How the files beside this script were recorded (Slurm 22.05.8, the local
# cluster of .cluster/). Run as root with the cluster up:
#   bash tests/data/slurm-22.05/partitions/capture.sh
# It creates three hidden partitions without nodes (so no job or node of
# anyone else is touched), records what scontrol prints, and deletes them.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$(cd "$HERE/../../../.." && pwd)/.cluster/env"
unset SLURM_TIME_FORMAT
cd /tmp

as_alice() {
    local t; t=$(scontrol token username=srp_alice lifespan=300 | cut -d= -f2)
    runuser -u srp_alice -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$t" "$@"
}
cleanup() {
    for p in t-part-probe1 t-part-probe2 t-part-probe3; do
        scontrol delete PartitionName=$p 2>/dev/null || true
    done
}
trap cleanup EXIT

scontrol create PartitionName=t-part-probe1 AllowGroups=srp_alice,srp_bob AllowAccounts=research \
    AllowQos=normal Alternate=debug CpuBind=cores DefaultTime=10 DefMemPerCPU=100 MaxMemPerCPU=500 \
    GraceTime=30 Hidden=YES MaxNodes=2 MaxTime=1-00:00:00 MinNodes=1 MaxCPUsPerNode=2 \
    OverSubscribe=FORCE:4 OverTimeLimit=5 PriorityJobFactor=10 PriorityTier=3 QOS=normal State=DRAIN \
    TRESBillingWeights=CPU=1.0,Mem=0.25G JobDefaults=DefMemPerGPU=100
scontrol create PartitionName=t-part-probe2 DenyAccounts=research DenyQos=normal AllocNodes=n1 \
    DefMemPerNode=200 MaxMemPerNode=800 MaxTime=UNLIMITED DefaultTime=UNLIMITED \
    OverSubscribe=EXCLUSIVE OverTimeLimit=UNLIMITED State=INACTIVE Hidden=YES
scontrol create PartitionName=t-part-probe3 OverSubscribe=YES:2 State=DOWN Hidden=YES \
    CpuBind=verbose,sockets LLN=YES RootOnly=YES ReqResv=YES ExclusiveUser=YES DisableRootJobs=YES

scontrol -o show partition > "$HERE/show-partition.txt"
as_alice scontrol --all -o show partition > "$HERE/show-partition-all-as-srp_alice.txt"
as_alice scontrol -o show partition > "$HERE/show-partition-as-srp_alice.txt"
scontrol -o show partition t-part-nosuch > "$HERE/show-partition-unknown.txt" 2>&1 || true
