"""make bench: slurmrestpy and the slurmrestd of the same cluster, side by
side, under wrk, with N held jobs of one benchmark user in the queue.

Per operation, server and number of clients it measures requests/s, p50 and
p99 latency (wrk), slurmctld RPCs per request (sdiag's counters before and
after; other users of the cluster add to them), and the server's peak RSS
(VmHWM, reset before each cell); and the bare CLI time of the command that
reads the same data. It writes a Markdown table and a PNG plot to
bench/results/.

Then the scale-out row: slurmctld RPCs per 100 reads of /jobs/ by 32
clients through one instance, and through three instances sharing Redis
behind HAProxy (tests/scaleout.py, etc/haproxy-slurmrestpy.cfg). Both get
the same reads at the same pace (--scale-out-rate): slurmctld's share is
one command per --coalesce window, so reads as fast as each set-up can
answer would make the faster one look cheaper per read.

    python bench/run.py --jobs 200 --seconds 5
    python bench/run.py --cluster-dir .cluster-25.11   # its env file gives SLURMRESTD_URL

Needs root (it creates the user, submits as it, resets peak RSS), wrk, and
on a 22.05 cluster Debian's slurmrestd (run as the benchmark user, since it
refuses root).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
LUA = REPO / "bench" / "auth.lua"
USER = "perf_bench"
ACCOUNT = "research"
OPERATIONS = ("jobs", "job", "nodes", "partitions", "ping", "slurmdb_jobs")


@dataclass
class Target:
    name: str
    url: str
    version: str  # API version its paths carry
    pid: int | None = None  # for peak RSS; None when it is not ours to watch
    process: subprocess.Popen | None = field(default=None, repr=False)

    def path(self, operation: str, job_id: int) -> str:
        v = self.version
        return {
            "jobs": f"/slurm/{v}/jobs/", "job": f"/slurm/{v}/job/{job_id}", "nodes": f"/slurm/{v}/nodes/",
            "partitions": f"/slurm/{v}/partitions/", "ping": f"/slurm/{v}/ping/",
            "slurmdb_jobs": f"/slurmdb/{v}/jobs/",
        }[operation]


def cli_command(operation: str, job_id: int, json_flag: str) -> list[str]:
    """The bare command reading what the operation answers."""
    return {
        "jobs": ["squeue", json_flag], "job": ["squeue", json_flag, "--jobs", str(job_id)],
        "nodes": ["scontrol", "show", "nodes"], "partitions": ["scontrol", "show", "partitions"],
        "ping": ["scontrol", "ping"], "slurmdb_jobs": ["sacct", json_flag],
    }[operation]


def environment(cluster_dir: Path) -> dict[str, str]:
    """The cluster's env file (export K=V lines) over ours."""
    env = dict(os.environ)
    for line in (cluster_dir / "env").read_text().splitlines():
        match = re.match(r"\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)", line)
        if match:
            env[match[1]] = os.path.expandvars(match[2].strip().strip('"').strip("'"))
    env.setdefault("SLURM_CONF", str(cluster_dir / "etc" / "slurm.conf"))
    return env


def run(argv, env, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, **kw)


def ensure_user(env) -> None:
    if run(["id", USER], env).returncode != 0:
        run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], env)
    if USER not in run(["sacctmgr", "-n", "-P", "show", "user", USER, "format=user"], env).stdout:
        run(["sacctmgr", "-i", "add", "user", USER, f"account={ACCOUNT}"], env)


def token(env) -> str:
    out = run(["scontrol", "token", f"username={USER}", "lifespan=7200"], env).stdout
    return out.strip().split("=", 1)[1]


def as_user(argv: list[str]) -> list[str]:
    # setpriv execs (runuser would stay the parent): the pid is the program's.
    return ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--init-groups", "--", *argv]


def queued(env) -> list[int]:
    out = run(["squeue", "-h", "-u", USER, "-o", "%i"], env).stdout.split()
    return sorted(int(j) for j in out if j.isdigit())


