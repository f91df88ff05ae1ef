"""The world's numbers by provenance, read from its own dump (not through sim.summary's walker),
for the tests that check every number that drives behaviour is cited or listed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Parts of the world whose numbers are cited as a whole (the vote shares and the provincial
# records by their `source`, past events by theirs, a law's formula by the law's `source`) or
# drive nothing (display).
CITED_AS_A_WHOLE = re.compile(r"(votes|history|display)\..*|laws\.[^.]+\.(first_divisor|districts)")


@dataclass
class Numbers:
    assumed: list[str] = field(default_factory=list)  # Cited values or records by assumption
    bare: list[str] = field(default_factory=list)  # numbers with no provenance, not exempt


def world_numbers(dump: dict[str, Any]) -> Numbers:
    """Walk a world's `model_dump()`: a dict with a provenance is a Cited value (its numbers
    covered) or a record cited as a whole (a stance, a list's vote management: its own numbers
    covered, a Cited field inside keeps its own); any other number is bare."""
    found = Numbers()

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if any(node.get(k) for k in ("seed", "external", "assumption")):
                if node.get("assumption"):
                    found.assumed.append(path)
                for k, v in ([] if "value" in node else node.items()):
                    if isinstance(v, dict):
                        walk(v, f"{path}.{k}")
                return
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}.{i}")
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if not CITED_AS_A_WHOLE.fullmatch(path):
                found.bare.append(path)

    walk(dump, "")
    return found
