"""`round4` is `round(x, 4)` and `round5` is `round(x, 5)`: the same double, sign of zero
included, for every float."""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.rounding import round4, round5

ROUNDERS = pytest.mark.parametrize(("rounder", "digits"), [(round4, 4), (round5, 5)])


def same(x: float, rounder: Callable[[float], float] = round4, digits: int = 4) -> bool:
    expected, got = round(x, digits), rounder(x)
    if math.isnan(expected):
        return math.isnan(got)
    return expected == got and math.copysign(1.0, expected) == math.copysign(1.0, got)


@ROUNDERS
@given(x=st.floats(allow_nan=True, allow_infinity=True))
def test_any_float(rounder: Callable[[float], float], digits: int, x: float) -> None:
    assert same(x, rounder, digits)


@ROUNDERS
@given(n=st.integers(min_value=-10**9, max_value=10**9),
       frac=st.sampled_from([0.5, 0.49999, 0.50001]))
def test_ties_and_near_ties(rounder: Callable[[float], float], digits: int, n: int,
                            frac: float) -> None:
    assert same((n + frac) / 10 ** digits, rounder, digits)


@ROUNDERS
def test_what_a_run_rounds(rounder: Callable[[float], float], digits: int) -> None:
    """Times (days of a horizon), weights and shares in [-1, 1], values already rounded, ties
    and random bit patterns: 40,000 of each kind."""
    rng = random.Random(4)
    kinds = [lambda: rng.uniform(0, 3650), lambda: rng.uniform(-1, 1),
             lambda: round(rng.uniform(-1, 1), rng.randint(0, 6)),
             lambda: (rng.randint(-10**7, 10**7) + 0.5) / 10 ** digits,
             lambda: struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]]
    for kind in kinds:
        for _ in range(40_000):
            x = kind()
            assert same(x, rounder, digits), x


def test_edges() -> None:
    for x in [0.0, -0.0, 5e-5, -5e-5, 4.9999e-5, -4.9999e-5, 1.23455, 0.00015, 0.00025,
              214748.36475, -214748.36475, 1e300, -1e300, 5e-324, float("inf"),
              float("-inf"), float("nan")]:
        assert same(x), x
    for x in [5e-6, -5e-6, 4.9999e-6, -4.9999e-6, 1.234565, 0.000015, 0.000025,
              21474.836475, -21474.836475, 1e300, 5e-324, float("inf"), float("nan")]:
        assert same(x, round5, 5), x
    assert math.copysign(1.0, round4(-0.00001)) == -1.0
    assert math.copysign(1.0, round5(-0.000001)) == -1.0
