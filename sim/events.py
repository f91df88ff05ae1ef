"""Events: the only way state changes.

An event is a small slots dataclass (not a pydantic model: the engine makes thousands).  Its
`payload` carries the state changes in a fixed vocabulary (see `sim.state.APPLY`), plus any
descriptive fields; `cause` is the id of the earlier event that led to it.  The log is written
as JSON lines with sorted keys, so one seed gives one byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True, frozen=True)
class Event:
    id: int
    t: float
    kind: str
    actor: str | None
    payload: dict[str, Any]
    cause: int | None
    text: str = ""

    def as_dict(self, start: dt.date) -> dict[str, Any]:
        return {
            "id": self.id,
            "t": self.t,
            "date": (start + dt.timedelta(days=int(self.t))).isoformat(),
            "kind": self.kind,
            "actor": self.actor,
            "payload": self.payload,
            "cause": self.cause,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(d["id"], float(d["t"]), d["kind"], d["actor"], d["payload"], d["cause"],
                   d.get("text", ""))


def to_jsonl(events: list[Event], start: dt.date) -> str:
    return "".join(json.dumps(e.as_dict(start), sort_keys=True, separators=(",", ":")) + "\n"
                   for e in events)


def from_jsonl(text: str) -> list[Event]:
    return [Event.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
