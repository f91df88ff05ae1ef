"""Scenarios side by side: `sim compare`.

A single run is one story; a comparison of what-ifs needs distributions.  Each scenario is run
R times with the same seeds (common random numbers: replication r of every scenario uses seed
N + r), so differences between scenarios come from the scenarios, not from luck of the draw.
The outcomes are summarised exactly as a sweep's (see `sim.report.stats`) and ranked by how much
they differ, so the first line answers "what changes?".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sim
from sim import artifacts
from sim.limits import check_replications, check_seed
from sim.report import stats
from sim.teaching.text import rich_text

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

# A 50-seat swing, a certain change of prime minister and a doubling of casualties weigh alike
# when ranking what differs most.
SEAT_SCALE = 50.0


def seeds_for(seed: int, replications: int) -> list[int]:
    """The seeds of every scenario's replications: N, N+1, ..., N+R-1 (reproducible by hand)."""
    return [seed + r for r in range(replications)]


@dataclass
class Comparison:
    """Per-scenario tables of run outcomes (one row per replication, sweep-shaped)."""

    labels: list[str]
    seeds: list[int]
    tables: dict[str, pd.DataFrame]
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    assumptions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # the chamber as the scenarios' worlds draw it (summary.parliament: majority, seating)
    parliament: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-able distributions per scenario plus the ranked differences."""
        per = {}
        for label in self.labels:
            frame = self.tables[label]
            per[label] = {
                "runs": len(frame),
                "seats": stats.seat_intervals(frame),
                # as the last election certified them, before deputies joined blocs
                "seats_elected": stats.seat_intervals(frame, "seats_elected"),
                "prime_minister": stats.pm_probabilities(frame),
                "government": stats.government_probabilities(frame),
                "membership": stats.membership_probabilities(frame),
                "casualties": stats.interval(frame["casualties"]) if "casualties" in frame
                else None,
            }
        return {"scenarios": per, "seeds": self.seeds,
                "differences": [d["text"] for d in differences(per, names=self.names())]}

    def names(self) -> dict[str, str]:
        """Display names of the actors, as in the scenarios' worlds (with their short chart
        labels, `charts.Names`)."""
        from sim.report.charts import names_from

        return names_from(self.actors)


def _labels(names: Sequence[str]) -> list[str]:
    labels: list[str] = []
    for name in names:
        label, n = name, 2
        while label in labels:
            label, n = f"{name} ({n})", n + 1
        labels.append(label)
    return labels


def compare(scenarios: Sequence[str | Path], replications: int = 10, seed: int = 0,
            progress: Callable[[str, int], None] | None = None,
            loader: Callable[[Any], Any] | None = None,
            runner: Callable[..., Any] | None = None) -> Comparison:
    """Run every scenario ``replications`` times and collect the outcomes.

    All scenarios are loaded (and so validated) before the first run, so a typo in the last
    file fails fast.  ``loader``/``runner`` default to `sim.load_scenario` and `sim.run`.
    """
    import pandas as pd

    if loader is None or runner is None:
        loader = loader or sim.load_scenario
        runner = runner or sim.run
    check_replications(replications, first_seed=check_seed(seed))
    loaded = [loader(path) for path in scenarios]
    labels = _labels([str(getattr(s, "name", None) or Path(str(p)).stem)
                      for s, p in zip(loaded, scenarios, strict=True)])
    seeds = seeds_for(seed, replications)
    tables: dict[str, pd.DataFrame] = {}
    actors: dict[str, dict[str, Any]] = {}
    assumptions: dict[str, list[dict[str, Any]]] = {}
    parliament: dict[str, Any] = {}
    for label, scenario in zip(labels, loaded, strict=True):
        rows = []
        for replication, run_seed in enumerate(seeds):
            summary = runner(scenario, seed=run_seed).summary
            artifacts.Summary.model_validate(summary)  # the contract the rest relies on
            for actor, meta in summary["actors"].items():
                actors.setdefault(actor, meta)
            for pid, person in (summary["people"] or {}).items():  # PMs are persons
                party = summary["actors"].get(person.get("party")) or {}
                actors.setdefault(pid, {"name": person.get("name") or pid,
                                        "colour": party.get("colour"), "kind": "person"})
            assumptions.setdefault(label, list(summary["assumptions"]))
            parliament = parliament or dict(summary.get("parliament") or {})
            rows.append({"replication": replication, "seed": run_seed,
                         **stats.flatten_summary(summary)})
            if progress:
                progress(label, replication)
        tables[label] = pd.DataFrame(rows)
    return Comparison(labels, seeds, tables, actors, assumptions, parliament)


def differences(per: Mapping[str, Mapping[str, Any]], top: int = 8,
                names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Outcomes ranked by how much they differ between scenarios, each as a sentence."""
    from sim.report.charts import chart_name

    names = names or {}

    def called(key: str) -> str:
        if key == stats.NO_GOVERNMENT:
            return key
        return " + ".join(names.get(k.strip(), k.strip()) for k in key.split(","))

    labels = list(per)
    if len(labels) < 2:
        return []
    found: list[dict[str, Any]] = []

    def spread(values: dict[str, float]) -> tuple[float, str, str]:
        lo = min(values, key=lambda k: values[k])
        hi = max(values, key=lambda k: values[k])
        return values[hi] - values[lo], lo, hi

    parties = {p for s in per.values() for p in s["seats"]}
    for party in sorted(parties):
        means = {k: float(per[k]["seats"].get(party, {}).get("mean", 0.0) or 0.0)
                 for k in labels}
        if any(math.isnan(v) for v in means.values()):
            continue
        gap, lo, hi = spread(means)
        if gap >= 0.5:
            found.append({"score": gap / SEAT_SCALE, "text": (
                f"Seats of {called(party)}: {means[hi]:.1f} in {hi} vs {means[lo]:.1f} in {lo} "
                f"({gap:+.1f})")})
    for key, noun in (("prime_minister", "P(prime minister is {})"),
                      ("government", "P(government is {})")):
        options = {o for s in per.values() for o in s[key]}
        for option in sorted(options):
            if option == stats.NO_GOVERNMENT and key == "government":
                continue  # the same numbers as the prime minister's 'no government' line
            probs = {k: float(per[k][key].get(option, 0.0)) for k in labels}
            gap, lo, hi = spread(probs)
            if gap >= 0.05:
                # Governments by short names: a dozen full names would not fit on a line.
                what = called(option) if key == "prime_minister" else ", ".join(
                    chart_name(names, k.strip(), 16) for k in option.split(","))
                said = ("P(no government formed)" if option == stats.NO_GOVERNMENT
                        else noun.format(what))
                found.append({"score": gap * (1.0 if key == "prime_minister" else 0.8),
                              "text": f"{said}: {probs[hi]:.0%} in {hi} vs "
                                      f"{probs[lo]:.0%} in {lo}"})
    casualties = {k: per[k]["casualties"]["mean"] for k in labels
                  if per[k].get("casualties") and per[k]["casualties"]["n"]}
    if len(casualties) >= 2:
        gap, lo, hi = spread(casualties)
        if gap > 0:
            found.append({"score": gap / max(max(casualties.values()), 10.0),
                          "text": f"Casualties: {casualties[hi]:.1f} in {hi} vs "
                                  f"{casualties[lo]:.1f} in {lo} (mean)"})
    found.sort(key=lambda d: -d["score"])
    return found[:top]


