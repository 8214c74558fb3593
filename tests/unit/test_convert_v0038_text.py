"""22.05's jobs written field by field from their text
(server/convert/from_v0038_text.py): byte for byte what parsing, converting
(from_v0038.JobConverter) and writing each job whole gives, with the same
summary, whatever job came before; a piece that is not one object is
refused as joblist.one_object refuses it."""

import json
import random
from pathlib import Path

import pytest

from server import joblist
from server.convert import from_v0038
from server.convert.from_v0038_text import PrettyJobMaker

RECORDED = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "squeue.json"


def recorded_pieces() -> list[bytes]:
    """The recorded jobs as Slurm printed them (29: pending, running, ended)."""
    return [bytes(piece) for piece in joblist.split(RECORDED.read_bytes(), "jobs")[1]]


def pretty_pieces(records: list[dict]) -> list[bytes]:
    """Jobs laid out as 22.05 lays them out: a field a line, 6 spaces in."""
    return [bytes(piece) for piece in joblist.split(json.dumps({"jobs": records}, indent=2).encode(), "jobs")[1]]


def made_whole(piece, cr_type) -> tuple[bytes, dict]:
    job = from_v0038.JobConverter(cr_type=cr_type)(joblist.one_object(piece))
    return joblist.written(job), joblist.summary(job)


def assert_made_as_whole(pieces, cr_type=None):
    maker = PrettyJobMaker(cr_type=cr_type)
    for n, piece in enumerate(pieces):
        assert maker(piece) == made_whole(piece, cr_type), n


@pytest.mark.parametrize("cr_type", [None, ["CORE", "MEMORY"]])
def test_each_recorded_job_after_each_other_is_made_as_whole(cr_type):
    pieces = recorded_pieces()
    assert len(pieces) > 20
    for before in pieces:
        for piece in pieces:
            assert_made_as_whole([before, piece], cr_type)


def test_a_recorded_list_in_order_and_backwards():
    pieces = recorded_pieces()
    assert_made_as_whole(pieces)
    assert_made_as_whole(pieces[::-1])


# Changes to one pending job, each a field (or a few) that the job after may print otherwise.
CHANGES = {
    "id of another length": {"job_id": 1234567},
    "the first field": {"account": "another"},
    "the last field": {"current_working_directory": "/elsewhere"},
    "a name to escape": {"name": 'quote " backslash \\ slash / tab \t é ✓'},
    "held": {"priority": 0},  # hold is made from priority
    "a limit unset": {"time_limit": None},
    "shared, read by job_resources": {"shared": "user"},
    "started": {"job_state": "RUNNING", "start_time": 1700000000, "nodes": "node1",
                "job_resources": {"nodes": "node1", "allocated_cores": 1, "allocated_hosts": 1,
                                  "allocated_nodes": [{"sockets": {"0": {"cores": {"0": "allocated"}}},
                                                       "nodename": "node1", "cpus_used": 0,
                                                       "memory_used": 0, "memory_allocated": 100}]}},
    "flags": {"flags": ["JOB_MEM_SET", "JOB_WAS_RUNNING"]},
    "array task": {"array_job_id": 90, "array_task_id": 3, "array_task_string": ""},
    "memory the other way": {"memory_per_cpu": 512, "memory_per_node": None},
    "times": {"submit_time": 1700000001, "eligible_time": 1700000002, "end_time": 1700003600},
}


def pending_record() -> dict:
    return next(job for job in json.loads(RECORDED.read_text())["jobs"] if job["job_state"] == "PENDING")


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_changed_field_is_made_again_and_the_rest_kept(change):
    first = pending_record()
    second = {**first, **change}
    pieces = pretty_pieces([first, second, first])
    assert_made_as_whole(pieces)
    assert_made_as_whole(pieces, ["CORE"])


def a_queue(size: int = 60) -> list[dict]:
    """Jobs alike but for their ids (past 99 and 999: ids of another
    length), with now and then other fields that differ too: the first,
    the last, a name, times, a job that started."""
    first, started = pending_record(), {**pending_record(), **CHANGES["started"]}
    queue = []
    for n in range(size):
        job = dict(started if n % 13 == 12 else first)
        job["job_id"] = 940 + 2 * n
        if n % 5 == 4:
            job["submit_time"] = 1700000000 + n
        if n % 7 == 6:
            job["name"] = f"name {n}"
        if n % 11 == 10:
            job["current_working_directory"] = f"/dir/{n}"
        if n % 17 == 16:  # as long as before: the id is where it was
            job["account"] = first["account"][::-1]
        queue.append(job)
    return queue


