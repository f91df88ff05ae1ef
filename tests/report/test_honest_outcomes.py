"""Honest outcomes (issue 11, item 5): a run that ends with no government formed says so
wherever a government would be shown: terminal, run report, compare (terminal and HTML),
sweep statistics; compare's government table shows every scenario's own likeliest coalitions;
`explain` says when a question's premise is false."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from rich.console import Console

import sim
from sim.report import stats
from sim.report.compare import compare, comparison_html, render, top_governments
from sim.report.explain import explain, format_explanation
from sim.report.html import write_report
from sim.report.load import load_run
from tests.report import fixtures

ROOT = Path(__file__).resolve().parents[2]
CARETAKER = ["sudani", "sol", "aah", "badr", "kdp", "sovereignty", "taqaddum", "dawa"]


def _no_government(summary: dict) -> dict:
    return {**summary, "government_formed": False, "caretaker": True, "prime_minister": "sudani",
            "government": CARETAKER, "government_formed_day": None}


def test_stats_count_a_caretaker_as_no_government() -> None:
    frame = pd.DataFrame([
        {"prime_minister": "sudani", "government": ",".join(CARETAKER),
         "government_formed": False},
        {"prime_minister": "sudani", "government": ",".join(CARETAKER),
         "government_formed": False},
        {"prime_minister": "sudani", "government": "sudani,sol", "government_formed": True},
        {"prime_minister": "sol", "government": "sol,badr", "government_formed": True},
    ])
    assert stats.pm_probabilities(frame) == {stats.NO_GOVERNMENT: 0.5, "sol": 0.25,
                                             "sudani": 0.25}
    assert stats.government_probabilities(frame)[stats.NO_GOVERNMENT] == 0.5
    membership = stats.membership_probabilities(frame)
    assert membership["sudani"] == 0.25 and "dawa" not in membership  # the caretaker's party
    # a table written before the key existed: 'caretaker' decides
    old = frame.drop(columns=["government_formed"]).assign(caretaker=[True, True, False, False])
    assert stats.pm_probabilities(old) == stats.pm_probabilities(frame)
    assert stats.government_formed({}) is True
    # a sweep's nullable boolean column: a gap counts as unknown, not as formed or not
    nullable = frame.assign(government_formed=pd.array([False, False, True, None],
                                                        dtype="boolean"))
    assert stats.pm_probabilities(nullable)[stats.NO_GOVERNMENT] == 0.5


def test_each_scenario_shows_its_own_likeliest_governments() -> None:
    per = {"baseline": {"government": {f"a{i}": 0.2 - i / 100 for i in range(8)}},
           "sadr_returns": {"government": {"sadr_gov": 0.9, "b": 0.1}}}
    shown = top_governments(per, ["baseline", "sadr_returns"])
    assert shown == ["a0", "a1", "a2", "sadr_gov", "b"]


_TEMPLATE: dict = {}


def _real_summary() -> dict:
    """A real (short) run's summary, the template of the fake comparison's runs."""
    if not _TEMPLATE:
        scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
        _TEMPLATE.update(sim.run(scenario, seed=1, until=30).summary)
    return json.loads(json.dumps(_TEMPLATE))


def _runner(scenario, seed):
    """'stalemate' ends without a government in 9 runs of 10; 'baseline' always forms one."""
    rng = random.Random(seed)
    summary = {**_real_summary(), "seed": seed, "government_formed": True, "caretaker": False}
    if scenario.name == "stalemate" and rng.random() < 0.9:
        summary = _no_government(summary)
    return SimpleNamespace(summary=summary)


def test_compare_says_no_government_in_every_table() -> None:
    comparison = compare(["baseline", "stalemate"], replications=20, seed=0,
                         loader=lambda p: SimpleNamespace(name=str(p)), runner=_runner)
    per = comparison.summary()["scenarios"]
    stalemate = per["stalemate"]
    assert stalemate["prime_minister"][stats.NO_GOVERNMENT] >= 0.7
    formed = 1 - stalemate["prime_minister"][stats.NO_GOVERNMENT]
    assert sum(v for k, v in stalemate["prime_minister"].items()
               if k != stats.NO_GOVERNMENT) == pytest.approx(formed)
    # the caretaker cabinet's parties are not counted "in government"
    assert max(stalemate["membership"].values()) <= formed + 1e-9
    assert stalemate["government"][stats.NO_GOVERNMENT] == pytest.approx(1 - formed)
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(render(comparison))
    text = console.file.getvalue()
    assert "no government formed (caretaker)" in text
    assert any(d.startswith("P(no government formed)") for d in
               comparison.summary()["differences"])
    page = comparison_html(comparison)
    assert "no government formed" in page


def test_the_run_report_does_not_present_a_caretaker_as_a_government(tmp_path: Path) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")
    summary = json.loads((run_dir / "summary.json").read_text())
    (run_dir / "summary.json").write_text(json.dumps(_no_government(summary)))
    page = write_report(run_dir).read_text(encoding="utf-8")
    assert "No government formed</strong> (caretaker:" in page
    assert "caretaker: no government formed" in page
    assert "The outgoing cabinet stays on as caretaker" in page


def test_the_terminal_outcome_says_no_government_formed() -> None:
    from sim.narrate import print_run

    result = sim.run(sim.load_scenario(ROOT / "scenarios" / "baseline.yaml"), seed=1, until=30)
    result.summary.update(government_formed=False, caretaker=True)
    console = Console(file=io.StringIO(), width=120, color_system=None)
    print_run(result, None, console)
    out = console.file.getvalue()
    pm = result.summary["actors"].get(result.summary["prime_minister"], {}).get("name")
    assert f"Government: no government formed (caretaker: {pm})" in out


def test_explain_says_when_the_premise_is_false(tmp_path: Path) -> None:
    run = load_run(fixtures.make_run_dir(tmp_path / "run"))
    summary = run.summary
    pm, party = summary["prime_minister"], summary.get("prime_minister_party")
    other = next(a for a in ("badr", "kdp", "aah", "sol") if a not in (pm, party))
    answer = explain(run, f"why is {other} prime minister")
    assert answer.premise is not None
    text = format_explanation(answer, run)
    assert text.startswith(f"Not so: {run.name(other)} is not prime minister")
    pm_name = ((summary.get("people") or {}).get(pm) or {}).get("name") or run.name(pm)
    assert pm_name in text.splitlines()[0]
    if stats.government_formed(summary):
        assert explain(run, f"why is {party or pm} prime minister").premise is None
    assert explain(run, "0").premise is None


def test_explain_knows_the_candidates_by_name(tmp_path: Path) -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    sim.write_run(sim.run(scenario, seed=1), tmp_path / "run")
    run = load_run(tmp_path / "run")
    people, pm = run.summary["people"], run.summary["prime_minister"]
    other = next(p for p in sorted(people) if p != pm)
    surname = people[other]["name"].split("-")[-1].split()[-1].lower()
    answer = explain(run, f"why is {surname} prime minister")
    assert answer.premise is not None
    assert answer.premise.startswith(f"{people[other]['name']} is not prime minister")
    assert people[pm]["name"] in answer.premise
    own = people[pm]["name"].split("-")[-1].split()[-1].lower()
    premise = explain(run, f"why is {own} prime minister").premise
    assert premise is None or "caretaker" in premise
