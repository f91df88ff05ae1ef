"""What a scenario event, a trigger or a policy can make happen.

Each action kind of the scenario language (`sim.schema.scenario.ACTION_KINDS`) maps to one
function here that turns it into events through `Model.emit`.  Institutions (elections,
government formation, protests, clashes, sanctions) live in `sim.institutions`; this module only
dispatches, so the scenario language and the engine stay in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim import institutions as inst

if TYPE_CHECKING:
    from sim.engine import Model


def perform(m: Model, action: Any, cause: int | None) -> None:
    kind = action.kind
    handler = _HANDLERS[kind]
    handler(m, action, cause)


def _election(m: Model, a: Any, cause: int | None) -> None:
    inst.hold_election(m, a.law, cause, declared=a.results == "declared")


def _change_law(m: Model, a: Any, cause: int | None) -> None:
    if m.state.law != a.law:
        m.emit("law_changed", None, {"law": a.law}, cause,
               f"The election law becomes {m.law_name(a.law)}.")


def _propose_law(m: Model, a: Any, cause: int | None) -> None:
    inst.propose_law(m, a.actor, a.law, m.num(a.proposal), cause)


def _boycott(m: Model, a: Any, cause: int | None) -> None:
    on = a.kind == "start_boycott"
    if (a.actor in m.state.boycotting) == on:
        return
    text = (f"{m.name(a.actor)} withdraws from political life." if on
            else f"{m.name(a.actor)} ends the boycott and returns to politics.")
    m.emit("boycott_started" if on else "boycott_ended", a.actor,
           {"boycotting": {a.actor: on}}, cause, text)


def _alliance(m: Model, a: Any, cause: int | None) -> None:
    x, y = a.actors
    if a.kind == "form_alliance":
        w = max(m.state.relationship(x, y), m.num(a.strength))
        m.emit("alliance_formed", x, {"alliances": [[x, y, True]],
                                      "relationships": [[*sorted((x, y)), round(w, 4)]]},
               cause, f"{m.name(x)} and {m.name(y)} form an alliance.")
    else:
        w = min(m.state.relationship(x, y), 0.0)
        m.emit("alliance_broken", x, {"alliances": [[x, y, False]],
                                      "relationships": [[*sorted((x, y)), round(w, 4)]]},
               cause, f"The alliance of {m.name(x)} and {m.name(y)} breaks up.")


def _set_relationship(m: Model, a: Any, cause: int | None) -> None:
    x, y = a.actors
    m.set_relationship(x, y, m.num(a.weight), cause, "relationship_changed", None,
                       f"Relations between {m.name(x)} and {m.name(y)} are reset.")


def _shift_support(m: Model, a: Any, cause: int | None) -> None:
    inst.shift_support(m, a.actor, m.num(a.delta), cause, "support_changed",
                       f"Support for {m.name(a.actor)} shifts by {m.num(a.delta):+.3f}.")


def _mobilise(m: Model, a: Any, cause: int | None) -> None:
    inst.mobilise(m, a.actor, m.num(a.strength), cause)


def _clash(m: Model, a: Any, cause: int | None) -> None:
    inst.clash(m, a.actors[0], a.actors[1], cause)


def _sanction(m: Model, a: Any, cause: int | None) -> None:
    inst.sanction(m, a.target, a.kind == "sanction", cause)


def _assign_post(m: Model, a: Any, cause: int | None) -> None:
    inst.assign_post(m, a.post, a.holder, cause)


def _withdraw(m: Model, a: Any, cause: int | None) -> None:
    inst.withdraw(m, a.actor, cause)


def _set_policy(m: Model, a: Any, cause: int | None) -> None:
    params = {k: m.num(v) for k, v in a.params.items()}
    m.emit("policy_changed", a.actor, {"policy": {a.actor: params}}, cause,
           f"{m.name(a.actor)} changes course: "
           + ", ".join(f"{k.replace('_', ' ')} to {v:g}" for k, v in sorted(params.items()))
           + ".")


def _set_stance(m: Model, a: Any, cause: int | None) -> None:
    salience = m.num(a.salience) if a.salience is not None else None
    inst.set_stance(m, a.actor, a.issue, m.num(a.position), salience, cause)


_HANDLERS = {
    "election": _election,
    "change_law": _change_law,
    "propose_law": _propose_law,
    "start_boycott": _boycott,
    "end_boycott": _boycott,
    "form_alliance": _alliance,
    "break_alliance": _alliance,
    "set_relationship": _set_relationship,
    "shift_support": _shift_support,
    "mobilise": _mobilise,
    "clash": _clash,
    "sanction": _sanction,
    "lift_sanction": _sanction,
    "assign_post": _assign_post,
    "withdraw": _withdraw,
    "set_policy": _set_policy,
    "set_stance": _set_stance,
}
