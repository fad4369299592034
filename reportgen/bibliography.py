"""A Markdown outline's references: CSL items in its front matter, and bibliography files beside it.

Pandoc's ``references`` (CSL YAML items) and ``bibliography`` (CSL JSON, CSL
YAML or BibTeX files) become the outline's ``sources``, as pandoc makes its
bibliography: only the entries the text cites (``[@id]``, ``@id``, in any
field) or ``nocite`` names (``@*``: all of them), in the order they are
listed. Each keeps what reportgen's sources list shows:

- ``id``; ``title``; ``URL`` → ``url`` (else ``DOI`` → ``https://doi.org/DOI``);
- ``publisher``, else ``container-title`` (BibTeX: ``publisher``, else
  ``journal``, ``booktitle``, ``institution``, ``organization``, ``school``);
- ``issued`` → ``date`` as YYYY-MM-DD, YYYY-MM or YYYY (a ``literal`` date as
  written); ``accessed`` (BibTeX ``urldate``) → ``accessed``.

Authors, pages, volumes and the rest are not part of a reportgen source.

A bibliography file is hostile input like the outline: a relative path inside
the outline's folder (no ``..``, no link leading out), a regular file, at most
``yamlsrc.MAX_BYTES``, UTF-8; JSON nesting is bounded, BibTeX is read by
pybtex (brace nesting bounded, linear) and its LaTeX decoded by latexcodec only
for the fields kept, each at most a few times ``loader.MAX_SHORT`` long. Each
file read is a dependency of the outputs (``Source.deps``: editing it makes
them stale), and a problem in an entry is placed in that file.
"""

from __future__ import annotations

import json
import os
import re

from .errors import InputError, Problem
from .yamlsrc import MAX_BYTES, read_text

TYPES = {".json": "CSL JSON", ".yaml": "CSL YAML", ".yml": "CSL YAML", ".bib": "BibTeX", ".bibtex": "BibTeX"}
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
MAX_FIELD = 8_000  # characters of LaTeX decoded in one BibTeX field (longer ones are refused by the loader anyway)


def cite_keys(text: str) -> list[str]:
    """Return the source keys ``text`` cites, in order, as the documents read it (``markup.citations``)."""
    from .markup import citations

    return [key for key, _written in citations(text, block=True)]


def cited_ids(data: object) -> set[str]:
    """Return every citation key the outline's text holds (pandoc's forms: ``[@id]``, ``[@a; @b, p. 3]``, ``@id``), read
    as ``markup.citations`` reads them (so the sources kept are the ones the documents cite)."""

    found: set[str] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "@" in value:
                found.update(cite_keys(value))
        elif isinstance(value, dict):
            stack.extend(v for k, v in value.items() if k != "sources")
        elif isinstance(value, list):
            stack.extend(value)
    return found


def from_references(reader, refs: object, cited: set[str], everything: bool, sources: list) -> None:
    """Add the front matter's CSL ``references`` that are cited to ``sources``; an uncited one is warned."""
    if not isinstance(refs, list):
        reader._fm_error(("references",), "expected a list of CSL items (- id: ..., title: ..., URL: ...)")
        return
    fm = reader.front_src
    for i, item in enumerate(refs):
        where = ("references", i)
        if not isinstance(item, dict):
            reader._fm_error(where, "expected a CSL item (id: ..., title: ...)")
            continue
        key = item.get("id")
        if not isinstance(key, str) or not key:
            reader._fm_error(where, "a reference needs an id (the key it is cited by, as [@id])")
            continue
        if not everything and key not in cited:
            reader._fm_warn_at(where, f"reference '{key}' is never cited: left out of the sources (cite it as [@{key}], or name it in nocite)")
            continue

        def mark(name: str, _i=i) -> tuple[int, int] | None:
            p = ("references", _i, name) if name else ("references", _i)
            if p in fm.marks:
                line, col = fm.marks[p]
                return line + reader.front_offset, col
            return None

        _add(reader, sources, _csl(reader, item, mark, reader.file, f"references[{i}]"), mark, None)


