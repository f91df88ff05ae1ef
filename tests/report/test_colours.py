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


def test_what_is_no_actor_is_grey() -> None:
    colours = actor_colours({}, ["vacant", "none"])
    assert colours["vacant"] == "#e0e0e0" and colours["none"] == "#bdbdbd"


def test_a_world_grouping_keeps_its_world_colour() -> None:
    # the seed world colours its independents and small lists grey itself; the report keeps
    # no list of any world's groupings
    colours = actor_colours({"others": {"colour": "#bdbdbd"}}, ["others"])
    assert colours["others"] == "#bdbdbd"


def test_text_colour_contrasts() -> None:
    assert text_colour("#ffffff") == "#000000"
    assert text_colour("#000") == "#ffffff"


# --- no two actors are confusable (issue 11, item 7) ---------------------------------------

def test_ciede2000_matches_published_pairs() -> None:
    import pytest

    from sim.report.colours import delta_e

    # Sharma, Wu & Dalal (2005), test data pairs 1, 7 and 17
    assert delta_e((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == pytest.approx(2.0425,
                                                                                       abs=1e-4)
    assert delta_e((50.0, 0.0, 0.0), (50.0, -1.0, 2.0)) == pytest.approx(2.3669, abs=1e-4)
    assert delta_e((50.0, 2.5, 0.0), (73.0, 25.0, -18.0)) == pytest.approx(27.1492, abs=1e-4)


def test_simulated_colour_blindness_merges_red_and_green() -> None:
    from sim.report.colours import MIN_DELTA_E_CVD, distance

    red, green = "#d62728", "#2ca02c"  # distinct for most readers, not for dichromats
    assert distance(red, green) > 40
    assert distance(red, green, "deuteranopia") < MIN_DELTA_E_CVD * 2
    assert distance("#000000", "#ffffff", "protanopia") > 90  # lightness survives


def test_the_world_palette_has_no_confusable_pair() -> None:
    from pathlib import Path

    import sim
    from sim.report.colours import confusable_pairs
    from sim.scenario import resolved

    root = Path(__file__).resolve().parents[2]
    for scenario in sorted((root / "scenarios").glob("*.yaml")):
        world = resolved(sim.load_scenario(scenario))["world"]
        colours = {a: spec.colour for a, spec in world.actors.items()}
        assert len(colours) >= 20
        assert confusable_pairs(colours) == [], scenario.name


def test_a_confusable_pair_is_found() -> None:
    from sim.report.colours import confusable_pairs

    # the Badr and PUK greens
    assert ("badr", "puk", "normal", 6.8) in confusable_pairs({"badr": "#7fbc41",
                                                              "puk": "#66a61e"})
