"""The lazy command group: `sim --help` lists every command from sim.cli.COMMANDS without
importing any, and each command's module loads only when that command runs (what keeps
startup fast; the time itself is measured by benchmarks/bench_startup.py, never here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import COMMANDS, _register, cli

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"numpy", "pandas", "pyarrow", "pydantic", "simpy", "yaml", "scipy", "SALib",
         "matplotlib", "jinja2", "sim.schema", "sim.engine", "sim.artifacts"}

# Runs `sim ARGS` in this interpreter and prints the heavy modules it imported.
PROBE = """
import contextlib, io, json, sys
sys.argv = ["sim"] + sys.argv[1:]
from sim.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
heavy = set(json.loads({heavy!r}))
print(json.dumps(sorted(m for m in sys.modules if m in heavy or m.split(".")[0] in heavy)))
"""


def loaded_by(*args: str) -> list[str]:
    code = PROBE.format(heavy=json.dumps(sorted(HEAVY)))
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_every_command_is_declared_with_its_own_module_and_one_line_help() -> None:
    _register()
    assert set(cli.commands) == set(COMMANDS)
    for name, command in cli.commands.items():
        module, line = COMMANDS[name]
        assert command.callback is not None and command.callback.__module__ == module
        assert line == command.get_short_help_str(limit=10**6), name


def test_the_help_lists_every_command_as_the_loaded_commands_would() -> None:
    def help_text(code: str) -> str:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    lazy = help_text("import sys; sys.argv = ['sim', '--help']; from sim.cli import main; main()")
    # every command imported first: click's own listing of the real commands must read the same
    loaded = help_text("import sys; sys.argv = ['sim', '--help']; "
                       "from sim.cli import _register, main; _register(); main()")
    assert lazy == loaded
    listed = lazy.split("Commands:")[1].split()
    assert all(name in listed for name in COMMANDS)


@pytest.mark.parametrize("args", [
    ["--help"],
    *([name, "--help"] for name in sorted(COMMANDS)),
    ["allocate", "--method", "dhondt", "--seats", "10", "a=100", "b=60", "c=30"],
])
def test_commands_that_do_not_run_the_model_load_nothing_heavy(args: list[str]) -> None:
    assert loaded_by(*args) == []


def test_a_command_loads_only_its_own_module() -> None:
    code = ("import sys; sys.argv = ['sim', 'allocate', '--seats', '3', 'a=1', 'b=2'];"
            "from sim.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('sim.cli.')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.stdout.splitlines()[-1] == "['sim.cli.allocate']", proc.stderr
