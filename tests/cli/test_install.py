"""The README's first command installs what the README shows (issue 11, item 6).

The first command is `pip install -e .`, so every third-party module the package imports must be
a default dependency, except the dask executor's (the `dask` extra).  When a dependency is missing
anyway (an environment set up some other way), the command says in one line what to install.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# import name -> distribution name, where they differ
DISTRIBUTION = {"yaml": "pyyaml", "pydantic_core": "pydantic", "distributed": "dask",
                "cloudpickle": "dask"}
OPTIONAL = {"dask"}  # the `dask` extra: only `sim sweep --executor dask` needs it


def _imported_roots() -> set[str]:
    roots: set[str] = set()
    for path in (ROOT / "sim").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots.add(node.module.split(".")[0])
    return {r for r in roots if r not in sys.stdlib_module_names and r not in ("sim", "__future__")}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_every_imported_package_is_installed_by_the_first_command() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    default = _names(project["dependencies"])
    dask_extra = _names(project["optional-dependencies"]["dask"])
    imported = {DISTRIBUTION.get(r, r).lower() for r in _imported_roots()}
    assert {"pandas", "matplotlib", "jinja2", "pyarrow", "salib"} <= imported  # the scan works
    missing = imported - default - OPTIONAL
    assert not missing, f"imported but not installed by `pip install -e .`: {sorted(missing)}"
    assert OPTIONAL <= dask_extra


def test_the_readme_first_command_is_the_plain_install() -> None:
    readme = (ROOT / "README.md").read_text()
    first = re.search(r"```bash\n(.*?)\n```", readme, re.S).group(1)
    assert "pip install -q -e . " in first and "sim run" in first


def _sim_without(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`sim ARGS` in a Python where `module` cannot be imported, as if it were not installed."""
    code = (f"import sys; sys.modules[{module!r}] = None; sys.argv = ['sim'] + {list(args)!r}; "
            "from sim.cli import main; main()")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_a_missing_dependency_is_one_line_naming_what_to_install(tmp_path: Path) -> None:
    scenario = str(ROOT / "scenarios" / "baseline.yaml")
    proc = _sim_without("pandas", "compare", scenario, "-r", "1", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "'pandas'" in proc.stderr and "pip install" in proc.stderr


def test_a_missing_dask_names_the_dask_extra(tmp_path: Path) -> None:
    scenario = str(ROOT / "scenarios" / "baseline.yaml")
    proc = _sim_without("distributed", "sweep", scenario, "--set", "vote_noise=0.05:0.1",
                        "--n", "2", "--executor", "dask", "--out", str(tmp_path / "out"),
                        cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "coalition-sim[dask]" in proc.stderr
    assert not (tmp_path / "out").exists()
