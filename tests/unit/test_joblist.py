"""A job list kept written (server/joblist.py): cut a job at a time where
Slurm laid it out pretty, parsed whole otherwise, and the same jobs either
way, in every writer."""

import json
from pathlib import Path

import orjson
import pytest
import yaml

from handlers.slurm.jobs import changed_since
from server import joblist, media
from server.convert import from_v0038, passthrough
from server.jobid import JobIndex, JobSelector
from server.slurm.commands.squeue import SqueueJson
from server.slurm.runner import Result

DATA = Path(__file__).resolve().parent.parent / "data"
PRETTY_25_11 = DATA / "slurm-25.11" / "squeue-v0.0.44-pretty.json"
PRETTY_22_05 = DATA / "slurm-22.05" / "squeue.json"


def without_nulls_writer() -> joblist.JobWriter:
    return joblist.JobWriter(passthrough.without_nulls)


def result_of(text: str) -> Result:
    return Result(("squeue", "--json=v0.0.44"), 0, text, "", 0.1)


@pytest.mark.parametrize("path", [PRETTY_25_11, PRETTY_22_05], ids=["25.11", "22.05"])
@pytest.mark.parametrize("kind", [str, bytes])
def test_slurms_own_layout_is_cut_into_its_jobs(path, kind):
    text = path.read_text()
    whole = json.loads(text)
    assert len(whole["jobs"]) >= 2
    head, pieces = joblist.split(text if kind is str else text.encode(), "jobs")
    assert [joblist.one_object(piece) for piece in pieces] == whole["jobs"]
    assert head == {**whole, "jobs": []}


@pytest.mark.parametrize("path", [PRETTY_25_11, PRETTY_22_05], ids=["25.11", "22.05"])
@pytest.mark.parametrize("kind", [str, bytes, bytearray])
def test_slurms_compact_layout_is_cut_into_its_jobs(path, kind):
    """SLURM_JSON=compact, as the runner asks."""
    whole = json.loads(path.read_text())
    for jobs in (whole["jobs"], whole["jobs"][:1], []):
        text = json.dumps({**whole, "jobs": jobs}, separators=(",", ":"))
        head, pieces = joblist.split(text if kind is str else kind(text.encode()), "jobs")
        assert [joblist.one_object(piece) for piece in pieces] == jobs
        assert head == {**whole, "jobs": []}


def test_a_compact_list_whose_jobs_begin_otherwise_is_not_taken_for_one():
    text = json.dumps({"jobs": [{"a": 1}, {"b": 2}], "n": 1}, separators=(",", ":"))
    assert joblist.split(text, "jobs") is None  # {"a":1},{"b":2} is not one object


def test_another_layout_is_not_cut():
    whole = json.loads(PRETTY_25_11.read_text())
    assert joblist.split(json.dumps(whole), "jobs") is None
    assert joblist.split(json.dumps(whole, indent=4), "jobs") is None
    assert joblist.split(json.dumps({"nodes": []}, indent=2), "jobs") is None


def test_a_piece_that_is_not_one_object_fails_the_cut():
    text = json.dumps({"jobs": [{"a": 1}, 5, {"b": 2}]}, indent=2)
    head, pieces = joblist.split(text, "jobs")
    with pytest.raises(ValueError):
        [joblist.one_object(piece) for piece in pieces]
    with pytest.raises(ValueError):
        joblist.JobWriter().written_pieces(joblist.split(text, "jobs")[1])


def test_an_empty_list_as_slurm_prints_it():
    text = '{\n  "jobs": [\n  ],\n  "errors": [\n  ]\n}\n'
    head, pieces = joblist.split(text, "jobs")
    assert head == {"jobs": [], "errors": []} and list(pieces) == []


@pytest.mark.parametrize("layout", ["pretty", "compact", "one line", "mixed"])
def test_written_jobs_are_the_jobs_whatever_the_layout(layout):
    whole = json.loads(PRETTY_25_11.read_text())
    if layout == "mixed":  # Slurm's layout but for a piece that does not parse alone
        text = json.dumps(whole, indent=2).replace('\n    },\n    {', '\n    },\n    {', 1)
        text = text.replace('\n  "jobs": [\n    {', '\n  "jobs": [\n    {"x": {"y": 1}},\n    {', 1)
        whole["jobs"].insert(0, {"x": {"y": 1}})
    else:
        text = {"pretty": PRETTY_25_11.read_text(), "compact": json.dumps(whole, separators=(",", ":")),
                "one line": json.dumps(whole)}[layout]
    head, written, summaries = SqueueJson(data_parser="v0.0.44").parse_written(result_of(text), without_nulls_writer())
    expected = [passthrough.without_nulls(job) for job in whole["jobs"]]
    assert orjson.loads(orjson.dumps(written)) == expected
    assert [written.parsed(i) for i in range(len(written))] == expected
    assert "jobs" not in head or head["jobs"] == []
    assert len(summaries) == len(expected)


