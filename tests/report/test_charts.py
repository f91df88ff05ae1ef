from __future__ import annotations

import math
import re

import pytest

from sim.report import charts
from sim.report.colours import actor_colours
from tests.report import fixtures


@pytest.mark.parametrize("total", [1, 7, 100, 329])
def test_hemicycle_has_one_seat_per_member(total: int) -> None:
    seats = charts.hemicycle_layout(total)
    assert len(seats) == total
    assert all(y >= -1e-9 and math.hypot(x, y) <= 1 + 1e-9 for x, y in seats)


def test_hemicycle_fills_left_to_right() -> None:
    seats = charts.hemicycle_layout(329)
    angles = [round(math.atan2(y, x), 9) for x, y in seats]
    assert angles == sorted(angles, reverse=True)


def test_seat_order_is_shared_and_puts_others_last() -> None:
    order = charts.seat_order(fixtures.SEATS_INITIAL, fixtures.SEATS_FINAL)
    assert order[-2:] == ["independents", "others"]
    assert order[0] == "sadrists" or order[0] == "taqaddum"


def _names() -> dict[str, str]:
    return {k: v["name"] for k, v in fixtures.ACTORS.items()}


def test_svgs_are_inline_ready_and_ids_do_not_collide() -> None:
    colours = actor_colours(fixtures.ACTORS, fixtures.SEATS_FINAL)
    a = charts.hemicycle(fixtures.SEATS_INITIAL, colours, _names(), "Before")
    b = charts.hemicycle(fixtures.SEATS_FINAL, colours, _names(), "After", highlight=["aah"])
    for svg in (a, b):
        assert svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg
        assert 'role="img"' in svg
        assert not re.search(r"https?://(?!www\.w3\.org/)", svg)
    ids_a = set(re.findall(r'\bid="([^"]+)"', a))
    ids_b = set(re.findall(r'\bid="([^"]+)"', b))
    assert ids_a and ids_b and not ids_a & ids_b
    for ref in re.findall(r'href="#([^"]+)"', a) + re.findall(r"url\(#([^)]+)\)", a):
        assert ref in ids_a


def test_same_input_same_svg() -> None:
    colours = actor_colours(fixtures.ACTORS)
    history = fixtures.make_history()
    one = charts.influence_lines(history, colours, _names())
    two = charts.influence_lines(history, colours, _names())
    assert one == two


def test_actor_colour_is_used_in_every_chart() -> None:
    colours = actor_colours(fixtures.ACTORS, fixtures.SEATS_FINAL)
    history = fixtures.make_history()
    positions = charts.network_layout([h["relationships"] for h in history])
    svgs = [
        charts.hemicycle(fixtures.SEATS_FINAL, colours, _names(), "Seats"),
        charts.influence_lines(history, colours, _names()),
        charts.network(history[-1]["relationships"], colours, _names(), "Net", positions,
                       history[-1]["influence"]),
    ]
    for svg in svgs:
        assert colours["aah"].lower() in svg.lower()


def test_network_positions_are_fixed_for_all_dates() -> None:
    history = fixtures.make_history()
    positions = charts.network_layout([h["relationships"] for h in history])
    assert set(positions) >= {"aah", "sadrists", "us"}
    assert positions == charts.network_layout([h["relationships"] for h in history])


def test_distribution_charts_render() -> None:
    colours = actor_colours(fixtures.ACTORS, ["sol"])
    for svg in (
        charts.probability_bars({"sudani": 0.6, "sol": 0.4}, colours, _names(), "PM"),
        charts.seat_distributions({"a": {"sol": [1, 2, 3]}, "b": {"sol": [4, 5, 6]}},
                                  colours, _names(), "Seats"),
        charts.histogram([1, 2, 3, 4, 5], "Casualties", "People killed"),
        charts.effects_heatmap({"p": {"casualties": 0.5, "seats sol": float("nan")}}, "E"),
        charts.sobol_bars({"S1": {"p": 0.3}, "ST": {"p": 0.5}}, "Sobol"),
        charts.casualties_timeline([("2024-07-01", 5, "x")], [("2024-08-01", "sanctions")],
                                   "2024-06-01", "2024-12-01"),
    ):
        assert svg.startswith("<svg") and "<path" in svg
