"""`sim report`, `sim compare` and `sim explain` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from tests.report import fixtures

ROOT = Path(__file__).resolve().parents[2]


def sim(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    return info.value.code, out, err


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return fixtures.make_run_dir(tmp_path / "run")


def _one_line_error(code: int, out: str, err: str, needle: str) -> None:
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("<command line>:1:1: ") and needle in lines[0]
    assert "Traceback" not in err


def test_report_for_a_run(capsys, run_dir: Path) -> None:
    code, out, _ = sim(capsys, "report", str(run_dir))
    assert code == 0
    assert out.strip() == str(run_dir / "report.html")
    assert (run_dir / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_report_for_a_sweep(capsys, tmp_path: Path) -> None:
    sweep = fixtures.make_sweep_dir(tmp_path / "sweep")
    code, _, _ = sim(capsys, "report", str(sweep))
    assert code == 0 and (sweep / "report.html").is_file()


def test_report_output_option(capsys, run_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.html"
    code, _, _ = sim(capsys, "report", str(run_dir), "--output", str(target))
    assert code == 0 and target.is_file() and not (run_dir / "report.html").exists()


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_report_of_a_bad_dir(capsys, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "nothing"
    if kind == "empty":
        target.mkdir()
    code, out, err = sim(capsys, "report", str(target))
    _one_line_error(code, out, err, "DIR")
    assert not (target / "report.html").exists()
    assert sorted(tmp_path.iterdir()) == ([target] if kind == "empty" else [])


def test_explain_by_id_and_question(capsys, run_dir: Path) -> None:
    formed = [e for e in fixtures.real_run().events if e.kind == "government_formed"][-1]
    code, out, _ = sim(capsys, "explain", str(run_dir), str(formed.cause))
    assert code == 0 and out.startswith("Why:") and "#0 " in out
    code, out, _ = sim(capsys, "explain", str(run_dir), "why", "is", "the", "prime",
                       "minister", "in", "office")
    assert code == 0 and "government_formed" in out
    code, out, _ = sim(capsys, "explain", str(run_dir), "why pm", "--json")
    data = json.loads(out)
    assert data["event"] == formed.id and data["chain"][0]["id"] == 0


def test_explain_unknown_event(capsys, run_dir: Path) -> None:
    code, out, err = sim(capsys, "explain", str(run_dir), "4242")
    _one_line_error(code, out, err, "EVENT_ID")


def test_explain_without_events(capsys, tmp_path: Path) -> None:
    code, out, err = sim(capsys, "explain", str(tmp_path), "1")
    _one_line_error(code, out, err, "DIR")


def test_compare_rejects_bad_html_target_before_running(capsys, tmp_path: Path) -> None:
    code, out, err = sim(capsys, "compare", "does-not-matter.yaml", "--html",
                         str(tmp_path / "no" / "such" / "dir" / "x.html"))
    _one_line_error(code, out, err, "--html")


def test_compare_bad_replications(capsys) -> None:
    code, out, err = sim(capsys, "compare", "x.yaml", "--replications", "0")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_compare_missing_scenario(capsys, tmp_path: Path) -> None:
    html = tmp_path / "c.html"
    code, out, err = sim(capsys, "compare", str(tmp_path / "nope.yaml"), "--html", str(html))
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not html.exists()


def _real_scenario() -> Path:
    import sim as package

    path = ROOT / "scenarios" / "baseline.yaml"
    assert hasattr(package, "run") and path.is_file()
    return path


def test_compare_real_scenarios(capsys, tmp_path: Path) -> None:
    scenario = _real_scenario()
    html = tmp_path / "compare.html"
    code, out, _ = sim(capsys, "compare", str(scenario), str(scenario), "--replications", "2",
                       "--seed", "5", "--html", str(html))
    assert code == 0
    assert "Seats at the end: mean [90% interval], 2 runs each (seeds 5-6)" in out
    assert "Prime minister" in out and html.is_file()
    code, out, _ = sim(capsys, "compare", str(scenario), "-r", "1", "--json")
    assert code == 0 and json.loads(out)["seeds"] == [0]


def test_run_then_report_then_explain(capsys, tmp_path: Path) -> None:
    scenario = _real_scenario()
    out_dir = tmp_path / "run"
    code, _, _ = sim(capsys, "run", str(scenario), "--seed", "2", "--out", str(out_dir))
    assert code == 0
    code, _, _ = sim(capsys, "report", str(out_dir))
    assert code == 0 and (out_dir / "report.html").is_file()
    code, out, _ = sim(capsys, "explain", str(out_dir), "0")
    assert code == 0 and "#0 " in out
