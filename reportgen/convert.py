"""Write an outline in the other form: YAML ↔ Markdown (``reportgen convert``).

``to_yaml`` and ``to_markdown`` are pure functions of a validated ``Outline``.
YAML comes out as ``inputs/summit.yaml`` is written: the model's field order,
block style (rows, columns and categories as flow lists), defaults left out,
text plain unless YAML needs quotes (``"no"``, ``"1.10"``, ``": x"``,
``"@id"`` are quoted, so every YAML tool reads them as text too), prose as
``|`` blocks and long one-line text folded (``>-``). Markdown comes out in
the dialect ``mdsource`` reads (README "Writing in Markdown"): front matter
for the outline's own fields and the sources as CSL ``references``, ``#``
and ``##`` headings, points as bullets, bodies copied as written (in a
``::: body`` div only when a bullet list, quote or other block in it would
otherwise be read as something else), tables as pipe tables (grid tables
when a cell holds a ``|``), chart and key figures as YAML in fenced blocks.

``convert`` does the rest of the command: figure paths made relative to the
new file's folder, and a check that the text written reads back into the
same outline (``canonical``: in Markdown a body or notes end with one line
break), else a located error naming each field that would change. ``write``
writes the file atomically, replacing no file unless asked, never through a
link.
"""

from __future__ import annotations

import datetime
import errno
import io
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass

import yaml
from pydantic import BaseModel

from .errors import InputError, OutputError, Problem
from .outline import Outline, Section, Subsection

FORMS = {"md": ".md", "yaml": ".yaml"}
NAMES = {"md": "Markdown", "yaml": "YAML"}
WIDTH = 76  # folded text is wrapped to lines of at most this many characters (where a single space allows)

# --- YAML: scalars ----------------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_EMITTER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def _plain_ok(text: str, flow: bool = False) -> bool:
    """Whether ``text`` can stand unquoted (in a flow list when ``flow``) and every YAML reader takes it as text."""
    if not text or _BREAKS.search(text):
        return False
    found = _EMITTER.analyze_scalar(text)
    allowed = found.allow_flow_plain if flow else found.allow_block_plain
    return allowed and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR


def scalar(text: str, flow: bool = False) -> str:
    """Return ``text`` as a YAML scalar on one line: plain where YAML allows it, else double-quoted."""
    if _plain_ok(text, flow):
        return text
    return yaml.dump(text, default_style='"', allow_unicode=True, width=10**9).rstrip("\n")


def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _literal(head: str, text: str, indent: int) -> list[str]:
    """``head: |`` and ``text`` under it, ``indent`` spaces in; chomping and indentation indicators as needed."""
    hints = str(2) if text[:1] in (" ", "\n") else ""
    if not text.endswith("\n"):
        hints += "-"
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    pad = " " * indent
    return [f"{head} |{hints}"] + [pad + line if line else "" for line in lines]


def _folded(head: str, text: str, indent: int) -> list[str] | None:
    """``head: >-`` and ``text`` wrapped under it, or None when folding could not give back ``text`` exactly."""
    if text != text.strip() or "\t" in text or not _EMITTER.analyze_scalar(text).allow_block:
        return None
    room = max(WIDTH - indent, 20)
    lines, start, last_break = [], 0, -1
    k = 0
    while k < len(text):
        if text[k] == " " and 0 < k < len(text) - 1 and text[k - 1] != " " and text[k + 1] != " ":
            if k - start > room and last_break > start:
                lines.append(text[start:last_break])
                start = last_break + 1
            last_break = k
        k += 1
    if len(text) - start > room and last_break > start:
        lines.append(text[start:last_break])
        start = last_break + 1
    lines.append(text[start:])
    if len(lines) == 1:
        return None
    return [f"{head} >-"] + [" " * indent + line for line in lines]


def _text(head: str, text: str, indent: int, fold: bool) -> list[str]:
    """Lines giving ``head`` (``key:`` or ``-``) the text ``text``; block content ``indent`` spaces in."""
    if _BREAKS.search(text):
        # a literal block, unless it would need keep chomping (|+: blank lines after it would be its own) or YAML refuses it
        if text.strip("\n") and not text.endswith("\n\n") and _EMITTER.analyze_scalar(text).allow_block and not re.search("[\r\x85\u2028\u2029]", text):
            return _literal(head, text, indent)
        return [f"{head} {scalar(text)}"]
    if fold and len(head) + 1 + len(text) > WIDTH:
        folded = _folded(head, text, indent)
        if folded:
            return folded
    return [f"{head} {scalar(text)}"]


