"""One colour per actor, the same in every chart, table and report.

A teacher who shows the parliament chart and then the influence lines should not have to re-learn
which colour is Sadr's.  The scenario's own colour (``summary.actors[id].colour``) wins; any
party or actor without one gets a colour from a fixed palette keyed by a stable hash of its id, so
it is the same in a run report, a sweep report and a comparison made months apart.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Mapping

# Tableau 20 minus its greys: distinct, readable on white, friendly to projectors.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
    "#dbdb8d", "#9edae5",
)
# Greys for what is no actor (a vacant post, no government); a world's own groupings carry
# their colours in the world (summary.actors[id].colour).
NEUTRAL: dict[str, str] = {
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


# --- telling colours apart -------------------------------------------------------------------
#
# Two actors that can appear in the same chart must not be confusable, for readers with normal
# colour vision and for the ~8% of men with red-green colour blindness.  Distance is CIEDE2000
# (CIE 142-2001; Sharma, Wu & Dalal 2005), in CIELAB under D65.  Colour blindness is simulated
# with the Machado, Oliveira & Fernandes (2009) matrices at severity 1.0 (full deuteranopia and
# protanopia) applied in linear sRGB.  Thresholds: a CIEDE2000 difference of about 2 is a just
# noticeable difference between large patches side by side; chart marks are small and seen
# apart, so we ask for 12 with normal vision (clearly different hues or lightness) and 8 under
# each simulated deficiency (distinguishable when looked for, with the names on the chart).

MIN_DELTA_E = 12.0
MIN_DELTA_E_CVD = 8.0

_DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                 (-0.011820, 0.042940, 0.968881))
_PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
               (-0.003882, -0.048116, 1.051998))
VISIONS = {"normal": None, "deuteranopia": _DEUTERANOPIA, "protanopia": _PROTANOPIA}


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def simulate(colour: str, vision: str) -> tuple[float, float, float]:
    """The sRGB colour (0..1) as a reader with `vision` sees it."""
    rgb = _rgb(colour)
    matrix = VISIONS[vision]
    if matrix is None:
        return rgb
    lin = [_linear(c) for c in rgb]
    return tuple(_gamma(sum(m * c for m, c in zip(row, lin, strict=True)))  # type: ignore[return-value]
                 for row in matrix)


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour with channels in 0..1."""
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    else:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6))
         - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_h / s_h) ** 2
                     + r_t * (dc / s_c) * (d_h / s_h))


def distance(colour1: str, colour2: str, vision: str = "normal") -> float:
    """How different two '#rrggbb' colours look to a reader with `vision` (CIEDE2000)."""
    return delta_e(lab(simulate(colour1, vision)), lab(simulate(colour2, vision)))


def confusable_pairs(colours: Mapping[str, str]) -> list[tuple[str, str, str, float]]:
    """Pairs of ids whose colours are too close for some reader: (a, b, vision, distance)."""
    found = []
    ids = sorted(colours)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            for vision in VISIONS:
                limit = MIN_DELTA_E if vision == "normal" else MIN_DELTA_E_CVD
                d = distance(colours[a], colours[b], vision)
                if d < limit:
                    found.append((a, b, vision, round(d, 1)))
    return found
