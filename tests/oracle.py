"""The oracle: Slurm's own slurmrestd on the same cluster (the 25.11 one,
`make cluster SLURM=25.11`, whose env file names it SLURMRESTD_URL).

The differential tests send each operation to it and to slurmrestpy and
compare the answers. What may differ is in ONE table, DIFFERENCES, each
with its reason (the README lists the same): fields that change between
two reads, and our deliberate improvements.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re

import httpx
import pytest


# (operation pattern, field pattern, reason). A field is a dotted path with
# list indices as [*] (`jobs[*].time.start`); patterns are fnmatch's.
# "<status>": the status may differ; "<our description>": slurmrestd's
# answer need not validate against our description.
DIFFERENCES: list[tuple[str, str, str]] = [
    ("*", "meta*", "who answered, and when: ours names slurmrestpy"),
    ("*", "errors[*].description", "ours say which command failed and what Slurm printed "
                                   "(the error number and error are slurmrestd's)"),
    ("*", "errors[*].source", "the command that failed, where slurmrestd names its C function"),
    # Counters and times that change between two reads
    ("GET /slurm/v0.0.4?/diag/", "statistics.*", "slurmctld's counters move with every RPC, ours included"),
    ("GET /slurmdb/v0.0.4?/diag/", "statistics.*", "slurmdbd's counters move with every RPC"),
    ("GET */ping/", "pings[*].latency", "a time measured at each ping"),
    ("*", "last_update.number", "the time of slurmctld's last change, which moves between reads"),
    ("GET /slurm/v0.0.4?/job*", "jobs[*].last_sched_evaluation.number", "moves as slurmctld schedules"),
    # Deliberate improvements
    ("GET /slurm/v0.0.4?/job*", "jobs[*].job_resources", "slurmrestd prints null, which SchedMD's "
                                                          "description does not allow: left out"),
    ("GET /slurmdb/v0.0.4?/user*", "users[*].default.account", "slurmrestd 25.11 prints an empty "
                                                                "default account; ours is slurmdbd's"),
    ("POST /slurmdb/v0.0.44/associations/", "<status>", "a user's association under an account with "
     "none on the cluster: slurmrestd answers 200 and adds nothing; ours refuses it by name (400)"),
    ("DELETE /slurmdb/v0.0.44/*", "<status>", "a delete that finds nothing (no such cluster, account, "
     "user, QOS, association): slurmrestd 25.11 answers 304 with no body at all, a status SchedMD's "
     "description does not list and HTTP has only for conditional GETs; ours 200, the envelope and "
     "the warning \"... found nothing\", as slurmrestd answers it for WCKeys"),
    ("POST /slurmdb/v0.0.44/config", "<status>", "a document without clusters: slurmrestd 25.11 "
     "refuses it whole (500, 2162 \"Empty list\" from adding no cluster); ours loads what it holds"),
    ("STATE POST /slurmdb/v0.0.44/qos/", "qos[*].limits.max.tres.per.job*", "a limit on TRES \"memory\": "
     "slurmrestd stores no limit at all (the unknown name voids the list); ours stores it as mem"),
    ("STATE POST /slurm/v0.0.44/reservation*", "reservations[*].*_time.number", "the test starts each "
     "side's reservation a day apart, so that each can take the whole partition"),
    ("GET /slurmdb/v0.0.4?/config", "associations[*].qos*", "an association's own QOS only "
     "(woplimits, as for its limits), where slurmrestd dumps the QOS inherited too: loading its dump "
     "back would set on every child what a parent gave"),
    ("GET /slurmdb/v0.0.4?/config", "accounts[*].associations*", "slurmrestd 25.11 lists none under "
     "account root, which its /accounts/?WithAssociations and this dump's users and associations do "
     "list: it asks slurmdbd for accounts' associations with their sub-accounts, which slurmdbd finds "
     "by a lineage holding /<account>/, and root's associations have lineage / and /0-root/; ours "
     "lists root's too"),
    ("STATE POST /slurm/v0.0.44/node/*", "nodes[*].reason_changed_at.number", "each side's node is "
     "drained by its own request, a moment apart: the time of the change can fall in the next second"),
    ("STATE *", "*.id", "ids number objects in the order they were made"),
    ("STATE *", "*.id.*", "ids number objects in the order they were made"),
    ("GET /slurm/v0.0.4?/job*", "jobs[*].current_working_directory", "slurmrestd 25.11 prints freed "
     "memory (not even UTF-8) for a component of a heterogeneous allocation; ours is squeue's"),
    ("GET /slurmdb/v0.0.4?/instance*", "instances", "an error answer, or one that found nothing, still "
                                                    "holds the list SchedMD's description requires, empty"),
    ("GET /slurm/v0.0.4?/jobs/state/", "*", "slurmrestd 25.11 answers {job_id (a string), state} per "
     "job, without last_backfill and last_update, against its own description (openapi_job_info_resp: "
     "job records, job_id a number, both times required), and to an ordinary user it lists every "
     "user's jobs (its RPC ignores PrivateData=jobs), and it names a started array task by the task's "
     "own job id (689_1 for squeue's 688_1); ours follows the description with the jobs "
     "squeue shows the caller. test_job_states_name_the_same_jobs_as_slurmrestd compares the jobs"),
    ("GET /slurm/v0.0.4?/node/*", "nodes", "an error answer (no such node) still holds the list "
                                           "SchedMD's description requires, empty"),
    ("GET /slurm/v0.0.4?/node/*", "last_update.*", "an error answer still holds the time SchedMD's "
                                                   "description requires"),
    ("GET /slurmdb/v0.0.4?/wckeys/", "wckeys", "an error answer still holds the list SchedMD's "
                                               "description requires, empty"),
    ("GET /slurmdb/v0.0.4?/config", "<status>", "an ordinary user: slurmrestd 25.11 answers 500 (2002, "
     "WCKeys may not be listed) and nothing else; ours gives every section the user may read, a "
     "denied one empty with a warning naming it"),
    ("GET /slurm/v0.0.4?/jobs/state/", "<our description>", "25.11's slurmrestd answers a form that no "
     "description of these versions has (job_id a string; no last_backfill, last_update)"),
    ("GET /slurmdb/v0.0.4?/wckey/*", "wckeys", "an error answer still holds the list SchedMD's "
                                               "description requires, empty"),
    ("GET /slurmdb/v0.0.4?/wckey*", "<our description>", "slurmrestd's error answer lacks the list that "
     "SchedMD's description and ours require"),
    ("GET /slurmdb/v0.0.4?/instance*", "<our description>", "slurmrestd's answer that finds nothing "
     "lacks the list that SchedMD's description and ours require"),
    # Limitations
    ("GET /slurmdb/v0.0.4?/config", "associations[*].accounting*", "slurmrestd dumps each association's "
     "usage records of the day before: slurmdbd's hourly rollup rows per TRES, an account's holding "
     "every row of its subtree. No Slurm command prints them: sreport sums a window per account and "
     "user (merging partitions), sshare prints slurmctld's decayed usage; ours is empty"),
]


# (operation pattern, list, key, reason): lists whose order may differ,
# compared sorted by that key (stably: records of one job keep their order).
ORDER_FREE: list[tuple[str, str, str, str]] = [
    ("GET /slurmdb/v0.0.4?/jobs/", "jobs", "job_id", "a requeued job's last record (no duplicates "
     "asked): slurmrestd 25.11 puts it where the job's first record was, sacct where its last was"),
]


def ordered(operation: str, document):
    """The document with the lists ORDER_FREE names for the operation sorted."""
    if not isinstance(document, dict):
        return document
    for op_pattern, name, key, _ in ORDER_FREE:
        if fnmatch.fnmatch(operation, op_pattern) and isinstance(document.get(name), list):
            document = {**document, name: sorted(document[name], key=lambda item: item.get(key))}
    return document


@pytest.fixture(scope="session")
def oracle(cluster) -> str:
    """The URL of Slurm's own slurmrestd beside the cluster (SLURMRESTD_URL
    of its env file): the 25.11 cluster has one, 22.05's has none."""
    url = os.environ.get("SLURMRESTD_URL") or cluster.slurmrestd_url
    if not url:
        pytest.skip(f"no slurmrestd beside the Slurm {cluster.release} cluster: the oracle runs on the 25.11 one")
    return url


