"""The few slurm.conf settings the server reads itself."""

from pathlib import Path

from server.slurm import slurmconf


def test_settings_includes_and_jwt_key(tmp_path):
    (tmp_path / "extra.conf").write_text("AccountingStorageType=accounting_storage/slurmdbd\n")
    conf = tmp_path / "slurm.conf"
    conf.write_text(
        "# a comment\nClusterName=hpc  # trailing comment\n"
        "AuthAltTypes=auth/jwt\nAuthAltParameters=jwt_key=/etc/slurm/jwt.key,disable_token_creation\n"
        "Include extra.conf\n"
        "NodeName=n[1-3] CPUs=2 State=UNKNOWN\nPartitionName=debug Nodes=ALL Default=YES\n"
    )
    read = slurmconf.read(conf)
    assert read.cluster_name == "hpc"
    assert read.jwt_key_path == Path("/etc/slurm/jwt.key")
    assert read.get("accountingstoragetype") == "accounting_storage/slurmdbd"
    assert read.get("NodeName") is None and read.get("PartitionName") is None


def test_locate_prefers_the_option_then_the_environment(monkeypatch):
    monkeypatch.setenv("SLURM_CONF", "/from/env.conf")
    assert slurmconf.locate("/from/option.conf") == Path("/from/option.conf")
    assert slurmconf.locate(None) == Path("/from/env.conf")
    monkeypatch.delenv("SLURM_CONF")
    assert slurmconf.locate(None) == Path(slurmconf.DEFAULT_PATH)
