"""The summary's assumptions say what each guess is about, not only where it sits in the
world (issue 11, item 5: `relationships.31.weight` must name its pair)."""

from __future__ import annotations

import re
from pathlib import Path

import sim
from sim.scenario import resolved

ROOT = Path(__file__).resolve().parents[1]


def test_every_assumption_names_what_it_is_about() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    world = resolved(scenario)["world"]
    summary = sim.run(scenario, seed=1, until=5).summary
    assert summary["assumptions"]
    for a in summary["assumptions"]:
        assert a["about"] and not re.fullmatch(r"[\w.]+", a["about"]), a  # words, not a path
        match = re.fullmatch(r"relationships\.(\d+)\.weight", a["field"])
        if match:
            rel = world.relationships[int(match.group(1))]
            assert a["about"] == (f"relationship between {world.actors[rel.a].name} and "
                                  f"{world.actors[rel.b].name}")
        match = re.fullmatch(r"actors\.(\w+)\.(\w+)", a["field"])
        if match:
            assert a["about"].startswith(world.actors[match.group(1)].name + ": ")
    assert any(a["field"].startswith("relationships.") for a in summary["assumptions"])
