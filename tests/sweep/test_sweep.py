"""The sweep machinery end to end with stand-in models (fast, no engine needed)."""

import json
import os

import pandas as pd
import pytest

from sim.errors import InputError
from sim.sweep import sweep
from tests.sweep import fakes
from tests.sweep.conftest import same_table

PARAMS = {"turnout": "0.2:0.8", "delay": "0,30,90"}


@pytest.fixture(scope="module")
def serial():
    return sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5,
                 runner=fakes.toy_run, hasher=fakes.toy_hash)


def test_rows_columns_and_record(tmp_path, toy_kw):
    out = tmp_path / "sw"
    df = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5, out=out, **toy_kw)
    assert len(df) == 36 and list(df["run_id"]) == list(range(36))
    assert {"seed", "param.turnout", "param.sadr_strength", "param.delay", "status", "error",
            "seats.sadrists", "prime_minister", "government.size", "casualties",
            "influence.sol"} <= set(df.columns)
    assert (df["status"] == "ok").all() and df["error"].isna().all()
    assert df["seed"].nunique() == 36
    record = json.loads((out / "sweep.json").read_text())
    assert record["complete"] and record["runs"] == 36 and record["scenario"] == "toy"
    assert record["scenario_hash"] == fakes.toy_hash(fakes.TOY)
    assert record["sweep"]["parameters"]["delay"] == {"values": [0, 30, 90]}
    assert "package_version" in record
    assert sorted(p.name for p in out.iterdir()) == [
        "history.parquet", "parts", "results.parquet", "sweep.json"]
    assert not any((out / "parts").iterdir())
    same_table(df, pd.read_parquet(out / "results.parquet"))


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_two_workers_give_the_same_table(serial, toy_kw, method, tmp_path):
    from sim.sweep.driver import Sweep
    from sim.sweep.executors import PoolExecutor

    plan = Sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5, out=tmp_path / "o", **toy_kw)
    with PoolExecutor(2, method) as pool:
        plan.execute(pool)
    assert pool.method == method
    parallel = plan.frame()
    assert not parallel["worker"].str.endswith(f":{os.getpid()}").any()  # ran in the pool
    same_table(serial, parallel)


def test_api_workers_2_uses_the_pool(serial, toy_kw):
    parallel = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5, workers=2, **toy_kw)
    assert not parallel["worker"].str.endswith(f":{os.getpid()}").any()
    same_table(serial, parallel)


def test_dask_local_cluster_gives_the_same_table(serial, toy_kw):
    distributed = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5, workers=2,
                        executor="dask", **toy_kw)
    same_table(serial, distributed)


def test_small_flushes_stream_many_parts_and_same_result(serial, toy_kw, tmp_path):
    df = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5, out=tmp_path / "s",
               flush_rows=1, **toy_kw)
    same_table(serial, df)


def test_seed_changes_results(serial, toy_kw):
    other = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=6, **toy_kw)
    assert not other["seed"].equals(serial["seed"])


def test_failed_runs_are_rows_and_the_sweep_goes_on():
    df = sweep(fakes.TOY, PARAMS, n=2, runner=fakes.flaky_run, hasher=fakes.toy_hash)
    failed = df[df["param.delay"] == 90]
    assert len(failed) == 2 and (failed["status"] == "failed").all()
    assert (failed["error"] == "RuntimeError: engine blew up on purpose").all()
    assert failed["seats.sadrists"].isna().all()
    assert (df[df["param.delay"] != 90]["status"] == "ok").all()


def test_non_empty_dir_is_refused_without_resume(tmp_path, toy_kw):
    out = tmp_path / "sw"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty; pass --resume") as exc:
        sweep(fakes.TOY, PARAMS, out=out, **toy_kw)
    assert exc.value.problems[0].field == "--out"
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    with pytest.raises(InputError, match="holds no sweep.json"):
        sweep(fakes.TOY, PARAMS, out=out, resume=True, **toy_kw)


