#!/bin/bash
# How shares/, job_state/, hostlist/, resources/ and reconfigure/ beside this
# script were recorded (Slurm 22.05.8, the local cluster of .cluster/). Run
# as root with the cluster up:
#   bash tests/data/slurm-22.05/capture-issue3.sh
# It submits a few jobs of srp_alice's (cancelled at the end), records what
# sshare, squeue --Format, scontrol show hostnames/hostlist/node and
# squeue --json print, and `scontrol reconfigure` refused to srp_alice.
# Nothing here changes the cluster's configuration; `scontrol reconfigure` is
# only run as srp_alice, whom slurmctld refuses.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
source "$ROOT/.cluster/env"
unset SLURM_TIME_FORMAT
W=$(mktemp -d /tmp/srp-issue3.XXXXXX) && chmod 755 "$W"
MINE=()
trap 'scancel "${MINE[@]}" 2>/dev/null; rm -rf "$W"' EXIT

token() { scontrol token username="$1" lifespan=600 | cut -d= -f2; }
ALICE=$(token srp_alice)
as_alice() { runuser -u srp_alice -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$ALICE" "$@"; }
submit() { as_alice sbatch --parsable -D /tmp -o /dev/null "$@" | sed 's/;.*//'; }

# --- shares: sshare exactly as server/slurm/commands/sshare.py asks
F=$(cd "$ROOT" && .venv/bin/python -c 'from server.convert.shares_text import FIELDS; print(",".join(FIELDS))')
mkdir -p "$HERE/shares"
sshare --noheader --parsable2 --format="$F" --all >"$HERE/shares/sshare-all-as-root.txt"
as_alice sshare --noheader --parsable2 --format="$F" --all >"$HERE/shares/sshare-all-as-srp_alice.txt"
sshare --noheader --parsable2 --format="$F" --users=srp_bob >"$HERE/shares/sshare-users-srp_bob.txt"
# what --accounts does to the tree: the parent of the top row is not shown
sshare --noheader --parsable2 --format="$F" --all --accounts=research >"$HERE/shares/sshare-accounts-research.txt"

# --- job states: squeue --Format exactly as squeue_state.py asks
FMT=$(cd "$ROOT" && .venv/bin/python -c 'from server.convert.job_state import FORMAT; print(FORMAT)')
RUN=$(submit -N2 -n3 --mem-per-cpu=100 -J issue3-run --wrap 'sleep 300'); MINE+=("$RUN")
ARRAY=$(submit --hold --array=1-3%1 -J issue3-array --wrap 'sleep 300'); MINE+=("$ARRAY")
cat >"$W/het.sh" <<'EOF'
#!/bin/bash
#SBATCH -o /dev/null
#SBATCH hetjob
#SBATCH -o /dev/null
sleep 300
EOF
HET=$(submit --hold "$W/het.sh"); MINE+=("$HET")
DONE=$(submit -J issue3-done --wrap 'exit 3'); MINE+=("$DONE")
for _ in $(seq 30); do
    [ "$(squeue -h -j "$RUN" -o %T)" = RUNNING ] && [ -z "$(squeue -h -j "$DONE" -t PD,R,CG -o %T)" ] && break
    sleep 1
done
mkdir -p "$HERE/job_state"
J="$RUN,$ARRAY,$HET,$DONE"
squeue --noheader --states=all --Format="$FMT" --jobs="$J" >"$HERE/job_state/squeue-format-four-jobs.txt"
squeue --noheader --states=all --Format="$FMT" --jobs="${ARRAY}_2" >"$HERE/job_state/squeue-format-array-task.txt"
squeue --noheader --states=all --Format="$FMT" --jobs="$HET+1" >"$HERE/job_state/squeue-format-het-component.txt"
squeue --noheader --states=all --Format="$FMT" --jobs=99999999 \
    >"$HERE/job_state/squeue-format-unknown-job.stdout" 2>"$HERE/job_state/squeue-format-unknown-job.stderr"
echo "$?" >"$HERE/job_state/squeue-format-unknown-job.rc"

# --- resources: the job record and its nodes' layout
mkdir -p "$HERE/resources"
squeue --json | (cd "$ROOT" && .venv/bin/python -c '
import json, sys
doc = json.load(sys.stdin)
doc["jobs"] = [j for j in doc["jobs"] if j["job_id"] in ('"$RUN"', '"$ARRAY"')]
json.dump(doc, sys.stdout, indent=2)
') >"$HERE/resources/squeue-running-and-pending.json"
NODES=$(squeue -h -j "$RUN" -o %N)
scontrol -o show node -- "$NODES" >"$HERE/resources/scontrol-show-node.txt"
scontrol -d -o show job "$RUN" | grep -o 'Nodes=[^ ]* CPU_IDs=[^ ]* Mem=[^ ]* GRES=[^ ]*' \
    >"$HERE/resources/scontrol-d-show-job-node-lines.txt"

# --- host lists
mkdir -p "$HERE/hostlist"
scontrol show hostnames -- 'n[1-3],x[01-02],gpu1' >"$HERE/hostlist/hostnames-ranges.txt"
scontrol show hostnames -- 'n[1-2]x[3-4]' >"$HERE/hostlist/hostnames-two-ranges.txt"
scontrol show hostnames -- 'n[3-1]' >"$HERE/hostlist/hostnames-reversed.stdout" 2>"$HERE/hostlist/hostnames-reversed.stderr"
echo "$?" >"$HERE/hostlist/hostnames-reversed.rc"
scontrol show hostnames -- 'n[1-100000000]' >/dev/null 2>"$HERE/hostlist/hostnames-too-many.stderr"
scontrol show hostnames -- 'n[1-' >"$HERE/hostlist/hostnames-unclosed.stdout" 2>&1
scontrol show hostlist -- 'n3,n1,n2,x01,x02' >"$HERE/hostlist/hostlist-unsorted.txt"
scontrol show hostlist -- 'n1,n[3-1]' >"$HERE/hostlist/hostlist-reversed.stdout" 2>"$HERE/hostlist/hostlist-reversed.stderr"
echo "$?" >"$HERE/hostlist/hostlist-reversed.rc"

# --- reconfigure refused to an unprivileged user
mkdir -p "$HERE/reconfigure"
as_alice scontrol reconfigure 2>"$HERE/reconfigure/scontrol-reconfigure-as-srp_alice.stderr"
echo "$?" >"$HERE/reconfigure/scontrol-reconfigure-as-srp_alice.rc"
echo "recorded; jobs ${MINE[*]} are cancelled on exit"
