"""The report's charts: matplotlib figures rendered to inline SVG strings.

SVG keeps the report one self-contained file that stays sharp on a classroom projector, and
matplotlib's SVG backend draws text as paths, so no font is fetched when the page opens.  Every
chart takes the same ``colours`` mapping (see `sim.report.colours`) so an actor keeps its colour
from chart to chart, and every chart has a title, axis labels where there are axes, and a legend.
Figures are built with `matplotlib.figure.Figure` directly, not pyplot: no global state, no GUI
backend, safe in worker processes.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sim.teaching.text import clean

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ALLY = "#2e7d32"
RIVAL = "#c62828"
INK = "#222222"
MUTED = "#666666"

STYLE = {
    "font.size": 11,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.labelsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.grid": False,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "svg.fonttype": "path",  # glyphs as paths: nothing to fetch, same look everywhere
    # Names are data: a '$' in an actor's name is a dollar sign, never TeX to parse (an
    # unbalanced '$\\frac{$' would crash the report).
    "text.parse_math": False,
    "svg.hashsalt": "sim-report",  # stable ids: the same run gives the same report
}


def short_name(name: str, limit: int = 22) -> str:
    """A label that fits on a chart: 'Khazali / Asa'ib Ahl al-Haq' -> 'Khazali'."""
    first = name.split(" / ")[0].strip() or name
    return first if len(first) <= limit else first[: limit - 1] + "…"


class Names(dict[str, str]):
    """Display names by id, with the world's short chart labels beside them.

    The short labels come from summary.actors[id].short (the world's `display.short`), so a
    chart names an actor the way its world says, and no report module keeps a table of names.
    """

    def __init__(self, names: Mapping[str, str] | Iterable[tuple[str, str]] = (),
                 short: Mapping[str, str] | None = None):
        super().__init__(names)
        self.short: dict[str, str] = dict(short or {})


def names_from(actors: Mapping[str, Mapping[str, Any]]) -> Names:
    """Names of summary.actors (or sweep.json actors) with their short labels."""
    return Names({a: str((m or {}).get("name") or a) for a, m in actors.items()},
                 {a: str(m["short"]) for a, m in actors.items() if (m or {}).get("short")})


