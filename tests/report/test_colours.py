from __future__ import annotations

from sim.report.colours import PALETTE, actor_colours, palette_colour, text_colour


def test_summary_colour_wins_and_fallback_is_stable() -> None:
    colours = actor_colours({"aah": {"colour": "#123456"}, "x": {"name": "X"}}, ["y"])
    assert colours["aah"] == "#123456"
    assert colours["x"] in PALETTE and colours["y"] in PALETTE
    again = actor_colours({"aah": {"colour": "#123456"}, "x": {"name": "X"}}, ["y"])
    assert again == colours
    assert palette_colour("sadrists") == palette_colour("sadrists")


def test_fallback_colours_do_not_collide() -> None:
    ids = [f"party_{i}" for i in range(len(PALETTE))]
    colours = actor_colours({}, ids)
    assert len(set(colours.values())) == len(ids)


def test_invalid_colour_falls_back() -> None:
    assert actor_colours({"a": {"colour": "red; background:url(x)"}})["a"] in PALETTE


def test_neutral_groups_are_grey() -> None:
    colours = actor_colours({}, ["others", "independents"])
    assert colours["others"] == "#bdbdbd"


def test_text_colour_contrasts() -> None:
    assert text_colour("#ffffff") == "#000000"
    assert text_colour("#000") == "#ffffff"