def fields(document, prefix: str = "") -> dict[str, object]:
    """Every leaf of a JSON document by its dotted path, indices as [*]
    for matching and kept apart by their position."""
    found: dict[str, object] = {}
    if isinstance(document, dict):
        if not document and prefix:
            found[prefix] = {}
        for key, value in document.items():
            found.update(fields(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(document, list):
        if not document:
            found[prefix] = []
        for index, value in enumerate(document):
            found.update(fields(value, f"{prefix}[{index}]"))
    else:
        found[prefix] = document
    return found


def allowed(operation: str, path: str) -> str | None:
    """The reason a field of an operation may differ, or None."""
    # "[*]" means any index; fnmatch would read it as a character class
    general = re.sub(r"\[\d+\]", "#", path)
    for op_pattern, field_pattern, reason in DIFFERENCES:
        if fnmatch.fnmatch(operation, op_pattern) and fnmatch.fnmatch(general, field_pattern.replace("[*]", "#")):
            return reason
    return None


def differences(operation: str, theirs, ours) -> list[str]:
    """The fields that differ and are not in DIFFERENCES, readably."""
    a, b = fields(ordered(operation, theirs)), fields(ordered(operation, ours))
    found = []
    for path in sorted(a.keys() | b.keys()):
        if a.get(path, "<absent>") != b.get(path, "<absent>") and allowed(operation, path) is None:
            found.append(f"{path}: slurmrestd {a.get(path, '<absent>')!r}, slurmrestpy {b.get(path, '<absent>')!r}")
    return found


def send(url: str, method: str, path: str, headers: dict, body=None) -> httpx.Response:
    return httpx.request(method, url + path, headers=headers, json=body, timeout=90)


def document(response: httpx.Response):
    """The answer's JSON; bytes that are not UTF-8 (slurmrestd prints some)
    become U+FFFD, so that the field shows up as a difference. No body
    (slurmrestd's 304) is an empty document."""
    if not response.content:
        return {}
    return json.loads(response.content.decode("utf-8", "replace"))