def chart_name(names: Mapping[str, str], key: str | None, limit: int = 22) -> str:
    """The actor's name if it fits in ``limit`` characters, else its world's short label
    (see `Names`), else the name without parentheses, else cut."""
    if key is None:
        return "none"
    name = clean(names.get(key, key))  # control characters shown as escapes, not sent to fonts
    first = name.split(" / ")[0].strip() or name
    if len(first) <= limit:
        return first
    short = getattr(names, "short", {}).get(key)
    if short and len(short) <= limit:
        return str(short)
    bare = re.sub(r"\s*\([^)]*\)", "", first).strip()
    if bare and len(bare) <= limit:
        return bare
    return short_name(first, limit)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def to_svg(fig: Figure, label: str) -> str:
    """The figure as an <svg> element ready to inline: no XML prolog, unique ids, accessible."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    # The RDF metadata block only names vocabularies by URL; drop it so the page holds no
    # http(s) address at all besides the SVG namespace itself.
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    # Several charts share one HTML document, so their internal ids (clip paths, glyphs) must not
    # collide: prefix them with a digest of the chart itself.
    prefix = "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    safe = (label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
    text = text.replace("<svg ", f'<svg role="img" aria-label="{safe}" class="chart" ', 1)
    return text.strip()


def _style() -> Any:  # a matplotlib rc_context (matplotlib is imported lazily)
    import matplotlib

    return matplotlib.rc_context(STYLE)


def _name(names: Mapping[str, str], key: str | None) -> str:
    return chart_name(names, key)


def _colour(colours: Mapping[str, str], key: str | None) -> str:
    from sim.report.colours import palette_colour

    return colours.get(key or "", palette_colour(key or ""))


def seat_order(*seat_maps: Mapping[str, int],
               actors: Mapping[str, Mapping[str, Any]] | None = None,
               camps: Sequence[str] = (), last: Sequence[str] = ()) -> list[str]:
    """One party order for every parliament chart of a report.

    With ``actors`` (summary.actors: each party's ``sect`` and ``bloc``), parties sit by camp
    in the order of ``camps`` (summary.parliament.camps, from the world), and within a camp by
    bloc, so a bloc's members are neighbours: the larger bloc first, its members largest first,
    then the camp's parties outside any bloc.  Without them (older summaries), largest first.
    The groupings in ``last`` (summary.parliament.seated_last) always close the row.
    """
    totals: dict[str, int] = {}
    for seats in seat_maps:
        for party, n in seats.items():
            totals[party] = totals.get(party, 0) + int(n)
    tail = [p for p in last if p in totals]
    head = [p for p in totals if p not in tail]
    if not actors:
        return sorted(head, key=lambda p: (-totals[p], p)) + tail

    def meta(p: str) -> Mapping[str, Any]:
        value = actors.get(p)
        return value if isinstance(value, Mapping) else {}

    def camp(p: str) -> int:
        sect = str(meta(p).get("sect"))
        return list(camps).index(sect) if sect in camps else len(camps)

    bloc_seats: dict[str, int] = {}
    for p in head:
        bloc = meta(p).get("bloc")
        if bloc:
            bloc_seats[bloc] = bloc_seats.get(bloc, 0) + totals[p]

    def key(p: str) -> tuple:
        bloc = meta(p).get("bloc")
        in_bloc = 0 if bloc else 1
        return (camp(p), in_bloc, -bloc_seats.get(bloc, 0), str(bloc or ""), -totals[p], p)

    return sorted(head, key=key) + tail


def faded(colour: str, amount: float = 0.6) -> str:
    """`colour` mixed with white: seats outside the government recede."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6:
        return colour
    rgb = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def hemicycle_layout(total: int, inner: float = 0.4) -> list[tuple[float, float]]:
    """Seat centres (x, y) on concentric half rings, ordered left to right across the arc.

    The number of rings is chosen so that seats are about as far apart along a ring as the rings
    are from each other; ring sizes are proportional to their radius, so the dots look even.
    """
    if total <= 0:
        return []
    rows = max(1, round(math.sqrt(total * (1 - inner) * 2 / (math.pi * (1 + inner)))))
    if rows == 1:
        radii = [1.0]
    else:
        radii = [inner + i * (1 - inner) / (rows - 1) for i in range(rows)]
    share = [total * r / sum(radii) for r in radii]
    counts = [int(s) for s in share]
    for i in sorted(range(rows), key=lambda i: share[i] - counts[i], reverse=True):
        if sum(counts) == total:
            break
        counts[i] += 1
    seats: list[tuple[float, float, float]] = []
    for radius, n in zip(radii, counts, strict=True):
        for k in range(n):
            angle = math.pi / 2 if n == 1 else math.pi * (1 - k / (n - 1))
            seats.append((angle, radius, 0.0))
    seats.sort(key=lambda s: (-round(s[0], 9), s[1]))
    return [(r * math.cos(a), r * math.sin(a)) for a, r, _ in seats]


def hemicycle(seats: Mapping[str, int], colours: Mapping[str, str], names: Mapping[str, str],
              title: str, order: Sequence[str] | None = None,
              highlight: Iterable[str] = (), majority: int | None = None) -> str:
    """A parliament chart: one dot per seat, parties in wedges, the government ringed.

    ``majority``: the seats a government needs (summary.parliament.majority), written in the
    middle; None (an older summary) leaves it out."""
    from matplotlib.collections import PatchCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    order = [p for p in (order or seat_order(seats)) if seats.get(p, 0) > 0]
    order += [p for p in seat_order(seats) if p not in order and seats.get(p, 0) > 0]
    total = sum(int(seats[p]) for p in order)
    centres = hemicycle_layout(total)
    rows = max(1, round(math.sqrt(total * 0.6 * 2 / (math.pi * 1.4)))) if total else 1
    radius = 0.6 / max(rows - 1, 1) * 0.42
    highlight = set(highlight)
    with _style():
        fig = _figure(8.0, 7.6)
        ax = fig.add_subplot()
        patches, faces, edges, widths = [], [], [], []
        index = 0
        for party in order:
            for _ in range(int(seats[party])):
                x, y = centres[index]
                index += 1
                patches.append(Circle((x, y), radius))
                # With a government to show, its seats are full colour with a dark ring and
                # every other seat is faded: the government reads at a glance, in any palette.
                ringed = party in highlight
                faces.append(_colour(colours, party) if ringed or not highlight
                             else faded(_colour(colours, party)))
                edges.append(INK if ringed else "#c8c8c8" if highlight else "white")
                widths.append(1.4 if ringed else 0.3)
        ax.add_collection(PatchCollection(patches, facecolors=faces, edgecolors=edges,
                                          linewidths=widths))
        ax.set_xlim(-1.08, 1.08)
        ax.set_ylim(-0.08, 1.08)
        ax.set_aspect("equal")
        ax.axis("off")
        governing = sum(int(seats.get(p, 0)) for p in highlight)
        ax.text(0, 0.15, f"{total} seats", ha="center", fontsize=19, fontweight="bold")
        lines = [f"majority: {majority}"] if majority is not None else []
        if highlight:
            lines.append(f"government: {governing}")
        centre = "\n".join(lines)
        ax.text(0, 0.0, centre, ha="center", va="bottom", fontsize=12.5, color=MUTED)
        ax.set_title(title, fontsize=16)
        handles = [Line2D([], [], marker="o", linestyle="", markersize=11,
                          markerfacecolor=_colour(colours, p) if p in highlight or not highlight
                          else faded(_colour(colours, p)),
                          markeredgecolor=INK if p in highlight else "white",
                          markeredgewidth=1.6 if p in highlight else 0.5,
                          label=f"{_name(names, p)}  {int(seats[p])}"
                          + ("  ✓" if p in highlight else "")) for p in order]
        # Legend text a little larger than the default: these charts are projected.
        fig.legend(handles=handles, loc="outside lower center", ncol=2, handletextpad=0.3,
                   columnspacing=2.0, fontsize=14, title_fontsize=14,
                   title="Party and seats (✓, ringed and in full colour: in government)"
                   if highlight else "Party and seats")
        return to_svg(fig, title)


def _to_date(value: str) -> date:
    return date.fromisoformat(str(value)[:10])


def influence_lines(history: Sequence[Mapping[str, Any]], colours: Mapping[str, str],
                    names: Mapping[str, str], title: str = "Influence index over time",
                    markers: Sequence[tuple[str, str]] = (), top: int = 10) -> str:
    """One line per actor across the run; dotted verticals mark elections and governments."""
    from matplotlib.ticker import PercentFormatter

    dates = [_to_date(h["date"]) for h in history]
    actors: dict[str, float] = {}
    for h in history:
        for actor, value in (h.get("influence") or {}).items():
            actors[actor] = max(actors.get(actor, 0.0), float(value))
    shown = sorted(actors, key=lambda a: -actors[a])[:top]
    with _style():
        fig = _figure(9.0, 4.8)
        ax = fig.add_subplot()
        for actor in shown:
            values = [float((h.get("influence") or {}).get(actor, float("nan")))
                      for h in history]
            ax.plot(dates, values, color=_colour(colours, actor), linewidth=2.4,
                    label=_name(names, actor), marker="o" if len(dates) < 3 else None)
        # Marker labels sit above the plot, not across the lines; neighbours alternate height.
        for k, (when, label) in enumerate(sorted(markers)):
            x = _to_date(when)
            ax.axvline(x, color=MUTED, linestyle=":", linewidth=1.4)
            ax.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(0, 3 + 13 * (k % 2)), textcoords="offset points",
                        va="bottom", ha="center", fontsize=10, color=MUTED)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        ax.set_ylim(bottom=0)
        ax.set_xlabel("Date")
        ax.set_ylabel("Influence index (share of total)")
        ax.set_title(title, pad=8 + (16 if markers else 0) + (13 if len(markers) > 1 else 0))
        ax.grid(axis="y", color="#e5e5e5")
        fig.autofmt_xdate()
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", title="Actor")
        return to_svg(fig, title)


