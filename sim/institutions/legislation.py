"""Election-law change: actors' stances, bargaining over a draft's content, then a vote."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.institutions.knobs import knob
from sim.mechanics import bargaining
from sim.naming import law_name
from sim.queries import law_position, stance

if TYPE_CHECKING:
    from sim.context import Context


def set_stance(m: Context, actor: str, issue: str, position: float, salience: float | None,
               cause: int | None) -> None:
    old = stance(m.state, m.world, actor, issue)
    sal = salience if salience is not None else (old[1] if old else 0.5)
    m.emit("stance_changed", actor, {"stances": {actor: {issue: [round(position, 3),
                                                               round(sal, 3)]}}}, cause,
           f"{m.name(actor)} moves to {position:.0f} on {issue.replace('_', ' ')}"
           + (f" (from {old[0]:.0f})." if old else "."))


def law_outlook(m: Context, actor: str, law: str, proposal: float
                ) -> tuple[float, float, float, dict[str, bargaining.IssueStance]]:
    """(bargaining forecast, status quo, draft position, seat-weighted stances) for a draft."""
    stances = {}
    for a, n in sorted(m.state.seats.items()):
        st = stance(m.state, m.world, a, "election_law")
        if n <= 0 or st is None:
            continue
        position = proposal if a == actor else st[0]
        stances[a] = bargaining.IssueStance(position, st[1], float(n))
    status_quo = law_position(m.world, m.state.law)
    draft = law_position(m.world, law, proposal)
    rounds = int(knob(m, "bargaining_rounds"))
    forecast = bargaining.bdm_forecast(stances, rounds=rounds) if stances else status_quo
    return forecast, status_quo, draft, stances


def law_viable(m: Context, actor: str, law: str, proposal: float) -> bool:
    """Would bargaining settle nearer the draft than the current law?"""
    forecast, status_quo, draft, _ = law_outlook(m, actor, law, proposal)
    return abs(forecast - draft) <= abs(forecast - status_quo)


def propose_law(m: Context, actor: str, law: str, proposal: float, cause: int | None) -> None:
    """An amendment goes through bargaining, then a vote.

    First the parties bargain over the content: the Bueno de Mesquita forecast on the
    election-law issue (capability = seats; with the default of 0 rounds this is the
    capability-and-salience-weighted median, the model's base forecast: its later rounds are
    known to be sensitive, so they are a knob, `bargaining_rounds`).  If the forecast settles
    nearer the status quo than the draft, the draft is shelved.  Otherwise parliament votes,
    and the chance that the draft passes is a probabilistic Condorcet contest between it and
    the status quo.
    """
    s = m.state
    if s.law == law:
        return
    if s.stalled:
        m.emit("law_vote_postponed", actor, {}, cause,
               f"Parliament is stalled; the vote on {law_name(m.world, law)} is postponed.",
               details={"draft": law})
        return
    forecast, status_quo, draft, stances = law_outlook(m, actor, law, proposal)
    if abs(forecast - status_quo) < abs(forecast - draft):
        m.emit("law_shelved", actor, {}, cause,
               f"Bargaining over {law_name(m.world, law)} settles near {forecast:.0f} on the "
               f"election-law scale, closer to the current law ({status_quo:.0f}) than the draft "
               f"({draft:.0f}): the draft is shelved.",
               details={"draft": law, "forecast": round(forecast, 2)})
        return
    p = bargaining.passage_probability(stances, draft, status_quo) if stances else 0.0
    ev = m.emit("law_proposed", actor, {}, cause,
                f"{m.name(actor)} puts {law_name(m.world, law)} to parliament (bargaining "
                f"forecast {forecast:.0f}; chance of passing {p:.0%}).",
                details={"draft": law, "probability": round(p, 4),
                         "forecast": round(forecast, 2)})
    if float(m.rng("law").random()) < p:
        m.emit("law_changed", actor, {"law": law}, ev.id,
               f"Parliament passes {law_name(m.world, law)}.")
    else:
        m.emit("law_rejected", actor, {}, ev.id,
               f"Parliament rejects {law_name(m.world, law)}.", details={"draft": law})
