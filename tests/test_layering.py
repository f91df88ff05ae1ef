"""Arrows point one way: mechanics never import the engine; nothing below the CLI imports it."""

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


ENGINE = ("sim.engine", "sim.institutions", "sim.policies", "sim.actions", "sim.api",
          "sim.sweep", "sim.report", "sim.cli", "sim.summary", "sim.narrate", "simpy")


@pytest.mark.parametrize("path", sorted((SIM / "mechanics").glob("*.py")), ids=lambda p: p.name)
def test_mechanics_are_pure(path: Path) -> None:
    bad = {m for m in _imports(path) if m.startswith(ENGINE)}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", sorted(p for p in SIM.rglob("*.py")
                                         if "cli" not in p.parts and p.name != "__main__.py"),
                         ids=lambda p: str(p.relative_to(SIM)))
def test_only_the_cli_imports_the_cli(path: Path) -> None:
    assert not {m for m in _imports(path) if m.startswith("sim.cli")}


ENGINE_FILES = ["engine.py", "state.py", "actions.py", "policies.py",
                *[f"institutions/{p.name}" for p in sorted((SIM / "institutions").glob("*.py"))]]


@pytest.mark.parametrize("name", ENGINE_FILES)
def test_engine_does_not_import_sweeps_or_reports(name: str) -> None:
    bad = {m for m in _imports(SIM / name) if m.startswith(("sim.sweep", "sim.report", "sim.api"))}
    assert not bad