def max_job_count(env) -> int:
    text = run(["scontrol", "show", "config"], env).stdout
    match = re.search(r"^MaxJobCount\s*=\s*(\d+)", text, re.M)
    return int(match[1]) if match else 10000


def submit_held(env, count: int) -> list[int]:
    """N held jobs of the benchmark user in the queue: those already there
    (a run with --keep-jobs) topped up, in parallel (10,000 in 2-4 minutes)."""
    jobs = queued(env)
    if len(jobs) > count:
        run(["scancel", "-u", USER], env)
        jobs = []
        # slurmctld lists ended jobs for MinJobAge (and both servers show
        # them): the run waits until they are gone (bench-private sets 2 s).
        for _ in range(120):
            if not run(["squeue", "-h", "-u", USER, "--states=all", "-o", "%i"], env).stdout.strip():
                break
            time.sleep(1)
        else:
            print("warning: cancelled jobs are still listed (MinJobAge)", file=sys.stderr)
    if count - len(jobs) + len(run(["squeue", "-h", "-o", "%i"], env).stdout.split()) >= max_job_count(env):
        raise SystemExit(f"{count} jobs do not fit under this cluster's MaxJobCount: use a private cluster "
                         "(make bench-private, see the README)")

    def one(_):
        out = run(as_user(["sbatch", "--parsable", "--hold", "--output=/dev/null", f"--job-name={USER}",
                           "--wrap", "true"]), env, cwd="/")
        return int(out.stdout.strip().split(";")[0]) if out.returncode == 0 else None

    missing = count - len(jobs)
    print(f"{len(jobs)} held jobs of {USER} queued; submitting {missing} ...", flush=True)
    with ThreadPoolExecutor(8) as pool:
        jobs += [j for j in pool.map(one, range(missing)) if j]
    if len(jobs) < count:
        print(f"warning: {count - len(jobs)} of {count} submissions failed", file=sys.stderr)
    return sorted(jobs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited at start-up ({process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=20)
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer: it is up
                return
        time.sleep(0.3)
    process.terminate()  # not left behind
    raise SystemExit(f"nothing answered on {url} within {seconds:.0f} s")


def start_slurmrestpy(env, coalesce: float, *extra: str, log_name: str = "slurmrestpy.log") -> Target:
    port = free_port()
    log = open(RESULTS / log_name, "w")
    process = subprocess.Popen([sys.executable, "-m", "server", "-f", env["SLURM_CONF"], "--allow-root",
                                "--coalesce", str(coalesce), *extra, f"127.0.0.1:{port}"],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/slurm/v0.0.44/ping/", process)  # 401 without a token: up
    return Target("slurmrestpy", url, "v0.0.44", process.pid, process)


def start_slurmrestd(env, cluster_dir: Path) -> Target:
    if env.get("SLURMRESTD_URL"):
        # The cluster's own (cluster.sh writes its pid file): its peak RSS is watched too.
        pid_file = cluster_dir / "run" / "slurmrestd.pid"
        pid = int(pid_file.read_text()) if pid_file.exists() else None
        return Target("slurmrestd", env["SLURMRESTD_URL"].rstrip("/"), env.get("SLURMRESTD_API", "v0.0.44"), pid)
    binary = shutil.which("slurmrestd", path="/usr/sbin:/usr/bin:/sbin")
    if not binary:
        raise SystemExit("no slurmrestd: apt-get install slurmrestd")
    port = free_port()
    log = open(RESULTS / "slurmrestd.log", "w")
    # SLURM_JWT=daemon: slurmrestd itself talks to slurmctld with JWT.
    process = subprocess.Popen(as_user([binary, "-a", "rest_auth/jwt", "-f", env["SLURM_CONF"],
                                        f"127.0.0.1:{port}"]),
                               env={**env, "SLURM_JWT": "daemon"}, stdout=log, stderr=subprocess.STDOUT, cwd="/")
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/openapi/v3", process)
    return Target("slurmrestd", url, "v0.0.38", process.pid, process)


def rpc_count(env) -> int:
    """slurmctld's RPCs so far, all message types together."""
    text = run(["sdiag"], env).stdout
    section = text.split("Remote Procedure Call statistics by message type", 1)[-1]
    section = section.split("Remote Procedure Call statistics by user", 1)[0]
    return sum(int(n) for n in re.findall(r"count:(\d+)", section))


def reset_peak(pid: int | None) -> None:
    if pid:
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            pass


def peak_mb(pid: int | None) -> float | None:
    if not pid:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match[1]) / 1024 if match else None


def wrk(url: str, clients: int, seconds: float, env) -> dict:
    threads = max(1, min(2, clients))
    # A read still unanswered at the end is not counted: the timeout only
    # has to outlast the cell, so that slow answers are waited for.
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
                          "--timeout", f"{round(seconds) + 60}s", "-s", str(LUA), url],
                         env=env, capture_output=True, text=True, timeout=seconds + 120)
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk said nothing usable: {out.stdout}{out.stderr}")
    return json.loads(line[len("BENCH "):])


