#!/bin/bash
# How the files of associations/, accounts/ and users/ were recorded (Slurm
# 22.05.8, the local cluster of .cluster/). Run as root with the cluster up:
#   bash tests/data/slurm-22.05/associations/capture.sh
# It builds its own tree, all named t-*-cap*, and removes it at the end:
#   root
#   `- t-acct-cap-top   (every limit sacctmgr can set; coordinator t-user-cap-a)
#      |- t-user-cap-a  (default association, with limits of its own)
#      `- t-acct-cap-sub (Fairshare=parent)
#         |- t-user-cap-a, partition debug
#         `- t-user-cap-b
# Nothing else is touched. Reads are narrowed to these objects (and root),
# so that what other people keep in the same slurmdbd stays out.
# NAME.txt is what a command printed on stdout; for a change, NAME.out,
# NAME.err and NAME.rc are its stdout, stderr and exit status.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(cd "$HERE/.." && pwd)
source "$(cd "$HERE/../../../.." && pwd)/.cluster/env"
cd /tmp
mkdir -p "$DATA/accounts" "$DATA/users"

TOP=t-acct-cap-top SUB=t-acct-cap-sub A=t-user-cap-a B=t-user-cap-b
ASSOC_FIELDS=Cluster,Account,User,Partition,ID,ParentID,ParentName,Fairshare,DefaultQOS,QOS,GrpJobs,GrpJobsAccrue,GrpSubmit,MaxWall,MaxJobs,MaxJobsAccrue,MaxSubmit,GrpTRES,GrpTRESMins,GrpTRESRunMins,MaxTRESMins,MaxTRES,MaxTRESPerNode,GrpWall,MinPrioThresh,Priority

token() { scontrol token username="$1" lifespan=600 | cut -d= -f2; }
as() {  # as USER COMMAND...: run as an unprivileged user with their JWT
    local u=$1; shift
    runuser -u "$u" -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT="$(token "$u")" "$@"
}
change() {  # change DIR/NAME COMMAND...: keep stdout, stderr and status
    local name=$1; shift
    "$@" >"$DATA/$name.out" 2>"$DATA/$name.err"
    echo $? >"$DATA/$name.rc"
}
cleanup() {
    sacctmgr -i delete user where name=$A,$B >/dev/null 2>&1
    sacctmgr -i delete account where name=$SUB >/dev/null 2>&1
    sacctmgr -i delete account where name=$TOP >/dev/null 2>&1
    sacctmgr -i delete account where name=t-acct-cap-alone >/dev/null 2>&1
}
trap cleanup EXIT
cleanup

# The tree.
change accounts/add-account sacctmgr -i add account name=$TOP cluster=srp \
    description="capture top" organization=capture
sacctmgr -i modify account where name=$TOP cluster=srp set \
    GrpTRES=cpu=8,mem=2G,node=2,billing=7,fs/disk=3G GrpTRESMins=cpu=1000,mem=5000 \
    GrpTRESRunMins=cpu=500 MaxTRES=cpu=2,mem=1500 MaxTRESPerNode=cpu=1 MaxTRESMins=cpu=60 \
    GrpWall=10:00 MaxWall=2-03:04:05 Priority=5 GrpJobs=6 GrpJobsAccrue=3 GrpSubmitJobs=9 \
    MaxJobs=11 MaxJobsAccrue=4 MaxSubmitJobs=8 MinPrioThresh=7 Fairshare=20 \
    QOS=normal DefaultQOS=normal >/dev/null
sacctmgr -i add account name=$SUB cluster=srp parent=$TOP fairshare=parent >/dev/null
change users/add-user sacctmgr -i add user name=$A account=$TOP cluster=srp \
    MaxJobs=2 GrpTRES=cpu=4 Fairshare=3
sacctmgr -i add user name=$A account=$SUB cluster=srp partition=debug MaxWall=60 >/dev/null
sacctmgr -i add user name=$B account=$SUB cluster=srp adminlevel=Operator >/dev/null
change accounts/add-coordinator sacctmgr -i add coordinator account=$TOP names=$A

