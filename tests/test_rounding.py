"""`round4` is `round(x, 4)`: the same double, sign of zero included, for every float."""

from __future__ import annotations

import math
import random
import struct

from hypothesis import given
from hypothesis import strategies as st

from sim.rounding import round4


def same(x: float) -> bool:
    expected, got = round(x, 4), round4(x)
    if math.isnan(expected):
        return math.isnan(got)
    return expected == got and math.copysign(1.0, expected) == math.copysign(1.0, got)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float(x: float) -> None:
    assert same(x)


@given(st.integers(min_value=-10**9, max_value=10**9), st.sampled_from([0.5, 0.49999, 0.50001]))
def test_ties_and_near_ties(n: int, frac: float) -> None:
    assert same((n + frac) / 10000)


def test_what_a_run_rounds() -> None:
    """Times (days of a horizon), weights and shares in [-1, 1], values already rounded, ties
    and random bit patterns: 40,000 of each kind."""
    rng = random.Random(4)
    kinds = [lambda: rng.uniform(0, 3650), lambda: rng.uniform(-1, 1),
             lambda: round(rng.uniform(-1, 1), rng.randint(0, 6)),
             lambda: (rng.randint(-10**7, 10**7) + 0.5) / 10000,
             lambda: struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]]
    for kind in kinds:
        for _ in range(40_000):
            x = kind()
            assert same(x), x


def test_edges() -> None:
    for x in [0.0, -0.0, 5e-5, -5e-5, 4.9999e-5, -4.9999e-5, 1.23455, 0.00015, 0.00025,
              214748.36475, -214748.36475, 1e300, -1e300, 5e-324, float("inf"),
              float("-inf"), float("nan")]:
        assert same(x), x
    assert math.copysign(1.0, round4(-0.00001)) == -1.0
