"""How fast is one simulation run, and how does it compare with SimPy's own floor?

Runs the flagship scenario in-process (after one warm-up run) and prints milliseconds per run
and events per second, beside, in the same process:
  * raw SimPy processing the same number of events (one trivial process yielding timeouts):
    the gap is what the model itself costs;
  * a seeded SimPy M/M/1 queue of 500 customers (arrivals at rate 0.9, service at rate 1,
    one server; about 2,000 SimPy events, set-up included): a small but real SimPy model.
    Target: one two-year run at most 2x that queue.
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


def mm1_queue(seed: int, customers: int = 500) -> int:
    """A seeded M/M/1 queue in SimPy, built and run to the last departure; returns events."""
    import random

    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    served = [0]

    def customer(env: simpy.Environment):
        with server.request() as req:
            yield req
            yield env.timeout(rng.expovariate(1.0))
        served[0] += 1

    def source(env: simpy.Environment):
        for _ in range(customers):
            env.process(customer(env))
            yield env.timeout(rng.expovariate(0.9))

    env.process(source(env))
    env.run()
    assert served[0] == customers
    return customers * 4  # arrival timeout, request, service timeout, process end


def time_mm1(repeats: int) -> float:
    mm1_queue(0)
    times = []
    for seed in range(1, repeats + 1):
        start = time.perf_counter()
        mm1_queue(seed)
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
    mm1 = time_mm1(args.repeats)
    print(f"scenario          {Path(args.scenario).name} ({args.repeats} seeded runs)")
    print(f"events per run    {events}")
    print(f"sim.run           {per_run * 1e3:8.2f} ms/run  {events / per_run:12,.0f} events/s"
          f"  (min {min(times) * 1e3:.2f}, max {max(times) * 1e3:.2f} ms)")
    print(f"raw SimPy         {raw * 1e3:8.2f} ms/run  {events / raw:12,.0f} events/s"
          f"  (same number of bare timeouts)")
    print(f"model cost        {per_run / raw:8.1f}x raw SimPy")
    print(f"M/M/1, 500 cust.  {mm1 * 1e3:8.2f} ms/run  (seeded SimPy queue, set-up included)")
    print(f"run / M/M/1       {per_run / mm1:8.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
