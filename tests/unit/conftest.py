import pytest

from server.app import create_app
from server.config import Config
from tests.fakes.current_slurm import FAKE_BIN, write_slurm_conf


@pytest.fixture
def fake_slurm(tmp_path, monkeypatch):
    """(folder, client): the app driving the fake 25.11 commands; what they
    print is what the test writes to folder/<command>.json."""
    monkeypatch.setenv("PATH", f"{FAKE_BIN}:/usr/bin:/bin")
    conf = write_slurm_conf(tmp_path)
    monkeypatch.setenv("SLURM_CONF", str(conf))
    app = create_app(Config(slurm_conf=str(conf), coalesce_seconds=0))
    with app.test_client() as client:
        yield tmp_path, client