MAP_XLIM = (-2.15, 2.15)
MAP_YLIM = (-1.28, 1.16)
NETWORK_THRESHOLD = 0.3


def network_layout(snapshots: Sequence[Sequence[Sequence[Any]]], seed: int = 7,
                   extra: Iterable[str] = (),
                   places: Mapping[str, Sequence[float]] | None = None) -> dict:
    """Fixed node positions for every network chart, so actors stay put from date to date.

    ``extra``: actors to place even if no relationship names them (parties with seats, say).
    ``places``: the world's map (summary.actors[id].map, from its `display.map`).

    Actors with a place on the world's map get it (allies grouped together); any other actor
    goes on a spare row at the bottom, in id order.  A world whose map places fewer than half
    the actors gets a circle instead, ordered by a spring layout so allies are neighbours.
    """
    places = places or {}
    nodes: list[str] = []
    for relationships in snapshots:
        for a, b, _ in relationships:
            nodes += [n for n in (a, b) if n not in nodes]
    nodes += sorted({str(n) for n in extra if n} - set(nodes))
    if not nodes:
        return {}
    known = [n for n in nodes if n in places]
    if len(known) * 2 < len(nodes):
        return _circle_layout(snapshots, seed, nodes)
    positions = {n: (float(places[n][0]), float(places[n][1])) for n in known}
    spare = sorted(n for n in nodes if n not in places)
    for i, node in enumerate(spare):
        x = 0.0 if len(spare) == 1 else -1.7 + 3.4 * i / (len(spare) - 1)
        positions[node] = (round(x, 4), -1.18)
    return positions


