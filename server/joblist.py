"""A job list kept as each job's written JSON, for answers that send the
jobs as they are: 10,000 jobs parsed take about 250 MB of Python objects,
written once they take 45 MB (orjson.Fragment), and every answer that
sends them copies their bytes instead of serializing them again.

What picking a job and `update_time` read (ids, event times) is kept
beside each job as a small summary. Jobs are written compact, one a line
in a pretty answer; a job picked out of the list (GET /job/{id}) is
parsed again and written like the rest of its answer.

The list is cut at its jobs' boundaries, and each job parsed alone: the
whole list is never held parsed. Slurm's pretty output (22.05's) lays its
jobs out at a fixed indentation; in its compact output (SLURM_JSON=compact,
which the runner asks for) every job begins with the same first key. Every
piece must parse to one object, which proves the cut (a cut anywhere else
leaves a bracket open); output laid out otherwise is parsed whole.

A job Slurm prints the same way as in the last list (JobWriter) is taken
as it was written then: a queue mostly unchanged from one poll to the next
is neither parsed, converted nor written again."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Callable, Iterable, Iterator

import orjson

# The fields of a job that picking it by id (server.jobid) and update_time
# (handlers.slurm.jobs) read.
ID_KEYS = ("job_id", "array_job_id", "array_task_id", "array_task_string", "het_job_id", "het_job_offset")
EVENT_TIMES = ("submit_time", "eligible_time", "accrue_time", "start_time", "end_time",
               "suspend_time", "preempt_time", "resize_time", "last_sched_evaluation")
SUMMARY_KEYS = ID_KEYS + EVENT_TIMES

# Slurm's pretty JSON (2 spaces a level): a top-level array, and the edge
# between two of its objects ("}" and "{" at the second level).
_OPENING = '\n  "{}": ['
_CLOSING = "\n  ]"
_EDGE = "\n    },\n    {"


class WrittenJobs(list):
    """Jobs as orjson writes them unchanged (orjson.Fragment), with their
    bytes, which a Fragment does not give back."""

    def __init__(self, texts: list[bytes]):
        super().__init__(orjson.Fragment(text) for text in texts)
        self.texts = texts

    def parsed(self, position: int) -> dict:
        return orjson.loads(self.texts[position])


def written(job: dict) -> bytes:
    # Copied out of orjson's buffer: it keeps the capacity it grew to, which
    # for 10,000 jobs came to 300 MB more than the bytes.
    return bytes(memoryview(orjson.dumps(job)))


def summary(job: dict) -> dict:
    """What picking and update_time read of a job, numbers plain (a no-value
    struct as its number, or None): ten small objects a job kept would come
    to more than the job's bytes."""
    return {key: plain(job[key]) for key in SUMMARY_KEYS if key in job}


def plain(value):
    if isinstance(value, dict):
        return value.get("number") if value.get("set") and not value.get("infinite") else None
    return value


def parsed_document(value):
    """A document with its written jobs objects again: for writers other
    than orjson (YAML, and json for what orjson refuses)."""
    if isinstance(value, WrittenJobs):
        return [value.parsed(position) for position in range(len(value))]
    if isinstance(value, dict):
        return {key: parsed_document(item) for key, item in value.items()}
    if isinstance(value, list):
        return [parsed_document(item) for item in value]
    return value


def split(text: str | bytes | bytearray, key: str) -> tuple[dict, Iterator] | None:
    """The document ``text`` without the objects of its top-level array
    ``key`` (left empty), and the text of each of those objects, cut as
    they are taken (``one_object`` parses one); None when ``text`` is laid
    out neither as Slurm's pretty JSON nor as its compact JSON
    (SLURM_JSON=compact)."""
    found = _pretty(text, key) or _compact(text, key)
    if found is None:
        return None
    first, end, edge = found
    try:
        head = orjson.loads(text[:first] + text[end:])
    except ValueError:
        return None
    if not isinstance(head, dict) or head.get(key) != []:
        return None
    return head, _objects(text, first, end, edge)


def _marks(text, *marks):
    return marks if isinstance(text, str) else tuple(mark.encode() for mark in marks)


def _pretty(text, key: str) -> tuple[int, int, str | bytes] | None:
    """Where the objects of a pretty array are: from the line after its
    opening to its closing, each edge "}" and "{" at the second level. The
    closing is looked for from the last edge, not from the opening: 30 MB
    less to read (a later array of several objects would be taken for the
    list's end, which its pieces then fail)."""
    opening, closing, edge = _marks(text, _OPENING.format(key), _CLOSING, _EDGE)
    start = text.find(opening)
    first = start + len(opening)
    last = text.rfind(edge, first) if start >= 0 else -1
    end = text.find(closing, max(first, last)) if start >= 0 else -1
    if end < 0 or (end > first and (text[first:first + 6] != edge[-6:] or text[end - 1:end] != edge[5:6])):
        return None
    return first, end, edge


