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


def result_of(text: str) -> Result:
    return Result(("squeue", "--json=v0.0.44"), 0, text, "", 0.1)


@pytest.mark.parametrize("path", [PRETTY_25_11, PRETTY_22_05], ids=["25.11", "22.05"])
@pytest.mark.parametrize("kind", [str, bytes])
def test_slurms_own_layout_is_cut_into_its_jobs(path, kind):
    text = path.read_text()
    whole = json.loads(text)
    assert len(whole["jobs"]) >= 2
    head, jobs = joblist.split(text if kind is str else text.encode(), "jobs")
    assert list(jobs) == whole["jobs"]
    assert head == {**whole, "jobs": []}


@pytest.mark.parametrize("path", [PRETTY_25_11, PRETTY_22_05], ids=["25.11", "22.05"])
@pytest.mark.parametrize("kind", [str, bytes, bytearray])
def test_slurms_compact_layout_is_cut_into_its_jobs(path, kind):
    """SLURM_JSON=compact, as the runner asks."""
    whole = json.loads(path.read_text())
    for jobs in (whole["jobs"], whole["jobs"][:1], []):
        text = json.dumps({**whole, "jobs": jobs}, separators=(",", ":"))
        head, cut = joblist.split(text if kind is str else kind(text.encode()), "jobs")
        assert list(cut) == jobs
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
    head, jobs = joblist.split(text, "jobs")
    with pytest.raises(ValueError):
        list(jobs)


def test_an_empty_list_as_slurm_prints_it():
    text = '{\n  "jobs": [\n  ],\n  "errors": [\n  ]\n}\n'
    head, jobs = joblist.split(text, "jobs")
    assert head == {"jobs": [], "errors": []} and list(jobs) == []


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
    head, written, summaries = SqueueJson(data_parser="v0.0.44").parse_written(result_of(text),
                                                                                passthrough.without_nulls)
    expected = [passthrough.without_nulls(job) for job in whole["jobs"]]
    assert orjson.loads(orjson.dumps(written)) == expected
    assert [written.parsed(i) for i in range(len(written))] == expected
    assert "jobs" not in head or head["jobs"] == []
    assert len(summaries) == len(expected)


def test_slurms_reported_failure_is_raised_from_the_head():
    text = json.dumps({"jobs": [], "errors": [{"error_number": 2017, "description": "Invalid job id specified",
                                                "source": "slurm_load_jobs"}]}, indent=2)
    with pytest.raises(Exception) as failure:
        SqueueJson(data_parser="v0.0.44").parse_written(result_of(text), passthrough.without_nulls)
    assert failure.value.number == 2017


def test_every_writer_sends_the_same_jobs():
    whole = json.loads(PRETTY_25_11.read_text())
    _, written, _ = SqueueJson(data_parser="v0.0.44").parse_written(result_of(PRETTY_25_11.read_text()),
                                                                    passthrough.without_nulls)
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
        result_of(PRETTY_25_11.read_text()), passthrough.without_nulls)
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
    _, written, _ = SqueueJson().parse_written(result_of(text), lambda record: from_v0038.job(record))
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
        _, written, _ = SqueueJson(data_parser="v0.0.44").parse_written(result, passthrough.without_nulls)
        assert written.parsed(0)["name"] == expected
        assert SqueueJson(data_parser="v0.0.44").parse(result)["jobs"][0]["name"] == expected
