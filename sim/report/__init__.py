"""Reports: what a run or a sweep means, for people.

- `write_report(DIR)`: DIR/report.html, one self-contained page for a run or a sweep.
- `compare(SCENARIOS, replications, seed)`: scenarios side by side (`render`, `comparison_html`).
- `explain(load_run(DIR), QUERY)`: the cause chain of an event, as text.
- `seat_bars(before, after, colours)`: the seat change as a rich table for the terminal.

Heavy libraries (matplotlib, networkx, jinja2, pandas) are imported only when a report is made.
"""

from __future__ import annotations

from sim.report.colours import actor_colours
from sim.report.compare import Comparison, compare, comparison_html, render
from sim.report.explain import Explanation, explain, format_explanation
from sim.report.html import write_report
from sim.report.load import RunData, SweepData, load, load_run, load_sweep
from sim.report.terminal import seat_bars

__all__ = [
    "Comparison", "Explanation", "RunData", "SweepData", "actor_colours", "compare",
    "comparison_html", "explain", "format_explanation", "load", "load_run", "load_sweep",
    "render", "seat_bars", "write_report",
]
