"""Licenses as Slurm 22.05's `scontrol -o show licenses` prints them,
turned into the internal form, the shape of v0.0.44 ``license``.

22.05 prints one line a license (recordings in
``tests/data/slurm-22.05/licenses/``)::

    LicenseName=fluent Total=4 Used=1 Free=3 Reserved=0 Remote=no

``Used`` counts licenses held by running jobs, ``Reserved`` those held by
active reservations (``Free`` is ``Total - Used`` and does not subtract
them), ``Remote`` is yes for licenses served by slurmdbd (``sacctmgr add
resource``). 22.05 keeps no ``LastConsumed``, ``LastDeficit``,
``LastUpdate`` (added with 23.02's remote license tracking) or ``Nodes``
(hierarchical resources, 25.05): those properties are left out.
"""

from __future__ import annotations

from typing import Mapping

from server.convert import scontrol_text


def licenses(text: str) -> list[dict]:
    return [license(fields) for fields in scontrol_text.records(text) if "LicenseName" in fields]


def license(f: Mapping[str, str]) -> dict:
    return {
        "LicenseName": f.get("LicenseName", ""),
        "Total": _int(f.get("Total")),
        "Used": _int(f.get("Used")),
        "Free": _int(f.get("Free")),
        "Remote": (f.get("Remote") or "").strip().lower() == "yes",
        "Reserved": _int(f.get("Reserved")),
    }


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0
