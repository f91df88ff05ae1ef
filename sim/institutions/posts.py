"""Posts and sanctions: who holds a ministry or post, US sanctions, and the risk that a
sanctioned party in a security post brings sanctions on the state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.institutions.behaviour import value
from sim.institutions.knobs import knob
from sim.mechanics import sanctions
from sim.naming import post_name
from sim.schema.world import plain

if TYPE_CHECKING:
    from sim.context import Context


def assign_post(m: Context, post: str, holder: str | None, cause: int | None) -> None:
    s, w = m.state, m.world
    table = "ministries" if post in w.ministries else "posts"
    if getattr(s, table).get(post) == holder:
        return
    words = post_name(m.world, post)
    text = (f"{m.name(holder)} takes {words}." if holder
            else f"{words[:1].upper()}{words[1:]} falls vacant.")
    ev = m.emit("post_assigned", holder, {table: {post: holder}}, cause, text)
    security = (w.ministries[post].security if table == "ministries"
                else w.posts[post].kind == "security")
    if security and holder in s.sanctioned:
        check_state_sanctions(m, ev.id)


def sanction(m: Context, target: str, on: bool, cause: int | None) -> None:
    s = m.state
    if (target in s.sanctioned) == on:
        return
    power = m.world.roles.get("sanctioning_power")
    ev = m.emit("sanctioned" if on else "sanction_lifted", power, {"sanctioned": {target: on}},
                cause, f"The United States {'sanctions' if on else 'lifts sanctions on'} "
                       f"{m.name(target)}.")
    if on:
        check_state_sanctions(m, ev.id)


def check_state_sanctions(m: Context, cause: int) -> None:
    """A sanctioned party in a security post risks sanctions on Iraq as a whole."""
    s, w = m.state, m.world
    if s.state_sanctioned:
        return
    exposure = []
    scale = value(m, "sanctions.exposure_weight")
    for name, holder in s.ministries.items():
        if w.ministries[name].security:
            exposure.append((holder in s.sanctioned, plain(w.ministries[name].weight) / scale))
    for name, holder in s.posts.items():
        if w.posts[name].kind == "security":
            exposure.append((holder in s.sanctioned, plain(w.posts[name].weight) / scale))
    power = w.roles.get("sanctioning_power")
    if power is None:  # no power in this world sanctions anyone's state
        return
    hostility = max(0.0, -min((s.relationship(power, p) for p in s.government), default=0.0))
    risk = sanctions.combined_state_sanction_risk(
        exposure, hostility, knob(m, "sanction_base"),
        sensitivity=value(m, "sanctions.sensitivity"))
    if float(m.rng("sanctions").random()) < risk:
        m.emit("state_sanctioned", power, {"state_sanctioned": True}, cause,
               f"Washington extends sanctions to Iraqi state institutions (risk {risk:.0%}).")