def test_slurms_reported_failure_is_raised_from_the_head():
    text = json.dumps({"jobs": [], "errors": [{"error_number": 2017, "description": "Invalid job id specified",
                                                "source": "slurm_load_jobs"}]}, indent=2)
    with pytest.raises(Exception) as failure:
        SqueueJson(data_parser="v0.0.44").parse_written(result_of(text), without_nulls_writer())
    assert failure.value.number == 2017


def test_every_writer_sends_the_same_jobs():
    whole = json.loads(PRETTY_25_11.read_text())
    _, written, _ = SqueueJson(data_parser="v0.0.44").parse_written(result_of(PRETTY_25_11.read_text()), without_nulls_writer())
    expected = {"jobs": [passthrough.without_nulls(job) for job in whole["jobs"]], "n": 1}
    document = {"jobs": written, "n": 1}
    assert orjson.loads(media.render(document)) == expected
    # The README's deliberate difference: pretty, but each job compact on a line of its own.
    lines = media.render(document).split(b"\n")
    assert sum(line.startswith(b'    {"account":') for line in lines) == len(expected["jobs"])
    assert orjson.loads(media.render(document, compact=True)) == expected
    assert yaml.safe_load(media.render(document, media.YAML)) == expected
    # What orjson refuses is written by json, the written jobs parsed again.
    assert json.loads(media.render({**document, "n": 2**70})) == {**expected, "n": 2**70}


def test_picking_and_update_time_read_the_summaries_as_the_jobs():
    whole = json.loads(PRETTY_25_11.read_text())
    head, written, summaries = SqueueJson(data_parser="v0.0.44").parse_written(
        result_of(PRETTY_25_11.read_text()), without_nulls_writer())
    kept, parsed = JobIndex.of({"jobs": written}, summaries), JobIndex.of({"jobs": whole["jobs"]})
    array = next(job for job in whole["jobs"] if job["array_task_string"])
    for text in (str(whole["jobs"][0]["job_id"]), f"{array['job_id']}", f"{array['job_id']}_2", "999999"):
        selector = JobSelector.parse(text)
        assert kept.select(selector) == [passthrough.without_nulls(job) for job in parsed.select(selector)]
    submitted = max(job["submit_time"]["number"] for job in whole["jobs"])
    for since in (submitted - 1, submitted):
        assert changed_since(summaries, since, submitted + 10) == changed_since(whole["jobs"], since, submitted + 10)
    assert changed_since(summaries, submitted - 1, submitted + 10)


def test_22_05_jobs_are_converted_one_at_a_time_to_what_the_whole_conversion_makes():
    text = PRETTY_22_05.read_text()
    _, written, _ = SqueueJson().parse_written(result_of(text), joblist.JobWriter(from_v0038.job))
    assert orjson.loads(orjson.dumps(written)) == orjson.loads(orjson.dumps(
        from_v0038.jobs_response(json.loads(text))["jobs"]))


def test_an_empty_list_on_one_line_takes_nothing_of_what_follows():
    """json.dumps writes `"jobs": [],` on one line: the next array's closing
    must not be taken for the list's."""
    text = json.dumps({"jobs": [], "errors": [{"error_number": 1}]}, indent=2)
    assert joblist.split(text, "jobs") is None


@pytest.mark.parametrize("kind", [bytes, bytearray])
def test_jobs_are_read_from_the_bytes_as_read_and_from_the_text_where_they_are_not_utf8(kind):
    """The runner keeps a command's output as read (a bytearray): decoding
    10,000 jobs would hold them twice. A name Slurm copied as given may not
    be UTF-8: read then as any other output, the bad bytes replaced."""
    text = PRETTY_25_11.read_text()
    name = json.loads(text)["jobs"][0]["name"]
    for raw, expected in ((text.encode(), name), (text.encode().replace(f'"{name}"'.encode(), b'"bad\xff"', 1),
                                                  "bad\ufffd")):
        result = Result(("squeue", "--json=v0.0.44"), 0, kind(raw), "", 0.1)
        _, written, _ = SqueueJson(data_parser="v0.0.44").parse_written(result, without_nulls_writer())
        assert written.parsed(0)["name"] == expected
        assert SqueueJson(data_parser="v0.0.44").parse(result)["jobs"][0]["name"] == expected


