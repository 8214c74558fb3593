"""`sacctmgr -n -P` output of Slurm 22.05.8, as the live cluster printed it."""

import pytest

from server.convert.sacctmgr_text import rows, split_list
from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_entity import SacctmgrChange
from server.slurm.runner import Result


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


def test_sacctmgr_denials_without_slurms_text_are_access_denied():
    # 25.11's sacctmgr refuses a non-operator's `add account` in its own
    # words, with no "Access/permission denied" for errno to find.
    command = SacctmgrChange("add", "account", ["t-acct"], "add account t-acct")
    denied = Result(tuple(command.argv()), 1, "",
                    " error: Only admins/operators/coordinators can add accounts\n", 0.01)
    with pytest.raises(SlurmError) as raised:
        command.parse(denied)
    assert raised.value.number == 2002
    assert "Only admins/operators/coordinators can add accounts" in str(raised.value)
    other = Result(tuple(command.argv()), 1, "", " error: Unknown option: bogus\n", 0.01)
    with pytest.raises(SlurmError) as raised:
        command.parse(other)
    assert raised.value.number != 2002


def test_a_failed_rollback_does_not_hide_the_failure():
    command = SacctmgrChange("add", "cluster", ["t-clu"], "add cluster t-clu")
    err = (" Problem adding clusters: Access/permission denied\n"
           "sacctmgr: error: Getting response to message type: DBD_FINI\n"
           " Error rolling back changes: Unspecified error\n")
    with pytest.raises(SlurmError) as raised:
        command.parse(Result(tuple(command.argv()), 1, " Adding Cluster(s)\n  Name = t-clu\n", err, 0.01))
    assert raised.value.number == 2002


# Found by tests/live/test_bad_input.py: an account description with '|' read
# back from 22.05's `sacctmgr -P` as other columns; such text is refused by name.
@pytest.mark.parametrize("text", ["a|b", "a\nb", "a'b", 'a"b', "a\rb"])
def test_text_sacctmgr_cannot_read_back_is_refused_by_name(text):
    from server.convert.sacctmgr_values import FieldError, text_argument

    with pytest.raises(FieldError) as raised:
        text_argument(text, "accounts[0].description")
    assert raised.value.field == "accounts[0].description"


def test_shell_metacharacters_are_text_sacctmgr_keeps():
    from server.convert.sacctmgr_values import text_argument

    plain = "srpfz $(id) `id`;&><*?\\ ~#!{a,b}"
    assert text_argument(plain, "description") == plain
