"""Single values between sacctmgr's text and the API's objects, both ways.

Reading: what `sacctmgr -n -P show ...` of Slurm 22.05 prints for a limit
(empty when unset or unlimited, a number, a duration such as `1-02:03:04`,
a float such as `1.500000`) into the API's `*_no_val_struct` objects.

Writing: an API value into the text of one `Key=value` argument, or a
``FieldError`` naming the field (as a JSON path such as
`qos[0].limits.max.tres.per.job`) when the value is one sacctmgr cannot take.
"""

from __future__ import annotations

import math
import re

UINT32_MAX_SETTABLE = 0xFFFFFFFD  # NO_VAL and INFINITE are above it


class FieldError(ValueError):
    """An input value that cannot be written; ``field`` says where it is."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# -- reading ------------------------------------------------------------------


def unset_number(number=0) -> dict:
    """A no_val struct for a limit that is not set (slurmrestd prints these
    with infinite true: an unset limit does not limit)."""
    return {"set": False, "infinite": True, "number": number}


def set_number(number) -> dict:
    return {"set": True, "infinite": False, "number": number}


def uint32_struct(text: str) -> dict:
    text = text.strip()
    return set_number(int(text)) if text else unset_number(0)


def float_struct(text: str) -> dict:
    text = text.strip()
    return set_number(float(text)) if text else unset_number(0.0)


_DURATION = re.compile(r"^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$")


def duration_seconds(text: str) -> int | None:
    """`[days-][hours:]minutes:seconds` as sacctmgr prints durations, in
    seconds; None when empty."""
    text = text.strip()
    if not text:
        return None
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def minutes_struct(text: str) -> dict:
    """A limit printed as a duration and kept in minutes (MaxWall, GrpWall)."""
    seconds = duration_seconds(text)
    return unset_number(0) if seconds is None else set_number(seconds // 60)


def seconds_struct(text: str) -> dict:
    """A limit printed as a duration and kept in seconds (PreemptExemptTime)."""
    seconds = duration_seconds(text)
    return unset_number(0) if seconds is None else set_number(seconds)


def split_words(text: str) -> list[str]:
    return [word for word in text.split(",") if word]


# -- writing ------------------------------------------------------------------


def no_val_argument(value, field: str, *, integer: bool = True, maximum: float = UINT32_MAX_SETTABLE):
    """The text of a no_val struct for sacctmgr: a number when set, `-1`
    (clear the limit) when infinite, None (leave it as it is) when neither."""
    if not isinstance(value, dict):
        raise FieldError(field, "expected an object with set, infinite and number")
    if value.get("infinite") is True:
        return "-1"
    if value.get("set") is False:
        return None
    number = value.get("number")
    if number is None:
        if value.get("set") is True:
            raise FieldError(field, "set is true but no number is given")
        return None
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise FieldError(field, f"number must be a number, not {number!r}")
    if integer:
        if isinstance(number, float) and not number.is_integer():
            raise FieldError(field, f"must be a whole number, not {number}")
        number = int(number)
    if not math.isfinite(number) or number < 0 or number > maximum:
        raise FieldError(field, f"{number} is out of range (0 to {maximum:g}); "
                         "set infinite to true to remove the limit")
    return str(number) if integer else _float_text(number)


def _float_text(number: float) -> str:
    text = repr(float(number))
    return text[:-2] if text.endswith(".0") else text


def duration_argument(seconds: int) -> str:
    """Seconds as `[days-]hours:minutes:seconds`, which sacctmgr reads as a
    duration (a bare number would be minutes to it)."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}-{clock}" if days else clock


# sacctmgr splits on commas and `=`, strips quotes, and reads a leading +/-
# as "add to"/"remove from": a name holding any of them would be something
# else to it. Matched whole (fullmatch): `$` would let a final newline in.
_NAME = re.compile(r"[^\s\x00-\x1f\x7f,='\"|+\-][^\s\x00-\x1f\x7f,='\"|]*")


def name_argument(value, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise FieldError(field, "a name is required")
    if not _NAME.fullmatch(value):
        raise FieldError(field, f"{value!r} cannot be a name: no spaces, control characters, commas, '=', '|' or "
                         "quotes, and no leading '+' or '-'")
    return value


def text_argument(value, field: str) -> str:
    """Free text (a description): sacctmgr turns quotes into backquotes and
    the records it prints are lines of '|'-separated fields, so none of
    them can be stored and read back faithfully."""
    if not isinstance(value, str):
        raise FieldError(field, "expected a string")
    if any(c in value for c in "\"'|\n\r"):
        raise FieldError(field, "quotes, '|' and line breaks cannot be stored by Slurm 22.05's sacctmgr")
    return value
