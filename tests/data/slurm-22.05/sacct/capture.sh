#!/bin/bash
# How the files beside this script were recorded (Slurm 22.05.8, the local
# cluster of .cluster/). Run as root with the cluster up:
#   bash tests/data/slurm-22.05/sacct/capture.sh
# It submits a few short jobs as srp_alice and srp_bob (names start with
# "acct-"), waits for them to end, changes the accounting record of two of
# them with sacctmgr, and writes sacct's JSON and text output for exactly
# those jobs into this folder, plus slurmdbd's statistics and configuration
# into ../slurmdbd/. A short core reservation on n3 (1 core, 2 minutes) is
# made and deleted again.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DBD="$HERE/../slurmdbd"
source "$(cd "$HERE/../../../.." && pwd)/.cluster/env"
unset SLURM_TIME_FORMAT
W=/tmp/srp-acct-capture
mkdir -p "$W" && chmod 1777 "$W" && cd "$W"

as() {  # as USER CMD...: run as an unprivileged user with a JWT
    local u=$1; shift
    local t; t=$(scontrol token username="$u" lifespan=900 | cut -d= -f2)
    runuser -u "$u" -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$t" "$@"
}
sb() { local u=$1; shift; as "$u" sbatch --parsable -D "$W" "$@" | sed 's/;.*//'; }

OK=$(sb srp_alice -J acct-ok --mem=50 --time=5 --wrap 'true')
FAIL=$(sb srp_alice -J acct-fail --mem=50 --time=5 --wrap 'exit 3')
STEPS=$(sb srp_alice -J acct-steps -n2 --mem=100 --time=5 --wrap 'srun -n2 true; srun -n1 false; exit 0')
CANCEL=$(sb srp_alice -J acct-cancel --mem=50 --time=5 --wrap 'sleep 300')
HELD=$(sb srp_alice -J acct-held -H --mem=50 --time=5 --wrap 'true')
ARRAY=$(sb srp_alice -J acct-array --array=1-3 --mem=50 --time=5 --wrap 'exit $((SLURM_ARRAY_TASK_ID == 2))')
PERCPU=$(sb srp_alice -J acct-percpu -n2 --mem-per-cpu=60 --time=5 --wrap 'true')
TWONODES=$(sb srp_alice -J acct-2nodes -N2 --mem=30 --time=5 --wrap 'true')
UNLIMITED=$(sb srp_alice -J acct-nolimit --mem=30 --wrap 'true')
BOB=$(sb srp_bob -J acct-bob --mem=50 --time=5 --wrap 'true')
scontrol create reservation ReservationName=acct-resv users=srp_alice nodes=n3 CoreCnt=1 \
    starttime=now duration=2 flags=ignore_jobs >/dev/null
RESV=$(sb srp_alice -J acct-resv --reservation=acct-resv --mem=30 --time=1 --wrap 'true')

for _ in $(seq 60); do
    [ "$(squeue -h -j "$CANCEL" -o %T)" = RUNNING ] && break; sleep 1
done
scancel "$CANCEL" "$HELD"
for _ in $(seq 120); do
    [ -z "$(squeue -h -j "$OK,$FAIL,$STEPS,$ARRAY,$PERCPU,$TWONODES,$UNLIMITED,$BOB,$RESV" -o %i)" ] && break
    sleep 2
done
scontrol delete ReservationName=acct-resv

# The owner changes the job comment and the derived exit code (raw wait status).
as srp_alice sacctmgr -i modify job where jobid="$OK" set Comment='alice says hi' DerivedExitCode=1024 \
    > "$HERE/sacctmgr-modify-job.txt"
as srp_bob sacctmgr -i modify job where jobid="$OK" set Comment='bob was here' \
    > "$HERE/sacctmgr-modify-job-other-user.out" 2> "$HERE/sacctmgr-modify-job-other-user.err" || true
sacctmgr -i modify job where jobid=99999999 set Comment=x \
    > "$HERE/sacctmgr-modify-job-unknown.out" 2> "$HERE/sacctmgr-modify-job-unknown.err" || true
sacctmgr -i modify job where jobid="$FAIL" set AdminComment=admin-note SystemComment=system-note >/dev/null

IDS="$OK,$FAIL,$STEPS,$CANCEL,$HELD,$ARRAY,$PERCPU,$TWONODES,$UNLIMITED,$BOB,$RESV"
TEXT=jobidraw,submit,exitcode,derivedexitcode,associd,reservation,reqmem,flags,timelimitraw,submitline
sacct --json -D -j "$IDS" > "$HERE/jobs.json"
SLURM_TIME_FORMAT=%s sacct -D -j "$IDS" -P -n -o "$TEXT" > "$HERE/jobs.txt"
sacct --json -X -j "$IDS" > "$HERE/jobs-skip-steps.json"
sacct --json -j 99999999 > "$HERE/nothing-found.json"
as srp_alice env SLURM_JWT=garbage sacct --json -j "$OK" > "$HERE/bad-token.json" 2>/dev/null || true
echo "$IDS" > "$HERE/job-ids.txt"
# What sacct says about a selection it refuses (exit 1).
for refused in "state --state=NOSUCH" "qos --qos=nosuchqos" "reason --reason=NoSuchReason" \
               "users --user=nosuchuser" "groups --group=nosuchgroup" "step --jobs=abc"; do
    set -- $refused
    sacct --json "$2" > /dev/null 2> "$HERE/refused-$1.err" || true
done

sacctmgr show stats > "$DBD/sacctmgr-show-stats.txt"
as srp_alice sacctmgr show stats > /dev/null 2> "$DBD/sacctmgr-show-stats-as-srp_alice.err" || true
sacctmgr -n -P show configuration > "$DBD/sacctmgr-show-configuration.txt"
sacctmgr show instance > /dev/null 2> "$DBD/sacctmgr-show-instance.err" || true
echo "recorded jobs $IDS"
