"""The README's single-read table (bench/summary.py): a run that paired
each read with the bare command just before it shows the median of those
ratios; an older run, divided by its run-start bare time, is marked *."""

import importlib.util
import json
from pathlib import Path

import pytest

SUMMARY = Path(__file__).resolve().parents[2] / "bench" / "summary.py"


@pytest.fixture
def summary(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bench_summary", SUMMARY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "RESULTS", tmp_path)
    return module


def write_run(folder: Path, release: str, jobs: int, single: dict, bare: float) -> None:
    data = {"rows": [], "cli": {"jobs": [["squeue", "--json"], bare]}, "single": single}
    (folder / f"slurm-{release}-{jobs}-jobs.json").write_text(json.dumps(data))


def single_rows(summary, capsys) -> list[str]:
    summary.main()
    return [line for line in capsys.readouterr().out.splitlines() if "| jobs" in line]


def test_a_paired_run_shows_the_median_of_its_ratios_not_the_run_start_time(summary, tmp_path, capsys):
    # 0.060 s against a run-start bare time of 0.040 would be 1.50x; the
    # bare commands just before the reads make it 1.10x.
    write_run(tmp_path, "22.05.8", 200, {"slurmrestpy jobs": 0.060, "slurmrestpy jobs x": 1.10,
                                         "slurmrestd jobs": 0.050, "slurmrestd jobs x": 0.90}, bare=0.040)
    [row] = single_rows(summary, capsys)
    assert "0.060 (1.10x)" in row and "0.050 (0.90x)" in row
    assert "*" not in row


def test_an_unpaired_run_is_divided_by_its_bare_time_and_marked(summary, tmp_path, capsys):
    write_run(tmp_path, "25.11.7", 200, {"slurmrestpy jobs": 0.060, "slurmrestd jobs": 0.050}, bare=0.040)
    [row] = single_rows(summary, capsys)
    assert "0.060 (1.50x*)" in row and "0.050 (1.25x*)" in row
