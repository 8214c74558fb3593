"""Answers are written with orjson: byte for byte what json wrote, pretty
or compact, and json still writes what orjson refuses."""

import json

import pytest

from server import media
from tests.fakes.current_slurm import recorded


@pytest.mark.parametrize("name", ["slurm-jobs.json", "slurm-nodes.json"])
def test_orjson_writes_what_json_wrote(name):
    document = {**recorded(name), "text": "naïve ✓ \u2028 \"quoted\" \\ /"}
    assert media.render(document) == (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    assert media.render(document, compact=True) == json.dumps(document, ensure_ascii=False,
                                                              separators=(",", ":")).encode()


def test_integers_past_64_bits_still_written():
    assert json.loads(media.render({"n": 2**70})) == {"n": 2**70}