def test_resume_with_other_arguments_is_refused(tmp_path, toy_kw):
    out = tmp_path / "sw"
    sweep(fakes.TOY, PARAMS, n=2, out=out, **toy_kw)
    before = (out / "sweep.json").read_text()
    with pytest.raises(InputError, match=r"different sweep \(n 2 -> 3\)"):
        sweep(fakes.TOY, PARAMS, n=3, out=out, resume=True, **toy_kw)
    with pytest.raises(InputError, match="scenario changed"):
        sweep(fakes.Scenario("toy", dict(fakes.TOY.parameters, extra=fakes.Param(1, (0, 2)))),
              PARAMS, n=2, out=out, resume=True, **toy_kw)
    assert (out / "sweep.json").read_text() == before
    # Same arguments (other workers are fine): nothing left to do, same table.
    again = sweep(fakes.TOY, PARAMS, n=2, out=out, resume=True, workers=2, **toy_kw)
    assert len(again) == 6


def test_resume_on_a_fresh_dir_just_runs(tmp_path, toy_kw):
    df = sweep(fakes.TOY, PARAMS, n=2, out=tmp_path / "new", resume=True, **toy_kw)
    assert len(df) == 6


def test_bad_sizes_write_nothing(tmp_path, toy_kw):
    for kw in ({"n": 0}, {"workers": 0}, {"replications": 0}):
        with pytest.raises(InputError):
            sweep(fakes.TOY, PARAMS, out=tmp_path / "x", **kw, **toy_kw)
    with pytest.raises(InputError, match="declares: turnout, sadr_strength, delay"):
        sweep(fakes.TOY, {"nope": "1"}, out=tmp_path / "x", **toy_kw)
    with pytest.raises(InputError) as exc:
        sweep(fakes.TOY, PARAMS, executor="dask", scheduler="not an address",
              out=tmp_path / "x", **toy_kw)
    assert exc.value.problems[0].field == "--scheduler"
    assert not (tmp_path / "x").exists()


def test_progress_is_reported(toy_kw):
    seen = []
    sweep(fakes.TOY, PARAMS, n=2, progress=lambda d, t: seen.append((d, t)), **toy_kw)
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)


def test_uncreatable_out_dir_is_an_input_error(tmp_path, toy_kw):
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="cannot create") as exc:
        sweep(fakes.TOY, PARAMS, out=tmp_path / "file" / "sub", **toy_kw)
    assert exc.value.problems[0].field == "--out"


def test_an_existing_dask_scheduler_gives_the_same_table(serial, toy_kw):
    """The way a researcher outgrows one machine: connect to a scheduler that already runs."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        remote = sweep(fakes.TOY, PARAMS, n=4, replications=3, seed=5,
                       executor="dask", scheduler=cluster.scheduler_address, **toy_kw)
    assert not remote["worker"].str.endswith(f":{os.getpid()}").any()
    same_table(serial, remote)


def test_a_serial_sweep_freezes_the_heap_only_while_it_runs(toy_kw):
    import gc

    seen = []

    def watching(scenario, seed=0, parameters=None):
        seen.append(gc.get_freeze_count())
        return fakes.toy_run(scenario, seed, parameters)

    before = gc.get_freeze_count()
    assert before == 0  # nothing else in the test process froze it
    sweep(fakes.TOY, {"delay": "0,30"}, runner=watching, hasher=fakes.toy_hash)
    assert seen and all(count > 0 for count in seen)  # the loaded heap is out of reach
    assert gc.get_freeze_count() == 0  # and given back afterwards
    gc.freeze()  # a caller who froze their own heap keeps it frozen, as it was
    try:
        frozen = gc.get_freeze_count()
        sweep(fakes.TOY, {"delay": "0,30"}, runner=watching, hasher=fakes.toy_hash)
        assert gc.get_freeze_count() > frozen // 2  # not thawed (freed objects leave it)
    finally:
        gc.unfreeze()
