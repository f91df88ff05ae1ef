"""Outcomes worth analysing: typed columns that survive failed runs, indicators, history,
provenance in the Parquet metadata, and researchers' own outcome expressions."""

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.errors import InputError
from sim.sweep import sweep
from tests.sweep import fakes

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "sadr_returns.yaml"


@pytest.fixture(scope="module")
def flaky(tmp_path_factory):
    out = tmp_path_factory.mktemp("flaky") / "sw"
    df = sweep(fakes.TOY, {"delay": "0,90", "turnout": "0.2:0.8"}, n=2, replications=2,
               out=out, runner=fakes.flaky_run, hasher=fakes.toy_hash)
    return out, df


def test_nullable_dtypes_survive_failed_runs_and_a_pandas_round_trip(flaky, tmp_path):
    out, df = flaky
    failed = df["status"] == "failed"
    assert failed.sum() == 4 and (~failed).sum() == 4
    assert str(df["casualties"].dtype) == "Int64" and df.loc[failed, "casualties"].isna().all()
    assert str(df["state_sanctioned"].dtype) == "boolean"
    assert str(df["run_id"].dtype) == "Int64" and str(df["param.delay"].dtype) == "Int64"
    assert str(df["in_government.sadrists"].dtype) == "boolean"
    again = tmp_path / "again.parquet"
    df.to_parquet(again)
    back = pd.read_parquet(again)
    pd.testing.assert_frame_equal(df, back)


def test_indicators_are_false_in_finished_runs_and_missing_in_failed_ones(flaky):
    _, df = flaky
    ok = df["status"] == "ok"
    pm_cols = [c for c in df.columns if c.startswith("pm.")]
    assert pm_cols and all(df.loc[ok, c].notna().all() for c in pm_cols)
    assert (df.loc[ok, pm_cols].sum(axis=1) == 1).all()  # exactly one prime minister a run
    assert df.loc[~ok, pm_cols].isna().all().all()
    assert (df.loc[ok, "in_government.sol"] == df.loc[ok, "government"].map(
        lambda g: "sol" in list(g))).all()


def test_sets_are_list_columns_and_names_have_no_spaces(flaky):
    out, df = flaky
    field = pq.read_schema(out / "results.parquet").field("government")
    assert str(field.type) == "list<element: string>"
    assert list(df.loc[df["status"] == "ok", "government"].iloc[0]) in (
        ["sadrists", "kdp"], ["sol", "badr", "aah"])
    assert not [c for c in df.columns if " " in c]


def test_provenance_is_in_the_parquet_metadata(flaky):
    out, _ = flaky
    meta = pq.read_schema(out / "results.parquet").metadata
    record = json.loads(meta[b"sim.sweep"])
    assert record["scenario_hash"] == fakes.toy_hash(fakes.TOY)
    assert record["sweep"]["parameters"]["delay"] == {"values": [0, 90]}
    assert "package_version" in record


def test_outcome_expressions_need_the_engine_runner():
    with pytest.raises(InputError) as exc:
        sweep(fakes.TOY, {}, outcomes={"x": "casualties > 3"}, runner=fakes.toy_run,
              hasher=fakes.toy_hash)
    assert exc.value.problems[0].field == "--outcome"


# --- the real engine -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "sw"
    df = sweep(str(SCENARIO), {"sadr_restraint": "0.1,0.9"}, replications=2, out=out,
               outcomes={"sadrists_in": "in_government(sadrists)",
                         "bloody": "casualties > 20 or clashes >= 2"})
    return out, df


def test_real_engine_outcomes(real):
    _, df = real
    assert (df["status"] == "ok").all()
    assert str(df["sadrists_in"].dtype) == "boolean"
    assert (df["bloody"] == ((df["casualties"] > 20) | (df["clashes"] >= 2))).all()
    assert (df["sadrists_in"] == df["in_government.sadrists"]).all()
    assert "collapses" in df and str(df["collapses"].dtype) == "Int64"
    assert any(c.startswith("law.") for c in df.columns)
    assert any(c.startswith("pm.") for c in df.columns)
    for key in ("government_formed", "caretaker", "days_to_government"):
        if key in df:  # added to the summary by the formation work; read when present
            assert df[key].notna().any() or key == "days_to_government"


def test_real_engine_history_is_long_and_tidy(real):
    out, df = real
    history = pd.read_parquet(out / "history.parquet")
    assert list(history.columns) == ["run_id", "point", "replication", "date", "variable",
                                     "value"]
    assert set(history["run_id"]) == set(df["run_id"])
    assert {"seats.sadrists", "influence.sadrists"} <= set(history["variable"])
    one = history[(history["run_id"] == 0) & (history["variable"] == "seats.sadrists")]
    assert one["date"].is_monotonic_increasing and len(one) > 12
    assert not (out / "parts").exists() or not any((out / "parts").iterdir())


def test_bad_outcome_expression_is_one_line(tmp_path):
    with pytest.raises(InputError) as exc:
        sweep(str(SCENARIO), {}, outcomes=["x=in_government(nobody)"], out=tmp_path / "o")
    problem = exc.value.problems[0]
    assert problem.field == "--outcome" and problem.message.startswith("x: column ")
    assert not (tmp_path / "o").exists()
