"""The import graph of `sim/` has no cycle, and the engine imports nothing above it.

Every import counts: module level, under `if TYPE_CHECKING:` and inside functions, because a
cycle hidden in a function or a type annotation still ties the modules together (one cannot be
understood, typed or tested without the other).  `from pkg import name` is an edge to the
submodule `pkg.name` when there is one, else to `pkg`; a package's `__init__` is not counted as
imported by its submodules (Python runs it first, but it is not the submodule's dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"


def module_name(path: Path, root: Path = SIM) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = SIM) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _absolute(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = here.split(".") if is_package else here.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that `name` imports, anywhere in its file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name, path.name == "__init__.py")
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.append(sub if sub in known else base)
        for target in targets:
            # `import a.b.c` names a.b.c; the nearest known module is the dependency
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph(root: Path = SIM) -> dict[str, set[str]]:
    mods = modules(root)
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None (depth-first, in sorted order: reproducible)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def reaches(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_import_graph_of_sim_has_no_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


# what the engine may not depend on, directly or through another module: the behaviours and
# the composition root hand themselves to it (`sim.compose`)
ABOVE_THE_ENGINE = ("sim.actions", "sim.institutions", "sim.policies", "sim.compose",
                    "sim.api", "sim.serve", "sim.sweep", "sim.report", "sim.cli")


@pytest.mark.parametrize("low", ["sim.engine", "sim.context", "sim.queries", "sim.state"])
def test_the_engine_imports_nothing_above_it(low: str) -> None:
    above = sorted(m for m in reaches(graph(), low)
                   if m.startswith(ABOVE_THE_ENGINE) or m == "sim")
    assert not above, f"{low} depends on {above}"


def test_behaviours_are_typed_against_the_context_not_the_model() -> None:
    edges = graph()
    users = sorted(m for m in edges if m.startswith(("sim.institutions", "sim.policies",
                                                    "sim.actions"))
                   and "sim.engine" in edges[m])
    assert not users, f"{users} import sim.engine (use sim.context.Context)"


# --- the checker itself, on small made-up packages ------------------------------------------
def _package(tmp: Path, files: dict[str, str]) -> Path:
    root = tmp / "pkg"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_cycle_through_a_type_checking_import_is_found_and_named(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg import b\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.c import X\n",
        "c.py": "def f():\n    import pkg.a\n",
    })
    assert find_cycle(graph(root)) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]


def test_relative_and_package_imports_resolve_to_modules(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "from pkg.sub import thing\n",
        "sub/__init__.py": "from . import leaf\nfrom .leaf import thing\n",
        "sub/leaf.py": "import os\nthing = 1\n",
    })
    edges = graph(root)
    assert edges == {"pkg": {"pkg.sub"}, "pkg.sub": {"pkg.sub.leaf"}, "pkg.sub.leaf": set()}
    assert find_cycle(edges) is None