# --- YAML: the tree ----------------------------------------------------------------------
# Nodes: ("map", [(key, node)]), ("seq", [node], spaced), ("flow", [scalar text]), ("text", str, fold), ("raw", str).


def _emit_map(entries: list, indent: int, out: list[str], first: str | None = None, spaced: frozenset = frozenset()) -> None:
    for i, (key, node) in enumerate(entries):
        if key in spaced and i > 0:
            out.append("")
        head = (first if i == 0 and first is not None else " " * indent) + scalar(key) + ":"
        _emit_value(head, node, indent, out)


def _emit_value(head: str, node: tuple, indent: int, out: list[str]) -> None:
    kind = node[0]
    if kind == "raw":
        out.append(f"{head} {node[1]}")
    elif kind == "flow":
        out.append(f"{head} [{', '.join(node[1])}]")
    elif kind == "text":
        out.extend(_text(head, node[1], indent + 2, node[2]))
    elif kind == "map":
        if not node[1]:
            out.append(f"{head} {{}}")
        else:
            out.append(head)
            _emit_map(node[1], indent + 2, out)
    else:  # seq
        out.append(head)
        _emit_seq(node[1], indent + 2, out, node[2])


def _emit_seq(items: list, indent: int, out: list[str], spaced: bool = False) -> None:
    dash = " " * indent + "-"
    for i, item in enumerate(items):
        if spaced and i > 0:
            out.append("")
        if item[0] == "map":
            _emit_map(item[1], indent + 2, out, first=dash + " ")
        else:
            _emit_value(dash, item, indent, out)


def emit(entries: list, spaced: frozenset = frozenset()) -> str:
    """Return the YAML block mapping of ``entries`` (``(key, node)`` pairs), one blank line before each key in ``spaced``."""
    out: list[str] = []
    _emit_map(entries, 0, out, spaced=spaced)
    return "\n".join(out) + "\n"


def _flow(items: list[str]) -> tuple:
    return ("flow", [scalar(x, flow=True) for x in items])


def _texts(items: list[str], fold: bool = False) -> tuple:
    return ("seq", [("text", x, fold) for x in items], False)


_FOLD = {"bottom_line", "body", "notes", "text", "summary"}  # long one-line prose is folded (>-)
_FLOW = {"columns", "categories", "align", "values"}  # short items: [a, b, c]
_BLOCK_TEXT = {"keywords", "summary", "points"}  # a list of texts, one per line


def _node(name: str, value: object) -> tuple:
    """Return the YAML node of outline field ``name`` holding ``value``."""
    if isinstance(value, BaseModel):
        return ("map", _entries(value))
    if isinstance(value, datetime.date):
        return ("raw", value.isoformat())
    if isinstance(value, bool):  # pragma: no cover - the outline has no true/false field
        return ("raw", "true" if value else "false")
    if isinstance(value, int):
        return ("raw", str(value))
    if isinstance(value, str):
        return ("text", value, name in _FOLD)
    if isinstance(value, list):
        if name == "values":
            return ("flow", [_number(v) for v in value])
        if name in _FLOW:
            return _flow(value)
        if name == "rows":
            return ("seq", [_flow(row) for row in value], False)
        if name in _BLOCK_TEXT or (name == "text" and all(isinstance(x, str) for x in value)):
            return _texts(value, fold=name in _FOLD)
        return ("seq", [_node(name, x) for x in value], name in ("sections", "subsections"))
    raise TypeError(f"cannot write {name}={value!r}")  # pragma: no cover


def _entries(model: BaseModel) -> list:
    """Return (key, node) of each field of ``model`` that is not its default (required ones always), in the model's order."""
    out = []
    fields = type(model).model_fields
    order = [n for n in fields if n != "subsections"] + (["subsections"] if "subsections" in fields else [])
    for name in order:
        value = getattr(model, name)
        info = fields[name]
        if not info.is_required() and value == info.get_default(call_default_factory=True):
            continue
        out.append((name, _node(name, value)))
    return out


def to_yaml(outline: Outline) -> str:
    """Return ``outline`` as YAML, as ``inputs/summit.yaml`` is written; ``yamlsrc`` reads it back into the same outline."""
    return emit(_entries(outline), spaced=frozenset({"bottom_line", "summary", "sections", "sources", "closing"}))


