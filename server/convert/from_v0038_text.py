"""22.05's jobs written as API v0.0.44 jobs straight from the text Slurm
printed, field by field: what server.joblist.JobWriter otherwise makes by
parsing each job, converting it (``from_v0038.JobConverter``) and writing
it whole, byte for byte, with the same summary.

Jobs of one queue print alike: in a list of 10,000 held jobs, a job's text
differs from the one before in its id alone. 22.05 prints pretty JSON, a
job's fields one a line at a fixed indentation (``FIELD_EDGE``), and no
raw line break can be inside a JSON string. So a job is cut at that edge
into its fields, compared with the job before field by field, and only the
fields that differ are parsed, only the v0.0.44 properties made from them
(``from_v0038.FIELDS``) converted; the next job is first compared only
around the fields that differed (``PrettyJobMaker``). Each property is
kept written (``"name":value``): a job is written by joining them, which is
what orjson writes for the same dict. For 10,000 such jobs, from cutting
the list to the last summary: 0.21 s of CPU instead of 0.49 s (median of
ten on this 2-core machine).

That a piece is one object is proved as ``joblist.one_object`` proves it:
a job is parsed whole where nothing is known before it, and its fields seen
to be the lines cut at the edge (its keys, in order); after that a piece is
the one before with whole fields replaced, each by a line with the same
name and a value that parses alone. Anything else (another layout, a field
that comes or goes, a line that does not parse) is parsed whole again.
"""

from __future__ import annotations

from itertools import accumulate, compress
from operator import ne
from typing import Sequence

import orjson

from server import joblist
from server.convert import from_v0038

FIELD_EDGE = b'\n      "'  # each top-level field of a job (22.05's pretty output) begins so
_NAME_END = b'": '
_LAST_END = b"\n    }"  # the job's own closing, after its last field
_STEPS = from_v0038._STEPS
_STEPS_READING = from_v0038._STEPS_READING
_ABSENT = from_v0038._ABSENT
# (summary key, the step making it), in joblist.summary's order
_SUMMARY_STEPS = tuple((key, i) for key in joblist.SUMMARY_KEYS
                       for i, (name, *_) in enumerate(_STEPS) if name == key)
_SUMMARY_KEY = tuple(name if name in joblist.SUMMARY_KEYS else None for name, *_ in _STEPS)
_NAMES = tuple(orjson.dumps(name) + b":" for name, *_ in _STEPS)


