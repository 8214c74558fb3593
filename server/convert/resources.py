"""A job's resource layout, node by node, in the internal form (API v0.0.44
``v0.0.44_node_resource_layout``), made from two things any Slurm prints:

- the job record in the internal form (``job_resources.nodes.allocation``:
  per node its name, allocated memory and allocated cores as socket and core
  indexes; ``gres_detail``: per node the GRES given, as
  ``gpu:a100:2(IDX:0-1)``), from ``from_v0038`` or a pass-through;
- the nodes' layout, from ``scontrol -o show node`` (``Sockets``,
  ``CoresPerSocket``).

``core_bitmap`` is the node's allocated cores in Slurm's abstract numbering
(socket x cores per socket + core), written as Slurm writes a bitmap
(``0-1,4``): what ``scontrol -d show job`` prints as ``CPU_IDs`` when a core
has one thread. ``channel`` (an IMEX channel, Slurm 25.05 and later) is not
known to 22.05 and left out. A node whose layout is unknown (it left the
configuration) gets no ``sockets_per_node``, ``cores_per_socket`` nor
``core_bitmap``.
"""

from __future__ import annotations

from typing import Iterable, Mapping

IN_USE = {"ALLOCATED", "IN_USE"}


def node_layouts(records: Iterable[Mapping[str, str]]) -> dict[str, dict]:
    """`scontrol -o show node` records -> {node: {"sockets", "cores_per_socket"}}"""
    layouts = {}
    for record in records:
        name = record.get("NodeName")
        if not name:
            continue
        layout = {}
        for key, field in (("sockets", "Sockets"), ("cores_per_socket", "CoresPerSocket")):
            value = (record.get(field) or "").strip()
            if value.isdigit():
                layout[key] = int(value)
        layouts[name] = layout
    return layouts


def layout(job: Mapping, nodes: Mapping[str, Mapping]) -> list[dict]:
    """The job's allocation, a ``node_resource_layout`` a node, in the order
    slurmctld allocated them. A job holding no resources has none."""
    allocation = ((job.get("job_resources") or {}).get("nodes") or {}).get("allocation") or []
    gres_detail = list(job.get("gres_detail") or [])
    result = []
    for position, node in enumerate(allocation):
        name = node.get("name", "")
        hardware = nodes.get(name) or {}
        entry: dict = {"node": name}
        cores_per_socket = hardware.get("cores_per_socket")
        if "sockets" in hardware:
            entry["sockets_per_node"] = hardware["sockets"]
        if cores_per_socket is not None:
            entry["cores_per_socket"] = cores_per_socket
        entry["mem_alloc"] = int(((node.get("memory") or {}).get("allocated")) or 0)
        if cores_per_socket is not None:
            entry["core_bitmap"] = bit_fmt(_abstract_cores(node, cores_per_socket))
        entry["gres"] = gres(gres_detail[position]) if position < len(gres_detail) else []
        result.append(entry)
    return result


def _abstract_cores(node: Mapping, cores_per_socket: int) -> list[int]:
    cores = []
    for socket in node.get("sockets") or []:
        for core in socket.get("cores") or []:
            if IN_USE & set(core.get("status") or []):
                cores.append(int(socket["index"]) * cores_per_socket + int(core["index"]))
    return sorted(set(cores))


def bit_fmt(indexes: Iterable[int]) -> str:
    """Slurm's bitmap text: [0, 1, 2, 5] -> "0-2,5"."""
    ordered = sorted(set(indexes))
    runs: list[str] = []
    start = previous = None
    for index in ordered + [None]:
        if previous is not None and index == previous + 1:
            previous = index
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = index
    return ",".join(runs)


def gres(detail: str) -> list[dict]:
    """One node's GRES as slurmctld details them: "gpu:a100:2(IDX:0-1),
    craynetwork:4" -> [{"name": "gpu", "type": "a100", "count": 2, "index":
    "0-1"}, {"name": "craynetwork", "count": 4}]."""
    items = []
    for item in _top_level_split(detail or ""):
        head, _, rest = item.partition("(")
        parts = [p for p in head.strip().split(":")]
        if not parts or not parts[0] or parts[0] == "(null)":
            continue
        entry: dict = {"name": parts[0]}
        count = None
        if len(parts) > 1 and parts[-1].isdigit():
            count = int(parts.pop())
        if len(parts) > 1:
            entry["type"] = ":".join(parts[1:])
        if count is not None:
            entry["count"] = count
        if rest.startswith("IDX:"):
            entry["index"] = rest[len("IDX:"):].rstrip(")")
        items.append(entry)
    return items


def _top_level_split(text: str) -> list[str]:
    """Split on commas outside parentheses ("gpu:2(IDX:0,2),mps:1")."""
    items, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    if current:
        items.append(current)
    return [item.strip() for item in items if item.strip()]
