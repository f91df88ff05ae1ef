"""The shipped scenarios: they validate, and each what-if moves the outcome the way it says.

Effects are judged over ten seeds against the baseline at the same seeds, by counts and means,
never by a single run.  The 2025 election is the one scheduled for 11 Nov 2025.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from statistics import mean
from typing import Any

import pytest

import sim
from sim.scenario import resolved
from sim.schema.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
# hindcast_2014 is a check of the model against 2014, not a what-if: it keeps the baseline's
# parameters on purpose (nothing tuned to 2014)
WHAT_IFS = [p.stem for p in SCENARIO_FILES if p.stem not in ("baseline", "hindcast_2014")]
SEEDS = range(10)
SIZE = 329
GROUPINGS = {"independents", "others", "minorities", "governors"}  # formation.not_parties
ELECTION_2025 = "2025-11-11"
REQUIRED_KEYS = ("seats", "prime_minister", "government", "ministries", "influence",
                 "casualties", "elections")
OUTCOME_KEYS = ("seats", "prime_minister", "government", "ministries", "posts", "influence",
                "casualties", "clashes", "sanctioned", "state_sanctioned", "election_law",
                "elections", "boycotting", "alliances")


@cache
def scenario(name: str) -> Scenario:
    return sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml")


@cache
def summary(name: str, seed: int) -> dict[str, Any]:
    return sim.run(scenario(name), seed=seed).summary


def summaries(name: str) -> list[dict[str, Any]]:
    return [summary(name, s) for s in SEEDS]


def election_2025(s: dict[str, Any]) -> dict[str, Any]:
    found = [e for e in s["elections"] if e["date"] == ELECTION_2025]
    assert len(found) == 1, f"expected one election on {ELECTION_2025}, got {s['elections']}"
    return found[0]


def seats_2025(s: dict[str, Any]) -> dict[str, int]:
    return election_2025(s)["seats"]


# --- every scenario is valid and declares its knobs ---------------------------------------

def test_the_expected_scenarios_are_shipped() -> None:
    names = {p.stem for p in SCENARIO_FILES}
    assert {"baseline", "sadr_returns", "election_law_change", "sudani_khazali_alliance",
            "law_change_then_sadr_returns"} <= names


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_validates_and_declares_ranged_parameters(path: Path) -> None:
    sc = sim.load_scenario(path)
    assert sc.name == path.stem
    ranged = {n: p for n, p in sc.parameters.items() if p.range is not None}
    assert ranged, f"{path.name} declares no parameter with a range"
    for name, p in sc.parameters.items():
        lo, hi = p.bounds()
        assert isinstance(p.default, float)
        assert lo < hi, f"{name}: empty range"
        assert lo <= p.default <= hi, name
    assert len(sim.scenario_hash(sc)) == 64


@pytest.mark.parametrize("name", WHAT_IFS)
def test_what_if_declares_a_ranged_parameter_of_its_own(name: str) -> None:
    own = set(scenario(name).parameters) - set(scenario("baseline").parameters)
    assert any(scenario(name).parameters[p].range is not None for p in own), (
        f"{name} adds no knob of its own to the baseline's")


@pytest.mark.parametrize("name", [p.stem for p in SCENARIO_FILES])
def test_every_run_has_the_summary_contract(name: str) -> None:
    size = resolved(scenario(name))["world"].parliament.size.value  # 328 in 2014
    for s in summaries(name):
        missing = [k for k in REQUIRED_KEYS if k not in s]
        assert missing == []
        assert sum(s["seats"].values()) == size
        assert all(n >= 0 for n in s["seats"].values())
        assert s["casualties"] >= 0
        assert s["influence"] and sum(s["influence"].values()) == pytest.approx(1, abs=1e-4)
        # the prime minister is a person (world `candidates`), their party an actor or null
        assert s["prime_minister"] is None or s["prime_minister"] in s["people"]
        assert s["prime_minister_party"] is None or s["prime_minister_party"] in s["actors"]
        assert set(s["government"]) <= set(s["actors"])
        assert set(s["ministries"]) == set(s["ministries_initial"])
        for e in s["elections"]:
            assert sum(e["seats"].values()) == size
            assert sum(e["seats_before"].values()) == size
        # after the vote seats move only by a bloc's resignation (formation's
        # `deputies_resigned`: the resigned party sits with 0, boycotting until Sadr's call
        # may end it) or by grouping deputies joining blocs (`deputies_joined`: only groupings
        # lose); the summary keeps the certified result beside the house at the end
        voted = s["elections"][-1]["seats"]
        assert s["seats_elected"] == voted
        lost = {p for p, n in voted.items() if s["seats"].get(p, 0) < n}
        resigned = {p for p in lost if s["seats"][p] == 0}
        assert lost - resigned <= GROUPINGS, lost - resigned
        assert lost or voted == s["seats"]
        json.dumps(s)  # JSON-able


# --- direction of effect ----------------------------------------------------------------

def test_baseline_sadrists_stay_out_of_the_2025_parliament() -> None:
    assert all(seats_2025(s)["sadrists"] == 0 for s in summaries("baseline"))
    assert all("sadrists" in s["boycotting"] for s in summaries("baseline"))


def test_sadr_returns_wins_the_sadrists_seats_in_2025() -> None:
    won = [seats_2025(s)["sadrists"] for s in summaries("sadr_returns")]
    assert sum(n > 0 for n in won) >= 9, won
    assert mean(won) > 40, won
    # they stay in, unless their bloc was blocked after the vote and Sadr withdrew his
    # deputies (formation's `deputies_resigned`, as in June 2022)
    assert all("sadrists" not in s["boycotting"]
               or s["seats"]["sadrists"] == 0 < seats_2025(s)["sadrists"]
               for s in summaries("sadr_returns"))


def test_sadr_returns_brings_more_casualties_than_baseline() -> None:
    # 30 seeds, not SEEDS: most clashes are skirmishes and a protest wave of hours rarely comes
    # to blows, so ten seeds of sadr_returns may hold one bloodless clash (seeds 0-29: 19
    # clashes, 162 dead; the baseline's Sadrists boycott and nobody fights)
    seeds = range(30)
    what_if = [summary("sadr_returns", seed)["casualties"] for seed in seeds]
    base = [summary("baseline", seed)["casualties"] for seed in seeds]
    assert mean(what_if) > mean(base)


def test_election_law_change_usually_passes_the_amendment() -> None:
    laws = [s["election_law"] for s in summaries("election_law_change")]
    assert sum(law == "maliki_amendment" for law in laws) >= 6, laws
    assert all(s["election_law"] == "2023_sl17" for s in summaries("baseline"))
    passed = [election_2025(s)["law"] for s in summaries("election_law_change")]
    assert sum(law == "maliki_amendment" for law in passed) >= 6, passed


def test_election_law_change_changes_the_2025_seats() -> None:
    differ = [seats_2025(a) != seats_2025(b)
              for a, b in zip(summaries("election_law_change"), summaries("baseline"),
                              strict=True)]
    assert sum(differ) >= 8, differ


def test_election_law_change_costs_sudanis_list_seats() -> None:
    """The reason the scenario names (the seed: Maliki amends the law so that Sudani cannot win
    seats enough to be difficult): where the amendment passed, Sudani's list wins fewer seats
    than in the baseline at the same seed."""
    pairs = [(seats_2025(a)["sudani"], seats_2025(b)["sudani"])
             for a, b in zip(summaries("election_law_change"), summaries("baseline"), strict=True)
             if election_2025(a)["law"] == "maliki_amendment"]
    assert len(pairs) >= 6
    assert mean(w for w, _ in pairs) < mean(b for _, b in pairs) - 5, pairs
    assert sum(w < b for w, b in pairs) >= 0.7 * len(pairs), pairs


def test_the_baseline_keeps_the_sudani_khazali_alliance_possible_not_certain() -> None:
    allied = [["aah", "sudani"] in s["alliances"] for s in summaries("baseline")]
    assert 2 <= sum(allied) <= 8, allied


def test_maliki_backlash_makes_the_amendment_pass_and_costs_sudani() -> None:
    """The alliance what-if's one behavioural knob must move an outcome: with the backlash
    Maliki whips the Framework and bargains for partners' votes, and the amendment passes."""
    sc = scenario("sudani_khazali_alliance")
    runs = {b: [sim.run(sc, seed=s, parameters={"maliki_backlash": b}).summary for s in SEEDS]
            for b in (0.0, 1.0)}
    passed = {b: sum(r["election_law"] == "maliki_amendment" for r in rs)
              for b, rs in runs.items()}
    assert passed[0.0] == 0 and passed[1.0] >= 3, passed
    seats = {b: mean(seats_2025(r)["sudani"] for r in rs) for b, rs in runs.items()}
    assert seats[1.0] < seats[0.0], seats


