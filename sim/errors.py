"""Errors a user can cause, and how they are shown.

Every mistake in a user's input (a scenario file, a CLI value, an output folder) becomes an
`InputError` that knows where it happened.  The CLI prints each one as a single line,
``PATH:LINE:COL: dotted.field.path: message``, and exits with status 2.  Nothing else in the
package prints tracebacks at users; anything that is not an `InputError` is our bug.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.teaching.text import clean


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a user's input."""

    path: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        field = clean(self.field or "<root>")
        message = clean(" ".join(self.message.split()))  # one line, no control codes
        return f"{clean(self.path)}:{self.line}:{self.col}: {field}: {message}"


class InputError(Exception):
    """The user's input is wrong; carries one or more located problems."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("<input>", 1, 1, "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str, field: str, message: str, line: int = 1, col: int = 1) -> InputError:
        return cls(Problem(str(path), line, col, field, message))

    @classmethod
    def cli(cls, option: str, message: str) -> InputError:
        """A bad command-line value: the 'path' is the command line itself."""
        return cls(Problem("<command line>", 1, 1, option, message))
