"""The runner's part in creating jobs: commands that run as the caller (the
one place impersonation is decided), data handed over on extra pipes, and
the SIGINT a command gets before its timeout to clean up after itself."""

import ast
import os
import pwd
import sys

import pytest

from server.slurm import runner as runner_module
from server.slurm.command import Command
from server.slurm.runner import Identity, Runner, as_caller


class Python(Command):
    read_only = False

    def __init__(self, code: str, *args: str, runs_as_caller=False, inputs=(), grace=None, stdin=None):
        self._argv = [sys.executable, "-c", code, *args]
        self.runs_as_caller = runs_as_caller
        self.inputs = tuple(inputs)
        self.interrupt_grace = grace
        self.stdin = stdin

    def argv(self):
        return self._argv


def test_as_root_a_command_runs_through_runuser_without_the_token():
    argv, keep_token = as_caller(("sbatch", "--parsable"), "srp_alice", euid=0)
    assert argv[1:] == ("-u", "srp_alice", "--", "sbatch", "--parsable")
    assert os.path.basename(argv[0]) == "runuser"
    assert keep_token is False  # munge vouches; the token stays out of the job's environment


def test_root_itself_needs_no_runuser():
    assert as_caller(("sbatch", "-H"), "root", euid=0) == (("sbatch", "-H"), False)


def test_unprivileged_a_command_runs_in_a_user_namespace_with_uid_and_gid_after_the_program():
    entry = pwd.getpwuid(os.getuid())
    argv, keep_token = as_caller(("salloc", "--no-shell", "-t", "1"), entry.pw_name, euid=1000)
    assert os.path.basename(argv[0]) == "unshare"
    assert argv[1:] == ("--map-root-user", "salloc", f"--uid={entry.pw_uid}",
                        f"--gid={entry.pw_gid}", "--no-shell", "-t", "1")
    assert keep_token is True  # slurmctld learns who the job is for from the token


def test_unprivileged_an_unknown_user_is_left_to_slurm_to_refuse():
    argv, _ = as_caller(("sbatch",), "no-such-user-here", euid=1000)
    assert argv[1:] == ("--map-root-user", "sbatch", "--uid=no-such-user-here")


PRINT_ARGS_AND_ENV = "import os, sys, json; print(json.dumps([sys.argv[1:], os.environ.get('SLURM_JWT'), os.getcwd()]))"


class Program(Command):
    """A program of its own (argv[0]), as sbatch is: the runner puts the
    ids right after it."""

    read_only = False

    def __init__(self, path, *args, runs_as_caller=False):
        self._argv = [str(path), *args]
        self.runs_as_caller = runs_as_caller

    def argv(self):
        return self._argv


@pytest.fixture
def program(tmp_path):
    path = tmp_path / "show"
    path.write_text(f"#!{sys.executable}\n{PRINT_ARGS_AND_ENV}\n")
    path.chmod(0o755)
    return path


async def test_the_runner_applies_as_caller_only_to_commands_that_ask(monkeypatch, program):
    import json

    monkeypatch.setattr(runner_module.os, "geteuid", lambda: 1000)
    me = pwd.getpwuid(os.getuid())
    identity = Identity(me.pw_name, "the-token")
    result = await Runner().run(Program(program, "x", runs_as_caller=True), identity)
    if not result.ok and "unshare" in result.stderr:
        pytest.skip(f"no user namespaces here: {result.stderr.strip()}")
    assert result.ok, result.stderr
    args, token, cwd = json.loads(result.stdout)
    assert os.path.basename(result.argv[0]) == "unshare" and result.argv[1] == "--map-root-user"
    assert args == [f"--uid={me.pw_uid}", f"--gid={me.pw_gid}", "x"]
    assert token == "the-token"
    assert cwd == "/"
    plain = await Runner().run(Program(program, "x"), identity)
    assert json.loads(plain.stdout)[0] == ["x"] and plain.argv[0] == str(program)


async def test_as_root_the_token_is_not_in_the_environment_of_a_command_run_as_the_caller(monkeypatch):
    import json

    monkeypatch.setattr(runner_module.os, "geteuid", lambda: 0)
    # root acting as root: no runuser needed, so this runs anywhere
    result = await Runner().run(Python(PRINT_ARGS_AND_ENV, runs_as_caller=True), Identity("root", "tok"))
    assert json.loads(result.stdout)[1] is None
    other = await Runner().run(Python(PRINT_ARGS_AND_ENV), Identity("root", "tok"))
    assert json.loads(other.stdout)[1] == "tok"


READ_INPUTS = ("import os, sys\n"
               "for fd in sys.argv[1:]:\n"
               "    data = b''\n"
               "    while chunk := os.read(int(fd), 65536):\n"
               "        data += chunk\n"
               "    print(len(data), data[:20])\n")


