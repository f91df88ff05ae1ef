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
