"""A real `sim serve` (uvicorn in a thread, on a free port) and Playwright's Chromium.

Playwright comes from PyPI; the browser is Debian's `chromium` (`executable_path`), found the
way the report tests find it (`tests.report.browser.find_chromium`).  Without it the browser
tests are skipped on a developer's machine and fail under CI=true, like the report tests.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.report.browser import find_chromium

ROOT = Path(__file__).resolve().parents[2]
NO_BROWSER = ("Debian's chromium is not installed: `bash .ci/install-chromium` installs it; "
              "under CI=true a missing browser fails.")


@dataclass
class LiveServer:
    url: str
    port: int
    out: Path
    code: str | None


def start_server(out: Path, code: str | None = None) -> tuple[LiveServer, object, threading.Thread]:
    import uvicorn

    from sim.serve.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(ROOT / "scenarios", out, code, max_runs=8)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        threading.Event().wait(0.02)
    return LiveServer(f"http://127.0.0.1:{port}/", port, out, code), server, thread


@pytest.fixture()
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    info, server, thread = start_server(tmp_path / "out")
    yield info
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture()
def coded_server(tmp_path: Path) -> Iterator[LiveServer]:
    info, server, thread = start_server(tmp_path / "out", code="K7QX2M")
    yield info
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser():
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(NO_BROWSER)
        pytest.skip(NO_BROWSER)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox",
                                                          "--disable-dev-shm-usage"])
        yield b
        b.close()
