"""The import graph of `sim/` has no cycle, and the engine imports nothing above it.

Every import counts: module level, under `if TYPE_CHECKING:` and inside functions, because a
cycle hidden in a function or a type annotation still ties the modules together (one cannot be
understood, typed or tested without the other).  `from pkg import name` is an edge to the
submodule `pkg.name` when there is one, else to `pkg`; a package's `__init__` is not counted as
imported by its submodules (Python runs it first, but it is not the submodule's dependency).

An import inside a function is kept only for a heavy library, a `sim` module that loads one
(computed from the module-level import graph), or in a module on the lazy startup path
(LAZY_STARTUP); anything else belongs at the top of its module.
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


# --- imports inside functions (issue 9 item 6) ----------------------------------------------
# A function-level import hides a dependency from the top of the file; it is kept only where it
# buys something: not loading a heavy library until it is used, or keeping startup fast.

# Third-party libraries that are slow to import (or optional): a module may defer them.
HEAVY_LIBRARIES = frozenset({
    "pydantic", "numpy", "pandas", "pyarrow", "scipy", "SALib", "matplotlib", "networkx",
    "jinja2", "starlette", "uvicorn", "dask", "distributed", "cloudpickle", "ema_workbench",
    "sklearn", "rich", "simpy", "yaml"})

# Modules on the lazy startup path: `sim --help`, `sim allocate` and `import sim` must not load
# the engine, pydantic or numpy (tests/cli/test_lazy.py), so these defer even light imports.
#   sim            PEP 562 attributes (the API and `discover` load on first use)
#   sim.calibrate  facade: `import sim` imports it, its runner loads the engine
#   sim.sweep      facade: `import sim` imports it, its driver loads the engine
#   sim.cli        the lazy click group, loaded by every command
#   sim.cli.*      one module per command, loaded for its --help too: `sim sweep --help` would
#                  pay ~14 ms for sim.safewrite and sim.sweep.spec (benchmarks/bench_startup.py)
LAZY_STARTUP = frozenset({"sim", "sim.calibrate", "sim.sweep", "sim.cli", "sim.cli.*"})


def on_startup_path(module: str) -> bool:
    return module in LAZY_STARTUP or any(
        lazy.endswith(".*") and module.startswith(lazy[:-1]) for lazy in LAZY_STARTUP)

def _top_level_imports(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported (not in functions, not TYPE_CHECKING)."""
    return _top_level_imports_tree(ast.parse(path.read_text(), str(path)))


def _top_level_imports_tree(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit_all(child.orelse)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            visit(child)

    def visit_all(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            visit(ast.Module(body=[node], type_ignores=[]))

    visit(tree)
    return found


def _targets(node: ast.Import | ast.ImportFrom, here: str, is_package: bool,
             known: set[str]) -> list[str]:
    """Full names of what an import statement loads: a sim module or a library's name."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = _absolute(node, here, is_package)
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known
                 else f"{base}:{a.name}" if a.name in _served_lazily(base, known) else base
                 for a in node.names]
    out = []
    for name in names:
        if name.split(".")[0] == "sim" and ":" not in name:
            while name not in known:
                name = name.rpartition(".")[0]
        out.append(name)
    return out


def _served_lazily(package: str, known: set[str]) -> set[str]:
    """Names a package serves through a PEP 562 `__getattr__` (written `package:name` by
    _targets): importing one loads its real module, so it counts as heavy."""
    if package not in known:
        return set()
    tree = ast.parse(modules(SIM)[package].read_text()) if package.startswith("sim") else None
    if tree is None or not any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__"
                               for n in tree.body):
        return set()
    bound = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    for node in _top_level_imports_tree(tree):
        bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                bound.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return {name for name in _all_names(tree)} - bound


def _all_names(tree: ast.Module) -> set[str]:
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            for alias in node.names} | {
        elt.value for node in tree.body if isinstance(node, ast.Assign)
        for elt in ast.walk(node.value) if isinstance(elt, ast.Constant)
        and isinstance(elt.value, str)}


def _with_packages(name: str) -> list[str]:
    """Importing a.b.c runs a, a.b and a.b.c."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def heavy_modules(root: Path = SIM) -> set[str]:
    """The sim modules whose import (with their packages') loads a heavy library."""
    mods = modules(root)
    known = set(mods)
    loads: dict[str, set[str]] = {}
    for name, path in mods.items():
        here: set[str] = {p for p in _with_packages(name) if p != name}
        for node in _top_level_imports(path):
            for target in _targets(node, name, path.name == "__init__.py", known):
                target = target.split(":")[0]
                here.update(_with_packages(target) if target in known else [target])
        loads[name] = here - {name}
    heavy: set[str] = set()
    for name in mods:
        if any(t.split(".")[0] in HEAVY_LIBRARIES for t in {name, *reaches(loads, name)}):
            heavy.add(name)
    return heavy


def _optional(node: ast.Try) -> bool:
    """A `try: import x / except ImportError:` block: a fallback for an optional library."""
    return any(h.type is not None and "ImportError" in ast.unparse(h.type) for h in node.handlers)


def function_level_imports(root: Path = SIM) -> list[tuple[str, int, str, str]]:
    """(file, line, importing module, imported module) of every import inside a function,
    except optional-library fallbacks (`try: ... except ImportError:`)."""
    mods = modules(root)
    known = set(mods)
    sites = []
    for name, path in mods.items():
        package = path.name == "__init__.py"
        file = str(path.relative_to(root.parent))
        todo: list[tuple[ast.AST, bool]] = [(ast.parse(path.read_text(), file), False)]
        while todo:
            node, inside = todo.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Try) and _optional(child):
                    continue
                if inside and isinstance(child, (ast.Import, ast.ImportFrom)):
                    sites.extend((file, child.lineno, name, target)
                                 for target in _targets(child, name, package, known))
                todo.append((child, inside or isinstance(
                    child, (ast.FunctionDef, ast.AsyncFunctionDef))))
    return sorted(set(sites))


def misplaced_imports(root: Path = SIM) -> list[tuple[str, int, str, str]]:
    heavy = heavy_modules(root)
    return [(file, line, here, target) for file, line, here, target in function_level_imports(root)
            if target.split(".")[0] not in HEAVY_LIBRARIES and target not in heavy
            and ":" not in target
            and not on_startup_path(here)]


def test_imports_inside_functions_are_only_for_heavy_modules_or_the_startup_path() -> None:
    bad = misplaced_imports()
    assert not bad, "\n".join(
        f"{file}:{line}: {here} imports {target} inside a function, but {target} is light: "
        f"move the import to the top of the module (a heavy library belongs in "
        f"HEAVY_LIBRARIES; a startup-path module in LAZY_STARTUP, with why)"
        for file, line, here, target in bad)


def test_the_engine_and_the_schema_count_as_heavy_and_the_cli_group_as_light() -> None:
    heavy = heavy_modules()
    assert {"sim.engine", "sim.schema.scenario", "sim.api", "sim.artifacts"} <= heavy
    assert not {"sim.cli", "sim.limits", "sim.errors"} & heavy


def test_a_light_import_inside_a_function_is_named_and_a_heavy_one_is_not(
        tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "light.py": "import os\n",
        "heavy.py": "import numpy\n",
        "user.py": ("def f():\n    from pkg import light\n    from pkg import heavy\n"
                    "    import pandas\n    try:\n        import cloudpickle\n"
                    "    except ImportError:\n        import pickle\n"),
    })
    assert heavy_modules(root) == {"pkg.heavy"}
    assert [(f, line, target) for f, line, _, target in misplaced_imports(root)] == [
        ("pkg/user.py", 2, "pkg.light")]