def cli_seconds(argv: list[str], env, times: int = 3) -> float:
    return statistics.median(bare_seconds(argv, env) for _ in range(times))


def bare_seconds(argv: list[str], env) -> float:
    """One run of the bare CLI command, as the benchmark user."""
    started = time.monotonic()
    run(as_user(argv), env, cwd="/")
    return time.monotonic() - started


CELL_PER_CLI = 10  # a cell lasts at least this many bare CLI times: room for 32 slow reads to finish
SETTLE_MAX = 300  # seconds waited at most for a server to work off the last cell's reads


def cpu_seconds(pid: int | None) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(target: Target) -> float:
    """Wait until the server is idle: wrk's clients leave when a cell ends,
    but a server may go on with the reads they sent (slurmrestd at 10,000
    jobs: minutes of them, and gigabytes), which would run into the next
    cell and be counted against whichever server it measures."""
    started = time.monotonic()
    last = cpu_seconds(target.pid)
    while last is not None and time.monotonic() - started < SETTLE_MAX:
        time.sleep(1)
        now = cpu_seconds(target.pid)
        if now is None or now - last < 0.05:
            break
        last = now
    return time.monotonic() - started


def single_reads(targets, operations, job_id, env, coalesce: float, cli: dict, times: int = 5) -> dict:
    """One client's read, with nothing shared, each after the coalescing
    window has passed and right after the bare CLI command it runs, timed
    the same way (the target "at most 1.2x the bare CLI" is about this; a
    client polling back to back under wrk shares the answer it just had).
    Per server and operation: the median of `times` reads' seconds, and
    the median of each read's ratio to the bare command just before it
    ("x"): on this kind of machine the same squeue of 200 jobs took 48 to
    74 ms from one read to the next in a run whose bare time, taken once at
    its start, was 50 ms, and that drift was counted against the server.

    A server's very first read of an operation is also given ("first"):
    slurmrestpy then has no job of an earlier list to take as it was
    (server/joblist.py), so for it that is the median of `times` servers'
    first reads, the others started for it; slurmrestd keeps nothing from
    one read to the next, and its first read is the one of its run."""
    seconds = {}
    for target in targets:
        for operation in operations:
            bare = cli[operation][0]
            spent = [paired_read(target, operation, job_id, env, targets, coalesce, bare)
                     for _ in range(times + 1)]
            # slurmrestpy's own first read counts where it read no list before
            firsts = [spent[0]] if target.name != "slurmrestpy" or operation == operations[0] else []
            if target.name == "slurmrestpy":
                firsts += [fresh_first_read(operation, job_id, env, targets, coalesce, bare)
                           for _ in range(times - len(firsts))]
            for name, pairs in ((f"{target.name} {operation} first", firsts),
                                (f"{target.name} {operation}", spent[1:])):
                seconds[name] = statistics.median(read for _, read in pairs)
                seconds[f"{name} x"] = statistics.median(read / cli_time for cli_time, read in pairs)
    return seconds


