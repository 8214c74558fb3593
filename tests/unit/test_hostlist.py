"""Host lists: what scontrol show hostnames/hostlist print on Slurm 22.05.8
(tests/data/slurm-22.05/hostlist/), read by server/convert/hostlist.py and
the command objects, and the handlers' checks of bad input."""

from pathlib import Path

import pytest

from server.convert import hostlist
from server.slurm.commands.scontrol_misc import HostlistRejected, ScontrolHostlist, ScontrolHostnames
from server.slurm.runner import Result
from tests.fakes.current_slurm import headers
API = "/slurm/v0.0.44"

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "hostlist"


def text(name: str) -> str:
    return (DATA / name).read_text()


def result(argv, *, stdout="", stderr="", rc=0) -> Result:
    return Result(tuple(argv), rc, stdout, stderr, 0.01)


def test_expanded_names_in_order():
    assert hostlist.names(text("hostnames-ranges.txt")) == ["n1", "n2", "n3", "x01", "x02", "gpu1"]
    assert hostlist.names(text("hostnames-two-ranges.txt")) == ["n1x3", "n1x4", "n2x3", "n2x4"]


def test_compressed_expression_keeps_the_given_order():
    assert hostlist.expression(text("hostlist-unsorted.txt")) == "n[3,1-2],x[01-02]"


@pytest.mark.parametrize("stderr_file, reason", [
    ("hostnames-reversed.stderr", "Invalid range: `3-1'"),
    ("hostnames-too-many.stderr", "Too many hosts in range `1-100000000'"),
    ("hostlist-reversed.stderr", "Invalid range: `3-1'"),
])
def test_scontrol_reasons_are_read_from_stderr(stderr_file, reason):
    assert hostlist.rejection(text(stderr_file)) == reason


def test_no_rejection_without_invalid_hostlist_line():
    assert hostlist.rejection("") is None
    assert hostlist.rejection("scontrol: error: something else\n") is None


@pytest.mark.parametrize("expression, problem", [
    ("n[1-", "'[' at position 2 is never closed"),
    ("n1]", "']' at position 3 closes no range"),
    ("n[1-[2]]", "'[' at position 5 opens a range inside another"),
])
def test_unbalanced_brackets_are_refused(expression, problem):
    assert hostlist.bracket_error(expression) == problem


@pytest.mark.parametrize("expression", ["n[1-3],x[01-02]", "n[1-2]x[3-4]", "plain", "", "a b"])
def test_balanced_expressions_pass(expression):
    assert hostlist.bracket_error(expression) is None


def test_the_unclosed_bracket_slurm_itself_accepts():
    # Why bracket_error exists: 22.05 turns "n[1-" into the name "n]".
    assert hostlist.names(text("hostnames-unclosed.stdout")) == ["n]"]


def test_hostnames_command_ends_options_before_the_expression():
    command = ScontrolHostnames("-v")
    assert command.argv() == ["scontrol", "show", "hostnames", "--", "-v"]


def test_hostnames_refusal_despite_exit_status_zero():
    # show hostnames exits 0 even when it refuses the list.
    assert (DATA / "hostnames-reversed.rc").read_text().strip() == "0"
    command = ScontrolHostnames("n[3-1]")
    with pytest.raises(HostlistRejected, match="3-1"):
        command.parse(result(command.argv(), stderr=text("hostnames-reversed.stderr")))


def test_hostlist_command_joins_names_and_reads_refusal():
    command = ScontrolHostlist(["n1", "n[3-1]"])
    assert command.argv() == ["scontrol", "show", "hostlist", "--", "n1,n[3-1]"]
    assert (DATA / "hostlist-reversed.rc").read_text().strip() == "1"
    with pytest.raises(HostlistRejected, match="Invalid range"):
        command.parse(result(command.argv(), stderr=text("hostlist-reversed.stderr"), rc=1))


def test_hostlist_command_reads_the_expression():
    command = ScontrolHostlist(["n3", "n1", "n2", "x01", "x02"])
    assert command.parse(result(command.argv(), stdout=text("hostlist-unsorted.txt"))) == "n[3,1-2],x[01-02]"