# --- Markdown ------------------------------------------------------------------------------


def _block(text: str) -> str:
    text = text.strip("\n")
    return text + "\n" if text.strip() else ""


def _canonical_part(part):
    update = {"body": _block(part.body), "notes": _block(part.notes)}
    if isinstance(part, Section):
        update["subsections"] = [_canonical_part(s) for s in part.subsections]
    return part.model_copy(update=update)


def canonical(outline: Outline) -> Outline:
    """Return ``outline`` as Markdown holds it: each body and notes ending with one line break (or empty)."""
    return outline.model_copy(update={"sections": [_canonical_part(s) for s in outline.sections]})


def _attr(value: str) -> str:
    """Return an attribute value as pandoc writes it: bare when it can be, else quoted."""
    if re.fullmatch(r"[^\s\"'{}=]+", value):
        return value
    return f"'{value}'" if '"' in value and "'" not in value else f'"{value}"'


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return "{" + " ".join(f"{k}={_attr(v)}" for k, v in pairs) + "}"


def _ends_in_attributes(text: str) -> bool:
    return text.rstrip().endswith(("}", "#"))


def _heading(part: Subsection, level: int) -> str:
    line = "#" * level + " " + part.title
    if part.layout:
        line += " " + _attrs([("layout", part.layout)])
    elif _ends_in_attributes(part.title) or not part.title.strip():
        line += " {}"  # an empty attribute list: the title's own last characters stay its text
    return line


def _indent_lines(text: str, pad: str) -> str:
    return text.replace("\n", "\n" + pad)


def _front_matter(outline: Outline) -> str:
    o = outline
    entries: list = [("title", ("text", o.title, False))]
    if o.subtitle:
        entries.append(("subtitle", ("text", o.subtitle, False)))
    if o.author:
        entries.append(("author", ("text", o.author, False)))
    if o.date:
        entries.append(("date", ("raw", o.date.isoformat())))
    for name in ("lang", "classification", "template", "subject"):
        if getattr(o, name):
            entries.append((name, ("text", getattr(o, name), False)))
    if o.keywords:
        entries.append(("keywords", _texts(o.keywords)))
    if o.bottom_line:
        one_paragraph = o.bottom_line == o.bottom_line.strip() and not re.search(r"\n[ \t]*\n", o.bottom_line)
        entries.append(("abstract" if one_paragraph else "bottom_line", ("text", o.bottom_line, True)))
    if o.summary:
        entries.append(("summary", _texts(o.summary, fold=True)))
    if o.closing:
        entries.append(("closing", _node("closing", o.closing)))
    if o.sources:
        ids = [s.id for s in o.sources]
        if all(ids) and len(set(ids)) == len(ids):
            entries.append(("references", ("seq", [("map", _reference(s)) for s in o.sources], False)))
            from .bibliography import cited_ids

            if set(ids) - cited_ids(o.model_dump(exclude={"sources"})):
                entries.append(("nocite", ("text", "@*", False)))  # every reference is a source, cited or not
        else:  # a source without an id (or a repeated one) is no CSL item: reportgen's own field
            entries.append(("sources", _node("sources", o.sources)))
    return "---\n" + emit(entries) + "---"


_ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _reference(source) -> list:
    """Return the CSL item of ``source`` (what ``bibliography._csl`` reads back into it)."""
    entries: list = [("id", ("text", source.id, False)), ("title", ("text", source.title, False))]
    if source.url:
        entries.append(("URL", ("text", source.url, False)))
    if source.publisher:
        entries.append(("publisher", ("text", source.publisher, False)))
    if source.date:
        if _ISO.fullmatch(source.date):
            entries.append(("issued", ("raw", source.date)))  # read as text, as written
        else:
            entries.append(("issued", ("raw", "{literal: " + scalar(source.date, flow=True) + "}")))
    if source.accessed:
        entries.append(("accessed", ("raw", source.accessed.isoformat())))
    return entries