def paired_read(target: Target, operation: str, job_id, env, targets, coalesce: float,
                bare: list[str]) -> tuple[float, float]:
    """The bare CLI command's seconds and, right after it, one read's, once
    every server is idle and the window has passed."""
    import urllib.request

    for server in targets:
        settle(server)
    time.sleep(coalesce + 0.5)
    cli_time = bare_seconds(bare, env)
    headers = {"X-SLURM-USER-NAME": env["BENCH_USER"], "X-SLURM-USER-TOKEN": env["BENCH_TOKEN"]}
    started = time.monotonic()
    with urllib.request.urlopen(urllib.request.Request(target.url + target.path(operation, job_id),
                                                       headers=headers), timeout=600) as answer:
        answer.read()
    return cli_time, time.monotonic() - started


def fresh_first_read(operation: str, job_id, env, targets, coalesce: float, bare: list[str]) -> tuple[float, float]:
    """The first read of a slurmrestpy started for it (and stopped after), after its bare CLI command."""
    fresh = start_slurmrestpy(env, coalesce, log_name="slurmrestpy-first-read.log")
    try:
        return paired_read(fresh, operation, job_id, env, [*targets, fresh], coalesce, bare)
    finally:
        fresh.process.terminate()
        fresh.process.wait(30)


def measure(targets, operations, clients_list, seconds, job_id, env, load: list[float],
            cli: dict | None = None) -> list[dict]:
    rows = []
    for operation in operations:
        cell = max(seconds, CELL_PER_CLI * (cli or {}).get(operation, (None, 0.0))[1])
        for clients in clients_list:
            for target in targets:
                for server in targets:  # the other one's leftovers would be measured too
                    settle(server)
                load.append(os.getloadavg()[0])
                reset_peak(target.pid)
                before = rpc_count(env)
                result = wrk(target.url + target.path(operation, job_id), clients, cell, env)
                rpcs = rpc_count(env) - before - 1  # less sdiag's own
                requests = max(result["requests"], 1)
                rows.append({
                    "operation": operation, "clients": clients, "server": target.name, "seconds": cell,
                    "rps": result["requests"] / (result["duration_us"] / 1e6),
                    "p50_ms": result["p50_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
                    "max_ms": result.get("max_us", 0) / 1000,
                    "rpc_per_request": max(rpcs, 0) / requests, "peak_rss_mb": peak_mb(target.pid),
                    "errors": result["socket_errors"] + result["non_2xx"],
                })
                print(json.dumps(rows[-1]), flush=True)
    return rows


def paced_reads(url: str, env, rate: float, seconds: float, clients: int = 32) -> dict:
    """`rate` reads a second of `url` for `seconds`, by `clients` clients
    (each waits its turn, or for its answer if that takes longer)."""
    import urllib.request

    headers = {"X-SLURM-USER-NAME": env["BENCH_USER"], "X-SLURM-USER-TOKEN": env["BENCH_TOKEN"]}
    started = time.monotonic()
    count = int(rate * seconds)

    def one(number: int):
        time.sleep(max(0.0, started + number / rate - time.monotonic()))
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as answer:
                return answer.status
        except OSError as error:
            return getattr(error, "code", None) or "error"

    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(one, range(count)))
    return {"requests": count, "seconds": time.monotonic() - started,
            "errors": sum(status != 200 for status in statuses)}