def from_bibliography_files(reader, bib: object, cited: set[str], everything: bool, sources: list) -> None:
    """Add the cited entries of each bibliography file to ``sources``."""
    names = bib if isinstance(bib, list) else [bib]
    for i, rel in enumerate(names):
        where = ("bibliography", i) if isinstance(bib, list) else ("bibliography",)
        if not isinstance(rel, str) or not rel.strip():
            reader._fm_error(where, "expected a file name beside the document, e.g. bibliography: refs.bib")
            continue
        try:
            full, display = resolve(reader.folder, reader.file, rel.strip())
        except ValueError as exc:
            reader._fm_error(where, str(exc))
            continue
        kind = TYPES[os.path.splitext(full)[1].lower()]
        try:
            text = read_text(full, display, MAX_BYTES, "split the bibliography, or keep only the entries this document cites")
            entries = {"CSL JSON": _csl_json, "CSL YAML": _csl_yaml, "BibTeX": _bibtex}[kind](text, display)
        except InputError as exc:
            reader.problems.extend(exc.problems)
            continue
        reader.deps.append(full)
        for key, item, marks in entries:
            if everything or key in cited:
                def mark(name: str, _m=marks) -> tuple[int, int] | None:
                    return _m.get(name) or _m.get("")
                _add(reader, sources, item if kind == "BibTeX" else _csl(reader, item, mark, display, key), mark, display)


def resolve(folder: str, outline: str, rel: str) -> tuple[str, str]:
    """Return (absolute path, path for messages) of bibliography ``rel``; ValueError if it is unsafe, missing or of no known type."""
    from .loader import local_file

    full = local_file(folder, rel, "bibliography", TYPES, "of a type reportgen reads (expected .json for CSL JSON, .yaml for CSL YAML, or .bib for BibTeX)",
                      place="the document's folder")
    return full, os.path.join(os.path.dirname(outline), rel)


def _add(reader, sources: list, item: dict, mark, display: str | None) -> None:
    k = len(sources)
    sources.append(item)
    base = ("sources", k)
    whole = mark("")
    if whole:
        reader.marks[base] = whole
    for name in item:
        pos = mark(_FROM.get(name, name)) or whole
        if pos:
            reader.marks[base + (name,)] = pos
    if display:
        reader.files[base] = display


_FROM = {"url": "URL", "date": "issued"}  # the CSL field each source field comes from (for its position)


def _csl(reader, item: dict, mark, file: str, where: str) -> dict:
    """Return the source of CSL item ``item``."""
    out: dict = {"id": item.get("id")}
    if "title" in item:
        out["title"] = item["title"]
    url = item.get("URL")
    if url is None and isinstance(item.get("DOI"), str):
        url = "https://doi.org/" + item["DOI"].strip()
    if url is not None:
        out["url"] = url
    publisher = item.get("publisher", item.get("container-title"))
    if publisher is not None:
        out["publisher"] = publisher
    for field_name, out_name in (("issued", "date"), ("accessed", "accessed")):
        if field_name in item:
            value, why = csl_date(item[field_name])
            if why:
                line, col = mark(field_name) or mark("") or (0, 0)
                reader.problems.append(Problem(file, line, col, why, f"{where}.{field_name}"))
            else:
                out[out_name] = value
    return out


