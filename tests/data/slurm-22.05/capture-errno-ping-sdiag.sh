#!/bin/bash
# How stderr/*.txt, scontrol-ping/*.txt and sdiag*.txt beside this script were
# recorded (Slurm 22.05.8, the local cluster of .cluster/). Run as root with the
# cluster up:
#   bash tests/data/slurm-22.05/capture-errno-ping-sdiag.sh
# Nothing here touches the running daemons: the "controller down" cases use a
# copy of slurm.conf whose SlurmctldPort or SlurmctldHost lines point elsewhere.
# stderr/*.txt hold a command's stderr exactly, scontrol-ping/*.txt its stdout.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$(cd "$HERE/../../.." && pwd)/.cluster/env"
unset SLURM_TIME_FORMAT
W=$(mktemp -d /tmp/srp-errno.XXXXXX)
ERR=$HERE/stderr
PING=$HERE/scontrol-ping
mkdir -p "$ERR" "$PING"
MINE=()

err() {  # err NAME COMMAND...: keep COMMAND's stderr as stderr/NAME.txt
    local name=$1; shift
    "$@" >/dev/null 2>"$ERR/$name.txt"
    echo "$name: rc=$?"
}
conf_with() {  # conf_with FILE SED-EXPR: a copy of slurm.conf, edited
    sed "$2" "$SLURM_CONF" >"$W/$1"
    echo "$W/$1"
}
token() { scontrol token username="$1" lifespan="${2:-600}" | cut -d= -f2; }

# --- sdiag before this script submits anything
sdiag >"$HERE/sdiag.txt"

# --- errors the tools print
err scontrol-show-job-invalid scontrol show job 999999
err scontrol-show-job-non-numeric scontrol show job abc
err squeue-job-invalid squeue -j 999999
err scancel-invalid-job-verbose scancel -v 999999
err scontrol-hold-invalid-job scontrol hold 999999
err sbatch-invalid-partition sbatch -p nosuch --wrap true
err sbatch-invalid-account sbatch -A nosuch --wrap true
err sbatch-invalid-qos sbatch --qos=nosuch --wrap true

ROOTJOB=$(sbatch --parsable -o /dev/null -J srp-errno --time=5 --wrap 'sleep 120')
MINE+=("$ROOTJOB")
BOB=$(token srp_bob)
# srp_bob's token, root's uid: slurmctld takes the user from the token
err scancel-other-users-job env SLURM_JWT="$BOB" scancel "$ROOTJOB"
err scontrol-update-other-users-job env SLURM_JWT="$BOB" scontrol update jobid="$ROOTJOB" timelimit=4
err sbatch-uid-not-token-user env SLURM_JWT="$(token srp_alice)" sbatch -o /dev/null --wrap true

err squeue-jwt-garbage env SLURM_JWT=garbage squeue
err sacct-jwt-garbage env SLURM_JWT=garbage sacct -X
EXPIRED=$(token srp_bob 1)
sleep 3
err squeue-jwt-expired env SLURM_JWT="$EXPIRED" squeue
err sdiag-jwt-expired env SLURM_JWT="$EXPIRED" sdiag

NOCTLD=$(conf_with no-controller.conf 's/^SlurmctldPort=.*/SlurmctldPort=16999/')
err squeue-controller-unreachable env SLURM_CONF="$NOCTLD" squeue
err sdiag-controller-unreachable env SLURM_CONF="$NOCTLD" sdiag
err scancel-controller-unreachable env SLURM_CONF="$NOCTLD" scancel 1

# --- scontrol ping: one controller up or down, and backups (extra
# SlurmctldHost lines; 127.0.0.x all reach the one slurmctld, a name that does
# not resolve is down)
ping_as() {  # ping_as NAME CONF [ENV...]
    local name=$1 conf=$2; shift 2
    env SLURM_CONF="$conf" "$@" scontrol ping >"$PING/$name.txt" 2>/dev/null
    echo "ping $name: rc=$?"
}
ping_as primary-up "$SLURM_CONF"
ping_as primary-down "$NOCTLD"
ping_as primary-down-bad-token "$SLURM_CONF" SLURM_JWT=garbage
ping_as backup-up "$(conf_with two.conf \
    's/^SlurmctldHost=.*/SlurmctldHost=vm(127.0.0.1)\nSlurmctldHost=vm-backup(127.0.0.2)/')"
ping_as backups-up "$(conf_with three.conf \
    's/^SlurmctldHost=.*/SlurmctldHost=vm(127.0.0.1)\nSlurmctldHost=vm-b1(127.0.0.2)\nSlurmctldHost=vm-b2(127.0.0.3)/')"
ping_as backup-down "$(conf_with updown.conf \
    's/^SlurmctldHost=.*/SlurmctldHost=vm(127.0.0.1)\nSlurmctldHost=nosuch-backup/')"
ping_as primary-unresolvable "$(conf_with downup.conf \
    's/^SlurmctldHost=.*/SlurmctldHost=nosuch-primary\nSlurmctldHost=vm(127.0.0.1)/')"

# --- sdiag after some jobs: quick ones, a failing one, a cancelled one
for _ in 1 2 3; do
    MINE+=("$(sbatch --parsable -o /dev/null -J srp-sdiag --time=5 --wrap 'sleep 1')")
done
MINE+=("$(sbatch --parsable -o /dev/null -J srp-sdiag --time=5 --wrap 'exit 3')")
LATER=$(sbatch --parsable -o /dev/null -J srp-sdiag --begin=now+3600 --wrap true)
MINE+=("$LATER")
scancel "$LATER"
sleep 35
sdiag >"$HERE/sdiag-after-jobs.txt"

scancel "${MINE[@]}" 2>/dev/null
rm -rf "$W"
