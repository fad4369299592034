"""Dates as documents print them: one format, the cover's ("16 June 2021"), for every date shown.

``date_text`` is used for the outline's date (``Meta.date_text``) and, through
the templates' ``|date_text`` filter, for a source's ``date`` and ``accessed``,
so the report and the deck print the same text.
"""

from __future__ import annotations

import datetime
import re

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def date_text(date: datetime.date | str | None) -> str:
    """Return ``16 June 2021`` for a date or the text "2021-06-16", ``June 2021`` for "2021-06";
    any other text as given ("Spring 2021", "2021", a date that does not exist); "" for none."""
    if date is None:
        return ""
    if isinstance(date, str):
        day, month = _DAY.fullmatch(date), _MONTH.fullmatch(date)
        try:
            if day:
                date = datetime.date(int(day[1]), int(day[2]), int(day[3]))
            elif month:
                first = datetime.date(int(month[1]), int(month[2]), 1)
                return f"{first.strftime('%B')} {first.year}"
            else:
                return date
        except ValueError:  # 2021-02-30, 2021-13: not a date; printed as typed
            return date
    if not isinstance(date, datetime.date):
        return str(date)
    return f"{date.day} {date.strftime('%B')} {date.year}"