def _cells_table(table) -> str:
    """Return ``table`` as a pipe table, or a grid table when a cell holds a ``|`` or ends in a backslash."""
    cells = [list(table.columns)] + [list(r) for r in table.rows]
    grid = any("|" in c or c.endswith("\\") for row in cells for c in row)
    n = len(table.columns)
    widths = [max(3, *(len(row[c]) for row in cells if c < len(row))) for c in range(n)]
    marks = {"left": (":", "-"), "right": ("-", ":"), "center": (":", ":")}
    if grid:
        def border(fill: str, colons: bool) -> str:
            segs = []
            for c in range(n):
                seg = [fill] * (widths[c] + 2)
                if colons and table.align:
                    left, right = marks[table.align[c]]
                    seg[0], seg[-1] = (":" if left == ":" else fill), (":" if right == ":" else fill)
                segs.append("".join(seg))
            return "+" + "+".join(segs) + "+"

        def row_line(row: list[str]) -> str:
            return "|" + "|".join(" " + (row[c] if c < len(row) else "").ljust(widths[c]) + " " for c in range(n)) + "|"

        lines = [border("-", False), row_line(cells[0]), border("=", True)]
        for row in cells[1:]:
            lines += [row_line(row), border("-", False)]
        return "\n".join(lines)
    widths = [w if w <= 40 else 3 for w in widths]

    def pad(text: str, c: int) -> str:
        how = table.align[c] if table.align else "left"
        return text.rjust(widths[c]) if how == "right" else text.center(widths[c]) if how == "center" else text.ljust(widths[c])

    def pipe_row(row: list[str]) -> str:
        return "| " + " | ".join(pad(row[c] if c < len(row) else "", c) for c in range(n)) + " |"

    delims = []
    for c in range(n):
        if table.align:
            left, right = marks[table.align[c]]
            delims.append(left + "-" * widths[c] + right)
        else:
            delims.append("-" * (widths[c] + 2))
    lines = [pipe_row(cells[0]), "|" + "|".join(delims) + "|"] + [pipe_row(r) for r in cells[1:]]
    return "\n".join(lines)


def _names(names: list[str]) -> str:
    return ", ".join(n.replace("\\", "\\\\").replace(",", "\\,") for n in names)


def _table(table) -> str:
    text = _cells_table(table)
    pairs: list[tuple[str, str]] = []
    if table.source:
        pairs.append(("source", table.source))
    if table.slides is not None:
        if table.slides.columns or table.slides.rows is None:
            pairs.append(("slides-columns", _names(table.slides.columns)))
        if table.slides.rows is not None:
            pairs.append(("slides-rows", str(table.slides.rows)))
    if table.layout:
        pairs.append(("layout", table.layout))
    caption = table.caption
    if pairs:
        caption = (caption + " " if caption else "") + _attrs(pairs)
    elif _ends_in_attributes(caption):
        caption += " {}"
    return text + ("\n\nTable: " + caption if caption else "")


def _fenced(kind: str, yaml_text: str) -> str:
    fence = "```"
    while any(line.lstrip().startswith(fence) for line in yaml_text.split("\n")):
        fence += "`"
    return f"{fence}{kind}\n{yaml_text}{fence}"


def _figure(figure) -> str:
    path = figure.path if re.fullmatch(r"[^\s()<>\\]+", figure.path) else "<" + figure.path + ">"
    pairs = [("fig-alt", figure.alt)]
    if figure.layout:
        pairs.append(("layout", figure.layout))
    return f"![{figure.caption}]({path}){_attrs(pairs)}"


def _quote(quote) -> str:
    lines = ["> " + _indent_lines(quote.text, "> ")]
    if quote.attribution:
        lines.append("> — " + quote.attribution)
    text = "\n".join(lines)
    if quote.layout:
        text = "::: {.quote " + _attrs([("layout", quote.layout)])[1:] + "\n" + text + "\n:::"
    return text


def _div(kind: str, text: str) -> str:
    return f"::: {kind}\n{text.strip(chr(10))}\n:::"


def _part_blocks(part: Subsection, level: int, body_div: bool) -> list[str]:
    blocks = [_heading(part, level)]
    if part.points:
        blocks.append("\n".join("- " + _indent_lines(p, "  ") for p in part.points))
    body = part.body.strip("\n")
    if body.strip():
        blocks.append(_div("body", body) if body_div else body)
    if part.key_figures:
        blocks.append(_fenced("key-figures", "\n".join(_kf_lines(part.key_figures)) + "\n"))
    if part.table:
        blocks.append(_table(part.table))
    if part.chart:
        blocks.append(_fenced("chart", emit(_entries(part.chart))))
    if part.figure:
        blocks.append(_figure(part.figure))
    if part.quote:
        blocks.append(_quote(part.quote))
    if part.notes.strip():
        blocks.append(_div("notes", part.notes))
    return blocks


def _kf_lines(figures) -> list[str]:
    out: list[str] = []
    _emit_seq([("map", _entries(k)) for k in figures], 0, out)
    return out


