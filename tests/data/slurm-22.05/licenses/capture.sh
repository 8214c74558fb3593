#!/bin/bash
# How the files beside this script were recorded (Slurm 22.05.8, the local
# cluster of .cluster/, Licenses=fluent:4,matlab:2). Run as root with the
# cluster up:
#   bash tests/data/slurm-22.05/licenses/capture.sh
# A running job of srp_alice holds fluent:1 and a license-only reservation
# holds matlab:1 for the few seconds of the recording; both are removed at
# the end.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$(cd "$HERE/../../../.." && pwd)/.cluster/env"
unset SLURM_TIME_FORMAT
cd /tmp

as_alice() {
    local t; t=$(scontrol token username=srp_alice lifespan=300 | cut -d= -f2)
    runuser -u srp_alice -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$t" "$@"
}
JOB=
cleanup() {
    [ -n "$JOB" ] && scancel "$JOB" || true
    scontrol delete reservation t-resv-lic-probe 2>/dev/null || true
}
trap cleanup EXIT

scontrol -o show licenses > "$HERE/show-licenses-idle.txt"
JOB=$(as_alice sbatch --parsable -J lic-probe -L fluent:1 --mem=50 --time=5 -o /dev/null --wrap 'sleep 120')
for _ in $(seq 60); do
    [ "$(squeue -h -j "$JOB" -o %T)" = RUNNING ] && break; sleep 1
done
scontrol create reservation reservationname=t-resv-lic-probe starttime=now duration=1 \
    licenses=matlab:1 users=root flags=license_only
scontrol -o show licenses > "$HERE/show-licenses.txt"
as_alice scontrol -o show licenses > "$HERE/show-licenses-as-srp_alice.txt"
scontrol show licenses > "$HERE/show-licenses-multiline.txt"
scontrol -o show license fluent > "$HERE/show-license-fluent.txt"
scontrol -o show license nosuch > "$HERE/show-license-unknown.txt" 2>&1; echo "exit=$?" >> "$HERE/show-license-unknown.txt"
scontrol -o show reservation t-resv-lic-probe > "$HERE/show-reservation-license-only-active.txt"
