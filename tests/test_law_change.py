"""Maliki's amendment: bargaining decides whether it reaches a vote, the vote whether it passes."""

from pathlib import Path

import pytest

import sim
from sim.scenario import resolved
from sim.schema.scenario import Scenario
from sim.state import apply, initial_state

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ["baseline", "sadr_returns", "election_law_change", "sudani_khazali_alliance",
             "law_change_then_sadr_returns"]


@pytest.fixture(scope="module")
def law_change():
    return sim.load_scenario(ROOT / "scenarios" / "election_law_change.yaml")


@pytest.mark.parametrize("name", SCENARIOS)
def test_only_the_events_meant_to_change_them_change_law_pm_and_seats(name: str) -> None:
    """Guards the vocabulary of state changes: description must never move the state."""
    scenario = sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    for seed in range(3):
        run = sim.run(scenario, seed=seed)
        state = initial_state(resolved(scenario)["world"])
        for event in run.events:
            before = (state.law, state.pm, dict(state.seats))
            apply(state, event)
            if state.law != before[0]:
                assert event.kind == "law_changed", event
            if state.pm != before[1]:
                assert event.kind == "government_formed", event
            if state.seats != before[2]:
                assert event.kind in ("election_held", "deputies_resigned",
                                      "deputies_joined"), event


def test_without_kurdish_and_sunni_partners_the_draft_is_shelved(law_change) -> None:
    for seed in range(5):
        run = sim.run(law_change, seed=seed, parameters={"partner_position": 40})
        kinds = [e.kind for e in run.events]
        assert "law_shelved" in kinds and "law_changed" not in kinds
        assert run.summary["election_law"] == "2023_sl17"


def test_with_partners_it_usually_passes_and_moves_seats(law_change) -> None:
    baseline = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    passed = moved = 0
    for seed in range(12):
        run = sim.run(law_change, seed=seed, parameters={"partner_position": 90})
        base = sim.run(baseline, seed=seed)
        passed += run.summary["election_law"] == "maliki_amendment"
        moved += run.summary["elections"][0]["seats"] != base.summary["elections"][0]["seats"]
        for e in run.events:
            if e.kind == "law_proposed":
                assert 0 < e.details["probability"] < 1
    assert passed >= 9 and moved >= 9


def _under(tmp_path: Path, law: str) -> Scenario:
    """The baseline with `law` in force from the start (one lever of the amendment alone)."""
    path = tmp_path / f"under_{law}.yaml"
    base = (ROOT / "scenarios" / "baseline.yaml").as_posix()
    path.write_text(f"name: under_{law}\nextends: {base}\nworld:\n  election_law: \"{law}\"\n",
                    encoding="utf-8")
    return sim.load_scenario(path)


def test_dhondt_favours_the_largest_lists(tmp_path: Path) -> None:
    """The formula lever alone, on the same seeds: the three largest lists (catch-all groupings,
    which run as many small lists, left out) gain seats under D'Hondt."""
    gain = 0
    for seed in range(12):
        new = sim.run(_under(tmp_path, "dhondt_only"), seed=seed).summary["elections"][0]["seats"]
        old = sim.run(_under(tmp_path, "2023_sl17"), seed=seed).summary["elections"][0]["seats"]
        lists = [p for p in old if p not in ("others", "independents")]
        top = sorted(lists, key=lambda p: -old[p])[:3]
        gain += sum(new[p] - old[p] for p in top)
    assert gain > 0


def test_each_lever_of_the_amendment_costs_sudanis_list_what_it_should(tmp_path: Path) -> None:
    """What the seed says the amendment is for: Sudani's seats.  The officials rule takes the
    PM's patronage vote away from his list; D'Hondt alone does not hurt a list as large as his;
    the package costs about what the officials rule does.  Same 20 seeds for each law."""
    def sudani(law: str) -> float:
        sc = _under(tmp_path, law)
        return sum(sim.run(sc, seed=s).summary["elections"][0]["seats"]["sudani"]
                   for s in range(20)) / 20

    base, dhondt, rule, package = (sudani(x) for x in ("2023_sl17", "dhondt_only",
                                                          "officials_rule", "maliki_amendment"))
    assert rule < base - 5, (rule, base)            # the rule costs his list seats
    assert abs(dhondt - base) < base - rule, (dhondt, base, rule)  # the formula barely does
    assert package < base - 5, (package, base)
