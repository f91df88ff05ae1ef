"""Rounding to the log's four (and five) decimals, as `round(x, 4)` does it, at half the cost.

The log writes times, weights and shares to 4 decimals, and the engine rounds ~1,300 numbers a
run (every event's time, every relationship it moves, each `now`); influence shares and
support shifts go to 5 decimals.  Python's `round(x, n)` formats the float as a decimal string
and parses it back (0.6 us), which was a twentieth of a run.  `round4` and `round5` get the same
double by arithmetic wherever that is provably exact, and ask `round` itself everywhere else.
"""

from __future__ import annotations

import math
from collections.abc import Callable

# Below 2**31 (in units of 10**-n) `x * 10.0**n` is within 2**-23 (half an ulp) of the exact
# product, far inside the band around one half where the nearest integer could differ.
_EXACT_BELOW = 2.0 ** 31
_HALF_BAND = 1e-6


def _rounder(digits: int) -> Callable[[float], float]:
    """`round(x, digits)` by arithmetic (the scale is a closure constant, not an argument, so
    each rounder costs one call, as the hand-written round4 did).

    Round-half-even of the exact binary value to n decimals is the nearest integer `r` to
    `x * 10**n` over 10**n.  Where the computed product is clearly not a half (its fraction
    farther than `_HALF_BAND` from 0.5, and its error at most 2**-23), its nearest integer is
    the exact product's; and `r / 10.0**n`, the quotient of two exactly represented numbers,
    is the double nearest `r / 10**n` by IEEE division, as `round`'s decimal parse gives it.
    Ties, near-ties, huge values, infinities and NaN go to `round` (tests/test_rounding.py
    holds the two equal on millions of floats)."""
    scale = float(10 ** digits)  # exact: 10**n is an integer below 2**53

    def rounded(x: float) -> float:
        y = x * scale
        if -_EXACT_BELOW < y < _EXACT_BELOW:
            low = math.floor(y)
            fraction = y - low
            if not 0.5 - _HALF_BAND < fraction < 0.5 + _HALF_BAND:
                r = low + 1 if fraction > 0.5 else low
                return r / scale if r else math.copysign(0.0, x)
        return round(x, digits)

    return rounded


round4 = _rounder(4)
round4.__doc__ = "`round(x, 4)`, the same double, sign of zero included (see `_rounder`)."
round5 = _rounder(5)
round5.__doc__ = "`round(x, 5)`, the same double, sign of zero included (see `_rounder`)."
