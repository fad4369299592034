"""Dates as documents print them: one format per language, the cover's ("16 June 2021"), for every date shown.

``date_text`` is the templates' ``|date_text`` filter (a source's ``date`` and
``accessed``): it formats in the document's language (``meta.lang``, through
``i18n.date_text`` and Babel), as the cover's date (``Meta.date_text``) is, so
the report and the deck print the same text.
"""

from __future__ import annotations

from jinja2 import pass_context

from ..i18n import date_text as date_in


@pass_context
def date_text(ctx, value) -> str:
    """Return ``value`` (a date, or YYYY-MM-DD / YYYY-MM text; other text as given) in the document's language."""
    meta = ctx.get("meta")
    return date_in(value, getattr(meta, "lang", "") or "en")
