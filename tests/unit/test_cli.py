"""slurmrestd's command line, mapped onto the config."""

import socket
import subprocess
import sys

import pytest

from server.cli import UsageError, config_from, open_listener, parse_listener
from server.config import DEFAULT_LISTEN


def test_defaults():
    config = config_from([])
    assert config.listeners == [DEFAULT_LISTEN]
    assert config.slurm_conf is None and config.verbosity == 0


def test_options_and_listeners():
    config = config_from(["-f", "/x/slurm.conf", "-vv", "--coalesce", "0", "--max-commands", "3",
                          "127.0.0.1:7000", "[::1]:7001", ":7002"])
    assert config.slurm_conf == "/x/slurm.conf" and config.verbosity == 2
    assert config.coalesce_seconds == 0 and config.max_concurrent_commands == 3
    assert config.listeners == ["127.0.0.1:7000", "[::1]:7001", ":7002"]


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:6820", ("127.0.0.1", 6820)),
    ("[::1]:6820", ("::1", 6820)),
    (":6820", ("0.0.0.0", 6820)),
    ("localhost:1", ("localhost", 1)),
])
def test_listener_forms(text, expected):
    assert parse_listener(text) == expected


@pytest.mark.parametrize("text", ["6820", "host:", "host:http", "host:70000", "host:0"])
def test_bad_listeners_are_refused_before_anything_starts(text):
    with pytest.raises(UsageError, match="listener"):
        config_from([text])


def test_a_listener_in_use_is_named_with_the_cause():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=rf"127.0.0.1:{port}: Address already in use"):
            open_listener(f"127.0.0.1:{port}")


def test_unknown_option_stops_with_a_message_and_non_zero_exit():
    result = subprocess.run([sys.executable, "-m", "server", "--no-such-option"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "--no-such-option" in result.stderr


def test_missing_slurm_conf_stops_with_one_clear_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "server", "-f", str(tmp_path / "none.conf")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == f"slurmrestpy: cannot read {tmp_path / 'none.conf'}: No such file or directory"


def test_slurm_conf_without_jwt_key(tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=x\n")
    result = subprocess.run([sys.executable, "-m", "server", "-f", str(conf)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "no JWT key" in result.stderr
