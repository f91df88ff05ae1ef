"""Every number that drives behaviour lives in the world with its provenance: the behaviour
modules name constants and hold no unexplained literals, every constant they name is declared,
and a run's `summary.assumptions` lists the ones that are assumptions."""

from __future__ import annotations

import re
from pathlib import Path

import sim
from sim.catalogue import BEHAVIOUR_RANGES
from sim.scenario import resolved

ROOT = Path(__file__).resolve().parents[1]
MODULES = [ROOT / "sim" / "policies.py", ROOT / "sim" / "institutions" / "street.py",
           ROOT / "sim" / "institutions" / "posts.py", ROOT / "sim" / "institutions" /
           "incumbency.py", ROOT / "sim" / "institutions" / "formation.py",
           ROOT / "sim" / "institutions" / "recruitment.py"]
# numbers that are not behaviour: zero and one (identities, bounds of shares and probabilities)
# and two (the mean of two sides' values, a pair's two ends), and -1 (the last item)
NEUTRAL = {"0", "1", "2", "0.0", "1.0", "-1", "-1.0", "2.0", "1e-9"}
# a module-level constant with a comment that says what it is: a unit or a display limit,
# named and explained once (behaviour numbers still belong in the world)
NAMED = re.compile(r"^[A-Z][A-Z0-9_]* = -?[\d.]+ *#.+$", re.MULTILINE)
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])")


def _code(path: Path) -> str:
    """The module without docstrings, comments and string literals."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"""[\s\S]*?"""', "", text)
    text = NAMED.sub("", text)
    text = re.sub(r"#.*", "", text)
    return re.sub(r'f?"[^"\n]*"', '""', text)


def test_behaviour_modules_hold_no_unexplained_literals() -> None:
    for path in MODULES:
        code = _code(path)
        # a policy knob's fallback repeats the catalogue's default (declared there, once)
        code = re.sub(r"m\.policy\([^)]*\)", "", code)
        code = re.sub(r",\s*\d+\)", ")", code)  # round(x, 4): digits kept in the log
        code = re.sub(r"maxsize=\d+", "", code)  # a cache size
        found = sorted({n for n in NUMBER.findall(code) if n not in NEUTRAL})
        assert found == [], f"{path.name}: literals {found}"


def test_every_constant_named_in_code_is_declared_with_a_range() -> None:
    world = resolved(sim.load_scenario(ROOT / "scenarios" / "baseline.yaml"))["world"]
    named = set()
    for path in [*MODULES, ROOT / "sim" / "institutions" / "elections.py"]:
        named |= set(re.findall(r'value\(m, "([a-z_]+\.[a-z_]+)"\)', path.read_text()))
        named |= set(re.findall(r'"([a-z_]+\.[a-z_]+)" if', path.read_text()))
    assert len(named) >= 30
    assert named <= set(world.behaviour), sorted(named - set(world.behaviour))
    assert set(world.behaviour) <= set(BEHAVIOUR_RANGES), \
        sorted(set(world.behaviour) - set(BEHAVIOUR_RANGES))


def test_summary_lists_every_behaviour_assumption() -> None:
    sc = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    world = resolved(sc)["world"]
    listed = {a["field"] for a in sim.run(sc, seed=0, until=30).summary["assumptions"]}
    wanted = {f"behaviour.{k}" for k, c in world.behaviour.items() if c.assumption}
    assert len(wanted) >= 20
    assert wanted <= listed, sorted(wanted - listed)


def test_the_state_sanction_sensitivity_is_read_from_the_world(tmp_path: Path) -> None:
    """sanctions.sensitivity (was the mechanic's keyword default, in no run's assumptions)
    decides how likely a sanctioned party in a security ministry brings sanctions on the state."""
    import shutil

    shutil.copy(ROOT / "scenarios" / "baseline.yaml", tmp_path / "baseline.yaml")

    def sanctioned_states(sensitivity: float) -> int:
        path = tmp_path / f"s{sensitivity:g}.yaml"
        path.write_text(
            f"name: s\nextends: baseline.yaml\ndescription: x\n"
            f"world:\n  behaviour:\n    sanctions.sensitivity: {{value: {sensitivity}, "
            f"assumption: test}}\n"
            "events:\n  - day: 10\n    do: {kind: assign_post, post: Interior, holder: aah}\n")
        scenario = sim.load_scenario(path)
        return sum(sim.run(scenario, seed=seed, until=20).summary["state_sanctioned"]
                   for seed in range(10))

    assert sanctioned_states(0) <= 2 < 8 <= sanctioned_states(50)


# Numbers the behaviour code still leaves to a mechanic's keyword default (sim.mechanics), each
# with why.  They drive behaviour without being in the world or in any run's assumptions: shrink
# this list by passing the world's value (a `behaviour:` constant), never grow it.
LEFT_TO_MECHANICS = {
    # neutral: mobilise reads no relationship_change of a protest, so its strain drives nothing
    ("street.py", "mobilisation_effects", "strain"),
    # neutral: the head-to-head chance in proportion (exponent 1); the Bueno de Mesquita
    # model's own parameters, read only when a scenario sets bargaining_rounds above 0
    ("legislation.py", "passage_probability", "exponent"),
    ("legislation.py", "bdm_forecast", "persistence"), ("legislation.py", "bdm_forecast", "risk"),
}


def test_behaviour_code_leaves_no_new_number_to_a_mechanic_s_default() -> None:
    """A call from the behaviour code into sim.mechanics that leaves out a numeric keyword
    (`sanctions.combined_state_sanction_risk(..., sensitivity=1.5)` did) runs on a number no
    world declares and no summary lists; the test reads the calls (ast) and the mechanics'
    signatures."""
    import ast
    import importlib
    import inspect

    modules = [*MODULES, *(ROOT / "sim" / "institutions" / f for f in (
        "legislation.py", "elections.py", "relations.py", "measures.py")),
        ROOT / "sim" / "actions.py", ROOT / "sim" / "queries.py"]
    found = set()
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        mechanics = {a.asname or a.name: a.name for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module == "sim.mechanics"
                     for a in node.names}
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and isinstance(call.func.value, ast.Name)
                    and call.func.value.id in mechanics):
                continue
            module = importlib.import_module(f"sim.mechanics.{mechanics[call.func.value.id]}")
            fn = getattr(module, call.func.attr, None)
            if not inspect.isfunction(fn) or any(k.arg is None for k in call.keywords):
                continue
            params = list(inspect.signature(fn).parameters.values())
            passed = {p.name for p in params[:len(call.args)]} | {k.arg for k in call.keywords}
            found |= {(path.name, call.func.attr, p.name) for p in params
                      if isinstance(p.default, (int, float)) and not isinstance(p.default, bool)
                      and p.name not in passed}
    assert found <= LEFT_TO_MECHANICS, sorted(found - LEFT_TO_MECHANICS)
    assert ("posts.py", "combined_state_sanction_risk", "sensitivity") not in found
