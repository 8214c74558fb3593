"""make soak: N clients mix polls, submissions and cancels against one
slurmrestpy for M minutes, then Slurm is read back to prove that nothing was
lost or doubled.

Every submission carries a unique job name and comment (`soak-<run>-<n>`).
Jobs are not held: a held job is never eligible, so slurmdbd never records
it, and once cancelled and forgotten by slurmctld (MinJobAge) it could no
longer be found. Afterwards the jobs of the run are read from Slurm (squeue,
and sacct for the ones slurmctld has already forgotten), and the report
counts:

- lost: a submission answered 200 whose job is not in Slurm, or whose id
  differs from the one answered;
- duplicated: one submission found as more than one job;
- unanswered: a job in Slurm whose submission got no 200 (an error or a
  timeout after Slurm took it);

besides errors by status, latency percentiles per kind of request, the
server's RSS (after warm-up, at the end) and the Slurm commands still running
under it once the load has stopped. It writes a Markdown report to
bench/results/ and cancels the run's jobs.

    python bench/soak.py --cluster-dir .cluster-soak-22.05 --clients 50 --minutes 30
    python bench/soak.py --url http://127.0.0.1:6820 ...   # a server already running

Its jobs run (sleep) on the cluster's nodes, so `make soak` gives it a private
cluster. Needs root when it starts the server (--allow-root), as `make bench`
does. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import RESULTS, environment, run, start_slurmrestpy  # noqa: E402  (the benchmark's helpers)

USER = "srp_alice"
VERSION = "v0.0.44"
SCRIPT = "#!/bin/sh\nsleep 600\n"
# Of each client's requests: polls, submissions, cancels of its own jobs.
MIX = (("poll", 0.65), ("submit", 0.22), ("cancel", 0.13))
# Accounting is read for the last few minutes only: sacct's default (since
# midnight) lists every job of the soak, so its answer, and the RSS that
# holds it, would grow with the run whatever the server does. The start is
# on a minute, so that the clients of one minute share one answer.
POLLS = ("/slurm/{v}/jobs/", "/slurm/{v}/job/{job}", "/slurm/{v}/ping/", "/slurm/{v}/nodes/",
         "/slurm/{v}/partitions/", "/slurmdb/{v}/jobs/?start_time={since}")
ACCOUNTING_WINDOW = 300
REQUEST_TIMEOUT = 120
# Each client keeps at most this many jobs queued (it cancels one before
# submitting more), so the queue, and with it every /jobs/ answer, stops
# growing once the first cancelled jobs are forgotten (MinJobAge), and RSS
# can be compared from then on.
OWN_JOBS = 5


@dataclass
class Tally:
    run_id: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)  # (kind, status) -> count
    submitted: dict[str, int | None] = field(default_factory=dict)  # unique name -> job id answered (None: no 200)
    cancelled: int = 0
    serial: int = 0

    def next_name(self) -> str:
        self.serial += 1
        return f"soak-{self.run_id}-{self.serial}"


async def client(http: httpx.AsyncClient, headers: dict, tally: Tally, until: float, seed: int) -> None:
    rng = random.Random(seed)
    mine: list[int] = []
    kinds, weights = zip(*MIX)
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        if kind == "cancel" and not mine:
            kind = "submit"
        elif kind == "submit" and len(mine) >= OWN_JOBS:
            kind = "cancel"
        started = time.monotonic()
        try:
            if kind == "poll":
                path = rng.choice(POLLS)
                if "{job}" in path and not mine:
                    path = POLLS[0]
                since = int(time.time()) // 60 * 60 - ACCOUNTING_WINDOW
                response = await http.get(path.format(v=VERSION, job=mine[-1] if mine else 0, since=since),
                                          headers=headers)
            elif kind == "submit":
                name = tally.next_name()
                tally.submitted[name] = None
                response = await http.post(f"/slurm/{VERSION}/job/submit", headers=headers, json={
                    "script": SCRIPT, "job": {
                        "name": name, "comment": name, "environment": ["PATH=/usr/bin:/bin"],
                        "current_working_directory": "/tmp", "standard_output": "/dev/null"}})
                if response.status_code == 200:
                    tally.submitted[name] = response.json()["job_id"]
                    mine.append(tally.submitted[name])
            else:
                job = mine.pop(rng.randrange(len(mine)))
                response = await http.delete(f"/slurm/{VERSION}/job/{job}", headers=headers)
                tally.cancelled += response.status_code == 200
            status = response.status_code
        except httpx.HTTPError as error:
            status = type(error).__name__  # no HTTP answer (e.g. a keep-alive connection closed)
        tally.latencies[kind].append(time.monotonic() - started)
        tally.statuses[(kind, status)] += 1


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def children(pid: int) -> list[str]:
    """Processes still running under the server (its Slurm commands)."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True)
    return [line.strip() for line in out.stdout.splitlines() if line.strip()]


