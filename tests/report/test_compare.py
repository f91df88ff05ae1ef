from __future__ import annotations

import io
import random
from types import SimpleNamespace

import pytest
from rich.console import Console

from sim.report.compare import compare, comparison_html, differences, seeds_for
from tests.report import fixtures
from tests.report.offline import any_url, external_references


def fake_loader(path):
    return SimpleNamespace(name=str(path))


def fake_runner(scenario, seed):
    """Sadr only runs in 'sadr_returns'; luck moves a few seats and casualties."""
    rng = random.Random(seed)
    summary = fixtures.make_summary(seed)
    seats = dict(fixtures.SEATS_FINAL)
    if scenario.name != "sadr_returns":
        seats["others"] += seats["sadrists"]
        seats["sadrists"] = 0
        summary["prime_minister"] = "sudani" if rng.random() < 0.5 else "sol"
        summary["casualties"] = rng.randint(0, 5)
    else:
        summary["prime_minister"] = "sudani"
        summary["casualties"] = 30 + rng.randint(0, 20)
    shift = rng.randint(0, 3)
    seats["sol"] += shift
    seats["others"] -= shift
    summary["seats"] = seats
    return SimpleNamespace(summary=summary)


@pytest.fixture
def comparison():
    calls = []
    result = compare(["baseline", "sadr_returns"], replications=6, seed=40,
                     progress=lambda label, r: calls.append((label, r)),
                     loader=fake_loader, runner=fake_runner)
    assert len(calls) == 12
    return result


def test_seeds_are_shared_and_derived(comparison) -> None:
    assert seeds_for(40, 3) == [40, 41, 42]
    assert comparison.seeds == list(range(40, 46))
    for table in comparison.tables.values():
        assert table["seed"].tolist() == comparison.seeds


def test_summary_has_side_by_side_distributions(comparison) -> None:
    summary = comparison.summary()
    base, sadr = summary["scenarios"]["baseline"], summary["scenarios"]["sadr_returns"]
    assert sadr["seats"]["sadrists"]["mean"] == 70 and base["seats"]["sadrists"]["mean"] == 0
    assert sadr["prime_minister"] == {"sudani": 1.0}
    assert abs(sum(base["prime_minister"].values()) - 1) < 1e-9
    assert summary["differences"][0].startswith("Seats of")
    assert any("Sadrist movement" in d for d in summary["differences"][:2])


def test_differences_need_two_scenarios() -> None:
    assert differences({"a": {"seats": {}, "prime_minister": {}, "government": {},
                              "casualties": None}}) == []


def test_render_prints_every_block(comparison) -> None:
    from sim.report.compare import render

    buffer = io.StringIO()
    Console(file=buffer, width=160, color_system=None).print(render(comparison))
    text = buffer.getvalue()
    for heading in ("Seats at the end: mean [90% interval]", "Prime minister", "In government",
                    "Whole government",
                    "Casualties", "What differs most"):
        assert heading in text
    assert "baseline" in text and "sadr_returns" in text
    # the real runs behind the fixtures hold an election: the certified house is shown too,
    # since grouping deputies join blocs after the vote
    assert all(comparison.summary()["scenarios"][k]["seats_elected"] for k in comparison.labels)
    assert "Seats won at the last election" in text


def test_without_an_election_only_the_end_house_is_shown() -> None:
    from sim.report.compare import render

    def no_election(scenario, seed):
        run = fake_runner(scenario, seed)
        run.summary["seats_elected"] = None
        return run

    result = compare(["baseline", "sadr_returns"], replications=2, seed=1,
                     loader=fake_loader, runner=no_election)
    buffer = io.StringIO()
    Console(file=buffer, width=160, color_system=None).print(render(result))
    assert "Seats at the end" in buffer.getvalue()
    assert "Seats won at the last election" not in buffer.getvalue()
    assert "Seats won at the last election" not in comparison_html(result)


def test_duplicate_scenarios_get_distinct_labels() -> None:
    result = compare(["a", "a"], replications=1, loader=fake_loader, runner=fake_runner)
    assert result.labels == ["a", "a (2)"]


def test_comparison_html_is_self_contained(comparison) -> None:
    html = comparison_html(comparison)
    assert html.count("<svg") >= 3
    assert external_references(html) == [] and any_url(html) == []
    assert "What differs most" in html
