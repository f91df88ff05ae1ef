"""How fast is one simulation run, and how does it compare with SimPy's own floor?

Runs the flagship scenario in-process (after one warm-up run) and prints milliseconds per run
and events per second, beside, in the same process:
  * a seeded SimPy M/M/1 queue of 500 customers (arrivals at rate 0.9, service at rate 1,
    one server; about 2,000 SimPy events, set-up included): a small but real SimPy model.
    Target (issue 12): one two-year run at most 2x that queue.
  * raw SimPy processing the same number of events (one trivial process yielding timeouts):
    the gap is what the model itself costs.

What is measured: `sim.run(scenario, seed)` given a scenario already loaded with
`sim.load_scenario` (building the model, every process, the run to the horizon and the
summary); the same to day 730 (`until`), the two-year run the target is about, on other seeds
(`sadr_returns` inherits baseline's 1,100-day horizon, so slow formations end inside it); and,
for comparison, the whole run preceded by loading the YAML from disk (parsing and validating
the scenario and its world).  The four are timed interleaved, seed by seed, in CPU time of this
process, so a loaded machine slows them alike and the ratios hold; the wall-clock figures are
printed too.

On a shared machine even CPU time moves with the load (other processes evict the caches, and the
model's larger working set suffers more than the queue's), so ``--instructions`` also counts the
instructions each executes per run under valgrind's callgrind (counted only inside the timed
loops; slow, but the same figure on any load): a ratio of work, not of time.
``--breakdown`` says where a run's CPU goes: the share spent in each kind of SimPy process (an
actor's behaviour, formation, recruitment, the election, snapshots, a protest...), each share
inclusive of what it asks of the institutions, and the rest (SimPy's loop, building the model,
the summary), timed around every resumption of a process in an extra pass of the same seeds.
Run: ``.venv/bin/python benchmarks/bench_run.py [SCENARIO] [--repeats N] [--instructions]
[--breakdown]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


TWO_YEARS = 730.0  # days: the run issue 12 measures


def time_raw_simpy(n_events: int, repeats: int) -> float:
    """CPU seconds for SimPy to schedule and process `n_events` timeouts in one trivial process."""
    import simpy

    def ticker(env: simpy.Environment, n: int):
        for _ in range(n):
            yield env.timeout(1)

    times = []
    for _ in range(repeats):
        env = simpy.Environment()
        env.process(ticker(env, n_events))
        start = time.process_time()
        env.run()
        times.append(time.process_time() - start)
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


def instructions(scenario: str, what: str, runs: int) -> int | None:
    """Instructions per run of the sim run loop or the queue loop, counted by callgrind only
    inside `functools.reduce` (the loop below), or None without valgrind."""
    import re
    import shutil
    import subprocess

    if shutil.which("valgrind") is None:
        return None
    until = f", until={TWO_YEARS}" if what == "two" else ""
    loop = (f"import sim; sc = sim.load_scenario({scenario!r}); sim.run(sc, seed=0); "
            f"reduce(lambda a, s: sim.run(sc, seed=s{until}) and 0, range(1, {runs + 1}), 0)"
            if what in ("run", "two") else
            f"from bench_run import mm1_queue; mm1_queue(0); "
            f"reduce(lambda a, s: mm1_queue(s) * 0, range(1, {runs + 1}), 0)")
    code = f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'benchmarks')!r}]; " \
           f"from functools import reduce; {loop}"
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           "--toggle-collect=functools_reduce", sys.executable, "-c", code],
                          capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) // runs if found else None


def breakdown(scenario: object, seeds: range) -> tuple[dict[str, float], float]:
    """CPU seconds per run spent in each kind of process (named module.function after its
    generator), and the CPU seconds of a whole run, over `seeds`: every `Process._resume` is
    timed (its callees included; resumptions do not nest), so the rest is SimPy's own loop,
    setup and summary."""
    import collections

    from simpy.events import Process

    import sim

    spent: collections.Counter[str] = collections.Counter()
    original = Process._resume
    clock = time.process_time

    def resume(self: Process, event: object) -> None:
        start = clock()
        try:
            original(self, event)  # type: ignore[arg-type]
        finally:
            code = self._generator.gi_code  # type: ignore[attr-defined]
            spent[f"{Path(code.co_filename).stem}.{code.co_name}"] += clock() - start

    Process._resume = resume  # type: ignore[method-assign]
    try:
        start = clock()
        for seed in seeds:
            sim.run(scenario, seed=seed)  # type: ignore[arg-type]
        total = clock() - start
    finally:
        Process._resume = original  # type: ignore[method-assign]
    return {k: v / len(seeds) for k, v in spent.items()}, total / len(seeds)


def timed(fn, *args) -> tuple[float, float, object]:
    """(CPU seconds, wall seconds, result) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn(*args)
    return time.process_time() - cpu, time.perf_counter() - wall, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/sadr_returns.yaml"))
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions per run under valgrind (minutes)")
    parser.add_argument("--breakdown", action="store_true",
                        help="also say where a run's CPU goes, by kind of process")
    args = parser.parse_args()

    import sim

    def from_disk(seed: int) -> object:
        return sim.run(sim.load_scenario(args.scenario), seed=seed)

    scenario = sim.load_scenario(args.scenario)
    sim.run(scenario, seed=0)  # warm caches and lazy imports
    from_disk(0)
    mm1_queue(0)
    # the measure is a two-year run: the scenario's horizon may be longer (sadr_returns
    # inherits baseline's 1,100 days, so that slow formations end inside it)
    two_years = min(TWO_YEARS, scenario.horizon_days)
    cpu: dict[str, list[float]] = {"run": [], "two": [], "disk": [], "mm1": []}
    wall: dict[str, list[float]] = {"run": [], "two": [], "disk": [], "mm1": []}
    events = 0
    for seed in range(1, args.repeats + 1):  # interleaved: load swings hit all four alike
        for key, fn in (("run", lambda s: sim.run(scenario, seed=s)),
                        # other seeds: a run of the same seed just before would leave the
                        # memos (power indices, influence) its seat distributions need
                        ("two", lambda s: sim.run(scenario, seed=s + args.repeats,
                                                  until=two_years)),
                        ("disk", from_disk), ("mm1", mm1_queue)):
            c, w, out = timed(fn, seed)
            cpu[key].append(c)
            wall[key].append(w)
            if key == "run":
                events += len(out.events)  # type: ignore[attr-defined]
    events //= args.repeats
    run, two, disk, mm1 = (statistics.median(cpu[k]) for k in ("run", "two", "disk", "mm1"))
    raw = time_raw_simpy(events, args.repeats)
    ms = 1e3
    try:
        load = f"{os.getloadavg()[0]:.1f}"
    except OSError:
        load = "unknown"
    def line(label: str, key: str, note: str) -> str:
        return (f"{label:<17} {statistics.median(cpu[key]) * ms:8.2f} ms/run CPU "
                f"({statistics.median(wall[key]) * ms:.2f} wall)  {note}")

    print(f"scenario          {Path(args.scenario).name} ({args.repeats} seeded runs, "
          f"load average {load})")
    print(f"events per run    {events}")
    print(line("sim.run", "run", f"{events / run:,.0f} events/s (scenario loaded once; "
               f"{scenario.horizon_days:g} days)"))
    print(line("  two years", "two", f"(as many other seeds, each run to day {two_years:g})"))
    print(line("  + load YAML", "disk", "(sim.load_scenario from disk, then the run)"))
    print(line("M/M/1, 500 cust.", "mm1", "(seeded SimPy queue, set-up included)"))
    print(f"raw SimPy         {raw * ms:8.2f} ms/run CPU  (same number of bare timeouts: the "
          f"model costs {run / raw:.0f}x)")
    print(f"run / M/M/1       {run / mm1:8.2f}x  (the whole horizon; the scenario loaded once)")
    print(f"two years / M/M/1 {two / mm1:8.2f}x  (target <= 2x: one two-year run)")
    print(f"load+run / M/M/1  {disk / mm1:8.2f}x  (loading the YAML from disk each time)")
    if args.breakdown:
        spent, whole = breakdown(scenario, range(1, args.repeats + 1))
        print(f"where a run's CPU goes ({whole * ms:.2f} ms a run with the timers on; each "
              "process with what it asks of the institutions):")
        for name, secs in sorted(spent.items(), key=lambda kv: -kv[1]):
            if secs / whole >= 0.005:
                print(f"  {secs / whole:6.1%}  {name}")
        print(f"  {1 - sum(spent.values()) / whole:6.1%}  outside any process (SimPy's loop, "
              "building the model, the summary)")
    if args.instructions:
        ir_run, ir_two, ir_mm1 = (instructions(args.scenario, what, 5)
                                  for what in ("run", "two", "mm1"))
        if ir_run is None or ir_two is None or ir_mm1 is None:
            print("instructions      (valgrind not found)")
        else:
            print(f"instructions      {ir_run / 1e6:8.1f} M/run, two years {ir_two / 1e6:.1f} M, "
                  f"M/M/1 {ir_mm1 / 1e6:.1f} M: run / M/M/1 {ir_run / ir_mm1:.2f}x, two years / "
                  f"M/M/1 {ir_two / ir_mm1:.2f}x (callgrind, independent of the load)")

if __name__ == "__main__":
    main()