def _as_subsection(part: Subsection) -> Subsection:
    """Return a section's own part (no subsections), or ``part`` itself."""
    if type(part) is Subsection:
        return part
    return Subsection.model_construct(**{k: getattr(part, k) for k in Subsection.model_fields})


def _reads_back(part: Subsection, body_div: bool) -> list[str] | None:
    """Return the warnings of ``part`` written alone in Markdown, if it reads back into itself; else None."""
    from .mdsource import parse

    text = "---\ntitle: x\n---\n\n" + "\n\n".join(_part_blocks(part, 1, body_div)) + "\n"
    try:
        src = parse(text, "part.md")
        got = Subsection.model_validate(src.data["sections"][0])
    except (InputError, ValueError, KeyError, IndexError):
        return None
    return [w.message for w in src.warnings] if got == _canonical_part(part) else None


def _body_in_div(part: Subsection) -> bool:
    """Whether ``part``'s body must stand in a ``::: body`` div: written plainly it would read back otherwise (a bullet
    list as points, a quote as the pull quote, a table as the table, ...), or with warnings the div does not give."""
    if not part.body.strip():
        return False
    plain = _reads_back(part, False)
    if plain == []:
        return False
    if plain is None:
        return True
    div = _reads_back(part, True)
    return div is not None and not Counter(plain) <= Counter(div)


def to_markdown(outline: Outline) -> str:
    """Return ``outline`` in pandoc's Markdown as ``mdsource`` reads it (into ``canonical(outline)``)."""
    blocks = [_front_matter(outline)]
    for section in outline.sections:
        own = _as_subsection(section)
        blocks += _part_blocks(own, 1, _body_in_div(own))
        for sub in section.subsections:
            blocks += _part_blocks(sub, 2, _body_in_div(sub))
    return "\n\n".join(blocks) + "\n"


# --- converting a file -------------------------------------------------------------------


def form_of(path: str) -> str:
    """Return ``md`` or ``yaml``: the form of the outline file at ``path``, by its extension (as the loader reads it)."""
    from .loader import MARKDOWN_SUFFIXES

    return "md" if os.path.splitext(path)[1].lower() in MARKDOWN_SUFFIXES else "yaml"


def other(form: str) -> str:
    return "yaml" if form == "md" else "md"


def target(path: str, to: str | None, out: str | None) -> tuple[str, str | None]:
    """Return (form, file to write; None for standard output) of converting ``path`` ``to`` a form, ``out`` as given."""
    if out == "-":
        return to or other(form_of(path)), None
    stem = os.path.splitext(os.path.basename(path))[0]
    if out is not None and os.path.isdir(out):
        form = to or other(form_of(path))
        return form, os.path.join(out, stem + FORMS[form])
    if out is not None:
        ext = os.path.splitext(out)[1].lower()
        named = "md" if ext in (".md", ".markdown") else "yaml" if ext in (".yaml", ".yml") else None
        if named is None:
            raise InputError(Problem(out, 0, 0, "--out: name the file .md (or .markdown) for Markdown or .yaml (or .yml) for YAML; reportgen reads an outline's form from its extension"))
        if to and to != named:
            raise InputError(Problem(out, 0, 0, f"--out names a {NAMES[named]} file but --to asks for {NAMES[to]}; name it {stem}{FORMS[to]}"))
        return named, out
    form = to or other(form_of(path))
    return form, os.path.splitext(path)[0] + FORMS[form]


def relocate(outline: Outline, source, folder: str, new_folder: str) -> Outline:
    """Return ``outline`` with each figure path relative to ``new_folder`` instead of ``folder``; ``InputError`` (located
    at each figure) if a figure would lie outside ``new_folder``, where the loader would not read it."""
    base, new = os.path.realpath(folder or "."), os.path.realpath(new_folder or ".")
    if base == new:
        return outline
    problems: list[Problem] = []

    def moved(part, where: tuple):
        if not part.figure:
            return part
        full = os.path.normpath(os.path.join(base, part.figure.path))
        rel = os.path.relpath(full, new)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            problems.append(source.problem(where + ("figure", "path"), f"figure {part.figure.path!r} would be outside the new file's folder "
                                           f"({new_folder or '.'}), where it cannot be read; write the new file in {folder or '.'} or a folder above it, or move the figure"))
            return part
        return part.model_copy(update={"figure": part.figure.model_copy(update={"path": rel.replace(os.sep, "/")})})

    sections = []
    for i, sec in enumerate(outline.sections):
        sec = moved(sec, ("sections", i))
        subs = [moved(sub, ("sections", i, "subsections", j)) for j, sub in enumerate(sec.subsections)]
        sections.append(sec.model_copy(update={"subsections": subs}))
    if problems:
        raise InputError(problems)
    return outline.model_copy(update={"sections": sections})


