"""The run as a story on the terminal: a timeline of what happened and why, then the outcome."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from sim.catalogue import ROUTINE_KINDS, kind_label
from sim.naming import law_name
from sim.report.stats import government_formed
from sim.teaching.text import markup as esc
from sim.teaching.text import rich_text as text


def notable(events: list[Any]) -> list[Any]:
    return [e for e in events if e.kind not in ROUTINE_KINDS]


# Beyond this many notable events the timeline shows its head and tail and counts the middle
# by kind, so printing a run of a million events stays quick (events.jsonl has them all).
MAX_TIMELINE_ROWS = 200
MAX_CAUSE_STEPS = 1_000  # how far back `why` looks for a notable cause


def why(run: Any, event: Any) -> str:
    """The nearest cause that is itself notable (or the scheduled event / trigger)."""
    cause = event.cause
    steps = 0
    while cause is not None and cause > 0 and steps < MAX_CAUSE_STEPS:
        steps += 1
        c = run.events[cause]
        if c.kind not in ROUTINE_KINDS or c.kind in ("scheduled", "trigger_fired"):
            said = c.text if len(c.text) <= 60 else c.text[:57].rstrip() + "..."
            return f"#{c.id} {said}"
        cause = c.cause
    return "own initiative (policy)" if event.actor else ""


def print_run(run: Any, out: str | None, console: Console | None = None) -> None:
    console = console or Console(highlight=False, emoji=False)
    s = run.summary
    console.print(f"[bold]{esc(s['scenario'])}[/bold]  seed {s['seed']}  "
                  f"{s['start_date']} -> {s['end_date']}  ({s['events']} events)")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("actor", no_wrap=True)
    table.add_column("what happened", ratio=3)
    table.add_column("why (cause)", style="dim", ratio=2)
    shown = notable(run.events)
    from sim.report.charts import chart_name, names_from

    actor_names = names_from(s["actors"])

    def who(actor: str | None) -> Any:
        return text(chart_name(actor_names, actor, 18) if actor else "")

    head, tail = shown, []
    if len(shown) > MAX_TIMELINE_ROWS:
        head, tail = shown[:MAX_TIMELINE_ROWS // 2], shown[-(MAX_TIMELINE_ROWS // 2):]
    for e in head:
        d = e.as_dict(run.start)
        # Names are data: every cell is a Text (never markup) with control characters removed.
        table.add_row(text(d["date"]), who(e.actor), text(e.text), text(why(run, e)))
    if tail:
        middle = shown[len(head):len(shown) - len(tail)]
        table.add_row("...", "", text(_skipped(middle)), "")
        for e in tail:
            d = e.as_dict(run.start)
            table.add_row(text(d["date"]), who(e.actor), text(e.text), text(why(run, e)))
    console.print(table)
    hidden = len(run.events) - len(shown)
    if hidden:
        console.print(f"[dim]({hidden} routine events not shown: bridge-building, outreach, "
                      f"mediation...; see events.jsonl)[/dim]")
    if s.get("event_cap_reached"):
        console.print(f"[yellow]Stopped early: the event cap ({s['events']} events) was "
                      "reached before the horizon.[/yellow]")
    if s.get("time_budget_reached"):
        console.print("[yellow]Stopped early: the --max-seconds budget ran out before the "
                      "horizon (this run is not reproducible).[/yellow]")
    console.print()
    _outcome(run, console)
    if out:
        console.print(f"\nwrote {esc(out)}/events.jsonl, summary.json, manifest.json")


def _skipped(events: list[Any]) -> str:
    """One line for the middle of a long timeline: how many events, of which kinds."""
    counts: dict[str, int] = {}
    for e in events:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    kinds = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = ", ".join(f"{n} {kind_label(k)}" for k, n in kinds[:6]) + (
        ", ..." if len(kinds) > 6 else "")
    return f"{len(events)} more events not shown ({listed}); see events.jsonl"


def _outcome(run: Any, console: Console) -> None:
    s = run.summary
    names = {a: esc(x["name"]) for a, x in s["actors"].items()}  # names are data, not markup
    colours = {a: x["colour"] for a, x in s["actors"].items()}
    console.print("[bold]Outcome[/bold]")
    pm = s["prime_minister"]
    person = (s.get("people") or {}).get(pm) or {}
    party = s.get("prime_minister_party")
    who = esc(person.get("name")) if person.get("name") else names.get(pm, pm)
    if party:
        if names.get(party, party) != who:  # Sudani's list bears his own name
            who += f" ({names.get(party, party)})"
    elif pm is not None:
        who += " (independent)"
    console.print(f"  Prime minister: {who}" + (" (caretaker)" if s.get("caretaker") else ""))
    if s.get("days_to_government") is not None:
        console.print(f"  Days from the election to the confidence vote: "
                      f"{round(s['days_to_government'])}")
    if government_formed(s):
        console.print("  Government: " + ", ".join(names.get(a, a) for a in s["government"]))
    else:  # the cabinet in office is the caretaker's, not a government that formed
        caretaker = esc(person.get("name")) if person.get("name") else names.get(pm, pm)
        console.print(f"  Government: [bold]no government formed[/bold] (caretaker: "
                      f"{caretaker if pm is not None else 'nobody'})")
    console.print(f"  Election law: {esc(_law(run, s['election_law']))}   "
                  f"casualties: {s['casualties']}   "
                  f"sanctioned: {', '.join(names.get(a, a) for a in s['sanctioned']) or 'none'}"
                  + ("   [red]state sanctioned[/red]" if s["state_sanctioned"] else ""))
    try:
        from sim.report.charts import names_from
        from sim.report.terminal import seat_bars
    except ImportError:  # the report extra is optional
        seat_bars = None
    if seat_bars is not None:
        # names with the world's short labels, so a long name is shortened the world's way
        console.print(seat_bars(s["seats_initial"], s["seats"], colours,
                                names_from(s["actors"])))
    else:
        for p, n in sorted(s["seats"].items(), key=lambda kv: -kv[1]):
            if n or s["seats_initial"].get(p):
                console.print(f"  {names.get(p, p):40} {s['seats_initial'].get(p, 0):>4} -> {n:>4}")
    moved = after_the_vote(s)
    if moved:
        console.print("  " + esc(moved))
    top = sorted(s["influence"].items(), key=lambda kv: -kv[1])[:6]
    console.print("  Influence: " + ", ".join(f"{names.get(a, a)} {v:.2f}" for a, v in top))


def after_the_vote(s: dict[str, Any]) -> str:
    """How the house moved after the last election (the bars above show start -> end): grouping
    deputies drawn into blocs and resignations, as 'Since the election of DATE (elected -> at
    the end): ...'; empty when nothing moved or no election was held."""
    elected = s.get("seats_elected")
    if not elected or elected == s["seats"]:
        return ""
    names = {a: x["name"] for a, x in s["actors"].items()}
    change = {p: s["seats"].get(p, 0) - elected.get(p, 0) for p in set(elected) | set(s["seats"])}
    parts = [f"{names.get(p, p)} {elected.get(p, 0)} -> {s['seats'].get(p, 0)}"
             for p in sorted(change, key=lambda p: (-abs(change[p]), p)) if change[p]]
    joined = s.get("deputies_joined") or 0
    date = s["elections"][-1]["date"] if s.get("elections") else "the last election"
    return (f"Since the election of {date}"
            + (f" ({joined} grouping deputies joined blocs)" if joined else "")
            + ": " + ", ".join(parts[:8]) + (", ..." if len(parts) > 8 else "") + ".")


def _law(run: Any, law: str) -> str:
    """The law in force, in words ('2023 law (Sainte-Laguë, first divisor 1.7)')."""
    from sim.scenario import resolved

    scenario = getattr(run, "scenario", None)
    if scenario is None:
        return str(law)
    return law_name(resolved(scenario)["world"], str(law)).removeprefix("the ")
