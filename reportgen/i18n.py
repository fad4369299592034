"""The words reportgen itself writes, in the document's language: a pack's ``strings.yaml``, dates through Babel.

Every fixed word of the documents ("Contents", "Page 3 of 12", "Table 2",
"Source:", "(cont.)", "Key takeaways", "Sources"...) is a key of ``KEYS``. A
pack's ``strings.yaml`` maps languages to texts (``fr: {agenda: Ordre du
jour, ...}``); a pack that extends another takes the texts it lacks from it,
and the built-in briefing pack's English is the last resort, so a missing
translation is never a hole: it is English, with a warning naming the keys.
``{n}``-style fields are the only formatting; each text must use the fields
its English does.

A language is a BCP 47 tag (``fr``, ``fr-CA``, ``de-AT``, ``ru``;
``is_language_tag`` tells a well-formed one); texts are looked up for the
whole tag, then its primary language. ``quotes`` is the language's quotation
marks (``quote_marks``), which straight quotes typed in the outline become. Dates are formatted
by Babel for the tag (``16 juin 2021``, ``16. Juni 2021``, ``16 июня 2021 г.``;
plain ``en`` as ``16 June 2021``, the form reportgen has always printed).
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import string
from dataclasses import dataclass, field

from .errors import InputError, Problem

STRINGS_FILE = "strings.yaml"
ENGLISH = "en"
# Every text reportgen writes by itself, with what it is for (the English is the briefing pack's strings.yaml).
KEYS = {
    "contents": "the report's contents heading",
    "executive_summary": "the report's first section",
    "bottom_line": "the bottom line up front: callout and slide title",
    "key_takeaways": "the summary's callout and slide title",
    "in_brief": "a section's points in the report",
    "sources": "the sources list's heading and slide title",
    "agenda": "the agenda slide's title",
    "part": "a section slide's subtitle: {n} of {total}",
    "page": "the report's page footer: {n} of {total}",
    "table": "a numbered table's label: {n}",
    "figure": "a numbered chart's or figure's label: {n}",
    "source": "before a table's or chart's source line",
    "source_one": "speaker notes: before the one source a slide cites",
    "source_many": "speaker notes: before the sources a slide cites",
    "notes": "speaker notes: before the slide's footnotes",
    "cont": "after a continued slide's title",
    "slide_of": "after a table's continued slide title: {n} of {total}",
    "accessed": "after a source's address: {date}",
    "shown_rows": "a slide table cut short: {shown} of {total} rows",
    "shown_columns": "a slide table cut short: {shown} of {total} columns",
    "shown_and": "joins shown_rows and shown_columns",
    "showing": "a slide table cut short: what it shows ({what}: the rows and columns) and where the whole table is",
    "closing": "the closing slide's title when the outline gives none",
    "note": "a callout with no title of its own",
    "quotes": "the quotation marks straight quotes typed in text become: opening, closing, inner opening, inner closing, a space between",
    "chart_bar": "a bar chart's text alternative (when the chart gives none): {title}, with its unit",
    "chart_stacked_bar": "a stacked bar chart's text alternative: {title}, with its unit",
    "chart_line": "a line chart's text alternative: {title}, with its unit",
    "chart_pie": "a pie chart's text alternative: {title}, with its unit",
}
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# A well-formed BCP 47 tag (RFC 5646 2.1): language (with extended subtags), script, region, variants, extensions,
# private use; or private use alone. The language is 2 or 3 letters: the 4-letter form is reserved and no 5-8 letter
# one is registered, so "english" or "russ" is refused; so are the grandfathered tags ("i-klingon").
_ALNUM = "[A-Za-z0-9]"
LANGUAGE_TAG = re.compile(
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3})"  # language, extlang
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-[Xx](?:-{_ALNUM}{{1,8}})+)?"  # private use
    rf"|[Xx](?:-{_ALNUM}{{1,8}})+"
)
QUOTES = "quotes"  # the key of a language's quotation marks


def english(key: str) -> str:
    """Return the built-in English text of ``key`` (the briefing pack's), read once."""
    return _builtin_english()[key]


def english_text(key: str, **values) -> str:
    """Return the built-in English text of ``key`` with ``values`` filled in (what a document without strings prints)."""
    text = english(key)
    return text.format(**values) if values else text


@functools.lru_cache(maxsize=1)
def _builtin_english() -> dict[str, str]:
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "packs", "briefing", STRINGS_FILE)
    return read_strings(here)[ENGLISH]


