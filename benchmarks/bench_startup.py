"""How long do `sim --help` and `sim allocate` take to start?  (target: under 300 ms each)

Each command runs in a fresh interpreter, as a user types it; the best of K tries is kept
(other load on the machine only slows a try), beside a bare `python -c pass` for the floor.
Wall time is what a user waits; the CPU time of the child (user + system) is printed beside
it because it hardly moves with other load on the machine, where wall time can triple.
Run: ``.venv/bin/python benchmarks/bench_startup.py [--repeats K]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "sim --help": [sys.executable, "-m", "sim", "--help"],
    "sim allocate": [sys.executable, "-m", "sim", "allocate", "--method", "dhondt",
                     "--seats", "10", "a=100", "b=60", "c=30"],
    "sim sweep --help": [sys.executable, "-m", "sim", "sweep", "--help"],
}


def best_of(cmd: list[str], repeats: int) -> tuple[float, float]:
    """(best wall time, best CPU time of the child) over `repeats` tries."""
    import resource

    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    load = os.getloadavg()
    floor, _ = best_of(COMMANDS["python -c pass"], args.repeats)
    for name, cmd in COMMANDS.items():
        t, cpu = best_of(cmd, args.repeats)
        target = "" if name.startswith("python") else \
            f"  {t / floor:5.1f}x bare python  (target < 300 ms)"
        print(f"{name:18s} {t * 1e3:7.0f} ms  (CPU {cpu * 1e3:4.0f} ms){target}")
    print(f"load average       {' '.join(f'{x:.1f}' for x in load)} at the start, "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end (1, 5, 15 min; "
          f"{os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
