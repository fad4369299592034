"""Text fitting for slides: measure, shrink, split. Pure Python (no python-pptx).

Text is a list of ``Para`` (runs of styled text, a list level, a bullet kind).
``Measurer`` wraps each paragraph to a width with the TTF advance widths of the
deck's font family and returns heights in points: lines x 1.2 x size plus the
paragraph's space before. ``fit`` then picks a size (shrinking in 1 pt steps to
a floor) and, when even the floor does not fit, splits the paragraphs into pages:
between top-level items first, between paragraphs of an item next, and inside a
paragraph (at a sentence, else a word boundary) only when one alone is too tall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ...fontmetrics import FontMetrics

# Line pitch as a multiple of the size. Presentations use "font-independent"
# line spacing: 100 % is 1.2 x the size whatever the font's hhea metrics say
# (Liberation Sans's ascender+descender+lineGap is 1.15, but LibreOffice 7.4
# sets Arial, Times, Courier and DejaVu lines 28.8 pt apart at 24 pt, and so
# does PowerPoint). Checked against LibreOffice's PDF in tests/test_deck_features.py.
LINE = 1.2
SAFETY = 0.98  # wrap against 98 % of the width: renderers round differently
STEP = 1.0  # shrink step, points: fill the box, not "the size two points down"


@dataclass
class Run:
    text: str  # "\n" alone = a line break
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""
    note: int = 0  # the mark of footnote ``note``: its number, drawn raised (the note goes in the slide's speaker notes)
    lang: str = ""  # a span's language (BCP 47); "": the deck's


@dataclass
class Para:
    runs: list[Run]
    level: int = 0  # 0-based list level
    bullet: str = "none"  # bullet | number | none
    number: int = 0  # for bullet == "number": this item's number
    style: str = "body"  # body | lead | small | note | heading
    group: int = 0  # paragraphs with the same group are kept together if they can be
    first_of_item: bool = True  # the item's own paragraph (vs. a continuation)
    hang: bool = False  # no bullet, but aligned with the text of a level-``level`` bullet

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Fonts:
    regular: FontMetrics
    bold: FontMetrics
    italic: FontMetrics
    bold_italic: FontMetrics
    mono: FontMetrics

    @classmethod
    def from_paths(cls, regular: str, bold: str = "", italic: str = "", bold_italic: str = "", mono: str = "") -> "Fonts":
        r = FontMetrics.load(regular)
        b = FontMetrics.load(bold) if bold else r
        i = FontMetrics.load(italic) if italic else r
        bi = FontMetrics.load(bold_italic) if bold_italic else b
        m = FontMetrics.load(mono) if mono else r
        return cls(r, b, i, bi, m)

    def of(self, run: Run, bold: bool = False) -> FontMetrics:
        if run.code:
            return self.mono
        b = run.bold or bold
        if b and run.italic:
            return self.bold_italic
        if b:
            return self.bold
        if run.italic:
            return self.italic
        return self.regular


@dataclass
class Frame:
    """A text box in points: width, height and insets; indents per list level."""

    width: float
    height: float
    insets: tuple[float, float, float, float] = (7.2, 3.6, 7.2, 3.6)  # l t r b
    margins: list[float] = field(default_factory=lambda: [0.0] * 9)  # marL per level (pt)

    @property
    def inner_w(self) -> float:
        return self.width - self.insets[0] - self.insets[2]

    @property
    def inner_h(self) -> float:
        return self.height - self.insets[1] - self.insets[3]


@dataclass
class Spec:
    """How sizes and spacing derive from the base size."""

    base: float
    floor: float
    bold: bool = False  # measure every run bold (titles)
    first_space: bool = True  # count the first paragraph's space before

    def size(self, para: Para) -> float:
        s = self.base
        if para.style in ("small", "note"):
            s = self.base - 4
        elif para.level >= 1:
            s = self.base - 2 * min(para.level, 2)
        return max(min(self.floor, self.base), s)

    def space_before(self, para: Para, first: bool) -> float:
        if first:
            return 0.0
        s = self.size(para)
        if para.level == 0 and para.first_of_item:
            return round(s * 0.5)
        return round(s * 0.25)


_TOKEN_CACHE = 50_000  # paragraphs' tokens a ``Measurer`` keeps (then it starts again): bounded memory on any deck


class Measurer:
    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self._measured: dict[tuple, tuple[tuple[float, float, bool], ...]] = {}  # ``_tokens``, by what decides them
        self._wrapped: dict[tuple, int] = {}  # ``lines``, by the same and the width

    # --- wrapping -------------------------------------------------------

    def _tokens(self, para: Para, size: float, bold: bool) -> tuple[tuple[float, float, bool], ...]:
        """Return (width incl. trailing spaces, width without them, forced break after) per token of ``para`` at
        ``size``. Fitting a slide measures the same paragraph at the same size again and again (each split tried, each
        box): kept by its runs' texts and faces, the size and ``bold`` (a paragraph's runs may be replaced)."""
        return self._tokens_of(para, self._key(para, size, bold))

    @staticmethod
    def _key(para: Para, size: float, bold: bool) -> tuple:
        """Return what decides ``para``'s tokens at ``size``: its runs' texts and faces, the size, ``bold``."""
        return (tuple([(r.text, r.code, r.bold, r.italic) for r in para.runs]), size, bold)

    def _tokens_of(self, para: Para, key: tuple) -> tuple[tuple[float, float, bool], ...]:
        """Return ``_tokens`` of ``para`` whose ``_key`` is ``key``: kept, or measured now (and kept)."""
        got = self._measured.get(key)
        if got is None:
            if len(self._measured) >= _TOKEN_CACHE:
                self._measured.clear()
            got = self._measured[key] = tuple(self._measure(para.runs, key[1], key[2]))
        return got

    def _measure(self, runs: list[Run], size: float, bold: bool) -> list[tuple[float, float, bool]]:
        """Return ``_tokens`` of ``runs``, measured."""
        out: list[tuple[float, float, bool]] = []
        cur_w = 0.0
        cur_trail = 0.0
        in_space = False
        started = False
        for run in runs:
            if run.text == "\n":
                out.append((cur_w + cur_trail, cur_w, True))
                cur_w = cur_trail = 0.0
                in_space = started = False
                continue
            font = self.fonts.of(run, bold)
            for piece in re.findall(r"\s+|[^\s]+", run.text):
                w = font.width(piece, size)
                if piece[0].isspace():
                    cur_trail += w
                    in_space = True
                else:
                    if in_space and started:
                        out.append((cur_w + cur_trail, cur_w, False))
                        cur_w = cur_trail = 0.0
                    elif in_space:  # leading spaces count as width
                        cur_w += cur_trail
                        cur_trail = 0.0
                    cur_w += w
                    in_space = False
                    started = True
        out.append((cur_w + cur_trail, cur_w, False))
        return out

    def lines(self, para: Para, size: float, width: float, bold: bool = False) -> int:
        """Number of lines ``para`` wraps to at ``size`` in ``width`` points (kept, like its tokens: fitting asks again)."""
        key = self._key(para, size, bold)
        wrapped = self._wrapped.get((key, width))
        if wrapped is None:
            if len(self._wrapped) >= _TOKEN_CACHE:
                self._wrapped.clear()
            wrapped = self._wrapped[(key, width)] = self._wrap(self._tokens_of(para, key), width)
        return wrapped

    @staticmethod
    def _wrap(tokens: tuple[tuple[float, float, bool], ...], width: float) -> int:
        """Return how many lines ``tokens`` (``_tokens``) wrap to in ``width`` points."""
        width *= SAFETY
        n = 1
        line = 0.0
        for full, bare, brk in tokens:
            if line > 0 and line + bare > width:
                n += 1
                line = 0.0
            if line == 0 and bare > width:  # a word wider than the line: broken by characters
                extra = int(bare // width)
                n += extra
                line = bare - extra * width
                line += full - bare
            else:
                line += full
            if brk:
                n += 1
                line = 0.0
        return n

    def para_width(self, para: Para, size: float, bold: bool = False) -> float:
        return sum(full for full, _bare, _b in self._tokens(para, size, bold))

    def longest_word(self, para: Para, size: float, bold: bool = False) -> float:
        return max((bare for _f, bare, _b in self._tokens(para, size, bold)), default=0.0)

    # --- heights ----------------------------------------------------------


    def text_width(self, para: Para, frame: Frame, size: float = 0.0) -> float:
        return max(frame.inner_w - left_margin(para, frame.margins, size), 1.0)

    def para_height(self, para: Para, spec: Spec, frame: Frame, first: bool) -> float:
        size = spec.size(para)
        n = self.lines(para, size, self.text_width(para, frame, size), spec.bold)
        before = spec.space_before(para, first) if (spec.first_space or not first) else 0.0
        return n * LINE * size + before

    def height(self, paras: list[Para], spec: Spec, frame: Frame) -> float:
        return sum(self.para_height(p, spec, frame, i == 0) for i, p in enumerate(paras))

    def fits(self, paras: list[Para], spec: Spec, frame: Frame) -> bool:
        return self.height(paras, spec, frame) <= frame.inner_h + 0.01


@dataclass
class Fit:
    pages: list[list[Para]]
    size: float
    shrunk: bool
    split: bool
    overflow: bool = False  # even one line does not fit (box too small)


def steps(start: float, floor: float, step: float = STEP) -> list[float]:
    out = []
    s = start
    while s > floor + 1e-6:
        out.append(s)
        s -= step
    out.append(min(floor, start))
    return out


def fit(m: Measurer, paras: list[Para], frame: Frame, start: float, floor: float, bold: bool = False, allow_split: bool = True) -> Fit:
    """Choose a size in steps from ``start`` down to ``floor``; split into pages if needed."""
    sizes = steps(start, floor)
    for s in sizes:
        if m.fits(paras, Spec(s, floor, bold), frame):
            return Fit([paras], s, s < start, False)
    if not allow_split or not paras:
        return Fit([paras], sizes[-1], sizes[-1] < start, False, overflow=True)
    n = len(paginate(m, paras, Spec(sizes[-1], floor, bold), frame))
    # Prefer the largest size that needs no more pages than the floor does.
    for s in sizes:
        spec = Spec(s, floor, bold)
        pages = paginate(m, paras, spec, frame)
        if len(pages) <= n:
            return Fit(balance(m, paras, spec, frame, pages), s, s < start, True)
    raise AssertionError("unreachable")


def balance(m: Measurer, paras: list[Para], spec: Spec, frame: Frame, pages: list[list[Para]]) -> list[list[Para]]:
    """Even out ``pages``: the shortest box height that gives as many pages and no more cuts."""
    n, cuts = len(pages), sum(len(p) for p in pages)
    lo, hi, best = 0.0, frame.height, pages
    for _ in range(14):
        mid = (lo + hi) / 2
        trial = paginate(m, paras, spec, replace(frame, height=mid))
        if len(trial) <= n and sum(len(p) for p in trial) <= cuts and all(m.fits(p, spec, frame) for p in trial):
            best, hi = trial, mid
        else:
            lo = mid
    return best


def _groups(paras: list[Para]) -> list[list[Para]]:
    out: list[list[Para]] = []
    for p in paras:
        if out and out[-1][0].group == p.group:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def paginate(m: Measurer, paras: list[Para], spec: Spec, frame: Frame) -> list[list[Para]]:
    pages: list[list[Para]] = [[]]
    for group in _groups(paras):
        if m.fits(pages[-1] + group, spec, frame):
            pages[-1].extend(group)
            continue
        if pages[-1] and m.fits(group, spec, frame):
            pages.append(list(group))
            continue
        # The group alone is too tall: place it paragraph by paragraph.
        for para in group:
            if m.fits(pages[-1] + [para], spec, frame):
                pages[-1].append(para)
                continue
            if pages[-1] and m.fits([para], spec, frame):
                pages.append([para])
                continue
            rest: Para | None = para
            while rest is not None:
                if m.fits(pages[-1] + [rest], spec, frame):
                    pages[-1].append(rest)
                    break
                head, tail = split_para(m, rest, pages[-1], spec, frame)
                if head is None:
                    if not pages[-1]:  # not even a word fits: give up on this box
                        pages[-1].append(rest)
                        break
                    pages.append([])
                    continue
                pages[-1].append(head)
                pages.append([])
                rest = tail
    return [p for p in pages if p]


_SENTENCE = re.compile(r"(?<=[.!?…;:])[\"'”’)\]]*\s+")
_WORD = re.compile(r"\s+")


def _cut(para: Para, pos: int, end: int) -> tuple[Para, Para]:
    """Split ``para`` at character ``pos`` (start of the tail at ``end``)."""
    head_runs: list[Run] = []
    tail_runs: list[Run] = []
    i = 0
    for r in para.runs:
        j = i + len(r.text)
        if j <= pos:
            head_runs.append(r)
        elif i >= end:
            tail_runs.append(r)
        else:
            if pos > i:
                head_runs.append(replace(r, text=r.text[: pos - i]))
            if j > end:
                tail_runs.append(replace(r, text=r.text[max(end - i, 0):]))
        i = j
    head = replace(para, runs=head_runs)
    tail = replace(para, runs=tail_runs, bullet="none", first_of_item=False, hang=para.hang or para.bullet != "none")
    return head, tail


def split_para(m: Measurer, para: Para, page: list[Para], spec: Spec, frame: Frame) -> tuple[Para | None, Para | None]:
    """The longest head of ``para`` that fits after ``page`` (sentence boundary, else word)."""
    text = para.text
    for pattern in (_SENTENCE, _WORD):
        cuts = [(mt.start(), mt.end()) for mt in pattern.finditer(text) if 0 < mt.start() and mt.end() < len(text)]
        lo, hi, best = 0, len(cuts) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            head, tail = _cut(para, *cuts[mid])
            if m.fits(page + [head], spec, frame):
                best = (head, tail)
                lo = mid + 1
            else:
                hi = mid - 1
        if best is not None:
            return best
    return None, None


def left_margin(para: Para, margins: list[float], size: float) -> float:
    """Return the text's left margin (pt) for ``para``: the level's indent; wider for "10." numbers."""
    lvl = min(para.level, len(margins) - 1)
    if para.bullet == "none" and not para.hang:
        return 0.0
    if para.bullet == "number":
        return max(margins[lvl], 1.7 * size)
    return margins[lvl]
