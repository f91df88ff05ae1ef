"""Relationships moved by events: the one way behaviours and actions change who gets on with
whom (a clipped, rounded weight; no event when nothing changes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.state import pair

if TYPE_CHECKING:
    from sim.context import Context
    from sim.events import Event


def set_relationship(m: Context, a: str, b: str, weight: float, cause: int | None, kind: str,
                     actor: str | None, text: str) -> Event | None:
    """Set the a-b weight (clipped to [-1, 1], 4 decimals); None when it would not change."""
    w = round(max(-1.0, min(1.0, weight)), 4)
    if w == round(m.state.relationship(a, b), 4):
        return None
    return m.emit(kind, actor, {"relationships": [[*pair(a, b), w]]}, cause, text)


def shift_relationship(m: Context, a: str, b: str, delta: float, cause: int | None, kind: str,
                       actor: str | None, text: str) -> Event | None:
    """Move the a-b weight by `delta` (see `set_relationship`)."""
    return set_relationship(m, a, b, m.state.relationship(a, b) + delta, cause, kind, actor,
                            text)