def csl_date(value: object) -> tuple[str | None, str]:
    """Return (text, "") for a CSL date (``2021-06-16``, ``{date-parts: [[2021, 6]]}``, ``{literal: ...}``), or (None, why)."""
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return str(value).strip(), ""
    if isinstance(value, dict):
        if isinstance(value.get("literal"), str):
            return value["literal"], ""
        if isinstance(value.get("raw"), str):
            return value["raw"], ""
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and 1 <= len(parts[0]) <= 3:
            try:
                nums = [int(str(x)) for x in parts[0]]
            except ValueError:
                nums = []
            if nums and 0 < nums[0] <= 9999 and all(0 < x <= 31 for x in nums[1:]):
                return "-".join([f"{nums[0]:04d}"] + [f"{x:02d}" for x in nums[1:]]), ""
    return None, "expected a CSL date: 2021-06-16, 2021-06 or 2021, {date-parts: [[2021, 6, 16]]} or {literal: 16 June 2021}"


# --- the three file types --------------------------------------------------------------


def _refuse_controls(text: str, file: str, json_escapes: bool = False) -> None:
    """Raise ``InputError`` at the first character no document holds (as the outline's readers refuse it), written
    as itself or, in JSON (``json_escapes``), as a ``\\uXXXX`` escape."""
    from .yamlsrc import _BAD_CHARS, describe_char

    found = [(m.start(), m.group()) for m in [_BAD_CHARS.search(text)] if m]
    if json_escapes:
        for m in re.finditer(r"\\u([0-9a-fA-F]{4})", text):
            ch = chr(int(m.group(1), 16))
            if _BAD_CHARS.match(ch) and not 0xD800 <= ord(ch) <= 0xDFFF:  # a surrogate pair is JSON's way to write one character
                found.append((m.start(), ch))
                break
    if found:
        pos, ch = min(found)
        raise InputError(Problem(file, *_line_col(text, pos), f"character {describe_char(ch)} is not allowed in text (control character or non-character)"))


def _csl_json(text: str, file: str) -> list[tuple[str, dict, dict]]:
    _refuse_controls(text, file, json_escapes=True)
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(Problem(file, 1, 1, "JSON nested too deeply")) from None
    except json.JSONDecodeError as exc:
        raise InputError(Problem(file, exc.lineno, exc.colno, f"not JSON: {exc.msg}")) from None
    if isinstance(data, dict) and isinstance(data.get("items", data.get("references")), list):
        data = data.get("items", data.get("references"))
    if not isinstance(data, list):
        raise InputError(Problem(file, 1, 1, "CSL JSON is a list of items ([{\"id\": ..., \"title\": ...}, ...])"))
    at = {m.group(1): _line_col(text, m.start()) for m in re.finditer(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"', text)}
    out = []
    problems = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)) or isinstance(item.get("id"), bool):
            problems.append(Problem(file, 1, 1, f"item {i + 1} is not a CSL item with an id"))
            continue
        item = dict(item, id=str(item["id"]))
        out.append((item["id"], item, {"": at.get(item["id"], (1, 1))}))
    if problems:
        raise InputError(problems)
    return out


def _csl_yaml(text: str, file: str) -> list[tuple[str, dict, dict]]:
    from .yamlsrc import parse

    src = parse(text, file)
    data, base = src.data, ()
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        data, base = data["references"], ("references",)
    if not isinstance(data, list):
        raise InputError(Problem(file, 1, 1, "CSL YAML is a list of items, or references: [items]"))
    out = []
    problems = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append(src.problem(base + (i,), "expected a CSL item with an id"))
            continue
        marks = {"": src.marks.get(base + (i,), (1, 1))}
        for name in item:
            marks[name] = src.marks.get(base + (i, name), marks[""])
        out.append((item["id"], item, marks))
    if problems:
        raise InputError(problems)
    return out