async def sample_rss(pid: int | None, samples: list[tuple[float, float]], until: float) -> None:
    start = time.monotonic()
    while pid and time.monotonic() < until:
        value = rss_mb(pid)
        if value is not None:
            samples.append((time.monotonic() - start, value))
        await asyncio.sleep(5)


def jobs_in_slurm(env, prefix: str, since: str) -> dict[str, set[int]]:
    """Unique name -> job ids Slurm has for it: slurmctld's (squeue, any state)
    and slurmdbd's (sacct), since either may not know a job yet or any more."""
    found: dict[str, set[int]] = defaultdict(set)
    squeue = run(["squeue", "-h", "-t", "all", "-u", USER, "-o", "%i|%j|%k"], env)
    sacct = run(["sacct", "-n", "-P", "-X", "-u", USER, "-S", since, "-o", "JobIDRaw,JobName"], env)
    for line in squeue.stdout.splitlines() + sacct.stdout.splitlines():
        job_id, name, *comment = line.split("|")
        if name.startswith(prefix) and job_id.isdigit():
            found[name].add(int(job_id))
    return found


def settle(env, prefix: str, since: str, expected: int) -> dict[str, set[int]]:
    """Read Slurm back until slurmdbd has caught up (or a minute passed)."""
    found, deadline = {}, time.monotonic() + 60
    while time.monotonic() < deadline:
        found = jobs_in_slurm(env, prefix, since)
        if len(found) >= expected:
            break
        time.sleep(3)
    return found