def test_sudani_khazali_alliance_wins_sudani_more_seats() -> None:
    """The alliance itself wins Sudani seats at every seed (Maliki's backlash switched off);
    with the backlash the amendment often passes and takes much of the gain back (its own test
    above), so the what-if as shipped gains less."""
    sc = scenario("sudani_khazali_alliance")
    direct = [seats_2025(sim.run(sc, seed=s, parameters={"maliki_backlash": 0.0}).summary)
              ["sudani"] for s in SEEDS]
    what_if = [seats_2025(s)["sudani"] for s in summaries("sudani_khazali_alliance")]
    base = [seats_2025(s)["sudani"] for s in summaries("baseline")]
    assert sum(w > b for w, b in zip(direct, base, strict=True)) >= 8, (direct, base)
    assert mean(direct) > mean(what_if) >= mean(base) - 2, (direct, what_if, base)
    assert all(["aah", "sudani"] in s["alliances"] for s in summaries("sudani_khazali_alliance"))


def test_law_change_then_sadr_returns_does_both() -> None:
    both = [s["election_law"] == "maliki_amendment" and seats_2025(s)["sadrists"] > 0
            and "sadrists" not in s["boycotting"]
            for s in summaries("law_change_then_sadr_returns")]
    assert sum(both) >= 7, both
    won = [seats_2025(s)["sadrists"] for s in summaries("law_change_then_sadr_returns")]
    assert mean(won) > 40, won


