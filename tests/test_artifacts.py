"""The file contracts (sim.artifacts): writers meet them, readers refuse anything else.

Every command that reads a file sim wrote (report, explain, sensitivity, sweep --resume) turns
a tampered or foreign file into one located line and exit 2, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import sim
from sim import artifacts
from sim.cli import main
from tests.report import fixtures

ROOT = Path(__file__).resolve().parents[1]
LOCATED = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): \S+: .+$")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def refused(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> int:
    """Run a command that must refuse `path`: exit 2, one located line naming it; its line."""
    code, out, err = cli(capsys, *argv)
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and len(lines) == 1, (code, out, err)
    match = LOCATED.match(lines[0])
    assert match and match["path"] == str(path), lines[0]
    assert "Traceback" not in err
    return int(match["line"])


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml")))
def test_every_scenarios_files_meet_their_contracts(name: str, tmp_path: Path) -> None:
    run = sim.run(sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml"), seed=1)
    sim.write_run(run, tmp_path)
    summary = artifacts.read_json(artifacts.Summary, tmp_path / "summary.json")
    assert summary.seats == run.summary["seats"]
    assert artifacts.read_json(artifacts.Manifest, tmp_path / "manifest.json").seed == 1
    assert len(artifacts.read_events(tmp_path / "events.jsonl")) == len(run.events)


def _edit_json(key: str, value: object) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        data = json.loads(path.read_text())
        data[key] = value
        path.write_text(json.dumps(data, indent=2))
    return edit


def _foreign(path: Path) -> None:
    path.write_text(json.dumps({"name": "left-pad", "version": "1.3.0"}, indent=2))


def _bad_event(path: Path) -> None:
    lines = path.read_text().splitlines()
    event = json.loads(lines[3])
    event["changes"]["draft"] = "x"  # description smuggled among the state changes
    lines[3] = json.dumps(event)
    path.write_text("\n".join(lines) + "\n")


RUN_TAMPERING = {
    "summary: seats not numbers": ("summary.json", _edit_json("seats", {"sadrists": "many"})),
    "summary: a foreign key": ("summary.json", _edit_json("mood", "optimistic")),
    "summary: another program's file": ("summary.json", _foreign),
    "manifest: unknown log format": ("manifest.json", _edit_json("log_format", 1)),
    "manifest: a foreign file": ("manifest.json", _foreign),
    "events: description among changes": ("events.jsonl", _bad_event),
}


@pytest.mark.parametrize("case", sorted(RUN_TAMPERING))
@pytest.mark.parametrize("command", ["report", "explain"])
def test_a_tampered_run_is_refused_by_report_and_explain(
        case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")
    name, tamper = RUN_TAMPERING[case]
    tamper(run_dir / name)
    argv = ["report", str(run_dir)] if command == "report" else ["explain", str(run_dir), "1"]
    line = refused(capsys, run_dir / name, *argv)
    if name == "events.jsonl":
        assert line == 4
    assert not (run_dir / "report.html").exists()


def test_the_located_line_points_at_the_tampered_key(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")
    _edit_json("casualties", "lots")(run_dir / "summary.json")
    line = refused(capsys, run_dir / "summary.json", "report", str(run_dir))
    text = (run_dir / "summary.json").read_text().splitlines()
    assert '"casualties"' in text[line - 1]


SWEEP_TAMPERING = {
    "sweep.json: points not a number": ("sweep.json", _edit_json("points", "forty")),
    "sweep.json: another program's file": ("sweep.json", _foreign),
    "sensitivity.json: indices not numbers": (
        "sensitivity.json", _edit_json("outcomes", {"casualties": {"x": {"S1": "big"}}})),
}


@pytest.mark.parametrize("case", sorted(SWEEP_TAMPERING))
def test_a_tampered_sweep_is_refused_by_every_reader(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sweep_dir = fixtures.make_sweep_dir(tmp_path / "sweep")
    name, tamper = SWEEP_TAMPERING[case]
    tamper(sweep_dir / name)
    refused(capsys, sweep_dir / name, "report", str(sweep_dir))
    if name == "sweep.json":
        refused(capsys, sweep_dir / name, "sensitivity", str(sweep_dir))
        refused(capsys, sweep_dir / name, "sweep", str(fixtures.SWEEP_SCENARIO), "--sample",
                "sobol", "--n", "4", "--seed", "3", "--out", str(sweep_dir), "--resume")


def test_writers_refuse_what_the_contract_does_not_know() -> None:
    run = fixtures.real_run()
    with pytest.raises(ValueError, match="mood"):
        artifacts.Summary.model_validate({**run.summary, "mood": "optimistic"})
    with pytest.raises(ValueError, match="draft"):
        artifacts.EventLine.model_validate({**run.timeline()[1], "changes": {"draft": "x"}})


# --- no NaN or infinity reaches summary.json ---------------------------------------------

def test_dumps_refuses_nan_and_infinity_naming_where() -> None:
    with pytest.raises(ValueError, match=r"influence\.sol: not a finite number"):
        artifacts.dumps({"influence": {"sol": float("nan")}})
    with pytest.raises(ValueError, match=r"history\.1\.day"):
        artifacts.dumps({"history": [{"day": 0.0}, {"day": float("inf")}]})
    assert artifacts.dumps({"a": [1.5, None]}) == '{"a": [1.5, null]}'


@pytest.mark.parametrize("where", ["influence", "parameters", "assumption"])
def test_a_summary_with_nan_is_refused_and_nothing_written(where: str, tmp_path: Path) -> None:
    import copy

    run = fixtures.real_run()
    run.summary = copy.deepcopy(run.summary)
    if where == "influence":
        party = next(iter(run.summary["influence"]))
        run.summary["influence"][party] = float("nan")
    elif where == "parameters":
        run.summary["parameters"]["vote_noise"] = float("inf")
    else:  # a value the contract types as Any: caught when written
        run.summary["assumptions"][0]["value"] = float("nan")
    with pytest.raises(ValueError, match="finite"):
        sim.write_run(run, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_summary_json_with_nan_is_refused_by_readers(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")
    path = run_dir / "summary.json"
    data = json.loads(path.read_text())
    data["end_day"] = float("nan")
    path.write_text(json.dumps(data, indent=2))  # Python writes (and reads) a bare NaN
    line = refused(capsys, path, "report", str(run_dir))
    assert '"end_day": NaN' in path.read_text().splitlines()[line - 1]


def test_every_written_summary_is_strict_json(tmp_path: Path) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")

    def no_constants(name: str) -> None:
        raise AssertionError(f"{name} in summary.json")

    json.loads((run_dir / "summary.json").read_text(), parse_constant=no_constants)
