#!/bin/bash
# How squeue.json and the files beside it were recorded (Slurm 22.05.8, the
# local cluster of .cluster/). Run as root with the cluster up:
#   bash tests/data/slurm-22.05/capture.sh
# It submits jobs in many states, waits for the short ones to end (MinJobAge
# keeps them visible for 600 s) and records squeue --json and friends into
# /tmp/srp-capture; cancel the jobs it prints afterwards. squeue.json here is
# that output with some jobs of other users of the shared cluster removed
# (whole job objects cut out of the text, so Slurm's formatting is kept).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$(cd "$HERE/../../.." && pwd)/.cluster/env"
unset SLURM_TIME_FORMAT
W=/tmp/srp-capture
mkdir -p "$W" && chmod 1777 "$W" && cd "$W"

as() {  # as USER sbatch ARGS...: submit as an unprivileged user with a JWT
    local u=$1; shift
    local t; t=$(scontrol token username="$u" lifespan=600 | cut -d= -f2)
    runuser -u "$u" -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$t" "$@"
}
id_of() { sed 's/[^0-9;].*//; s/;.*//'; }   # sbatch --parsable -> job id
sb() { sbatch --parsable -D "$W" "$@" | id_of; }
wait_state() {  # wait_state ID STATE
    for _ in $(seq 60); do
        [ "$(squeue -h -j "$1" -o %T 2>/dev/null)" = "$2" ] && return 0; sleep 1
    done; echo "job $1 never reached $2" >&2
}

# --- phase 1: jobs that end (completed, failed, signalled, cancelled, timeout)
COMPLETED=$(sb -J completed --mem=50 --time=5 --wrap 'echo hi')
FAILED=$(sb -J failed --mem=50 --time=5 --wrap 'exit 3')
SIGNALED=$(sb -J signaled --mem=50 --time=5 --wrap 'kill -9 $$')
TIMEOUT=$(sb -J timeout --mem=50 --time=1 --wrap 'sleep 300')
CANCEL_RUN=$(sb -J cancel-running --mem=50 --time=5 --wrap 'sleep 300')
CANCEL_PEND=$(sb -J cancel-pending -H --mem=50 --time=5 --wrap 'sleep 300')
ARRAY_DONE=$(sb -J array-done --array=1-3 --mem=50 --time=5 --wrap 'exit $((SLURM_ARRAY_TASK_ID == 3))')
BOB_DONE=$(cd "$W" && as srp_bob sbatch --parsable -J bob-done --mem=50 --time=5 --wrap 'true' | id_of)
wait_state "$CANCEL_RUN" RUNNING
scancel "$CANCEL_RUN"
scancel "$CANCEL_PEND"
echo "waiting for the timeout job $TIMEOUT to end"
for _ in $(seq 180); do
    case "$(squeue -h -j "$TIMEOUT" -o %T)" in RUNNING|PENDING|COMPLETING) sleep 2;; *) break;; esac
done

# --- phase 2: jobs that stay (running, pending for many reasons, held, array, het)
NAME=$'caf\u00e9 "double" \'single\' \\back\\slash \u2713 \u65e5\u672c'
RUNNING=$(sb -J "$NAME" -n1 --mem=200 --time=30 --comment='a comment, with "quotes"' \
          --mail-type=END,FAIL --mail-user=root --nice=5 --no-requeue --wrap 'sleep 900')
ARRAY=$(sb -J array-live --array=1-3%1 --mem=50 --time=20 --wrap 'sleep 900')
cat > "$W/het.sh" <<'EOF'
#!/bin/bash
#SBATCH -J het-demo -n1 --mem=100 --time=15
#SBATCH hetjob
#SBATCH -n1 --mem=150 --time=15
sleep 900
EOF
HET=$(sb "$W/het.sh")
ALICE_RUN=$(cd "$W" && as srp_alice sbatch --parsable -J alice-run -c1 --mem-per-cpu=100 --time=10 --wrap 'sleep 900' | id_of)
BOB_RUN=$(cd "$W" && as srp_bob sbatch --parsable -J bob-run --mem=100 --time=2-00:00:00 --wrap 'sleep 900' | id_of)
sleep 3
RESOURCES=$(sb -J wants-all -N3 --exclusive --mem=100 --time=5 --wrap 'sleep 60')
DEPEND=$(sb -J dependent --dependency=afterok:"$RUNNING" --mem=50 --time=5 --wrap true)
BEGIN=$(sb -J later --begin=now+1hour --mem=50 --time-min=2 --time=10 --cpus-per-task=2 --wrap true)
HELD_ADMIN=$(sb -J held-admin -H --mem=50 --time=5 --wrap true)
ALICE_HELD=$(cd "$W" && as srp_alice sbatch --parsable -J alice-held -H --mem=50 --time=5 --wrap true | id_of)
BOB_UNLIMITED=$(cd "$W" && as srp_bob sbatch --parsable -J bob-pending -N2 --ntasks-per-node=1 --mem=300 --oversubscribe --wrap 'sleep 60' | id_of)
# root's -H is a user hold (JobHeldUser); scontrol hold by root makes it JobHeldAdmin
scontrol hold "$HELD_ADMIN"
# let the main scheduler place what fits (SchedulerParameters default: ~60 s)
sleep 90

cat > "$W/ids.env" <<EOF
COMPLETED=$COMPLETED FAILED=$FAILED SIGNALED=$SIGNALED TIMEOUT=$TIMEOUT
CANCEL_RUN=$CANCEL_RUN CANCEL_PEND=$CANCEL_PEND ARRAY_DONE=$ARRAY_DONE BOB_DONE=$BOB_DONE
RUNNING=$RUNNING ARRAY=$ARRAY HET=$HET ALICE_RUN=$ALICE_RUN BOB_RUN=$BOB_RUN
RESOURCES=$RESOURCES DEPEND=$DEPEND BEGIN=$BEGIN HELD_ADMIN=$HELD_ADMIN
ALICE_HELD=$ALICE_HELD BOB_UNLIMITED=$BOB_UNLIMITED
EOF
cat "$W/ids.env"

squeue --json > "$W/squeue.json"
squeue --json -j "$RUNNING" > "$W/squeue-j.json"
squeue --json -u srp_bob > "$W/squeue-u.json"
squeue --json --states=PENDING > "$W/squeue-states.json"
squeue --json -t all > "$W/squeue-t-all.json"
T=$(scontrol token username=srp_bob lifespan=600 | cut -d= -f2)
runuser -u srp_bob -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$T" squeue --json > "$W/squeue-as-bob.json"
scontrol show job -d > "$W/scontrol-show-job.txt"
echo "recorded into $W; cancel with: scancel $(grep -o '=[0-9]*' "$W/ids.env" | tr -d = | tr '\n' ' ')"
