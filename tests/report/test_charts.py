from __future__ import annotations

import math
import re

import pytest

from sim.report import charts
from sim.report.colours import actor_colours
from tests.report import fixtures

# What a summary carries of the seed world's display section (the charts know no world).
CAMPS = ("shia", "sunni", "kurd", "minority", "mixed")
LAST = ("independents", "others")


def _places() -> dict[str, list[float]]:
    import yaml

    world = yaml.safe_load((fixtures.ROOT / "seeds" / "world.yaml").read_text())
    return world["display"]["map"]


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
    order = charts.seat_order(fixtures.SEATS_INITIAL, fixtures.SEATS_FINAL, last=LAST)
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
    positions = charts.network_layout([h["relationships"] for h in history], places=_places())
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
    positions = charts.network_layout([h["relationships"] for h in history], places=_places())
    assert set(positions) >= {"aah", "sadrists", "us"}
    again = charts.network_layout([h["relationships"] for h in history], places=_places())
    assert positions == again


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


def test_network_layout_groups_allies_and_keeps_unknown_actors() -> None:
    history = fixtures.make_history()
    positions = charts.network_layout([h["relationships"] for h in history], places=_places())
    # the Framework on the left, the Sadrists apart at the top, the Kurds and the US on the right
    assert positions["sol"][0] < 0 and positions["badr"][0] < 0 and positions["aah"][0] < 0
    assert positions["kdp"][0] > 0 and positions["us"][0] > 0 and positions["iran"][0] < 0
    assert positions["sadrists"][1] > positions["sudani"][1]
    extra = charts.network_layout([[["aah", "newcomer", 0.5], ["sol", "aah", 0.4]]],
                                  places=_places())
    assert set(extra) == {"aah", "sol", "newcomer"}
    seated = charts.network_layout([[["aah", "sol", 0.4]]], extra=["new_generation", "aah"],
                                   places=_places())
    assert set(seated) == {"aah", "sol", "new_generation"}
    unknown = charts.network_layout([[["a", "b", 0.5], ["b", "c", -0.4], ["c", "d", 0.9]]])
    assert len(set(unknown.values())) == 4


def test_network_draws_only_strong_ties_between_shown_actors() -> None:
    ties = charts.strong_ties([["a", "b", 0.29], ["b", "c", -0.3], ["c", "d", 0.9],
                               ["d", "c", 0.8]])
    assert sorted((a, b) for a, b, _ in ties) == [("b", "c"), ("c", "d")]
    colours = actor_colours(fixtures.ACTORS, fixtures.SEATS_FINAL)
    history = fixtures.make_history()
    positions = charts.network_layout([h["relationships"] for h in history], places=_places())
    svg = charts.network(history[-1]["relationships"], colours, _names(), "Net", positions,
                         history[-1]["influence"], nodes=["aah", "sol", "badr"])
    assert colours["aah"].lower() in svg.lower() and colours["us"].lower() not in svg.lower()
    assert svg.startswith("<svg")


def test_labels_are_placed_clear_of_nodes_and_of_each_other() -> None:
    centres = {f"n{i}": (100.0 + 40 * (i % 4), 100.0 + 35 * (i // 4)) for i in range(12)}
    radii = {n: 8.0 for n in centres}
    sizes = {n: (70.0, 16.0) for n in centres}
    spots = charts.place_labels(centres, radii, sizes, (0, 0, 600, 400))
    boxes = {n: (x - 35, y - 8, x + 35, y + 8) for n, (x, y) in spots.items()}
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not charts._boxes_overlap(boxes[a], boxes[b]), (a, b)
        for n, (cx, cy) in centres.items():
            assert not charts._box_hits_circle(boxes[a], cx, cy, radii[n]), (a, n)


def test_chart_names_are_short_but_recognisable() -> None:
    names = charts.Names({"kdp": "Kurdistan Democratic Party",
                          "x": "A Very Long Party Name Indeed Here",
                          "t": "Taqaddum (Progress)", "aah": "Khazali / Asa'ib Ahl al-Haq"},
                         short={"kdp": "KDP"})
    assert charts.chart_name(names, "kdp", limit=30) == "Kurdistan Democratic Party"
    assert charts.chart_name(names, "kdp") == "KDP"
    assert charts.chart_name(names, "t", limit=12) == "Taqaddum"
    assert charts.chart_name(names, "aah") == "Khazali"
    assert len(charts.chart_name(names, "x", limit=18)) <= 18


# --- parliament charts by camp and bloc, the government marked (issue 11, item 7) -----------

ACTORS_BY_CAMP = {
    "sol": {"sect": "shia", "bloc": "cf"}, "badr": {"sect": "shia", "bloc": "cf"},
    "aah": {"sect": "shia", "bloc": "cf"}, "sadrists": {"sect": "shia", "bloc": None},
    "taqaddum": {"sect": "sunni", "bloc": "sovereignty"},
    "azm": {"sect": "sunni", "bloc": "sovereignty"},
    "kdp": {"sect": "kurd", "bloc": None}, "puk": {"sect": "kurd", "bloc": None},
    "babylon": {"sect": "minority", "bloc": None},
    "independents": {"sect": "mixed", "bloc": None}, "others": {"sect": "mixed", "bloc": None},
}


def test_seat_order_sits_parties_by_camp_then_bloc() -> None:
    seats = {"sadrists": 70, "sol": 30, "badr": 20, "aah": 15, "taqaddum": 35, "azm": 15,
             "kdp": 31, "puk": 17, "babylon": 4, "independents": 20, "others": 60}
    order = charts.seat_order(seats, actors=ACTORS_BY_CAMP, camps=CAMPS, last=LAST)
    assert order == ["sol", "badr", "aah", "sadrists", "taqaddum", "azm", "kdp", "puk",
                     "babylon", "independents", "others"]
    # the largest party (sadrists) does not break up the Framework bloc
    framework = [order.index(p) for p in ("sol", "badr", "aah")]
    assert max(framework) - min(framework) == 2
    assert charts.seat_order(seats)[0] == "sadrists"  # without camps: largest first


def test_the_government_is_marked_and_the_rest_recede() -> None:
    seats = {"sol": 100, "badr": 80, "kdp": 60, "puk": 89}
    colours = {"sol": "#b2182b", "badr": "#99ddff", "kdp": "#ffc300", "puk": "#a52d5a"}
    svg = charts.hemicycle(seats, colours, {}, "Chamber", highlight=["sol", "kdp"])
    fills = set(re.findall(r"fill: ?(#[0-9a-f]{6})", svg))
    assert {"#b2182b", "#ffc300"} <= fills  # government: full colour
    assert "#a52d5a" not in fills and charts.faded("#a52d5a") in fills  # opposition: faded
    assert "✓" in svg or "&#10003;" in svg or "\u2713" in svg
    plain = charts.hemicycle(seats, colours, {}, "Chamber")
    assert "#a52d5a" in set(re.findall(r"fill: ?(#[0-9a-f]{6})", plain))
