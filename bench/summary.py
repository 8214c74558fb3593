"""The README's benchmark table, from the latest results of each run in
bench/results/ (slurm-<release>-<jobs>-jobs.json): per cluster, number of
jobs, operation and clients, both servers' req/s and p50, their ratio,
slurmctld RPCs per request and peak RSS.

    python bench/summary.py > table.md
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
# How a single read is named in the table where a run timed the first read
# apart: "jobs" is then the median of the reads after it, which has no
# earlier list to take jobs from (server/joblist.py).
OPERATION_NAMES = {"jobs": "jobs (again)", "jobs first": "jobs (first read)"}


def named(operation: str, single: dict) -> str:
    return OPERATION_NAMES.get(operation, operation) if "slurmrestpy jobs first" in single else operation


def cell(row: dict | None) -> str:
    if row is None:
        return "-"
    if not row["rps"]:
        return "0 (none done)"
    return f"{row['rps']:.1f} ({row['p50_ms']:.0f})"


def main() -> int:
    lines = ["| Slurm, jobs | operation | clients | slurmrestpy req/s (p50 ms) | slurmrestd req/s (p50 ms) "
             "| ratio | RPC/req (ours / theirs) | peak RSS MB (ours / theirs) | load avg |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for path in _runs():
        release, jobs = re.match(r"slurm-(.+)-(\d+)-jobs\.json", path.name).groups()
        data = json.loads(path.read_text())
        load = data.get("load_average") or []
        load_text = f"{min(load):.0f}-{max(load):.0f}" if load else "?"
        cells = {(r["operation"], r["clients"], r["server"]): r for r in data["rows"]}
        for operation, clients in dict.fromkeys((r["operation"], r["clients"]) for r in data["rows"]):
            ours, theirs = cells.get((operation, clients, "slurmrestpy")), cells.get((operation, clients, "slurmrestd"))
            ratio = f"{ours['rps'] / theirs['rps']:.1f}x" if ours and theirs and theirs["rps"] else "-"
            rpc = " / ".join(f"{r['rpc_per_request']:.2f}" if r and r["rps"] else "-" for r in (ours, theirs))
            rss = " / ".join(f"{r['peak_rss_mb']:.0f}" if r and r["peak_rss_mb"] else "-" for r in (ours, theirs))
            lines.append(f"| {release}, {int(jobs):,} | {operation} | {clients} | {cell(ours)} | {cell(theirs)} "
                         f"| {ratio} | {rpc} | {rss} | {load_text} |")
    lines += ["", "One read with nothing shared (median of 5; a first read: of 5 servers' first), against the "
              "bare CLI command it runs: x CLI is the median of each read's ratio to the bare command timed just "
              "before it (bare CLI s: the median of 3 at the run's start). Marked *: a run from before reads were "
              "paired so, a median of 3 against the bare time taken at the run's start (a first read: of 3 "
              "servers' first since 2026-12-04).", "",
              "| Slurm, jobs | operation | bare CLI s | slurmrestpy s (x CLI) | slurmrestd s (x CLI) |",
              "| --- | --- | ---: | ---: | ---: |"]
    for path in _runs():
        release, jobs = re.match(r"slurm-(.+)-(\d+)-jobs\.json", path.name).groups()
        data = json.loads(path.read_text())
        single, cli = data.get("single") or {}, data.get("cli") or {}
        for operation in ("jobs", "jobs first", "job"):
            bare = (cli.get(operation.split()[0]) or [None, 0.0])[1]
            if f"slurmrestpy {operation}" not in single or not bare:
                continue
            times = [single.get(f"{server} {operation}") for server in ("slurmrestpy", "slurmrestd")]
            ratios = [single.get(f"{server} {operation} x") for server in ("slurmrestpy", "slurmrestd")]
            shown = [f"{t:.3f} ({x:.2f}x)" if x is not None else f"{t:.3f} ({t / bare:.2f}x*)" if t is not None
                     else "-" for t, x in zip(times, ratios)]
            lines.append(f"| {release}, {int(jobs):,} | {named(operation, single)} | {bare:.3f} "
                         f"| {shown[0]} | {shown[1]} |")
    print("\n".join(lines))
    return 0


def _runs() -> list[Path]:
    return sorted(RESULTS.glob("slurm-*-jobs.json"), key=lambda p: (p.name.split("-")[1], int(p.name.split("-")[2])))


if __name__ == "__main__":
    sys.exit(main())
