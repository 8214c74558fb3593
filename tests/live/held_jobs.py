"""Held jobs of srp_alice for hostile writes to aim at, so that on the shared
clusters they only ever touch jobs of the test itself.

In a test module: ``own_job = held_jobs_fixture("srpfz-x")``; a test calls
``own_job()`` for a new held job of that name. When the module ends, every
job it made and every job of srp_alice with that name is cancelled (writes
may have made more of them)."""

from __future__ import annotations

import pytest

from conftest import ALICE


def held_jobs_fixture(name: str):
    @pytest.fixture(scope="module")
    def own_job(cluster):
        made = []

        def submit() -> int:
            made.append(cluster.submit("--hold", f"--job-name={name}", "--wrap", "sleep 300"))
            return made[-1]

        yield submit
        cluster.cancel(*made)
        cluster.run("scancel", "-u", ALICE, "-n", name, check=False)

    return own_job
