"""How fast is one simulation run, and how does it compare with SimPy's own floor?

Runs the flagship scenario in-process (after one warm-up run) and prints milliseconds per run
and events per second, beside raw SimPy processing the same number of events (one trivial
process yielding timeouts) in the same process: the gap is what the model itself costs.
Run: ``.venv/bin/python benchmarks/bench_run.py [SCENARIO] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def time_runs(scenario: object, repeats: int) -> tuple[list[float], int]:
    import sim

    sim.run(scenario, seed=0)  # warm caches and lazy imports
    times, events = [], 0
    for seed in range(1, repeats + 1):
        start = time.perf_counter()
        run = sim.run(scenario, seed=seed)
        times.append(time.perf_counter() - start)
        events += len(run.events)
    return times, events // repeats


def time_raw_simpy(n_events: int, repeats: int) -> float:
    """Seconds for SimPy to schedule and process `n_events` timeouts in one trivial process."""
    import simpy

    def ticker(env: simpy.Environment, n: int):
        for _ in range(n):
            yield env.timeout(1)

    times = []
    for _ in range(repeats):
        env = simpy.Environment()
        env.process(ticker(env, n_events))
        start = time.perf_counter()
        env.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/sadr_returns.yaml"))
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    import sim

    scenario = sim.load_scenario(args.scenario)
    times, events = time_runs(scenario, args.repeats)
    per_run = statistics.median(times)
    raw = time_raw_simpy(events, args.repeats)
    print(f"scenario          {Path(args.scenario).name} ({args.repeats} seeded runs)")
    print(f"events per run    {events}")
    print(f"sim.run           {per_run * 1e3:8.2f} ms/run  {events / per_run:12,.0f} events/s"
          f"  (min {min(times) * 1e3:.2f}, max {max(times) * 1e3:.2f} ms)")
    print(f"raw SimPy         {raw * 1e3:8.2f} ms/run  {events / raw:12,.0f} events/s"
          f"  (same number of bare timeouts)")
    print(f"model cost        {per_run / raw:8.1f}x raw SimPy")


if __name__ == "__main__":
    main()