def _compact(text, key: str) -> tuple[int, int, str | bytes] | None:
    """Where the objects of a compact array are: each begins with the first
    object's first key (every job does: Slurm writes fields in one order),
    so an edge is "},{" and that key; the last ends at the first "}]" after
    it where it parses."""
    opening, begins, key_ends, between, closing = _marks(text, f'"{key}":[', '{"', '":', "},", "}]")
    start = text.find(opening)
    if start < 0:
        return None
    first = start + len(opening)
    if text[first:first + 1] == closing[1:]:  # empty
        return first, first, between + begins
    name_end = text.find(key_ends, first + 2) if text[first:first + 2] == begins else -1
    if name_end < 0:
        return None
    edge = between + text[first:name_end + 2]  # },{"account":
    last = text.rfind(edge, first)
    last = first if last < 0 else last + len(between)
    end = text.find(closing, last)
    for _ in range(64):  # the few arrays of objects in a job end so too
        if end < 0:
            return None
        try:
            if isinstance(orjson.loads(text[last:end + 1]), dict):
                return first, end + 1, edge
        except ValueError:
            pass
        end = text.find(closing, end + 1)
    return None


def _objects(text, position: int, end: int, edge) -> Iterator:
    """The text of each object from ``position`` to ``end``, cut at each
    edge (memoryviews of bytes: no copy of each piece). Only if each piece
    parses as one object are the pieces the objects (``one_object``)."""
    view = text if isinstance(text, str) else memoryview(text)
    close, opening = _marks(text, "}", "{")
    # An object ends at the edge's "}"; the next begins at its "{".
    to_close, to_next = edge.find(close), edge.find(opening, edge.find(close))
    position = text.find(opening, position, end)
    while 0 <= position < end:
        cut = text.find(edge, position, end)
        stop = cut + to_close + 1 if cut >= 0 else end
        yield view[position:stop]
        position = cut + to_next if cut >= 0 else end


def one_object(piece) -> dict:
    """A piece of a cut list, parsed: ValueError unless it is one object,
    which proves the cut."""
    item = orjson.loads(piece)
    if not isinstance(item, dict):
        raise ValueError("a piece of the list is not one object")
    return item


class JobWriter:
    """Makes each job Slurm printed into what is sent (``keep``), written,
    with its summary, and remembers what each job became by a digest of the
    text Slurm printed for it: a job printed the same way again (most of a
    queue from one poll to the next) is neither parsed, kept nor written
    again. The same text always becomes the same job, whoever's list it is
    in, and a caller is only ever given what its own squeue printed.

    What is remembered is bounded by the longest list written (and
    ``SLACK`` more), oldest first out: jobs that left the queue make room
    for new ones, and a poll's memory holds the same bytes its answer
    does. Lists are written in threads: the memory (and ``keep``, which may
    hold the job it made before) is locked."""

    SLACK = 1.1

    def __init__(self, keep: Callable[[dict], dict] = lambda job: job,
                 from_text: Callable[[object], tuple[bytes, dict]] | None = None):
        self.keep = keep
        # What _made(one_object(piece)) gives, made from the text by a faster
        # way (from_v0038_text), with one_object's ValueError.
        self.from_text = from_text
        self._known: OrderedDict[bytes, tuple[bytes, dict]] = OrderedDict()
        self._room = 0
        self._lock = threading.Lock()

    def written_pieces(self, pieces: Iterable) -> tuple[WrittenJobs, list[dict]]:
        """Jobs from the text of each (``split``): ValueError where a piece
        is not one object."""
        texts, summaries = [], []
        with self._lock:  # one list at a time: each holds the GIL all the same
            for piece in pieces:
                digest = digest_of(piece)
                known = self._known.get(digest)
                if known is None:
                    known = self._known[digest] = (self.from_text(piece) if self.from_text
                                                   else self._made(one_object(piece)))
                else:
                    self._known.move_to_end(digest)
                texts.append(known[0])
                summaries.append(known[1])
            self._room = max(self._room, int(len(texts) * self.SLACK))
            while len(self._known) > self._room:
                self._known.popitem(last=False)
        return WrittenJobs(texts), summaries

    def written_jobs(self, jobs: Iterable[dict]) -> tuple[WrittenJobs, list[dict]]:
        """Jobs already parsed (a list laid out otherwise than Slurm does)."""
        with self._lock:  # ``keep`` may hold the job before (from_v0038.JobConverter)
            made = [self._made(job) for job in jobs]
        return WrittenJobs([text for text, _ in made]), [summary for _, summary in made]

    def _made(self, job: dict) -> tuple[bytes, dict]:
        job = self.keep(job)
        return written(job), summary(job)


def digest_of(piece) -> bytes:
    # SHA-256: collision resistant (a job's text is partly the user's own:
    # its name, comment...), and where the CPU has instructions for it
    # (most do) faster than BLAKE2b: 31 MB of 22.05 jobs in 27 ms, not 53.
    return hashlib.sha256(piece.encode() if isinstance(piece, str) else piece).digest()


class JobWriters:
    """The server's JobWriter for each way jobs are made (a version, what
    its conversion depends on), made when first asked for; a few at most,
    but bounded all the same."""

    LIMIT = 16

    def __init__(self):
        self._writers: dict[tuple, JobWriter] = {}

    def get(self, key: tuple, keep: Callable[[dict], dict], from_text=None) -> JobWriter:
        writer = self._writers.get(key)
        if writer is None:
            if len(self._writers) >= self.LIMIT:
                self._writers.clear()
            writer = self._writers[key] = JobWriter(keep, from_text)
        return writer


def drained(items: list) -> Iterator:
    """The items of a list of our own, in order, each let go of by the list
    as it is taken: written one by one, a parsed list is never held twice."""
    items.reverse()
    while items:
        yield items.pop()
