"""`sacctmgr -n -P` output of Slurm 22.05.8, as the live cluster printed it."""

import pytest

from server.convert.sacctmgr_text import rows, split_list


def test_rows_follow_the_format_fields():
    text = "research|slurmrestpy tests|slurmrestpy\nroot|default root account|root\n"
    found = rows(text, ["account", "description", "organization"])
    assert found[0] == {"account": "research", "description": "slurmrestpy tests", "organization": "slurmrestpy"}
    assert [r["account"] for r in found] == ["research", "root"]


def test_a_pipe_in_the_last_field_and_short_lines():
    assert rows("a|b|c|d\n", ["x", "y", "z"]) == [{"x": "a", "y": "b", "z": "c|d"}]
    assert rows("a\n", ["x", "y"]) == [{"x": "a", "y": ""}]


def test_lists():
    assert split_list("normal,high") == ["normal", "high"] and split_list("") == []


@pytest.mark.parametrize("name", ["x\n", "x\r", "a\tb", "x\x00", "x\x1b[2J", "x\x7f"])
def test_a_name_with_a_newline_or_control_character_is_refused(name):
    """Finding 6 of issue 8: `$` let "x\\n" through, and the QOS made with it
    broke every later listing."""
    from server.convert.sacctmgr_values import FieldError, name_argument

    with pytest.raises(FieldError):
        name_argument(name, "name")
    assert name_argument("x", "name") == "x"
