"""Seats vacated by a mass resignation pass to the runners-up.

Iraq's 2020 law fills a resigning deputy's seat with the candidate who came next in the same
district; when the Sadrist bloc's 73 deputies resigned in June 2022 their seats went mostly to
Framework candidates (FACTS.md).  The runners-up come from the election that produced the
seats: a modelled election records its votes and seats by governorate, so the resigning list's
seats are placed where it won them (`won`) and each governorate's vacated seats go to the other
lists that stood there, pro rata to their votes in it.  Without seats by governorate they are
placed where the list's vote lay (its share times the governorate's seats).  A certified
result (a hindcast) may declare the runners-up outright (`declared`).  A list with no vote on
record anywhere leaves its seats to the other seated lists nationally, pro rata to their
seats.  Pure functions: the house's size never changes.
"""

from __future__ import annotations

from collections.abc import Mapping


def largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """`total` seats shared pro rata to `weights` by largest remainders (ties by name); every
    seat is handed out when any weight is positive, none otherwise."""
    positive = {k: float(w) for k, w in weights.items() if w > 0}
    if total <= 0 or not positive:
        return {}
    whole = sum(positive.values())
    quotas = {k: total * w / whole for k, w in positive.items()}
    out = {k: int(q) for k, q in quotas.items()}
    left = total - sum(out.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - out[k]), k))[:left]:
        out[k] += 1
    return {k: n for k, n in sorted(out.items()) if n > 0}


def runners_up(seats: Mapping[str, int], party: str,
               shares: Mapping[str, Mapping[str, float]], magnitudes: Mapping[str, int],
               excluded: frozenset[str] = frozenset(),
               won: Mapping[str, int] | None = None) -> dict[str, int]:
    """The house after `party`'s deputies resign: `party` holds 0 and its seats go to the lists
    that came next where it won them.  `shares` may be vote shares or raw votes (each
    governorate's row is only compared within itself); `won`, when known, gives the party's
    seats by governorate at the election, and its current seats are placed pro rata to it
    (exactly, unless seats moved since).  Only lists already in `seats` and not `excluded`
    (e.g. boycotting lists, which did not stand) receive seats; the total is unchanged."""
    vacated = seats.get(party, 0)
    after = dict(seats)
    after[party] = 0
    if vacated <= 0:
        return after
    eligible = {p for p in seats if p != party and p not in excluded}
    national = {p: float(seats[p]) for p in sorted(eligible) if seats[p] > 0}
    if not national:  # nobody else sits or stands: nobody can take the seats
        return dict(seats)
    where = largest_remainder(vacated, {g: float(n) for g, n in sorted((won or {}).items())})
    if not where:
        where = largest_remainder(vacated, {
            g: _share(shares[g], party) * magnitudes.get(g, 0) for g in sorted(shares)})
    if not where:
        where = {"": vacated}
    for g, n in where.items():
        local = {p: float(v) for p, v in sorted(shares.get(g, {}).items()) if p in eligible}
        gains = largest_remainder(n, local) or largest_remainder(n, national)
        for p, k in gains.items():
            after[p] += k
    return after


def _share(row: Mapping[str, float], party: str) -> float:
    """`party`'s share of a governorate's row (votes or shares alike)."""
    total = sum(v for v in row.values() if v > 0)
    return max(0.0, float(row.get(party, 0.0))) / total if total > 0 else 0.0


def declared(seats: Mapping[str, int], party: str, gains: Mapping[str, int],
             excluded: frozenset[str] = frozenset()) -> dict[str, int]:
    """The house after `party`'s deputies resign when the runners-up are on record (a certified
    result): each list gains what the record gives it, pro rata when `party` holds more or fewer
    seats than the record hands out (seats moved since); a gain to a list not in the house or
    `excluded` goes to the other recorded lists.  The total is unchanged."""
    vacated = seats.get(party, 0)
    after = dict(seats)
    after[party] = 0
    if vacated <= 0:
        return after
    usable = {p: float(n) for p, n in sorted(gains.items())
              if p in seats and p != party and p not in excluded and n > 0}
    if not usable:
        return dict(seats)
    for p, k in largest_remainder(vacated, usable).items():
        after[p] += k
    return after