def _bibtex(text: str, file: str) -> list[tuple[str, dict, dict]]:
    from pybtex.database import BibliographyDataError
    from pybtex.database.input import bibtex
    from pybtex.scanner import PybtexSyntaxError

    _refuse_controls(text, file)
    lines = {m.group(1).lower(): _line_col(text, m.start()) for m in re.finditer(r"@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()]+)\s*,", text)}
    try:
        db = bibtex.Parser().parse_string(text)
    except PybtexSyntaxError as exc:
        raise InputError(Problem(file, exc.lineno or 1, 1, f"BibTeX syntax error: {_pybtex_message(exc)}")) from None
    except BibliographyDataError as exc:
        m = re.search(r"entry:?\s*(\S+)", str(exc))
        line, col = lines.get(m.group(1).lower(), (1, 1)) if m else (1, 1)
        raise InputError(Problem(file, line, col, f"BibTeX: {exc}")) from None
    except (RecursionError, ValueError, LookupError) as exc:
        raise InputError(Problem(file, 1, 1, f"BibTeX that cannot be read: {exc}")) from None
    out = []
    for key, entry in db.entries.items():
        item = bibtex_source(key, entry.fields)
        out.append((key, item, {"": lines.get(key.lower(), (1, 1))}))
    return out


def _pybtex_message(exc) -> str:
    text = str(exc)
    return re.sub(r"^syntax error in line \d+:\s*", "", text)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def bibtex_source(key: str, fields) -> dict:
    """Return the source of a BibTeX entry's ``fields`` (a case-insensitive mapping of LaTeX text)."""
    get = lambda name: fields.get(name)  # noqa: E731
    out: dict = {"id": key}
    if get("title") is not None:
        out["title"] = latex_text(get("title"))
    url = get("url")
    if url is None and get("doi"):
        url = "https://doi.org/" + latex_text(get("doi"), markdown=False)
    if url is None and get("howpublished") and "\\url" in get("howpublished"):
        url = get("howpublished")
    if url is not None:
        out["url"] = latex_text(url, markdown=False)
    for name in ("publisher", "journal", "journaltitle", "booktitle", "institution", "organization", "school"):
        if get(name):
            out["publisher"] = latex_text(get(name))
            break
    year = (get("year") or "").strip()
    if get("date") and _DATE.fullmatch(get("date").strip()):
        out["date"] = get("date").strip()
    elif re.fullmatch(r"\d{4}", year):
        date = year
        month = (get("month") or "").strip().lower()
        m = _MONTHS.get(month[:3]) if month[:3] in _MONTHS else int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
        if m:
            date += f"-{m:02d}"
            day = (get("day") or "").strip()
            if day.isdigit() and 1 <= int(day) <= 31:
                date += f"-{int(day):02d}"
        out["date"] = date
    elif year:
        out["date"] = latex_text(year)
    if get("urldate"):
        out["accessed"] = get("urldate").strip()
    return out


_FORMATTING = [
    (re.compile(r"\\(?:emph|textit|textsl)\s*\{([^{}]*)\}"), r"*\1*"),
    (re.compile(r"\\textbf\s*\{([^{}]*)\}"), r"**\1**"),
    (re.compile(r"\\(?:url|texttt|textrm|textsc|textup|textnormal|mbox|text|href\s*\{[^{}]*\})\s*\{([^{}]*)\}"), r"\1"),
]


def latex_text(value: str, markdown: bool = True) -> str:
    """Return BibTeX field ``value`` as text: accents and symbols decoded (``{\\"u}`` → ü, ``--`` → –),
    ``\\emph{x}`` → ``*x*`` (with ``markdown``), braces dropped, white space collapsed."""
    if not markdown:  # an address or a DOI: verbatim, as BibTeX's url field is
        value = re.sub(r"\\url\s*\{([^{}]*)\}", r"\1", value)
        return "".join(value.replace("{", "").replace("}", "").split())
    if len(value) > MAX_FIELD or not any(c in value for c in "\\{}$~-`'"):
        return " ".join(value.split())
    import codecs

    import latexcodec  # noqa: F401  (registers the codec)

    try:
        text = codecs.decode(value, "ulatex")
    except (ValueError, LookupError):
        text = value
    for _ in range(4):
        before = text
        for pattern, repl in _FORMATTING:
            text = pattern.sub(repl, text)
        if text == before:
            break
    text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())
