-- wrk script: authenticate every request as slurmrestd clients do, and print
-- the summary as one JSON line that bench/run.py reads.
wrk.headers["X-SLURM-USER-NAME"] = os.getenv("BENCH_USER")
wrk.headers["X-SLURM-USER-TOKEN"] = os.getenv("BENCH_TOKEN")

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
