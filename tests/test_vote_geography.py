"""The Sadrists' and AAH's vote geography in the world (`votes.shares`) against the record:
the Sadrist potential is their 2018 geography at their 2021 national vote; AAH's share is its
place inside Nabni in the December 2023 provincial vote, and the baseline's AAH seats land where
that record puts them."""

from __future__ import annotations

from pathlib import Path
from statistics import median

import pytest

import sim
from sim.scenario import resolved
from sim.schema.world import World

ROOT = Path(__file__).resolve().parents[1]
# Sairoon's 54 seats of 2018 by governorate [ARABPRESS-2018-FINAL]
SADRISTS_2018 = {"Baghdad": 17, "Dhi Qar": 6, "Basra": 5, "Maysan": 5, "Babil": 4, "Najaf": 4,
                 "Karbala": 3, "Qadisiyah": 3, "Wasit": 3, "Diyala": 2, "Muthanna": 2}
SADRISTS_2021_VOTE = 0.1000   # national share of the vote, Oct 2021 [WIKI-PARL-2021]
ROUNDING = 0.0006


@pytest.fixture(scope="module")
def world() -> World:
    w: World = resolved(sim.load_scenario(ROOT / "scenarios" / "baseline.yaml"))["world"]
    return w


def test_the_sadrist_potential_is_their_2018_map_at_their_2021_vote(world: World) -> None:
    assert sum(SADRISTS_2018.values()) == 54
    seats = {g: gv.seats.value for g, gv in world.governorates.items()}
    rows = world.votes.shares
    assert {g for g, row in rows.items() if row.get("sadrists", 0) > 0} == set(SADRISTS_2018)
    factor = SADRISTS_2021_VOTE * sum(seats.values()) / 54
    for g, n in SADRISTS_2018.items():
        assert rows[g]["sadrists"] == pytest.approx(factor * n / seats[g], abs=ROUNDING), g
    national = sum(seats[g] * row.get("sadrists", 0) for g, row in rows.items()) / sum(
        seats.values())
    assert national == pytest.approx(SADRISTS_2021_VOTE, abs=0.002)


def test_each_row_is_still_a_whole_vote(world: World) -> None:
    for g, row in world.votes.shares.items():
        assert sum(row.values()) == pytest.approx(1.0, abs=0.01), g


def test_aah_holds_its_2023_place_inside_nabni(world: World) -> None:
    """AAH won 10 of Nabni's 43 council seats in Dec 2023 [seed; AA-2023-12-29]: its share of
    the Nabni parties' vote (Badr, AAH, KH) is about a quarter wherever Nabni's vote is known."""
    for g, rec in world.votes.record_2023.items():
        if "Nabni" not in rec.votes:
            continue
        row = world.votes.shares[g]
        inside = row["aah"] / (row["aah"] + row["badr"] + row.get("kh", 0.0))
        assert 0.18 <= inside <= 0.30, (g, inside)


def test_aahs_baseline_seats_match_its_2023_provincial_weight() -> None:
    """10 of the 275 general council seats of 2023 [seed; FACTS.md] in governorates holding 285
    parliamentary seats make about 10 seats in 2025 with the Sadrists out (the baseline)."""
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    won = [sim.run(sc, seed=s).summary["elections"][0]["seats"].get("aah", 0)
           for s in range(12)]
    assert 6 <= median(won) <= 15, won
    assert 10 / 275 * 285 == pytest.approx(10.4, abs=0.1)
