"""Compose: outline + template pack → document tree (``Report`` or ``Deck``).

The pack's Jinja2 templates render markup (autoescaped, sandboxed, strict
about undefined names); ``tree`` parses it into the nodes the writers read.
Template authors change the structure of a report or deck without Python.
"""

from __future__ import annotations

import os
import traceback

from .. import doctree as dt
from ..errors import InputError, Problem
from ..loader import Loaded, resolve_figure
from ..i18n import date_text  # noqa: F401  (the one date format: the cover's, per language; the templates' |date_text)
from ..i18n import QUOTES
from ..markup import Quotes, inline, quoted, strip_controls
from ..pack import Pack
from . import origin
from . import tree as _tree
from .decide import decide
from .env import BudgetExceeded, budget_for, environment, render


def meta_for(loaded: Loaded, pack: Pack, created: str = "") -> dt.Meta:
    """Return the document metadata of ``loaded`` styled by ``pack``."""
    o = loaded.outline
    theme = pack.theme
    strings = pack.strings(o.lang or theme.lang)
    marks = quotes_of(pack, strings.lang)  # the texts set plainly get the language's quotation marks too
    cites = loaded.cite_numbers()
    return dt.Meta(
        title=plain_markdown(o.title, cites, marks),
        subtitle=plain_markdown(o.subtitle, cites, marks),
        author=plain_markdown(o.author, cites, marks),
        date=o.date.isoformat() if o.date else "",
        date_text=strings.date(o.date),
        classification=o.classification or theme.marking.default,
        subject=quoted(o.subject or o.subtitle, marks),
        keywords=list(o.keywords),
        logo=theme.path(theme.logo) if theme.logo else "",
        created=created,
        lang=strings.lang,
        strings=dict(strings.texts),
    )


def plain_markdown(text: str, cites: dict[str, int], marks: Quotes) -> str:
    """Return the text of the inline Markdown ``text`` (a title, a subtitle, an author), its formatting dropped and its
    quotes the language's: what the PDF's cover, running header and metadata show, as the deck's slides show it set."""
    if not text:
        return ""
    try:
        return dt.plain(_tree.inlines(_tree.parse_markup(f"<t>{inline(text, cites, quotes=marks)}</t>")))
    except _tree.TreeError:  # (a link the loader refuses, for a caller that did not load it: the text as typed)
        return quoted(text, marks)


def quotes_of(pack: Pack, lang: str) -> Quotes:
    """Return the quotation marks straight quotes become in a document in ``lang``: the pack's ``quotes`` string of
    that language, and of each language it has them in (for spans in another language)."""
    others = tuple((tag, pack.strings(tag).quotes) for tag in pack.strings(lang).languages if QUOTES not in pack.strings(tag).missing)
    return Quotes(pack.strings(lang).quotes, others)


def template_context(loaded: Loaded, pack: Pack, meta: dt.Meta) -> dict:
    """Return what the templates see: the outline, the theme, the metadata, ``t`` (the pack's fixed texts in the
    document's language: ``t("agenda")``, ``t("part", n=2, total=5)``), the citation numbers, the Markdown memo and
    the quotation marks (``quotes_of``), which ``|inline``, ``|blocks`` and ``|cites`` read."""
    return dict(
        outline=loaded.outline,
        theme=pack.theme,
        meta=meta,
        t=pack.strings(meta.lang),
        cites=loaded.cite_numbers(),
        markup_memo=loaded.markup_memo,  # the report and the deck render the same texts
        quotes=quotes_of(pack, meta.lang),
    )


def compose(loaded: Loaded, pack: Pack, tree: str, created: str = "") -> dt.Report | dt.Deck:
    """Return the ``tree`` ("report" or "deck") for ``loaded`` through ``pack``'s templates."""
    name = pack.template_for(tree)
    env = environment(pack.folder, pack.base)
    shown = os.path.join(pack.folder, name)
    meta = meta_for(loaded, pack, created)
    budget = budget_for(loaded.source.data)  # a pack is hostile input: bounded time and memory (env.py)
    try:
        with budget.active():
            template = env.get_template(name)
            markup = render(
                template,
                budget,
                template_context(loaded, pack, meta),
            )
    except InputError:
        raise
    except (BudgetExceeded, RecursionError) as exc:  # located like any template error, worded as a budget
        where = _template_problem(exc, pack.folder, shown)
        message = str(exc) if isinstance(exc, BudgetExceeded) else "template budget exceeded: templates, macros or values nested too deep (the limit is Python's recursion limit)"
        raise InputError(Problem(where.file, where.line, where.col, message)) from None
    except Exception as exc:  # any template failure is the template's fault: locate it
        raise InputError(_template_problem(exc, pack.folder, shown)) from None

    def resolve(src: str) -> str:
        try:
            return resolve_figure(loaded.folder, src)
        except ValueError as err:
            raise _tree.TreeError(str(err)) from None

    root = None
    try:
        root = _tree.parse_markup(markup)
        doc = (_tree.report if tree == "report" else _tree.deck)(root, meta, _tree.Context(resolve))
    except _tree.TreeError as exc:
        raise InputError(_markup_problem(exc, root, markup, pack.folder, name)) from None
    decide(doc)  # numbering, column alignment, quotation marks, the sources list: once, for both writers
    return doc


def _markup_problem(exc: "_tree.TreeError", root, markup: str, folder: str, name: str) -> Problem:
    """Return ``exc``, an error in the rendered markup, at the template line that wrote it when that can be told (``origin``)."""
    line, tag = exc.line, ""
    if exc.element is not None and root is not None:
        tag = exc.element.tag
        path = origin.index_path(root, exc.element)
        if path is not None:
            line = origin.output_line(strip_controls(markup), path)
    where = origin.trace(folder, name, markup, line, tag)
    file = _shown(where.file)
    if where.line:
        return Problem(file, where.line, where.col, str(exc))
    if where.output_line and "output line" not in str(exc):
        return Problem(file, 0, 0, f"{exc} (at output line {where.output_line}: {_line_text(markup, where.output_line)!r})")
    return Problem(file, 0, 0, str(exc))


def _line_text(markup: str, line: int) -> str:
    lines = markup.splitlines()
    return lines[line - 1].strip()[:80] if 0 < line <= len(lines) else ""


def _shown(file: str) -> str:
    """Return ``file`` relative to the working folder when it is inside it (as errors show template files)."""
    if os.path.isabs(file):
        rel = os.path.relpath(file)
        return rel if not rel.startswith("..") else file
    return file


def _template_problem(exc: Exception, folder: str, shown: str) -> Problem:
    file, line = shown, 0
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    if lineno and filename:  # TemplateSyntaxError knows its place
        file, line = filename, lineno
    else:  # a runtime error: Jinja2 maps template frames to template lines
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                file, line = frame.filename, frame.lineno or 0
                break
    file = _shown(file)
    kind = type(exc).__name__
    what = {
        "UndefinedError": "undefined name",
        "TemplateSyntaxError": "template syntax error",
        "SecurityError": "unsafe operation refused by the sandbox",
        "TemplateNotFound": "template not found",
    }.get(kind, f"template error ({kind})")
    return Problem(file, line, 1 if line else 0, f"{what}: {exc}")
