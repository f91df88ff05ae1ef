"""Voting power, explained: why a party's power differs from its seat share, in plain words.

`sim.mechanics.power` gives exact Shapley-Shubik and Banzhaf indices.  A class also needs the
reason: a party is powerful when many coalitions of the *others* fall just short of the quota
and reach it with that party.  For each party this module reports how many such swing
coalitions there are, the seat range that makes them swing, and the smallest examples, found by
a bounded search (`MAX_SEARCH_NODES`), so the explanation costs little whatever the game.

Problem size is bounded before any table is built (`check_size`): the exact method's tables
have about ``players * distinct weights * quota`` cells, which for hundreds of parties or a
quota in the millions would need tens of gigabytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Cells of the exact method's largest table (int64): about 8 bytes each.
MAX_CELLS = 10_000_000
#: Beyond 62 weighted players counts are Python integers: far more memory per cell.
MAX_CELLS_BIG = 500_000
MAX_PLAYERS = 400
MAX_SEARCH_NODES = 20_000
EXAMPLES = 2


class TooLarge(ValueError):
    """The game is too large to compute exactly within the bounds above."""


def check_size(weights: Mapping[str, int], quota: int) -> None:
    """Refuse games whose exact tables would not fit the bounds, with the numbers why."""
    positive = [w for w in weights.values() if w > 0]
    n = len(positive)
    if len(weights) > MAX_PLAYERS:
        raise TooLarge(f"at most {MAX_PLAYERS} parties, got {len(weights)}")
    cells = max(1, len(set(positive))) * (n + 1) * max(quota, 1)
    limit = MAX_CELLS if n <= 62 else MAX_CELLS_BIG
    if cells > limit:
        raise TooLarge(
            f"too large to compute exactly: {n} parties with {len(set(positive))} different "
            f"weights at quota {quota:,} need about {cells:,} table cells (limit {limit:,}); "
            "use seats rather than votes as weights, or fewer parties"
        )


@dataclass(frozen=True, slots=True)
class PlayerStory:
    """Why one player has the power it has."""

    name: str
    weight: int
    share: float
    shapley_shubik: float
    banzhaf: float
    swings: int  # coalitions of the others it turns from losing into winning
    coalitions: int  # all coalitions of the others (2 ** (n - 1))
    examples: list[tuple[str, ...]]  # smallest swing coalitions found (the others' names)
    low: int  # the others need at least this many votes...
    high: int  # ...and at most this many, for the player to be pivotal

    def sentence(self, quota: int) -> str:
        """One paragraph in plain words."""
        head = (f"{self.name} ({self.weight:,} of the votes, {self.share:.1%}): "
                f"Shapley-Shubik {self.shapley_shubik:.3f}, Banzhaf {self.banzhaf:.3f}.")
        if self.swings == 0:
            return (f"{head} It is never decisive: no coalition of the others is short of "
                    f"{quota:,} by {self.weight:,} or less and still needs it.")
        text = (f"{head} Of the {self.coalitions:,} coalitions the others can form, "
                f"{self.swings:,} need it: they hold {self.low:,} to {self.high:,} votes, short "
                f"of {quota:,} alone but enough with its {self.weight:,}.")
        if self.examples:
            shown = "; ".join(" + ".join(ex) if ex else "nobody else" for ex in self.examples)
            text += f" Smallest such: {shown}."
        return text


def explain(weights: Mapping[str, int], quota: int) -> list[PlayerStory]:
    """A `PlayerStory` per player, heaviest first (the indices from `sim.mechanics.power`)."""
    from sim.mechanics.power import banzhaf_swings, power_indices

    check_size(weights, quota)
    indices = power_indices(weights, quota)
    swings = banzhaf_swings(weights, quota)
    total = sum(weights.values())
    n = len(weights)
    stories = []
    for name in sorted(weights, key=lambda p: (-weights[p], p)):
        w = weights[name]
        others = {p: v for p, v in weights.items() if p != name}
        low, high = max(quota - w, 0), quota - 1
        stories.append(PlayerStory(
            name=name, weight=w, share=w / total if total else 0.0,
            shapley_shubik=indices.shapley_shubik[name], banzhaf=indices.banzhaf[name],
            swings=swings[name], coalitions=2 ** (n - 1),
            examples=smallest_swings(others, low, high) if w > 0 else [],
            low=low, high=high))
    return stories


def smallest_swings(others: Mapping[str, int], low: int, high: int,
                    count: int = EXAMPLES) -> list[tuple[str, ...]]:
    """Up to `count` coalitions of `others` with total in [low, high], fewest members first.

    Iterative deepening over coalition size, heaviest members tried first, the search bounded
    by `MAX_SEARCH_NODES` nodes in all (each visiting at most n children); so the answer is
    the smallest examples when the search completes, and some examples (or none) when the
    game is too large to search fully.
    """
    names = sorted(others, key=lambda p: (-others[p], p))
    weights = [others[p] for p in names]
    suffix = [0] * (len(names) + 1)
    for i in range(len(names) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + weights[i]
    found: list[tuple[str, ...]] = []
    if low <= 0 <= high:
        return [()]
    budget = [MAX_SEARCH_NODES]  # shared by every size: the whole search is bounded
    for size in range(1, len(names) + 1):
        if budget[0] <= 0:
            break
        chosen: list[int] = []

        def walk(start: int, total: int, left: int, chosen: list[int] = chosen) -> None:
            if len(found) >= count or budget[0] <= 0:
                return
            budget[0] -= 1
            if left == 0:
                if low <= total <= high:
                    found.append(tuple(names[i] for i in chosen))
                return
            for i in range(start, len(names) - left + 1):
                t = total + weights[i]
                if t > high:
                    continue  # too heavy: a lighter member may still fit
                # even the heaviest remaining members cannot reach low: stop this branch
                if total + sum(weights[i:i + left]) < low:
                    break
                chosen.append(i)
                walk(i + 1, t, left - 1)
                chosen.pop()

        walk(0, 0, size)
        if len(found) >= count:
            break
    return found
