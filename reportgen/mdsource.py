"""Read a Markdown outline (pandoc's dialect) into the raw data a YAML outline gives, with positions.

``read(path)`` returns the same ``yamlsrc.Source`` the YAML reader returns:
``data`` is the plain dict an outline's YAML would hold, ``marks`` the
Markdown file's (line, col) of every value, so validation, the loader's
checks and the writers' located messages all point into the ``.md`` file.
What pandoc supports and reportgen does not is a located warning
(``Source.warnings``, code ``md-unsupported``) saying what reportgen does with
it; nothing is dropped or printed as literal mark-up without one.

The mapping (README "Writing in Markdown"):

- YAML front matter (``---`` … ``---``): pandoc's ``title``, ``subtitle``,
  ``author`` (text or a list, joined with ", "), ``date``, ``lang``,
  ``abstract`` (the bottom line, unless ``bottom_line`` is given),
  ``references`` (CSL items) and ``bibliography`` (CSL JSON, CSL YAML or
  BibTeX beside the document: ``bibliography.py``), ``nocite``; and
  reportgen's own fields (``classification``, ``template``, ``bottom_line``,
  ``summary``, ``subject``, ``keywords``, ``sources``, ``closing``).
- ``#`` a section, ``##`` a subsection (``{#id .unnumbered}`` accepted,
  ``{layout=...}`` the part's layout); deeper headings stay in the body as
  bold paragraphs (warned).
- In a part: bullet lists are its points; paragraphs and numbered lists its
  body, copied as written (``::: body`` holds body text as written, bullet
  lists and quotes included); the first block quote its pull quote (a last
  line "— Name" its attribution; ``::: {.quote layout="..."}`` around it its
  layout); an image alone in a paragraph its figure (``{fig-alt="..."}``
  required, ``layout="..."``); a ```` ```chart ```` block (YAML) its chart; a
  ```` ```key-figures ```` block (a YAML list) its key figures; a pipe,
  simple or grid table (with ``Table: caption {source="..." slides-columns="A,
  B" slides-rows=12 layout="..."}``) its table; ``::: notes`` its speaker
  notes. One table, chart, figure, quote and key-figures block per part:
  another is warned and left out (a second quote stays in the body).
- Footnotes ``[^id]`` become pandoc's inline notes ``^[text]``; citations,
  addresses and spans (``[text]{lang=ru}``) are copied as written
  (``markup.py`` reads them).

Bounded on hostile input: the file's size is checked before it is read
(``yamlsrc.read_text``), at most ``MAX_LINES`` lines are parsed, nesting past
``MAX_LEVEL`` is refused, markdown-it parses blocks only (no inline pass over
the whole text), and tables, footnotes, divs and front matter are read by
linear line scans (``mdtables``).
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field, replace

from .errors import InputError, Problem
from .markup import attributes as _attributes
from .yamlsrc import _BAD_CHARS, Source, describe_char, format_path, read_text
from . import yamlsrc

SUFFIXES = (".md", ".markdown")
CODE = "md-unsupported"
MAX_LINES = 100_000  # about 250 summit-sized outlines; the block parse stays under ~10 s on the worst input
MAX_LEVEL = 32  # markdown-it nesting (a quote in a list in a quote ...); legitimate outlines stay under 12

# Front matter fields that belong to pandoc's templates and writers: warned, then ignored.
PANDOC_ONLY = {
    "abstract-title", "author-meta", "bibliography-style", "biblio-title", "biblatexoptions", "block-headings",
    "citation-abbreviations", "classoption", "colorlinks", "csl", "date-meta", "description", "dir", "document-css",
    "documentclass", "fontfamily", "fontsize", "geometry", "header-includes", "include-after", "include-before",
    "indent", "institute", "keywords-meta", "link-citations", "linkcolor", "linestretch", "lof", "lot",
    "mainfont", "margin-left", "margin-right", "margin-top", "margin-bottom", "monofont", "numbersections",
    "output", "pagestyle", "papersize", "reference-section-title", "section-numbering", "suppress-bibliography",
    "thanks", "toc", "toc-depth", "toc-title", "urlcolor", "title-meta", "pagetitle", "css", "theme",
}

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_DIV_OPEN = re.compile(r"^(:{3,})[ \t]*(\S.*?)[ \t]*:*[ \t]*$")
_DIV_CLOSE = re.compile(r"^:{3,}[ \t]*$")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*)$")
_CAPTION = re.compile(r"^(?:[Tt]able)?:[ \t]+(\S.*)$")
_DEF_MARK = re.compile(r"^ {0,3}[:~][ \t]+(\S.*)$")
_LINE_BLOCK = re.compile(r"^\|(?: (.*))?$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_NOT_A_TERM = re.compile(r"^(?: {4}|\t| {0,3}(?:[#>|:<]|[-*+][ \t]|\d{1,9}[.)][ \t]|`{3}|~{3}))")
_HEADING_ATTRS = re.compile(r"(?:[ \t]+|(?<![\]`]))\{([^{}]*)\}[ \t]*$")  # (right after ] or `: a span's or code's, as pandoc reads it)
_ATTRIBUTION = re.compile(r"^(?:—|―|-{2,3})[ \t]+(\S.*)$")
_ITEM_MARK = re.compile(r"^(\s*)(?:[-+*]|\d{1,9}[.)])(\s+|$)")
_TASK = re.compile(r"^\[[ xX]\][ \t]")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_RAW_LATEX_BLOCK = re.compile(r"^\\(?:begin\{|[A-Za-z]+(?:\[[^\]\n]*\]|\{[^}\n]*\})*[ \t]*$)")

# Inline constructs pandoc reads and reportgen prints as typed: (name, pattern), found in text with code spans
# and addresses blanked out.
_INLINE = [
    ("display math ($$...$$)", re.compile(r"\$\$.+?\$\$", re.S)),
    ("math ($...$)", re.compile(r"(?<![\\$])\$(?![\s$])(?:[^$\\\n]|\\.|\n(?!\n))+?(?<![\s\\])\$(?![\d$])")),
    ("raw HTML", re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*)?/?|!--.*?--)>", re.S)),
    ("raw LaTeX", re.compile(r"(?<!\\)(?:\\\\)*\\[A-Za-z]+")),
    ("strikeout (~~...~~)", re.compile(r"~~(?=\S).+?~~")),
    ("superscript (^...^)", re.compile(r"\^(?![\[\s])[^\s^\[\]]+\^")),
    ("subscript (~...~)", re.compile(r"(?<!~)~(?![~\s])[^\s~]+~(?!~)")),
    ("attributes ({...}) on a link or code", re.compile(r"[)`]\{[^{}\n]*\}")),  # (a span's, [text]{lang=ru}: markup.py reads them)
    ("an image inside text", re.compile(r"!\[")),
]
_CODE_RUN = re.compile(r"`+")
_ADDRESS = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s@]+>|\bhttps?://[^\s<>()\]]+|\]\([^)\s]*")


def read(path: str, display: str | None = None) -> Source:
    """Return the ``Source`` of the Markdown outline at ``path`` (``display`` names it in messages)."""
    name = display or path
    return parse(read_text(path, name), name, os.path.dirname(os.path.abspath(path)))


def parse(text: str, file: str, folder: str = ".") -> Source:
    """Return the ``Source`` of Markdown ``text``; raise ``InputError`` listing every problem."""
    return _Reader(text, file, folder).run()


@dataclass
class _Part:
    """A section or subsection being read."""

    path: tuple
    data: dict
    body: list[tuple[int, str]] = field(default_factory=list)  # (line, Markdown block)
    notes: list[tuple[int, str]] = field(default_factory=list)
    points_line: int = -1


@dataclass
class _Note:
    line: int
    col: int
    text: str
    used: bool = False


class _Reader:
    def __init__(self, text: str, file: str, folder: str):
        self.file = file
        self.folder = folder
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = self.text.split("\n")
        self.md_lines = list(self.lines)  # what markdown-it reads: front matter, tables, notes and footnotes blanked
        self.data: dict = {}
        self.marks: dict = {(): (1, 1)}
        self.key_marks: dict = {}
        self.files: dict = {}
        self.deps: list[str] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.events: list[tuple[int, str, object]] = []  # (line, kind, payload) found by the line scan
        self.footnotes: dict[str, _Note] = {}
        self.front: dict = {}  # front matter fields read later: references, bibliography, nocite
        self.front_src: Source | None = None
        self.front_offset = 0
        self.sections: list[_Part] = []
        self.part: _Part | None = None
        self.open_quote_divs: dict[int, dict] = {}  # ::: quote divs being scanned, by their first line
        self.quote_divs: list[dict] = []  # ::: quote divs: first and last line, the layout they give

    # --- messages ---------------------------------------------------------------

    def error(self, line: int, col: int, message: str, path: tuple = ()) -> None:
        self.problems.append(Problem(self.file, line + 1, col + 1, message, format_path(path)))

    def warn(self, line: int, col: int, message: str, path: tuple = ()) -> None:
        self.warnings.append(Problem(self.file, line + 1, col + 1, message, format_path(path), "warning", CODE))

    def here(self) -> tuple:
        return self.part.path if self.part else ()

    # --- the whole file ---------------------------------------------------------

    def run(self) -> Source:
        if not self.text.strip():
            raise InputError(Problem(self.file, 1, 1, "the file is empty (expected front matter with a title, then # sections)"))
        self._check_chars()
        count = len(self.lines) - (self.text.endswith("\n"))
        if count > MAX_LINES:
            raise InputError(Problem(self.file, MAX_LINES + 1, 1, f"the file has {count:,} lines, over the {MAX_LINES:,} a Markdown outline may have; split it into several outlines"))
        first = self._front_matter()
        if self.problems:
            raise InputError(self.problems)
        self.first_body = min(first, len(self.lines) - 1)
        self._scan(first)
        tokens = self._parse_blocks()
        self._walk(tokens, first)
        self._unused_quote_divs()
        self._finish_parts()
        self._finish_footnotes()
        self._sources()
        if self.problems:
            raise InputError(sorted(self.problems, key=lambda p: (p.line, p.col)))
        self.warnings.sort(key=lambda p: (p.file != self.file, p.line, p.col))
        return Source(self.file, self.data, self.marks, self.key_marks, warnings=self.warnings, deps=self.deps, files=self.files)

    def _check_chars(self) -> None:
        found = 0
        for m in _BAD_CHARS.finditer(self.text):
            line = self.text.count("\n", 0, m.start())
            col = m.start() - (self.text.rfind("\n", 0, m.start()) + 1)
            self.error(line, col, f"character {describe_char(m.group())} is not allowed in text (control character or non-character)")
            found += 1
            if found == 20:
                break
        if self.problems:
            raise InputError(self.problems)

    # --- front matter -----------------------------------------------------------

    def _front_matter(self) -> int:
        """Read the YAML front matter; return the first line after it (0 when there is none)."""
        lines = self.lines
        if lines[0].rstrip() != "---" or (len(lines) > 1 and not lines[1].strip()):
            self.error(0, 0, "a Markdown outline starts with YAML front matter giving at least its title: ---, title: ..., ---", ("title",))
            return 0
        end = next((k for k in range(1, len(lines)) if lines[k].rstrip() in ("---", "...")), None)
        if end is None:
            self.error(0, 0, "the front matter opened by --- on line 1 is never closed; end it with a line of ---")
            return len(lines)
        for k in range(end + 1):
            self.md_lines[k] = ""
        text = "\n".join(lines[1:end])
        if not text.strip():
            self.error(0, 0, "the front matter is empty; give at least the title: title: ...", ("title",))
            return end + 1
        try:
            fm = yamlsrc.parse(text, self.file)
        except InputError as exc:
            self.problems += [replace(p, line=p.line + 1 if p.line else 1, col=p.col or 1) for p in exc.problems]
            return end + 1
        if not isinstance(fm.data, dict):
            self.error(1, 0, "the front matter holds the document's fields (title: ..., author: ...), got a single value or a list")
            return end + 1
        self.front_src, self.front_offset = fm, 1
        self._front_fields(fm.data)
        return end + 1

    def _fm_pos(self, path: tuple, key: bool = False) -> tuple[int, int]:
        line, col = self.front_src.where(path, key)
        return line + self.front_offset, col

    def _copy(self, key: str, new: str | None = None, value: object = ...) -> None:
        """Put front matter field ``key`` into the outline as ``new``, with its positions."""
        new = new or key
        fm = self.front_src
        self.data[new] = fm.data[key] if value is ... else value
        for table, out in ((fm.marks, self.marks), (fm.key_marks, self.key_marks)):
            for p, (line, col) in table.items():
                if p and p[0] == key:
                    out[(new,) + p[1:]] = (line + self.front_offset, col)

    def _fm_warn(self, key: str, message: str) -> None:
        line, col = self._fm_pos((key,), key=True)
        self.warn(line - 1, col - 1, message)

    def _fm_warn_at(self, path: tuple, message: str) -> None:
        line, col = self._fm_pos(path)
        self.warn(line - 1, col - 1, message)

    def _fm_error(self, path: tuple, message: str, out_path: tuple | None = None) -> None:
        line, col = self._fm_pos(path)
        self.error(line - 1, col - 1, message, path if out_path is None else out_path)

    def _front_fields(self, data: dict) -> None:
        for key, value in data.items():
            if key == "author":
                self._author(value)
            elif key == "abstract":
                continue
            elif key in ("references", "bibliography", "nocite"):
                self.front[key] = value
            elif key == "sections":
                line, col = self._fm_pos((key,), key=True)
                self.error(line - 1, col - 1, "sections come from the document's # headings, not from the front matter", ("sections",))
            elif key in PANDOC_ONLY:
                self._fm_warn(key, f"front matter field '{key}' is for pandoc's own output; reportgen does not use it (ignored)")
            else:
                self._copy(key)
        if "abstract" in data:
            if "bottom_line" in data:
                self._fm_warn("abstract", "abstract left out: bottom_line is given (the abstract is the bottom line only when there is none)")
            else:
                value = data["abstract"]
                value = value.strip() if isinstance(value, str) else value
                if isinstance(value, str) and re.search(r"\n[ \t]*\n", value):
                    self._fm_warn("abstract", "the bottom line is one paragraph: the abstract's paragraphs are joined into one")
                    value = re.sub(r"\s*\n[ \t]*\n\s*", " ", value.strip())
                self._copy("abstract", "bottom_line", value)

    def _author(self, value: object) -> None:
        items = value if isinstance(value, list) else [value]
        names = []
        for i, item in enumerate(items):
            path = ("author", i) if isinstance(value, list) else ("author",)
            if isinstance(item, dict):
                item = item.get("name") or item.get("literal") or " ".join(str(item[k]) for k in ("given", "family") if isinstance(item.get(k), str))
            if not isinstance(item, str) or not item.strip():
                self._fm_error(path, "expected an author's name (text), or a list of names", ("author",))
                continue
            names.append(item.strip())
        self._copy("author", value=", ".join(names))

    # --- the line scan: fences, divs, footnotes, tables, captions, line blocks, definition lists ----------

    def _scan(self, first: int) -> None:
        from .mdtables import TableError, Unsupported, parse_table, starts_table

        L = self.md_lines
        n = len(L)
        fence: tuple[str, int] | None = None
        block_start = True
        divs: list[int] = []
        i = first
        while i < n:
            line = L[i]
            if fence:
                m = _FENCE.match(line)
                if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                    fence = None
                    block_start = True
                i += 1
                continue
            if not line.strip():
                block_start = True
                i += 1
                continue
            m = _FENCE.match(line)
            if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
                fence = (m.group(2)[0], len(m.group(2)))
                i += 1
                continue
            if _DIV_CLOSE.match(line):
                if divs:
                    info = self.open_quote_divs.pop(divs.pop(), None)
                    if info is not None:
                        info["end"] = i
                        self.quote_divs.append(info)
                else:
                    self.warn(i, 0, "a closing ::: with no fenced div open: left out")
                L[i] = ""
                block_start = True
                i += 1
                continue
            m = _DIV_OPEN.match(line)
            if m:
                i = self._div(i, m.group(2), divs)
                block_start = True
                continue
            m = _FOOTNOTE_DEF.match(line)
            if m:
                i = self._footnote_def(i, m)
                block_start = True
                continue
            if block_start:
                kind = starts_table(L, i)
                if kind:
                    try:
                        table = parse_table(kind, L, i)
                    except TableError as exc:
                        self.error(exc.line, exc.col, exc.message, self.here())
                        end = exc.end
                    except Unsupported as exc:
                        self.warn(exc.line, 0, exc.message)
                        end = exc.end
                    else:
                        end = table.end
                        caption = self._caption_before(i) or self._caption_after(end)
                        self.events.append((i, "table", (table, caption)))
                    for k in range(i, end):
                        L[k] = ""
                    i = end
                    block_start = True
                    continue
                if _LINE_BLOCK.match(line):
                    i = self._line_block(i)
                    block_start = False
                    continue
                if self._definition_list(i):
                    i += 1
                    block_start = False
                    continue
            block_start = bool(_ATX.match(line))
            i += 1
        if divs:
            self.error(divs[-1], 0, "this fenced div is never closed; end it with a line of :::")

    def _div(self, i: int, attrs: str, divs: list[int]) -> int:
        """Read the fenced div opening at line ``i``; return the line to go on from.

        ``::: notes`` and ``::: body`` hold text as written (the part's speaker notes, or its body with lists and
        quotes kept in it); ``::: {.quote layout="..."}`` wraps the part's pull quote, giving its slide layout (its
        content is read as if it stood outside the div); any other div is warned and unwrapped the same way."""
        L = self.md_lines
        classes = _classes(attrs)
        kind = next((k for k in ("notes", "body") if k in classes), "")
        if not kind:
            if "quote" in classes:
                self._quote_div(i, attrs)
            else:
                shown = attrs if len(attrs) <= 40 else attrs[:37] + "..."
                self.warn(i, 0, f"a fenced div (::: {shown}) is not supported: its content is kept as if it stood outside the div")
            divs.append(i)
            L[i] = ""
            return i + 1
        depth, j, fence = 1, i + 1, None
        while j < len(L):
            m = _FENCE.match(L[j])
            if fence:
                if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                    fence = None
            elif m:
                fence = (m.group(2)[0], len(m.group(2)))
            elif _DIV_CLOSE.match(L[j]):
                depth -= 1
                if depth == 0:
                    break
            elif _DIV_OPEN.match(L[j]):
                depth += 1
            j += 1
        if j >= len(L):
            self.error(i, 0, f"this ::: {kind} div is never closed; end it with a line of :::")
            for k in range(i, len(L)):
                L[k] = ""
            return len(L)
        self.events.append((i, kind, (i + 1, "\n".join(L[i + 1 : j]).strip("\n"))))
        for k in range(i, j + 1):
            L[k] = ""
        return j + 1

    def _quote_div(self, i: int, attrs: str) -> None:
        """Note the ``::: {.quote layout="..."}`` div opening at line ``i`` (its attributes checked now)."""
        line = self.md_lines[i]
        info: dict = {"line": i, "end": len(self.md_lines), "layout": None, "used": False}
        inner = attrs.strip()
        if inner.startswith("{") and inner.endswith("}"):
            base = line.find("{") + 1
            for name, value, at in _attributes(inner[1:-1]):
                if name == ".quote" or name.startswith("#"):
                    continue
                if name == "layout" and value.strip():
                    info["layout"] = (value.strip(), base + at)
                elif name == "layout":
                    self.error(i, base + at, 'layout needs the name of a layout of the slide master, e.g. layout="Title Only"')
                else:
                    self.warn(i, base + at, f"quote attribute {name} is not used by reportgen (ignored; layout=\"...\" chooses the pull quote's slide layout)")
        self.open_quote_divs[i] = info

    def _unused_quote_divs(self) -> None:
        for info in self.quote_divs + list(self.open_quote_divs.values()):
            if info["layout"] and not info["used"]:
                self.warn(info["line"], 0, "this ::: quote div holds no pull quote (its part's first block quote): its layout is not used")

    def _footnote_def(self, i: int, m: re.Match) -> int:
        """Read the footnote definition at line ``i`` (its first paragraph, then lines indented 4); return the next line."""
        L = self.md_lines
        key = m.group(1)
        paras: list[list[str]] = [[m.group(2).strip()]]
        j = i + 1
        while j < len(L):
            line = L[j]
            if not line.strip():
                k = j
                while k < len(L) and not L[k].strip():
                    k += 1
                if k < len(L) and (L[k].startswith("    ") or L[k].startswith("\t")):
                    paras.append([])
                    j = k
                    continue
                break
            if paras[-1] and not paras[-1][-1] and not line.startswith(("    ", "\t")):
                break
            if _FOOTNOTE_DEF.match(line) or _ATX.match(line) or _DIV_OPEN.match(line) or _DIV_CLOSE.match(line):
                break
            paras[-1].append(line.strip())
            j += 1
        texts = [" ".join(s for s in p if s) for p in paras if any(p)]
        col = m.start(2) if m.group(2) else len(L[i])
        if key in self.footnotes:
            self.error(i, 0, f"footnote [^{key}] is defined twice (first on line {self.footnotes[key].line + 1}); give each note its own id")
        else:
            if len(texts) > 1:
                self.warn(i, 0, f"footnote [^{key}] has {len(texts)} paragraphs; an inline note holds one: they are joined into one")
            self.footnotes[key] = _Note(i, col, " ".join(texts))
        for k in range(i, j):
            L[k] = ""
        return j

    def _caption_before(self, i: int) -> tuple[int, str] | None:
        """Return (line, caption) of a ``Table: ...`` paragraph right above the table at ``i`` (blanked), or None."""
        L = self.md_lines
        if i < 2 or L[i - 1].strip():
            return None
        k = i - 2
        while k > 0 and L[k - 1].strip():
            k -= 1
        m = _CAPTION.match(L[k])
        if not m or not L[i - 2].strip():
            return None
        text = " ".join([m.group(1).strip()] + [x.strip() for x in L[k + 1 : i - 1]])
        for x in range(k, i - 1):
            L[x] = ""
        return (k, text)

    def _caption_after(self, end: int) -> tuple[int, str] | None:
        L = self.md_lines
        k = end
        if k < len(L) and not L[k].strip():
            k += 1
        if k >= len(L):
            return None
        m = _CAPTION.match(L[k])
        if not m:
            return None
        j = k + 1
        while j < len(L) and L[j].strip():
            j += 1
        text = " ".join([m.group(1).strip()] + [x.strip() for x in L[k + 1 : j]])
        for x in range(k, j):
            L[x] = ""
        return (k, text)

    def _line_block(self, i: int) -> int:
        """Rewrite the line block at ``i`` (``| line``) as a paragraph with a line break after each line."""
        L = self.md_lines
        j = i
        while j < len(L) and (_LINE_BLOCK.match(L[j]) or (j > i and L[j].startswith(" ") and L[j].strip())):
            j += 1
        self.warn(i, 0, "a line block (| ...) is not supported as such: kept in the body as one paragraph with a line break after each line")
        for k in range(i, j):
            m = _LINE_BLOCK.match(L[k])
            text = (m.group(1) or "") if m else L[k].strip()
            L[k] = text + ("\\" if k < j - 1 else "")
        return j

    def _definition_list(self, i: int) -> bool:
        """Rewrite a definition list whose term is line ``i`` as paragraphs (the term in bold); return whether there was one."""
        L = self.md_lines
        if _NOT_A_TERM.match(L[i]):
            return False
        nxt = i + 1
        if nxt < len(L) and not L[nxt].strip():
            nxt += 1
        if nxt >= len(L) or not _DEF_MARK.match(L[nxt]):
            return False
        self.warn(i, 0, "a definition list is not supported: kept in the body as paragraphs, each term in bold")
        term = L[i].strip()
        L[i] = f"**{term}**" + ("\\" if nxt == i + 1 else "")
        k = nxt
        while k < len(L):
            m = _DEF_MARK.match(L[k])
            if m:
                L[k] = m.group(1)
            elif not L[k].strip():
                if k + 1 < len(L) and _DEF_MARK.match(L[k + 1]):
                    k += 1
                    continue
                break
            k += 1
        return True

    # --- blocks -----------------------------------------------------------------

    def _parse_blocks(self) -> list:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_LEVEL + 8}).disable("inline")
        tokens = md.parse("\n".join(self.md_lines))
        deep = next((t for t in tokens if t.level > MAX_LEVEL), None)
        if deep is not None:
            line = deep.map[0] if deep.map else 0
            raise InputError(Problem(self.file, line + 1, 1, f"block quotes and lists nested over {MAX_LEVEL} levels deep; flatten them"))
        return tokens

    def _walk(self, tokens: list, first: int) -> None:
        blocks: list[tuple[int, int, str, object]] = []  # (line, order, kind, payload)
        k = 0
        while k < len(tokens):
            t = tokens[k]
            end = _close(tokens, k)
            blocks.append((t.map[0] if t.map else 0, 1, "tokens", (k, end)))
            k = end + 1
        for line, kind, payload in self.events:
            blocks.append((line, 0, kind, payload))
        blocks.sort(key=lambda b: (b[0], b[1]))
        for line, _order, kind, payload in blocks:
            if kind == "tokens":
                a, b = payload
                self._block(tokens, a, b)
            elif kind == "table":
                self._table(line, *payload)
            elif kind == "notes":
                self._notes(line, *payload)
            elif kind == "body":
                self._body_div(line, *payload)

    def _need_part(self, line: int, what: str) -> bool:
        if self.part is None:
            self.error(line, 0, f"{what} before the first # heading belongs to no section; put it under a heading (or, for a summary, in the front matter: bottom_line, abstract, summary)")
            return False
        return True

    def _block(self, tokens: list, a: int, b: int) -> None:
        t = tokens[a]
        line = t.map[0] if t.map else 0
        kind = t.type
        if kind == "heading_open":
            self._heading(tokens[a + 1], t, line)
        elif kind == "html_block":
            if not _is_comment(t.content):
                self.warn(line, 0, "raw HTML is not supported: left out")
        elif kind == "hr":
            self.warn(line, 0, "a horizontal rule is not supported: left out (a new section starts at a # heading)")
        elif not self._need_part(line, "text"):
            return
        elif kind == "paragraph_open":
            self._paragraph(tokens[a + 1], line, t.map[1])
        elif kind == "bullet_list_open":
            self._points(tokens, a, b)
        elif kind == "ordered_list_open":
            self._body(line, t.map[1])
        elif kind == "blockquote_open":
            self._quote(tokens, a, b)
        elif kind == "fence":
            block = _fence_class(t.info)
            if block == "chart":
                self._chart(t, line)
            elif block == "key-figures":
                self._key_figures(t, line)
            else:
                self.warn(line, 0, f"a code block{' of class ' + t.info.strip() if t.info.strip() else ''} is kept in the body as code (reportgen does not highlight it)", self.here())
                self._body(line, t.map[1], prose=False)
        elif kind == "code_block":
            self.warn(line, 0, "an indented code block is kept in the body as code", self.here())
            self._body(line, t.map[1], prose=False)
        else:  # pragma: no cover - markdown-it's commonmark blocks are all named above
            self.warn(line, 0, f"{kind.replace('_open', '')} is not supported: left out")

    # --- headings and parts -------------------------------------------------------

    def _heading(self, inline, t, line: int) -> None:
        level = int(t.tag[1])
        if level >= 3:
            if self._need_part(line, "a heading"):
                self.warn(line, 0, f"a level-{level} heading is not supported (# is a section, ## a subsection): kept in the body as a bold paragraph", self.here())
                self._body(line, t.map[1])
            return
        raw = inline.content
        col = max(self.md_lines[line].find(raw.split("\n")[0]), 0) if raw else 0
        m = _HEADING_ATTRS.search(raw)
        layout = None
        if m:
            for name, value, at in _attributes(m.group(1)):
                if name.startswith("#") or name in (".unnumbered", "-"):
                    continue
                if name == "layout" and value:
                    layout = (value, col + m.start(1) + at)
                    continue
                self.warn(line, col + m.start(1) + at, f"heading attribute {name} is not used by reportgen (ignored; layout=... chooses the deck's layout for the part)")
            raw = raw[: m.start()]
        if level == 1:
            path = ("sections", len(self.sections))
            part = _Part(path, {})
            self.sections.append(part)
            part.data["subsections"] = []
        else:
            if not self.sections:
                self.error(line, 0, "a ## subsection before the first # section; start with a # heading", ())
                return
            section = self.sections[-1]
            subs = section.data["subsections"]
            path = section.path + ("subsections", len(subs))
            part = _Part(path, {})
            subs.append(part)
        self.part = part
        self.marks[path] = (line + 1, 1)
        title = self._prose(" ".join(raw.split("\n")).strip(), line, col, path + ("title",), single=True)
        part.data["title"] = title
        self.marks[path + ("title",)] = (line + 1, col + 1)
        if layout:
            part.data["layout"] = layout[0]
            self.marks[path + ("layout",)] = (line + 1, layout[1] + 1)

    def _finish_parts(self) -> None:
        if not self.sections:
            if not self.problems:  # (text before any heading has said so already)
                self.error(self.first_body, 0, "no # heading: an outline has at least one section (# Title, then its points and text)", ("sections",))
            return
        self.data["sections"] = [self._part_data(s) for s in self.sections]
        self.marks.setdefault(("sections",), self.marks[self.sections[0].path])

    def _part_data(self, part: _Part) -> dict:
        data = part.data
        if part.body:
            data["body"] = "\n\n".join(text for _l, text in part.body) + "\n"
            self.marks[part.path + ("body",)] = (part.body[0][0] + 1, 1)
        if part.notes:
            data["notes"] = "\n\n".join(text for _l, text in part.notes) + "\n"
            self.marks[part.path + ("notes",)] = (part.notes[0][0] + 1, 1)
        if "subsections" in data:
            subs = data.pop("subsections")
            if subs:
                data["subsections"] = [self._part_data(s) for s in subs]
                self.marks[part.path + ("subsections",)] = self.marks[subs[0].path]
        return data

    # --- text -------------------------------------------------------------------

    def _prose(self, text: str, line: int, col: int, path: tuple, single: bool = False) -> str:
        """Return inline or block Markdown ``text`` (first line at ``line``/``col``) with footnotes made inline,
        each construct reportgen does not read warned; ``single``: line breaks made spaces (an inline field)."""
        if not text:
            return text
        starts = [0]
        for m in re.finditer("\n", text):
            starts.append(m.end())
        cols = []
        for k, s in enumerate(starts):
            piece = text[s : text.find("\n", s) if "\n" in text[s:] else len(text)]
            if k == 0:
                cols.append(col)
            else:
                src = self.md_lines[line + k] if line + k < len(self.md_lines) else ""
                found = src.find(piece) if piece else 0
                cols.append(found if found >= 0 else 0)

        def pos(offset: int) -> tuple[int, int]:
            k = bisect.bisect_right(starts, offset) - 1
            return line + k, cols[k] + offset - starts[k]

        masked = _mask(text)
        for name, pattern in _INLINE:
            for m in pattern.finditer(masked):
                shown = text[m.start() : m.end()]
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                what = ("its caption is printed as text (a figure is an image alone in its paragraph)" if name.startswith("an image")
                        else f"printed as the literal text {shown!r}")
                self.warn(*pos(m.start()), f"{name} is not supported: {what}", path)
        out: list[str] = []
        last = 0
        for m in _FOOTNOTE_REF.finditer(masked):
            note = self.footnotes.get(m.group(1))
            out.append(text[last : m.start()])
            last = m.end()
            if note is None:
                self.error(*pos(m.start()), f"footnote [^{m.group(1)}] is not defined; add a line [^{m.group(1)}]: its text", path)
                out.append(m.group(0))
                continue
            note.used = True
            out.append("^[" + note.text + "]")
        out.append(text[last:])
        result = "".join(out)
        return _one_line(result) if single else result

    def _body(self, line: int, end: int, prose: bool = True) -> None:
        """Add the Markdown source of lines ``line``..``end`` (as written) to the current part's body."""
        lines = self.md_lines[line:end]
        while lines and not lines[-1].strip():
            lines.pop()
        text = "\n".join(lines)
        if prose:
            text = self._prose(text, line, 0, self.part.path + ("body",))
        self.part.body.append((line, text))

    def _paragraph(self, inline, line: int, end: int) -> None:
        content = inline.content
        if content.startswith("!["):
            image = _image(content)
            if image:
                self._figure(image, line)
                return
        first = self.md_lines[line]
        if _RAW_LATEX_BLOCK.match(first.strip()):
            self.warn(line, 0, "raw LaTeX is not supported: left out", self.here())
            return
        if _CAPTION.match(first) and first.startswith(("Table:", "table:")):
            self.warn(line, 0, "a table caption with no table next to it (a blank line apart): kept in the body as text", self.here())
        self._body(line, end)

    def _points(self, tokens: list, a: int, b: int) -> None:
        part = self.part
        points = part.data.setdefault("points", [])
        if part.points_line < 0:
            part.points_line = tokens[a].map[0]
            self.marks[part.path + ("points",)] = (part.points_line + 1, 1)
        self._items(tokens, a, b, points, nested=False)

    def _items(self, tokens: list, a: int, b: int, points: list, nested: bool) -> None:
        part = self.part
        level = tokens[a].level
        warned_nested = False
        for k0, k1 in _children(tokens, a, b, level + 1):
            item = tokens[k0]
            line = item.map[0]
            texts = []
            for c0, c1 in _children(tokens, k0, k1, level + 2):
                child = tokens[c0]
                if child.type == "paragraph_open":
                    texts.append((child.map[0], tokens[c0 + 1].content))
                elif child.type in ("bullet_list_open", "ordered_list_open"):
                    if not warned_nested:
                        nested_at = self.md_lines[child.map[0]]
                        self.warn(child.map[0], len(nested_at) - len(nested_at.lstrip()), "a nested list is flattened: its items follow as points of their own (points have one level)", part.path + ("points",))
                        warned_nested = True
                    self._point(texts, points, line, item)
                    texts = []
                    self._items(tokens, c0, c1, points, nested=True)
                    line = -1
                else:
                    what = {"fence": "a code block", "code_block": "a code block", "blockquote_open": "a block quote", "heading_open": "a heading", "html_block": "raw HTML", "hr": "a horizontal rule"}.get(child.type, child.type)
                    self.warn(child.map[0] if child.map else line, 0, f"{what} inside a list item is not supported: left out (a point is one line of text)", part.path + ("points",))
            self._point(texts, points, line, item)

    def _point(self, texts: list, points: list, line: int, item) -> None:
        if not texts:
            if line >= 0:
                self.warn(line, 0, "an empty list item: left out", self.part.path + ("points",))
            return
        if len(texts) > 1:
            self.warn(texts[1][0], 0, "a point is one paragraph: this list item's paragraphs are joined into one", self.part.path + ("points",))
        first_line, content = texts[0]
        src = self.md_lines[first_line]
        m = _ITEM_MARK.match(src)
        col = m.end() if m and src.find(content.split("\n")[0], m.end()) == m.end() else max(src.find(content.split("\n")[0]), 0)
        if _TASK.match(content):
            self.warn(first_line, col, "a task list box ([ ] or [x]) is not supported: printed as the literal text", self.part.path + ("points",))
        for ln, c in texts:
            rows = c.split("\n")
            at = next((k for k in range(1, len(rows)) if _PIPE_ROW.match(rows[k])), None)
            if at is not None:
                self.warn(ln + at - 1, 0, "a table inside a list is not supported: its lines are printed as text in the point", self.part.path + ("points",))
        path = self.part.path + ("points", len(points))
        text = " ".join(self._prose(c, ln, col if ln == first_line else 0, path, single=True) for ln, c in texts)
        points.append(text)
        self.marks[path] = (first_line + 1, col + 1)

    def _quote(self, tokens: list, a: int, b: int) -> None:
        part = self.part
        line = tokens[a].map[0]
        if "quote" in part.data:
            self.warn(line, 0, "a part has one pull quote: this block quote is kept in the body as a quotation (give it a ## subsection of its own to make it a pull quote)", part.path)
            self._body(line, tokens[a].map[1])
            return
        paras = []
        for c0, c1 in _children(tokens, a, b, tokens[a].level + 1):
            child = tokens[c0]
            if child.type == "paragraph_open":
                paras.append((child.map[0], tokens[c0 + 1].content))
            else:
                self.warn(child.map[0] if child.map else line, 0, "a pull quote is text: this block inside the quote is left out", part.path + ("quote",))
        path = part.path + ("quote",)
        self.marks[path] = (line + 1, 1)
        quote: dict = {}
        if paras:
            last_line, last = paras[-1]
            rows = last.split("\n")
            m = _ATTRIBUTION.match(rows[-1].strip())
            if m:
                at = last_line + len(rows) - 1
                src = self.md_lines[at] if at < len(self.md_lines) else ""
                acol = max(src.find(m.group(1)), 0)
                quote["attribution"] = self._prose(m.group(1).strip(), at, acol, path + ("attribution",), single=True)
                self.marks[path + ("attribution",)] = (at + 1, acol + 1)
                rows = rows[:-1]
                paras[-1] = (last_line, "\n".join(rows))
                if not rows:
                    paras.pop()
        if len(paras) > 1:
            self.warn(paras[1][0], 0, "a pull quote is one paragraph: the quote's paragraphs are joined into one", path)
        texts = []
        for pline, content in paras:
            src = self.md_lines[pline]
            col = max(src.find(content.split("\n")[0]), 0)
            if not texts:
                self.marks[path + ("text",)] = (pline + 1, col + 1)
            texts.append(self._prose(content, pline, col, path + ("text",), single=True))
        quote["text"] = " ".join(texts)
        div = next((d for d in self.quote_divs if d["line"] < line < d["end"] and not d["used"]), None)
        if div is not None:
            div["used"] = True
            if div["layout"]:
                quote["layout"] = div["layout"][0]
                self.marks[path + ("layout",)] = (div["line"] + 1, div["layout"][1] + 1)
        part.data["quote"] = quote

    def _one(self, what: str, line: int, key: str = "") -> bool:
        """Return True if the current part has no ``what`` (its field ``key``) yet; else warn that this one is left out."""
        if (key or what) in self.part.data:
            self.warn(line, 0, f"a part has one {what}: this {what} is left out (give it a ## subsection of its own to keep it)", self.part.path)
            return False
        return True

    def _figure(self, image: dict, line: int) -> None:
        if not self._one("figure", line):
            return
        path = self.part.path + ("figure",)
        src = self.md_lines[line]
        col = max(src.find("!["), 0)
        self.marks[path] = (line + 1, col + 1)
        figure: dict = {"path": image["path"]}
        self.marks[path + ("path",)] = (line + 1, col + image["path_at"] + 1)
        if image["caption"]:
            figure["caption"] = self._prose(image["caption"], line, col + 2, path + ("caption",), single=True)
            self.marks[path + ("caption",)] = (line + 1, col + 3)
        attrs = image["attrs"]
        if image["title"]:
            self.warn(line, col, "an image title (\"...\" after the path) is not used by reportgen (ignored); the caption is the text in [ ]", path)
        for name in attrs:
            if name == "layout":
                at = src.find("layout", col + image["attrs_at"])
                at = at if at >= 0 else col
                if attrs["layout"].strip():
                    figure["layout"] = attrs["layout"].strip()
                    self.marks[path + ("layout",)] = (line + 1, at + 1)
                else:
                    self.error(line, at, 'layout needs the name of a layout of the slide master, e.g. layout="Title Only"', path + ("layout",))
            elif name not in ("fig-alt",):
                self.warn(line, col, f"image attribute {name} is not used by reportgen (ignored; figures are scaled to the page; fig-alt=\"...\" is the alt text, layout=\"...\" the slide layout)", path)
        if attrs.get("fig-alt", "").strip():
            figure["alt"] = attrs["fig-alt"].strip()
            self.marks[path + ("alt",)] = (line + 1, col + image["attrs_at"] + 1)
        else:
            self.error(line, col, 'a figure needs alt text (read aloud, and the deck\'s picture description): write ![caption](path){fig-alt="what the image shows"}', path + ("alt",))
        self.part.data["figure"] = figure

    def _chart(self, t, line: int) -> None:
        self._yaml_block(t, line, "chart", "chart", dict,
                         "the chart block is empty: give the chart's fields as YAML (type, title, categories, series)",
                         "a chart block holds the chart's fields as YAML (type: bar, title: ..., categories: [...], series: [...])")

    def _key_figures(self, t, line: int) -> None:
        self._yaml_block(t, line, "key-figures block", "key_figures", list,
                         "the key-figures block is empty: give a YAML list of key figures (- value: \"1,550\", label: what it counts)",
                         "a key-figures block holds a YAML list of key figures, each a value and a label (- value: \"1,550\", label: what it counts)")

    def _yaml_block(self, t, line: int, what: str, key: str, kind: type, empty: str, wrong: str) -> None:
        """Read the fenced block at ``line`` holding YAML (a chart's fields, a list of key figures) into the part's ``key``."""
        if not self._one(what, line, key):
            return
        path = self.part.path + (key,)
        indent = len(self.md_lines[line]) - len(self.md_lines[line].lstrip())
        self.marks[path] = (line + 1, indent + 1)
        if not t.content.strip():
            self.error(line, 0, empty, path)
            return
        try:
            src = yamlsrc.parse(t.content, self.file)
        except InputError as exc:
            self.problems += [replace(p, line=p.line + line + 1 if p.line else line + 1, col=(p.col + indent) if p.col else 1, path=format_path(path + yamlsrc_path(p.path))) for p in exc.problems]
            return
        if not isinstance(src.data, kind):
            self.error(line, 0, wrong, path)
            return
        for table, out in ((src.marks, self.marks), (src.key_marks, self.key_marks)):
            for p, (ln, col) in table.items():
                if p:
                    out[path + p] = (ln + line + 1, col + indent)
        self.part.data[key] = src.data

    def _table(self, line: int, table, caption: tuple[int, str] | None) -> None:
        if not self._need_part(line, "a table") or not self._one("table", line):
            return
        path = self.part.path + ("table",)
        self.marks[path] = (line + 1, 1)
        for wl, wc, message in table.warnings:
            self.warn(wl, wc, message, path)
        spec: dict = {}
        if caption:
            cline, ctext = caption
            ccol = max(self.lines[cline].find(ctext[:20]), 0)
            m = _HEADING_ATTRS.search(ctext)
            if m:  # Table: caption {source="..." slides-rows=12 ...}: reportgen's fields (pandoc keeps attributes on a table's caption)
                self._table_attributes(spec, m.group(1), cline, ccol + m.start(1), path)
                ctext = ctext[: m.start()]
            if ctext.strip():
                spec["caption"] = self._prose(ctext.strip(), cline, ccol, path + ("caption",), single=True)
                self.marks[path + ("caption",)] = (cline + 1, ccol + 1)
        spec["columns"] = []
        for c, (text, (ln, col)) in enumerate(zip(table.columns, table.column_pos)):
            spec["columns"].append(self._prose(text, ln, col, path + ("columns", c), single=True))
            self.marks[path + ("columns", c)] = (ln + 1, col + 1)
        self.marks[path + ("columns",)] = self.marks.get(path + ("columns", 0), (line + 1, 1))
        spec["rows"] = []
        for r, (row, (ln, col), cells) in enumerate(zip(table.rows, table.row_pos, table.cell_pos)):
            out = []
            for c, (text, (cl, cc)) in enumerate(zip(row, cells)):
                out.append(self._prose(text, cl, cc, path + ("rows", r, c), single=True))
                self.marks[path + ("rows", r, c)] = (cl + 1, cc + 1)
            spec["rows"].append(out)
            self.marks[path + ("rows", r)] = (ln + 1, col + 1)
        if table.rows:
            self.marks[path + ("rows",)] = self.marks[path + ("rows", 0)]
        if any(table.align):
            spec["align"] = [a or _default_align([row[c] for row in table.rows if c < len(row)]) for c, a in enumerate(table.align)]
        self.part.data["table"] = spec

    def _table_attributes(self, spec: dict, text: str, line: int, col: int, path: tuple) -> None:
        """Read a table caption's attributes ``text`` (at ``line``/``col``) into ``spec``: ``source``, ``layout``,
        ``slides-columns`` (headings, separated by commas; ``\\,`` for a comma in one) and ``slides-rows``."""
        for name, value, at in _attributes(text):
            where = (line, col + at)
            mark = (where[0] + 1, where[1] + 1)
            if name == "source" and value:
                spec["source"] = self._prose(value, *where, path + ("source",), single=True)
                self.marks[path + ("source",)] = mark
            elif name == "layout":
                if value.strip():
                    spec["layout"] = value.strip()
                    self.marks[path + ("layout",)] = mark
                else:
                    self.error(*where, 'layout needs the name of a layout of the slide master, e.g. layout="Title Only"', path + ("layout",))
            elif name == "slides-rows":
                slides = spec.setdefault("slides", {})
                slides["rows"] = value.strip() if value.strip() else None  # a whole number from 1: checked as the outline's field
                self.marks[path + ("slides",)] = self.marks.get(path + ("slides",), mark)
                self.marks[path + ("slides", "rows")] = mark
                if not value.strip():
                    self.error(*where, "slides-rows needs a number of rows, e.g. slides-rows=12 (the deck shows the table's first 12 rows)", path + ("slides", "rows"))
            elif name == "slides-columns":
                slides = spec.setdefault("slides", {})
                self.marks[path + ("slides",)] = self.marks.get(path + ("slides",), mark)
                self.marks[path + ("slides", "columns")] = mark
                value_at = text.find(value, at + len(name)) if value else -1
                slides["columns"] = []
                for k, (heading, offset) in enumerate(_names(value)):
                    slides["columns"].append(heading)
                    self.marks[path + ("slides", "columns", k)] = (mark[0], col + value_at + offset + 1) if value_at >= 0 else mark
            elif not name.startswith("#"):
                self.warn(*where, f"table attribute {name} is not used by reportgen (ignored; it reads source, slides-columns, slides-rows and layout)", path)

    def _body_div(self, line: int, first: int, text: str) -> None:
        if not self._need_part(line, "a ::: body div"):
            return
        self.part.body.append((first, self._prose(text, first, 0, self.part.path + ("body",))))

    def _notes(self, line: int, first: int, text: str) -> None:
        if not self._need_part(line, "a ::: notes div"):
            return
        path = self.part.path + ("notes",)
        self.part.notes.append((line + 1, self._prose(text, first, 0, path)))

    # --- footnotes, citations and sources ---------------------------------------------

    def _finish_footnotes(self) -> None:
        for key, note in self.footnotes.items():
            if not note.used:
                self.warn(note.line, 0, f"footnote [^{key}] is never referred to: left out")
            else:
                self._prose(note.text, note.line, note.col, ())  # warnings for what the note's text holds; references in it are pandoc's error too

    def _sources(self) -> None:
        refs, bib, nocite = self.front.get("references"), self.front.get("bibliography"), self.front.get("nocite")
        if refs is None and bib is None:
            if nocite is not None:
                self._fm_warn("nocite", "nocite is for references and bibliography entries; there are none (ignored)")
            return
        from .bibliography import cite_keys, cited_ids, from_bibliography_files, from_references

        cited = cited_ids(self.data)
        everything = False
        if nocite is not None:
            if isinstance(nocite, list):
                nocite = " ".join(x for x in nocite if isinstance(x, str))
            if not isinstance(nocite, str):
                self._fm_error(("nocite",), "expected citations as text, e.g. nocite: '@a, @b' (or '@*' for every entry)")
            else:
                everything = "@*" in nocite
                cited |= set(cite_keys(nocite))
        sources = self.data.setdefault("sources", [])
        if ("sources",) not in self.marks:
            self.marks[("sources",)] = self._fm_pos(("references",) if refs is not None else ("bibliography",), key=True)
        if refs is not None:
            from_references(self, refs, cited, everything, sources)
        if bib is not None:
            from_bibliography_files(self, bib, cited, everything, sources)


