"""Fixtures for the report tests: contract-shaped run and sweep folders, and a browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.report import browser, fixtures


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return fixtures.make_run_dir(tmp_path / "run")


@pytest.fixture
def sweep_dir(tmp_path: Path) -> Path:
    return fixtures.make_sweep_dir(tmp_path / "sweep")


NO_BROWSER = ("Debian's chromium is not installed: `bash .ci/install-chromium` installs it. "
              "CI installs it and runs these tests; under CI=true a missing browser fails.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a developer's machine without Chromium, browser tests are reported as not run;
    in CI (CI=true, where .ci/run installs it) they must run, so the fixture fails instead."""
    if browser.find_chromium() is not None or os.environ.get("CI"):
        return
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.skip(reason=NO_BROWSER))


@pytest.fixture(scope="session")
def chromium() -> str:
    found = browser.find_chromium()
    if found is None:
        pytest.fail(NO_BROWSER)
    return found
