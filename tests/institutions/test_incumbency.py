"""Incumbency and patronage against the analogues in FACTS.md: a sitting PM's new list (Nasr,
2018: 42 of 329) and the established ones (State of Law: 89 of 325 in 2010, 92 of 328 in 2014)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from statistics import mean, median

import sim
from sim.api import Run
from sim.schema.scenario import Scenario

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(40)


def _scenario(tmp: Path | None, probability: float | None) -> Scenario:
    base = ROOT / "scenarios" / "baseline.yaml"
    if probability is None or tmp is None:
        return sim.load_scenario(base)
    path = tmp / "no_patronage.yaml"
    path.write_text(
        f"name: no_patronage\nextends: {base.as_posix()}\nworld:\n  behaviour:\n"
        f"    incumbency.pm_merger_probability: {{value: {probability}, assumption: test}}\n",
        encoding="utf-8")
    return sim.load_scenario(path)


@cache
def baseline_runs() -> list[Run]:
    sc = _scenario(None, None)
    return [sim.run(sc, seed=s) for s in SEEDS]


def _seats_2025(run: Run, party: str) -> int:
    return run.summary["elections"][0]["seats"].get(party, 0)


def test_a_new_pm_list_lands_near_nasr_2018_and_below_an_established_pm_list() -> None:
    seats = [_seats_2025(r, "sudani") for r in baseline_runs()]
    assert 30 <= median(seats) <= 60, seats    # Nasr 2018: 42 of 329
    assert max(seats) < 92, seats              # State of Law 2014, an established list: 92


def test_every_merger_is_an_event_in_the_months_before_the_election() -> None:
    window = 300  # world behaviour incumbency.window_days
    for run in baseline_runs():
        election = next(e.t for e in run.events if e.kind == "election_held")
        support: dict[str, float] = {}
        merged = 0
        for e in run.events:
            if e.kind == "list_merged":
                merged += 1
                assert election - window <= e.t < election
                to, frm = e.details["to"], e.details["from"]
                assert e.changes["support"][to] > support.get(to, 0.0)     # the patron gains
                assert e.changes["support"][frm] < support.get(frm, 0.0)   # the donor loses
            support.update(e.changes.get("support", {}))
        assert merged, "no patronage before the election"


def test_without_patronage_the_pm_list_stays_at_its_2021_base(tmp_path: Path) -> None:
    sc = _scenario(tmp_path, 0.0)
    without = [_seats_2025(sim.run(sc, seed=s), "sudani") for s in range(12)]
    with_ = [_seats_2025(r, "sudani") for r in baseline_runs()[:12]]
    assert mean(without) < 15, without           # 2% of the vote, as Furatayn in 2021
    assert mean(with_) > 2 * mean(without), (with_, without)
