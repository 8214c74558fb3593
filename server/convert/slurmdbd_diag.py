"""slurmdbd's statistics and ping as Slurm 22.05's sacctmgr prints them, in
the v0.0.44 shapes ``v0.0.44_stats_rec`` and ``v0.0.44_slurmdbd_ping``.

``sacctmgr show stats`` (22.05)::

    Data since                    Sat Nov 21 08:16:50 2026 (1795249010)
    Internal DBD rollup last ran Sat Nov 21 08:16:50 2026 (1795249010)
    	Last cycle:   1270
    	Max cycle:    1270
    	Total time:   1270
    	Total cycles: 1
    	Mean cycle:   1270
    Cluster 'srp' rollup statistics
    Hour  last ran ...
    Remote Procedure Call statistics by message type
    	DBD_FINI                 ( 1401) count:980    ave_time:466    total_time:456967
    Remote Procedure Call statistics by user
    	root                (         0) count:111    ave_time:730    total_time:81131

The blocks before "Cluster" are slurmdbd's own rollup records, the three
slots v0.0.44 calls ``hourly``, ``daily`` and ``monthly`` (sacctmgr names
slot 0 "Internal DBD rollup", slot 1 "User RPC rollup call", slot 2
"unknown rollup"; a slot it does not print never ran: zeros). Their numbers
are microseconds, as sacctmgr says, whatever v0.0.44's descriptions say.
The per-cluster rollup statistics have no place in v0.0.44 and are left
out.

The ping: 22.05's sacctmgr has no ``ping``; ``sacctmgr show configuration``
asks slurmdbd for its configuration (a cheap request that needs no
privilege) and prints "SlurmDBD configuration:" when it answered.
"""

from __future__ import annotations

import re

ROLLUP_SLOTS = {"Internal DBD rollup": "hourly", "User RPC rollup call": "daily",
                "unknown rollup": "monthly"}
_EPOCH = re.compile(r"\((\d+)\)\s*$")
_RPC = re.compile(r"^\s*(\S+)\s*\(\s*(\d+)\)\s+count:(\d+)\s+ave_time:(\d+)\s+total_time:(\d+)")
_ROLLUP_LINE = re.compile(r"^\s*(Last cycle|Max cycle|Total time|Total cycles|Mean cycle):\s*(\d+)")


def _empty_rollup() -> dict:
    return {"count": 0, "last_run": 0, "duration": {"last": 0, "max": 0, "time": 0}}


def stats(output: str) -> dict:
    """``sacctmgr show stats`` as ``v0.0.44_stats_rec``."""
    time_start = 0
    rollups = {slot: _empty_rollup() for slot in ROLLUP_SLOTS.values()}
    rpcs: list[dict] = []
    users: list[dict] = []
    section = None
    current: dict | None = None
    for line in output.splitlines():
        if line.startswith("Data since"):
            match = _EPOCH.search(line)
            time_start = int(match.group(1)) if match else 0
            continue
        slot = next((s for label, s in ROLLUP_SLOTS.items() if line.startswith(label)), None)
        if slot:
            section, current = "rollup", rollups[slot]
            match = _EPOCH.search(line)
            current["last_run"] = int(match.group(1)) if match else 0
            continue
        if line.startswith("Cluster '"):
            section, current = "cluster", None
            continue
        if line.startswith("Remote Procedure Call statistics by message type"):
            section = "rpc"
            continue
        if line.startswith("Remote Procedure Call statistics by user"):
            section = "user"
            continue
        if section == "rollup" and current is not None:
            match = _ROLLUP_LINE.match(line)
            if match:
                name, value = match.group(1), int(match.group(2))
                if name == "Last cycle":
                    current["duration"]["last"] = value
                elif name == "Max cycle":
                    current["duration"]["max"] = value
                elif name == "Total time":
                    current["duration"]["time"] = value
                elif name == "Total cycles":
                    current["count"] = value
            continue
        if section in ("rpc", "user"):
            match = _RPC.match(line)
            if match:
                name, _, count, average, total = match.groups()
                key = "rpc" if section == "rpc" else "user"
                (rpcs if section == "rpc" else users).append(
                    {key: name, "count": int(count),
                     "time": {"average": int(average), "total": int(total)}})
    return {"time_start": time_start, "rollups": rollups, "RPCs": rpcs, "users": users}


def answered(output: str) -> bool:
    """Did slurmdbd answer ``sacctmgr show configuration``?"""
    return "SlurmDBD configuration:" in output


def configured_host(output: str, key: str) -> str | None:
    """A ``Key = value`` of ``sacctmgr show configuration`` ((null) is None)."""
    match = re.search(rf"^{re.escape(key)}\s*=\s*(.*?)\s*$", output, re.MULTILINE)
    if not match or match.group(1) in ("", "(null)"):
        return None
    return match.group(1)


def ping(hostname: str, responding: bool, latency_us: int, primary: bool = True) -> dict:
    return {"hostname": hostname, "responding": responding, "latency": int(latency_us),
            "primary": primary}