def test_a_queue_of_jobs_alike_whatever_differs_from_one_to_the_next():
    """The fields that differed last are looked at first (the ids here),
    and whatever else differs is found all the same."""
    queue = a_queue()
    assert_made_as_whole(pretty_pieces(queue))
    assert_made_as_whole(pretty_pieces(queue[::-1]), ["CORE"])
    assert_made_as_whole(pretty_pieces(random.Random(7).sample(queue, len(queue))))


def test_a_queue_where_more_fields_differ_than_are_looked_at_first():
    queue = a_queue(20)
    for n, job in enumerate(queue):
        for field in ("accrue_time", "eligible_time", "submit_time", "start_time", "end_time", "priority",
                      "nice", "time_limit", "tasks", "cpus", "node_count", "group_id", "association_id",
                      "restart_cnt", "time_minimum", "array_max_tasks", "max_cpus", "max_nodes"):
            if isinstance(job[field], int):
                job[field] += n
    assert len(CHANGES) < PrettyJobMaker.HOT_LIMIT < 18
    assert_made_as_whole(pretty_pieces(queue))


def test_a_field_that_comes_or_goes_is_made_from_the_whole_job():
    first = pending_record()
    fewer = {key: value for key, value in first.items() if key != "comment"}
    assert_made_as_whole(pretty_pieces([first, fewer, first, fewer]))
    # In its place another, unknown to the map: the comment is gone.
    other = {("not_a_field" if key == "comment" else key): value for key, value in first.items()}
    assert_made_as_whole(pretty_pieces([first, other, first]))


def test_another_layout_is_made_whole_each_time():
    records = json.loads(RECORDED.read_text())["jobs"][:5]
    compact = [json.dumps(record, separators=(",", ":")).encode() for record in records]
    assert_made_as_whole(compact)
    assert_made_as_whole(compact[:2] + pretty_pieces(records))


def test_summaries_are_not_changed_for_the_jobs_before():
    """The summary of a job stays what it was once the next is made: the
    JobWriter keeps both."""
    pieces = recorded_pieces()
    maker = PrettyJobMaker()
    made = [maker(piece) for piece in pieces]
    assert [summary for _, summary in made] == [made_whole(piece, None)[1] for piece in pieces]


def with_line(piece: bytes, record: dict, line: bytes) -> bytes:
    job_id = f'"job_id": {record["job_id"]},'.encode()
    assert job_id in piece
    return piece.replace(job_id, line)


def test_two_fields_on_one_line_are_read_from_the_whole_job():
    first = pending_record()
    good = pretty_pieces([first])[0]
    odd = with_line(good, first, b'"job_id": 1, "extra": 2,')
    assert joblist.one_object(odd)["extra"] == 2
    assert_made_as_whole([good, odd, good])


def test_a_nested_object_laid_out_at_the_fields_indentation_is_read_from_the_whole_job():
    """Its keys would pass for the job's own fields (here "nodes")."""
    def piece(inner_nodes: str) -> bytes:
        return ('{\n      "job_id": 1,\n      "job_resources": {\n      "nodes": "%s",\n'
                '      "allocated_hosts": 1\n    },\n      "nodes": "a"\n    }' % inner_nodes).encode()
    assert joblist.one_object(piece("b"))["nodes"] == "a"
    assert_made_as_whole([piece("a"), piece("b")])


@pytest.mark.parametrize("broken", [b'"job_id": 1,\n      "oops": ,', b'"job_id": 1}, {"a": 2,', b'"job_id": 12'],
                         ids=["a value that does not parse", "two objects", "no comma"])
def test_a_piece_that_is_not_one_object_is_refused(broken):
    first = pending_record()
    good, other_id, third_id = pretty_pieces([{**first, "job_id": first["job_id"] + n} for n in range(3)])
    for bad in (with_line(good, first, broken), third_id + b" {}"):  # the last: something after the job's end
        with pytest.raises(ValueError):
            joblist.one_object(bad)
        for before in ([], [good], [good, other_id]):  # the last: the id is looked at first
            maker = PrettyJobMaker()
            for piece in before:
                maker(piece)
            with pytest.raises(ValueError):
                maker(bad)
            assert maker(good) == made_whole(good, None)  # and the next is made as before