def is_language_tag(tag: str) -> bool:
    """Return whether ``tag`` is a well-formed BCP 47 language tag: ``ru``, ``fr-CA``, ``zh-Hant-TW``, ``de-CH-1996``."""
    return isinstance(tag, str) and LANGUAGE_TAG.fullmatch(tag) is not None


def quote_marks(text: str) -> tuple[str, str, str, str] | None:
    """Return the quotation marks a ``quotes`` text names (opening, closing, inner opening, inner closing: four marks
    with a space between, each of 1 to 4 characters, a no-break space U+00A0 or U+202F allowed beside the mark:
    ``«\u00a0 \u00a0» ‹\u00a0 \u00a0›``); None if it names no such four."""
    marks = text.split(" ") if isinstance(text, str) else []
    if len(marks) != 4 or not all(_mark(m) for m in marks):
        return None
    return marks[0], marks[1], marks[2], marks[3]


def _mark(mark: str) -> bool:
    bare = mark.strip(_NO_BREAK)
    return 0 < len(mark) <= 4 and bool(bare) and bare.isprintable()


_NO_BREAK = "\u00a0\u202f"


def fields(text: str) -> set[str]:
    """Return the ``{name}`` fields ``text`` formats."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def babel_locale(lang: str) -> str:
    """Return the Babel locale for BCP 47 ``lang``: ``fr_CA`` for ``fr-CA``; plain ``en`` as British English
    (day month year, as reportgen's dates have always read); an unknown language as English."""
    from babel import Locale, UnknownLocaleError

    if not lang or lang.lower() == ENGLISH:
        return "en_GB"
    tag = lang.replace("-", "_")
    try:
        return str(Locale.parse(tag))
    except (UnknownLocaleError, ValueError):
        try:
            return str(Locale.parse(tag.split("_")[0]))
        except (UnknownLocaleError, ValueError):
            return "en_GB"


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def date_text(date: datetime.date | str | None, lang: str = ENGLISH) -> str:
    """Return ``date`` as the documents print it in ``lang``: ``16 June 2021`` (a date, or the text "2021-06-16"),
    ``June 2021`` for "2021-06"; any other text as given ("Spring 2021", "2021", a date that does not exist); "" for none."""
    if date is None:
        return ""
    month_only = False
    if isinstance(date, str):
        day, month = _DAY.fullmatch(date), _MONTH.fullmatch(date)
        try:
            if day:
                date = datetime.date(int(day[1]), int(day[2]), int(day[3]))
            elif month:
                date, month_only = datetime.date(int(month[1]), int(month[2]), 1), True
            else:
                return date
        except ValueError:  # 2021-02-30, 2021-13: not a date; printed as typed
            return date
    if not isinstance(date, datetime.date):
        return str(date)
    from babel.dates import format_date, format_skeleton

    locale = babel_locale(lang)
    return format_skeleton("yMMMM", date, locale=locale) if month_only else format_date(date, "long", locale=locale)


@dataclass(frozen=True)
class Strings:
    """The fixed texts of one document: ``texts`` by key (English where the language has none), its language,
    and ``missing``: the keys that fell back to English."""

    lang: str
    texts: dict[str, str]
    missing: tuple[str, ...] = ()
    pack: str = ""
    languages: tuple[str, ...] = ()  # the languages the pack has texts in

    def __call__(self, key: str, **values) -> str:
        """Return the text of ``key`` with ``values`` filled in (``t("page", n=3, total=12)``)."""
        text = self.texts[key]
        return text.format(**values) if values else text

    @property
    def quotes(self) -> tuple[str, str, str, str]:
        """The quotation marks of this language (``quote_marks``): opening, closing, inner opening, inner closing."""
        return quote_marks(self.texts[QUOTES]) or ("“", "”", "‘", "’")

    def date(self, value) -> str:
        """Return ``value`` (a date, or YYYY-MM-DD / YYYY-MM text) as this language prints it."""
        return date_text(value, self.lang)

    def warning(self, file: str, line: int, col: int) -> Problem | None:
        """The warning for the keys that fell back to English, at the outline's ``lang:`` (None when none did)."""
        if not self.missing:
            return None
        if len(self.missing) == len(KEYS):
            what = f"no texts in {self.lang!r} (it has: {', '.join(self.languages)})"
        else:
            what = f"no {self.lang!r} text for {', '.join(repr(k) for k in self.missing)}"
        return Problem(file, line, col, f"the pack '{self.pack}' has {what}; English is used for them (add them to its {STRINGS_FILE})",
                       "lang", "warning", "strings-missing")


@dataclass
class Catalog:
    """A pack's texts by language (its own ``strings.yaml``, then its base's, then the built-in English)."""

    pack: str
    layers: list[dict[str, dict[str, str]]] = field(default_factory=list)

    def for_lang(self, lang: str) -> Strings:
        """Return the texts for ``lang`` (BCP 47), English for whatever no layer has in it."""
        tags = [lang.lower()] if lang else []
        if lang and "-" in lang:
            tags.append(lang.split("-")[0].lower())
        english = self._merged(ENGLISH)
        texts, missing = {}, []
        for key in KEYS:
            found = next((layer[tag][key] for tag in tags for layer in self.layers if key in layer.get(tag, {})), None)
            if found is None:
                found = english[key]
                if tags and tags[-1] != ENGLISH:
                    missing.append(key)
            texts[key] = found
        have = tuple(dict.fromkeys(tag for layer in self.layers for tag in layer))
        return Strings(lang or ENGLISH, texts, tuple(missing), self.pack, have)

    def _merged(self, tag: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for layer in reversed(self.layers):
            out.update(layer.get(tag, {}))
        return out


def read_strings(path: str) -> dict[str, dict[str, str]]:
    """Return the languages of the ``strings.yaml`` at ``path``: tag -> key -> text; ``InputError`` with every
    problem located (unknown key, a text that is not text, fields other than its English's)."""
    from .yamlsrc import read

    src = read(path)
    data = src.data
    if not isinstance(data, dict):
        raise InputError(src.problem((), "expected languages, each a mapping of texts: en: {contents: Contents, ...}"))
    problems: list[Problem] = []
    out: dict[str, dict[str, str]] = {}
    for tag, texts in data.items():
        if not isinstance(tag, str) or not _TAG.match(tag):
            problems.append(src.problem((tag,), f"expected a language tag such as en, fr or pt-BR, got {tag!r}", key=True))
            continue
        if not isinstance(texts, dict):
            problems.append(src.problem((tag,), "expected a mapping of texts: contents: ..., agenda: ..."))
            continue
        for key, text in texts.items():
            if key not in KEYS:
                problems.append(src.problem((tag, key), f"unknown text {key!r}; expected one of: {', '.join(KEYS)}", key=True))
            elif not isinstance(text, str):
                problems.append(src.problem((tag, key), f"expected text, got {type(text).__name__}"))
            elif key == QUOTES and quote_marks(text) is None:
                problems.append(src.problem((tag, key), "expected four quotation marks with a space between (opening, closing, inner opening, "
                                                        "inner closing), such as \"“ ” ‘ ’\" or \"«\\u00a0 \\u00a0» ‹\\u00a0 \\u00a0›\""))
        out[tag.lower()] = {k: v for k, v in texts.items() if k in KEYS and isinstance(v, str)}
    english = out.get(ENGLISH, {})
    for tag, texts in out.items():
        for key, text in texts.items():
            try:
                have = fields(text)
                want = fields(english[key]) if key in english and tag != ENGLISH else have
            except ValueError:
                problems.append(src.problem((tag, key), "a { or } that is not a field; write {{ or }} for a brace"))
                continue
            if want is not None and have != want:
                problems.append(src.problem((tag, key), f"uses the fields {sorted(have)}, expected {sorted(want)} (as its English does)"))
    if problems:
        raise InputError(problems)
    return out


def catalog(pack: str, folders: list[str]) -> Catalog:
    """Return the texts of pack ``pack`` from the ``strings.yaml`` of each of ``folders`` that has one, first first."""
    layers = [read_strings(os.path.join(f, STRINGS_FILE)) for f in folders if f and os.path.isfile(os.path.join(f, STRINGS_FILE))]
    return Catalog(pack, layers)
