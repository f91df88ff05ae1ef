"""`sim calibrate` as a user runs it: a table, `--json` with the typed structure, one-line
errors for bad values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.calibrate import MAX_REPLICATIONS, Calibration

ROOT = Path(__file__).resolve().parents[2]


def sim(*args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = os.environ | {"PYTHONPATH": path, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "sim", "calibrate", *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def test_the_table_sets_history_beside_the_model() -> None:
    result = sim("--replications", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for text in ("History", "Model", "Verdict", "156, 289, 131, 165, 382",
                 "89/325", "6 of 6 since 2006", "2021: blocking third", "382",
                 "2 runs each, seeds 0-1"):
        assert text in out, text
    assert result.stderr == ""


def test_json_is_the_typed_calibration() -> None:
    result = sim("-r", "2", "--seed", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    report = Calibration.model_validate(data)
    assert report.replications == 2 and report.seeds == [3, 4]
    b = report.baseline
    assert b.days_to_government.history == [156, 289, 131, 165, 382]
    assert b.days_to_government.model.runs == 2
    assert b.sitting_pm_share.of == 1          # the new list (Nasr 2018); Sudani's is new
    assert [p.scenario for p in report.pm_lists] == ["hindcast_2014"]   # an established one
    assert b.pm_not_first_list.history_count == b.pm_not_first_list.history_of == 6
    assert len(report.rows) == 14  # 3 baseline rows, 10 hindcast rows, 1 for 2014
    assert {r.verdict for r in report.rows} <= {"in range", "partly", "out of range",
                                                 "no data"}


def test_the_same_seeds_give_the_same_report() -> None:
    assert sim("-r", "2", "--json").stdout == sim("-r", "2", "--json").stdout


@pytest.mark.parametrize("args, option", [
    (["--replications", "0"], "--replications"),
    (["--replications", "-3"], "--replications"),
    (["--replications", str(MAX_REPLICATIONS + 1)], "--replications"),
    (["--replications", "ten"], "--replications"),
    (["--replications", "2.5"], "--replications"),
    (["--seed", "-1"], "--seed"),
    (["--seed", "x"], "--seed"),
    (["--seed", str(2**63 - 1), "-r", "2"], "--seed"),
])
def test_bad_values_are_one_line_and_exit_2(args: list[str], option: str) -> None:
    result = sim(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"<command line>:1:1: {option}: ")
    assert result.stdout == ""


def test_a_what_if_is_set_beside_history_too() -> None:
    result = sim("-r", "2", "--scenario", "sadr_returns", "--json")
    assert result.returncode == 0, result.stderr
    report = Calibration.model_validate(json.loads(result.stdout))
    assert [w.scenario for w in report.what_ifs] == ["sadr_returns"]
    assert report.what_ifs[0].days_to_government.model.runs == 2
    labelled = [r.quantity for r in report.rows if r.quantity.endswith("(sadr_returns)")]
    assert len(labelled) == 3 and len(report.rows) == 17
    table = sim("-r", "1", "--scenario", "scenarios/sadr_returns.yaml")
    assert table.returncode == 0 and "(sadr_returns)" in table.stdout


def test_an_unknown_what_if_is_one_line_and_exit_2() -> None:
    result = sim("-r", "1", "--scenario", "no_such_scenario")
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "no_such_scenario.yaml:1:1:" in line and "not found" in line