@pytest.mark.parametrize("name", WHAT_IFS)
def test_what_if_outcome_differs_from_baseline_at_every_seed(name: str) -> None:
    for seed in SEEDS:
        a, b = summary(name, seed), summary("baseline", seed)
        assert a["scenario"] == name and b["scenario"] == "baseline"
        assert any(a[k] != b[k] for k in OUTCOME_KEYS), f"{name} seed {seed}: same outcome"


# --- stopping early ---------------------------------------------------------------------

@pytest.mark.parametrize("until", [100, 300.5, "2025-01-01", "250"])
def test_until_stops_the_run_early(until: float | str) -> None:
    full = summary("sadr_returns", 4)
    r = sim.run(scenario("sadr_returns"), seed=4, until=until)
    s = r.summary
    day = r.until
    assert day is not None and 0 < day < full["end_day"]
    assert s["end_day"] <= day
    assert all(e.t <= day for e in r.events)
    assert s["elections"] == []  # the 2025 election lies beyond every stop above
    assert sum(s["seats"].values()) == SIZE
    if until == "2025-01-01":
        assert s["end_date"] <= "2025-01-01"
    # the early stop is a prefix of the full run: same seed, same story so far
    prefix = sim.run(scenario("sadr_returns"), seed=4).events
    assert [e.id for e in r.events] == [e.id for e in prefix[: len(r.events)]]
    assert r.events == prefix[: len(r.events)]


@pytest.mark.parametrize("until", [0, -5, 1101, "2024-05-31", "2027-06-07", "soon", "nan"])
def test_until_outside_the_window_is_an_input_error(until: float | str) -> None:
    with pytest.raises(sim.InputError) as info:
        sim.run(scenario("baseline"), seed=0, until=until)
    assert info.value.problems[0].field == "--until"


# --- parameter values -------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"sadr_restraint": 1.5}, {"sadr_restraint": -0.1}, {"sadr_return_day": -50},
    {"sadr_return_day": 481}, {"vote_noise": float("nan")}, {"vote_noise": "lots"},
    {"no_such_knob": 1.0},
], ids=str)
def test_bad_parameter_values_are_input_errors(params: dict[str, Any]) -> None:
    """Refused up front with the parameter's name, never a crash deep in the engine."""
    with pytest.raises(sim.InputError) as info:
        sim.run(scenario("sadr_returns"), seed=0, parameters=params)
    (problem,) = info.value.problems
    assert problem.field == f"parameters.{next(iter(params))}"


def test_parameters_at_their_declared_bounds_run() -> None:
    sc = scenario("sadr_returns")
    for pick in (0, 1):
        params = {n: p.bounds()[pick] for n, p in sc.parameters.items()}
        s = sim.run(sc, seed=1, parameters=params).summary
        assert s["parameters"] == {n: float(v) for n, v in sorted(params.items())}
        assert sum(s["seats"].values()) == SIZE
