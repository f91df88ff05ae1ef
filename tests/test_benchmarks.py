"""The benchmarks still run: each script the README's Performance section names is run as a
user would, at its smallest size, and must finish cleanly and print its figures.  No figure is
checked here (timings belong to the scripts, never to tests); this only keeps a benchmark from
rotting when the code it measures changes (bench_elections.py read quota seats as bare numbers
for a night after the world began citing them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script, args, expect", [
    ("bench_run.py", ["--repeats", "2", "--breakdown"], "two years / M/M/1"),
    ("bench_elections.py", ["--repeats", "1", "--inputs", "2"], "ms per national election"),
])
def test_a_benchmark_runs_to_its_figures(script: str, args: list[str], expect: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert expect in done.stdout