class PrettyJobMaker:
    """(written job, summary) of each 22.05 job text, as JobWriter's
    ``_made`` makes them, each from the job before. Keeps the job before:
    one list at a time (JobWriter calls it under its lock).

    The fields that differed last time (hot: a job's id, in a queue of
    jobs alike) are looked at first: if the text around their values is
    the job before's, only their values are read, and the job is written
    by joining the properties made from them with the others, joined once.
    Otherwise the job is cut into all its fields and compared field by
    field, which names the next hot fields.

    A job with other fields than the job before (22.05 prints
    job_resources for a started job, none for a pending one) is made from
    the last job laid out as it is, kept for that: a queue where started
    and pending jobs alternate is parsed whole once for each layout, not
    at each change."""

    HOT_LIMIT = 16  # more fields differing than this: each job is compared field by field
    LAYOUTS = 4  # jobs before kept for other layouts than the last job's
    # What is kept of the job before (all that __init__ sets but _opts).
    _STATE = ("_text", "_chunks", "_names", "_keys", "_record", "_written", "_values", "_summary",
              "_hot", "_around", "_hot_values", "_hot_last", "_hot_steps", "_runs")

    def __init__(self, *, cr_type: Sequence[str] | None = None):
        self._opts = {"cr_type": cr_type}
        self._text: bytes | None = None  # the job before, as printed; None: parse the next whole
        self._chunks: list[bytes] | None = None  # its text cut at FIELD_EDGE, where it was
        self._names: list[bytes] = []  # its fields' names, in order
        self._keys: list[str] = []  # the same, as the record's keys
        self._record: dict = {}  # its fields' values (updated in place)
        self._written: list[bytes | None] = []  # each step's '"name":value', None where left out
        self._values: list = []  # each step's value (for the summary)
        self._summary: dict = {}
        self._hot: tuple[int, ...] = ()  # fields (indices in _names) that differed last
        self._around: tuple[bytes, ...] = ()  # the job before's text around their values
        self._hot_values: list[bytes] = []  # their values' text
        self._hot_last = False  # whether the last of them is the job's last field
        self._hot_steps: tuple[int, ...] = ()  # the steps reading them
        self._runs: tuple[bytes, ...] = (b"",)  # the other steps, written and joined, around those
        self._layouts: dict[int, tuple] = {}  # number of fields: _STATE of the last job with as many

    def __call__(self, piece) -> tuple[bytes, dict]:
        # Text where the output was (a command's output shared through Redis
        # comes back as text: server.slurm.runner), else bytes or a view of them.
        text = piece.encode() if piece.__class__ is str else bytes(piece)
        try:
            if self._text is None:
                fieldwise = self._whole(text)
            elif self._hot and self._hot_changed(text):
                fieldwise, self._chunks = True, None
            else:
                chunks = text.split(FIELD_EDGE)
                fieldwise = (self._changed(text, chunks) or self._from_its_layout(text, chunks)
                             or self._whole(text, chunks))
        except BaseException:
            self._text = None  # the job half made in place is no job before: the next is parsed whole
            raise
        self._text = text if fieldwise else None
        return self._joined(), self._summary

    def _joined(self) -> bytes:
        runs, written = self._runs, self._written
        parts = [runs[0]]
        for n, i in enumerate(self._hot_steps, 1):
            parts.append(written[i])
            parts.append(runs[n])
        return b"{" + b",".join(filter(None, parts)) + b"}"

    def _whole(self, text: bytes, chunks: list[bytes] | None = None) -> bool:
        """The job parsed whole (ValueError unless one object); True if its
        fields are its lines cut at the edge, so the next can be made from it."""
        self._text = None
        record = joblist.one_object(text)
        chunks = text.split(FIELD_EDGE) if chunks is None else chunks
        self._record = record
        self._names = [chunk.partition(_NAME_END)[0] for chunk in chunks[1:]]
        self._keys = [name.decode() for name in self._names]
        self._written = [None] * len(_STEPS)
        self._values = [_ABSENT] * len(_STEPS)
        for i in range(len(_STEPS)):
            self._step(i)
        self._summarize()
        self._chunks = chunks
        self._hot_at(text, ())
        return chunks[0] == b"{" and self._keys == list(record)

    def _hot_changed(self, text: bytes) -> bool:
        """The job brought from the one before where ``text`` is the job
        before's but for the values of the hot fields; False otherwise (and
        nothing is changed)."""
        around = self._around
        if not text.startswith(around[0]):
            return False
        position, values, last = len(around[0]), [], len(self._hot) - 1
        for n, after in enumerate(around[1:]):
            if n == last and self._hot_last:
                end = len(text) - len(after)  # the value runs to the job's closing
            else:
                end = text.find(FIELD_EDGE, position) - 1  # to the comma before the next field
            if end < position or not text.startswith(after, end):
                return False
            values.append(text[position:end])
            position = end + len(after)
        if position != len(text):
            return False
        parsed = {}
        for field, value, value_before in zip(self._hot, values, self._hot_values):
            if value != value_before:
                try:
                    parsed[self._keys[field]] = orjson.loads(value)
                except ValueError:
                    return False  # parsed whole: refused there, if it is not one object
        self._hot_values = values
        self._remake(parsed)
        return True

    def _from_its_layout(self, text: bytes, chunks: list[bytes]) -> bool:
        """The job made from the last one with as many fields, if one is
        kept (``_changed`` tells whether they are the same fields); the job
        before is kept for its own number of fields."""
        fields, fields_before = len(chunks) - 1, len(self._names)
        if fields == fields_before:
            return False
        # Kept objects are no longer the maker's: nothing changes them in place.
        self._layouts.pop(fields_before, None)
        self._layouts[fields_before] = tuple(getattr(self, name) for name in self._STATE)
        kept = self._layouts.pop(fields, None)
        while len(self._layouts) > self.LAYOUTS:
            del self._layouts[next(iter(self._layouts))]  # the one left longest ago
        if kept is None:
            return False
        for name, value in zip(self._STATE, kept):
            setattr(self, name, value)
        return self._changed(text, chunks)

    def _changed(self, text: bytes, chunks: list[bytes]) -> bool:
        """The job cut into ``chunks`` brought from the one before field by
        field; False where that cannot be done (it is then parsed whole)."""
        before = self._chunks if self._chunks is not None else self._text.split(FIELD_EDGE)
        if len(chunks) != len(before) or chunks[0] != b"{":
            return False
        last = len(chunks) - 1
        parsed, fields = {}, []
        for field in compress(range(1, len(chunks)), map(ne, chunks[1:], before[1:])):
            name, found, value = chunks[field].partition(_NAME_END)
            if not found or name != self._names[field - 1]:
                return False
            ending = _LAST_END if field == last else b","
            if not value.endswith(ending):
                return False
            try:
                parsed[self._keys[field - 1]] = orjson.loads(value[:-len(ending)])
            except ValueError:
                return False  # parsed whole: refused there, if it is not one object
            fields.append(field - 1)
        self._remake(parsed)
        self._chunks = chunks
        hot = sorted(set(fields).union(self._hot))
        self._hot_at(text, hot if len(hot) <= self.HOT_LIMIT else fields if len(fields) <= self.HOT_LIMIT else ())
        return True

    def _remake(self, parsed: dict) -> None:
        """The record's fields in ``parsed`` changed: the steps reading them made again."""
        steps = set()
        for key, value in parsed.items():
            self._record[key] = value
            steps.update(_STEPS_READING.get(key, ()))
        summary = None
        for i in steps:
            key = self._step(i)
            if key is not None:
                # A new dict: the one before is the earlier job's, kept by JobWriter.
                summary = dict(self._summary) if summary is None else summary
                summary[key] = joblist.plain(self._values[i])
        if summary is not None:
            self._summary = summary

    def _hot_at(self, text: bytes, hot) -> None:
        """``hot`` (fields) the ones to look at first in the job after
        ``text``, cut into ``self._chunks``; the other steps joined."""
        self._hot = tuple(hot)
        starts = list(accumulate((len(chunk) + len(FIELD_EDGE) for chunk in self._chunks), initial=0))
        last = len(self._names) - 1
        around, values, position = [], [], 0
        for field in self._hot:
            start = starts[field + 1] + len(self._names[field]) + len(_NAME_END)
            end = starts[field + 2] - len(FIELD_EDGE) - (len(_LAST_END) if field == last else 1)
            around.append(text[position:start])
            values.append(text[start:end])
            position = end
        around.append(text[position:])
        self._around, self._hot_values = tuple(around), values
        self._hot_last = bool(self._hot) and self._hot[-1] == last
        self._hot_steps = tuple(sorted({i for field in self._hot for i in _STEPS_READING.get(self._keys[field], ())}))
        bounds = (0, *self._hot_steps, len(_STEPS))
        self._runs = tuple(b",".join(filter(None, self._written[low + (n > 0):high]))
                           for n, (low, high) in enumerate(zip(bounds, bounds[1:])))

    def _step(self, i: int) -> str | None:
        """Step ``i`` of from_v0038.job() made again from the record; its
        summary key if the summary reads it."""
        name, source, convert, _ = _STEPS[i]
        if source.__class__ is tuple:
            value = convert(self._record, self._opts)
            value = _ABSENT if value is None else value
        else:
            value = self._record.get(source, _ABSENT)
            if value is not _ABSENT:
                value = convert(value)
        self._values[i] = value
        self._written[i] = None if value is _ABSENT else _NAMES[i] + orjson.dumps(value)
        return _SUMMARY_KEY[i]

    def _summarize(self) -> None:
        self._summary = {name: joblist.plain(self._values[i]) for name, i in _SUMMARY_STEPS
                         if self._values[i] is not _ABSENT}