def _circle_layout(snapshots: Sequence[Sequence[Sequence[Any]]], seed: int,
                   nodes: Sequence[str]) -> dict:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for relationships in snapshots:
        for a, b, w in relationships:
            graph.add_edge(a, b)
            previous = graph[a][b].get("weight", 0.0)
            graph[a][b]["weight"] = previous + (float(w) + 1.0) / len(snapshots)
    pos = nx.spring_layout(graph, weight="weight", seed=seed)
    # Keep the spring layout's angular order around the centre (allies stay neighbours) but space
    # everyone evenly on a wide ellipse, so labels have room.
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    ring = sorted(pos, key=lambda n: (math.atan2(pos[n][1] - cy, pos[n][0] - cx), str(n)))
    step = 2 * math.pi / len(ring)
    return {node: (round(1.45 * math.cos(math.pi / 2 - i * step), 4),
                   round(0.95 * math.sin(math.pi / 2 - i * step) - 0.05, 4))
            for i, node in enumerate(ring)}


def strong_ties(relationships: Sequence[Sequence[Any]],
                threshold: float = NETWORK_THRESHOLD) -> list[tuple[str, str, float]]:
    """The ties a network chart draws: |weight| >= threshold, one per pair."""
    ties: dict[tuple[str, str], float] = {}
    for a, b, w in relationships:
        if a != b and abs(float(w)) >= threshold:
            ties[(a, b) if str(a) <= str(b) else (b, a)] = float(w)
    return [(a, b, w) for (a, b), w in ties.items()]


def _box_hits_circle(box: tuple[float, float, float, float], cx: float, cy: float,
                     r: float) -> bool:
    x0, y0, x1, y1 = box
    dx = cx - min(max(cx, x0), x1)
    dy = cy - min(max(cy, y0), y1)
    return dx * dx + dy * dy < r * r


def _boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segment_crosses(box: tuple[float, float, float, float], p: tuple[float, float],
                     q: tuple[float, float], steps: int = 24) -> bool:
    x0, y0, x1, y1 = box
    for k in range(1, steps):
        t = k / steps
        x, y = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
        if x0 < x < x1 and y0 < y < y1:
            return True
    return False


def place_labels(centres: Mapping[str, tuple[float, float]], radii: Mapping[str, float],
                 sizes: Mapping[str, tuple[float, float]], bounds: tuple[float, ...],
                 segments: Sequence[tuple[tuple[float, float], tuple[float, float]]] = (),
                 middle: tuple[float, float] | None = None) -> dict[str, tuple[float, float]]:
    """Label centres (all in points) next to each node, clear of every node and other label.

    Nodes are served largest first.  Each tries eight spots around itself, pointing away from the
    middle of the map first, then the same spots further out; among the free spots at the nearest
    distance it takes the one that covers the fewest lines.  A label that finds no free spot at
    all takes the spot that overlaps least.
    """
    if middle is None:
        middle = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
    placed: list[tuple[float, float, float, float]] = []
    out: dict[str, tuple[float, float]] = {}
    order = sorted(centres, key=lambda n: (-radii.get(n, 0.0), str(n)))
    diagonal = math.sqrt(0.5)
    for node in order:
        cx, cy = centres[node]
        r = radii.get(node, 0.0)
        w, h = sizes[node]
        away = math.atan2(cy - middle[1], cx - middle[0]) if (cx, cy) != middle else -math.pi / 2
        directions = sorted(range(8), key=lambda k: (
            abs((k * math.pi / 4 - away + math.pi) % (2 * math.pi) - math.pi), k))
        best: tuple[float, tuple[float, float, float, float]] | None = None
        chosen = None
        for gap in (3.0, 10.0, 20.0, 34.0, 52.0):
            free = []
            for rank, k in enumerate(directions):
                ux, uy = round(math.cos(k * math.pi / 4)), round(math.sin(k * math.pi / 4))
                reach = r * (diagonal if ux and uy else 1.0) + gap
                x = cx + ux * (reach + w / 2)
                y = cy + uy * (reach + h / 2)
                box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                inside = (box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2]
                          and box[3] <= bounds[3])
                clashes = sum(_boxes_overlap(box, other) for other in placed) + sum(
                    _box_hits_circle(box, *centres[n], radii.get(n, 0.0) + 1.5)
                    for n in centres)
                if inside and not clashes:
                    lines = sum(_segment_crosses(box, p, q) for p, q in segments)
                    free.append((lines, rank, box))
                elif inside and (best is None or clashes < best[0]):
                    best = (clashes, box)
            if free:
                chosen = min(free)[2]
                break
        if chosen is None:
            chosen = best[1] if best else (cx - w / 2, cy - r - h, cx + w / 2, cy - r)
        placed.append(chosen)
        out[node] = ((chosen[0] + chosen[2]) / 2, (chosen[1] + chosen[3]) / 2)
    return out