def test_other_failures_are_not_taken_for_a_bad_list():
    from server.slurm.command import SlurmError
    command = ScontrolHostnames("n1")
    with pytest.raises(SlurmError, match="Unable to expand"):
        command.parse(result(command.argv(), stderr="scontrol: fatal: Unable to process configuration file\n",
                             rc=1))


# The other command of scontrol_misc: reconfigure, refused to srp_alice on
# 22.05.8 (tests/data/slurm-22.05/reconfigure/).

def test_reconfigure_refusal_is_slurms_error():
    from server.slurm.command import SlurmError
    from server.slurm.commands.scontrol_misc import ScontrolReconfigure
    recorded = DATA.parent / "reconfigure"
    command = ScontrolReconfigure()
    assert command.argv() == ["scontrol", "reconfigure"] and command.read_only is False
    rc = int((recorded / "scontrol-reconfigure-as-srp_alice.rc").read_text())
    stderr = (recorded / "scontrol-reconfigure-as-srp_alice.stderr").read_text()
    with pytest.raises(SlurmError) as raised:
        command.parse(result(command.argv(), stderr=stderr, rc=rc))
    assert (raised.value.number, raised.value.error) == (2010, "Invalid user id")
    assert raised.value.status == 500  # slurmrestd's table has no entry for 2010
    assert raised.value.description == "slurm_reconfigure() failed: slurm_reconfigure error: Invalid user id"


def test_reconfigure_through_the_app(fake_slurm):  # noqa: F811
    from tests.schemas import reference_as_meant, validate_response
    folder, client = fake_slurm
    (folder / "scontrol.txt").write_text("")
    response = client.get(f"{API}/reconfigure/", headers=headers())
    assert response.status_code == 200, response.text
    assert (folder / "scontrol.argv").read_text() == "reconfigure"
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/reconfigure/", response.json())


def test_hostnames_through_the_app(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    (folder / "scontrol.txt").write_text(text("hostnames-ranges.txt"))
    response = client.post("/util/v0.0.44/hostnames", json={"hostlist": "n[1-3],x[01-02],gpu1"},
                           headers=headers())
    assert response.status_code == 200, response.text
    assert response.json()["hostnames"] == ["n1", "n2", "n3", "x01", "x02", "gpu1"]
    assert (folder / "scontrol.argv").read_text().split("\n") == ["show", "hostnames", "--", "n[1-3],x[01-02],gpu1"]


@pytest.mark.parametrize("path, payload, field", [
    ("hostnames", {"hostlist": "n[1-"}, "hostlist"),
    ("hostnames", {}, "hostlist"),
    ("hostlist", {"hostnames": ["n1", "n2]"]}, "hostnames[1]"),
    ("hostlist", {"hostlist": "n1"}, "hostnames"),
])
def test_bad_bodies_are_refused_before_scontrol_runs(fake_slurm, path, payload, field):  # noqa: F811
    folder, client = fake_slurm
    response = client.post(f"/util/v0.0.44/{path}", json=payload, headers=headers())
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert f"{field!r}" in error["description"]
    assert not (folder / "scontrol.argv").exists()


@pytest.mark.parametrize("expression, count", [
    ("n[1-3],x[01-02],gpu1", 6), ("n[1,3,5-7]x", 5), ("a[1-2]b[1-3]", 6), ("", 0), ("n[3-1]", 1),
    ("n[1-65536]", 65_536), ("n[1-65537]", 65_537), ("a[0-7999]b[0-999]", 65_537),
    ("a[0-9999]b[0-9999]", 65_537), ("n[1-40000],m[1-40000]", 65_537),
])
def test_size_counts_without_expanding_and_stops_past_the_cap(expression, count):
    assert hostlist.size(expression) == count


def test_an_expression_past_the_cap_is_refused_before_scontrol_runs():
    from server.slurm.commands.scontrol_misc import HostlistTooLarge, ScontrolHostnames

    with pytest.raises(HostlistTooLarge) as refused:
        ScontrolHostnames("a[0-7999]b[0-999]")
    assert refused.value.status == 400 and "65536" in refused.value.description
    assert ScontrolHostnames("n[1-65536]").argv()[-1] == "n[1-65536]"
