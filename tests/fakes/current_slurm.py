"""A current Slurm (25.11) for unit tests of the pass-through path: its client
commands (tests/fakes/slurm-25.11/bin) print what a test puts beside the
slurm.conf, and the app under test runs them through the real runner."""

import json
import time
from pathlib import Path

import jwt

from tests.schemas import REFERENCE_DIR

FAKE_BIN = Path(__file__).resolve().parent / "slurm-25.11" / "bin"
RECORDED = REFERENCE_DIR / "recorded" / "slurm-25.11" / "0.0.44"
KEY = b"k" * 32


def write_slurm_conf(folder: Path) -> Path:
    (folder / "jwt.key").write_bytes(KEY)
    conf = folder / "slurm.conf"
    conf.write_text(f"ClusterName=hpc\nAuthAltTypes=auth/jwt\nAuthAltParameters=jwt_key={folder}/jwt.key\n"
                    "AccountingStorageType=accounting_storage/slurmdbd\n")
    return conf


def headers(user: str = "root") -> dict:
    now = int(time.time())
    token = jwt.encode({"iat": now, "exp": now + 60, "sun": user}, KEY, algorithm="HS256")
    return {"X-SLURM-USER-NAME": user, "X-SLURM-USER-TOKEN": token}


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


# Users the fake host knows, beside its real ones: tests that tell two
# callers apart need two users, and the server refuses unknown ones.
FAKE_USERS = ("alice", "bob")


def know_fake_users(monkeypatch) -> None:
    import pwd

    real = pwd.getpwnam

    def getpwnam(name):
        if name in FAKE_USERS:
            return pwd.struct_passwd((name, "x", 60000 + FAKE_USERS.index(name), 60000, "", "/", "/bin/sh"))
        return real(name)

    monkeypatch.setattr(pwd, "getpwnam", getpwnam)