async def test_inputs_arrive_on_pipes_named_in_argv():
    small = b"FOO=bar\0B=\n,'\"\0"
    big = b"A=" + b"x" * 300_000 + b"\0"  # more than a pipe holds at once
    command = Python(READ_INPUTS, Command.input_fd(0), Command.input_fd(1), inputs=(small, big))
    result = await Runner().run(command)
    assert result.ok, result.stderr
    first, second = result.stdout.splitlines()
    assert first == f"{len(small)} {small!r}"
    assert second.startswith("300003 ")
    assert all("\0" not in arg for arg in result.argv)


async def test_a_request_value_cannot_pass_for_an_input_argument():
    """Finding 6 of issue 8: a job comment reading like the runner's
    placeholder was replaced by a descriptor number."""
    lookalike = str(Command.input_fd(0, "--comment="))
    command = Python("import sys; print(sys.argv[1:])", lookalike, "<input 0>",
                     Command.input_fd(0, "--export-file="), inputs=(b"x",))
    result = await Runner().run(command)
    assert result.ok, result.stderr
    printed = ast.literal_eval(result.stdout)
    assert printed[:2] == [lookalike, "<input 0>"]
    assert printed[2].removeprefix("--export-file=").isdigit()


async def test_an_unreplaced_input_placeholder_never_reaches_a_process():
    with pytest.raises(ValueError):
        await Runner().run(Python("print(1)", Command.input_fd(3), inputs=(b"x",)))


async def test_a_command_with_a_grace_gets_sigint_before_its_timeout_and_may_clean_up():
    code = ("import signal, sys, time\n"
            "def stop(*_):\n"
            "    print('withdrawn', flush=True); sys.exit(1)\n"
            "signal.signal(signal.SIGINT, stop)\n"
            "print('pending', flush=True)\n"
            "time.sleep(30)\n")
    result = await Runner(timeout=2.0).run(Python(code, grace=1.0))
    assert result.interrupted
    assert result.stdout.split() == ["pending", "withdrawn"]
    assert 0.8 < result.seconds < 2.0


async def test_a_command_that_ignores_the_sigint_still_ends_at_the_timeout():
    from server.slurm.runner import CommandTimeout

    code = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(30)"
    with pytest.raises(CommandTimeout):
        await Runner(timeout=1.0).run(Python(code, grace=0.5))


async def test_a_command_that_finishes_in_time_is_not_interrupted():
    result = await Runner(timeout=5.0).run(Python("print('done')", grace=1.0))
    assert result.ok and not result.interrupted


def test_salloc_asks_for_the_grace():
    from server.slurm.commands.salloc import SallocNoShell

    assert 0 < SallocNoShell([["-t", "1"]]).interrupt_grace < 30


class PrintEnvironment(Command):
    read_only = False

    def __init__(self, environment):
        self.process_environment = environment

    def argv(self):
        return [sys.executable, "-c", "import os, json; print(json.dumps(dict(os.environ)))"]


async def test_a_process_environment_is_the_whole_environment_but_slurm_conf_and_token(monkeypatch):
    import json

    monkeypatch.setenv("HOME", "/the/servers/home")
    runner = Runner(slurm_conf="/etc/the.conf")
    result = await runner.run(PrintEnvironment({"PATH": "/opt/x", "SLURM_CONF": "/evil.conf", "A": "1\n2"}),
                              Identity("someone", "tok"))
    env = json.loads(result.stdout)
    env.pop("LC_CTYPE", None)  # the interpreter may add it
    assert env == {"PATH": "/opt/x", "A": "1\n2", "SLURM_CONF": "/etc/the.conf", "SLURM_JWT": "tok"}


async def test_a_command_run_as_the_caller_is_found_on_the_servers_path(monkeypatch, tmp_path):
    """With the caller's PATH in its environment, unshare must not look the
    program up there: the runner gives it the path it found on its own."""
    monkeypatch.setattr(runner_module.os, "geteuid", lambda: 1000)
    me = pwd.getpwuid(os.getuid())
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").write_text("#!/bin/sh\necho impostor\n")
    (fake / "python3").chmod(0o755)

    class Named(PrintEnvironment):
        runs_as_caller = True

        def argv(self):
            return ["python3", "-c", "print(1)"]

    result = await Runner().run(Named({"PATH": str(fake)}), Identity(me.pw_name, "tok"))
    if not result.ok and "unshare" in result.stderr:
        pytest.skip(f"no user namespaces here: {result.stderr.strip()}")
    assert os.path.isabs(result.argv[2]) and not result.argv[2].startswith(str(fake))
    assert "impostor" not in result.stdout
