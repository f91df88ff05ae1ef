"""The self-contained HTML report of a run or a sweep.

Everything the page needs is inside the one file: styles and the small filtering script are
inline, charts are inline SVG (text drawn as paths), there are no web fonts and no links to
other sites, so the file opens offline, from a USB stick, in any browser.  Jinja2 autoescapes
every value from the run (actor names, event texts) so a scenario cannot inject markup; only
the SVG we drew ourselves is marked safe.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sim.catalogue import ROUTINE_KINDS, kind_label, kinds_in
from sim.report import charts, stats
from sim.report.colours import actor_colours, text_colour
from sim.report.load import RunData, SweepData, load
from sim.safewrite import check_file_target, write_file
from sim.teaching.text import clean

REPORT_NAME = "report.html"
# The alliance maps leave out actors with fewer seats than this, no post and no drawn tie.
MAP_MIN_SEATS = 5


def _version() -> str:
    try:
        return version("coalition-sim")
    except Exception:  # noqa: BLE001 - not installed (running from a checkout)
        return "dev"


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("sim.report", "templates"),
                      autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["ink"] = text_colour
    env.globals["version"] = _version()
    env.filters["assumed"] = assumed_value
    return env


def assumed_value(value: Any) -> str:
    """An assumption's value in words for the table: a record cited as a whole (a stance) as
    'position 45, salience 0.6', a table as 'election law 30, pmf law 55', a list comma-joined,
    a number as it reads; no Python braces on the page."""
    if isinstance(value, dict):
        return ", ".join(f"{str(k).replace('_', ' ')} {assumed_value(v)}"
                         for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(assumed_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render one of the package's templates with autoescaping on."""
    return _environment().get_template(template).render(**context)


def write_atomically(path: Path, text: str, option: str = "--output") -> None:
    """Write the whole file or nothing, and only over a regular file (see sim.safewrite)."""
    write_file(path, text, option)


def write_report(directory: str | Path, output: str | Path | None = None) -> Path:
    """Write DIR/report.html for a run or a sweep directory; returns the file written."""
    if output is not None:
        check_file_target(output, "--output")  # before the work of building the page
    data = load(directory)
    page = run_html(data) if isinstance(data, RunData) else sweep_html(data)
    target = Path(output) if output is not None else data.path / REPORT_NAME
    write_atomically(target, page, "--output" if output is not None else "DIR")
    return target


# --- helpers shared by run, sweep and comparison pages ------------------------------------


def names_of(actors: Mapping[str, Mapping[str, Any]], ids=()) -> charts.Names:
    """Display names: the world's name of each actor, a tidied id for anything else; the
    world's short chart labels ride along (`charts.Names`)."""
    names = charts.names_from(actors)
    names.update({str(i): pretty(str(i)) for i in ids if i and str(i) not in actors})
    names.update({k: clean((v or {}).get("name") or k) for k, v in actors.items()})
    names[stats.NO_GOVERNMENT] = "no government formed"
    return names


def pretty(key: str) -> str:
    """'media.cmc_board' -> 'CMC Board'; short words are read as acronyms."""
    last = key.split(".", 1)[-1] if "." in key else key
    words = last.replace("_", " ").replace("-", " ").split()
    return " ".join(w.upper() if len(w) <= 3 and w.isalpha() and w.lower() not in
                    {"of", "and", "the", "for", "oil"} else w[:1].upper() + w[1:]
                    for w in words) or key


# How the report groups posts, by the world's kind of each post (summary.post_info[id].kind,
# see sim.schema.world.PostKind): (title, column heading), in the order shown.
POST_GROUPS = {
    "governorship": ("Governorships", "Governorate"),
    "media": ("Media posts", "Post"),
    "security": ("Security posts", "Post"),
    "lever": ("Economic levers", "Lever"),
}


def _post_label(key: str, info: Mapping[str, Any]) -> str:
    """A post's label: a governorship by its governorate (place names are never acronyms),
    any other post by its id tidied."""
    if info.get("kind") == "governorship" and info.get("governorate"):
        return str(info["governorate"])
    return pretty(key)


