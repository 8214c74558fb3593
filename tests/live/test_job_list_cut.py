"""The job list each local Slurm really prints, as the runner asks for it,
is cut a job at a time (server/joblist.py), not parsed whole: 25.11 prints
it compact (SLURM_JSON=compact), 22.05 pretty whatever it is asked. Were
Slurm's layout to change, the server would still answer the same, only
parsing the whole list (and holding it) again: this is where that shows."""

import asyncio

from server import joblist
from server.slurm.commands.squeue import SqueueJson
from server.slurm.runner import Runner


def test_the_job_list_slurm_prints_is_cut_a_job_at_a_time(cluster, monkeypatch):
    jobs = [cluster.submit("--hold", "--wrap", "true"), cluster.submit("--hold", "--array=1-3", "--wrap", "true")]
    try:
        monkeypatch.setenv("PATH", cluster.path)
        command = SqueueJson(data_parser="v0.0.44") if cluster.current else SqueueJson()
        result = asyncio.run(Runner(slurm_conf=str(cluster.slurm_conf)).run(command))
        parts = joblist.split(result.output, "jobs")
    finally:
        cluster.cancel(*jobs)
    assert result.ok, result.stderr
    # 22.05 ignores SLURM_JSON; a current Slurm writes one line.
    assert (bytes(result.output).strip().count(b"\n") == 0) == cluster.current
    assert parts is not None, "this Slurm's job list is laid out otherwise: it is parsed whole"
    head, cut = parts
    whole = command.parse(result)
    assert [joblist.one_object(piece) for piece in cut] == whole["jobs"]
    assert head == {**whole, "jobs": []}
    assert set(jobs) <= {job["job_id"] for job in whole["jobs"]}
