"""Growing a sweep keeps every run: more replications, or more Sobol base points."""

import pandas as pd
import pytest

from sim.errors import InputError
from sim.sweep import sweep
from sim.sweep.driver import Sweep
from sim.sweep.executors import SerialExecutor
from tests.sweep import fakes
from tests.sweep.conftest import same_table

PARAMS = {"turnout": "0.2:0.8", "delay": "0,30"}
KW = {"runner": fakes.toy_run, "hasher": fakes.toy_hash}


def grow(out, progress_log, **kw):
    plan = Sweep(fakes.TOY, kw.pop("parameters", PARAMS), out=out, resume=True, **KW, **kw)
    with SerialExecutor() as ex:
        plan.execute(ex, lambda done, total: progress_log.append((done, total)))
    return plan.frame()


def test_more_replications_keep_every_run_and_renumber(tmp_path):
    out = tmp_path / "sw"
    sweep(fakes.TOY, PARAMS, n=3, replications=2, seed=4, out=out, **KW)
    log: list = []
    grown = grow(out, log, n=3, replications=5, seed=4)
    assert log[0] == (12, 30)  # the 12 runs on disk were kept, 18 were added
    fresh = sweep(fakes.TOY, PARAMS, n=3, replications=5, seed=4, **KW)
    same_table(grown, fresh)
    history = pd.read_parquet(out / "history.parquet")
    assert list(history["run_id"].unique()) == list(range(30))
    joined = history[history["date"] == pd.Timestamp("2024-07-01").date()].merge(
        grown[["run_id", "seats.sadrists"]], on="run_id")
    assert (joined["value"] == joined["seats.sadrists"]).all()


def test_more_sobol_points_extend_the_sequence(tmp_path):
    params = {"turnout": "0.2:0.8", "sadr_strength": "0.5:2"}
    out = tmp_path / "sobol"
    sweep(fakes.TOY, params, sample="sobol", n=8, seed=2, out=out, **KW)
    log: list = []
    grown = grow(out, log, parameters=params, sample="sobol", n=32, seed=2)
    assert log[0] == (8 * 4, 32 * 4)
    fresh = sweep(fakes.TOY, params, sample="sobol", n=32, seed=2, **KW)
    same_table(grown, fresh)


@pytest.mark.parametrize("first, then, message", [
    ({"sample": "lhs", "n": 4}, {"sample": "lhs", "n": 8}, "n 4 -> 8"),
    ({"n": 3}, {"n": 4}, "n 3 -> 4"),
    ({"n": 3, "replications": 3}, {"n": 3, "replications": 2}, "replications 3 -> 2"),
])
def test_designs_that_cannot_grow_are_refused(tmp_path, first, then, message):
    out = tmp_path / "sw"
    sweep(fakes.TOY, PARAMS, out=out, **KW, **first)
    with pytest.raises(InputError, match=message) as exc:
        Sweep(fakes.TOY, PARAMS, out=out, resume=True, **KW, **then)
    assert "grows only by more --replications" in str(exc.value)


def test_common_random_numbers_give_every_point_the_same_seeds():
    df = sweep(fakes.TOY, PARAMS, n=3, replications=3, crn=True, **KW)
    by_rep = df.groupby("replication")["seed"].nunique()
    assert (by_rep == 1).all() and df.groupby("point")["seed"].nunique().eq(3).all()
    plain = sweep(fakes.TOY, PARAMS, n=3, replications=3, **KW)
    assert plain["seed"].nunique() == len(plain)
