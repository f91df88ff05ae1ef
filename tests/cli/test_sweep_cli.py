"""`sim sweep` / `sim sensitivity` on the command line.

The first tests patch the scenario loader and run function with stand-ins (fast, no engine);
the last ones drive the real engine through a subprocess, including a kill -9 and --resume.
"""

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from tests.sweep import fakes
from tests.sweep.conftest import same_table

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "sadr_returns.yaml"


@pytest.fixture
def toy(monkeypatch):
    """`sim sweep anything.yaml` sweeps the toy model."""
    driver = importlib.import_module("sim.sweep.driver")
    monkeypatch.setattr(driver, "_load", lambda s: (fakes.TOY, str(s)))
    monkeypatch.setattr(driver, "_default_hash", fakes.toy_hash)
    monkeypatch.setattr(driver, "sim_run", fakes.toy_run)


def cli(*argv: str) -> int:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    return exc.value.code


def one_line_error(capsys, field: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"<command line>:1:1: {field}: "), err
    return err


def test_sweep_writes_results_and_prints_points(toy, tmp_path, capsys):
    out = tmp_path / "sw"
    code = cli("sweep", "toy.yaml", "--set", "turnout=0.2:0.8", "--set", "delay=0,90",
               "--n", "2", "--replications", "3", "--out", str(out))
    assert code == 0
    printed = capsys.readouterr().out
    assert "Outcomes per parameter point" in printed and "sudani" in printed
    assert "12 runs, 0 failed" in printed
    df = pd.read_parquet(out / "results.parquet")
    assert len(df) == 12 and set(df["param.delay"]) == {0, 90}
    record = json.loads((out / "sweep.json").read_text())
    assert record["scenario_path"] == "toy.yaml" and record["sweep"]["n"] == 2


