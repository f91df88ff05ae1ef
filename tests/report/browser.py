"""A headless Chromium that opens a page and reports what happened, for the report tests.

Driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``: JSON messages
separated by NUL bytes on file descriptors 3 and 4), so the tests need nothing beyond the stdlib
and Debian's ``chromium``: no websocket client, no Selenium.  The pipe gives us what the plain
``--screenshot`` mode cannot: every network request the page tries, every console message and
uncaught exception, the DOM after scripts ran, and a full-page screenshot.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    # Anything that tries the network anyway goes to a dead proxy and resolves nowhere.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def find_chromium() -> str | None:
    """The Chromium binary, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


@dataclass
class PageVisit:
    """What a page did when opened."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    screenshot: bytes = b""
    dom: str = ""
    counts: dict = field(default_factory=dict)
    evaluated: object = None

    @property
    def external_requests(self) -> list[str]:
        """Requests for anything that is not the file itself or inline data."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]


class _Pipe:
    """The DevTools protocol over Chromium's debugging pipe."""

    def __init__(self, proc: subprocess.Popen, write_fd: int, read_fd: int):
        self.proc, self.write_fd, self.read_fd = proc, write_fd, read_fd
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict] = []

    def _read_message(self, deadline: float) -> dict:
        import select

        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], 0.5)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the debugging pipe")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict:
        self.next_id += 1
        message: dict = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict:
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass


COUNT_SCRIPT = """JSON.stringify({
  svg: document.querySelectorAll('svg').length,
  canvas: document.querySelectorAll('canvas').length,
  img: document.querySelectorAll('img').length,
  height: document.documentElement.scrollHeight,
  title: document.title,
  text: document.body ? document.body.innerText.length : 0
})"""


def visit(path: Path, width: int = 1280, height: int = 900, settle: float = 0.5,
          chromium: str | None = None, evaluate: str | None = None) -> PageVisit:
    """Open a local HTML file headless and record requests, errors, DOM and a screenshot.

    ``evaluate``: a JavaScript expression whose (JSON-able) value goes to ``page.evaluated``.
    """
    binary = chromium or find_chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed (run .ci/install-chromium)")
    url = Path(path).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="sim-chromium-") as profile:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()

        def wire_fds() -> None:
            # Chromium reads commands on fd 3 and writes replies on fd 4; move the pipe ends
            # out of the way first so neither dup2 clobbers the other.
            read_end = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds, pass_fds=(3, 4),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        pipe = _Pipe(proc, to_child_w, from_child_r)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget",
                                {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                pipe.send(f"{domain}.enable", session=session)
            pipe.send("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1,
                       "mobile": False}, session=session)
            pipe.events.clear()
            pipe.send("Page.navigate", {"url": url}, session=session)
            pipe.wait_for("Page.loadEventFired", timeout=60)
            pipe.drain(settle)
            result = pipe.send("Runtime.evaluate", {"expression": COUNT_SCRIPT,
                                                    "returnByValue": True}, session=session)
            counts = json.loads(result["result"]["value"])
            evaluated = None
            if evaluate:
                evaluated = pipe.send("Runtime.evaluate", {"expression": evaluate,
                                                           "returnByValue": True},
                                      session=session)["result"].get("value")
            dom = pipe.send("Runtime.evaluate",
                            {"expression": "document.documentElement.outerHTML",
                             "returnByValue": True}, session=session)["result"]["value"]
            shot = pipe.send("Page.captureScreenshot",
                             {"format": "png", "captureBeyondViewport": True}, session=session,
                             timeout=60)
            pipe.drain(0.1)
        finally:
            try:
                pipe.send("Browser.close", timeout=5)
            except Exception:  # noqa: BLE001 - closing a browser that is already gone
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            os.close(to_child_w)
            os.close(from_child_r)
    page = PageVisit(screenshot=base64.b64decode(shot["data"]), dom=dom, counts=counts,
                     evaluated=evaluated)
    for event in pipe.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            page.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            page.exceptions.append(
                details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            page.console_errors.append(
                " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            page.console_errors.append(params["entry"].get("text", ""))
    return page


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
