from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.report.load import RunData, SweepData, load, load_run, load_sweep
from tests.report import fixtures


def test_loads_a_run_directory(run_dir: Path) -> None:
    run = load(run_dir)
    assert isinstance(run, RunData)
    written = fixtures.real_run()
    assert run.by_id[0]["kind"] == "run_started"
    assert run.summary["seats"] == written.summary["seats"]
    assert run.manifest["seed"] == written.seed
    assert [e["id"] for e in run.events] == [e.id for e in written.events]
    assert run.name("aah") == written.summary["actors"]["aah"]["name"]
    assert run.name("unknown") == "unknown"


def test_loads_a_sweep_directory(sweep_dir: Path) -> None:
    sweep = load(sweep_dir)
    assert isinstance(sweep, SweepData)
    assert "seats.sadrists" in sweep.results.columns
    assert sweep.meta["sweep"]["sample"] == "sobol"
    assert sweep.sensitivity is not None and sweep.sensitivity["outcomes"]


@pytest.mark.parametrize("make", ["missing", "file", "empty"])
def test_neither_run_nor_sweep_is_an_input_error(tmp_path: Path, make: str) -> None:
    target = tmp_path / "x"
    if make == "file":
        target.write_text("hi")
    elif make == "empty":
        target.mkdir()
    with pytest.raises(InputError) as info:
        load(target)
    assert len(info.value.problems) == 1
    assert "\n" not in str(info.value)
    assert info.value.problems[0].field == "DIR"


def test_broken_files_are_input_errors(run_dir: Path) -> None:
    (run_dir / "summary.json").write_text("{not json")
    with pytest.raises(InputError, match="summary.json"):
        load_run(run_dir)


def test_a_bad_event_line_is_located(run_dir: Path) -> None:
    with (run_dir / "events.jsonl").open("a") as fh:
        fh.write(json.dumps({"no": "id"}) + "\n")
    with pytest.raises(InputError, match=r"events.jsonl:\d+"):
        load_run(run_dir)


def test_run_without_summary_is_incomplete(run_dir: Path) -> None:
    (run_dir / "summary.json").unlink()
    with pytest.raises(InputError, match="no summary.json"):
        load(run_dir)


def test_unreadable_parquet(sweep_dir: Path) -> None:
    (sweep_dir / "results.parquet").write_text("not parquet")
    with pytest.raises(InputError, match="parquet"):
        load_sweep(sweep_dir)
