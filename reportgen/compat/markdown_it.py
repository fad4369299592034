"""markdown-it-py internals reportgen relies on, in one place (checked against markdown-it-py 4.3.0).

``smart_quotes`` runs markdown-it's own ``smartquotes`` algorithm (the core
rule its ``typographer`` option turns on) over a list of inline tokens with
the quotation marks given, rather than the one set of a parser's options:
``reportgen.markup`` gives each language its marks (a span in another
language has its own), and the rule as a whole cannot. ``INTERNALS`` lists
the names used; ``tests/compat/test_markdown_it.py`` fails when one no
longer exists or no longer does what is relied on.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from markdown_it.rules_core.smartquotes import process_inlines

CHECKED_AGAINST = "4.3.0"


class Internal(NamedTuple):
    """One name of markdown-it-py's that is not public API: where it lives, and what reportgen uses it for."""

    owner: str
    name: str
    use: str


INTERNALS: tuple[Internal, ...] = (
    Internal("markdown_it.rules_core.smartquotes", "process_inlines", "the smartquotes rule's work on one inline token's children"),
)


def smart_quotes(tokens: list, quotes: tuple[str, str, str, str]) -> None:
    """Make the straight quotes in the ``text`` tokens of ``tokens`` (one inline token's children) the typographic
    ``quotes`` (opening, closing, inner opening, inner closing) and each apostrophe ’, in place.

    Relies on ``process_inlines(tokens, state)`` of
    ``markdown_it/rules_core/smartquotes.py``, which pairs quotes of the same
    nesting level across tokens, skips every token that is not ``text``
    (code, escapes: they keep their straight quotes, yet still count as the
    neighbours of a quote) and reads nothing of ``state`` but
    ``state.md.options.quotes``; checked against markdown-it-py 4.3.0.
    """
    process_inlines(tokens, SimpleNamespace(md=SimpleNamespace(options=SimpleNamespace(quotes=quotes))))
