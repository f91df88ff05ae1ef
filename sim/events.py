"""Events: the only way state changes.

An event is a small slots dataclass (not a pydantic model: the engine makes thousands; and not
frozen either: a frozen dataclass sets each field through `object.__setattr__`, which made
building an event five times dearer, a twentieth of a run; nothing changes an event once made).
It keeps two dictionaries apart: `changes`, the state changes in a fixed vocabulary (the keys of
`sim.state.APPLY`, and nothing else: the engine refuses an unknown key), and `details`, free
description for narration, explanation and reports, which is never folded into the state.
Keeping them apart means a descriptive field can never move the state by sharing a name with the
vocabulary. `cause` is the id of the earlier event that led to it. The log is written as JSON
lines with sorted keys, so one seed gives one byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

#: The version of the events.jsonl line format, recorded in every run's manifest.
#: 1: one `payload` mixing state changes and description; 2: `changes` and `details` apart.
LOG_FORMAT = 2


@dataclass(slots=True)
class Event:
    id: int
    t: float
    kind: str
    actor: str | None
    changes: dict[str, Any]
    cause: int | None
    text: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, start: dt.date) -> dict[str, Any]:
        return {
            "id": self.id,
            "t": self.t,
            "date": (start + dt.timedelta(days=int(self.t))).isoformat(),
            "kind": self.kind,
            "actor": self.actor,
            "changes": self.changes,
            "details": self.details,
            "cause": self.cause,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(d["id"], float(d["t"]), d["kind"], d["actor"], d["changes"], d["cause"],
                   d.get("text", ""), d.get("details") or {})


def to_jsonl(events: list[Event], start: dt.date) -> str:
    return "".join(json.dumps(e.as_dict(start), sort_keys=True, separators=(",", ":")) + "\n"
                   for e in events)


def from_jsonl(text: str) -> list[Event]:
    return [Event.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
