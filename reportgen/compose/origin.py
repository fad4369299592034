"""Where in a template a piece of rendered markup came from, for errors about it.

Jinja2 does not record which template line wrote which output line, so an
error found in the rendered markup (an unknown element, a bad attribute,
malformed XML) is traced back by what it says: the output line's own text
when it appears on exactly one template line (markup written literally), else
the element's start tag when exactly one template line has it. When neither
is unique the error names the template and the output line instead of
guessing. All of this runs only after an error: a good build parses once.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat

MAX_TEMPLATE_BYTES = 1_000_000  # a template larger than this is not searched (the pack loader reads them anyway)


@dataclass(frozen=True)
class Origin:
    """A place in the pack's templates (``line`` 0: only the file is known) and, when known, the output line."""

    file: str
    line: int = 0
    col: int = 0
    output_line: int = 0


def index_path(root: ET.Element, target: ET.Element) -> tuple[int, ...] | None:
    """Return the child indexes leading from ``root`` to ``target``, or None if it is not in the tree."""
    stack: list[tuple[ET.Element, tuple[int, ...]]] = [(root, ())]
    while stack:
        el, path = stack.pop()
        if el is target:
            return path
        stack.extend((child, path + (i,)) for i, child in enumerate(el))
    return None


def output_line(markup: str, path: tuple[int, ...]) -> int:
    """Return the 1-based line of ``markup`` where the element at ``path`` starts (0 if it cannot be found).

    ``markup`` parsed without errors once already; this second parse only
    counts start tags, keeping each open element's child count.
    """
    parser = expat.ParserCreate()
    counts: list[int] = []  # children seen so far, per open element
    here: list[int] = []  # index path of the open elements
    found = [0]

    def start(_tag, _attrs):
        if counts:
            here.append(counts[-1])
            counts[-1] += 1
        counts.append(0)
        if tuple(here) == path and not found[0]:
            found[0] = parser.CurrentLineNumber

    def end(_tag):
        counts.pop()
        if here:
            here.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(markup, True)
    except expat.ExpatError:
        return found[0]
    return found[0]


def trace(folder: str, template: str, markup: str, line: int, tag: str = "") -> Origin:
    """Return where output ``line`` of ``markup`` (rendered by ``template`` in pack ``folder``) came from."""
    lines = markup.splitlines()
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    sources = _templates(folder, template)
    for needle in (text, f"<{tag}" if tag else ""):
        if not needle:
            continue
        hits = [(name, i, col) for name, src_lines in sources for i, src in enumerate(src_lines, 1) if (col := _find(src, needle)) >= 0]
        if len(hits) == 1:
            name, i, col = hits[0]
            at_tag = _find(dict(sources)[name][i - 1], f"<{tag}") if tag else -1
            return Origin(name, i, (at_tag if at_tag >= 0 else col) + 1, line)
    return Origin(os.path.join(folder, template), 0, 0, line)


def _find(src: str, needle: str) -> int:
    """Return where ``needle`` is in ``src`` (-1: not there); a start tag ``<name`` does not match a longer name."""
    if re.fullmatch(r"<[\w.-]+", needle):
        m = re.search(re.escape(needle) + r"(?=[\s/>]|$)", src)
        return m.start() if m else -1
    return src.find(needle)


def _templates(folder: str, first: str) -> list[tuple[str, list[str]]]:
    """Return (path, lines) of the pack's templates, ``first`` first; files too large or unreadable are skipped."""
    names = sorted(n for n in os.listdir(folder) if n.endswith(".j2"))
    names.sort(key=lambda n: n != first)
    out = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            if os.path.islink(path) or not os.path.isfile(path) or os.path.getsize(path) > MAX_TEMPLATE_BYTES:
                continue
            with open(path, encoding="utf-8") as fh:
                out.append((path, fh.read().splitlines()))
        except (OSError, UnicodeDecodeError):
            continue
    return out
