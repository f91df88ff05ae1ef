"""Actions typed in `sim serve` (by a teacher or a student): checked exactly as `sim validate`
checks a scenario, with errors located in the text as typed, and described in a few words for
the event that records them.  Used by `sim.serve.live` and `sim.serve.students`."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path
from typing import Any

from sim.errors import InputError, Problem
from sim.scenario import load_scenario, resolved
from sim.schema.scenario import Scenario

#: Where an intervention's text is said to come from in its one-line errors.
FORM = "<intervention>"
MAX_ACTION_CHARS = 4_000


def validate_action(scenario: Scenario, text: str, day: float = 0.0) -> Any:
    """The action in `text` (YAML of one scenario-language action), checked as `sim validate`.

    The text is written, indented, as the `do:` of one event in a scenario that `extends` the
    running one, and that file is loaded by `load_scenario`: every check `sim validate` makes
    applies, with its messages.  Problems are re-located to the text as typed (``FORM:LINE:COL:
    field: message``), so the form can show the same one-line errors.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(Problem(FORM, 1, 1, "", "empty: write one action, e.g. "
                                 "'kind: end_boycott' and 'actor: sadrists' on two lines"))
    if len(text) > MAX_ACTION_CHARS:
        raise InputError(Problem(FORM, 1, 1, "", f"too long ({len(text)} characters; "
                                 f"limit {MAX_ACTION_CHARS})"))
    parent = Path(resolved(scenario)["path"]).resolve()
    body = textwrap.indent(text.replace("\r\n", "\n").rstrip("\n"), "      ")
    prefix = f"extends: {_quote(str(parent))}\nevents:\n  - day: {day:g}\n    do:\n"
    with tempfile.TemporaryDirectory(prefix="sim-intervention-") as folder:
        path = Path(folder) / "intervention.yaml"
        path.write_text(prefix + body + "\n", encoding="utf-8")
        try:
            checked = load_scenario(path)
        except InputError as exc:
            lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
            raise InputError([_relocate(p, str(path), lines) for p in exc.problems]) from None
    return checked.events[-1].do


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _relocate(problem: Problem, path: str, lines: list[str]) -> Problem:
    """A problem in the wrapper file, as a problem in the text the user typed."""
    if problem.path != path:  # in the running scenario itself: cannot happen once it loaded
        return problem
    field = problem.field
    for head in ("events.0.do.", "events.0.do"):
        if field.startswith(head):
            field = field[len(head):]
            break
    line = max(problem.line - 4, 1)
    col = max(problem.col - 6, 1) if problem.line > 4 else 1
    if line > len(lines):  # at the end of the input (an unclosed bracket): its last line
        line, col = len(lines), len(lines[-1]) + 1
    message = problem.message
    if field.startswith("events") or field == "extends":
        field = ""
    return Problem(FORM, line, col, field, message)


def describe(action: Any) -> str:
    """A short plain description of an action for the intervention event's text."""
    parts = [action.kind.replace("_", " ")]
    for name in ("actor", "actors", "target", "law", "post", "holder"):
        value = getattr(action, name, None)
        if value:
            parts.append(", ".join(value) if isinstance(value, list) else str(value))
    return " ".join(parts)