def _counting_writer():
    made = []

    def keep(job):
        made.append(job["job_id"])
        return passthrough.without_nulls(job)
    return joblist.JobWriter(keep), made


def _compact(jobs) -> bytes:
    return json.dumps({"jobs": jobs}, separators=(",", ":")).encode()


def _written(writer, jobs):
    return writer.written_pieces(joblist.split(_compact(jobs), "jobs")[1])


def test_a_job_printed_the_same_way_again_is_not_made_again():
    jobs = json.loads(PRETTY_25_11.read_text())["jobs"]
    writer, made = _counting_writer()
    first, first_summaries = _written(writer, jobs)
    assert sorted(made) == sorted(job["job_id"] for job in jobs)
    made.clear()
    again, again_summaries = _written(writer, jobs)
    assert made == []
    assert all(a is b for a, b in zip(again.texts, first.texts))  # the same bytes, not a copy
    assert again_summaries == first_summaries
    assert orjson.loads(orjson.dumps(again)) == [passthrough.without_nulls(job) for job in jobs]


def test_a_job_printed_otherwise_is_made_again_and_sent_as_it_is_now():
    jobs = json.loads(PRETTY_25_11.read_text())["jobs"]
    writer, made = _counting_writer()
    _written(writer, jobs)
    made.clear()
    changed = [dict(job) for job in jobs]
    changed[1]["name"] = "renamed"
    changed[1]["submit_time"] = {"set": True, "infinite": False, "number": 7}
    written, summaries = _written(writer, changed)
    assert made == [changed[1]["job_id"]]
    assert written.parsed(1)["name"] == "renamed"
    assert summaries[1]["submit_time"] == 7
    assert orjson.loads(orjson.dumps(written)) == [passthrough.without_nulls(job) for job in changed]


def test_each_list_gets_its_own_jobs_only():
    """Two callers see different jobs (PrivateData): what one's list made
    is reused for the other only where the other's squeue printed it too."""
    jobs = json.loads(PRETTY_25_11.read_text())["jobs"]
    writer, _ = _counting_writer()
    mine, theirs = jobs[:2], jobs[1:]
    _written(writer, mine)
    written, summaries = _written(writer, theirs)
    assert [job["job_id"] for job in orjson.loads(orjson.dumps(written))] == [job["job_id"] for job in theirs]
    assert [summary["job_id"] for summary in summaries] == [job["job_id"] for job in theirs]
    assert _written(writer, [])[0] == []


def test_what_is_remembered_is_bounded_by_the_longest_list():
    job = json.loads(PRETTY_25_11.read_text())["jobs"][0]
    writer, made = _counting_writer()
    for start in range(0, 500, 10):  # every list ten new jobs: those that left are let go
        _written(writer, [{**job, "job_id": start + i} for i in range(10)])
        assert len(writer._known) <= 10 * joblist.JobWriter.SLACK
    hundred = [{**job, "job_id": i} for i in range(100)]
    _written(writer, hundred)
    _written(writer, [{**job, "job_id": 1000}])  # one job picked by id lets go of no job of the list
    assert len(writer._known) <= 100 * joblist.JobWriter.SLACK
    made.clear()
    _written(writer, hundred)
    assert made == []


def test_each_way_of_making_jobs_has_its_own_writer():
    writers = joblist.JobWriters()
    first = writers.get(("v0.0.38", ("CORE",)), from_v0038.job)
    assert writers.get(("v0.0.38", ("CORE",)), from_v0038.job) is first
    assert writers.get(("v0.0.38", ("CPU",)), from_v0038.job) is not first
    for n in range(joblist.JobWriters.LIMIT * 2):
        writers.get((f"v{n}",), passthrough.without_nulls)
    assert len(writers._writers) <= joblist.JobWriters.LIMIT


def test_a_later_array_of_several_objects_is_not_taken_for_the_lists_end():
    """The pretty list's closing is looked for from its last edge: where
    another array of objects follows, the cut fails, and the list is parsed
    whole to the same jobs."""
    whole = json.loads(PRETTY_25_11.read_text())
    whole["warnings"] = [{"description": "one", "source": "a"}, {"description": "two", "source": "b"}]
    text = json.dumps(whole, indent=2)
    head, pieces = joblist.split(text, "jobs")
    with pytest.raises(ValueError):
        [joblist.one_object(piece) for piece in pieces]
    _, written, _ = SqueueJson(data_parser="v0.0.44").parse_written(result_of(text), without_nulls_writer())
    assert orjson.loads(orjson.dumps(written)) == [passthrough.without_nulls(job) for job in whole["jobs"]]
