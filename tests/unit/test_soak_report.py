"""The soak tool's verdict (bench/soak.py `report`): what it calls lost,
duplicated and without a 200, and when it calls RSS flat. The soak itself
runs for half an hour on a private cluster (`make soak`); its judgement is
tested here, where a wrong one would pass a bad run."""

import importlib.util
import sys
from argparse import Namespace
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parents[2] / "bench" / "soak.py"


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("soak", SOAK)
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["soak"]


def verdict(soak, submitted, found, rss, leftover=()):
    tally = soak.Tally(run_id="t", submitted=dict(submitted))
    args = Namespace(clients=1, warmup=60)
    return soak.report(args, tally, found, rss, list(leftover), 1800, "test")


def minutes(*levels):
    """One RSS sample a minute from the warm-up on."""
    return [(60.0 + 60 * i, float(mb)) for i, mb in enumerate(levels)]


STEADY = minutes(*([200] * 30))


def test_every_answered_job_found_once_is_good(soak):
    text, good = verdict(soak, {"a": 1, "b": 2}, {"a": {1}, "b": {2}}, STEADY)
    assert good and "| 0 | 0 | 0 |" in text


@pytest.mark.parametrize("found", [
    {"a": {1}},  # b answered 200, not in Slurm: lost
    {"a": {1}, "b": {3}},  # b in Slurm under another id than answered: lost
    {"a": {1}, "b": {2, 3}},  # b twice: duplicated
    {"a": {1}, "b": {2}, "c": {4}},  # c never answered 200 (its entry is None)
])
def test_lost_duplicated_or_unanswered_jobs_fail_the_run(soak, found):
    _, good = verdict(soak, {"a": 1, "b": 2, "c": None}, found, STEADY)
    assert not good


def test_a_command_left_running_fails_the_run(soak):
    _, good = verdict(soak, {"a": 1}, {"a": {1}}, STEADY, leftover=["squeue --json"])
    assert not good


def test_a_passing_peak_is_not_growth(soak):
    """RSS rises while a large answer is made and falls after: one sample
    taken then is no trend."""
    text, good = verdict(soak, {"a": 1}, {"a": {1}}, minutes(*([200] * 14 + [310] + [205] * 15)))
    assert good and "flat" in text


def test_a_steady_rise_is_growth(soak):
    text, good = verdict(soak, {"a": 1}, {"a": {1}}, minutes(*(200 + 3 * i for i in range(30))))
    assert not good and "GREW" in text
