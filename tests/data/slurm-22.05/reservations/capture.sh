#!/bin/bash
# How the files beside this script were recorded (Slurm 22.05.8, the local
# cluster of .cluster/). Run as root with the cluster up:
#   bash tests/data/slurm-22.05/reservations/capture.sh
# Every reservation starts two years ahead: slurmctld plans at most a year
# ahead for a job without a time limit, so none of them keeps anyone's job
# from starting. They are all deleted at the end.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$(cd "$HERE/../../../.." && pwd)/.cluster/env"
unset SLURM_TIME_FORMAT
cd /tmp

as_alice() {
    local t; t=$(scontrol token username=srp_alice lifespan=300 | cut -d= -f2)
    runuser -u srp_alice -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$t" "$@"
}
at() { date -d "$1" +%Y-%m-%dT%H:%M:%S; }   # at '+2 years 3 days' -> a StartTime
cleanup() {
    for r in $(scontrol -o show reservation | grep -o 'ReservationName=t-resv-probe[0-9a-z-]*' | cut -d= -f2); do
        scontrol delete reservation "$r" || true
    done
}
trap cleanup EXIT
# stderr and exit code of a command that is meant to fail
fails() { local name=$1; shift; { "$@" && echo "unexpected success" ; echo "exit=$?"; } > "$HERE/$name" 2>&1 || true; }

scontrol -o show reservation > "$HERE/show-reservation-none.txt"
B=$(date -d '+2 years' +%Y-%m-%d)
scontrol create reservation reservationname=t-resv-probe1 starttime="$(at "$B 00:00")" duration=60 nodes=n3 users=root
scontrol create reservation reservationname=t-resv-probe2 starttime="$(at "$B +1 day")" endtime="$(at "$B +2 days 12:00")" \
    nodecnt=2 partition=debug accounts=research users=srp_alice,srp_bob \
    flags=maint,ignore_jobs,purge_comp=00:05:00 licenses=fluent:1 maxstartdelay=10:00
scontrol create reservation reservationname=t-resv-probe3 starttime="$(at "$B +3 days")" duration=1-00:00:00 \
    tres=cpu=2 users=root flags=daily,flex
scontrol create reservation reservationname=t-resv-probe4 starttime="$(at "$B +5 days")" duration=UNLIMITED \
    licenses=matlab:1 users=srp_alice flags=license_only
scontrol create reservation reservationname=t-resv-probe5 starttime="$(at "$B +4 days")" duration=30 \
    corecnt=1 nodes=n2 users=root
scontrol create reservation reservationname=t-resv-probe6 starttime="$(at "$B +4 days 02:00")" duration=30 \
    nodes=n2 groups=srp_alice
scontrol create reservation reservationname=t-resv-probe7 starttime="$(at "$B +4 days 04:00")" duration=30 \
    nodes=n1 users=-srp_bob burstbuffer=foo:1G flags=weekly,magnetic,static_alloc,no_hold_jobs_after_end
scontrol create reservation reservationname=t-resv-probe9 starttime="$(at "$B +4 days 08:00")" duration=30 \
    nodecnt=1 users=root flags=replace,replace_down,time_float
scontrol create reservation reservationname=t-resv-probe8 starttime="$(at "$B +4 days 06:00")" duration=30 \
    nodes=ALL partition=debug users=root accounts=-research flags=part_nodes,weekday,overlap,first_cores
scontrol create reservation reservationname=t-resv-probe10 starttime="$(at "$B +4 days 10:00")" duration=30 \
    nodes=n2 tres=cpu=1 users=root flags=static_alloc

scontrol -o show reservation > "$HERE/show-reservation.txt"
as_alice scontrol -o show reservation > "$HERE/show-reservation-as-srp_alice.txt"

# Updates that work, one by one, and the record after them
scontrol update reservationname=t-resv-probe3 Duration+=30
scontrol update reservationname=t-resv-probe3 flags=-daily,-flex users=root,srp_bob
scontrol -o show reservation t-resv-probe3 > "$HERE/show-reservation-probe3-updated.txt"
# 22.05 reads every flag after a "-" as one to clear: DAILY is not set here
scontrol update reservationname=t-resv-probe2 flags=-maint,daily
scontrol -o show reservation t-resv-probe2 > "$HERE/show-reservation-probe2-after-minus-maint-daily.txt"

# What failures look like (stderr, then the exit code)
fails stderr-show-unknown.txt scontrol -o show reservation t-resv-nosuch
fails stderr-create-as-srp_alice.txt as_alice scontrol create reservation reservationname=t-resv-probe-alice \
    starttime="$(at "$B +6 days")" duration=30 nodes=n1 users=srp_alice
fails stderr-update-as-srp_alice.txt as_alice scontrol update reservationname=t-resv-probe1 duration=30
fails stderr-delete-as-srp_alice.txt as_alice scontrol delete reservation t-resv-probe1
fails stderr-update-unknown.txt scontrol update reservationname=t-resv-nosuch duration=30
fails stderr-delete-unknown.txt scontrol delete reservation t-resv-nosuch
fails stderr-create-duplicate-name.txt scontrol create reservation reservationname=t-resv-probe1 \
    starttime="$(at "$B +7 days")" duration=30 nodes=n1 users=root
fails stderr-create-overlap.txt scontrol create reservation reservationname=t-resv-probe-overlap \
    starttime="$(at "$B 00:10")" duration=30 nodes=n3 users=root
fails stderr-create-no-users.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodes=n1
fails stderr-create-users-and-groups.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodes=n1 users=root groups=srp_alice
fails stderr-create-bad-flags.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodes=n1 users=root flags=bogus
fails stderr-create-bad-feature.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodecnt=1 users=root features=nosuchfeature
fails stderr-create-unknown-user.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodes=n1 users=nosuchuser
fails stderr-create-unknown-node.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodes=nosuchnode users=root
fails stderr-create-unknown-license.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodes=n1 users=root licenses=nosuch:1
fails stderr-create-start-in-past.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime=2020-01-01T00:00:00 duration=30 nodes=n1 users=root
fails stderr-create-replace-named-nodes.txt scontrol create reservation reservationname=t-resv-probe-x \
    starttime="$(at "$B +8 days")" duration=30 nodes=n1 users=root flags=replace
fails stderr-update-end-unlimited.txt scontrol update reservationname=t-resv-probe1 endtime=UNLIMITED
