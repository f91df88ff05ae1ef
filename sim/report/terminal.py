"""Charts for the terminal: what `sim run` and `sim compare` print.

Rich renders hex colours as true colour where the terminal can and degrades to the nearest of
256 or 16 colours (or none, when output is piped), so the same actor colours as the HTML report
come through wherever they can, and the numbers carry the meaning when they cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sim.report.charts import chart_name
from sim.report.colours import actor_colours
from sim.teaching.text import rich_text

if TYPE_CHECKING:
    from rich.table import Table

BAR_WIDTH = 30
BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, scale: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``value`` out of ``scale``, drawn with eighth-block precision."""
    if scale <= 0 or value <= 0:
        return ""
    eighths = round(width * 8 * min(value, scale) / scale)
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


def seat_bars(before: Mapping[str, int], after: Mapping[str, int],
              colours: Mapping[str, str] | None = None,
              names: Mapping[str, str] | None = None, title: str | None = "Seats") -> Table:
    """A compact table of the seat change: party, before, after, change, and a bar of 'after'.

    Parties are ordered by seats after (then before); a party that appears in only one map
    counts 0 in the other.  ``colours`` maps party ids to '#rrggbb' (the summary's actor
    colours); parties without one get the report palette's colour, as in the HTML report.
    """
    from rich.table import Table
    from rich.text import Text

    parties = sorted(set(before) | set(after),
                     key=lambda p: (-int(after.get(p, 0)), -int(before.get(p, 0)), p))
    palette = actor_colours({p: {"colour": c} for p, c in (colours or {}).items()}, parties)
    scale = max([*map(int, after.values()), *map(int, before.values()), 1])
    table = Table(title=title, title_justify="left", box=None, pad_edge=False,
                  show_edge=False, header_style="bold")
    table.add_column("Party", no_wrap=True)
    table.add_column("Before", justify="right")
    table.add_column("After", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("", no_wrap=True, min_width=BAR_WIDTH)
    for party in parties:
        b, a = int(before.get(party, 0)), int(after.get(party, 0))
        delta = a - b
        change = Text(f"{delta:+d}" if delta else "0",
                      style="green" if delta > 0 else "red" if delta < 0 else "dim")
        label = chart_name(names or {}, party, 20)  # a short form that fits 80 columns
        table.add_row(Text("● ", style=palette[party]) + rich_text(label), str(b), str(a), change,
                      Text(bar(a, scale), style=palette[party]))
    table.add_row(Text("Total", style="bold"), str(sum(map(int, before.values()))),
                  str(sum(map(int, after.values()))), "", "")
    return table
