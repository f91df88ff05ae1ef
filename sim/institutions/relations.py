"""Relationships moved by events: the one way behaviours and actions change who gets on with
whom (a clipped, rounded weight; no event when nothing changes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.rounding import round4

if TYPE_CHECKING:
    from sim.context import Context
    from sim.events import Event


def set_relationship(m: Context, a: str, b: str, weight: float, cause: int | None, kind: str,
                     actor: str | None, text: str) -> Event | None:
    """Set the a-b weight (clipped to [-1, 1], 4 decimals); None when it would not change."""
    return _set(m, a, b, m.state.relationship(a, b), weight, cause, kind, actor, text)


def shift_relationship(m: Context, a: str, b: str, delta: float, cause: int | None, kind: str,
                       actor: str | None, text: str) -> Event | None:
    """Move the a-b weight by `delta` (see `set_relationship`)."""
    now = m.state.relationship(a, b)
    return _set(m, a, b, now, now + delta, cause, kind, actor, text)


def _set(m: Context, a: str, b: str, now: float, weight: float, cause: int | None, kind: str,
         actor: str | None, text: str) -> Event | None:
    """`set_relationship` given the weight `now` (read once: a few hundred calls a run)."""
    w = round4(max(-1.0, min(1.0, weight)))
    if w == round4(now):
        return None
    return m.emit(kind, actor, {"relationships": [[a, b, w] if a <= b else [b, a, w]]}, cause,
                  text)
