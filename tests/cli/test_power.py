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


def test_explain_names_the_coalitions_that_need_a_party():
    done = sim("--quota", "3", "--explain", "A=2", "B=1", "C=1")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "Of the 4 coalitions the others can form, 1 need it" in text
    assert "Smallest such: A." in text


def test_several_quotas_json():
    done = sim("--quota", "165,220", "a=150", "b=100", "c=79", "--json")
    payload = json.loads(done.stdout)
    assert set(payload) == {"165", "220"}
    # at 165 any two of the three win (all equal); at 220 b + c = 179 falls short
    assert payload["165"]["banzhaf"]["c"] == pytest.approx(1 / 3)
    assert payload["220"]["banzhaf"]["c"] == pytest.approx(1 / 5)


@pytest.mark.parametrize("args", [
    ["--quota", "100000000", "A=100000000", "B=100000000"],
    ["--quota", "600", *[f"p{i}={i % 7 + 1}" for i in range(300)]],
    ["--quota", "9" * 5000, "A=1"],
    ["--quota", "1", "A=" + "9" * 5000],
])
def test_problem_size_is_bounded_with_one_line(args):
    done = sim(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("<command line>:1:1: ")


def test_markup_and_control_codes_in_names_are_printed_as_text():
    done = sim("--quota", "2", "--explain", "[/bold]=1", "\x1b]0;x\x07=2",
               "[link=file:///etc/passwd]x=1")
    assert done.returncode == 0, done.stderr
    assert "[/bold]" in done.stdout and "[link=file:///etc/passwd]x" in done.stdout
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
