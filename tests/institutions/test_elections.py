"""Votes at an election: fragmented lists of unequal size, boycotting voters who mostly abstain."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import sim
from sim.institutions.elections import fragment_sizes
from sim.mechanics.elections import sainte_lague


@given(st.integers(0, 10**7), st.integers(1, 30), st.floats(0.0, 2.0))
def test_fragments_sum_to_the_list_and_shrink_down_the_list(total: int, k: int,
                                                            skew: float) -> None:
    parts = fragment_sizes(total, k, skew)
    assert len(parts) == k and sum(parts) == total
    # non-increasing, up to rounding
    assert all(a >= b - 1 for a, b in zip(parts, parts[1:], strict=False))


def test_equal_fragments_without_skew_and_zipf_with_it() -> None:
    assert fragment_sizes(10, 3) == [4, 3, 3]
    assert fragment_sizes(1200, 4, 1.0) == [576, 288, 192, 144]  # 1, 1/2, 1/3, 1/4 of 25/12


def test_the_17_divisor_squeezes_unequal_small_lists_more_than_equal_ones() -> None:
    """Independents polling 20% in a 12-seat governorate: as twelve equal lists none reaches
    a seat against three big lists; as a Zipf spread the largest few do, as in 2023."""
    big = {"a": 300_000, "b": 250_000, "c": 200_000}
    indep = 187_500
    equal = {f"i{n}": v for n, v in enumerate(fragment_sizes(indep, 12, 0.0))}
    zipf = {f"i{n}": v for n, v in enumerate(fragment_sizes(indep, 12, 1.0))}
    fd = Fraction("1.7")
    won_equal = sum(v for p, v in sainte_lague({**big, **equal}, 12, first_divisor=fd).items()
                    if p.startswith("i"))
    won_zipf = sum(v for p, v in sainte_lague({**big, **zipf}, 12, first_divisor=fd).items()
                   if p.startswith("i"))
    assert won_equal == 0
    assert won_zipf >= 1


ROOT = Path(__file__).resolve().parents[2]


def _with_transfer(tmp_path: Path, share: float) -> sim.api.Scenario:
    path = tmp_path / f"transfer_{share}.yaml"
    path.write_text(
        f"name: transfer\nextends: {(ROOT / 'scenarios' / 'baseline.yaml').as_posix()}\n"
        "world:\n  votes:\n    boycott_transfer:\n"
        f"      share: {{value: {share}, assumption: test}}\n"
        "      to: {value: {governors: 0.3, independents: 0.3, state_forces: 0.2, others: 0.2},"
        " assumption: test}\n", encoding="utf-8")
    return sim.load_scenario(path)


def test_boycotting_voters_mostly_abstain_and_the_rest_go_where_declared(tmp_path: Path) -> None:
    """With the Sadrists boycotting, the declared share of their voters turns out for the lists
    named in `boycott_transfer` and no one else; the rest stay at home."""
    none = sim.run(_with_transfer(tmp_path, 0.0), seed=0, until=600).state.elections[0]["votes"]
    some = sim.run(_with_transfer(tmp_path, 0.15), seed=0, until=600).state.elections[0]["votes"]
    gained = {p for p in some if some[p] > none.get(p, 0)}
    assert gained and gained <= {"governors", "independents", "state_forces", "others"}, gained
    assert sum(some.values()) > sum(none.values())
    assert some.get("sadrists", 0) == 0
