"""What does the sweep machinery cost, and does it scale?

Prints, for one scenario and an LHS design of N runs:
  * plain in-process runs (a bare loop over the run function): the floor; and the same loop
    with the heap frozen first, as the sweep does (`sim.sweep.executors.freeze_heap`);
  * the same runs as a sweep with 1 worker (seeds, flattening, parquet parts, final table):
    overhead = sweep / plain - 1   (target <= 10%), and the machinery alone = sweep / frozen
    loop - 1 (the garbage collector's share set apart);
  * the sweep with 2 workers (process pool, chunked): speed-up = t1 / t2   (target >= 1.7x);
  * peak resident memory of a sweep of M and 10 M runs, each in a fresh subprocess
    (``resource.getrusage(RUSAGE_SELF).ru_maxrss``): growth = peak(10M) / peak(M)  (<= 1.2x).
Run: ``.venv/bin/python benchmarks/bench_sweep.py [SCENARIO] [--runs N] [--memory-runs M]
[--repeats K] [--stand-in] [--quick]`` (defaults: N = 1,000, M = 150, K = 2: a few minutes
on an idle machine); ``--quick`` is N = 300, M = 60, K = 1 (about a minute) for a first look;
``--stand-in`` uses a CPU-bound ~5 ms toy model instead of the engine.

Every figure is a ratio of timings taken in this one run, interleaved (plain, 1 worker,
2 workers, again), so load that comes and goes hits them alike; the load average is printed
before and after, because on a loaded machine the 2-worker speed-up cannot show (there is no
idle core to use): read "workers busy" then, the share of the time each worker spent running
the model, which says whether the machinery keeps them fed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SCENARIO = str(ROOT / "scenarios/sadr_returns.yaml")


def model(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """(scenario, runner, hasher) for the real engine or the stand-in."""
    if args.stand_in:
        from tests.sweep import fakes

        return fakes.TOY, fakes.busy_run, fakes.toy_hash
    import sim
    from sim.sweep.executors import sim_run

    return sim.load_scenario(args.scenario), sim_run, None


def plan(args: argparse.Namespace, runs: int, out: Path) -> Any:
    from sim.sweep.driver import Sweep

    scenario, runner, hasher = model(args)
    return Sweep(scenario, None, sample="lhs", n=runs, seed=0, out=out, runner=runner,
                 hasher=hasher)


def time_sweep(args: argparse.Namespace, workers: int) -> tuple[float, float, float, float,
                                                                  int]:
    """(wall, CPU of this process, busy fraction of the workers, summed run times, chunks).

    With 1 worker every run is in this process.  The busy fraction is the summed run times
    over wall x workers: how well the machinery keeps every worker fed, whatever else the
    machine is doing.
    """
    import pyarrow.parquet as pq

    from sim.sweep.executors import make_executor

    with tempfile.TemporaryDirectory() as tmp:
        sweep = plan(args, args.runs, Path(tmp) / "out")
        start, cpu = time.perf_counter(), time.process_time()
        with make_executor("local", workers) as ex:
            path = sweep.execute(ex)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        busy = sum(pq.read_table(path, columns=["elapsed_s"]).column(0).to_pylist())
        return wall, cpu, busy / (wall * workers), busy, sweep.chunks


def time_plain(args: argparse.Namespace, frozen: bool = False) -> tuple[float, float]:
    """The same runs (same parameters and seeds) in a bare loop: no rows, no files.

    `frozen`: with the heap frozen first, as the sweep does (`executors.freeze_heap`), so
    the difference to the sweep is its machinery alone, not the garbage collector's work.
    """
    import gc

    with tempfile.TemporaryDirectory() as tmp:
        sweep = plan(args, args.runs, Path(tmp) / "out")
        specs = list(sweep.design.runs())
        if frozen:
            gc.freeze()
        start, cpu = time.perf_counter(), time.process_time()
        for spec in specs:
            sweep.runner(sweep.scenario, seed=spec.seed, parameters=spec.parameters)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        gc.unfreeze()
        return wall, cpu


def time_replay(args: argparse.Namespace) -> tuple[float, float]:
    """(CPU seconds of the sweep machinery alone, CPU seconds of the runs it carried): a
    1-worker sweep whose runner hands back results computed beforehand, so all that is timed
    is seeds, rows, history, Parquet parts and the final tables.  A small number measured
    directly, where "sweep minus loop" is the difference of two large, noisy ones."""
    import gc

    from sim.sweep.executors import SerialExecutor

    with tempfile.TemporaryDirectory() as tmp:
        sweep = plan(args, args.runs, Path(tmp) / "out")
        stored: dict[int, Any] = {}
        gc.freeze()
        cpu = time.process_time()
        for spec in sweep.design.runs():
            stored[spec.seed] = sweep.runner(sweep.scenario, seed=spec.seed,
                                             parameters=spec.parameters)
        runs_cpu = time.process_time() - cpu
        gc.unfreeze()
        sweep.runner = lambda scenario, seed, parameters: stored[seed]
        cpu = time.process_time()
        with SerialExecutor() as ex:
            sweep.execute(ex)
        return time.process_time() - cpu, runs_cpu


def pool_startup(args: argparse.Namespace) -> float:
    """Seconds until a fresh 2-process pool has answered one empty chunk from each worker
    (in a fresh process: the forkserver starts with the first pool and then stays)."""
    cmd = [sys.executable, __file__, args.scenario, "--startup-child"]
    if args.stand_in:
        cmd.append("--stand-in")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def startup_child(args: argparse.Namespace) -> None:
    from sim.sweep.executors import PoolExecutor

    scenario, runner, _ = model(args)
    start = time.perf_counter()
    with PoolExecutor(2) as pool:
        pool.start(scenario, runner)
        for future in [pool.submit([]) for _ in range(2)]:
            future.result()
        print(time.perf_counter() - start)


def peak_rss_mb(args: argparse.Namespace, runs: int) -> float:
    cmd = [sys.executable, __file__, args.scenario, "--memory-child", str(runs)]
    if args.stand_in:
        cmd.append("--stand-in")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def memory_child(args: argparse.Namespace) -> None:
    import resource

    from sim.sweep.executors import SerialExecutor

    with tempfile.TemporaryDirectory() as tmp:
        with SerialExecutor() as ex:
            plan(args, args.memory_child, Path(tmp) / "out").execute(ex)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO)
    parser.add_argument("--runs", type=int, default=1000, help="runs per timed sweep (N)")
    parser.add_argument("--memory-runs", type=int, default=150,
                        help="runs of the smaller memory sweep (M; the larger is 10 M)")
    parser.add_argument("--repeats", type=int, default=2, help="tries per timing (best kept)")
    parser.add_argument("--stand-in", action="store_true", help="CPU-bound toy model")
    parser.add_argument("--quick", action="store_true",
                        help="a first look: --runs 300 --memory-runs 60 --repeats 1")
    parser.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--startup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.runs, args.memory_runs, args.repeats = 300, 60, 1
    if args.startup_child:
        startup_child(args)
        return
    if args.memory_child:
        memory_child(args)
        return

    # Warm imports (engine, pyarrow: one-off per process, ~0.5 s) and caches outside timings.
    import pyarrow.dataset  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    model(args)
    time_plain(args)
    load_before = os.getloadavg()
    label = "stand-in (~5 ms CPU)" if args.stand_in else Path(args.scenario).name
    print(f"model             {label}; LHS design, {args.runs} runs; {os.cpu_count()} CPUs; "
          f"best of {args.repeats}, interleaved (other load on the machine only slows a try)")
    tries: dict[str, list[tuple[float, ...]]] = {"plain": [], "frozen": [], "one": [],
                                                  "two": []}
    for _ in range(args.repeats):
        tries["plain"].append(time_plain(args))
        tries["frozen"].append(time_plain(args, frozen=True))
        tries["one"].append(time_sweep(args, 1))
        tries["two"].append(time_sweep(args, 2))
    (plain, plain_cpu), (cold, cold_cpu), (one, one_cpu, *_), (two, two_cpu, busy, work,
                                                               chunks) = (
        min(tries[k]) for k in ("plain", "frozen", "one", "two"))
    print(f"plain loop        {plain:7.2f} s  {args.runs / plain:8.1f} runs/s"
          f"  (CPU {plain_cpu:.2f} s)")
    print(f"  heap frozen     {cold:7.2f} s  {args.runs / cold:8.1f} runs/s"
          f"  (CPU {cold_cpu:.2f} s)  as the sweep runs them: {cold_cpu / plain_cpu - 1:+.0%}"
          " CPU (the garbage collector no longer walks the loaded scenario and modules)")
    print(f"sweep, 1 worker   {one:7.2f} s  {args.runs / one:8.1f} runs/s"
          f"  (CPU {one_cpu:.2f} s)  vs the plain loop {one / plain - 1:+.0%} wall,"
          f" {one_cpu / plain_cpu - 1:+.0%} CPU  (target <= +10%); machinery alone (vs the"
          f" frozen loop) {one / cold - 1:+.0%} wall, {one_cpu / cold_cpu - 1:+.0%} CPU")
    machinery, runs_cpu = time_replay(args)
    print(f"machinery alone   {machinery:7.2f} s CPU for {args.runs} runs replayed from stored "
          f"results: {1000 * machinery / args.runs:.2f} ms a run, {machinery / runs_cpu:.1%} of "
          f"the runs' CPU with a frozen heap ({1000 * runs_cpu / args.runs:.1f} ms a run)")
    print(f"sweep, 2 workers  {two:7.2f} s  {args.runs / two:8.1f} runs/s"
          f"  speed-up {one / two:.2f}x  (target >= 1.7x); workers busy {busy:.0%} of the time;"
          f" the parent's CPU {two_cpu / work:.1%} of the runs'; {chunks} chunks,"
          f" {1000 * work / max(chunks, 1):.0f} ms of runs each on average (the first few"
          " hold one run each, to measure; the last are smaller, to finish together)")
    print(f"pool start-up     {pool_startup(args):7.2f} s  (included above; paid once a sweep)")
    small = peak_rss_mb(args, args.memory_runs)
    large = peak_rss_mb(args, 10 * args.memory_runs)
    print(f"peak memory       {small:7.1f} MB at {args.memory_runs} runs, {large:.1f} MB at "
          f"{10 * args.memory_runs} runs: growth {large / small:.2f}x  (target <= 1.2x)")
    print(f"load average      {' '.join(f'{x:.1f}' for x in load_before)} at the start, "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end (1, 5, 15 min; "
          f"{os.cpu_count()} CPUs)  (other work on the machine skews wall times; CPU times "
          "less so)")


if __name__ == "__main__":
    main()
