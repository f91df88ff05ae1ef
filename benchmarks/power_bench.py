"""How fast are the exact power indices on a 329-seat parliament?  Prints one line per case.

The engine recomputes power whenever seats or the quota change, so the cold (uncached) time is
what matters; the warm line shows what repeated calls on an unchanged parliament cost.
Run: ``.venv/bin/python benchmarks/power_bench.py``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.mechanics import power  # noqa: E402

SEATS = 329


def parliament(parties: int, seed: int) -> dict[str, int]:
    """A random split of 329 seats among ``parties`` parties, each with at least one seat."""
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, SEATS), parties - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, SEATS], strict=True)]
    return {f"p{i:02d}": s for i, s in enumerate(sizes)}


def cold_ms(weights: dict[str, int], quota: int, repeats: int = 20) -> float:
    """Median wall time of an uncached call, in milliseconds."""
    times = []
    for _ in range(repeats):
        power._by_weight.cache_clear()
        start = time.perf_counter()
        power.power_indices(weights, quota)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2] * 1e3


def warm_us(weights: dict[str, int], quota: int, repeats: int = 2000) -> float:
    """Mean wall time of a cached call, in microseconds."""
    power.power_indices(weights, quota)
    start = time.perf_counter()
    for _ in range(repeats):
        power.power_indices(weights, quota)
    return (time.perf_counter() - start) / repeats * 1e6


def main() -> None:
    for parties in (20, 40, 60, 80):
        weights = parliament(parties, seed=parties)
        for quota in (165, 220):
            print(
                f"{parties:3d} parties, 329 seats, quota {quota}: "
                f"cold {cold_ms(weights, quota):7.2f} ms, warm {warm_us(weights, quota):6.1f} us"
            )


if __name__ == "__main__":
    main()
