"""One colour per actor, the same in every chart, table and report.

A teacher who shows the parliament chart and then the influence lines should not have to re-learn
which colour is Sadr's.  The scenario's own colour (``summary.actors[id].colour``) wins; any
party or actor without one gets a colour from a fixed palette keyed by a stable hash of its id, so
it is the same in a run report, a sweep report and a comparison made months apart.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping

# Tableau 20 minus its greys: distinct, readable on white, friendly to projectors.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
    "#dbdb8d", "#9edae5",
)
NEUTRAL: dict[str, str] = {
    "independents": "#9a9a9a",
    "independent": "#9a9a9a",
    "others": "#bdbdbd",
    "other": "#bdbdbd",
    "vacant": "#e0e0e0",
    "none": "#bdbdbd",
    "no government": "#bdbdbd",
    "": "#e0e0e0",
}
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def palette_colour(actor_id: str) -> str:
    """The fallback colour of an id: stable across runs, processes and Python versions."""
    if actor_id in NEUTRAL:
        return NEUTRAL[actor_id]
    return PALETTE[zlib.crc32(actor_id.encode("utf-8")) % len(PALETTE)]


def actor_colours(actors: Mapping[str, Mapping] | None, ids: Iterable[str] = ()) -> dict[str, str]:
    """Colour of every actor in ``actors`` (summary.actors) and of every extra id in ``ids``.

    Ids without a colour of their own take their palette colour, moving on to the next free one
    when an actor already uses it: the set of actors comes from the world, so the result is the
    same in every report of the same world.
    """
    colours: dict[str, str] = {}
    for actor_id, meta in (actors or {}).items():
        colour = meta.get("colour") if isinstance(meta, Mapping) else None
        if isinstance(colour, str) and _HEX.match(colour):
            colours[str(actor_id)] = colour
    missing = {str(a) for a in (actors or {})} | {str(a) for a in ids if a is not None}
    used = {c.lower() for c in colours.values()}
    for actor_id in sorted(missing - set(colours)):
        if actor_id in NEUTRAL:
            colours[actor_id] = NEUTRAL[actor_id]
            continue
        start = PALETTE.index(palette_colour(actor_id))
        for step in range(len(PALETTE)):
            candidate = PALETTE[(start + step) % len(PALETTE)]
            if candidate.lower() not in used:
                break
        else:
            candidate = PALETTE[start]
        colours[actor_id] = candidate
        used.add(candidate.lower())
    return colours


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (a #hex colour)."""
    value = background.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"