TOP_GOVERNMENTS = 3


def top_governments(per: Mapping[str, Mapping[str, Any]], labels: Sequence[str],
                    top: int = TOP_GOVERNMENTS) -> list[str]:
    """Each scenario's own `top` most frequent whole governments, in scenario order (a
    government common to several is listed once): no scenario's likeliest outcome is crowded
    out by another scenario's long tail."""
    shown: list[str] = []
    for label in labels:
        for option in list(per[label]["government"])[:top]:
            if option not in shown:
                shown.append(option)
    return shown


def shared_core(governments: Sequence[str]) -> list[str]:
    """Members common to every (formed) coalition listed: shown once instead of on every row."""
    coalitions = [set(g.split(", ")) for g in governments if g != stats.NO_GOVERNMENT]
    return sorted(set.intersection(*coalitions)) if len(coalitions) > 1 else []


def _interval_text(block: Mapping[str, float] | None) -> str:
    if not block or not block.get("n"):
        return "-"
    return f"{block['mean']:.1f} [{block['lo']:.0f}-{block['hi']:.0f}]"


def render(comparison: Comparison) -> RenderableType:
    """Side-by-side rich tables: seats, prime minister, government, casualties, differences."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from sim.report.colours import actor_colours

    summary = comparison.summary()
    per = summary["scenarios"]
    labels = comparison.labels
    colours = actor_colours(comparison.actors, {p for s in per.values() for p in s["seats"]})

    # Names are data: every name, label and sentence is a Text (never markup), cleaned of
    # control characters, since scenarios and worlds are files anyone can write.
    def name(actor: str) -> Text:
        meta = comparison.actors.get(actor) or {}
        return Text("● ", style=colours.get(actor, "")) + rich_text(meta.get("name") or actor)

    def table(title: str, first: str, wrap: bool = False) -> Table:
        t = Table(title=title, title_justify="left", header_style="bold", show_edge=False)
        t.add_column(first, no_wrap=not wrap, overflow="fold")
        for label in labels:
            t.add_column(rich_text(label), justify="right", no_wrap=True)
        return t

    seats = table(f"Seats at the end: mean [90% interval], {len(comparison.seeds)} runs each "
                  f"(seeds {comparison.seeds[0]}-{comparison.seeds[-1]})", "Party")
    parties = list(dict.fromkeys(p for label in labels for p in per[label]["seats"]))
    for party in parties:
        seats.add_row(name(party), *[_interval_text(per[label]["seats"].get(party))
                                     for label in labels])
    elected = None
    if all(per[label]["seats_elected"] for label in labels):
        elected = table("Seats won at the last election (before grouping deputies joined "
                        "blocs): mean [90% interval]", "Party")
        for party in dict.fromkeys(p for label in labels for p in per[label]["seats_elected"]):
            elected.add_row(name(party), *[_interval_text(per[label]["seats_elected"].get(party))
                                           for label in labels])
    def label_of(key: str) -> Text:
        if key == stats.NO_GOVERNMENT:
            return Text("no government formed (caretaker)", style="italic")
        return name(key) if key in comparison.actors else rich_text(key)

    pm = table("Prime minister: share of runs", "Prime minister")
    for actor in dict.fromkeys(a for label in labels for a in per[label]["prime_minister"]):
        pm.add_row(label_of(actor),
                   *[f"{per[label]['prime_minister'].get(actor, 0.0):.0%}" for label in labels])
    member = table("In government: share of runs", "Party")
    for actor in dict.fromkeys(a for label in labels for a in per[label]["membership"]):
        member.add_row(name(actor) if actor in comparison.actors else rich_text(actor),
                       *[f"{per[label]['membership'].get(actor, 0.0):.0%}" for label in labels])
    from sim.report.charts import chart_name

    display = comparison.names()

    def short(actor: str) -> str:
        return chart_name(display, actor, 20)

    options = top_governments(per, labels)
    core = shared_core(options)
    gov = table(f"Whole government: share of runs (each scenario's {TOP_GOVERNMENTS} most "
                "frequent)", "Coalition" + (" (besides the core below)" if core else ""),
                wrap=True)
    for option in options:
        shares = [f"{per[label]['government'].get(option, 0.0):.0%}" for label in labels]
        extra = [a for a in option.split(", ") if a not in core]
        shown = (label_of(option) if option == stats.NO_GOVERNMENT
                 else rich_text(", ".join(short(a) for a in extra) or "the core only"))
        gov.add_row(shown, *shares)
    if core:
        gov.caption = rich_text("Core, in every coalition listed: "
                                + ", ".join(short(a) for a in core))
    casualties = table("Casualties: mean [90% interval]", "")
    casualties.add_row("killed in clashes", *[_interval_text(per[label]["casualties"])
                                              for label in labels])
    parts: list[Any] = [seats, Text(), *([elected, Text()] if elected is not None else []),
                        pm, Text(), member, Text(), gov, Text(), casualties]
    if summary["differences"]:
        parts += [Text(), Text("What differs most", style="bold")]
        parts += [rich_text(f"{i}. {line}") for i, line in enumerate(summary["differences"], 1)]
    return Group(*parts)


def comparison_html(comparison: Comparison) -> str:
    """A self-contained HTML page of the comparison, with the report's charts and colours."""
    from sim.report import charts
    from sim.report.colours import actor_colours
    from sim.report.html import names_of
    from sim.report.html import render as render_page

    summary = comparison.summary()
    per = summary["scenarios"]
    parties = list(dict.fromkeys(p for s in per.values() for p in s["seats"]))
    pms = {a for s in per.values() for a in s["prime_minister"]}
    colours = actor_colours(comparison.actors, [*parties, *pms])
    names = names_of(comparison.actors, [*parties, *pms])
    samples = {label: {p: comparison.tables[label][f"seats.{p}"].to_numpy()
                       for p in parties if f"seats.{p}" in comparison.tables[label]}
               for label in comparison.labels}
    peak = {p: max(per[k]["seats"].get(p, {}).get("mean", 0) or 0 for k in comparison.labels)
            for p in parties}
    shown = sorted((p for p in parties if peak[p] >= 0.5), key=lambda p: -peak[p])
    seat_svg = charts.seat_distributions(samples, colours, names, "Seats per party by scenario",
                                         shown, majority=comparison.parliament.get("majority")
                                         ) if shown else None
    pm_charts = [{"svg": charts.probability_bars(per[label]["prime_minister"], colours, names,
                                                 f"Prime minister: {label}",
                                                 ylabel="Prime minister"), "caption": ""}
                 for label in comparison.labels if per[label]["prime_minister"]]
    casualty_svg = None
    if all("casualties" in comparison.tables[k] for k in comparison.labels):
        casualty_svg = charts.seat_distributions(
            {k: {"casualties": comparison.tables[k]["casualties"].to_numpy()}
             for k in comparison.labels}, {"casualties": charts.RIVAL},
            {"casualties": "Casualties"}, "Casualties by scenario", ["casualties"],
            what="People killed", noun="Actor")
    governments = top_governments(per, comparison.labels)
    core = shared_core(governments)
    membership = list(dict.fromkeys(a for s in per.values() for a in s["membership"]))
    assumptions = []
    seen = set()
    for label in comparison.labels:
        for a in comparison.assumptions.get(label, []):
            key = (a.get("field"), str(a.get("value")))
            if key not in seen:
                seen.add(key)
                assumptions.append(a)
    context = {
        "title": "Scenario comparison: " + " vs ".join(comparison.labels),
        "subtitle": f"{len(comparison.seeds)} runs per scenario, seeds "
                    f"{comparison.seeds[0]} to {comparison.seeds[-1]}",
        "toc": [("differences", "What differs"), ("seats", "Seats"),
                ("pm", "Prime minister"), ("government", "Government"),
                ("casualties", "Casualties"), ("assumptions", "Assumptions")],
        "labels": comparison.labels, "per": per, "colours": colours, "names": names,
        "differences": summary["differences"], "seat_svg": seat_svg, "pm_charts": pm_charts,
        "casualty_svg": casualty_svg, "parties": parties, "governments": governments,
        "elected_parties": (list(dict.fromkeys(p for s in per.values()
                                               for p in s["seats_elected"]))
                            if all(s["seats_elected"] for s in per.values()) else []),
        "core": core, "membership": membership, "top_governments": TOP_GOVERNMENTS,
        "assumptions": assumptions,
    }
    return render_page("compare.html.j2", context)
