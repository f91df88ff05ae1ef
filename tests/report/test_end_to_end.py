"""Reports of real runs of the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.report.explain import explain, format_explanation
from sim.report.html import write_report
from sim.report.load import load_run
from tests.report import browser
from tests.report.offline import any_url, external_references

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def _engine():
    import sim

    assert all(hasattr(sim, name) for name in ("load_scenario", "run", "write_run"))
    return sim


def _scenario(name: str) -> Path:
    path = SCENARIOS / f"{name}.yaml"
    assert path.is_file(), path
    return path


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> Path:
    sim = _engine()
    out = tmp_path_factory.mktemp("real") / "run"
    run = sim.run(sim.load_scenario(_scenario("baseline")), seed=1)
    sim.write_run(run, out)
    return out


def test_real_run_report(real_run: Path) -> None:
    html = write_report(real_run).read_text(encoding="utf-8")
    run = load_run(real_run)
    assert html.count("<svg") >= 3
    for event in run.events:
        assert f'id="ev-{event["id"]}"' in html
    for assumption in run.summary.get("assumptions", []):
        assert str(assumption["field"]) in html
    assert external_references(html) == [] and any_url(html) == []


def test_real_run_report_in_chromium(real_run: Path, chromium: str) -> None:
    page = browser.visit(write_report(real_run), chromium=chromium)
    assert page.exceptions == [] and page.console_errors == []
    assert page.external_requests == []
    assert page.counts["svg"] >= 3 and len(page.screenshot) > 100_000


def test_real_run_explains_its_prime_minister(real_run: Path) -> None:
    run = load_run(real_run)
    assert run.summary.get("prime_minister"), "the baseline always has a prime minister"
    answer = explain(run, "why pm")
    assert answer.chain[0].event["cause"] is None
    assert answer.chain[-1].event is answer.target
    text = format_explanation(answer, run)
    assert text.startswith("Why:")


def test_real_compare() -> None:
    sim = _engine()
    from sim.report.compare import compare, comparison_html

    baseline = _scenario("baseline")
    others = [p for p in sorted(SCENARIOS.glob("*.yaml")) if p != baseline][:1]
    result = compare([baseline, *others], replications=2, seed=3)
    assert result.seeds == [3, 4]
    summary = result.summary()
    for block in summary["scenarios"].values():
        assert abs(sum(b["mean"] for b in block["seats"].values()) - 329) < 1e-6
    assert "<svg" in comparison_html(result)
    del sim
