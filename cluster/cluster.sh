#!/usr/bin/env bash
# The local Slurm clusters that slurmrestpy is tested on: munged, MariaDB,
# slurmdbd, slurmctld and several slurmd, all living in one folder at the
# root of the repository, on ports away from Slurm's defaults.
#
#   SLURM=22.05 (the default): Debian's packages, in .cluster/
#   SLURM=25.11: Slurm 25.11.7 built from source once (cluster/build-slurm.sh,
#                cached outside the repository), in .cluster-25.11/, with
#                Slurm's own slurmrestd beside it (the oracle of the tests)
#
#   cluster/cluster.sh up      install what is missing, start what is not running
#   cluster/cluster.sh down    stop exactly the processes it started (pid files)
#   cluster/cluster.sh start   start again whichever daemon of a set-up cluster is
#                              stopped, its configuration untouched (fault tests)
#   cluster/cluster.sh status  say what runs
#
# SLURMRESTPY_CLUSTER_DIR and SLURMRESTPY_PORT_OFFSET make a private cluster in
# another folder on other ports (for tests that stop daemons, or a big bench);
# SLURMRESTPY_SLURM_CONF_EXTRA lines are added to its slurm.conf.
#
# The two can run at once: their ports differ. Needs root (packages, daemons,
# Unix users). Works without systemd.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SLURM=${SLURM:-22.05}
CLUSTER=srp
NODES="n[1-3]"
NODE_NAMES=(n1 n2 n3)
ACCOUNT=research
USERS=(srp_alice srp_bob)
REST_USER=srp_rest # the unprivileged user Slurm's own slurmrestd runs as
case $SLURM in
22.05)
    DIR=${SLURMRESTPY_CLUSTER_DIR:-$ROOT/.cluster}
    CTLD_PORT=16817 DBD_PORT=16819 MYSQL_PORT=16306 SLURMD_PORTS=17001-17003 RESTD_PORT=
    PACKAGES=(munge mariadb-server slurmctld slurmd slurmdbd slurm-client slurm-wlm-jwt-plugin openssl)
    ;;
25.11)
    DIR=${SLURMRESTPY_CLUSTER_DIR:-$ROOT/.cluster-$SLURM}
    CTLD_PORT=16827 DBD_PORT=16829 MYSQL_PORT=16316 SLURMD_PORTS=17011-17013 RESTD_PORT=16830
    PACKAGES=(munge mariadb-server openssl)
    PREFIX=$(SLURM_VERSION=25.11.7 bash "$ROOT/cluster/build-slurm.sh" --prefix)
    export PATH=$PREFIX/bin:$PREFIX/sbin:$PATH
    ;;
*) printf 'cluster: no recipe for SLURM=%s (22.05 or 25.11)\n' "$SLURM" >&2; exit 1 ;;
esac

