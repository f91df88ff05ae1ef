"""The self-contained HTML report of a run or a sweep.

Everything the page needs is inside the one file: styles and the small filtering script are
inline, charts are inline SVG (text drawn as paths), there are no web fonts and no links to
other sites, so the file opens offline, from a USB stick, in any browser.  Jinja2 autoescapes
every value from the run (actor names, event texts) so a scenario cannot inject markup; only
the SVG we drew ourselves is marked safe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sim.catalogue import ROUTINE_KINDS, kinds_in
from sim.report import charts, stats
from sim.report.colours import actor_colours, text_colour
from sim.report.load import RunData, SweepData, load
from sim.teaching.text import clean

REPORT_NAME = "report.html"
# The alliance maps leave out actors with fewer seats than this, no post and no drawn tie.
MAP_MIN_SEATS = 5


def _version() -> str:
    try:
        from importlib.metadata import version

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
    return env


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render one of the package's templates with autoescaping on."""
    return _environment().get_template(template).render(**context)


def write_atomically(path: Path, text: str, option: str = "--output") -> None:
    """Write the whole file or nothing, and only over a regular file (see sim.safewrite)."""
    from sim.safewrite import write_file

    write_file(path, text, option)


def write_report(directory: str | Path, output: str | Path | None = None) -> Path:
    """Write DIR/report.html for a run or a sweep directory; returns the file written."""
    from sim.safewrite import check_file_target

    if output is not None:
        check_file_target(output, "--output")  # before the work of building the page
    data = load(directory)
    page = run_html(data) if isinstance(data, RunData) else sweep_html(data)
    target = Path(output) if output is not None else data.path / REPORT_NAME
    write_atomically(target, page, "--output" if output is not None else "DIR")
    return target


# --- helpers shared by run, sweep and comparison pages ------------------------------------


def names_of(actors: Mapping[str, Mapping[str, Any]], ids=()) -> dict[str, str]:
    """Display names: the world's name of each actor, a tidied id for anything else."""
    names = {str(i): pretty(str(i)) for i in ids if i}
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


# (title, column heading, words that put a post in the group), in order of precedence.
POST_GROUPS = (
    ("Governorships", "Governorate", ("governor",)),
    ("Media posts", "Post", ("media", "cmc", "imn", "broadcast", "tv", "press")),
    ("Security posts", "Post", ("security", "intelligence", "pmf", "army", "police",
                                "defence", "counter_terror", "interior")),
    ("Economic levers", "Lever", ("port", "contract", "land", "oil", "econom", "bank", "customs")),
)


def _post_label(key: str, title: str) -> str:
    if title == "Governorships":
        for prefix in ("governor.", "governor_", "governorship.", "governorship_", "governor:"):
            if key.lower().startswith(prefix):
                # Place names are never acronyms: 'dhi_qar' -> 'Dhi Qar', not 'DHI QAR'.
                words = key[len(prefix):].replace("_", " ").replace("-", " ").split()
                return " ".join(w[:1].upper() + w[1:] for w in words) or key
    return pretty(key)


