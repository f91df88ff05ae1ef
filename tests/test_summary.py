"""The summary's assumptions say what each guess is about, not only where it sits in the
world (issue 11, item 5: `relationships.31.weight` must name its pair)."""

from __future__ import annotations

import re
from pathlib import Path

import sim
from sim.scenario import resolved
from tests.world_numbers import world_numbers

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
    numbers = world_numbers(world.model_dump())
    missing = [path for path in numbers.assumed + numbers.bare if path not in listed]
    assert not missing, missing[:20]
    assert {"actors.aah.issues.election_law", "candidates.maliki.positions",
            "ministries.Defence.weight", "actors.aah.policy.cadence",
            "vote_management.sol"} <= listed



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


def test_a_scenario_s_own_numbers_are_listed_with_the_reason_it_gives() -> None:
    """The numbers a what-if's events and triggers write (an alliance's strength, a reaction's
    delay and probability) drive the run like world values: each is listed, noted as the
    what-if's own definition with the reason the scenario gives; `$parameters` are not."""
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    listed = {a["field"]: a for a in sim.run(scenario, seed=1, until=5).summary["assumptions"]}
    closes = next(i for i, t in enumerate(scenario.triggers) if t.name == "framework_closes_ranks")
    for field, value in (("probability", 0.8), ("delay", 10.0), ("then.strength", 0.4)):
        entry = listed[f"scenario.triggers.{closes}.{field}"]
        assert entry["value"] == value
        assert entry["note"].startswith("the what-if's own definition (scenario sadr_returns")
        assert entry["note"].endswith(scenario.triggers[closes].assumption or "?")
        assert "framework_closes_ranks" in entry["about"]
    rally = next(i for i, e in enumerate(scenario.events) if e.do.name == "return_rally")
    assert listed[f"scenario.events.{rally}.do.strength"]["value"] == 0.6
    assert not any(f.startswith("scenario.") and f.endswith(".day") for f in listed)
    returns = next(i for i, e in enumerate(scenario.events) if e.do.name == "sadr_returns")
    assert not any(f.startswith(f"scenario.events.{returns}.") for f in listed)


def test_every_shipped_scenario_gives_a_reason_for_its_own_numbers() -> None:
    """Its events' and triggers' numbers, and its `world:` overrides (a terse bare number is
    for an analyst's own what-if, not for a shipped one)."""
    from sim.summary import UNCITED

    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        summary = sim.run(sim.load_scenario(path), seed=0, until=1).summary
        silent = [a["field"] for a in summary["assumptions"]
                  if a["field"].startswith("scenario.") and "no reason given" in a["note"]
                  or a["note"] == UNCITED]
        assert not silent, f"{path.name}: {silent}"


def test_a_scenario_event_cited_to_a_source_is_not_an_assumption(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "sadr_returns.yaml").read_text(encoding="utf-8")
    cited = text.replace('    assumption: "a first rally', '    external: "FACTS: History"\n'
                         '    note_: "a first rally', 1).replace("    note_: ", "    # ", 1)
    (tmp_path / "baseline.yaml").write_text(
        (ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sadr_returns.yaml").write_text(cited, encoding="utf-8")
    assert cited != text
    scenario = sim.load_scenario(tmp_path / "sadr_returns.yaml")
    listed = {a["field"] for a in sim.run(scenario, seed=1, until=5).summary["assumptions"]}
    rally = next(i for i, e in enumerate(scenario.events) if e.do.name == "return_rally")
    assert f"scenario.events.{rally}.do.strength" not in listed


def test_a_world_override_s_bare_numbers_are_listed_and_never_inherit_a_reason(
        tmp_path: Path) -> None:
    """A scenario's `world:` may stay terse: a stance or a weight given as bare numbers is read,
    and listed as given without provenance; a stance merged with new numbers does not keep the
    shipped stance's reason (it was for the old numbers); one given with its own reason
    replaces the shipped one whole."""
    import shutil

    from sim.summary import UNCITED

    shutil.copy(ROOT / "scenarios" / "baseline.yaml", tmp_path / "baseline.yaml")
    (tmp_path / "terse.yaml").write_text(
        "name: terse\nextends: baseline.yaml\ndescription: x\nworld:\n  actors:\n"
        "    aah: {issues: {election_law: {position: 40, salience: 0.5},\n"
        "                   pmf_law: {position: 90, salience: 0.8, assumption: why not}}}\n"
        "  ministries: {Finance: {weight: 2.5}}\n", encoding="utf-8")
    scenario = sim.load_scenario(tmp_path / "terse.yaml")
    world = resolved(scenario)["world"]
    assert world.actors["aah"].issues["election_law"].provenance is None
    assert world.actors["aah"].issues["pmf_law"].assumption == "why not"
    listed = {a["field"]: a for a in sim.run(scenario, seed=1, until=5).summary["assumptions"]}
    assert listed["actors.aah.issues.election_law.position"]["note"] == UNCITED
    assert listed["actors.aah.issues.election_law.position"]["value"] == 40
    assert listed["actors.aah.issues.pmf_law"]["value"] == {"position": 90, "salience": 0.8}
    assert listed["ministries.Finance.weight"] == {
        "field": "ministries.Finance.weight", "about": "Finance ministry: weight",
        "value": 2.5, "note": UNCITED}


def test_a_scenario_knob_gives_its_own_reason_and_a_cited_one_is_no_assumption(
        tmp_path: Path) -> None:
    """`policies: {actor: {knob: {value, assumption}}}` runs as the bare number does, and the
    run lists the knob with the reason the scenario gives; a knob cited by `seed` or
    `external` is not an assumption."""
    head = "name: k\nextends: baseline.yaml\ndescription: x\npolicies:\n  sol:\n"
    (tmp_path / "baseline.yaml").write_text(
        (ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    variants = {
        "bare": "    law_push: 0.6\n",
        "reasoned": '    law_push: {value: 0.6, assumption: "Maliki presses on"}\n',
        "sourced": '    law_push: {value: 0.6, external: "FACTS: History"}\n',
    }
    runs = {}
    for name, knob in variants.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(head + knob, encoding="utf-8")
        runs[name] = sim.run(sim.load_scenario(path), seed=2, until=200)
    assert runs["bare"].events_jsonl() == runs["reasoned"].events_jsonl() \
        == runs["sourced"].events_jsonl()
    field = "scenario.policies.sol.law_push"
    listed = {k: {a["field"]: a for a in r.summary["assumptions"]} for k, r in runs.items()}
    assert listed["bare"][field]["note"] == \
        "the what-if's own definition (scenario k, its policies: section)"
    assert listed["reasoned"][field]["note"].endswith(": Maliki presses on")
    assert listed["reasoned"][field]["value"] == 0.6
    assert field not in listed["sourced"]
