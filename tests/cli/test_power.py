"""`sim power` end to end, in a real subprocess: output, JSON shape, one-line errors."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sim(*args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = os.environ | {"PYTHONPATH": path}
    env["COLUMNS"] = "120"  # rich wraps to the terminal width; keep the table on one line a row
    return subprocess.run(
        [sys.executable, "-m", "sim", "power", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_table_lists_every_party_with_its_indices():
    result = sim("--quota", "51", "A=49", "B=48", "C=3")
    assert result.returncode == 0, result.stderr
    for name in ("A", "B", "C"):
        assert name in result.stdout
    assert "Shapley-Shubik" in result.stdout and "Banzhaf" in result.stdout
    assert result.stdout.count("0.3333") == 6  # both indices for all three parties


def test_json_has_exactly_both_indices_summing_to_one():
    result = sim("--json", "--quota", "12", "FR=4", "DE=4", "IT=4", "BE=2", "NL=2", "LU=1")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"shapley_shubik", "banzhaf"}
    for index in data.values():
        assert list(index) == ["FR", "DE", "IT", "BE", "NL", "LU"]
        assert all(isinstance(v, float) for v in index.values())
        assert math.fsum(index.values()) == pytest.approx(1.0)
    assert data["shapley_shubik"]["FR"] == pytest.approx(14 / 60)
    assert data["banzhaf"]["LU"] == 0.0


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--quota", "51", "A=49", "B=-1"], "NAME=WEIGHT"),
        (["--quota", "51", "A=49", "B=2.5"], "NAME=WEIGHT"),
        (["--quota", "51", "A=49", "B"], "NAME=WEIGHT"),
        (["--quota", "51", "=49"], "NAME=WEIGHT"),
        (["--quota", "51", "A=49", "A=3"], "NAME=WEIGHT"),
        (["--quota", "51"], "NAME=WEIGHT"),
        (["--quota", "100", "A=49", "B=48"], "--quota"),
        (["--quota", "0", "A=49", "B=48"], "--quota"),
        (["--quota", "half", "A=49"], "--quota"),
        (["A=49", "B=48"], "--quota"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, field):
    result = sim(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith(f"<command line>:1:1: {field}: ")
