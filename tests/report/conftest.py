"""Fixtures for the report tests: contract-shaped run and sweep folders, and a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report import browser, fixtures


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return fixtures.make_run_dir(tmp_path / "run")


@pytest.fixture
def sweep_dir(tmp_path: Path) -> Path:
    return fixtures.make_sweep_dir(tmp_path / "sweep")


@pytest.fixture(scope="session")
def chromium() -> str:
    found = browser.find_chromium()
    if found is None:
        pytest.fail("chromium is not installed: run `bash .ci/install-chromium`")
    return found