_PIPE_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*\|")
_BREAK = re.compile(r"([ \t]*)\n[ \t]*")


def _one_line(text: str) -> str:
    """Return inline ``text`` on one line: each soft line break a space; a hard one (two spaces, or a backslash) kept."""
    if "\n" not in text:
        return text

    def join(m: re.Match) -> str:
        if len(m.group(1)) >= 2 or (not m.group(1) and m.start() > 0 and _escaped(text, m.start())):
            return m.group(0)
        return " "

    return _BREAK.sub(join, text)


def yamlsrc_path(text: str) -> tuple:
    """Return the path tuple of a formatted path (``series[0].values``)."""
    from .loader import parse_path

    return parse_path(text) if text else ()


def _close(tokens: list, k: int) -> int:
    """Return the index of the token closing the block opened at ``k`` (``k`` itself for a block of one token)."""
    if tokens[k].nesting != 1:
        return k
    depth = 0
    for j in range(k, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _children(tokens: list, a: int, b: int, level: int):
    """Yield (open, close) of each block directly inside the one from ``a`` to ``b`` (its tokens at ``level``)."""
    k = a + 1
    while k < b:
        t = tokens[k]
        if t.level == level and t.nesting >= 0:
            end = _close(tokens, k)
            yield k, end
            k = end + 1
        else:
            k += 1


def _classes(attrs: str) -> list[str]:
    """Return the class names of a fenced div's attributes: ``notes``, ``{.notes #n}``."""
    attrs = attrs.strip()
    if attrs.startswith("{") and attrs.endswith("}"):
        return [w[1:] for w in attrs[1:-1].split() if w.startswith(".")]
    return [attrs.split()[0]] if attrs else []


def _fence_class(info: str) -> str:
    """Return the class of a fenced code block: ``chart`` for ```` ```chart ```` and ```` ``` {.chart} ````."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        words = info[1:-1].split()
        return words[0].lstrip(".") if words else ""
    return info.split()[0] if info else ""


def _names(text: str) -> list[tuple[str, int]]:
    """Return (name, offset) of each comma-separated name of ``text`` (``\\,`` a comma inside a name), each stripped."""
    out: list[tuple[str, int]] = []
    if not text.strip():
        return out
    start, k, piece = 0, 0, []
    while k <= len(text):
        ch = text[k] if k < len(text) else ","
        if ch == "\\" and k + 1 < len(text) and text[k + 1] in ",\\":
            piece.append(text[k + 1])
            k += 2
            continue
        if ch == ",":
            raw = "".join(piece)
            lead = len(raw) - len(raw.lstrip())
            out.append((raw.strip(), start + lead))
            start, piece = k + 1, []
        else:
            piece.append(ch)
        k += 1
    return out


def _is_comment(html: str) -> bool:
    html = html.strip()
    return html.startswith("<!--") and html.endswith("-->") and html.count("-->") == 1


def _mask(text: str) -> str:
    """Return ``text`` with code spans and addresses blanked (the same length), for finding constructs in what is left."""
    if "`" not in text and "<" not in text and "http" not in text and "](" not in text:
        return text
    chars = list(text)
    runs: dict[int, list[int]] = {}
    found = [(m.start(), m.end()) for m in _CODE_RUN.finditer(text) if not _escaped(text, m.start())]
    for s, e in found:
        runs.setdefault(e - s, []).append(s)
    done = 0
    for s, e in found:
        if s < done:
            continue
        same = runs[e - s]
        k = bisect.bisect_right(same, s)
        if k < len(same):
            close = same[k]
            for x in range(e, close):
                chars[x] = " "
            done = close + (e - s)
    masked = "".join(chars)
    return _ADDRESS.sub(lambda m: " " * len(m.group()), masked)


def _escaped(text: str, pos: int) -> bool:
    n = 0
    while pos - n - 1 >= 0 and text[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _image(content: str) -> dict | None:
    """Return the parts of a paragraph that is one image, ``![caption](path "title"){attrs}``, or None."""
    text = content.strip()
    n = len(text)
    depth, k = 0, 2
    while k < n:
        ch = text[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "`":
            run = len(text[k:]) - len(text[k:].lstrip("`"))
            close = text.find("`" * run, k + run)
            if close < 0:
                return None
            k = close + run
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            if depth == 0:
                break
            depth -= 1
        k += 1
    if k >= n or text[k + 1 : k + 2] != "(":
        return None
    caption = text[2:k]
    p = k + 2
    while p < n and text[p] in " \t\n":
        p += 1
    if p < n and text[p] == "<":
        close = text.find(">", p)
        if close < 0:
            return None
        dest, path_at, p = text[p + 1 : close], p + 1, close + 1
    else:
        start, parens = p, 0
        while p < n and text[p] not in " \t\n":
            if text[p] == "\\":
                p += 2
                continue
            if text[p] == "(":
                parens += 1
            elif text[p] == ")":
                if parens == 0:
                    break
                parens -= 1
            p += 1
        dest, path_at = text[start:p], start
    while p < n and text[p] in " \t\n":
        p += 1
    title = ""
    if p < n and text[p] in "\"'(":
        closer = {"\"": "\"", "'": "'", "(": ")"}[text[p]]
        close = text.find(closer, p + 1)
        if close < 0:
            return None
        title, p = text[p + 1 : close], close + 1
        while p < n and text[p] in " \t\n":
            p += 1
    if p >= n or text[p] != ")":
        return None
    p += 1
    attrs: dict[str, str] = {}
    attrs_at = p
    if p < n and text[p] == "{":
        close = text.find("}", p)
        if close < 0:
            return None
        for name, value, _at in _attributes(text[p + 1 : close]):
            attrs[name] = value
        p = close + 1
    if text[p:].strip():
        return None
    dest = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", dest)
    lead = len(content) - len(content.lstrip())
    return {"caption": caption, "path": dest, "path_at": path_at + lead, "title": title, "attrs": attrs, "attrs_at": attrs_at + lead + 1}


def _default_align(cells: list[str]) -> str:
    """Return the alignment reportgen gives a column the table leaves open (``compose.decide``): numbers right, else left."""
    from .compose.decide import _NOT_A_VALUE, is_number

    values = [c.strip() for c in cells if c.strip() and c.strip() not in _NOT_A_VALUE]
    return "right" if values and all(is_number(v) for v in values) else "left"

