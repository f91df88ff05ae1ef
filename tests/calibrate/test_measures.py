"""The calibration arithmetic on fabricated runs whose answers are known by hand."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.calibrate.measures import (
    against,
    binomial_pmf,
    first_lists,
    inside,
    observe,
    observe_hindcast,
    pm_at,
    rank_quantile,
    rate,
    spread,
    verdict_of,
)


def party_of(pm: str | None) -> str | None:
    return {"maliki": "sol", "abadi": "sol", "mahdi": None}.get(pm or "", pm)


def leads(pm: str | None, party: str | None) -> bool:
    return pm == party or (pm, party) == ("maliki", "sol")


def summary(**over: Any) -> dict[str, Any]:
    base = {
        "seats": {"sol": 100, "sudani": 60, "sadrists": 0, "kdp": 169},
        "elections": [{"day": 500.0, "seats": {"sol": 100, "sudani": 60, "sadrists": 0,
                                               "kdp": 169}}],
        "history": [{"day": 0.0, "pm": "sudani"}, {"day": 480.0, "pm": "sudani"},
                    {"day": 510.0, "pm": "sudani"}, {"day": 700.0, "pm": "abadi"}],
        "prime_minister": "abadi",
        "government_formed_day": 620.0,
        "end_day": 1300.0,
    }
    return base | over


# --- quantiles and ranges ------------------------------------------------------------------

def test_nearest_rank_quantiles_of_ten_values() -> None:
    values = [float(v) for v in range(10, 110, 10)]  # 10 .. 100
    assert rank_quantile(values, 0.0) == 10
    assert rank_quantile(values, 0.05) == 10  # ceil(0.5) = 1st
    assert rank_quantile(values, 0.25) == 30  # ceil(2.5) = 3rd
    assert rank_quantile(values, 0.5) == 50  # 5th: the lower median
    assert rank_quantile(values, 0.95) == 100  # ceil(9.5) = 10th
    assert rank_quantile(values, 1.0) == 100


def test_spread_of_twenty_runs_with_known_order_statistics() -> None:
    s = spread([float(d) for d in range(1, 21)])  # 1 .. 20 days
    assert (s.min, s.p5, s.q1, s.median, s.q3, s.p95, s.max) == (1, 1, 5, 10, 15, 19, 20)
    assert s.runs == s.observed == 20 and s.censored_after is None


def test_censored_runs_rank_above_every_formed_run() -> None:
    # 6 formed, 4 without a government after 700 or 772 days of follow-up
    s = spread([100, 200, 150, 300, 250, 120, None, None, None, None],
               [None] * 6 + [772, 700, 772, 772])
    assert (s.min, s.q1, s.median) == (100, 150, 250)  # ranks 1, 3, 5
    assert s.q3 is None and s.p95 is None and s.max is None  # ranks 8, 10, 10: censored
    assert s.observed == 6 and s.censored_after == 700
    assert inside(382, s) is True  # p5 = 100 <= 382 and the p95 run lasted past 700 days
    assert inside(90, s) is False
    assert inside(800, s) is False  # beyond the shortest follow-up: not established


def test_all_censored_means_history_fits_only_past_the_horizon() -> None:
    s = spread([None, None], [200, 202])
    assert s.p5 is None and s.observed == 0
    assert inside(382, s) is True and inside(150, s) is False


def test_history_against_the_model_counts_values_inside_p5_p95() -> None:
    model = spread([float(d) for d in range(100, 300)])  # 100 .. 299, n = 200
    assert (model.p5, model.p95) == (109, 289)  # ranks 10 and 190
    a = against([156, 289, 131, 165, 382], model)
    assert (a.inside, a.of, a.verdict) == (4, 5, "partly")
    assert against([156, 165], model).verdict == "in range"
    assert against([50, 382], model).verdict == "out of range"
    assert against([1.0], spread([])).verdict == "no data"


def test_verdicts() -> None:
    assert verdict_of([True, True]) == "in range"
    assert verdict_of([True, False]) == "partly"
    assert verdict_of([False]) == "out of range"
    assert verdict_of([None, None]) == "no data"


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=60))
def test_spread_order_statistics_are_ordered_values_of_the_runs(days: list[int]) -> None:
    s = spread([float(d) for d in days])
    stats = [s.min, s.p5, s.q1, s.median, s.q3, s.p95, s.max]
    assert all(x in days for x in stats)
    assert stats == sorted(stats)
    assert s.min == min(days) and s.max == max(days)


# --- rates -------------------------------------------------------------------------------

def test_rate_and_the_chance_of_six_in_six() -> None:
    r = rate(6, 6, [True, True, True, False, None, True])  # 4 of 5 defined runs
    assert (r.runs, r.count, r.rate) == (5, 4, 0.8)
    assert r.chance_of_history == pytest.approx(0.8 ** 6)  # 0.262
    assert r.verdict == "in range"
    low = rate(6, 6, [True, False, False, False])  # 0.25 ** 6 = 0.00024
    assert low.chance_of_history == pytest.approx(0.25 ** 6) and low.verdict == "out of range"
    assert rate(1, 1, [None]).verdict == "no data"
    never = rate(1, 1, [False] * 10)
    assert never.chance_of_history == 0 and never.verdict == "out of range"


def test_binomial_pmf_known_values() -> None:
    assert binomial_pmf(6, 6, 0.5) == pytest.approx(1 / 64)
    assert binomial_pmf(1, 2, 0.5) == pytest.approx(0.5)
    assert binomial_pmf(0, 1, 0.3) == pytest.approx(0.7)


# --- one baseline run --------------------------------------------------------------------

def test_first_lists_include_ties() -> None:
    assert first_lists({"a": 3, "b": 5, "c": 5}) == ["b", "c"]
    assert first_lists({}) == []


def test_pm_at_reads_the_last_snapshot_before_the_day() -> None:
    s = summary()
    assert pm_at(s, 500.0, "x") == "sudani"
    assert pm_at(s, 800.0, "x") == "abadi"
    assert pm_at({"history": []}, 10.0, "x") == "x"


def test_observe_a_run_from_its_summary() -> None:
    o = observe(summary(), "sudani", party_of, leads)
    assert o.days_to_government == 120  # formed on day 620, election on day 500
    assert o.censored_after is None
    assert (o.sitting_pm_party, o.sitting_pm_seats, o.size) == ("sudani", 60, 329)
    assert o.pm_party == "sol"
    assert o.pm_leads_first_list is False  # the first list is the KDP's


def test_a_pm_from_the_first_list_who_does_not_lead_it_does_not_count_as_leading() -> None:
    seats = {"sol": 200, "sudani": 60, "kdp": 69}
    s = summary(seats=seats, elections=[{"day": 500.0, "seats": seats}])
    assert observe(s, "sudani", party_of, leads).pm_leads_first_list is False  # Abadi 2014
    s2 = s | {"prime_minister": "maliki"}
    assert observe(s2, "sudani", party_of, leads).pm_leads_first_list is True


def test_the_contract_keys_win_over_the_fallbacks() -> None:
    s = summary(days_to_government=150, government_formed=True, prime_minister_party="kdp")
    o = observe(s, "sudani", party_of, leads)
    assert o.days_to_government == 150 and o.pm_party == "kdp"
    assert o.pm_leads_first_list is False  # kdp is first, but "abadi" does not lead it


def test_fractional_days_round_to_the_nearest_day() -> None:
    s = summary(days_to_government=155.6, government_formed=True)
    assert observe(s, "sudani", party_of, leads).days_to_government == 156


def test_no_government_after_the_election_is_censored_at_the_run_end() -> None:
    o = observe(summary(government_formed_day=100.0), "sudani", party_of, leads)
    assert o.days_to_government is None and o.censored_after == 800
    assert o.pm_party is None and o.pm_leads_first_list is None
    o2 = observe(summary(days_to_government=None, government_formed=False), "sudani",
                 party_of, leads)
    assert o2.days_to_government is None and o2.censored_after == 800


def test_no_election_means_nothing_to_observe() -> None:
    o = observe(summary(elections=[]), "sudani", party_of, leads)
    assert o.days_to_government is None and o.sitting_pm_party is None


# --- one hindcast run --------------------------------------------------------------------

def ev(t: float, kind: str, actor: str | None = None, **payload: Any) -> SimpleNamespace:
    return SimpleNamespace(t=t, kind=kind, actor=actor, payload=payload)


def test_hindcast_of_the_2021_story() -> None:
    events = [
        ev(0, "run_started"),
        ev(0, "election_held", seats={"sadrists": 73, "sol": 33}),
        ev(60, "president_vote_failed", absent=["sol", "badr"]),  # Sadr's side is denied
        ev(245, "resigned", "sadrists", seats={"sadrists": 0, "sol": 60}),
        ev(323, "clash", "sadrists"),
        ev(382, "government_formed", "sudani"),
    ]
    o = observe_hindcast({"end_day": 800.0, "prime_minister": "sudani"}, events,
                         lambda p: p)
    assert o.majority_attempt and o.blocking_third and o.sadrist_withdrawal and o.clash
    assert (o.withdrawal_day, o.days_to_government, o.censored_after) == (245, 382, None)
    assert o.prime_minister == "sudani"


def test_hindcast_where_the_sadrists_govern_at_once() -> None:
    events = [
        ev(0, "election_held", seats={"sadrists": 73}),
        ev(15, "president_elected"),
        ev(30, "pm_nominated", "sadrists", nominee="sadrists", bloc="sadrist_bloc"),
        ev(50, "government_formed", "sadrists"),
    ]
    o = observe_hindcast({"end_day": 800.0}, events, lambda p: p)
    assert o.majority_attempt and not o.blocking_third and not o.sadrist_withdrawal
    assert not o.clash and o.days_to_government == 50 and o.withdrawal_day is None


def test_hindcast_events_with_changes_and_details_and_a_person_nominee() -> None:
    events = [
        SimpleNamespace(t=0.0, kind="election_held", actor=None,
                        changes={"seats": {"sadrists": 73}}, details={}),
        SimpleNamespace(t=40.0, kind="pm_designated", actor=None, changes={},
                        details={"nominee": "jaafar_sadr", "bloc": "largest"}),
        SimpleNamespace(t=90.0, kind="boycott_started", actor="sadrists",
                        changes={"boycotting": {"sadrists": True}}, details={}),
    ]
    o = observe_hindcast({"end_day": 700.0, "clashes": 0}, events,
                         lambda p: "sadrists" if p == "jaafar_sadr" else p)
    assert o.majority_attempt and o.sadrist_withdrawal and o.withdrawal_day == 90
    assert o.days_to_government is None and o.censored_after == 700


def test_a_blocking_third_the_sadrists_impose_is_not_their_majority_attempt() -> None:
    events = [ev(0, "election_held", seats={"sadrists": 73}),
              ev(30, "president_vote_failed", absent=["sadrists", "kdp"])]
    o = observe_hindcast({"end_day": 100.0}, events, lambda p: p)
    assert o.blocking_third and not o.majority_attempt
    assert math.isclose(o.censored_after or 0, 100)


def test_a_model_that_rarely_forms_a_government_does_not_hold_history() -> None:
    # 1 of 10 runs forms (day 50); 9 never do within 772 days: p5 = 50, p95 beyond the horizon,
    # so all five formations lie "inside", but all five ending is a 0.1 ** 5 chance
    s = spread([50.0] + [None] * 9, [None] + [772] * 9)
    a = against([156, 289, 131, 165, 382], s)
    assert (a.inside, a.of) == (5, 5)
    assert a.all_ended_chance == pytest.approx(0.1 ** 5)
    assert a.verdict == "out of range"


def test_a_few_unfinished_runs_leave_history_plausible() -> None:
    s = spread([float(d) for d in range(100, 119)] + [None], [None] * 19 + [772])
    a = against([110, 115], s)  # p5 = 100, p95 = 118
    assert a.all_ended_chance == pytest.approx(0.95 ** 2)
    assert a.verdict == "in range"
    assert against([110], spread([110.0, 120.0])).all_ended_chance is None


def test_the_framework_s_gain_is_read_from_the_first_resignation() -> None:
    events = [
        SimpleNamespace(t=0.0, kind="election_held", actor=None,
                        changes={"seats": {"sadrists": 73}}, details={}),
        SimpleNamespace(t=245.0, kind="deputies_resigned", actor="sadrists",
                        changes={"seats": {"sadrists": 0}, "boycotting": {"sadrists": True}},
                        details={"gains": {"sol": 5, "badr": 7, "independents": 61}}),
    ]
    o = observe_hindcast({"end_day": 800.0}, events, lambda p: p, frozenset({"sol", "badr"}))
    assert o.framework_gain == 12 and o.sadrist_withdrawal and o.withdrawal_day == 245
    assert observe_hindcast({"end_day": 800.0}, events[:1], lambda p: p).framework_gain is None


def test_sit_in_days_count_the_stalled_days_after_the_withdrawal() -> None:
    def at(t: float, kind: str, actor: str | None = None, **changes: Any) -> SimpleNamespace:
        return SimpleNamespace(t=t, kind=kind, actor=actor, changes=changes, details={})

    events = [
        at(0.0, "election_held", seats={"sadrists": 73}),
        at(100.0, "protest_started", "sadrists", stalled=True),   # before the withdrawal:
        at(110.0, "protest_ended", "sadrists", stalled=False),    # not counted
        at(245.0, "deputies_resigned", "sadrists", seats={"sadrists": 0}),
        at(290.0, "protest_started", "sadrists", stalled=True),   # 30 Jul 2022-like: 31 days
        at(321.0, "protest_ended", "sadrists", stalled=False),
        at(400.0, "protest_started", "sadrists", stalled=False),  # a march that lets it sit
        at(401.0, "protest_ended", "sadrists", stalled=False),
        at(780.0, "protest_started", "sadrists", stalled=True),   # still on at the end (800)
    ]
    o = observe_hindcast({"end_day": 800.0}, events, lambda p: p)
    assert o.sadrist_withdrawal and o.sit_in_days == 31 + 20
    assert observe_hindcast({"end_day": 800.0}, events[:3], lambda p: p).sit_in_days is None


def test_the_framework_s_early_joiners_are_read_against_the_first_session() -> None:
    def at(t: float, kind: str, **details: Any) -> SimpleNamespace:
        return SimpleNamespace(t=t, kind=kind, actor=None, changes={}, details=details)

    cf = frozenset({"sol", "badr"})
    events = [
        at(0.0, "election_held"),
        at(14.0, "deputies_joined", parties={"sol": 20, "badr": 5}),   # before the session
        at(21.0, "deputies_joined", parties={"sadrists": 4}),          # another bloc's
        at(80.0, "deputies_joined", parties={"sol": 8}),
        at(91.0, "parliament_convened"),
        at(120.0, "deputies_joined", parties={"badr": 3, "sol": 3}),   # after it
    ]
    o = observe_hindcast({"end_day": 800.0}, events, lambda p: p, cf)
    assert o.framework_joined_early == 85  # 33 of 39, as in 2021-22
    assert observe_hindcast({"end_day": 800.0}, events[:1], lambda p: p,
                            cf).framework_joined_early is None  # nobody joined
    assert observe_hindcast({"end_day": 800.0}, events, lambda p: p).framework_joined_early \
        is None  # no Framework named: no joiner is the Framework's
