"""slurmctld's RPC counts as sdiag shows them, read once they stand still:
slurmctld records an RPC's statistics after it has answered it (proc_req.c),
so a reading taken just after an answer came back may not hold that RPC
yet, and the next reading would count it instead."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

from server.convert import sdiag_text

T = TypeVar("T")

# sdiag's own RPC, which every reading adds.
SDIAG = "REQUEST_STATS_INFO"


def settled(read: Callable[[], T], seconds: float = 10, pause: float = 0.3) -> T:
    """``read()`` again every ``pause`` seconds until two readings agree
    (at most ``seconds``)."""
    value, deadline = read(), time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(pause)
        again = read()
        if again == value:
            break
        value = again
    return value


def _statistics(cluster) -> dict:
    return sdiag_text.parse(cluster.run("sdiag").stdout)


def by_message_type(cluster) -> dict[str, int]:
    """RPCs counted per message type, sdiag's own left out."""
    return settled(lambda: {rpc["message_type"]: rpc["count"]
                            for rpc in _statistics(cluster)["rpcs_by_message_type"]
                            if rpc["message_type"] != SDIAG})


def of_user(cluster, user: str) -> int:
    """RPCs counted for ``user`` (sdiag runs as root)."""
    return settled(lambda: sum(rpc["count"] for rpc in _statistics(cluster)["rpcs_by_user"]
                               if rpc["user"] == user))
