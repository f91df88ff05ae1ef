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


def test_assumptions_list_the_knob_defaults_a_run_used(tmp_path: Path) -> None:
    import shutil

    from sim.catalogue import POLICY_KNOB_SPECS

    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    world = resolved(scenario)["world"]
    base = sim.run(scenario, seed=1, until=5).summary
    knobs = {a["field"]: a for a in base["assumptions"] if ".policy.params." in a["field"]}
    # the world sets the Sadrists' other knobs; rest_days comes from the declared default
    entry = knobs["actors.sadrists.policy.params.rest_days"]
    declared = POLICY_KNOB_SPECS["sadr"]["rest_days"]
    assert entry["value"] == declared.default
    assert entry["note"] == declared.provenance()["assumption"]
    for field, a in knobs.items():  # knobs of the actors' own behaviours: a default left
        actor, knob = field.split(".")[1], field.split(".")[-1]  # unset, or a world value
        spec = world.actors[actor].policy
        assert knob in POLICY_KNOB_SPECS[spec.kind], field
        if knob in spec.params:  # set by the world, with an assumption of its own
            assert a["note"] == spec.params[knob].assumption, field
        else:
            assert a["note"] == POLICY_KNOB_SPECS[spec.kind][knob].provenance()["assumption"]
    shutil.copy(ROOT / "scenarios" / "baseline.yaml", tmp_path / "baseline.yaml")
    (tmp_path / "rested.yaml").write_text(
        "name: rested\nextends: baseline.yaml\ndescription: x\n"
        "policies: {sadrists: {rest_days: 60}}\n")
    rested = sim.run(sim.load_scenario(tmp_path / "rested.yaml"), seed=1, until=5).summary
    assert "actors.sadrists.policy.params.rest_days" not in {
        a["field"] for a in rested["assumptions"]}


def test_every_number_of_the_world_is_cited_or_listed_as_an_assumption() -> None:
    """A run's assumptions list every figure of its world that is not cited to the seed or an
    outside source: the `assumption:` values, and the bare numbers the world gives without any
    provenance (stances, candidates' positions, ministries' weights, cadences...), which a run
    reads all the same.  Checked against the world's own dump, not the summary's walker; the
    exemptions are the parts cited as a whole (vote shares and provincial records by their
    `source`, past events by theirs, a law's formula by the law's `source`) and the display
    section, which drives nothing."""
    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    world = resolved(scenario)["world"]
    listed = {a["field"] for a in sim.run(scenario, seed=1, until=5).summary["assumptions"]}
    exempt = re.compile(r"(votes|history|display)\..*|laws\.[^.]+\.(first_divisor|districts)")
    missing: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if "value" in node and {"seed", "external", "assumption"} & set(node):
                if node.get("assumption") and not (node.get("seed") or node.get("external")):
                    missing.extend([] if path in listed else [path])
                return
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}.{i}")
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if not exempt.fullmatch(path) and path not in listed:
                missing.append(path)

    walk(world.model_dump(), "")
    assert not missing, missing[:20]
    assert {"actors.aah.issues.election_law.position", "candidates.maliki.positions.premiership",
            "ministries.Finance.weight", "actors.aah.policy.cadence"} <= listed


def test_engine_knobs_left_at_their_default_are_listed_as_assumptions(tmp_path: Path) -> None:
    """An engine knob (`sim.institutions.knobs`) no scenario parameter sets runs at its declared
    default: an assumption of that run when its note says so (defection_rate decides how
    many members' deputies vote against a cabinet), none when the default is neutral (a scale
    of 1, a mechanism switched off).  A parameter of the knob's name takes it off the list."""
    import shutil

    from sim.institutions.knobs import KNOB_NOTES, KNOBS

    assert set(KNOB_NOTES) == set(KNOBS)
    assert all(n.startswith(("assumption: ", "neutral: ")) for n in KNOB_NOTES.values())
    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    listed = {a["field"]: a for a in sim.run(scenario, seed=1, until=5).summary["assumptions"]}
    entry = listed["knobs.defection_rate"]
    assert entry["value"] == KNOBS["defection_rate"]
    assert entry["note"] == KNOB_NOTES["defection_rate"].removeprefix("assumption: ")
    assert "knobs.clash_intensity" not in listed  # neutral
    assert "knobs.vote_noise" not in listed  # the baseline declares it as a parameter
    shutil.copy(ROOT / "scenarios" / "baseline.yaml", tmp_path / "baseline.yaml")
    (tmp_path / "long.yaml").write_text(
        "name: long\nextends: baseline.yaml\ndescription: x\n"
        "parameters: {defection_rate: {default: 0.1, range: [0.0, 0.2]}}\n")
    longer = sim.run(sim.load_scenario(tmp_path / "long.yaml"), seed=1, until=5).summary
    assert "knobs.defection_rate" not in {a["field"] for a in longer["assumptions"]}