def _post_groups(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
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
    keys = list(dict.fromkeys([*initial, *posts]))
    taken: set[str] = set()
    for title, noun, words in POST_GROUPS:
        mine = [k for k in keys if k not in taken and any(w in k.lower() for w in words)]
        taken.update(mine)
        if mine:
            groups.append({"title": title, "noun": noun, "rows": [
                dict(r, label=_post_label(k, title))
                for r, k in zip(rows(initial, posts, mine), mine, strict=True)]})
    rest = [k for k in keys if k not in taken]
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


def run_context(run: RunData) -> dict[str, Any]:
    """Everything the run template shows, computed from the run's files."""
    summary, manifest = run.summary, run.manifest
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
    government = list(summary.get("government") or [])
    formed = stats.government_formed(summary)
    # Without a government formed after the last election, the cabinet in office is the
    # caretaker's: it is listed as such and never ringed as a government in the chamber.
    ringed = government if formed else []
    order = charts.seat_order(seats_initial, seats, *[e.get("seats", {}) for e in elections],
                              actors=actors)

    parliament = []
    if elections:
        for n, election in enumerate(elections):
            when = election.get("date") or _day_to_date(summary.get("start_date"),
                                                         election.get("day"))
            law = f" ({election['law']})" if election.get("law") else ""
            last = n == len(elections) - 1
            parliament.append({"svg": charts.hemicycle(
                election.get("seats_before") or seats_initial, colours, names,
                f"Before the election of {when}", order), "caption":
                f"The chamber going into the election of {when}."})
            parliament.append({"svg": charts.hemicycle(
                election.get("seats") or seats, colours, names, f"After the election of {when}",
                order, highlight=ringed if last and seats == election.get("seats") else ()),
                "caption": f"Seats won under the law{law}."})
        if seats != (elections[-1].get("seats") or seats):
            parliament.append({"svg": charts.hemicycle(seats, colours, names, "At the end",
                                                       order, highlight=ringed),
                               "caption": "Seats at the end of the run; " + (
                                   "the government in full colour, ringed." if formed else
                                   "no government formed (a caretaker governs).")})
    else:
        parliament.append({"svg": charts.hemicycle(seats_initial, colours, names,
                                                   "At the start", order),
                           "caption": f"Seats on {summary.get('start_date', 'day 0')}."})
        parliament.append({"svg": charts.hemicycle(seats, colours, names, "At the end", order,
                                                   highlight=ringed),
                           "caption": "No election was held; " + (
                               "the government in full colour, ringed." if formed else
                               "no government formed (a caretaker governs).")})
    biggest = max([*seats.values(), *seats_initial.values(), 1])
    seat_rows = [{"party": p, "before": seats_initial.get(p, 0), "after": seats.get(p, 0),
                  "delta": seats.get(p, 0) - seats_initial.get(p, 0),
                  "width": round(220 * seats.get(p, 0) / biggest)} for p in order]

    start_date = summary.get("start_date")
    markers = [(e.get("date") or _day_to_date(start_date, e.get("day")), "election")
               for e in elections]
    formed_date = _day_to_date(start_date, summary.get("government_formed_day"))
    if formed_date:
        markers.append((formed_date, "government formed"))
    markers = [m for m in markers if m[0]]
    influence_svg = charts.influence_lines(history, colours, names, markers=markers) if (
        history) else None
    influence_rows: list[dict[str, Any]] = []
    if history:
        first, last = history[0].get("influence") or {}, history[-1].get("influence") or {}
        influence_rows = sorted(({"actor": a, "first": float(first.get(a, 0)),
                                  "last": float(last.get(a, 0)),
                                  "delta": float(last.get(a, 0)) - float(first.get(a, 0))}
                                 for a in dict.fromkeys([*first, *last])),
                                key=lambda r: -r["last"])
    # Rows that read 0.0% at both ends say nothing; name those actors in one line instead.
    influence_none = [r["actor"] for r in influence_rows if max(r["first"], r["last"]) < 0.0005]
    influence_rows = [r for r in influence_rows if r["actor"] not in influence_none]

    networks, network_hidden = [], []
    snapshots = [h for h in history if h.get("relationships")]
    if snapshots:
        candidates = {p for source in [summary, *snapshots] for key in ("seats", "seats_initial")
                  for p, n in (source.get(key) or {}).items() if int(n or 0) >= MAP_MIN_SEATS}
        candidates |= {a for key in ("ministries", "ministries_initial", "posts", "posts_initial")
                   for a in (summary.get(key) or {}).values() if isinstance(a, str) and a}
        positions = charts.network_layout([h["relationships"] for h in snapshots],
                                          extra=sorted(candidates))
        election_days = {float(e["day"]): e.get("date") or _day_to_date(start_date, e["day"])
                         for e in elections[:1] if e.get("day") is not None}
        formed_day = summary.get("government_formed_day")
        picked = _pick_history(snapshots, [*election_days, formed_day])
        shown = _network_actors(picked, positions, summary)
        network_hidden = sorted((a for a in positions if a not in shown),
                                key=lambda a: names.get(a, a).lower())
        for n, h in enumerate(picked):
            networks.append({"svg": charts.network(
                h["relationships"], colours, names, f"Alliances and rivalries on {h.get('date')}",
                positions, h.get("influence"), nodes=shown),
                "caption": _network_caption(h, n == 0, n == len(picked) - 1, election_days,
                                            formed_day, formed_date)})

    violence = [e for e in run.events
                if e["kind"] in kinds_in("violence", "sanctions")]
    points = [(str(e.get("date")), int((e.get("details") or {}).get("casualties") or 0),
               str(e.get("text", ""))) for e in violence
              if isinstance((e.get("details") or {}).get("casualties"), int | float)]
    sanction_marks = [(str(e.get("date")), _sanction_label(e, names))
                      for e in violence if e["kind"] in kinds_in("sanctions")]
    casualties = int(summary.get("casualties") or 0)
    casualties_svg = None
    if (points or sanction_marks) and start_date and summary.get("end_date"):
        casualties_svg = charts.casualties_timeline(points, sanction_marks, start_date,
                                                    summary["end_date"])

    timeline = []
    routine = routine_kinds()
    for event in run.events:
        cause = event.get("cause")
        cause_event = run.by_id.get(int(cause)) if cause is not None else None
        timeline.append({
            "id": event["id"], "date": event.get("date") or _day_to_date(start_date,
                                                                          event.get("t")),
            "actor": event.get("actor"), "kind": event.get("kind"),
            "text": event.get("text") or str(event.get("kind", "")).replace("_", " "),
            "cause": cause, "tags": _tags(event), "routine": event.get("kind") in routine,
            "cause_text": _short(str((cause_event or {}).get("text") or
                                     (cause_event or {}).get("kind") or ""), 90),
        })
    timeline_actors = sorted({e["actor"] for e in timeline if e["actor"]},
                             key=lambda a: names.get(a, a).lower())

    assumptions = list(summary.get("assumptions") or [])
    assumed = {str(a.get("field", "")) for a in assumptions}
    parameters = [{"name": k, "value": _fmt(v),
                   "assumption": f"parameters.{k}" in assumed or k in assumed}
                  for k, v in (summary.get("parameters") or manifest.get("parameters") or {}
                               ).items()]
    largest = max(seats, key=lambda p: (seats[p], p)) if seats else None
    scenario = summary.get("scenario") or manifest.get("scenario") or run.path.name
    return {
        "title": f"Scenario report: {scenario}",
        "subtitle": f"Run with seed {summary.get('seed', manifest.get('seed'))}, "
                    f"{start_date} to {summary.get('end_date')}",
        "toc": [("outcome", "Outcome"), ("scenario", "Scenario"), ("parliament", "Parliament"),
                ("posts", "Posts"), ("influence", "Influence"), ("alliances", "Alliances"),
                ("violence", "Casualties & sanctions"), ("timeline", "Timeline"),
                ("assumptions", "Assumptions")],
        "colours": colours, "names": names, "end_date": summary.get("end_date"),
        "n_events": len(run.events),
        "outcome": {"pm": summary.get("prime_minister"), "government": government,
                    "formed_date": formed_date, "formed": formed,
                    "caretaker": bool(summary.get("caretaker")), "largest": largest,
                    "largest_seats": seats.get(largest, 0) if largest else 0,
                    "total_seats": sum(seats.values()), "casualties": casualties,
                    "clashes": int(summary.get("clashes") or 0),
                    "sanctioned": list(summary.get("sanctioned") or []),
                    "state_sanctioned": bool(summary.get("state_sanctioned")),
                    "boycotting": list(summary.get("boycotting") or [])},
        "scenario": {"name": scenario, "path": manifest.get("scenario_path"),
                     "hash": manifest.get("scenario_hash"),
                     "seed": summary.get("seed", manifest.get("seed")),
                     "start_date": start_date, "end_date": summary.get("end_date"),
                     "election_law": summary.get("election_law")},
        "parameters": parameters, "parliament": parliament, "seat_rows": seat_rows,
        "posts": _post_groups(summary), "influence_svg": influence_svg,
        "influence_rows": influence_rows, "influence_none": influence_none,
        "networks": networks,
        "network_hidden": network_hidden, "network_threshold": charts.NETWORK_THRESHOLD,
        "casualties_svg": casualties_svg,
        "violence_events": [{"id": e["id"], "date": e.get("date"), "text": e.get("text") or
                             e.get("kind")} for e in violence],
        "timeline": timeline, "timeline_actors": timeline_actors, "assumptions": assumptions,
    }


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


def sweep_context(sweep: SweepData) -> dict[str, Any]:
    """Everything the sweep template shows."""
    meta = sweep.meta
    frame = sweep.results
    good = stats.ok_rows(frame)
    actors = meta["actors"]
    seat_cols = stats.prefixed(good, "seats")
    influence_cols = stats.prefixed(good, "influence")
    pms = stats.pm_probabilities(good)
    names = names_of(actors, [*seat_cols, *influence_cols, *pms])
    colours = actor_colours(actors, [*seat_cols, *influence_cols, *pms])
    governments = stats.government_probabilities(good)
    seat_table = stats.seat_intervals(good)
    parties = [p for p in seat_table if seat_table[p]["mean"] >= 0.5] or list(seat_table)

    charts_out: dict[str, Any] = {}
    if pms:
        charts_out["pm"] = charts.probability_bars(pms, colours, names,
                                                   "Probability of each prime minister",
                                                   ylabel="Prime minister")
    if seat_cols:
        charts_out["seats"] = charts.seat_distributions(
            {"": {p: good[seat_cols[p]].to_numpy() for p in parties}}, colours, names,
            "Seats per party across runs", parties)
    if "casualties" in good.columns and len(good):
        charts_out["casualties"] = charts.histogram(good["casualties"].astype(float).tolist(),
                                                    "Casualties across runs",
                                                    "People killed in clashes")
    if influence_cols:
        ordered = sorted(influence_cols, key=lambda a: -float(good[influence_cols[a]].mean()))
        charts_out["influence"] = charts.seat_distributions(
            {"": {a: good[influence_cols[a]].to_numpy() for a in ordered[:12]}}, colours, names,
            "Final influence index across runs", ordered[:12], what="Influence share",
            majority=False)

    parameters = stats.parameter_columns(good)
    effects = stats.parameter_effects(good, parameters) if parameters and len(good) > 2 else {}
    if effects and any(effects.values()):
        charts_out["effects"] = charts.effects_heatmap(effects, "Parameter effects on outcomes")
    indices = sobol_of(sweep)
    sobol, sobol_more = sobol_charts(indices, good)
    parameter_rows = []
    for name, column in parameters.items():
        values = good[column].astype(float)
        parameter_rows.append({"name": name, "min": _fmt(float(values.min())),
                               "max": _fmt(float(values.max())),
                               "mean": _fmt(float(values.mean()))})
    statuses = frame["status"].value_counts().to_dict()
    scenario = meta["scenario"] or sweep.path.name
    sample = meta["sweep"]["sample"]
    return {
        "title": f"Sweep report: {Path(str(scenario)).stem}",
        "subtitle": f"{len(frame)} runs ({len(good)} finished), sampling: {sample}",
        "toc": [("overview", "Overview"), ("pm", "Prime minister"), ("government", "Government"),
                ("seats", "Seats"), ("casualties", "Casualties"), ("influence", "Influence"),
                ("effects", "Parameter effects"),
                *([("discovery", "Scenario discovery")]
                  if (sweep.path / "discover.json").is_file() else []),
                ("assumptions", "Assumptions")],
        "colours": colours, "names": names, "n_runs": len(frame), "n_ok": len(good),
        "statuses": statuses, "sample": sample, "parameter_rows": parameter_rows,
        "charts": charts_out, "sobol_charts": sobol, "sobol_more": sobol_more,
        "index_table": index_table(indices, SOBOL_CHARTS),
        "discovery": _discovery(sweep.path),
        "pm_rows": [{"actor": k, "p": v} for k, v in pms.items()],
        "government_rows": [{"members": [] if k == stats.NO_GOVERNMENT else k.split(", "),
                             "p": v} for k, v in list(governments.items())[:8]],
        "membership_rows": [{"actor": k, "p": v}
                            for k, v in stats.membership_probabilities(good).items()],
        "seat_rows": [{"party": p, **seat_table[p]} for p in seat_table],
        "casualty_stats": stats.interval(good["casualties"]) if "casualties" in good.columns
        else None,
        "assumptions": meta["assumptions"],
        "meta_items": [("scenario_hash", meta["scenario_hash"]),
                       *((k, meta["sweep"][k]) for k in ("seed", "replications", "n")),
                       ("package_version", meta["package_version"]),
                       ("created", meta["created"])],
    }


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
    import json

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