def min_job_age(env) -> int:
    """slurmctld's MinJobAge in seconds (how long it keeps an ended job)."""
    for line in run(["scontrol", "show", "config"], env).stdout.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "MinJobAge":
            return int(value.split()[0])
    return 300  # Slurm's default


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def report(args, tally: Tally, found: dict[str, set[int]], rss: list[tuple[float, float]],
           leftover: list[str], seconds: float, release: str) -> tuple[str, bool]:
    answered = {name: job for name, job in tally.submitted.items() if job is not None}
    lost = [n for n, job in answered.items() if found.get(n) != {job} and len(found.get(n, ())) <= 1]
    duplicated = [n for n, jobs in found.items() if len(jobs) > 1]
    unanswered = [n for n in found if tally.submitted.get(n) is None]
    warm = [mb for t, mb in rss if t >= args.warmup]
    rss_line = "not measured (a server not started by this tool)"
    if rss and not warm:
        rss_line = f"not compared (the run was shorter than its {args.warmup:.0f} s warm-up)"
    flat = True
    if warm:
        # A level, not a sample: RSS rises while a large answer is being
        # made and falls back after, so one sample taken at such a moment
        # says nothing about growth. The median of the first quarter after
        # warm-up against that of the last quarter does.
        quarter = max(1, len(warm) // 4)
        first, last = statistics.median(warm[:quarter]), statistics.median(warm[-quarter:])
        flat = last <= first * 1.10
        rss_line = (f"median {first:.0f} MiB over the first quarter after {args.warmup:.0f} s warm-up, "
                    f"{last:.0f} MiB over the last ({'flat' if flat else 'GREW'}: within 10% is flat); "
                    f"samples {min(warm):.0f}-{max(warm):.0f} MiB")
    lines = [
        f"# Soak: {args.clients} clients for {seconds / 60:.1f} min, Slurm {release}", "",
        f"Run `{tally.run_id}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.1f}.", "",
        "| submissions | answered 200 | jobs found in Slurm | lost | duplicated | in Slurm without a 200 | cancelled |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {len(tally.submitted)} | {len(answered)} | {len(found)} | {len(lost)} | {len(duplicated)} "
        f"| {len(unanswered)} | {tally.cancelled} |", "",
        "| request | count | p50 ms | p90 ms | p99 ms | max ms |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for kind, values in sorted(tally.latencies.items()):
        lines.append(f"| {kind} | {len(values)} | {percentile(values, .5):.0f} | {percentile(values, .9):.0f} "
                     f"| {percentile(values, .99):.0f} | {max(values) * 1000:.0f} |")
    lines += ["", "| request | status | count |", "| --- | --- | ---: |"]
    lines += [f"| {kind} | {status} | {count} |" for (kind, status), count in
              sorted(tally.statuses.items(), key=lambda item: (item[0][0], str(item[0][1])))]
    lines += ["", f"RSS: {rss_line}.",
              "RSS by minute (MiB): " + " ".join(f"{mb:.0f}" for t, mb in rss if int(t) % 60 < 5) + ".",
              f"Slurm commands left under the server after the load: {len(leftover)}"
              + (f" ({'; '.join(leftover[:5])})" if leftover else "") + "."]
    if lost or duplicated or unanswered:
        lines += ["", f"Lost: {lost[:20]}", f"Duplicated: {duplicated[:20]}", f"Without a 200: {unanswered[:20]}"]
    good = not lost and not duplicated and not unanswered and not leftover and flat
    return "\n".join(lines) + "\n", good


async def soak(args, url: str, pid: int | None, env) -> tuple[Tally, list[tuple[float, float]], float]:
    token = run(["scontrol", "token", f"username={USER}", f"lifespan={int(args.minutes * 60) + 1800}"],
                env).stdout.strip().split("=", 1)[1]
    headers = {"X-SLURM-USER-NAME": USER, "X-SLURM-USER-TOKEN": token}
    tally = Tally(run_id=f"{int(time.time()):x}")
    rss: list[tuple[float, float]] = []
    started = time.monotonic()
    until = started + args.minutes * 60
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT, limits=limits) as http:
        await asyncio.gather(sample_rss(pid, rss, until),
                             *(client(http, headers, tally, until, seed) for seed in range(args.clients)))
    return tally, rss, time.monotonic() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cluster-dir", type=Path, default=Path(__file__).resolve().parent.parent / ".cluster")
    parser.add_argument("--url", help="a slurmrestpy already serving the cluster (else one is started)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=60, help="seconds before RSS is taken as the baseline "
                        "(at least MinJobAge + 60)")
    parser.add_argument("--coalesce", type=float, default=1)
    args = parser.parse_args(argv)
    env = environment(args.cluster_dir)
    release = run(["scontrol", "--version"], env).stdout.split()[-1]
    # Until cancelled jobs start being forgotten, the job list (and every
    # answer holding it) grows: RSS is compared from then on.
    args.warmup = max(args.warmup, min_job_age(env) + 60)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = None if args.url else start_slurmrestpy(env, args.coalesce)
    url, pid = (args.url, None) if args.url else (target.url, target.pid)
    since = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - 60))
    try:
        tally, rss, seconds = asyncio.run(soak(args, url, pid, env))
        time.sleep(3)  # commands of requests just answered end
        leftover = children(pid) if pid else []
    finally:
        if target:
            target.process.terminate()
            target.process.wait(30)
    prefix = f"soak-{tally.run_id}-"
    found = settle(env, prefix, since, sum(job is not None for job in tally.submitted.values()))
    text, good = report(args, tally, found, rss, leftover, seconds, release)
    ids = sorted({str(j) for jobs in found.values() for j in jobs})
    for start in range(0, len(ids), 500):
        run(["scancel", *ids[start:start + 500]], env)
    path = RESULTS / f"soak-{release}.md"
    path.write_text(text)
    print(text)
    print(f"written to {path}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
