"""Rounding to the log's four decimals, as `round(x, 4)` does it, at half the cost.

The log writes times, weights and shares to 4 decimals, and the engine rounds ~1,300 numbers a
run (every event's time, every relationship it moves, each `now`).  Python's `round(x, 4)`
formats the float as a decimal string and parses it back (0.6 us), which was a twentieth of a
run.  `round4` gets the same double by arithmetic wherever that is provably exact, and asks
`round` itself everywhere else.
"""

from __future__ import annotations

import math

# Below 2**31 (in units of 1e-4) `x * 10000.0` is within 2**-23 of the exact product, far
# inside the band around one half where the nearest integer could differ.
_EXACT_BELOW = 2.0 ** 31
_HALF_BAND = 1e-6


def round4(x: float) -> float:
    """`round(x, 4)`, the same double, sign of zero included.

    Round-half-even of the exact binary value to 4 decimals is the nearest integer `r` to
    `x * 10**4` over 10**4.  Where the computed product is clearly not a half (its fraction
    farther than `_HALF_BAND` from 0.5, and its error at most 2**-23), its nearest integer is
    the exact product's; and `r / 10000.0`, the quotient of two exactly represented numbers,
    is the double nearest `r / 10**4` by IEEE division, as `round`'s decimal parse gives it.
    Ties, near-ties, huge values, infinities and NaN go to `round` (tests/test_rounding.py
    holds the two equal on millions of floats).
    """
    y = x * 10000.0
    if -_EXACT_BELOW < y < _EXACT_BELOW:
        low = math.floor(y)
        fraction = y - low
        if not 0.5 - _HALF_BAND < fraction < 0.5 + _HALF_BAND:
            r = low + 1 if fraction > 0.5 else low
            return r / 10000.0 if r else math.copysign(0.0, x)
    return round(x, 4)