def read_back(text: str, form: str, file: str):
    """Return the ``Source`` and validated outline of outline ``text`` in ``form`` (as if read from ``file``)."""
    from . import mdsource, yamlsrc
    from .validate import validate

    src = mdsource.parse(text, file) if form == "md" else yamlsrc.parse(text, file)
    return src, validate(Outline, src)


def differences(want: object, got: object, path: tuple = ()) -> list[tuple[tuple, object]]:
    """Return (path, what ``got`` holds there) of each outline field where ``got`` differs from ``want``."""
    if isinstance(want, BaseModel) and isinstance(got, BaseModel) and type(want) is type(got):
        out = []
        for name in type(want).model_fields:
            out += differences(getattr(want, name), getattr(got, name), path + (name,))
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        out = []
        for i, (a, b) in enumerate(zip(want, got)):
            out += differences(a, b, path + (i,))
        return out
    return [] if want == got else [(path, got)]


def _at(value: object, path: tuple) -> object:
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


@dataclass
class Converted:
    text: str
    form: str
    dest: str | None  # None: standard output
    warnings: list[Problem]  # what loading the new file will warn of


def convert(loaded, to: str | None = None, out: str | None = None) -> Converted:
    """Return the outline ``loaded`` written in the form ``to`` for ``out`` (``target``), checked to read back into the
    same outline; ``InputError`` located in the input for each field it cannot hold as it is."""
    from .loader import parse_path
    from .validate import describe

    form, dest = target(loaded.path, to, out)
    outline = loaded.outline
    if dest is not None:
        outline = relocate(outline, loaded.source, os.path.dirname(loaded.path), os.path.dirname(dest))
    text = to_markdown(outline) if form == "md" else to_yaml(outline)
    want = canonical(outline) if form == "md" else outline
    shown = dest or "(standard output)"
    try:
        src, got = read_back(text, form, shown)
    except InputError as exc:
        raise InputError([loaded.source.problem(parse_path(p.path), f"cannot be written in {NAMES[form]} as it is: {p.message}") if p.path
                          else Problem(loaded.path, 0, 0, f"cannot be written in {NAMES[form]}: {p}") for p in exc.problems]) from None
    diffs = differences(want, got)
    if diffs:
        problems = []
        for path, value in diffs:
            was = _at(want, path)
            shown = f"{len(value)} items instead of {len(was)}" if isinstance(value, list) and isinstance(was, list) else describe(value)
            problems.append(loaded.source.problem(path, f"cannot be written in {NAMES[form]} as it is: it would read back as {shown}"))
        raise InputError(problems)
    return Converted(text, form, dest, list(src.warnings))


def write(final: str, text: str, force: bool = False) -> None:
    """Write ``text`` to ``final`` atomically (a temp file beside it, renamed into place); ``OutputError`` if ``final`` is a
    link or not a regular file, or exists and ``force`` is not given, or cannot be written."""
    from .build.outdir import discard
    from .safety import output_error, temp_file

    try:
        st = os.lstat(final)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise output_error(final, exc) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise OutputError(Problem(final, 0, 0, f"is a symbolic link (to {os.readlink(final)}); convert writes only a regular file, never through a link: name another --out"))
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, pipe or socket)"
            raise OutputError(Problem(final, 0, 0, f"is {kind}; name a file to write"))
        if not force:
            raise OutputError(Problem(final, 0, 0, "already exists; convert replaces no file unless --force"))
    try:
        tmp = temp_file(final)
    except OSError as exc:
        raise output_error(final, exc) from None
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        if st is None:
            try:
                os.link(tmp, final)  # never replaces a file that appeared meanwhile
            except FileExistsError:
                raise OutputError(Problem(final, 0, 0, "already exists; convert replaces no file unless --force")) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
                    raise
                os.replace(tmp, final)  # a file system without hard links
            discard(tmp)
        else:
            os.replace(tmp, final)
    except OSError as exc:
        discard(tmp)
        raise output_error(final, exc) from None
    except BaseException:
        discard(tmp)
        raise