def _post_groups(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Ministries, then posts grouped by kind, each with its holder at the start and the end."""
    groups: list[dict[str, Any]] = []

    def rows(before: Mapping[str, Any], after: Mapping[str, Any], keys: Sequence[str]):
        return [{"label": pretty(k), "before": before.get(k), "after": after.get(k),
                 "changed": before.get(k) != after.get(k)} for k in keys]

    ministries, initial = summary.get("ministries") or {}, summary.get("ministries_initial") or {}
    keys = list(dict.fromkeys([*initial, *ministries]))
    if keys:
        groups.append({"title": "Ministries", "noun": "Ministry",
                       "rows": [dict(r, label=k) for r, k in zip(rows(initial, ministries, keys),
                                                                  keys, strict=True)]})
    posts, initial = summary.get("posts") or {}, summary.get("posts_initial") or {}
    info = summary.get("post_info") or {}
    keys = list(dict.fromkeys([*initial, *posts]))
    for kind, (title, noun) in POST_GROUPS.items():
        mine = [k for k in keys if (info.get(k) or {}).get("kind") == kind]
        if mine:
            groups.append({"title": title, "noun": noun, "rows": [
                dict(r, label=_post_label(k, info.get(k) or {}))
                for r, k in zip(rows(initial, posts, mine), mine, strict=True)]})
    rest = [k for k in keys if (info.get(k) or {}).get("kind") not in POST_GROUPS]
    if rest:
        groups.append({"title": "Other posts", "noun": "Post", "rows": rows(initial, posts, rest)})
    return groups


def _tags(event: Mapping[str, Any]) -> list[str]:
    """Story markers for the timeline; decisions are shown by the actor chip instead."""
    from sim.report.explain import role_of

    role = role_of(dict(event))
    return [role] if role in ("scheduled", "trigger") else []


def routine_kinds() -> frozenset[str]:
    """Event kinds the timeline hides by default (the terminal timeline hides the same)."""
    return ROUTINE_KINDS


def _day_to_date(start: str | None, day: float | None) -> str | None:
    if start is None or day is None:
        return None
    try:
        return (date.fromisoformat(str(start)[:10]) + timedelta(days=int(day))).isoformat()
    except ValueError:
        return None


def _pick_history(history: Sequence[Mapping[str, Any]], days: Sequence[float | None]) -> list:
    """Snapshots at the start, just after each given day, and at the end, without repeats."""
    if not history:
        return []
    chosen = [0]
    for day in days:
        if day is None:
            continue
        later = [i for i, h in enumerate(history) if float(h.get("day", 0)) >= float(day)]
        if later:
            chosen.append(later[0])
    if len(chosen) == 1 and len(history) > 2:
        chosen.append(len(history) // 2)
    chosen.append(len(history) - 1)
    return [history[i] for i in sorted(set(chosen))][:4]


# --- run --------------------------------------------------------------------------------
#
# The run page is built from the run's files alone: summary.json (which carries what the
# report needs of the world: actors' names, colours, short labels and map places, the
# chamber's majority and seating order, the kinds of posts), events.jsonl and manifest.json.
# One builder per section of the page, each given the `Basics` every section shares.


@dataclass
class Basics:
    """What several sections of a run page share, computed once from the run's files."""

    run: RunData
    summary: Mapping[str, Any]
    seats: dict[str, int]
    seats_initial: dict[str, int]
    elections: list[Mapping[str, Any]]
    history: list[Mapping[str, Any]]
    colours: dict[str, str]
    names: charts.Names
    start_date: str | None
    formed: bool
    formed_date: str | None
    ringed: list[str]  # the government ringed in the chamber (none under a caretaker)
    order: list[str]  # one party order for every chamber chart
    majority: int | None  # seats a government needs (the world's confidence quota)


def basics(run: RunData) -> Basics:
    """Seats, colours, names and the chamber's order: the common ground of every section."""
    summary = run.summary
    actors = run.actors
    seats = {k: int(v) for k, v in (summary.get("seats") or {}).items()}
    seats_initial = {k: int(v) for k, v in (summary.get("seats_initial") or seats).items()}
    elections = list(summary.get("elections") or [])
    history = list(summary.get("history") or [])
    everyone = set(seats) | set(seats_initial) | {e.get("actor") for e in run.events}
    for h in history:
        everyone |= set(h.get("influence") or {})
    colours = actor_colours(actors, sorted(a for a in everyone if a))
    names = names_of(actors, everyone)
    for pid, person in (summary.get("people") or {}).items():  # prime ministers are persons
        names.setdefault(str(pid), str((person or {}).get("name") or pid))
        party = (person or {}).get("party")
        if pid not in colours and party in colours:
            colours[str(pid)] = colours[party]
        if pid not in actors and person and person.get("name"):
            names[str(pid)] = str(person["name"])
    formed = stats.government_formed(summary)
    chamber = summary.get("parliament") or {}
    start_date = summary.get("start_date")
    return Basics(
        run=run, summary=summary, seats=seats, seats_initial=seats_initial,
        elections=elections, history=history, colours=colours, names=names,
        start_date=start_date, formed=formed,
        formed_date=_day_to_date(start_date, summary.get("government_formed_day")),
        # Without a government formed after the last election, the cabinet in office is the
        # caretaker's: it is listed as such and never ringed as a government in the chamber.
        ringed=list(summary.get("government") or []) if formed else [],
        order=charts.seat_order(seats_initial, seats, *[e.get("seats", {}) for e in elections],
                                actors=actors, camps=chamber.get("camps") or (),
                                last=chamber.get("seated_last") or ()),
        majority=chamber.get("majority"))


def header_section(b: Basics) -> dict[str, Any]:
    """Title, subtitle, table of contents and the scenario's identity and parameters."""
    summary, manifest = b.summary, b.run.manifest
    scenario = summary.get("scenario") or manifest.get("scenario") or b.run.path.name
    assumed = {str(a.get("field", "")) for a in summary.get("assumptions") or []}
    parameters = [{"name": k, "value": _fmt(v),
                   "assumption": f"parameters.{k}" in assumed or k in assumed}
                  for k, v in (summary.get("parameters") or manifest.get("parameters") or {}
                               ).items()]
    return {
        "title": f"Scenario report: {scenario}",
        "subtitle": f"Run with seed {summary.get('seed', manifest.get('seed'))}, "
                    f"{b.start_date} to {summary.get('end_date')}",
        "toc": [("outcome", "Outcome"), ("scenario", "Scenario"), ("parliament", "Parliament"),
                ("posts", "Posts"), ("influence", "Influence"), ("alliances", "Alliances"),
                ("violence", "Casualties & sanctions"), ("timeline", "Timeline"),
                ("assumptions", "Assumptions")],
        "colours": b.colours, "names": b.names, "end_date": summary.get("end_date"),
        "n_events": len(b.run.events),
        "scenario": {"name": scenario, "path": manifest.get("scenario_path"),
                     "hash": manifest.get("scenario_hash"),
                     "seed": summary.get("seed", manifest.get("seed")),
                     "start_date": b.start_date, "end_date": summary.get("end_date"),
                     "election_law": summary.get("election_law")},
        "parameters": parameters,
    }


def outcome_section(b: Basics) -> dict[str, Any]:
    """Who governs, the largest party, casualties, sanctions and boycotts at the end."""
    s, seats = b.summary, b.seats
    largest = max(seats, key=lambda p: (seats[p], p)) if seats else None
    return {"outcome": {
        "pm": s.get("prime_minister"), "government": list(s.get("government") or []),
        "formed_date": b.formed_date, "formed": b.formed, "caretaker": bool(s.get("caretaker")),
        "largest": largest, "largest_seats": seats.get(largest, 0) if largest else 0,
        "total_seats": sum(seats.values()), "casualties": int(s.get("casualties") or 0),
        "clashes": int(s.get("clashes") or 0), "sanctioned": list(s.get("sanctioned") or []),
        "state_sanctioned": bool(s.get("state_sanctioned")),
        "boycotting": list(s.get("boycotting") or [])}}


def _chamber(b: Basics, seats: Mapping[str, int], title: str, caption: str,
             highlight: Sequence[str] = ()) -> dict[str, str]:
    return {"svg": charts.hemicycle(seats, b.colours, b.names, title, b.order,
                                    highlight=highlight, majority=b.majority),
            "caption": caption}


def parliament_section(b: Basics) -> dict[str, Any]:
    """The chamber before and after each election (and at the end), and the seat table."""
    seats, seats_initial = b.seats, b.seats_initial
    governs = ("the government in full colour, ringed." if b.formed else
               "no government formed (a caretaker governs).")
    parliament = []
    for n, election in enumerate(b.elections):
        when = election.get("date") or _day_to_date(b.start_date, election.get("day"))
        law = f" ({election['law']})" if election.get("law") else ""
        last = n == len(b.elections) - 1
        parliament.append(_chamber(b, election.get("seats_before") or seats_initial,
                                   f"Before the election of {when}",
                                   f"The chamber going into the election of {when}."))
        parliament.append(_chamber(
            b, election.get("seats") or seats, f"After the election of {when}",
            f"Seats won under the law{law}.",
            b.ringed if last and seats == election.get("seats") else ()))
    if b.elections and seats != (b.elections[-1].get("seats") or seats):
        parliament.append(_chamber(b, seats, "At the end", "Seats at the end of the run, "
                                   "after the moves since the vote; " + governs, b.ringed))
    if not b.elections:
        parliament.append(_chamber(b, seats_initial, "At the start",
                                   f"Seats on {b.summary.get('start_date', 'day 0')}."))
        parliament.append(_chamber(b, seats, "At the end", "No election was held; " + governs,
                                   b.ringed))
    biggest = max([*seats.values(), *seats_initial.values(), 1])
    size = (b.summary.get("parliament") or {}).get("size") or sum(seats.values())
    # grouping deputies who joined blocs, or a bloc's resignation, move seats after the vote:
    # the table then shows the certified house between the start and the end
    elected = {k: int(v) for k, v in (b.elections[-1].get("seats") or {}).items()} \
        if b.elections else {}
    joined = int(b.summary.get("deputies_joined") or 0)
    moved = "" if not elected or elected == seats else (
        f"{joined} deputies of independents, small lists and quota seats joined blocs"
        if joined else "a bloc's deputies resigned")
    return {"parliament": parliament, "majority": b.majority, "chamber_size": size,
            "seats_moved": moved, "seat_rows": [
        {"party": p, "before": seats_initial.get(p, 0), "after": seats.get(p, 0),
         "elected": elected.get(p, 0), "delta": seats.get(p, 0) - seats_initial.get(p, 0),
         "width": round(220 * seats.get(p, 0) / biggest)} for p in b.order]}


def posts_section(b: Basics) -> dict[str, Any]:
    """Ministries and posts at the start and the end, grouped by the kind of post."""
    return {"posts": _post_groups(b.summary)}


def influence_section(b: Basics) -> dict[str, Any]:
    """Influence over time (a line chart) and each actor's first and last share."""
    markers = [(e.get("date") or _day_to_date(b.start_date, e.get("day")), "election")
               for e in b.elections]
    if b.formed_date:
        markers.append((b.formed_date, "government formed"))
    markers = [m for m in markers if m[0]]
    rows: list[dict[str, Any]] = []
    if b.history:
        first, last = b.history[0].get("influence") or {}, b.history[-1].get("influence") or {}
        rows = sorted(({"actor": a, "first": float(first.get(a, 0)),
                        "last": float(last.get(a, 0)),
                        "delta": float(last.get(a, 0)) - float(first.get(a, 0))}
                       for a in dict.fromkeys([*first, *last])), key=lambda r: -r["last"])
    # Rows that read 0.0% at both ends say nothing; name those actors in one line instead.
    none = [r["actor"] for r in rows if max(r["first"], r["last"]) < 0.0005]
    return {"influence_svg": charts.influence_lines(b.history, b.colours, b.names,
                                                    markers=markers) if b.history else None,
            "influence_rows": [r for r in rows if r["actor"] not in none],
            "influence_none": none}


def alliances_section(b: Basics) -> dict[str, Any]:
    """Alliance maps at the start, after the election and the formation, and at the end,
    with nodes placed where the world's map puts them (summary.actors[id].map)."""
    summary = b.summary
    networks: list[dict[str, str]] = []
    hidden: list[str] = []
    snapshots = [h for h in b.history if h.get("relationships")]
    if snapshots:
        candidates = {p for source in [summary, *snapshots] for key in ("seats", "seats_initial")
                      for p, n in (source.get(key) or {}).items()
                      if int(n or 0) >= MAP_MIN_SEATS}
        candidates |= {a for key in ("ministries", "ministries_initial", "posts",
                                     "posts_initial")
                       for a in (summary.get(key) or {}).values() if isinstance(a, str) and a}
        places = {a: m["map"] for a, m in b.run.actors.items() if (m or {}).get("map")}
        positions = charts.network_layout([h["relationships"] for h in snapshots],
                                          extra=sorted(candidates), places=places)
        election_days = {float(e["day"]): e.get("date") or _day_to_date(b.start_date, e["day"])
                         for e in b.elections[:1] if e.get("day") is not None}
        formed_day = summary.get("government_formed_day")
        picked = _pick_history(snapshots, [*election_days, formed_day])
        shown = _network_actors(picked, positions, summary)
        hidden = sorted((a for a in positions if a not in shown),
                        key=lambda a: b.names.get(a, a).lower())
        for n, h in enumerate(picked):
            networks.append({"svg": charts.network(
                h["relationships"], b.colours, b.names,
                f"Alliances and rivalries on {h.get('date')}", positions, h.get("influence"),
                nodes=shown),
                "caption": _network_caption(h, n == 0, n == len(picked) - 1, election_days,
                                            formed_day, b.formed_date)})
    return {"networks": networks, "network_hidden": hidden,
            "network_threshold": charts.NETWORK_THRESHOLD}


def violence_section(b: Basics) -> dict[str, Any]:
    """Casualties and sanctions over time, and the events behind them."""
    violence = [e for e in b.run.events if e["kind"] in kinds_in("violence", "sanctions")]
    points = [(str(e.get("date")), int((e.get("details") or {}).get("casualties") or 0),
               str(e.get("text", ""))) for e in violence
              if isinstance((e.get("details") or {}).get("casualties"), int | float)]
    sanction_marks = [(str(e.get("date")), _sanction_label(e, b.names))
                      for e in violence if e["kind"] in kinds_in("sanctions")]
    svg = None
    end = b.summary.get("end_date")
    if (points or sanction_marks) and b.start_date and end:
        svg = charts.casualties_timeline(points, sanction_marks, b.start_date, end)
    return {"casualties_svg": svg, "violence_events": [
        {"id": e["id"], "date": e.get("date"), "text": e.get("text") or kind_label(e["kind"])}
        for e in violence]}


def timeline_section(b: Basics) -> dict[str, Any]:
    """Every event with its cause, its kind in words (the kind registry's label), and whether
    the timeline hides it by default (routine kinds)."""
    run, routine = b.run, routine_kinds()
    timeline = []
    for event in run.events:
        cause = event.get("cause")
        cause_event = run.by_id.get(int(cause)) if cause is not None else None
        kind = str(event.get("kind", ""))
        timeline.append({
            "id": event["id"], "date": event.get("date") or _day_to_date(b.start_date,
                                                                          event.get("t")),
            "actor": event.get("actor"), "kind": kind, "kind_label": kind_label(kind),
            "text": event.get("text") or kind_label(kind),
            "cause": cause, "tags": _tags(event), "routine": kind in routine,
            "cause_text": _short(str((cause_event or {}).get("text") or
                                     kind_label(str((cause_event or {}).get("kind") or ""))),
                                 90),
        })
    actors = sorted({e["actor"] for e in timeline if e["actor"]},
                    key=lambda a: b.names.get(a, a).lower())
    return {"timeline": timeline, "timeline_actors": actors}


def assumptions_section(b: Basics) -> dict[str, Any]:
    """Every assumption the run rests on (world values and the policy knobs it used)."""
    return {"assumptions": list(b.summary.get("assumptions") or [])}


RUN_SECTIONS = (header_section, outcome_section, parliament_section, posts_section,
                influence_section, alliances_section, violence_section, timeline_section,
                assumptions_section)


def run_context(run: RunData) -> dict[str, Any]:
    """Everything the run template shows: each section's builder over the shared basics."""
    b = basics(run)
    context: dict[str, Any] = {}
    for section in RUN_SECTIONS:
        context.update(section(b))
    return context


def _network_actors(picked: Sequence[Mapping[str, Any]], positions: Mapping[str, Any],
                    summary: Mapping[str, Any]) -> list[str]:
    """Actors worth a node: a tie the maps draw, seats, or a post, on any of the maps' dates.

    The same set for every map, so maps of different dates can be compared node for node.
    """
    keep: set[str] = set()
    for h in picked:
        for a, b, _ in charts.strong_ties(h.get("relationships") or []):
            keep |= {a, b}
        keep |= {p for p, n in (h.get("seats") or {}).items() if int(n or 0) >= MAP_MIN_SEATS}
    for key in ("seats", "seats_initial"):
        keep |= {p for p, n in (summary.get(key) or {}).items() if int(n or 0) >= MAP_MIN_SEATS}
    for key in ("ministries", "ministries_initial", "posts", "posts_initial"):
        keep |= {a for a in (summary.get(key) or {}).values() if a}
    return [a for a in positions if a in keep]


def _network_caption(h: Mapping[str, Any], first: bool, last: bool,
                     election_days: Mapping[float, str | None], formed_day: float | None,
                     formed: str | None) -> str:
    day = float(h.get("day") or 0)
    reasons = []
    if first:
        reasons.append("the start of the run")
    for when, label in sorted(election_days.items()):
        if not first and day >= when and day - when <= 45:
            reasons.append(f"just after the election of {label}")
    if formed_day is not None and not first and 0 <= day - float(formed_day) <= 45:
        reasons.append(f"just after the government was formed on {formed}")
    if last and not first:
        reasons.append("the end of the run")
    text = f"{h.get('date')} (day {day:.0f})"
    return f"{text}: {' and '.join(reasons)}." if reasons else f"{text}."


def _sanction_label(event: Mapping[str, Any], names: Mapping[str, str]) -> str:
    targets = sorted((event.get("changes") or {}).get("sanctioned") or {})
    target = targets[0] if len(targets) == 1 else None
    if isinstance(target, str):
        return f"sanctions: {charts.short_name(names.get(target, target))}"
    return _short(str(event.get("text") or event.get("kind")), 28)


def run_html(run: RunData) -> str:
    return render("run.html.j2", run_context(run))


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


# --- sweep ------------------------------------------------------------------------------


@dataclass
class SweepBasics:
    """What several sections of a sweep page share, computed once from the sweep's files."""

    sweep: SweepData
    meta: Mapping[str, Any]
    frame: Any  # every run's row (pandas DataFrame)
    good: Any  # the finished runs' rows
    seat_cols: dict[str, str]
    influence_cols: dict[str, str]
    pms: dict[str, float]
    names: charts.Names
    colours: dict[str, str]
    parameters: dict[str, str]
    indices: dict[str, Any] | None  # sensitivity indices, when the sweep has them


def sweep_basics(sweep: SweepData) -> SweepBasics:
    """The finished runs, the outcome columns and the actors' names and colours."""
    frame = sweep.results
    good = stats.ok_rows(frame)
    actors = sweep.meta["actors"]
    seat_cols = stats.prefixed(good, "seats")
    influence_cols = stats.prefixed(good, "influence")
    pms = stats.pm_probabilities(good)
    shown = [*seat_cols, *influence_cols, *pms]
    return SweepBasics(sweep=sweep, meta=sweep.meta, frame=frame, good=good,
                       seat_cols=seat_cols, influence_cols=influence_cols, pms=pms,
                       names=names_of(actors, shown), colours=actor_colours(actors, shown),
                       parameters=stats.parameter_columns(good), indices=sobol_of(sweep))


def sweep_header_section(b: SweepBasics) -> dict[str, Any]:
    """Title, table of contents, run counts and the sweep's identity."""
    meta, frame = b.meta, b.frame
    scenario = meta["scenario"] or b.sweep.path.name
    sample = meta["sweep"]["sample"]
    return {
        "title": f"Sweep report: {Path(str(scenario)).stem}",
        "subtitle": f"{len(frame)} runs ({len(b.good)} finished), sampling: {sample}",
        "toc": [("overview", "Overview"), ("pm", "Prime minister"), ("government", "Government"),
                ("seats", "Seats"), ("casualties", "Casualties"), ("influence", "Influence"),
                ("effects", "Parameter effects"),
                *([("discovery", "Scenario discovery")]
                  if (b.sweep.path / "discover.json").is_file() else []),
                ("assumptions", "Assumptions")],
        "colours": b.colours, "names": b.names, "n_runs": len(frame), "n_ok": len(b.good),
        "statuses": frame["status"].value_counts().to_dict(), "sample": sample,
        "meta_items": [("scenario_hash", meta["scenario_hash"]),
                       *((k, meta["sweep"][k]) for k in ("seed", "replications", "n")),
                       ("package_version", meta["package_version"]),
                       ("created", meta["created"])],
    }


def sweep_parameters_section(b: SweepBasics) -> dict[str, Any]:
    """The range each swept parameter took."""
    rows = []
    for name, column in b.parameters.items():
        values = b.good[column].astype(float)
        rows.append({"name": name, "min": _fmt(float(values.min())),
                     "max": _fmt(float(values.max())), "mean": _fmt(float(values.mean()))})
    return {"parameter_rows": rows}


def sweep_government_section(b: SweepBasics) -> dict[str, Any]:
    """Who became prime minister, which governments formed and who sat in them, how often."""
    governments = stats.government_probabilities(b.good)
    chart = {"pm": charts.probability_bars(b.pms, b.colours, b.names,
                                           "Probability of each prime minister",
                                           ylabel="Prime minister")} if b.pms else {}
    return {
        "charts": chart,
        "pm_rows": [{"actor": k, "p": v} for k, v in b.pms.items()],
        "government_rows": [{"members": [] if k == stats.NO_GOVERNMENT else k.split(", "),
                             "p": v} for k, v in list(governments.items())[:8]],
        "membership_rows": [{"actor": k, "p": v}
                            for k, v in stats.membership_probabilities(b.good).items()],
    }


def sweep_seats_section(b: SweepBasics) -> dict[str, Any]:
    """Seats per party across runs: the end house beside what the last election certified
    (deputies of groupings join blocs after the vote, so the two differ)."""
    good = b.good
    seat_table = stats.seat_intervals(good)
    elected_table = stats.seat_intervals(good, "seats_elected")
    parties = [p for p in seat_table if seat_table[p]["mean"] >= 0.5] or list(seat_table)
    chart = {}
    if b.seat_cols:
        chart["seats"] = charts.seat_distributions(
            {"": {p: good[b.seat_cols[p]].to_numpy() for p in parties}}, b.colours, b.names,
            "Seats per party across runs", parties,
            majority=(b.meta.get("parliament") or {}).get("majority"))
    return {"charts": chart,
            "seat_rows": [{"party": p, **seat_table[p],
                           "elected": elected_table.get(p, {}).get("mean")}
                          for p in seat_table],
            "seats_elected_shown": bool(elected_table)}


def sweep_violence_section(b: SweepBasics) -> dict[str, Any]:
    """Deaths in clashes across runs."""
    good = b.good
    has = "casualties" in good.columns
    chart = {"casualties": charts.histogram(good["casualties"].astype(float).tolist(),
                                            "Casualties across runs",
                                            "People killed in clashes")} if has and len(good) \
        else {}
    return {"charts": chart,
            "casualty_stats": stats.interval(good["casualties"]) if has else None}


def sweep_influence_section(b: SweepBasics) -> dict[str, Any]:
    """The final influence index of the twelve most influential actors across runs."""
    if not b.influence_cols:
        return {"charts": {}}
    cols, good = b.influence_cols, b.good
    ordered = sorted(cols, key=lambda a: -float(good[cols[a]].mean()))[:12]
    return {"charts": {"influence": charts.seat_distributions(
        {"": {a: good[cols[a]].to_numpy() for a in ordered}}, b.colours, b.names,
        "Final influence index across runs", ordered, what="Influence share", noun="Actor")}}


def sweep_effects_section(b: SweepBasics) -> dict[str, Any]:
    """How each parameter moves each outcome, and the sensitivity indices beside their noise."""
    good = b.good
    effects = stats.parameter_effects(good, b.parameters) \
        if b.parameters and len(good) > 2 else {}
    chart = {"effects": charts.effects_heatmap(effects, "Parameter effects on outcomes")} \
        if effects and any(effects.values()) else {}
    sobol, sobol_more = sobol_charts(b.indices, good)
    return {"charts": chart, "sobol_charts": sobol, "sobol_more": sobol_more,
            "index_table": index_table(b.indices, SOBOL_CHARTS)}


def sweep_discovery_section(b: SweepBasics) -> dict[str, Any]:
    """PRIM and CART scenario discovery, when `sim discover` has written discover.json."""
    return {"discovery": _discovery(b.sweep.path)}


def sweep_assumptions_section(b: SweepBasics) -> dict[str, Any]:
    """Every assumption the sweep's runs rest on."""
    return {"assumptions": b.meta["assumptions"]}


SWEEP_SECTIONS = (sweep_header_section, sweep_parameters_section, sweep_government_section,
                  sweep_seats_section, sweep_violence_section, sweep_influence_section,
                  sweep_effects_section, sweep_discovery_section, sweep_assumptions_section)


def sweep_context(sweep: SweepData) -> dict[str, Any]:
    """Everything the sweep template shows: each section's builder over the shared basics
    (the sections' charts are gathered into one `charts` map)."""
    b = sweep_basics(sweep)
    context: dict[str, Any] = {"charts": {}}
    for section in SWEEP_SECTIONS:
        part = section(b)
        context["charts"].update(part.pop("charts", {}))
        context.update(part)
    return context


SOBOL_CHARTS = 8  # outcomes drawn; sensitivity.json (or `sim sensitivity`) holds them all


def index_table(indices: Mapping[str, Any] | None, most: int) -> dict[str, Any] | None:
    """The indices beside their replication noise (sim.sweep.sensitivity.index_table)."""
    from sim.sweep.sensitivity import index_table as table

    return table(indices, most)


def sobol_of(sweep: SweepData) -> dict[str, Any] | None:
    """The sweep's Sobol indices: its sensitivity.json, else computed now for a sobol sweep."""
    if sweep.sensitivity is not None:
        return sweep.sensitivity
    if sweep.meta["sweep"]["sample"] != "sobol" or not sweep.meta["complete"]:
        return None
    from sim.sweep.sensitivity import sobol_indices

    return sobol_indices(sweep.path)


def sobol_charts(sensitivity: Mapping[str, Any] | None,
                 frame: Any) -> tuple[list[dict[str, str]], int]:
    """Bar charts of S1 and ST for the outcomes that matter most, and how many were left out.

    Casualties and the seats of the largest parties come first (the outcomes the report shows),
    then the rest by their largest total index.
    """
    if not sensitivity or sensitivity["method"] != "sobol":
        return [], 0
    outcomes = sensitivity["outcomes"]
    seats = stats.seat_intervals(frame) if len(frame) else {}
    first = ["casualties", *(f"seats.{p}" for p in list(seats)[:4])]

    def weight(name: str) -> float:
        return max((i["ST"] or 0.0 for i in outcomes[name].values()), default=0.0)

    order = [o for o in first if o in outcomes]
    order += sorted((o for o in outcomes if o not in order), key=lambda o: (-weight(o), o))
    out = []
    for outcome in order[:SOBOL_CHARTS]:
        block = outcomes[outcome]
        shown = {k: {p: i[k] for p, i in block.items() if i[k] is not None} for k in ("S1", "ST")}
        errors = {k: {p: i[f"{k}_conf"] for p, i in block.items() if i[f"{k}_conf"] is not None}
                  for k in ("S1", "ST")}
        noisy = sorted(p for p, i in block.items() if not i["above_noise"])
        caption = f"{sensitivity['conf_level']:.0%} confidence half-widths."
        if noisy:
            caption += (f" Not above replication noise: {', '.join(noisy)}"
                        " (more replications would tell).")
        out.append({"svg": charts.sobol_bars(shown, f"Sobol indices: {outcome}", errors),
                    "caption": caption})
    return out, max(0, len(order) - SOBOL_CHARTS)


def _discovery(directory: Path) -> dict[str, Any] | None:
    """`sim discover`'s last result (DIR/discover.json), ready for the template, or None."""
    path = directory / "discover.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        prim = found["prim"]
        chart = charts.peeling_trajectory(prim["trajectory"], int(prim["chosen"]),
                                          f"PRIM peeling: {found['where']}")
        return {
            "where": str(found["where"]), "cases": int(found["cases"]),
            "finished": int(found["finished"]), "share": float(found["share"]),
            "coverage": float(prim["coverage"]), "density": float(prim["density"]),
            "mass": float(prim["mass"]), "meets": bool(prim.get("meets_threshold", True)),
            "threshold": float(prim.get("threshold", 0.8)),
            "box": [{"name": k, "low": _fmt(float(v["low"])), "high": _fmt(float(v["high"])),
                     "range": f"{_fmt(float(v['range'][0]))} .. {_fmt(float(v['range'][1]))}"}
                    for k, v in prim["box"].items()],
            "leaves": [{"rules": " and ".join(leaf["rules"]) or "all runs",
                        "runs": int(leaf["runs"]), "density": float(leaf["density"])}
                       for leaf in found["cart"]["leaves"][:4]],
            "scores": [{"name": k, "score": float(v)} for k, v in
                       sorted(found["scores"].items(), key=lambda kv: -float(kv[1]))],
            "chart": chart,
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no discovery run yet (or an unreadable file): no section


def sweep_html(sweep: SweepData) -> str:
    return render("sweep.html.j2", sweep_context(sweep))
