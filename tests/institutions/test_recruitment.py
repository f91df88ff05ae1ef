"""Grouping deputies drawn into blocs from the preliminary results on
(`sim.institutions.recruitment`): the events, the conservation of seats, groupings never in a
cabinet as units; then the 2021 hindcast and the baseline set beside the record of 2021-22
(the Framework's lists grew from their certified seats to 88 at the first session and 94 six
weeks later, the Sadrists by about a dozen; world `sources`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from statistics import mean, median
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.institutions import recruitment
from sim.schema.world import Cited, World
from tests.institutions.test_formation import QUICK, baseline, kinds, run_formation, world

ROOT = Path(__file__).resolve().parents[2]
GROUPINGS = {"independents", "others", "minorities", "governors"}
# the Framework (200) and others, with 20 independents and 9 of other small lists to court
SEATS = {"sol": 90, "badr": 40, "aah": 30, "state_forces": 20, "sudani": 20,
         "taqaddum": 35, "azm": 15, "kdp": 30, "puk": 11,
         "independents": 20, "others": 9, "new_generation": 9}  # 329


def courting(w: World, **rates: float) -> World:
    """`w` with some `recruitment.*` behaviour constants replaced (cited as test values)."""
    behaviour = dict(w.behaviour)
    for name, v in rates.items():
        behaviour[f"recruitment.{name}"] = Cited[float](value=v, assumption="test")
    return w.model_copy(update={"behaviour": behaviour})


def test_the_seed_world_declares_the_rates_with_provenance() -> None:
    w = sim.scenario.resolved(baseline())["world"]
    names = [n for n in w.behaviour if n.startswith("recruitment.")]
    assert len(names) == 8
    assert set(w.formation.not_parties.value) == GROUPINGS
    m = run_formation(world(**QUICK), SEATS, until=1.0)
    assert recruitment.groupings(m) == sorted(GROUPINGS)  # formation.not_parties


def test_deputies_join_blocs_from_the_preliminary_results_and_seats_are_conserved() -> None:
    w = courting(world(**QUICK), available_share=1.0, half_life_days=5.0)
    m = run_formation(w, SEATS)
    joined = kinds(m, "deputies_joined")
    assert joined, "every open deputy should be courted"
    announced = kinds(m, "results_announced")[0]  # the seed world's preliminary results
    assert all(e.t > announced.t and e.cause == announced.id for e in joined)
    for e in joined:
        assert sum(e.changes["seats"].values()) == 329
        assert e.details["from"] in GROUPINGS and e.details["count"] > 0
        assert sum(e.details["parties"].values()) == e.details["count"]
        assert not GROUPINGS & set(e.details["parties"])
    moved = sum(e.details["count"] for e in joined)
    assert m.state.seats["independents"] + m.state.seats["others"] == 29 - moved
    # with every deputy open and a short half-life, most are in a bloc before a government
    assert moved >= 20
    formed = kinds(m, "government_formed")
    assert formed and not (GROUPINGS - {formed[0].changes["pm"]}) & set(
        formed[0].changes["government"])
    assert all(e.t <= formed[0].t for e in joined)  # the rounds stop at the confidence vote


def test_no_deputy_open_to_offers_means_no_move() -> None:
    m = run_formation(courting(world(**QUICK), available_share=0.0), SEATS)
    assert kinds(m, "deputies_joined") == []
    assert m.state.seats["independents"] == 20


def test_patronage_pulls_deputies_to_the_bloc_that_holds_the_ministries() -> None:
    # portfolios weigh alone: the Framework holds the cabinet in the seed world, the Sunni
    # bloc little of it
    w = courting(world(**QUICK), available_share=1.0, half_life_days=5.0, size_weight=0.0,
                 prospect_weight=0.0, affinity_weight=0.0, sect_weight=0.0,
                 portfolio_weight=10.0)
    m = run_formation(w, SEATS)
    to = [e.details["to"] for e in kinds(m, "deputies_joined")]
    assert to and to.count("cf") > 0.8 * len(to)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), share=st.floats(0.0, 1.0),
       half_life=st.floats(1.0, 120.0))
def test_seats_are_conserved_and_no_grouping_joins_a_cabinet(seed: int, share: float,
                                                             half_life: float) -> None:
    w = courting(world(**QUICK), available_share=share, half_life_days=half_life)
    m = run_formation(w, SEATS, seed=seed)
    grouping_seats = {g: SEATS.get(g, 0) for g in GROUPINGS}
    for e in m.events:
        if "seats" in e.changes:
            assert sum(e.changes["seats"].values()) == 329
            assert all(n >= 0 for n in e.changes["seats"].values())
        if e.kind == "deputies_joined":
            g = e.details["from"]
            assert e.changes["seats"][g] == grouping_seats[g] - e.details["count"]
            grouping_seats[g] = e.changes["seats"][g]
        if e.kind == "government_formed":
            # a grouping sits in a cabinet only as the prime minister's own list
            assert not (GROUPINGS - {e.changes["pm"]}) & set(e.changes["government"])
        if e.kind == "confidence_vote":
            assert not GROUPINGS & set(e.details["coalition"])
    assert sum(m.state.seats.values()) == 329


# --- set beside the record ------------------------------------------------------------------

def _joined(run: Any, by: str | None = None) -> dict[str, int]:
    """Grouping deputies who joined each bloc (up to the first event of kind `by`, if given)."""
    out: dict[str, int] = {}
    for e in run.events:
        if e.kind == by:
            break
        if e.kind == "deputies_joined":
            out[e.details["to"]] = out.get(e.details["to"], 0) + e.details["count"]
    return out


@cache
def hindcast() -> list[Any]:
    sc = sim.load_scenario(ROOT / "scenarios" / "hindcast_2021.yaml")
    return [sim.run(sc, seed=s) for s in range(20)]


def test_hindcast_framework_draws_most_grouping_deputies_as_in_2021_22() -> None:
    """2021-22: the Framework's lists (55 certified seats in the model's actors) reached 88 at
    the first session and 94 by late February 2022 (+33 to +39); the Sadrists went from 73 to
    more than 85 (about +12); about 46 independents were still unaligned in May 2022."""
    runs = hindcast()
    cf = [_joined(r).get("cf", 0) for r in runs]
    sadr = [_joined(r).get("sadrist_bloc", 0) for r in runs]
    assert all(n > 0 for n in cf)  # such moves happen in every run after an election
    assert 25 <= median(cf) <= 45, cf  # the record: +33 to +39
    assert 3 <= median(sadr) <= 16, sadr  # the record: about +12
    assert mean(cf) > 2 * mean(sadr)
    # the courting began with the preliminary results (11-16 Oct 2021), so most of the growth
    # was in place at the first session of 9 Jan 2022: 33 of the 39 by late February
    # [ALGHADEER-2022-01-09, SHAFAQ-2022-02-21], 85%
    early = [_joined(r, by="parliament_convened").get("cf", 0) / n
             for r, n in zip(runs, cf, strict=True)]
    assert 0.75 <= median(early) <= 0.95, early
    # grouping deputies who never joined (the end house also holds runners-up who took
    # resigned Sadrists' seats, so count from the certified result)
    left = [sum(r.summary["seats_elected"][g] for g in GROUPINGS) - r.summary["deputies_joined"]
            for r in runs]
    assert 20 <= median(left) <= 55, left  # the record: about 46 still apart in May 2022
    for r in runs:  # the summary keeps the certified result beside the end
        assert r.summary["seats_elected"]["sadrists"] == 73
        assert r.summary["deputies_joined"] == sum(_joined(r).values())
    # June 2022: only the Sadrists' own 73 resigned; deputies who had joined their bloc stay
    quits = [(r, e) for r in runs for e in r.events if e.kind == "deputies_resigned"]
    for r, e in quits:
        assert e.details["seats_vacated"] == 73
        joined = sum(x.details["parties"].get("sadrists", 0) for x in r.events[:e.id]
                     if x.kind == "deputies_joined")
        assert sum(e.details.get("returned", {}).values()) == joined


def test_baseline_shows_moves_after_its_election_in_most_runs() -> None:
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    runs = [sim.run(sc, seed=s).summary for s in range(10)]
    moved = [s["deputies_joined"] for s in runs]
    assert sum(n > 0 for n in moved) >= 8, moved
    # set beside 2021-22, when the Framework drew in 33-39 grouping deputies after the vote:
    # the same order of magnitude, not a handful and not the whole of the groupings
    assert 10 <= median(moved) <= 50, moved
    for s in runs:
        # the largest bloc's growth from the certified result: grouping seats only shrink
        lost = {p for p, n in s["seats_elected"].items() if s["seats"].get(p, 0) < n}
        assert lost <= GROUPINGS | set(s["boycotting"])
        # a grouping sits in a cabinet only as the prime minister's own list (Eidani's)
        assert not (GROUPINGS - {s["prime_minister_party"]}) & set(s["government"])