def scale_out(env, args, one: Target) -> list[dict]:
    """slurmctld RPCs per 100 reads of /jobs/ (32 clients, at the same pace)
    through `one` instance, then through args.scale_out instances sharing
    Redis behind HAProxy."""
    sys.path.insert(0, str(REPO))
    from tests import scaleout

    folder = RESULTS / "scale-out"
    redis_port = free_port()
    processes = [scaleout.start_redis(folder, redis_port)]
    try:
        instances = []
        for number in range(1, args.scale_out + 1):
            instances.append(start_slurmrestpy(env, args.coalesce, "--cache", f"redis://127.0.0.1:{redis_port}/0",
                                               log_name=f"slurmrestpy-{number}.log"))
            processes.append(instances[-1].process)
        front = free_port()
        processes.append(scaleout.start_haproxy(folder, front, [t.url.removeprefix("http://") for t in instances]))
        wait_for(f"http://127.0.0.1:{front}/slurm/v0.0.44/ping/", processes[-1])
        time.sleep(3)  # every backend's health check passed
        balanced = Target(f"{args.scale_out} x slurmrestpy + Redis + HAProxy", f"http://127.0.0.1:{front}", "v0.0.44")
        rows = []
        for target in (one, balanced):
            time.sleep(args.coalesce + 1)  # what either read before is stale: both start alike
            before = rpc_count(env)
            result = paced_reads(target.url + target.path("jobs", 0), env, args.scale_out_rate, args.seconds)
            rpcs = max(rpc_count(env) - before - 1, 0)  # less sdiag's own
            rows.append({"setup": "1 x slurmrestpy" if target is one else target.name,
                         "reads": result["requests"], "rps": result["requests"] / result["seconds"],
                         "rpc_per_100_reads": 100 * rpcs / max(result["requests"], 1),
                         "errors": result["errors"]})
            print(json.dumps(rows[-1]), flush=True)
        return rows
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(15)


