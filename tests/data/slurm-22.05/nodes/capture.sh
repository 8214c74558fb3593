#!/bin/bash
# How the files beside this script were recorded (Slurm 22.05.8, the local
# cluster of .cluster/). Run as root with the cluster up:
#   bash tests/data/slurm-22.05/nodes/capture.sh
# It borrows node n3 for a few seconds (a job on it, drained, downed, resumed;
# it refuses to start unless n3 is IDLE with no reason) and creates dynamic
# nodes named t-nodes-cap*, all removed at the end. *.txt hold stdout,
# stderr/*.txt a failing command's stderr, exactly as printed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$(cd "$HERE/../../../.." && pwd)/.cluster/env"
unset SLURM_TIME_FORMAT
ERR=$HERE/stderr
mkdir -p "$ERR"
NODE=n3
JOBS=()

show() { scontrol --all --details --future show node "$@"; }
token() { scontrol token username="$1" lifespan=600 | cut -d= -f2; }
as() {  # as USER COMMAND...: run as an unprivileged user with their JWT
    local u=$1; shift
    runuser -u "$u" -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$(token "$u")" "$@"
}
err() {  # err NAME COMMAND...: keep COMMAND's stderr as stderr/NAME.txt
    local name=$1; shift
    "$@" >/dev/null 2>"$ERR/$name.txt"
    echo "$name: rc=$?"
}
state_of() { scontrol -o show node "$NODE" | grep -o 'State=[^ ]*' | cut -d= -f2; }
wait_for() {  # wait_for STATE: until n3's state is exactly STATE
    for _ in $(seq 30); do [ "$(state_of)" = "$1" ] && return 0; sleep 1; done
    echo "$NODE never reached $1 (is $(state_of))" >&2
}
cleanup() {
    [ ${#JOBS[@]} -gt 0 ] && scancel "${JOBS[@]}"
    case "$(state_of)" in *DRAIN*|DOWN*) scontrol update nodename=$NODE state=resume ;; esac
    scontrol delete nodename=t-nodes-cap1 2>/dev/null
    scontrol delete nodename=t-nodes-cap2 2>/dev/null
}

if [ "$(state_of)" != IDLE ] || scontrol show node $NODE | grep -q Reason=; then
    echo "$NODE is not idle and free of reasons; not borrowing it" >&2; exit 1
fi
trap cleanup EXIT

# --- n3 through its states, one recording each
J=$(sbatch --parsable -o /dev/null -J t-nodes-one -w $NODE -n1 --mem=100 --wrap 'sleep 300')
JOBS+=("$J"); wait_for MIXED
show $NODE >"$HERE/mixed.txt"
scontrol update nodename=$NODE state=drain reason="t-nodes capture: bad DIMM Slot=3 [see ticket]"
wait_for MIXED+DRAIN
show $NODE >"$HERE/draining.txt"
scancel "$J"; wait_for IDLE+DRAIN
show $NODE >"$HERE/drained.txt"
scontrol update nodename=$NODE state=down reason="t-nodes capture: down"
show $NODE >"$HERE/down.txt"
scontrol update nodename=$NODE state=resume
show $NODE >"$HERE/resumed.txt"
wait_for IDLE
show $NODE >"$HERE/idle.txt"
J=$(sbatch --parsable -o /dev/null -J t-nodes-all -w $NODE -n2 --mem=200 --wrap 'sleep 300')
JOBS+=("$J"); wait_for ALLOCATED
show $NODE >"$HERE/allocated.txt"
scancel "$J"

# --- dynamic nodes: created FUTURE, with the free texts made hard to read
scontrol create "NodeName=t-nodes-cap1 State=FUTURE CPUs=2 RealMemory=100 Features=fa,fb Weight=7"
scontrol update nodename=t-nodes-cap1 comment="a comment Extra=not-extra" extra="x=1 y=2" \
    cpubind=verbose,cores activefeatures=fa
scontrol create "NodeName=t-nodes-cap2 State=FUTURE"
scontrol update nodename=t-nodes-cap2 state=drain reason="first line
second line"
show t-nodes-cap1 >"$HERE/future-dynamic.txt"
show t-nodes-cap2 >"$HERE/drained-dynamic-two-line-reason.txt"
show >"$HERE/all.txt"
scontrol --all --details show node >"$HERE/all-without-future.txt"

# --- errors the tools print
scontrol show node t-nodes-nosuch >"$HERE/unknown.txt"  # said on stdout, exit 1
err update-node-unknown scontrol update nodename=t-nodes-nosuch comment=x
err update-node-denied as srp_alice scontrol update nodename=t-nodes-cap1 comment=x
err update-node-bad-state scontrol update nodename=t-nodes-cap1 state=bogus
err update-node-drain-without-reason scontrol update nodename=t-nodes-cap1 state=drain
err update-node-bad-cpubind scontrol update nodename=t-nodes-cap1 cpubind=rank
err update-node-bad-weight scontrol update nodename=t-nodes-cap1 weight=heavy
err create-node-denied as srp_alice scontrol create "NodeName=t-nodes-cap3 State=FUTURE"
err create-node-bad-state scontrol create "NodeName=t-nodes-cap3 State=IDLE"
err create-node-bad-line scontrol create "NodeName=t-nodes-cap3 State=FUTURE Bogus=1"
err create-node-no-name scontrol create "State=FUTURE"
err delete-node-denied as srp_alice scontrol delete nodename=t-nodes-cap1
err delete-node-unknown scontrol delete nodename=t-nodes-nosuch
# 22.05 answers success, and does nothing, for a name that exists already
scontrol create "NodeName=t-nodes-cap1 State=FUTURE" 2>"$ERR/create-node-existing.txt"
echo "create-node-existing: rc=$? (slurmctld only logs that the node exists)"
