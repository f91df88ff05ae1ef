"""A sweep killed with SIGKILL midway, then resumed, equals an uninterrupted one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from sim.sweep import sweep
from tests.sweep import fakes
from tests.sweep.conftest import same_table

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"turnout": "0.2:0.8", "sadr_strength": "0.5:2", "delay": "0,30,90"}
KW = {"n": 10, "replications": 2, "seed": 11}  # 600 runs x 4 ms

SCRIPT = f"""
import sys
from sim.sweep import sweep
from tests.sweep import fakes
sweep(fakes.TOY, {PARAMS!r}, out=sys.argv[1], runner=fakes.slow_run, hasher=fakes.toy_hash,
      workers=int(sys.argv[2]), flush_seconds=0.05, **{KW!r})
"""


def kill_midway(out: Path, workers: int) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(out), str(workers)], cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)), start_new_session=True,
    )
    deadline = time.monotonic() + 60
    try:
        while len(list((out / "parts").glob("part-*.parquet"))) < 3:
            assert proc.poll() is None, "sweep ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its pool workers
        proc.wait()
    assert not (out / "results.parquet").exists()
    return len(list((out / "parts").glob("part-*.parquet")))


def test_kill_then_resume_equals_uninterrupted(tmp_path):
    out = tmp_path / "killed"
    kill_midway(out, workers=2)
    done = pd.concat(pd.read_parquet(p) for p in (out / "parts").glob("part-*.parquet"))
    assert 0 < len(done) < 600 and done["run_id"].is_unique
    resumed = sweep(fakes.TOY, PARAMS, out=out, resume=True, runner=fakes.toy_run,
                    hasher=fakes.toy_hash, **KW)
    whole = sweep(fakes.TOY, PARAMS, runner=fakes.toy_run, hasher=fakes.toy_hash, **KW)
    assert list(resumed["run_id"]) == list(range(600))
    same_table(whole, resumed)
    # The runs finished before the kill were not redone.
    kept = resumed.set_index("run_id").loc[done["run_id"], "worker"]
    assert (kept.values == done["worker"].values).all()
    assert not list(out.glob("**/*.tmp")) and not any((out / "parts").iterdir())
