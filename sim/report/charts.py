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

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ALLY = "#2e7d32"
RIVAL = "#c62828"
INK = "#222222"
MUTED = "#666666"
MAJORITY = 165

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
    "svg.hashsalt": "sim-report",  # stable ids: the same run gives the same report
}


def short_name(name: str, limit: int = 22) -> str:
    """A label that fits on a chart: 'Khazali / Asa'ib Ahl al-Haq' -> 'Khazali'."""
    first = name.split(" / ")[0].strip() or name
    return first if len(first) <= limit else first[: limit - 1] + "…"


# Short chart labels for the seed world's long names.  A label only falls back to this table when
# the actor's own name is too long for the chart; unknown actors lose a parenthesis or get cut.
ABBREVIATIONS = {
    "sol": "State of Law", "cf_other": "Other Framework", "state_forces": "State Forces",
    "sudani": "Sudani", "kdp": "KDP", "puk": "PUK", "sovereignty": "Sovereignty",
    "taqaddum": "Taqaddum", "independents": "Independents", "minorities": "Minority quotas",
    "others": "Small lists", "cf": "Coord. Framework", "new_generation": "New Generation",
    "sadrists": "Sadrists", "aah": "Asa'ib Ahl al-Haq", "kh": "Kataib Hezbollah",
    "dawa": "Dawa Party", "babylon": "Babylon", "badr": "Badr", "azm": "Azm",
    "us": "United States", "iran": "Iran",
}


def chart_name(names: Mapping[str, str], key: str | None, limit: int = 22) -> str:
    """The actor's name if it fits in ``limit`` characters, else a known short form."""
    if key is None:
        return "none"
    name = str(names.get(key, key))
    first = name.split(" / ")[0].strip() or name
    if len(first) <= limit:
        return first
    if key in ABBREVIATIONS and len(ABBREVIATIONS[key]) <= limit:
        return ABBREVIATIONS[key]
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


def _style():
    import matplotlib

    return matplotlib.rc_context(STYLE)


def _name(names: Mapping[str, str], key: str | None) -> str:
    return chart_name(names, key)


def _colour(colours: Mapping[str, str], key: str | None) -> str:
    from sim.report.colours import palette_colour

    return colours.get(key or "", palette_colour(key or ""))


def seat_order(*seat_maps: Mapping[str, int]) -> list[str]:
    """One party order for every parliament chart of a report: largest (over all) first."""
    totals: dict[str, int] = {}
    for seats in seat_maps:
        for party, n in seats.items():
            totals[party] = totals.get(party, 0) + int(n)
    tail = [p for p in ("independents", "others") if p in totals]
    head = sorted((p for p in totals if p not in tail), key=lambda p: (-totals[p], p))
    return head + tail


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
              highlight: Iterable[str] = ()) -> str:
    """A parliament chart: one dot per seat, parties in wedges, the government ringed."""
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
        fig = _figure(8.0, 5.8)
        ax = fig.add_subplot()
        patches, faces, edges, widths = [], [], [], []
        index = 0
        for party in order:
            for _ in range(int(seats[party])):
                x, y = centres[index]
                index += 1
                patches.append(Circle((x, y), radius))
                faces.append(_colour(colours, party))
                ringed = party in highlight
                edges.append(INK if ringed else "white")
                widths.append(1.1 if ringed else 0.3)
        ax.add_collection(PatchCollection(patches, facecolors=faces, edgecolors=edges,
                                          linewidths=widths))
        ax.set_xlim(-1.08, 1.08)
        ax.set_ylim(-0.08, 1.08)
        ax.set_aspect("equal")
        ax.axis("off")
        governing = sum(int(seats.get(p, 0)) for p in highlight)
        ax.text(0, 0.14, f"{total} seats", ha="center", fontsize=16, fontweight="bold")
        centre = f"majority: {MAJORITY}"
        if highlight:
            centre += f"\ngovernment: {governing}"
        ax.text(0, 0.0, centre, ha="center", va="bottom", fontsize=10, color=MUTED)
        ax.set_title(title)
        handles = [Line2D([], [], marker="o", linestyle="", markersize=9,
                          markerfacecolor=_colour(colours, p),
                          markeredgecolor=INK if p in highlight else "white",
                          label=f"{_name(names, p)}  {int(seats[p])}") for p in order]
        # Legend text a little larger than the default: these charts are projected.
        fig.legend(handles=handles, loc="outside lower center", ncol=3, handletextpad=0.3,
                   columnspacing=1.0, fontsize=11, title="Party and seats (ringed: in government)"
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
        for when, label in markers:
            x = _to_date(when)
            ax.axvline(x, color=MUTED, linestyle=":", linewidth=1.2)
            ax.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), rotation=90,
                        va="top", ha="right", fontsize=9, color=MUTED)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        ax.set_ylim(bottom=0)
        ax.set_xlabel("Date")
        ax.set_ylabel("Influence index (share of total)")
        ax.set_title(title)
        ax.grid(axis="y", color="#e5e5e5")
        fig.autofmt_xdate()
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", title="Actor")
        return to_svg(fig, title)


