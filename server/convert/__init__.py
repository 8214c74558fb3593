"""Turning what Slurm prints into the objects of the REST API.

Like Slurm's own data parsers, there is one internal form of each object and,
for each API version, a small declarative map of what differs from it. The
internal form is the shape of API v0.0.44 (the first version built); a later
version's map says what it renames, retypes, adds or drops.

Sources:
- a Slurm that prints the requested version itself (``squeue --json=v0.0.44``)
  is passed through untouched;
- Slurm 22.05 prints data parser v0.0.38 (``from_v0038``);
- commands without JSON in 22.05 are read from their text (``sdiag_text``,
  ``scontrol_ping``).

Every function here is pure: text or decoded JSON in, dicts out.
"""