def markdown(rows, cli, args, release: str, load: list[float], scaled: list[dict] = (), single=None) -> str:
    cells = sorted({r["seconds"] for r in rows}) or [args.seconds]
    lines = [f"Slurm {release}, {args.jobs} held jobs, {'-'.join(f'{c:.0f}' for c in (cells[0], cells[-1]))} s "
             f"per cell (at least {CELL_PER_CLI} bare CLI times), each after the server is idle again, "
             f"slurmrestpy --coalesce {args.coalesce:g}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"{os.cpu_count()} cores, load average (1 min) {min(load):.1f}-{max(load):.1f} during the run "
             "(other work on the machine competes with both servers).",
             "",
             "| operation | clients | server | req/s | p50 ms | p99 ms | slurmctld RPC/req | peak RSS MB | errors |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        rss = f"{r['peak_rss_mb']:.0f}" if r["peak_rss_mb"] is not None else "n/a"
        lines.append(f"| {r['operation']} | {r['clients']} | {r['server']} | {r['rps']:.1f} | {r['p50_ms']:.1f} | "
                     f"{r['p99_ms']:.1f} | {r['rpc_per_request']:.3f} | {rss} | {r['errors']} |")
    lines += ["", "Bare CLI (median of 3, as the benchmark user):", "",
              "| operation | command | seconds |", "| --- | --- | ---: |"]
    lines += [f"| {op} | `{' '.join(argv)}` | {sec:.3f} |" for op, (argv, sec) in cli.items()]
    if single:
        lines += ["", f"One read with nothing shared (median of {args.single_reads}, each after the window and right "
                  f"after the bare CLI command; slurmrestpy's first read: median of {args.single_reads} servers' "
                  "first), and the median of each "
                  "read's ratio to the bare command before it:", "",
                  "| server | operation | seconds | x bare CLI |", "| --- | --- | ---: | ---: |"]
        for name, sec in single.items():
            if not name.endswith(" x"):
                server, operation = name.split(" ", 1)
                lines.append(f"| {server} | {operation} | {sec:.3f} | {single[name + ' x']:.2f} |")
    if scaled:
        lines += ["", f"Scale-out: `/jobs/`, 32 clients, {args.scale_out_rate:g} reads/s for {args.seconds:g} s, "
                  "all slurmctld RPCs (sdiag) per 100 reads:", "",
                  "| set-up | reads | req/s | slurmctld RPCs per 100 reads | errors |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {r['setup']} | {r['reads']} | {r['rps']:.1f} | {r['rpc_per_100_reads']:.2f} | {r['errors']} |"
                  for r in scaled]
    return "\n".join(lines) + "\n"


def plot(rows, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    operations = sorted({r["operation"] for r in rows}, key=OPERATIONS.index)
    figure, axes = plt.subplots(1, len(operations), figsize=(3.2 * len(operations), 3.4), squeeze=False)
    for axis, operation in zip(axes[0], operations):
        for server in sorted({r["server"] for r in rows}):
            mine = sorted((r["clients"], r["rps"]) for r in rows if r["operation"] == operation
                          and r["server"] == server)
            axis.plot([c for c, _ in mine], [v for _, v in mine], marker="o", label=server)
        axis.set_title(operation)
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xlabel("clients")
    axes[0][0].set_ylabel("requests/s")
    axes[0][0].legend()
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cluster-dir", type=Path, default=REPO / ".cluster")
    p.add_argument("--jobs", type=int, default=200, help="held jobs in the queue (default: 200)")
    p.add_argument("--seconds", type=float, default=10, help="wrk's duration per cell")
    p.add_argument("--clients", default="1,8,32")
    p.add_argument("--operations", default=",".join(OPERATIONS))
    p.add_argument("--coalesce", type=float, default=1.0, help="slurmrestpy's --coalesce")
    p.add_argument("--keep-jobs", action="store_true", help="leave the held jobs queued")
    p.add_argument("--single-reads", type=int, default=5, metavar="N",
                   help="reads with nothing shared per server and operation, each after its bare CLI command "
                        "(default: 5, as in the README's table)")
    p.add_argument("--scale-out", type=int, default=3, metavar="N",
                   help="instances behind HAProxy sharing Redis for the scale-out row (0: none)")
    p.add_argument("--scale-out-rate", type=float, default=10, metavar="READS",
                   help="reads a second in the scale-out row, the same for both set-ups (default: 10)")
    args = p.parse_args(argv)
    # Stopped with SIGTERM, it still stops its servers and cancels its jobs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        raise SystemExit("no wrk: apt-get install wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = environment(args.cluster_dir.resolve())
    ensure_user(env)
    env.update(BENCH_USER=USER, BENCH_TOKEN=token(env))
    release = run(["scontrol", "--version"], env).stdout.split()[-1]
    json_flag = "--json" if release.startswith("22.") else "--json=v0.0.44"
    jobs = submit_held(env, args.jobs)
    targets, load = [], [os.getloadavg()[0]]
    try:
        targets = [start_slurmrestpy(env, args.coalesce), start_slurmrestd(env, args.cluster_dir.resolve())]
        operations = [o for o in args.operations.split(",") if o]
        clients = [int(c) for c in args.clients.split(",")]
        cli = {op: (cli_command(op, jobs[0], json_flag), 0.0) for op in operations}
        cli = {op: (argv, cli_seconds(argv, env)) for op, (argv, _) in cli.items()}
        print(json.dumps({"cli": cli}), flush=True)
        single = single_reads(targets, [o for o in operations if o in ("jobs", "job")], jobs[0], env,
                              args.coalesce, cli, times=args.single_reads)
        print(json.dumps({"single": single}), flush=True)
        rows = measure(targets, operations, clients, args.seconds, jobs[0], env, load, cli)
        scaled = scale_out(env, args, targets[0]) if args.scale_out else []
    finally:
        for target in targets:
            if target.process:
                target.process.terminate()
                try:  # a server still sending 70 MB answers to clients wrk left may not stop at once
                    target.process.wait(30)
                except subprocess.TimeoutExpired:
                    target.process.kill()
                    target.process.wait()
        if not args.keep_jobs:
            run(["scancel", "-u", USER], env)
    stem = f"slurm-{release}-{args.jobs}-jobs"
    (RESULTS / f"{stem}.md").write_text(markdown(rows, cli, args, release, load, scaled, single))
    (RESULTS / f"{stem}.json").write_text(json.dumps({"rows": rows, "cli": cli, "single": single,
                                                   "load_average": load, "scale_out": scaled}, indent=2))
    plot(rows, RESULTS / f"{stem}.png", f"Slurm {release}, {args.jobs} held jobs")
    print((RESULTS / f"{stem}.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