def network_layout(snapshots: Sequence[Sequence[Sequence[Any]]], seed: int = 7) -> dict:
    """Fixed node positions for every network chart, so actors stay put from date to date."""
    import networkx as nx

    graph = nx.Graph()
    for relationships in snapshots:
        for a, b, w in relationships:
            graph.add_edge(a, b)
            previous = graph[a][b].get("weight", 0.0)
            graph[a][b]["weight"] = previous + (float(w) + 1.0) / len(snapshots)
    if graph.number_of_nodes() == 0:
        return {}
    pos = nx.spring_layout(graph, weight="weight", seed=seed)
    # Spring layouts bunch allies on top of each other; keep their angular order around the
    # centre (so allies stay neighbours) but space everyone evenly on a circle, labels readable.
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    ring = sorted(pos, key=lambda n: (math.atan2(pos[n][1] - cy, pos[n][0] - cx), str(n)))
    step = 2 * math.pi / len(ring)
    return {node: (math.cos(math.pi / 2 - i * step), math.sin(math.pi / 2 - i * step))
            for i, node in enumerate(ring)}


def network(relationships: Sequence[Sequence[Any]], colours: Mapping[str, str],
            names: Mapping[str, str], title: str, positions: Mapping[str, tuple[float, float]],
            influence: Mapping[str, float] | None = None, threshold: float = 0.15) -> str:
    """Alliances (green) and rivalries (red, dashed); line width is the strength of the tie."""
    import networkx as nx
    from matplotlib.lines import Line2D

    graph = nx.Graph()
    graph.add_nodes_from(positions)
    for a, b, w in relationships:
        if abs(float(w)) >= threshold:
            graph.add_edge(a, b, weight=float(w))
    pos = {n: positions.get(n, (0.0, 0.0)) for n in graph.nodes}
    influence = influence or {}
    with _style():
        fig = _figure(7.2, 5.6)
        ax = fig.add_subplot()
        for sign, colour, style in ((1, ALLY, "solid"), (-1, RIVAL, "dashed")):
            edges = [(a, b) for a, b, d in graph.edges(data=True) if d["weight"] * sign > 0]
            nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, edge_color=colour,
                                   style=style, alpha=0.8,
                                   width=[1 + 5 * abs(graph[a][b]["weight"]) for a, b in edges])
        nodes = list(graph.nodes)
        nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax,
                               node_color=[_colour(colours, n) for n in nodes],
                               node_size=[350 + 9000 * float(influence.get(n, 0.03))
                                          for n in nodes],
                               edgecolors="white", linewidths=1.5)
        for node in nodes:
            x, y = pos[node]
            ax.annotate(_name(names, node), (x, y), xytext=(0, -16), textcoords="offset points",
                        ha="center", va="top", fontsize=10, fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.75})
        ax.set_xlim(-1.3, 1.3)
        ax.set_ylim(-1.3, 1.25)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title)
        fig.legend(handles=[
            Line2D([], [], color=ALLY, linewidth=3, label="alliance (thicker = stronger)"),
            Line2D([], [], color=RIVAL, linewidth=3, linestyle="dashed", label="rivalry"),
            Line2D([], [], marker="o", linestyle="", color=MUTED, markersize=10,
                   label="circle size = influence"),
        ], loc="outside lower center", ncol=3)
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


def seat_distributions(samples: Mapping[str, Mapping[str, Sequence[float]]],
                       colours: Mapping[str, str], names: Mapping[str, str], title: str,
                       parties: Sequence[str] | None = None, what: str = "Seats",
                       majority: bool = True) -> str:
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
        tail = [p for p in ("independents", "others") if p in means]
        parties = sorted((p for p in means if p not in tail), key=lambda p: -means[p]) + tail
    hatches = ["", "//", "..", "xx", "\\\\", "oo"]
    width = 0.8 / max(len(groups), 1)
    with _style():
        fig = _figure(9.0, 1.6 + 0.42 * len(parties) * (1 + 0.35 * (len(groups) - 1)))
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
        if majority and largest > 0.6 * MAJORITY:  # only when a party comes near it
            ax.axvline(MAJORITY, color=MUTED, linestyle=":", linewidth=1)
            ax.annotate(f"majority {MAJORITY}", (MAJORITY, 1.0), xycoords=("data", "axes fraction"),
                        fontsize=9, color=MUTED, ha="left", va="top")
        ax.set_xlabel(f"{what} (box: middle half of runs; whiskers: 5th-95th percentile; "
                      "dot: mean)")
        ax.set_ylabel("Party" if majority else "Actor")
        ax.set_title(title)
        ax.grid(axis="x", color="#eeeeee")
        handles = [Patch(facecolor=_colour(colours, p), edgecolor=INK, label=_name(names, p))
                   for p in parties[:10]]
        if len(groups) > 1:
            handles += [Patch(facecolor="white", edgecolor=INK, hatch=hatches[g % len(hatches)],
                              label=group) for g, group in enumerate(groups)]
        noun = "Party" if majority else "Actor"
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
