"""The project's own checks are wired in: CI runs the tests, ruff and mypy."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command_then_ruff_and_mypy() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^python3 -m venv .venv && .*pytest$", readme, re.M)
    assert command and command.group(0) in ci
    assert ".venv/bin/ruff check sim tests" in ci
    assert ".ci/mypy-baseline" in ci and (ROOT / ".ci" / "mypy-baseline.txt").is_file()


def test_ruff_is_clean() -> None:
    ruff = ROOT / ".venv" / "bin" / "ruff"
    if not ruff.exists():
        ruff = Path(shutil.which("ruff") or "")
    if not ruff.is_file():
        pytest.fail("ruff is not installed: pip install -e '.[dev]'")
    result = subprocess.run([str(ruff), "check", "sim", "tests"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
