"""An operation whose handler is not built yet (a new API version's, say)
answers 501 in the envelope, with the operation named."""

import asyncio
from types import SimpleNamespace

import pytest

from handlers.unimplemented import not_implemented
from server.slurm.command import SlurmError


def test_not_implemented_is_a_501_naming_the_operation():
    call = SimpleNamespace(operation=SimpleNamespace(method="get", path="/slurm/v0.0.46/nodes/"))
    with pytest.raises(SlurmError) as raised:
        asyncio.run(not_implemented(call, update_time=None))
    assert raised.value.status == 501
    assert "GET /slurm/v0.0.46/nodes/ is not implemented" in raised.value.description
