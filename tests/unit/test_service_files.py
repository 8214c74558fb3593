"""The systemd units shipped in etc/: what an operator relies on when swapping
slurmrestd.service for ours."""

import configparser
import shlex
from pathlib import Path

ETC = Path(__file__).resolve().parents[2] / "etc"


def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((ETC / name).read_text())
    return parser


def test_service_reads_the_same_files_as_slurmrestds_and_drops_privileges():
    service = unit("slurmrestpy.service")["Service"]
    text = (ETC / "slurmrestpy.service").read_text()
    assert "EnvironmentFile=-/etc/default/slurmrestpy" in text
    assert "EnvironmentFile=-/etc/sysconfig/slurmrestpy" in text
    argv = shlex.split(service["ExecStart"])
    assert argv[0].endswith("/slurmrestpy") and "$SLURMRESTPY_OPTIONS" in argv
    assert argv[argv.index("-u") + 1] not in ("root", "slurm")
    assert "SLURMRESTD_LISTEN=" in service["Environment"]
    assert service["ExecReload"].endswith("-HUP $MAINPID")


def test_socket_unit_starts_the_service():
    socket = unit("slurmrestpy.socket")["Socket"]
    assert socket["Service"] == "slurmrestpy.service"
    assert "6820" in (ETC / "slurmrestpy.socket").read_text()


def test_instance_units_listen_on_the_port_they_are_named_after_and_share_the_options():
    service = unit("slurmrestpy@.service")["Service"]
    assert service["Environment"] == "SLURMRESTD_LISTEN=127.0.0.1:%i"
    assert "$SLURMRESTPY_OPTIONS" in shlex.split(service["ExecStart"])
    text = (ETC / "slurmrestpy@.service").read_text()
    assert "EnvironmentFile=-/etc/default/slurmrestpy" in text
    socket = unit("slurmrestpy@.socket")["Socket"]
    assert socket["ListenStream"] == "127.0.0.1:%i" and socket["Service"] == "slurmrestpy@%i.service"


def test_haproxy_example_balances_the_instances_the_units_make():
    """The balancer's backends are the instance units' ports, and only
    requests that reached no instance, or reads, are sent again."""
    text = (ETC / "haproxy-slurmrestpy.cfg").read_text()
    backends = [line.split()[2] for line in text.splitlines() if line.strip().startswith("server ")]
    assert backends == ["127.0.0.1:6821", "127.0.0.1:6822", "127.0.0.1:6823"]
    assert "retry-on conn-failure empty-response junk-response" in text
    assert "disable-l7-retry if !METH_GET !METH_HEAD" in text
