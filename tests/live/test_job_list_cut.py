"""The job list each local Slurm really prints, as the runner asks for it,
is cut a job at a time (server/joblist.py), not parsed whole: 25.11 prints
it compact (SLURM_JSON=compact), 22.05 pretty whatever it is asked. Were
Slurm's layout to change, the server would still answer the same, only
parsing the whole list (and holding it) again: this is where that shows.
What each job became is remembered from one list to the next: that too is
tried on what each Slurm really prints."""

import asyncio
import time

import pytest

from server import joblist
from server.convert import from_v0038, passthrough
from server.convert.from_v0038_text import PrettyJobMaker
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


def test_a_job_slurm_prints_again_unchanged_is_not_made_again_and_a_changed_one_is(cluster, monkeypatch):
    """The memory of what each job became (server.joblist.JobWriter), on
    what each Slurm really prints: a held job reads the same from one
    squeue to the next, so it is taken as written before; once changed it
    is made again, and sent as it is now."""
    monkeypatch.setenv("PATH", cluster.path)
    made = []

    def keep(job):
        made.append(job["job_id"])
        return passthrough.without_nulls(job) if cluster.current else from_v0038.job(job)

    writer = joblist.JobWriter(keep)
    command = SqueueJson(data_parser="v0.0.44") if cluster.current else SqueueJson()

    def read() -> dict:
        made.clear()
        runner = Runner(slurm_conf=str(cluster.slurm_conf))  # its own: a runner shares what it read a moment ago
        _, written, _ = command.parse_written(asyncio.run(runner.run(command)), writer)
        return {job["job_id"]: job for job in (written.parsed(i) for i in range(len(written)))}

    jobs = [cluster.submit("--hold", "--job-name=before", "--wrap", "true") for _ in range(2)]
    try:
        first = read()
        assert set(jobs) <= set(first) and set(jobs) <= set(made)
        read()
        assert not set(jobs) & set(made), "a held job printed the same way was made again"
        cluster.run("scontrol", "update", f"jobid={jobs[0]}", "name=after")
        now = read()
    finally:
        cluster.cancel(*jobs)
    assert jobs[0] in made and jobs[1] not in made
    assert (now[jobs[0]]["name"], now[jobs[1]]["name"]) == ("after", "before")


def test_jobs_made_each_from_the_one_before_are_the_jobs_made_alone(cluster, monkeypatch):
    """from_v0038.JobConverter on the list 22.05 really prints, jobs of
    different kinds side by side (running, held, an array, a memory
    request): each as job() makes it alone, key for key and in order; and
    each made from its text as JobConverter and joblist.written make it."""
    if cluster.current:
        pytest.skip("a current Slurm prints v0.0.44 itself: no job is converted from v0.0.38")
    monkeypatch.setenv("PATH", cluster.path)
    # Held, started, held again (squeue lists them by id): a started job
    # prints job_resources, a pending one none, so the layout changes and
    # comes back.
    jobs = [cluster.submit("--hold", "--wrap", "true"), cluster.submit("--wrap", "sleep 60")]
    try:
        started_by = time.monotonic() + 60
        while cluster.run("squeue", "-h", "-j", str(jobs[1]), "-o", "%T").stdout.strip() != "RUNNING":
            assert time.monotonic() < started_by, "the job did not start within a minute"
            time.sleep(0.5)
        jobs += [cluster.submit("--hold", "--array=1-3", "--wrap", "true"),
                 cluster.submit("--hold", "--mem=10", "--job-name=with memory", "--wrap", "true")]
        command = SqueueJson()
        result = asyncio.run(Runner(slurm_conf=str(cluster.slurm_conf)).run(command))
    finally:
        cluster.cancel(*jobs)
    records = command.parse(result)["jobs"]
    assert set(jobs) <= {record["job_id"] for record in records}
    convert = from_v0038.JobConverter(cr_type=["CORE", "MEMORY"])
    for record in records:
        made, alone = convert(record), from_v0038.job(record, cr_type=["CORE", "MEMORY"])
        assert made == alone and list(made) == list(alone), record["job_id"]

    # Made from their text field by field (from_v0038_text), as the server
    # makes them: the same bytes and summaries, and 22.05's real layout is
    # the one expected: a job is parsed whole only where no job before it
    # had its fields (the first; the first started one), not where a
    # layout comes back.
    parsed_whole = []
    whole = PrettyJobMaker._whole
    monkeypatch.setattr(PrettyJobMaker, "_whole", lambda self, *args: parsed_whole.append(1) or whole(self, *args))
    maker = PrettyJobMaker(cr_type=["CORE", "MEMORY"])
    convert = from_v0038.JobConverter(cr_type=["CORE", "MEMORY"])
    for piece, record in zip(joblist.split(result.output, "jobs")[1], records, strict=True):
        job = convert(record)
        assert maker(piece) == (joblist.written(job), joblist.summary(job)), record["job_id"]
    layouts = [tuple(record) for record in records]
    changes = sum(before != after for before, after in zip(layouts, layouts[1:]))
    assert changes >= 2 and changes >= len(set(layouts))  # a layout came back
    assert len(parsed_whole) == len(set(layouts))
