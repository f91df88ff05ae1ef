"""The catalogue the loader checks against must match what the engine really does."""

import re
from pathlib import Path

import pytest

import sim
from sim.catalogue import CATEGORIES, EVENT_KINDS, KINDS, POLICY_KNOBS
from sim.policies import POLICIES

ROOT = Path(__file__).resolve().parents[1]


def test_every_policy_kind_is_catalogued() -> None:
    assert set(POLICIES) == set(POLICY_KNOBS)


def test_every_knob_a_policy_reads_is_catalogued() -> None:
    source = (ROOT / "sim" / "policies.py").read_text()
    read = set(re.findall(r'm\.policy\(me, "([a-z_]+)"', source))
    declared = {k for knobs in POLICY_KNOBS.values() for k in knobs}
    assert read <= declared, read - declared


def test_the_engine_refuses_an_undeclared_event_kind() -> None:
    from sim.compose import new_model
    from sim.scenario import resolved

    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    model = new_model(scenario, resolved(scenario)["world"], 0, None, None)
    with pytest.raises(ValueError, match="not declared"):
        model.emit("coalition_talks", None, {}, None, "Talks.")
    assert "coalition_talks" not in EVENT_KINDS and model.events == []


def test_every_kind_has_a_known_category_and_runs_emit_only_declared_kinds() -> None:
    assert {k.category for k in KINDS.values()} <= set(CATEGORIES)
    for name in ("sadr_returns", "sudani_khazali_alliance", "law_change_then_sadr_returns"):
        run = sim.run(sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml"), seed=2)
        assert {e.kind for e in run.events} <= EVENT_KINDS


def test_every_actor_but_the_blocs_runs_a_policy() -> None:
    from sim.scenario import resolved

    world = resolved(sim.load_scenario(ROOT / "scenarios" / "baseline.yaml"))["world"]
    idle = sorted(a for a, x in world.actors.items() if x.policy is None)
    assert idle == sorted(a for a, x in world.actors.items() if x.kind == "bloc")


def test_action_kinds_handlers_and_models_are_one_declaration() -> None:
    from sim import actions
    from sim.schema.scenario import ACTION_KINDS, ACTION_MODELS, kinds_of

    assert ACTION_KINDS == tuple(k for model in ACTION_MODELS for k in kinds_of(model))
    assert set(actions._HANDLERS) == set(ACTION_KINDS)
    with pytest.raises(ValueError, match="already has a handler"):
        actions.handles("election")(lambda m, a, cause: None)
    actions._HANDLERS["not_declared"] = lambda m, a, cause: None
    try:
        with pytest.raises(RuntimeError, match="not_declared"):
            actions.check_handlers()
    finally:
        del actions._HANDLERS["not_declared"]


def test_every_name_of_the_condition_language_has_one_answer_and_its_inputs() -> None:
    from sim.conditions import FUNCTIONS, VARIABLES
    from sim.engine import QUERIES
    from sim.state import APPLY

    assert set(QUERIES) == set(VARIABLES) | set(FUNCTIONS)
    for name, query in QUERIES.items():
        assert query.inputs and query.inputs <= set(APPLY) | {"@time"}, name


def test_each_policy_knob_is_declared_once_with_a_default_in_range_and_a_source() -> None:
    from sim.catalogue import POLICY_KNOB_RANGES, POLICY_KNOB_SPECS

    for kind, knobs in POLICY_KNOB_SPECS.items():
        for name, knob in knobs.items():
            assert knob.lo <= knob.default <= knob.hi, (kind, name)
            assert knob.source.startswith(("seed: ", "external: ", "assumption: ")), (kind, name)
            assert len(knob.source) > 20, (kind, name)  # tests/test_world.py checks the rest
            assert POLICY_KNOBS[kind][name] == knob.default
            assert POLICY_KNOB_RANGES[kind][name] == (knob.lo, knob.hi)


def test_a_knob_the_world_leaves_unset_takes_its_declared_default() -> None:
    from sim.catalogue import POLICY_KNOB_SPECS
    from sim.compose import new_model
    from sim.scenario import resolved

    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    model = new_model(scenario, resolved(scenario)["world"], 0, None, None)
    actor, spec = next((a, x) for a, x in sorted(model.world.actors.items())
                       if x.policy is not None)
    kind = spec.policy.kind
    for name, knob in POLICY_KNOB_SPECS[kind].items():
        model.state.policy.setdefault(actor, {}).pop(name, None)
        assert model.policy(actor, name) == knob.default
    with pytest.raises(KeyError):
        model.policy(actor, "no_such_knob")
    assert model.policy(actor, "no_such_knob", otherwise=0.5) == 0.5


def test_a_knob_without_a_provenance_in_the_world_s_format_is_refused() -> None:
    from sim.catalogue import Knob

    for bad in ("because", "assumption:", "seed: no section", "guess: 0.5"):
        with pytest.raises(ValueError, match="provenance|Section"):
            Knob(0.5, bad)
    assert Knob(0.5, "external: FACTS: x").provenance() == {"external": "FACTS: x"}


def test_behaviours_and_their_declarations_stay_in_step(monkeypatch) -> None:
    """A behaviour is its declaration (catalogue.POLICY_KNOB_SPECS) plus its @behaviour code:
    a kind with only one of the two fails at import, naming the kind."""
    import pytest

    from sim import catalogue, policies

    assert set(policies.POLICIES) == set(catalogue.POLICY_KNOB_SPECS)
    monkeypatch.setitem(catalogue.POLICY_KNOB_SPECS, "newcomer", {})
    monkeypatch.setattr(policies, "POLICY_KNOB_SPECS", catalogue.POLICY_KNOB_SPECS)
    with pytest.raises(ImportError, match="without a @behaviour: \\['newcomer'\\]"):
        policies._check_registry()
    monkeypatch.delitem(catalogue.POLICY_KNOB_SPECS, "newcomer")

    @policies.behaviour("stray")
    def stray(m, me, cadence):  # type: ignore[no-untyped-def]
        yield from ()

    try:
        with pytest.raises(ImportError, match="without a declaration .*\\['stray'\\]"):
            policies._check_registry()
        with pytest.raises(ValueError, match="registered twice"):
            policies.behaviour("stray")(stray)
    finally:
        del policies.POLICIES["stray"]
