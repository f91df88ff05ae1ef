"""A small world that is not Iraq, to show the reports know no world of their own.

Five actors with ids, names, colours and camps of their own, a chamber of 101 seats (majority
51), two provinces, other ministries and posts (one of each post kind), and a scenario with an
election.  The formation, behaviour and law sections are the seed world's mechanics (numbers
with their provenance), with every reference to an actor replaced; the reports must draw it
from its summary alone.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
A = {"assumption": "a made-up world for the reports' tests"}

ACTORS: dict[str, dict[str, Any]] = {
    "harbour": {"name": "Harbour League", "kind": "party", "sect": "sunni", "colour": "#1b9e77",
                "bloc": "union", "policy": {"kind": "broker", "cadence": 45}},
    "valley": {"name": "Valley Movement for Renewal and Justice", "kind": "party",
               "sect": "sunni", "colour": "#d95f02", "bloc": "union",
               "policy": {"kind": "follower", "cadence": 60}},
    "union": {"name": "Union of the Coast", "kind": "bloc", "sect": "sunni",
              "colour": "#7570b3", "members": ["harbour", "valley"]},
    "highland": {"name": "Highland Front", "kind": "party", "sect": "kurd", "colour": "#e7298a",
                 "policy": {"kind": "broker", "cadence": 45}},
    "townsfolk": {"name": "Townsfolk lists", "kind": "list", "sect": "mixed",
                  "colour": "#999999", "policy": {"kind": "follower", "cadence": 90}},
}
SEATS = {"harbour": 40, "valley": 24, "highland": 26, "townsfolk": 11}  # 101
SHORT = {"valley": "Valley"}
PLACES = {"harbour": [-1.0, 0.2], "valley": [-0.4, -0.5], "union": [-0.8, 0.7],
          "highland": [1.0, 0.3], "townsfolk": [0.2, -1.0]}
POSTS = {
    "governor_east": {"kind": "governorship", "governorate": "Eastmarch", "weight": 1,
                      "holder": {"value": "harbour", **A}},
    "radio_board": {"kind": "media", "weight": 1, "holder": {"value": "valley", **A}},
    "coast_guard": {"kind": "security", "weight": 1, "holder": {"value": "highland", **A}},
    "fisheries": {"kind": "lever", "weight": 1, "holder": {"value": "harbour", **A}},
}


def world_data() -> dict[str, Any]:
    """The other world as YAML data (its mechanics borrowed from the seed world)."""
    seed = yaml.safe_load((ROOT / "seeds" / "world.yaml").read_text(encoding="utf-8"))
    formation = copy.deepcopy(seed["formation"])
    formation["veto_players"] = {"guild": {"name": "the Guild of Elders"}}
    formation["declared_opposition"] = {"value": [], **A}
    formation["not_parties"] = {"value": ["townsfolk"], **A}
    # this world's conventions: a Kurdish party's candidate for president, a Sunni premier
    formation["president_parties"] = {"value": ["highland"], **A}
    formation["premier_sect"] = {"value": "sunni", **A}
    formation.pop("withdrawal", None)
    laws = {"plain": {"method": "sainte-lague", "position": 50,
                      "source": {"value": "one list vote per province", **A}}}
    share = {p: round(n / 101, 4) for p, n in SEATS.items()}
    return {
        "seed_document": seed["seed_document"],
        "start_date": "2030-01-01",
        "parliament": {"size": {"value": 101, **A}, "confidence_quota": {"value": 51, **A},
                       "president_quorum": {"value": 68, **A},
                       "seats": {p: {"value": n, **A} for p, n in SEATS.items()}},
        "actors": copy.deepcopy(ACTORS),
        "ministries": {
            "Treasury": {"weight": 3, "sovereign": True, "holder": {"value": "harbour", **A}},
            "Roads": {"weight": 1, "holder": {"value": "valley", **A}},
            "Watch": {"weight": 2, "security": True, "holder": {"value": "highland", **A}},
        },
        "posts": copy.deepcopy(POSTS),
        "relationships": [
            {"a": "harbour", "b": "valley", "weight": {"value": 0.7, **A}},
            {"a": "harbour", "b": "highland", "weight": {"value": -0.5, **A}},
            {"a": "valley", "b": "highland", "weight": {"value": 0.4, **A}},
        ],
        "governorates": {"Eastmarch": {"seats": {"value": 60, **A}, "region": "east"},
                         "Westmarch": {"seats": {"value": 41, **A}, "region": "west"}},
        "votes": {"source": {"value": "made up", **A}, "turnout": {"value": 0.5, **A},
                  "voters_per_seat": {"value": 1000, **A},
                  "shares": {"Eastmarch": dict(share), "Westmarch": dict(share)}},
        "laws": laws,
        "election_law": "plain",
        "government": {"prime_minister": {"value": "ada", **A},
                       "members": {"value": ["harbour", "valley"], **A},
                       "formed": "2029-06-01"},
        "candidates": {
            "ada": {"name": "Ada Brightwater", "party": {"value": "harbour", **A},
                    "sect": "sunni", "standing": {"value": 0.6, **A}},
            "bo": {"name": "Bo Stonefield", "party": {"value": "highland", **A},
                   "sect": "kurd", "standing": {"value": 0.5, **A}},
        },
        "formation": formation,
        "behaviour": copy.deepcopy(seed.get("behaviour") or {}),
        "sources": copy.deepcopy(seed.get("sources") or {}),
        "display": {"short": SHORT, "map": PLACES, "camps": ["kurd", "sunni", "mixed"],
                    "seated_last": ["townsfolk"]},
    }


SCENARIO = """\
name: other_world
description: a world that is not Iraq, with an election and a clash
start_date: 2030-01-01
horizon_days: 400
events:
  - {day: 20, do: {kind: clash, actors: [harbour, highland], name: fight}}
  - {day: 30, do: {kind: election, name: vote}}
"""


def write(folder: Path) -> Path:
    """Write seeds/world.yaml and scenarios/other_world.yaml under `folder`; the scenario."""
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    (folder / "seeds" / "world.yaml").write_text(
        yaml.safe_dump(world_data(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    path = folder / "scenarios" / "other_world.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path
