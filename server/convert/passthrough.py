"""What a Slurm printing the requested API version itself needs before it is
sent on: almost nothing. slurmrestd's own output has one known defect we do
not repeat: `null` for a property the schema does not let be null (25.11
prints `"job_resources": null` for a job holding no resources). Such a
property is left out, which is what the schema allows and what an older
Slurm's converted output does."""

from __future__ import annotations


def without_nulls(item: dict) -> dict:
    """The object minus its properties whose value is null (none of the
    objects passed through has a nullable property)."""
    return {key: value for key, value in item.items() if value is not None}