@pytest.mark.parametrize("argv, field", [
    (["--set", "turnuot=0:1"], "--set"),
    (["--set", "turnout=1:2:3"], "--set"),
    (["--set", "turnout"], "--set"),
    (["--n", "0"], "--n"),
    (["--workers", "0"], "--workers"),
    (["--replications", "0"], "--replications"),
    (["--sample", "sobol", "--n", "100"], "--n"),
    (["--scheduler", "no address"], "--scheduler"),
    (["--executor", "local", "--scheduler", "tcp://127.0.0.1:8786"], "--scheduler"),
    (["--analyse"], "--analyse"),
    (["--second-order"], "--second-order"),
    (["--sample", "morris", "--set", "delay=0,30"], "--set"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(toy, tmp_path, capsys, argv, field):
    out = tmp_path / "sw"
    assert cli("sweep", "toy.yaml", *argv, "--out", str(out)) == 2
    one_line_error(capsys, field)
    assert not out.exists()


def test_unknown_parameter_names_the_declared_ones(toy, tmp_path, capsys):
    assert cli("sweep", "toy.yaml", "--set", "x=1", "--out", str(tmp_path / "o")) == 2
    assert "declares: turnout, sadr_strength, delay" in one_line_error(capsys, "--set")


def test_unreachable_scheduler_is_refused(toy, tmp_path, capsys, monkeypatch):
    executors = importlib.import_module("sim.sweep.executors")
    monkeypatch.setattr(executors.DaskExecutor.__init__, "__defaults__", (None, 0.5, 60.0, None))
    out = tmp_path / "sw"
    assert cli("sweep", "toy.yaml", "--scheduler", "tcp://127.0.0.1:9", "--out", str(out)) == 2
    assert "cannot reach tcp://127.0.0.1:9" in one_line_error(capsys, "--scheduler")
    assert not out.exists()


@pytest.mark.parametrize("argv, runs", [
    (["--set", "delay=0,30,90"], 3),
    (["--set", "turnout=0.4"], 1),
    ([], 5 * 5 * 5),
    (["--set", "turnout=0.4", "--set", "delay=0,30"], 2),
    (["--set", "turnout=0.2:0.8", "--set", "delay=30", "--set", "sadr_strength=1,2"], 10),
])
def test_every_set_form_alone_or_combined(toy, tmp_path, capsys, argv, runs):
    out = tmp_path / "sw"
    assert cli("sweep", "toy.yaml", *argv, "--replications", "2", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert f"{2 * runs} runs, 0 failed" in captured.out
    points = f"{runs:,} point{'s' * (runs != 1)} x 2 replications = {2 * runs:,} runs"
    first = captured.err.splitlines()[0]
    assert first.startswith(f"sweep: {points}; about ") and "ms per run" in first
    # stderr is not a terminal here: progress comes as plain lines, the last one complete
    assert f"sweep: {2 * runs:,}/{2 * runs:,} runs (100%)" in captured.err
    assert "\x1b[" not in captured.err


def test_a_design_above_max_runs_is_refused_with_how_to_raise_it(toy, tmp_path, capsys):
    out = tmp_path / "sw"
    assert cli("sweep", "toy.yaml", "--n", "50", "--out", str(out)) == 2
    err = one_line_error(capsys, "--max-runs")
    assert "125,000 runs" in err and "--max-runs 125000" in err
    assert not out.exists()
    assert cli("sweep", "toy.yaml", "--n", "3", "--max-runs", "26", "--out", str(out)) == 2
    capsys.readouterr()
    assert cli("sweep", "toy.yaml", "--n", "3", "--max-runs", "27", "--out", str(out)) == 0


def test_out_of_range_values_are_refused_like_sim_run(toy, tmp_path, capsys):
    out = tmp_path / "sw"
    assert cli("sweep", "toy.yaml", "--set", "delay=0,120", "--out", str(out)) == 2
    assert "delay: 120 is outside the declared range [0, 90]" in one_line_error(capsys, "--set")
    assert not out.exists()


def test_a_scheduler_without_workers_waits_then_one_line_exit_2(toy, tmp_path, capsys):
    from distributed import LocalCluster

    out = tmp_path / "sw"
    with LocalCluster(n_workers=0, dashboard_address=None, processes=True) as cluster:
        code = cli("sweep", "toy.yaml", "--scheduler", cluster.scheduler_address,
                   "--wait", "0.2", "--out", str(out))
    assert code == 2
    # the command's own lines: the test hosts the scheduler in this process, so under load its
    # logger may add a line too ("Event loop was unresponsive in Scheduler for 3.2s"), which a
    # user of a real scheduler never sees from `sim sweep`
    # (dask logs as "<time> - distributed.<module> - <level> - <message>")
    lines = [line for line in capsys.readouterr().err.splitlines()
             if " - distributed." not in line]
    waiting, error = lines
    assert waiting.startswith("waiting for dask workers to join")
    assert error.startswith("<command line>:1:1: --wait: no dask worker joined")
    assert not out.exists()


def test_non_empty_dir_and_mismatched_resume(toy, tmp_path, capsys):
    out = tmp_path / "sw"
    args = ["sweep", "toy.yaml", "--set", "turnout=0.2:0.8", "--n", "2", "--out", str(out)]
    assert cli(*args) == 0
    capsys.readouterr()
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert cli(*args) == 2
    assert "not empty; pass --resume" in one_line_error(capsys, "--out")
    assert cli(*args, "--resume", "--seed", "1") == 2
    assert "seed 0 -> 1" in one_line_error(capsys, "--resume")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert cli(*args, "--resume") == 0  # same arguments: accepted (nothing left to run)


def test_the_resume_estimate_counts_the_runs_left(toy, tmp_path, capsys):
    out = tmp_path / "sw"
    args = ["sweep", "toy.yaml", "--set", "delay=0,30,90", "--out", str(out)]
    assert cli(*args, "--replications", "2") == 0
    capsys.readouterr()
    assert cli(*args, "--replications", "5", "--resume") == 0  # grows: 9 of 15 runs to do
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("sweep: 3 points x 5 replications = 15 runs; 9 left to run; "), first
    assert cli(*args, "--replications", "5", "--resume") == 0  # finished: nothing to do
    first = capsys.readouterr().err.splitlines()[0]
    assert first == "sweep: 3 points x 5 replications = 15 runs; nothing left to run", first


def test_morris_screening_and_noise_on_the_command_line(toy, tmp_path, capsys):
    out = tmp_path / "morris"
    assert cli("sweep", "toy.yaml", "--set", "turnout=0.2:0.8", "--set",
               "sadr_strength=0.5:2", "--sample", "morris", "--n", "6", "--replications", "3",
               "--out", str(out), "--analyse") == 0
    printed = capsys.readouterr().out
    assert "Morris screening" in printed and "noise" in printed
    assert cli("sensitivity", str(out), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    seats = result["outcomes"]["seats.sadrists"]
    assert seats["sadr_strength"]["mu_star"] > seats["turnout"]["mu_star"]
    assert 0 < result["noise"]["seats.sadrists"]["noise_share"] < 1
    assert json.loads((out / "sensitivity.json").read_text())["method"] == "morris"


def test_sensitivity_command(toy, tmp_path, capsys):
    out = tmp_path / "sobol"
    assert cli("sweep", "toy.yaml", "--set", "turnout=0.2:0.8", "--set",
               "sadr_strength=0.5:2", "--sample", "sobol", "--n", "32", "--replications", "2",
               "--out", str(out), "--analyse") == 0
    assert "Sobol indices" in capsys.readouterr().out
    assert cli("sensitivity", str(out), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    seats = result["outcomes"]["seats.sadrists"]
    assert seats["sadr_strength"]["ST"] > seats["turnout"]["ST"]
    grid = tmp_path / "grid"
    assert cli("sweep", "toy.yaml", "--n", "2", "--out", str(grid)) == 0
    capsys.readouterr()
    assert cli("sensitivity", str(grid)) == 2
    assert "grid sweep" in one_line_error(capsys, "DIR")


# --- the real engine -----------------------------------------------------------------------

def sim_cli(*argv: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *argv], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), **kw)


REAL = ["--set", "sadr_return_day=60:240", "--set", "consensus=0.3,0.9", "--n", "3",
        "--replications", "2", "--seed", "4"]  # 12 runs of the real engine


@pytest.fixture(scope="module")
def uninterrupted():
    import sim

    return sim.sweep(str(SCENARIO), {"sadr_return_day": "60:240", "consensus": "0.3,0.9"},
                     n=3, replications=2, seed=4, workers=2)


def test_real_engine_same_table_for_workers_and_executors(uninterrupted):
    import sim

    kw = {"n": 3, "replications": 2, "seed": 4}
    params = {"sadr_return_day": "60:240", "consensus": "0.3,0.9"}
    serial = sim.sweep(sim.load_scenario(SCENARIO), params, workers=1, **kw)
    distributed = sim.sweep(str(SCENARIO), params, workers=2, executor="dask", **kw)
    assert len(serial) == 12 and (serial["status"] == "ok").all()
    assert serial["seats.sadrists"].notna().all()
    assert (serial[[c for c in serial.columns if c.startswith("seats.")]].sum(axis=1)
            == 329).all()
    same_table(serial, uninterrupted)
    same_table(serial, distributed)


def test_real_engine_kill_9_then_resume_equals_uninterrupted(tmp_path, uninterrupted):
    """kill -9 at a known point: the sweep freezes itself (SIGSTOP) once its first part is on
    disk, and only then is it killed, so the test never races a sweep that finishes first."""
    out = tmp_path / "sw"
    argv = ["sweep", str(SCENARIO), *REAL, "--out", str(out)]
    proc = subprocess.Popen([sys.executable, "-m", "sim", *argv, "--flush-seconds", "0",
                             "--halt-after-parts", "1"],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while True:  # until the sweep has stopped itself (or died, which fails below)
            pid, status = os.waitpid(proc.pid, os.WNOHANG | os.WUNTRACED)
            if pid:
                assert os.WIFSTOPPED(status), f"sweep ended before halting: status {status}"
                break
            assert time.monotonic() < deadline, "sweep never halted"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (out / "results.parquet").exists()
    parts = pd.concat(pd.read_parquet(p) for p in (out / "parts").glob("part-*.parquet"))
    assert 0 < len(parts) < 12

    again = sim_cli(*argv)
    assert again.returncode == 2 and "pass --resume" in again.stderr
    resumed = sim_cli(*argv, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "12 runs, 0 failed" in resumed.stdout
    table = pd.read_parquet(out / "results.parquet")
    assert list(table["run_id"]) == list(range(12))
    same_table(table, uninterrupted)
    record = json.loads((out / "sweep.json").read_text())
    import sim

    assert record["complete"] and record["scenario_hash"] == sim.scenario_hash(
        sim.load_scenario(SCENARIO))
    assert record["package_version"] == sim.package_version()


def test_real_engine_sobol_and_sensitivity(tmp_path, capsys):
    out = tmp_path / "sobol"
    assert cli("sweep", str(SCENARIO), "--set", "sadr_return_day=60:240", "--set",
               "consensus=0.3:0.9", "--sample", "sobol", "--n", "4", "--out", str(out),
               "--analyse") == 0
    printed = capsys.readouterr().out
    assert "Sobol indices" in printed
    assert cli("sensitivity", str(out), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["problem"]["names"] == ["consensus", "sadr_return_day"]  # declared order
    assert result["outcomes"] and all(
        set(by_param) == {"sadr_return_day", "consensus"}
        for by_param in result["outcomes"].values())


def test_real_engine_list_only_and_no_set(tmp_path):
    import sim

    listed = sim.sweep(str(SCENARIO), {"consensus": "0.3,0.9"}, replications=2)
    assert len(listed) == 4 and (listed["status"] == "ok").all()
    fixed = sim.sweep(str(SCENARIO), {"consensus": 0.5}, replications=2)
    assert len(fixed) == 2 and (fixed["param.consensus"] == 0.5).all()


def test_real_engine_outcome_option(tmp_path, capsys):
    out = tmp_path / "o"
    assert cli("sweep", str(SCENARIO), "--set", "consensus=0.5", "--outcome",
               "big=seats(sadrists) >= 60", "--out", str(out)) == 0
    df = pd.read_parquet(out / "results.parquet")
    assert (df["big"] == (df["seats.sadrists"] >= 60)).all()
    record = json.loads((out / "sweep.json").read_text())
    assert record["sweep"]["outcomes"] == {"big": "seats(sadrists) >= 60"}
    capsys.readouterr()
    assert cli("sweep", str(SCENARIO), "--outcome", "big=seats(nobody) > 1",
               "--out", str(tmp_path / "p")) == 2
    assert "big: column" in one_line_error(capsys, "--outcome")


def test_discover_on_a_fresh_real_sweep(tmp_path, capsys):
    """PRIM must find the box it is asked about: the runs where Sadr returns after day 200."""
    out = tmp_path / "d"
    assert cli("sweep", str(SCENARIO), "--set", "sadr_return_day=30:480", "--set",
               "consensus=0.3:0.9", "--sample", "lhs", "--n", "40", "--out", str(out)) == 0
    capsys.readouterr()
    assert cli("discover", str(out), "--where", "sadr_return_day > 200 and status == 'ok'",
               "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["prim"]["box"]) == {"sadr_return_day"}
    assert 190 <= result["prim"]["box"]["sadr_return_day"]["low"] <= 215
    scores = result["scores"]
    assert result["prim"]["density"] == 1.0 and max(scores, key=scores.get) == "sadr_return_day"
    assert cli("discover", str(out), "--where", "caretaker or not caretaker") == 2
    printed = capsys.readouterr()
    assert printed.out == "" and "holds in all of the" in printed.err
