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
