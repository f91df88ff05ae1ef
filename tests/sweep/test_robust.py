"""Sweeps never crash or run away: every spec form, size limits, ranges, lost workers."""

import pandas as pd
import pytest

from sim.errors import InputError
from sim.sweep import sweep
from tests.sweep import fakes
from tests.sweep.conftest import same_table


@pytest.mark.parametrize("parameters, points", [
    ({"delay": "0,30,90"}, 3),              # a list only
    ({"turnout": "0.3"}, 1),                # a fixed value only
    ({}, 1),                                # replications only
    ({"turnout": [0.3, 0.6], "delay": 30}, 2),  # a list and a fixed value, from Python
    ({"turnout": (0.2, 0.8), "delay": "0,90"}, 6),  # a range and a list
])
def test_every_spec_form_alone_or_combined(parameters, points, toy_kw):
    df = sweep(fakes.TOY, parameters, n=3, replications=2, **toy_kw)
    assert len(df) == 2 * points and (df["status"] == "ok").all()
    assert df["point"].nunique() == points


def test_a_scenario_without_parameters(toy_kw):
    df = sweep(fakes.EMPTY, None, replications=4, runner=fakes.plain_run,
               hasher=fakes.toy_hash)
    assert len(df) == 4 and (df["status"] == "ok").all()
    assert not [c for c in df.columns if c.startswith("param.")]


def test_too_many_runs_is_refused_at_once_without_building_the_design(tmp_path, toy_kw):
    declared = {f"p{i}": fakes.Param(0.5, (0.0, 1.0)) for i in range(8)}
    big = fakes.Scenario("big", declared)
    with pytest.raises(InputError) as exc:  # building it would exhaust memory, not return
        sweep(big, None, n=150, out=tmp_path / "o", **toy_kw)
    problem = exc.value.problems[0]
    assert problem.field == "--max-runs" and "2.56e+17 runs" in problem.message
    assert not (tmp_path / "o").exists()
    with pytest.raises(InputError, match="--max-runs 1000"):
        sweep(fakes.TOY, None, n=10, replications=1, max_runs=999, **toy_kw)


def test_max_runs_can_be_raised(toy_kw):
    df = sweep(fakes.TOY, {"delay": "0,30,90"}, replications=2, max_runs=6, **toy_kw)
    assert len(df) == 6


@pytest.mark.parametrize("spec", ["-0.5:0.5", "0.5,1.5", "2"])
def test_values_outside_the_declared_range_are_refused(spec, toy_kw, tmp_path):
    with pytest.raises(InputError, match="outside the declared range") as exc:
        sweep(fakes.TOY, {"turnout": spec}, out=tmp_path / "o", **toy_kw)
    assert exc.value.problems[0].field == "--set"
    assert not (tmp_path / "o").exists()


PARAMS = {"turnout": "0.2:0.8", "delay": "0,30,90"}


def test_a_killed_pool_process_costs_only_its_chunk(tmp_path):
    marker = tmp_path / "killed"
    serial = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5, runner=fakes.toy_run,
                   hasher=fakes.toy_hash)
    from sim.sweep.driver import Sweep
    from sim.sweep.executors import PoolExecutor

    plan = Sweep(fakes.killing_scenario(marker), PARAMS, n=4, replications=3, seed=5,
                 out=tmp_path / "o", runner=fakes.killing_run, hasher=fakes.toy_hash)
    with PoolExecutor(2, "fork") as pool:
        plan.execute(pool)
    assert marker.exists() and plan.lost_chunks >= 1  # a process really died
    same_table(serial, plan.frame())  # ... and its runs were done again, identically


def test_a_run_that_always_kills_its_process_fails_alone(tmp_path):
    from sim.sweep.driver import MAX_ATTEMPTS, Sweep
    from sim.sweep.executors import PoolExecutor

    plan = Sweep(fakes.TOY, PARAMS, n=2, replications=2, seed=5, out=tmp_path / "o",
                 runner=fakes.always_killing_run, hasher=fakes.toy_hash)
    with PoolExecutor(2, "fork") as pool:
        plan.execute(pool)
    df = plan.frame()
    killer = df["param.delay"] == 90
    assert (df.loc[~killer, "status"] == "ok").all()
    assert (df.loc[killer, "status"] == "failed").all()
    assert df.loc[killer, "error"].str.contains(f"worker lost {MAX_ATTEMPTS} times").all()
    assert len(df) == 12 and plan.counts == {"runs": 12, "failed": 4}


def test_a_scheduler_without_workers_is_waited_on_then_refused(tmp_path, toy_kw):
    from distributed import LocalCluster

    notes = []
    from sim.sweep.executors import DaskExecutor

    with LocalCluster(n_workers=0, dashboard_address=None, processes=True) as cluster:
        ex = DaskExecutor(1, cluster.scheduler_address, wait=0.2, notify=notes.append)
        with pytest.raises(InputError) as exc:
            ex.connect()
    assert notes and "waiting for dask workers" in notes[0]
    assert exc.value.problems[0].field == "--wait"
    assert "no dask worker joined" in exc.value.problems[0].message


def test_results_keep_a_failed_column_typed(toy_kw):
    df = sweep(fakes.TOY, {"delay": "0,90"}, replications=2, runner=fakes.flaky_run,
               hasher=fakes.toy_hash)
    assert isinstance(df, pd.DataFrame) and (df["status"] == "failed").sum() == 2


def test_a_lost_dask_worker_costs_only_its_chunk(tmp_path):
    marker = tmp_path / "killed"
    serial = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5, runner=fakes.toy_run,
                   hasher=fakes.toy_hash)
    remote = sweep(fakes.killing_scenario(marker), PARAMS, n=4, replications=3, seed=5,
                   runner=fakes.killing_run, hasher=fakes.toy_hash, executor="dask", workers=2)
    assert marker.exists()  # a worker process really died (its nanny starts another)
    same_table(serial, remote)
