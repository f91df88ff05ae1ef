"""How fast does the classroom app feel: startup, first frame after "run", a whole run streamed.

Starts a real `sim serve --port 0` as a teacher would and measures, with the wall clock:
- startup: from launching the command to the server answering `/api/status` (target < 2 s);
- first frame: from POST /api/runs ("Run") to the first tick of the run on its WebSocket,
  after the page's hello (target < 1 s);
- full run: every event of a two-year run streamed at "as fast as it computes", beside the same
  run computed in-process with `sim.run` (the ratio is the streaming overhead).
Run: ``.venv/bin/python benchmarks/bench_serve.py [--repeats N] [--scenario NAME]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def start() -> tuple[subprocess.Popen, str, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "sim", "serve", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    url = line.split("sim serve: ", 1)[1].strip()
    while True:
        try:
            with urllib.request.urlopen(url + "api/status", timeout=5):
                break
        except OSError:
            time.sleep(0.01)
    return proc, url, time.perf_counter() - t0


def first_frame_and_full_run(url: str, scenario: str) -> tuple[float, float, int]:
    from websockets.sync.client import connect

    t0 = time.perf_counter()
    run = post(url + "api/runs", {"scenario": scenario, "seed": 1})
    ws_url = url.replace("http://", "ws://") + f"api/runs/{run['id']}/live"
    with connect(ws_url, max_size=1 << 24) as ws:
        json.loads(ws.recv())  # hello
        ws.send(json.dumps({"cmd": "step"}))
        while json.loads(ws.recv())["type"] != "tick":
            pass
        first = time.perf_counter() - t0
        t1 = time.perf_counter()
        ws.send(json.dumps({"cmd": "speed", "speed": 0}))
        ws.send(json.dumps({"cmd": "play"}))
        events = 0
        while True:
            message = json.loads(ws.recv())
            if message["type"] == "tick":
                events += len(message["events"])
            if message["type"] == "end":
                break
        full = time.perf_counter() - t1
    return first, full, events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default="sadr_returns")
    args = parser.parse_args()
    import sim

    scenario = sim.load_scenario(ROOT / "scenarios" / f"{args.scenario}.yaml")
    startups, firsts, fulls, direct = [], [], [], []
    for _ in range(args.repeats):
        proc, url, startup = start()
        try:
            startups.append(startup)
            first, full, events = first_frame_and_full_run(url, args.scenario)
            firsts.append(first)
            fulls.append(full)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        t = time.perf_counter()
        sim.run(scenario, seed=1)
        direct.append(time.perf_counter() - t)
    med = statistics.median
    print(f"startup (launch to first answer): median {med(startups):.2f} s (target < 2 s)")
    print(f"first frame after Run:            median {1000 * med(firsts):.0f} ms (target < 1 s)")
    print(f"full run streamed ({events} events): median {med(fulls):.2f} s; computed in-process "
          f"{med(direct):.2f} s; ratio {med(fulls) / med(direct):.1f}x")


if __name__ == "__main__":
    main()
