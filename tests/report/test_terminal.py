from __future__ import annotations

import io

from rich.console import Console

from sim.report.terminal import bar, seat_bars
from tests.report import fixtures


def _text(renderable) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(renderable)
    return buffer.getvalue()


def test_seat_bars_show_before_after_and_change() -> None:
    colours = {k: v["colour"] for k, v in fixtures.ACTORS.items() if "colour" in v}
    out = _text(seat_bars(fixtures.SEATS_INITIAL, fixtures.SEATS_FINAL, colours))
    lines = out.splitlines()
    sadr = next(line for line in lines if "sadrists" in line)
    assert "70" in sadr and "+70" in sadr and "█" in sadr
    assert "-8" in next(line for line in lines if line.lstrip("● ").startswith("sol"))
    assert "329" in next(line for line in lines if "Total" in line)
    # largest party after the change comes first
    assert lines.index(sadr) < min(i for i, line in enumerate(lines) if "kh " in line)


def test_seat_bars_accept_no_colours_and_names() -> None:
    out = _text(seat_bars({"a": 1}, {"a": 2, "b": 3}, None, names={"a": "Alpha"}))
    assert "Alpha" in out and "b" in out


def test_bar_scales() -> None:
    assert bar(10, 10, width=4) == "████"
    assert bar(0, 10) == "" and bar(5, 0) == ""
    assert len(bar(5, 10, width=4)) == 2


def test_a_runs_seat_table_uses_the_worlds_short_labels() -> None:
    """A long name that does not fit the table's column is shortened the world's way (the
    world's display.short, carried in summary.actors), not cut mid-word."""
    from pathlib import Path

    import sim
    from sim.narrate import print_run

    root = Path(__file__).resolve().parents[2]
    run = sim.run(sim.load_scenario(root / "scenarios" / "baseline.yaml"), seed=0, until=30)
    console = Console(file=io.StringIO(), width=100)
    print_run(run, None, console)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    table = text[text.index("\nParty "):]
    short = run.summary["actors"]["sudani"]["short"]
    assert f"● {short} " in table and "…" not in table
