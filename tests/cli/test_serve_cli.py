"""`sim serve` on the command line: prints its address and opens nothing; bad options are one
located line and exit 2; off loopback it says that the session code is required."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sim", "serve", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def first_lines(proc: subprocess.Popen, n: int) -> list[str]:
    return [proc.stdout.readline().strip() for _ in range(n)]


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def test_prints_its_loopback_address_and_answers_there() -> None:
    proc = serve("--port", "0")
    try:
        line, note, _ = first_lines(proc, 3)
        assert line.startswith("sim serve: http://127.0.0.1:") and line.endswith("/")
        assert "Only this machine" in note
        url = line.split(": ", 1)[1]
        with urllib.request.urlopen(url + "api/status", timeout=30) as r:
            assert json.loads(r.read()) == {"runs": 0, "max_runs": 32, "code_required": False}
    finally:
        stop(proc)


def test_open_to_the_network_it_requires_the_session_code() -> None:
    proc = serve("--port", "0", "--host", "0.0.0.0")
    try:
        line, note, _ = first_lines(proc, 3)
        assert "?code=" in line and "every request needs the session code" in note
        url, code = line.split(": ", 1)[1].split("?code=")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "api/status", timeout=30)
        assert refused.value.code == 401
        with urllib.request.urlopen(f"{url}api/status?code={code}", timeout=30) as r:
            assert json.loads(r.read())["code_required"] is True
    finally:
        stop(proc)


@pytest.mark.parametrize("args,field", [
    (["--port", "http"], "--port"),
    (["--port", "70000"], "--port"),
    (["--scenarios", "/nonexistent"], "--scenarios"),
    (["--out", ""], "--out"),
    (["--host", "256.1.1.1"], "--host"),
])
def test_bad_options_are_one_line_and_exit_2(args: list[str], field: str) -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "serve", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"<command line>:1:1: {field}: "), lines


def test_a_port_in_use_is_one_line() -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        done = subprocess.run([sys.executable, "-m", "sim", "serve", "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        busy.close()
    assert done.returncode == 2
    assert done.stderr.strip().startswith("<command line>:1:1: --host: cannot listen on")