def test_jobs_cut_from_text_are_made_as_from_bytes():
    """An instance taking another's squeue output from Redis has it as text
    (server.slurm.runner), and joblist.split then cuts text."""
    head, pieces = joblist.split(RECORDED.read_text(), "jobs")
    texts = list(pieces)
    assert texts and all(isinstance(piece, str) for piece in texts)
    assert_made_as_whole(texts)
    assert_made_as_whole([recorded_pieces()[0], *texts[3:6]])  # the one before as bytes


@pytest.mark.parametrize("hot", [False, True], ids=["compared field by field", "its id looked at first"])
def test_a_job_that_cannot_be_converted_leaves_no_half_made_job_before(hot):
    """Its conversion fails as the whole job's does, after properties of
    other fields that changed were made again in place: the next job is not
    made from those."""
    first = pending_record()
    records = [{**first, "job_id": first["job_id"] + n} for n in range(3)]  # after two, the id is looked at first
    changed = {"name": "renamed", "account": "other", "partition": "other", "comment": "other",
               "command": "/other", "job_id": first["job_id"] + 9 if hot else first["job_id"] + 2}
    *before, bad = pretty_pieces([*records, {**records[-1], **changed, "time_limit": "soon"}])
    with pytest.raises(ValueError):
        made_whole(bad, None)
    maker = PrettyJobMaker()
    for piece in before:
        maker(piece)
    with pytest.raises(ValueError):
        maker(bad)
    # The job before with a time limit after all: made field by field, the
    # other fields would be taken from the failed job's half.
    after = pretty_pieces([{**records[-1], "time_limit": 77}])[0]
    assert maker(after) == made_whole(after, None)


def test_the_server_writes_22_05_jobs_with_it():
    """The v0.0.38 writer the jobs handler uses takes jobs from their text."""
    writer = joblist.JobWriter(from_v0038.JobConverter(), PrettyJobMaker())
    pieces = recorded_pieces()
    written, summaries = writer.written_pieces(pieces)
    assert written.texts == [made_whole(piece, None)[0] for piece in pieces]
    assert summaries == [made_whole(piece, None)[1] for piece in pieces]


def test_jobs_differing_in_their_ids_alone_are_not_cut_into_their_fields(monkeypatch):
    """After the second job, the id (the field that differed) is looked at
    first and found to be all that differs: no job is compared field by
    field again."""
    compared = []
    compare = PrettyJobMaker._changed
    monkeypatch.setattr(PrettyJobMaker, "_changed", lambda self, *args: compared.append(1) or compare(self, *args))
    first = pending_record()
    for queue in ([{**first, "job_id": 90 + n} for n in range(20)],
                  [{**first, "job_id": 90 + n, "current_working_directory": f"/{n}"} for n in range(20)]):
        compared.clear()
        assert_made_as_whole(pretty_pieces(queue))
        assert len(compared) == 1


def started_record() -> dict:
    return next(job for job in json.loads(RECORDED.read_text())["jobs"] if job["job_state"] == "RUNNING")


def test_started_and_pending_jobs_alternating_are_each_parsed_whole_once(monkeypatch):
    """A started job prints job_resources, a pending one does not: each is
    made from the last job laid out as it is, not parsed whole at each change."""
    parsed_whole = []
    whole = PrettyJobMaker._whole
    monkeypatch.setattr(PrettyJobMaker, "_whole", lambda self, *args: parsed_whole.append(1) or whole(self, *args))
    pending, started = pending_record(), started_record()
    assert set(started) - set(pending) == {"job_resources"}
    queue = [{**(started if n % 3 == 0 else pending), "job_id": 500 + n, "name": f"job {n}"} for n in range(30)]
    assert_made_as_whole(pretty_pieces(queue))
    assert len(parsed_whole) == 2
    # Layouts are told apart by their number of fields: as many as are kept
    # (and the last job's), each parsed whole once; more, still made right.
    cut = [dict(list(pending.items())[:-n]) for n in range(1, PrettyJobMaker.LAYOUTS + 2)]
    parsed_whole.clear()
    assert_made_as_whole(pretty_pieces([{**cut[n % len(cut)], "job_id": 700 + n} for n in range(20)]))
    assert len(parsed_whole) == len(cut)
    many = [*cut, pending, started]
    assert_made_as_whole(pretty_pieces([{**many[n % len(many)], "job_id": 700 + n} for n in range(20)]))
