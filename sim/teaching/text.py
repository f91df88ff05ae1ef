"""Names are data: make any user-supplied text safe to print on a terminal or in rich.

Party names come from the command line or a scenario file, so they may hold rich markup
(``[/bold]`` crashes rich, ``[link=...]`` makes a hyperlink) or control codes (``ESC]0;...``
retitles the terminal).  Everything printed goes through `clean` (control characters shown as
visible escapes) and, inside rich, as a `rich.text.Text` so markup is never parsed.
"""

from __future__ import annotations

import unicodedata
from typing import Any


def clean(text: object) -> str:
    """`text` with every control or format character replaced by a visible ``\\xNN`` escape."""
    out = []
    for ch in str(text):
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") and ch != " ":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def rich_text(text: object, style: str = "") -> Any:
    """A rich `Text` (never parsed as markup) of the cleaned text."""
    from rich.text import Text

    return Text(clean(text), style=style)


def markup(text: object) -> str:
    """The cleaned text escaped for a rich markup string (``f"[bold]{markup(name)}[/bold]"``),
    where a `Text` does not fit: printed literally, tags and all."""
    from rich.markup import escape

    return escape(clean(text))
