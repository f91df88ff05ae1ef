"""An established sitting PM's list is set beside its own hindcast, a new list beside the
baseline: each model figure meets its own analogue (Nasr 2018 vs State of Law 2014)."""

from __future__ import annotations

from functools import cache

from sim.calibrate import Calibration, calibrate


@cache
def result() -> Calibration:
    return calibrate(replications=3, seed=2)


def test_the_established_list_row_comes_from_the_2014_hindcast() -> None:
    (p,) = result().pm_lists
    assert (p.scenario, p.year, p.list) == ("hindcast_2014", 2014, "State of Law")
    assert p.sitting_pm_party == {"sol": 3}         # Maliki's list in every run
    assert p.share.history == [92 / 328]
    assert p.share.model.runs == 3
    row = next(r for r in result().rows if r.quantity.startswith("2014: sitting PM"))
    assert row.history.startswith("92/328 = 28.0% (2014, State of Law)")
    assert "not modelled: 89/325" in row.history    # 2010 has no hindcast yet: said so


def test_the_baseline_row_is_set_beside_the_new_list_only() -> None:
    b = result().baseline
    assert b.sitting_pm_share.history == [42 / 329]
    row = next(r for r in result().rows if r.quantity == "Sitting PM's new list, seats")
    assert row.history == "42/329 = 12.8% (2018, Nasr)"
    assert set(b.sitting_pm_party) == {"sudani"}