# A private cluster (another folder, SLURMRESTPY_CLUSTER_DIR) beside the usual
# ones needs ports of its own: SLURMRESTPY_PORT_OFFSET shifts every port.
# The env file remembers it, so that `start` finds the same ports again.
OFFSET=${SLURMRESTPY_PORT_OFFSET:-$(sed -n 's/^export SLURMRESTPY_PORT_OFFSET=//p' "$DIR/env" 2>/dev/null || true)}
OFFSET=${OFFSET:-0}
if ((OFFSET)); then
    CTLD_PORT=$((CTLD_PORT + OFFSET)) DBD_PORT=$((DBD_PORT + OFFSET)) MYSQL_PORT=$((MYSQL_PORT + OFFSET))
    SLURMD_PORTS=$((${SLURMD_PORTS%-*} + OFFSET))-$((${SLURMD_PORTS#*-} + OFFSET))
    [[ -z $RESTD_PORT ]] || RESTD_PORT=$((RESTD_PORT + OFFSET))
fi

export SLURM_CONF=$DIR/etc/slurm.conf

log() { printf 'cluster %s: %s\n' "$SLURM" "$*" >&2; }
die() { log "$*"; exit 1; }

# A daemon runs when its pid file names a live process.
running() {
    local pidfile=$1
    [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

wait_for() {
    local what=$1 seconds=$2
    shift 2
    for _ in $(seq $((seconds * 5))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    die "$what did not come up in ${seconds}s; see $DIR/log/"
}

install_packages() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    mkdir -p "$DIR/log"
    log "installing ${missing[*]} (apt's log: $DIR/log/apt.log)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"; } >"$DIR/log/apt.log" 2>&1 || die "installing ${missing[*]} failed; see $DIR/log/apt.log"
}

write_config() {
    mkdir -p "$DIR"/{etc,munge,mysql,log,run,state} "${NODE_NAMES[@]/#/$DIR/spool/}"
    chmod 755 "$DIR/etc" # slurm.conf is for everyone; the keys inside are 0600
    chmod 755 "$DIR/munge" # every user's Slurm commands reach munged
    [[ -s $DIR/etc/jwt.key ]] || { head -c 32 /dev/urandom >"$DIR/etc/jwt.key"; chmod 600 "$DIR/etc/jwt.key"; }
    [[ -s $DIR/etc/jwks.json ]] || make_jwks
    [[ -s $DIR/etc/mysql.pass ]] || { head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DIR/etc/mysql.pass"; chmod 600 "$DIR/etc/mysql.pass"; }
    local host
    host=$(hostname -s)
    local subst=(-e "s|@DIR@|$DIR|g" -e "s|@HOST@|$host|g" -e "s|@CLUSTER@|$CLUSTER|g"
        -e "s|@CTLD_PORT@|$CTLD_PORT|g" -e "s|@DBD_PORT@|$DBD_PORT|g" -e "s|@MYSQL_PORT@|$MYSQL_PORT|g"
        -e "s|@NODES@|$NODES|g" -e "s|@SLURMD_PORTS@|$SLURMD_PORTS|g")
    sed "${subst[@]}" "$ROOT/cluster/slurm.conf.in" >"$DIR/etc/slurm.conf"
    sed "${subst[@]}" -e "s|@MYSQL_PASS@|$(cat "$DIR/etc/mysql.pass")|g" \
        "$ROOT/cluster/slurmdbd.conf.in" >"$DIR/etc/slurmdbd.conf"
    if [[ $SLURM != 22.05 ]]; then
        # What a current Slurm needs beside the common recipe.
        printf '\n# No mail from a development box.\nMailProg=/bin/true\n' >>"$DIR/etc/slurm.conf"
        printf '# No cgroups on a development box or in CI.\nCgroupPlugin=disabled\n' >"$DIR/etc/cgroup.conf"
        printf '\n# Users may exist without a default account, as on many sites.\nAllowNoDefAcct=Yes\n' \
            >>"$DIR/etc/slurmdbd.conf"
    fi
    # A private cluster may need more (the bench's MaxJobCount for 10,000
    # jobs): Key=Value words, one line each.
    if [[ -n ${SLURMRESTPY_SLURM_CONF_EXTRA:-} ]]; then
        local extra
        read -ra extra <<<"$SLURMRESTPY_SLURM_CONF_EXTRA"
        printf '\n# From SLURMRESTPY_SLURM_CONF_EXTRA.\n' >>"$DIR/etc/slurm.conf"
        printf '%s\n' "${extra[@]}" >>"$DIR/etc/slurm.conf"
    fi
    chmod 600 "$DIR/etc/slurmdbd.conf"
    {
        echo "# source this file to use the local Slurm $SLURM cluster by hand: sinfo, squeue, scontrol token"
        echo "export SLURM_RELEASE=$SLURM"
        echo "export SLURM_CONF=$DIR/etc/slurm.conf"
        ((OFFSET == 0)) || echo "export SLURMRESTPY_PORT_OFFSET=$OFFSET"
        [[ $SLURM == 22.05 ]] || echo "export PATH=$PREFIX/bin:$PREFIX/sbin:\$PATH"
        [[ -z $RESTD_PORT ]] || echo "export SLURMRESTD_URL=http://127.0.0.1:$RESTD_PORT"
    } >"$DIR/env"
}

# An RS256 key pair for tokens issued elsewhere (an identity provider): the
# public half as the JWKS Slurm and slurmrestpy check against, the private
# half for tests to sign with.
make_jwks() {
    (umask 077 && openssl genrsa -out "$DIR/etc/jwks-private.pem" 2048 2>/dev/null)
    openssl rsa -in "$DIR/etc/jwks-private.pem" -noout -modulus | cut -d= -f2 |
        python3 -c 'import base64, json, sys
n = int(sys.stdin.read().strip(), 16)
b64 = lambda i: base64.urlsafe_b64encode(i.to_bytes((i.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()
print(json.dumps({"keys": [{"kty": "RSA", "kid": "srp-rs256", "alg": "RS256", "use": "sig", "n": b64(n), "e": b64(65537)}]}))' \
        >"$DIR/etc/jwks.json"
    chmod 644 "$DIR/etc/jwks.json"
}

create_users() {
    for u in "${USERS[@]}"; do
        id "$u" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$u"
    done
    [[ -z $RESTD_PORT ]] || id "$REST_USER" >/dev/null 2>&1 ||
        useradd --system --no-create-home --shell /usr/sbin/nologin "$REST_USER"
}

start_munge() {
    running "$DIR/munge/munged.pid" && return 0
    [[ -s $DIR/munge/munge.key ]] || mungekey -c -k "$DIR/munge/munge.key"
    chmod 600 "$DIR/munge/munge.key"
    rm -f "$DIR/munge/munge.sock"
    munged --key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.sock" \
        --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/log/munged.log" \
        --seed-file="$DIR/munge/munged.seed" --force </dev/null
    wait_for munged 10 bash -c "munge -S '$DIR/munge/munge.sock' -n | unmunge -S '$DIR/munge/munge.sock'"
}

mysql_sock() { echo "$DIR/mysql/mysqld.sock"; }

start_mysql() {
    running "$DIR/mysql/mysqld.pid" && return 0
    if [[ ! -d $DIR/mysql/data/mysql ]]; then
        mysql_install_db --datadir="$DIR/mysql/data" --user=root \
            --auth-root-authentication-method=normal >"$DIR/log/mysql-install.log" 2>&1
    fi
    setsid mysqld --datadir="$DIR/mysql/data" --socket="$(mysql_sock)" --port=$MYSQL_PORT \
        --bind-address=127.0.0.1 --pid-file="$DIR/mysql/mysqld.pid" --user=root \
        --log-error="$DIR/log/mysqld.log" --innodb-buffer-pool-size=64M \
        </dev/null >/dev/null 2>&1 &
    wait_for mysqld 60 mysqladmin --socket="$(mysql_sock)" -uroot ping
    local pass
    pass=$(cat "$DIR/etc/mysql.pass")
    mysql --socket="$(mysql_sock)" -uroot <<EOF
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$pass';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pass';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
FLUSH PRIVILEGES;
EOF
}

start_slurmdbd() {
    running "$DIR/run/slurmdbd.pid" && return 0
    slurmdbd </dev/null
    wait_for slurmdbd 30 sacctmgr -n list cluster
}

populate_accounting() {
    sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER" ||
        sacctmgr -i add cluster "$CLUSTER" >/dev/null
    sacctmgr -n -P list account format=account | grep -qx "$ACCOUNT" ||
        sacctmgr -i add account "$ACCOUNT" Cluster="$CLUSTER" Description="slurmrestpy tests" Organization=slurmrestpy >/dev/null
    for u in "${USERS[@]}"; do
        sacctmgr -n -P list user format=user | grep -qx "$u" ||
            sacctmgr -i add user "$u" Account="$ACCOUNT" Cluster="$CLUSTER" >/dev/null
    done
}

start_slurmctld() {
    running "$DIR/run/slurmctld.pid" && return 0
    slurmctld </dev/null
    wait_for slurmctld 30 scontrol ping
}

start_slurmd() {
    for n in "${NODE_NAMES[@]}"; do
        running "$DIR/run/slurmd-$n.pid" || slurmd -N "$n" </dev/null
    done
    # Nodes are ready when none is still unknown or not responding.
    wait_for "the nodes" 60 bash -c '[[ -z $(sinfo -h -N -o "%t" | grep -vE "^(idle|mix|alloc|drain|drng)$") ]]'
}

# Slurm's own slurmrestd: it refuses root and writes no pid file, so it runs
# as an unprivileged user through setpriv (which execs: $! is slurmrestd's).
# SLURM_JWT=daemon: each request's own token goes on to slurmctld.
start_slurmrestd() {
    [[ -n $RESTD_PORT ]] || return 0
    running "$DIR/run/slurmrestd.pid" && return 0
    env SLURM_CONF="$SLURM_CONF" SLURM_JWT=daemon setpriv --reuid "$REST_USER" --regid "$REST_USER" \
        --clear-groups "$PREFIX/sbin/slurmrestd" -a rest_auth/jwt "127.0.0.1:$RESTD_PORT" \
        </dev/null >>"$DIR/log/slurmrestd.log" 2>&1 &
    echo $! >"$DIR/run/slurmrestd.pid"
    wait_for slurmrestd 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$RESTD_PORT"
}

all_running() {
    running "$DIR/munge/munged.pid" && running "$DIR/mysql/mysqld.pid" &&
        running "$DIR/run/slurmdbd.pid" && running "$DIR/run/slurmctld.pid" || return 1
    for n in "${NODE_NAMES[@]}"; do running "$DIR/run/slurmd-$n.pid" || return 1; done
    [[ -z $RESTD_PORT ]] || running "$DIR/run/slurmrestd.pid"
}

build_slurm() {
    bash "$ROOT/cluster/build-slurm.sh"
}

up() {
    [[ $(id -u) == 0 ]] || die "the local cluster needs root (packages, daemons, users)"
    if [[ -s $DIR/env ]] && all_running; then
        log "running (source $DIR/env to use it)"
        return 0
    fi
    local steps=(install_packages)
    [[ $SLURM == 22.05 ]] || steps+=(build_slurm)
    steps+=(write_config create_users start_munge start_mysql start_slurmdbd populate_accounting start_slurmctld
        start_slurmd)
    [[ -z $RESTD_PORT ]] || steps+=(start_slurmrestd)
    log "starting in $DIR; daemons log to $DIR/log/"
    local i=0
    for step in "${steps[@]}"; do
        i=$((i + 1))
        log "[$i/${#steps[@]}] ${step//_/ }"
        "$step"
    done
    log "up: $(sinfo -h -o '%D nodes %T in %P' | tr '\n' ' ')(source $DIR/env to use it)"
}

# Start again what a fault test stopped: each step returns at once for a
# daemon that runs, and nothing is installed or rewritten.
start() {
    [[ -s $DIR/env ]] || die "no cluster is set up in $DIR: run up first"
    start_munge
    start_mysql
    start_slurmdbd
    start_slurmctld
    # Waiting for the nodes only when one was started: others' tests may
    # have drained or reserved nodes on a shared cluster.
    local n
    for n in "${NODE_NAMES[@]}"; do
        running "$DIR/run/slurmd-$n.pid" || { start_slurmd; break; }
    done
    start_slurmrestd
    log "running"
}

stop_pidfile() {
    local name=$1 pidfile=$2
    running "$pidfile" || { rm -f "$pidfile"; return 0; }
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name ($pid) did not stop; killing it"
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

down() {
    stop_pidfile slurmrestd "$DIR/run/slurmrestd.pid"
    for n in "${NODE_NAMES[@]}"; do stop_pidfile "slurmd $n" "$DIR/run/slurmd-$n.pid"; done
    stop_pidfile slurmctld "$DIR/run/slurmctld.pid"
    stop_pidfile slurmdbd "$DIR/run/slurmdbd.pid"
    stop_pidfile mysqld "$DIR/mysql/mysqld.pid"
    stop_pidfile munged "$DIR/munge/munged.pid"
    log "down"
}

status() {
    local rc=0
    for entry in munged:munge/munged.pid mysqld:mysql/mysqld.pid slurmdbd:run/slurmdbd.pid \
        slurmctld:run/slurmctld.pid "${NODE_NAMES[@]/#/slurmd-}" ${RESTD_PORT:+slurmrestd:run/slurmrestd.pid}; do
        local name=${entry%%:*} pidfile=${entry#*:}
        [[ $entry == slurmd-* ]] && pidfile=run/$entry.pid
        if running "$DIR/$pidfile"; then echo "$name running"; else echo "$name stopped"; rc=1; fi
    done
    return $rc
}

case ${1:-} in
up) up ;;
start) start ;;
down) down ;;
status) status ;;
*) die "usage: $0 up|start|down|status" ;;
esac
