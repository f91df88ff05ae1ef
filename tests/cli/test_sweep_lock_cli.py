"""One sweep per output folder (issue 11, item 3): while a sweep writes into DIR, a second
sweep or a --resume into DIR is refused with one line; once it is gone (even by kill -9), the
folder is free again.  The first sweep freezes itself (the hidden --halt-after-parts) while it
holds the folder, so nothing here depends on timing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = str(ROOT / "scenarios" / "sadr_returns.yaml")
ARGS = ["--set", "sadr_return_day=60:240", "--n", "3", "--replications", "2", "--seed", "4"]


def _sim(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *argv], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=900)


def test_a_second_sweep_into_a_busy_folder_is_refused(tmp_path: Path) -> None:
    out = str(tmp_path / "sw")
    first = subprocess.Popen([sys.executable, "-m", "sim", "sweep", SCENARIO, *ARGS, "--out",
                              out, "--flush-seconds", "0", "--halt-after-parts", "1"],
                             cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while True:  # until the first sweep has frozen itself, holding the folder
            pid, status = os.waitpid(first.pid, os.WNOHANG | os.WUNTRACED)
            if pid:
                assert os.WIFSTOPPED(status), f"sweep ended before halting: {status}"
                break
            assert time.monotonic() < deadline, "sweep never halted"
            time.sleep(0.05)
        for extra in ([], ["--resume"]):
            second = _sim("sweep", SCENARIO, *ARGS, "--out", out, *extra)
            assert second.returncode == 2, second.stderr
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1 and "in use by another sweep" in lines[0], second.stderr
            assert lines[0].startswith("<command line>:1:1: --out: ")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    resumed = _sim("sweep", SCENARIO, *ARGS, "--out", out, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert (tmp_path / "sw" / "results.parquet").is_file()