# Associations.
mine="accounts=root,$TOP,$SUB"
sacctmgr -n -P show associations $mine format=$ASSOC_FIELDS >"$HERE/show.txt"
sacctmgr -n -P show associations $mine woplimits format=$ASSOC_FIELDS >"$HERE/show-woplimits.txt"
sacctmgr -n -P show associations $mine wopinfo format=$ASSOC_FIELDS >"$HERE/show-wopinfo.txt"
sacctmgr -n -P show associations $mine "users=''" format=Cluster,Account,ParentName >"$HERE/tree.txt"
sacctmgr -n -P show associations users=$A,$B onlydefaults format=ID >"$HERE/defaults.txt"
sacctmgr -n -P show tres withdeleted format=Type,Name,ID >"$HERE/tres.txt"
sacctmgr -n -P show associations accounts=t-acct-cap-nosuch format=$ASSOC_FIELDS >"$HERE/show-nothing.txt"

# Accounts and users.
sacctmgr -n -P show accounts names=root,$TOP,$SUB format=Account,Coordinators,Organization,Description \
    >"$DATA/accounts/show.txt"
sacctmgr -n -P show accounts names=root,$TOP,$SUB withcoordinators \
    format=Account,Coordinators,Organization,Description >"$DATA/accounts/show-withcoordinators.txt"
sacctmgr -n -P show users names=$A,$B,root format=User,DefaultAccount,DefaultWCKey,AdminLevel,Coordinators \
    >"$DATA/users/show.txt"
sacctmgr -n -P show users names=$A,$B,root withcoordinators \
    format=User,DefaultAccount,DefaultWCKey,AdminLevel,Coordinators >"$DATA/users/show-withcoordinators.txt"

# Changes and what they print.
change associations/modify-account sacctmgr -i modify account where name=$SUB cluster=srp set MaxJobs=3
change associations/modify-user sacctmgr -i modify user where name=$B account=$SUB cluster=srp \
    "partition=''" set MaxJobs=1
change users/set-default-account-other-cluster sacctmgr -i modify user where name=$A set defaultaccount=$SUB
change accounts/add-account-existing sacctmgr -i add account name=$TOP cluster=srp
change accounts/add-account-bad-parent sacctmgr -i add account name=t-acct-cap-x cluster=srp parent=t-acct-cap-nosuch
change users/add-user-bad-account sacctmgr -i add user name=$A account=t-acct-cap-nosuch cluster=srp
change associations/modify-bad-qos sacctmgr -i modify account where name=$SUB cluster=srp set qos=t-qos-cap-nosuch
change associations/modify-bad-tres sacctmgr -i modify account where name=$SUB cluster=srp set grptres=bogus=1
change accounts/add-coordinator-unknown-user sacctmgr -i add coordinator account=$TOP names=t-user-cap-nosuch

# Refusals, as srp_alice (no admin level, no coordinator role).
change accounts/add-account-denied as srp_alice sacctmgr -i add account name=t-acct-cap-alice cluster=srp
change accounts/modify-account-denied as srp_alice sacctmgr -i modify account where name=$TOP set description=x
change accounts/delete-account-denied as srp_alice sacctmgr -i delete account where name=$TOP
change accounts/add-coordinator-denied as srp_alice sacctmgr -i add coordinator account=$TOP names=srp_alice
change users/add-user-denied as srp_alice sacctmgr -i add user name=t-user-cap-alice account=research cluster=srp
change users/delete-user-denied as srp_alice sacctmgr -i delete user where name=$B
change associations/modify-denied as srp_alice sacctmgr -i modify user where name=$B account=$SUB cluster=srp \
    "partition=''" set MaxJobs=9
as srp_alice sacctmgr -n -P show associations $mine format=$ASSOC_FIELDS >"$HERE/show-as-srp_alice.txt"

# Removals.
change accounts/delete-coordinator sacctmgr -i delete coordinator account=$TOP names=$A
change associations/delete-user-partition sacctmgr -i delete user where name=$A account=$SUB cluster=srp partition=debug
change associations/delete-user-last sacctmgr -i delete user where name=$B account=$SUB cluster=srp "partition=''"
change associations/delete-account-assoc sacctmgr -i delete account where name=$SUB cluster=srp
change associations/delete-nothing sacctmgr -i delete user where name=$A account=t-acct-cap-nosuch cluster=srp
change accounts/add-account-alone sacctmgr -i add account name=t-acct-cap-alone cluster=srp
change accounts/delete-account-alone-assoc sacctmgr -i delete account where name=t-acct-cap-alone cluster=srp
sacctmgr -n -P show accounts names=t-acct-cap-alone withassoc format=Account,User,Cluster \
    >"$DATA/accounts/show-without-associations.txt"
change users/delete-user sacctmgr -i delete user where name=$A
change accounts/delete-account sacctmgr -i delete account where name=$TOP
change accounts/delete-account-nothing sacctmgr -i delete account where name=t-acct-cap-nosuch
echo recorded
