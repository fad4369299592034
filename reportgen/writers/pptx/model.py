"""The plain data between the deck writer's steps. Pure: no python-pptx.

``Geometry`` is what planning needs to know of the slide master (read once by
``geometry.read``): the slide size, the body text's indents per level, and for
each layout the deck uses its placeholders and the ones a new slide on it gets
(kind, index, box, insets, inherited text sizes). ``DeckPlan`` is what
planning decides (``plan.plan_deck``) and emitting draws (``emit.emit``): one
``PlannedSlide`` per slide of the deck, in order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ...doctree import Chart
from ...errors import InputError, Problem
from .fit import Para, Spec
from .units import Box

FOOTER_TYPES = ("dt", "ftr", "sldNum")


# --- geometry ---------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    """One placeholder: its ``p:ph`` type ("obj" when it names none) and idx; its box and text
    insets in EMU, its own or inherited, read for the placeholders the plan puts things in or by (a
    slide's, but for its footers; a layout's body and picture placeholders; the master's body),
    else None (``box`` None also when python-pptx finds no position for it); the size in points
    its level-1 text inherits (None: unknown, or not read), read for what the plan can put there:
    a title (idx 0) and a subtitle (a subTitle or body placeholder after it)."""

    type: str
    idx: int
    box: Box | None
    insets: tuple[int, int, int, int] | None
    title_size: float | None = None
    body_size: float | None = None
    name: str = ""

    @property
    def footer(self) -> bool:
        return self.type in FOOTER_TYPES


@dataclass(frozen=True)
class LayoutGeometry:
    """A layout: its own placeholders, and those a new slide on it holds (the ones python-pptx
    clones, in order, then the footer, date and number placeholders the writer copies)."""

    name: str
    placeholders: tuple[Placeholder, ...]
    slide: tuple[Placeholder, ...]

    def find(self, *types: str, idx: int | None = None) -> Placeholder | None:
        """The first of the layout's placeholders whose type is one of ``types`` (or whose idx is ``idx``)."""
        for ph in self.placeholders:
            if idx is not None and ph.idx == idx:
                return ph
            if ph.type in types:
                return ph
        return None


@dataclass(frozen=True)
class Geometry:
    """The slide master as planning sees it; ``layouts`` is keyed by the layout names the deck asks for."""

    width: int
    height: int
    margins: tuple[float, ...]  # marL of body levels 1..9, points
    layouts: dict[str, LayoutGeometry]
    master_body: Placeholder | None = None  # the master's body placeholder
    where: str = ""  # the master's file, for messages

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Geometry:
        def ph(p: dict | None) -> Placeholder | None:
            if p is None:
                return None
            box = tuple(p["box"]) if p["box"] is not None else None
            return Placeholder(**{**p, "box": box, "insets": tuple(p["insets"]) if p["insets"] is not None else None})

        layouts = {k: LayoutGeometry(v["name"], tuple(map(ph, v["placeholders"])), tuple(map(ph, v["slide"]))) for k, v in d["layouts"].items()}
        return cls(d["width"], d["height"], tuple(d["margins"]), layouts, ph(d["master_body"]), d.get("where", ""))


def box_of(ph: Placeholder, layout: str, where: str) -> Box:
    """``ph``'s box; an ``InputError`` naming the master when python-pptx finds none."""
    if ph.box is None:
        what = f"placeholder {ph.name!r}" if ph.name else "a placeholder"
        raise InputError(Problem(where or "slide master", 0, 0, f"slide master: {what} ({ph.type}, idx {ph.idx}) of layout {layout!r} has no position and size"))
    return ph.box


# --- the plan ---------------------------------------------------------------


@dataclass
class Fitted:
    """How text was fitted: from ``start`` points to ``size``; onto ``pages`` slides; ``overflow``: not even at the floor."""

    start: float
    size: float
    shrunk: bool = False
    pages: int = 1
    overflow: bool = False


@dataclass
class Text:
    """Paragraphs set in one frame: placeholder ``target`` of the slide, or (None) a new text box at
    ``box``. A placeholder with a ``box`` is moved there first; ``height`` is the frame's final
    height when it is fitted to its text. ``sized``: sizes are written on each run (else left to
    the placeholder's inherited ones). A title with no ``target`` (its layout has no title
    placeholder) is drawn in a title placeholder made at ``box``, off the slide: PowerPoint,
    its outline and screen readers find it, the slide shows nothing of it."""

    paras: list[Para]
    spec: Spec
    target: int | None = None
    box: Box | None = None
    height: int | None = None
    sized: bool = True
    role: str = "body"  # title | subtitle | body | column | lead-in (text above a visual)
    fitted: Fitted | None = None
    bullets: bool = False  # draw list bullets explicitly (the placeholder's style has none, e.g. a section slide's text)


@dataclass
class Caption:
    """A small text box (a table or figure caption, a chart's source) at ``box``, at ``size`` points."""

    box: Box
    paras: list[Para]
    size: float
    insets: tuple[float, float, float, float] = (0.0, 2.0, 0.0, 2.0)  # points


@dataclass
class TablePlan:
    """Column widths (pt), row heights (pt: header, row 1, ...) and the size the table is set at."""

    widths: list[float]
    heights: list[float]
    size: float


@dataclass
class TableVisual:
    """One page of a native table at the top of ``box``: the header row and ``rows`` (numbers ``row_numbers``, 1-based)."""

    box: Box
    layout: TablePlan
    header: list[Para]
    rows: list[list[Para]]
    align: list[str]
    row_numbers: list[int]
    page: int = 1
    pages: int = 1
    caption: Caption | None = None  # drawn below the table
    alt: str = ""  # its text alternative (the frame's description): a table slide's title (the table's caption), else its caption; "(2 of 3)"


@dataclass
class ChartVisual:
    """A native chart filling ``box``, text at ``size`` points, with its own title if ``title``.

    ``number_format`` is the chart's number format (axis, labels, its data);
    ``labels`` the text of each point's data label per series, as the chart
    shows it ("": no label, on a zero value), in ``label_format``: the
    values', or (``shares``, a pie with no format of its own) each slice's
    share of the whole. ``low_categories``: the category labels sit at the
    plot area's low edge, not at the zero line (a negative value's bar and
    label would cover them there).
    """

    box: Box
    chart: Chart
    size: float
    title: bool = True
    caption: Caption | None = None  # the source line, drawn after it, below it
    number_format: str = "General"
    labels: list[list[str]] = field(default_factory=list)
    label_format: str = "General"
    shares: bool = False
    low_categories: bool = False
    alt: str = ""  # its text alternative (the frame's description, ``chartalt``)


@dataclass
class FigureVisual:
    """A picture placed at ``box`` (scaled into its area, centred) from ``image`` (PNG or JPEG bytes)."""

    box: Box
    image: bytes
    pixels: tuple[int, int]
    alt: str
    caption: Caption | None = None  # drawn after it, below it


@dataclass
class PlannedSlide:
    """One slide: drawn as ``title_text``, ``texts`` in order, ``drop`` (placeholders removed), ``visuals`` in order.

    ``placeholders`` are those the slide holds when made (its layout's, then
    footers); text targets and ``drop`` index them. ``anchor``: the id links
    jump to. ``back_link``: the title jumps to the agenda slide.
    """

    number: int
    layout: str
    kind: str
    title: str
    where: str
    placeholders: list[Placeholder]
    continued: bool = False
    anchor: str = ""
    footers: bool = True
    notes: list[str] = field(default_factory=list)
    title_target: int | None = None
    title_text: Text | None = None
    texts: list[Text] = field(default_factory=list)
    drop: list[int] = field(default_factory=list)
    visuals: list = field(default_factory=list)
    back_link: bool = False
    origin: str = ""  # the outline part it shows ("sections[2].points"), for warnings

    def paragraphs(self):
        """Every paragraph drawn on the slide, in drawing order (links are resolved in this order)."""
        if self.title_text is not None:
            yield from self.title_text.paras
        for t in self.texts:
            yield from t.paras
        for v in self.visuals:
            if isinstance(v, TableVisual):
                ncols = len(v.layout.widths)
                for row in [v.header, *v.rows]:
                    for c in range(ncols):
                        if c < len(row):
                            yield row[c]
            if v.caption is not None:
                yield from v.caption.paras


@dataclass
class DeckPlan:
    """The whole deck: slides, the warnings (every shrink, split, overflow and dangling link, in
    order), where links land (``anchors``: id -> slide number; ``agenda``: the agenda slide's),
    the footer text and date, body indents (pt per level) and the core properties."""

    slides: list[PlannedSlide]
    warnings: list  # of errors.Problem
    anchors: dict[str, int]
    agenda: int | None
    footer: str
    date_text: str
    margins: list[float]
    core: dict
    lang: str = "en"  # every text run's language (BCP 47), for spelling and screen readers
