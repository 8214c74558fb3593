"""``scontrol ping`` text (Slurm 22.05) -> the ``pings`` of GET /slurm/v0.0.44/ping/.

22.05's scontrol prints one line per controller of slurm.conf, in the order
of its SlurmctldHost lines::

    Slurmctld(primary) at vm is UP
    Slurmctld(backup) at vm-backup is DOWN

The mode is "primary" for the first controller, "backup" for the second when
there are exactly two, and "backupN" (N = its index) otherwise: the same
strings slurmrestd puts in ``mode``. When a controller is down and the caller
is root, a three-line "RESTORE SLURMCTLD DAEMON TO SERVICE" banner follows.

What the text cannot say, and how it is filled:

- ``latency``: scontrol pings the controllers one after the other and prints
  no times; every item gets the ``latency_us`` the caller measured around the
  whole command.
- ``primary``: slurmrestd asks the responding slurmctld whether it is the
  primary; here it is true for the controller listed first when it answers.
  A backup that has taken over is therefore reported ``primary: false``.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"^Slurmctld\((?P<mode>[^)]*)\) at (?P<host>\S*) is (?P<state>UP|DOWN)$")


def parse(text: str, latency_us: int) -> list[dict]:
    """The v0.0.44 ``controller_ping`` items of ``scontrol ping``'s stdout.

    Lines that are not a controller line (the RESTORE banner, blank lines)
    are skipped; text without any controller line gives an empty list.
    """
    pings = []
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if match is None:
            continue
        up = match["state"] == "UP"
        mode = match["mode"]
        pings.append(
            {
                "hostname": match["host"],
                "pinged": match["state"],
                "responding": up,
                "latency": int(latency_us),
                "mode": mode,
                "primary": up and mode == "primary",
            }
        )
    return pings
