"""What a scenario event, a trigger or a policy can make happen.

Each action kind of the scenario language (declared with `@action` in `sim.schema.scenario`)
has one function here, registered with `@handles(kind)`, that turns it into events through
`Model.emit`; `check_handlers()` (run at import) fails at once if a declared kind has none.
Institutions (elections, government formation, protests, clashes, sanctions) live in
`sim.institutions`; this module only dispatches, so the scenario language and the engine stay
in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sim import institutions as inst
from sim.institutions.relations import set_relationship
from sim.naming import law_name

if TYPE_CHECKING:
    from sim.context import Context


Handler = Callable[["Context", Any, "int | None"], None]
_HANDLERS: dict[str, Handler] = {}


def handles(*kinds: str) -> Callable[[Handler], Handler]:
    """Register the function that performs these action kinds (declared in the schema with
    `@action`); `check_handlers` makes sure every declared kind has exactly one."""
    def register(fn: Handler) -> Handler:
        for kind in kinds:
            if kind in _HANDLERS:
                raise ValueError(f"action kind {kind!r} already has a handler")
            _HANDLERS[kind] = fn
        return fn
    return register


def perform(m: Context, action: Any, cause: int | None) -> None:
    _HANDLERS[action.kind](m, action, cause)


@handles("election")
def _election(m: Context, a: Any, cause: int | None) -> None:
    inst.hold_election(m, a.law, cause, declared=a.results == "declared")


@handles("change_law")
def _change_law(m: Context, a: Any, cause: int | None) -> None:
    if m.state.law != a.law:
        m.emit("law_changed", None, {"law": a.law}, cause,
               f"The election law becomes {law_name(m.world, a.law)}.")


@handles("propose_law")
def _propose_law(m: Context, a: Any, cause: int | None) -> None:
    inst.propose_law(m, a.actor, a.law, m.num(a.proposal), cause)


@handles("start_boycott", "end_boycott")
def _boycott(m: Context, a: Any, cause: int | None) -> None:
    on = a.kind == "start_boycott"
    if (a.actor in m.state.boycotting) == on:
        return
    text = (f"{m.name(a.actor)} withdraws from political life." if on
            else f"{m.name(a.actor)} ends the boycott and returns to politics.")
    m.emit("boycott_started" if on else "boycott_ended", a.actor,
           {"boycotting": {a.actor: on}}, cause, text)


@handles("form_alliance", "break_alliance")
def _alliance(m: Context, a: Any, cause: int | None) -> None:
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


@handles("set_relationship")
def _set_relationship(m: Context, a: Any, cause: int | None) -> None:
    x, y = a.actors
    set_relationship(m, x, y, m.num(a.weight), cause, "relationship_changed", None,
                       f"Relations between {m.name(x)} and {m.name(y)} are reset.")


@handles("shift_support")
def _shift_support(m: Context, a: Any, cause: int | None) -> None:
    inst.shift_support(m, a.actor, m.num(a.delta), cause, "support_changed",
                       f"Support for {m.name(a.actor)} shifts by {m.num(a.delta):+.3f}.")


@handles("mobilise")
def _mobilise(m: Context, a: Any, cause: int | None) -> None:
    inst.mobilise(m, a.actor, m.num(a.strength), cause)


@handles("clash")
def _clash(m: Context, a: Any, cause: int | None) -> None:
    inst.clash(m, a.actors[0], a.actors[1], cause)


@handles("sanction", "lift_sanction")
def _sanction(m: Context, a: Any, cause: int | None) -> None:
    inst.sanction(m, a.target, a.kind == "sanction", cause)


@handles("assign_post")
def _assign_post(m: Context, a: Any, cause: int | None) -> None:
    inst.assign_post(m, a.post, a.holder, cause)


@handles("withdraw")
def _withdraw(m: Context, a: Any, cause: int | None) -> None:
    inst.withdraw(m, a.actor, cause)


@handles("set_policy")
def _set_policy(m: Context, a: Any, cause: int | None) -> None:
    params = {k: m.num(v) for k, v in a.params.items()}
    m.emit("policy_changed", a.actor, {"policy": {a.actor: params}}, cause,
           f"{m.name(a.actor)} changes course: "
           + ", ".join(f"{k.replace('_', ' ')} to {v:g}" for k, v in sorted(params.items()))
           + ".")


@handles("set_stance")
def _set_stance(m: Context, a: Any, cause: int | None) -> None:
    salience = m.num(a.salience) if a.salience is not None else None
    inst.set_stance(m, a.actor, a.issue, m.num(a.position), salience, cause)


def check_handlers() -> None:
    """Every action kind the schema declares has a handler, and no handler a stray kind."""
    from sim.schema.scenario import ACTION_KINDS

    missing = sorted(set(ACTION_KINDS) - set(_HANDLERS))
    stray = sorted(set(_HANDLERS) - set(ACTION_KINDS))
    if missing or stray:
        raise RuntimeError(f"action kinds without a handler: {missing}; handlers for "
                           f"undeclared kinds: {stray}")


check_handlers()