def network(relationships: Sequence[Sequence[Any]], colours: Mapping[str, str],
            names: Mapping[str, str], title: str, positions: Mapping[str, tuple[float, float]],
            influence: Mapping[str, float] | None = None,
            threshold: float = NETWORK_THRESHOLD, nodes: Iterable[str] | None = None) -> str:
    """Alliances (green) and rivalries (red, dashed); line width is the strength of the tie.

    Only ties with |weight| >= ``threshold`` are drawn, between the ``nodes`` shown (default:
    every positioned actor).  Positions come from `network_layout`, so a series of maps keeps
    every actor in the same place; labels are placed beside the nodes without overlapping.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    shown = [n for n in (positions if nodes is None else nodes) if n in positions]
    shown = sorted(dict.fromkeys(shown), key=str)
    visible = set(shown)
    ties = [t for t in strong_ties(relationships, threshold)
            if t[0] in visible and t[1] in visible]
    influence = influence or {}
    fontsize = 12.5
    # Only as tall as the actors shown need (a small world leaves no empty band at the bottom);
    # the same for every map of a series, since they share positions and nodes.
    ys = [positions[n][1] for n in shown] or [0.0]
    ylim = (max(MAP_YLIM[0], min(ys) - 0.24), min(MAP_YLIM[1], max(ys) + 0.14))
    plot_height = 6.36 * (ylim[1] - ylim[0]) / (MAP_YLIM[1] - MAP_YLIM[0])
    height = plot_height + 0.52 + 0.56
    with _style():
        fig = Figure(figsize=(12.0, height))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.005, 0.56 / height, 0.99, plot_height / height))
        ax.set_xlim(*MAP_XLIM)
        ax.set_ylim(*ylim)
        ax.axis("off")
        ax.set_title(title, fontsize=16, pad=4)
        # Weak ties first, so strong ones are drawn on top.
        for a, b, w in sorted(ties, key=lambda t: (abs(t[2]), t[0], t[1])):
            (xa, ya), (xb, yb) = positions[a], positions[b]
            ax.plot([xa, xb], [ya, yb], color=ALLY if w > 0 else RIVAL,
                    linestyle="solid" if w > 0 else (0, (4, 2.5)), linewidth=1 + 4.5 * abs(w),
                    alpha=0.7, solid_capstyle="round", zorder=1)
        diameters = {n: 14.0 + 170.0 * max(float(influence.get(n, 0.0)), 0.0) for n in shown}
        ax.scatter([positions[n][0] for n in shown], [positions[n][1] for n in shown],
                   s=[diameters[n] ** 2 for n in shown], c=[_colour(colours, n) for n in shown],
                   edgecolors="white", linewidths=2, zorder=3)
        # Place the labels in points (independent of dpi), then draw them as offsets.
        scale = fig.dpi / 72.0
        renderer = fig.canvas.get_renderer()
        text = {n: chart_name(names, n, limit=18) for n in shown}
        sizes = {}
        for n in shown:
            probe = ax.text(0, 0, text[n], fontsize=fontsize, fontweight="bold")
            extent = probe.get_window_extent(renderer)
            probe.remove()
            sizes[n] = (extent.width / scale + 8, extent.height / scale + 5)
        centres = {n: tuple(float(v) / scale for v in ax.transData.transform(positions[n]))
                   for n in shown}
        box = ax.bbox
        bounds = (box.x0 / scale, box.y0 / scale, box.x1 / scale, box.y1 / scale)
        segments = [(centres[a], centres[b]) for a, b, _ in ties]
        middle = tuple(float(v) / scale for v in ax.transData.transform((0.0, 0.0)))
        spots = place_labels(centres, {n: diameters[n] / 2 + 1 for n in shown}, sizes, bounds,
                             segments, middle)
        for n in shown:
            (cx, cy), (lx, ly) = centres[n], spots[n]
            far = math.hypot(lx - cx, ly - cy) > diameters[n] / 2 + max(sizes[n]) / 2 + 14
            ax.annotate(text[n], positions[n], xytext=(lx - cx, ly - cy),
                        textcoords="offset points", ha="center", va="center",
                        fontsize=fontsize, fontweight="bold", color=INK, zorder=5,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white",
                              "ec": _colour(colours, n), "lw": 1.2, "alpha": 0.9},
                        arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.9,
                                    "shrinkA": 0, "shrinkB": diameters[n] / 2}
                        if far else None)
        fig.legend(handles=[
            Line2D([], [], color=ALLY, linewidth=3.5, label="alliance (thicker = stronger)"),
            Line2D([], [], color=RIVAL, linewidth=3.5, linestyle=(0, (4, 2.5)),
                   label="rivalry (thicker = deeper)"),
            Line2D([], [], marker="o", linestyle="", color=MUTED, markersize=12,
                   label="circle size = influence"),
            Line2D([], [], linestyle="", label=f"ties weaker than {threshold:g} not drawn"),
        ], loc="lower center", ncol=4, fontsize=12, handlelength=2.6, columnspacing=1.6,
            bbox_to_anchor=(0.5, 0.0))
        return to_svg(fig, title)


def casualties_timeline(points: Sequence[tuple[str, int, str]],
                        sanctions: Sequence[tuple[str, str]], start: str, end: str,
                        title: str = "Casualties and sanctions over time") -> str:
    """Cumulative deaths in clashes (a step line) and sanctions (labelled verticals)."""
    xs = [_to_date(start)]
    ys = [0]
    total = 0
    for when, killed, _ in sorted(points):
        total += int(killed)
        xs.append(_to_date(when))
        ys.append(total)
    xs.append(_to_date(end))
    ys.append(total)
    with _style():
        fig = _figure(9.0, 4.0)
        ax = fig.add_subplot()
        ax.step(xs, ys, where="post", color=RIVAL, linewidth=2.4, label="cumulative casualties")
        if points:
            ax.scatter([_to_date(p[0]) for p in sorted(points)], ys[1:-1], color=RIVAL, zorder=3,
                       s=30, label="clash")
        for when, label in sanctions:
            ax.axvline(_to_date(when), color="#37474f", linestyle="--", linewidth=1.4)
            ax.annotate(label, (_to_date(when), 0.98), xycoords=("data", "axes fraction"),
                        rotation=90, va="top", ha="right", fontsize=9, color="#37474f")
        if sanctions:
            ax.plot([], [], color="#37474f", linestyle="--", label="sanctions")
        ax.set_ylim(bottom=0, top=max(total * 1.15, 1))
        ax.set_xlabel("Date")
        ax.set_ylabel("People killed (cumulative)")
        ax.set_title(title)
        ax.grid(axis="y", color="#e5e5e5")
        ax.legend(loc="upper left")
        fig.autofmt_xdate()
        return to_svg(fig, title)


# --- distributions (sweeps and comparisons) ---------------------------------------------------


def probability_bars(probabilities: Mapping[str, float], colours: Mapping[str, str],
                     names: Mapping[str, str], title: str, xlabel: str = "Probability",
                     ylabel: str = "") -> str:
    """Horizontal bars of outcome probabilities, largest on top, each labelled with its %."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    items = sorted(probabilities.items(), key=lambda kv: -kv[1])
    with _style():
        fig = _figure(8.0, 1.2 + 0.5 * max(len(items), 1))
        ax = fig.add_subplot()
        labels = [_name(names, k) if k in names or k in colours else k for k, _ in items]
        bar_colours = [_colour(colours, k) for k, _ in items]
        ax.barh(range(len(items)), [v for _, v in items], color=bar_colours)
        for i, (_, v) in enumerate(items):
            ax.text(v + 0.01, i, f"{v:.0%}", va="center", fontsize=11)
        ax.set_yticks(range(len(items)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.08)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(handles=[Patch(color=c, label=lab) for c, lab in zip(bar_colours, labels,
                                                                       strict=True)][:8],
                  loc="lower right", title="Colour = actor")
        return to_svg(fig, title)


MAX_CHART_HEIGHT = 11.0  # inches, for a 9-inch-wide chart: about 1.2 screen widths tall


def seat_distributions(samples: Mapping[str, Mapping[str, Sequence[float]]],
                       colours: Mapping[str, str], names: Mapping[str, str], title: str,
                       parties: Sequence[str] | None = None, what: str = "Seats",
                       majority: int | None = None, noun: str = "Party",
                       last: Sequence[str] = ()) -> str:
    """Seats per party across runs: box (quartiles), whiskers (5-95%), dot (mean).

    ``samples`` maps a group (a scenario, or a single '' group for a sweep) to party -> values;
    groups sit side by side within each party so scenarios can be compared at a glance.
    """
    import numpy as np
    from matplotlib.patches import Patch

    groups = list(samples)
    if parties is None:
        means: dict[str, float] = {}
        for by_party in samples.values():
            for party, values in by_party.items():
                means[party] = max(means.get(party, 0.0), float(np.mean(values)))
        tail = [p for p in last if p in means]
        parties = sorted((p for p in means if p not in tail), key=lambda p: -means[p]) + tail
    hatches = ["", "//", "..", "xx", "\\\\", "oo"]
    width = 0.8 / max(len(groups), 1)
    with _style():
        # Height grows with parties and scenarios, up to MAX_CHART_HEIGHT: beyond that the rows
        # get thinner rather than the chart taller than a screen or two.
        fig = _figure(9.0, min(MAX_CHART_HEIGHT, 1.6 + 0.42 * len(parties)
                               * (1 + 0.35 * (len(groups) - 1))))
        ax = fig.add_subplot()
        for g, group in enumerate(groups):
            positions, data, faces = [], [], []
            for i, party in enumerate(parties):
                values = samples[group].get(party)
                if values is None or len(values) == 0:
                    continue
                positions.append(i - 0.4 + width * (g + 0.5))
                data.append(np.asarray(values, dtype=float))
                faces.append(_colour(colours, party))
            if not data:
                continue
            boxes = ax.boxplot(data, positions=positions, widths=width * 0.85,
                               orientation="horizontal", whis=(5, 95), showfliers=False,
                               patch_artist=True,
                               showmeans=True, meanprops={"marker": "o", "markerfacecolor":
                                                          "white", "markeredgecolor": INK},
                               medianprops={"color": INK})
            for patch, face in zip(boxes["boxes"], faces, strict=True):
                patch.set_facecolor(face)
                patch.set_hatch(hatches[g % len(hatches)])
                patch.set_edgecolor(INK)
        ax.set_yticks(range(len(parties)), [_name(names, p) for p in parties])
        ax.invert_yaxis()
        largest = max((float(np.max(v)) for g in samples.values() for v in g.values()
                       if len(v)), default=0.0)
        if majority is not None and largest > 0.6 * majority:  # only when a party comes near
            ax.axvline(majority, color=MUTED, linestyle=":", linewidth=1)
            ax.annotate(f"majority {majority}", (majority, 1.0), xycoords=("data", "axes fraction"),
                        fontsize=9, color=MUTED, ha="left", va="top")
        ax.set_xlabel(f"{what} (box: middle half of runs; whiskers: 5th-95th percentile; "
                      "dot: mean)")
        ax.set_ylabel(noun)
        ax.set_title(title)
        ax.grid(axis="x", color="#eeeeee")
        handles = [Patch(facecolor=_colour(colours, p), edgecolor=INK, label=_name(names, p))
                   for p in parties[:10]]
        if len(groups) > 1:
            handles += [Patch(facecolor="white", edgecolor=INK, hatch=hatches[g % len(hatches)],
                              label=group) for g, group in enumerate(groups)]
        fig.legend(handles=handles, loc="outside right upper",
                   title=f"{noun} / scenario" if len(groups) > 1 else noun)
        return to_svg(fig, title)


def histogram(values: Sequence[float], title: str, xlabel: str, colour: str = RIVAL,
              label: str = "runs") -> str:
    """The distribution of one numeric outcome, with its mean and 90% interval marked."""
    import numpy as np

    data = np.asarray([v for v in values if v == v], dtype=float)
    with _style():
        fig = _figure(8.0, 3.6)
        ax = fig.add_subplot()
        if len(data):
            bins = min(30, max(5, int(math.sqrt(len(data)))))
            ax.hist(data, bins=bins, color=colour, alpha=0.85, edgecolor="white", label=label)
            lo, hi = np.percentile(data, [5, 95])
            ax.axvline(float(np.mean(data)), color=INK, linewidth=2,
                       label=f"mean {np.mean(data):.1f}")
            ax.axvspan(lo, hi, color=MUTED, alpha=0.12, label=f"90% interval {lo:.0f}-{hi:.0f}")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("Number of runs")
        ax.set_title(title)
        ax.legend(loc="upper right")
        return to_svg(fig, title)


def effects_heatmap(matrix: Mapping[str, Mapping[str, float]], title: str,
                    note: str = "Rank correlation") -> str:
    """Parameters (rows) x outcomes (columns): which knob moves which outcome, and which way."""
    import numpy as np

    params = list(matrix)
    outcomes: list[str] = []
    for row in matrix.values():
        outcomes += [o for o in row if o not in outcomes]
    values = np.array([[float(matrix[p].get(o, np.nan)) for o in outcomes] for p in params])
    with _style():
        fig = _figure(max(6.0, 1.2 + 0.9 * len(outcomes)), 1.8 + 0.55 * len(params))
        ax = fig.add_subplot()
        image = ax.imshow(np.nan_to_num(values), cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
        for i in range(len(params)):
            for j in range(len(outcomes)):
                v = values[i, j]
                ax.text(j, i, "-" if v != v else f"{v:+.2f}", ha="center", va="center",
                        fontsize=10, color="white" if abs(np.nan_to_num(v)) > 0.6 else INK)
        ax.set_xticks(range(len(outcomes)), outcomes, rotation=35, ha="right")
        ax.set_yticks(range(len(params)), params)
        ax.set_xlabel("Outcome")
        ax.set_ylabel("Parameter")
        ax.set_title(title)
        bar = fig.colorbar(image, ax=ax, shrink=0.9)
        bar.set_label(note)
        return to_svg(fig, title)


def sobol_bars(indices: Mapping[str, Mapping[str, float]], title: str,
               errors: Mapping[str, Mapping[str, float]] | None = None) -> str:
    """First-order (S1) and total (ST) Sobol indices of one outcome, per parameter."""
    import numpy as np

    params: list[str] = []
    for values in indices.values():
        params += [p for p in values if p not in params]
    kinds = list(indices)
    width = 0.8 / max(len(kinds), 1)
    shades = {"S1": "#1565c0", "ST": "#90caf9", "S2": "#5e35b1"}
    with _style():
        fig = _figure(8.0, 1.6 + 0.55 * len(params))
        ax = fig.add_subplot()
        for k, kind in enumerate(kinds):
            y = np.arange(len(params)) - 0.4 + width * (k + 0.5)
            x = [float(indices[kind].get(p, 0.0)) for p in params]
            err = None
            if errors and kind in errors:
                err = [float(errors[kind].get(p, 0.0)) for p in params]
            ax.barh(y, x, height=width * 0.9, xerr=err, color=shades.get(kind, MUTED),
                    label={"S1": "S1: first order (alone)", "ST": "ST: total (with interactions)"}
                    .get(kind, kind))
        ax.set_yticks(range(len(params)), params)
        ax.invert_yaxis()
        ax.set_xlim(0, max(1.0, ax.get_xlim()[1]))
        ax.set_xlabel("Share of the outcome's variance")
        ax.set_ylabel("Parameter")
        ax.set_title(title)
        ax.legend(loc="lower right")
        return to_svg(fig, title)


def peeling_trajectory(steps: Sequence[Mapping[str, Any]], chosen: int, title: str) -> str:
    """PRIM's peeling trade-off (scenario discovery, `sim discover`): each box on the way in,
    its coverage (share of all cases inside) against its density (share of its runs that are
    cases), shaded by how many parameters it restricts; the chosen box ringed."""
    xs = [float(s["coverage"]) for s in steps]
    ys = [float(s["density"]) for s in steps]
    dims = [int(s.get("restricted", 0)) for s in steps]
    with _style():
        fig = _figure(7.0, 4.2)
        ax = fig.add_subplot()
        ax.plot(xs, ys, color=MUTED, linewidth=1, zorder=1)
        points = ax.scatter(xs, ys, c=dims, cmap="viridis", s=28, zorder=2)
        pick = next((i for i, s in enumerate(steps) if int(s["step"]) == chosen), None)
        if pick is not None:
            ax.scatter([xs[pick]], [ys[pick]], s=160, facecolors="none", edgecolors=INK,
                       linewidths=1.6, zorder=3, label="chosen box")
            ax.legend(loc="lower left")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("Coverage: share of all such runs inside the box")
        ax.set_ylabel("Density: share of the box's runs")
        ax.set_title(title)
        bar = fig.colorbar(points, ax=ax, shrink=0.9)
        bar.set_label("Parameters restricted")
        return to_svg(fig, title)
