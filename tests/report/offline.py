"""Static checks that a page is self-contained: nothing in it points at the network."""

from __future__ import annotations

import re

# Attributes and CSS that would make a browser fetch something.
RESOURCE = re.compile(
    r"""(?:\b(?:src|href|srcset|poster|data|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.IGNORECASE,
)


def external_references(html: str) -> list[str]:
    """Every place in ``html`` that would load a resource from elsewhere."""
    return [html[max(0, m.start() - 40): m.end() + 40] for m in RESOURCE.finditer(html)]


def any_url(html: str) -> list[str]:
    """Any http(s) address at all, except XML namespace names (never fetched)."""
    return re.findall(r"https?://(?!www\.w3\.org/(?:2000/svg|1999/xlink))[^\s\"'<>]+", html)
