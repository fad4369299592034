"""The theme of a template pack (``theme.yaml``), typed and resolved.

Writers receive a ``Theme``; they never read YAML. Colours are ``#RRGGBB``;
lengths are numbers of points or text with a unit (``20mm``, ``0.75in``,
``2cm``, ``54pt``) and are stored in points. Paths are resolved inside the
pack; one that leaves the pack is an input error.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from .errors import InputError, Problem
from .validate import validate
from .yamlsrc import Source, read

_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _length(value: object) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    m = _LENGTH.match(str(value)) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"expected a length such as 20mm, 0.75in, 2cm or 54pt, got {value!r}")
    return float(m.group(1)) * _UNITS[m.group(2) or "pt"]


def _colour(value: object) -> str:
    if isinstance(value, str) and _COLOUR.match(value.strip()):
        return value.strip().upper()
    raise ValueError(f"expected a colour as #RRGGBB, got {value!r}")


Length = Annotated[float, BeforeValidator(_length)]
Colour = Annotated[str, BeforeValidator(_colour)]
Margin = Annotated[float, BeforeValidator(_length), Field(ge=0, le=288)]  # 0 to 4 inches
SmallSize = Annotated[float, Field(ge=4, le=12)]  # points: running header and footer, captions, sources
TextSize = Annotated[float, Field(ge=4, le=24)]  # points: body text, notes, tables
HeadingSize = Annotated[float, Field(ge=4, le=48)]  # points: headings, the cover's subtitle
DisplaySize = Annotated[float, Field(ge=4, le=72)]  # points: the cover title, slide titles and slide text
MIN_FRAME = 288.0  # the page's text frame (page less margins) is at least 4 inches each way


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FontFamily(_Model):
    """One family: TTF files in the pack, and the name office suites know it by."""

    office_name: str  # named in the deck; a metric-compatible system font
    regular: str
    bold: str = ""
    italic: str = ""
    bold_italic: str = ""


class Fonts(_Model):
    families: dict[str, FontFamily]
    report_body: str = "serif"
    report_heading: str = "sans"
    deck: str = "sans"
    mono: str = "mono"
    # Families tried in order for a character the role's own family lacks (e.g. a
    # wide-coverage font for other scripts). The PDF switches to the first that has it.
    fallback: list[str] = []

    @model_validator(mode="after")
    def _known_fallbacks(self) -> "Fonts":
        unknown = [name for name in self.fallback if name not in self.families]
        if unknown:
            raise ValueError(f"fallback names no font family {', '.join(repr(n) for n in unknown)} (expected one of: {', '.join(self.families)})")
        return self

    def chain(self, role: str) -> list[str]:
        """Family names for ``role`` (report_body, report_heading, deck, mono): its own, then the fallbacks."""
        own = getattr(self, role)
        return [own] + [name for name in self.fallback if name != own]


class Palette(_Model):
    primary: Colour = "#1F3A5F"  # headings, cover band, table headers
    secondary: Colour = "#3E6A8A"
    accent: Colour = "#B5342B"  # classification marking, rules
    text: Colour = "#1A1A1A"
    muted: Colour = "#5B6573"  # captions, footers
    light: Colour = "#EDF1F6"  # callout and zebra fill
    rule: Colour = "#C9D2DD"
    background: Colour = "#FFFFFF"
    chart: list[Colour] = Field(default_factory=lambda: ["#1F3A5F", "#B5342B", "#6C8EBF", "#E0A030", "#4E937A", "#8E6C8A"], min_length=1)


class Sizes(_Model):
    """Type sizes in points (small print 4-12, text 4-24, headings 4-48, cover and slide text 4-72), and the line height as a multiple of the size (1-2.5)."""

    body: TextSize = 10.5
    leading: Annotated[float, Field(ge=1.0, le=2.5)] = 1.4  # line height as a multiple of the size
    small: SmallSize = 8.5
    h1: HeadingSize = 17
    h2: HeadingSize = 13
    h3: HeadingSize = 11
    cover_title: DisplaySize = 30
    cover_subtitle: HeadingSize = 15
    deck_title: DisplaySize = 30
    deck_body: DisplaySize = 20
    deck_body_min: DisplaySize = 14  # never shrink slide text below this
    deck_notes: TextSize = 12
    table: TextSize = 8.5  # table cell text
    table_min: TextSize = 6.5  # a wide table's text may shrink to this before it turns landscape
    deck_table: TextSize = 16  # a slide table's text
    deck_table_min: TextSize = 10  # a slide table shrinks to this before its rows go on more slides

    @model_validator(mode="after")
    def _minimums_below_maximums(self) -> "Sizes":
        for low, high in (("deck_body_min", "deck_body"), ("table_min", "table"), ("deck_table_min", "deck_table")):
            if getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low} ({getattr(self, low):g}pt) is above {high} ({getattr(self, high):g}pt); expected a minimum at most the size it shrinks from")
        return self


class Margins(_Model):
    """Page margins, each 0 to 4 inches (``20mm``, ``0.75in``, ``2cm``, ``54pt``)."""

    top: Margin = 25 * 72 / 25.4
    bottom: Margin = 22 * 72 / 25.4
    left: Margin = 22 * 72 / 25.4
    right: Margin = 22 * 72 / 25.4


PAGE_SIZES = {"A4": (595.2756, 841.8898), "letter": (612.0, 792.0)}  # points, portrait


class Page(_Model):
    size: Literal["A4", "letter"] = "A4"
    margins: Margins = Margins()
    # A table too wide for the frame even at sizes.table_min: set it on a landscape
    # page of its own ("landscape"), or stop with an error naming it ("error").
    wide_tables: Literal["landscape", "error"] = "landscape"
    # The cover: the title in white on a band of the primary colour ("band"), or in the
    # primary colour on the page beside an accent bar ("light").
    cover: Literal["band", "light"] = "band"

    @model_validator(mode="after")
    def _room_for_text(self) -> "Page":
        w, h = PAGE_SIZES[self.size]
        m = self.margins
        width, height = w - m.left - m.right, h - m.top - m.bottom
        if min(width, height, h - m.left - m.right) < MIN_FRAME:  # a landscape page turns the side margins to top and bottom
            raise ValueError(
                f"the margins leave {min(width, h - m.left - m.right):.0f} x {height:.0f} pt of a {self.size} page for text; "
                f"expected at least {MIN_FRAME:.0f} pt each way"
            )
        return self


class Marking(_Model):
    """The classification banner: text comes from the outline, or this default."""

    default: str = ""
    colour: Colour = "#B5342B"


class DeckLayouts(_Model):
    """Slide-master layout names, by role."""

    title: str = "Title Slide"
    section: str = "Section Header"
    content: str = "Title and Content"
    two_content: str = "Two Content"
    comparison: str = "Comparison"
    title_only: str = "Title Only"
    blank: str = "Blank"


class DeckCompose(_Model):
    """The pack's composition rules (``writers/pptx/arrange.py``): slides joined where the joined slide is
    measured to hold everything at the body size or a fifth less, and sparse slides reported."""

    points_on_divider: bool = True  # a section's own short points go on its section slide, under the title
    points_beside_visual: bool = True  # a part's few points beside its chart or figure, on one two-column slide
    pair_short_parts: bool = True  # two sibling subsections of few points side by side, each under its title (comparison layout)
    # A text slide whose text fills less than this share of its body is a warning (slide-sparse); 0 = never.
    sparse_below: Annotated[float, Field(ge=0, le=0.9)] = 0.25


class DeckOptions(_Model):
    """The deck's slide master and the names of its layouts, by role.

    ``master`` is a .pptx inside the pack. ``master_file`` is a .pptx anywhere
    (absolute, or relative to the working folder): a corporate master, given
    with ``--master``; it wins over ``master``. A layout name the master lacks
    falls back to a layout whose placeholders fit the role.
    """

    master: str = ""  # a .pptx in the pack; "" = none
    master_file: str = ""  # a .pptx outside the pack (--master); wins over ``master``
    layouts: DeckLayouts = DeckLayouts()
    table_max_slides: Annotated[int, Field(ge=1, le=100)] = 3  # more slides for one table than this: a warning naming the outline's `slides:` option
    # A section slide before each section: "always", "never", or "auto": only before a section
    # that makes more than ``section_slides_min`` slides (a short section starts on its first slide).
    section_slides: Literal["always", "never", "auto"] = "always"
    section_slides_min: Annotated[int, Field(ge=0, le=100)] = 3
    compose: DeckCompose = DeckCompose()
    closing_slide: bool = False  # a closing slide when the outline gives no `closing:` (its title: the strings' "closing")


class Theme(_Model):
    name: str
    description: str = ""
    palette: Palette = Palette()
    fonts: Fonts
    sizes: Sizes = Sizes()
    page: Page = Page()
    marking: Marking = Marking()
    logo: str = ""
    footer: str = ""  # shown in every page footer and slide footer
    lang: str = Field(default="en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # the documents' language when the outline gives no `lang:` (BCP 47)
    deck: DeckOptions = DeckOptions()
    extends: str = ""  # another pack (by name) whose templates, fonts and assets this one uses where it has none of its own
    root: str = ""  # the pack folder, set by ``load_theme``
    base: str = ""  # the folder of the pack ``extends`` names, set by ``load_theme``
    _paths: dict = PrivateAttr(default_factory=dict)  # rel → absolute, resolved once per theme

    def path(self, rel: str) -> str:
        """Return the absolute path of pack file ``rel`` (checked to exist, inside the pack).

        Resolved once per loaded theme (a theme is loaded once per build).
        """
        full = self._paths.get(rel)
        if full is None:
            own = not self.base or os.path.lexists(os.path.join(self.root, rel))  # the pack's own file first, else the base pack's
            full = self._paths[rel] = resolve_inside(self.root if own else self.base, rel)
        return full

    def family(self, role: str) -> FontFamily:
        """Return the font family used for ``role`` (report_body, report_heading, deck, mono)."""
        return self.fonts.families[getattr(self.fonts, role)]


def _with_base(theme: Theme, src: Source, pack_dir: str, find_base) -> Theme:
    """Return ``theme`` with ``base`` set to the folder of the pack it extends; raise ``InputError`` (at ``extends``) if there is none."""
    if find_base is None:  # the built-in packs only
        from .pack import find_pack

        def find_base(name: str) -> str:
            return find_pack(name, "").folder

    try:
        base = find_base(theme.extends)
    except InputError:
        base = None
    if not base or os.path.realpath(base) == os.path.realpath(pack_dir):
        raise InputError(src.problem(("extends",), f"no other template pack named {theme.extends!r} to extend; expected a built-in pack such as 'briefing', or one in the project's templates folder"))
    base_file = os.path.join(base, "theme.yaml")
    try:
        resolve_inside(base, "theme.yaml")
        data = read(base_file, base_file).data
    except (ValueError, InputError):
        data = None
    if isinstance(data, dict) and data.get("extends"):
        raise InputError(src.problem(("extends",), f"pack {theme.extends!r} itself extends {data.get('extends')!r}; a pack may extend only a pack that extends none"))
    return theme.model_copy(update={"base": os.path.abspath(base)})


def resolve_inside(root: str, rel: str) -> str:
    """Return ``root/rel`` made absolute; raise ValueError if it leaves ``root`` or is missing."""
    base = os.path.realpath(root)
    full = os.path.realpath(os.path.join(base, rel))
    if os.path.isabs(rel) or not (full == base or full.startswith(base + os.sep)):
        raise ValueError(f"path {rel!r} leaves the folder {root}")
    if not os.path.isfile(full):
        raise ValueError(f"file {rel!r} not found in {root}")
    return full


def check_font(path: str, shown: str) -> None:
    """Raise ValueError if ``path`` is not a TrueType font reportgen can measure and embed.

    The message names the font as ``shown`` and says what is wrong with it
    (see ``fontcheck``: a font accepted here is measured by ``FontMetrics``
    and registered and subset-embedded by ReportLab in bounded time and memory).
    """
    from .fontcheck import FontError
    from .fontmetrics import checked
    from .safety import regular_file

    why = regular_file(path)
    if why:
        raise ValueError(f"font {shown!r}: {why}")
    try:
        checked(path)
    except FontError as exc:
        raise ValueError(f"font {shown!r} {exc.reason}; use a .ttf file") from None
    except OSError as exc:
        raise ValueError(f"font {shown!r} cannot be read ({exc.strerror or exc}); use a .ttf file") from None


def check_master(path: str) -> str | None:
    """Return what is wrong with slide master ``path`` (one line: ``PART: what; what to do``), or None.

    The whole check is ``mastercheck.check``: within size budgets, no macros,
    controls, OLE objects or external relationships, no DTDs, well-formed XML,
    and the parts the PPTX writer needs (python-pptx is not imported).
    """
    from .mastercheck import check

    return check(path)


def load_theme(pack_dir: str, find_base=None) -> Theme:
    """Return the ``Theme`` of the pack at ``pack_dir``; raise ``InputError`` on any problem.

    ``find_base(name)`` returns the folder of the pack a theme ``extends``
    (``pack.find_pack``); that pack may not extend another.
    """
    file = os.path.join(pack_dir, "theme.yaml")
    shown = os.path.relpath(file) if not os.path.isabs(pack_dir) or Path.cwd() in Path(file).parents else file
    try:
        resolve_inside(pack_dir, "theme.yaml")  # a link leading out of the pack is not read (nor shown)
    except ValueError:
        raise InputError(Problem(shown, 0, 0, "theme.yaml is a link leading outside its pack folder (or is missing); a pack's files must be inside it")) from None
    src: Source = read(file, shown)
    if isinstance(src.data, dict):
        deck = src.data.get("deck")
        if isinstance(deck, dict) and "master_file" in deck:  # a path anywhere on disk: only --master may give one
            raise InputError(src.problem(("deck", "master_file"), "is set with --master, not in theme.yaml; a pack's slide master is deck.master, a .pptx inside the pack", key=True))
        src.data = {**src.data, "root": os.path.abspath(pack_dir), "base": ""}  # set here, never by the file
    theme = validate(Theme, src)
    if theme.extends:
        theme = _with_base(theme, src, pack_dir, find_base)
    problems = []
    fonts = theme.fonts
    for role in ("report_body", "report_heading", "deck", "mono"):
        if getattr(fonts, role) not in fonts.families:
            problems.append(src.problem(("fonts", role), f"no font family '{getattr(fonts, role)}' (expected one of: {', '.join(fonts.families)})"))
    for name, fam in fonts.families.items():
        for style in ("regular", "bold", "italic", "bold_italic"):
            rel = getattr(fam, style)
            if rel:
                try:
                    check_font(theme.path(rel), rel)
                except ValueError as exc:
                    problems.append(src.problem(("fonts", "families", name, style), str(exc)))
    for key in ("logo",):
        rel = getattr(theme, key)
        if rel:
            try:
                full = theme.path(rel)
            except ValueError as exc:
                problems.append(src.problem((key,), str(exc)))
            else:
                from .safety import check_image

                why = check_image(full, rel)
                if why:
                    problems.append(src.problem((key,), why))
    if theme.deck.master:
        try:
            why = check_master(theme.path(theme.deck.master))
            why = f"slide master {theme.deck.master!r}: {why}" if why else None
        except ValueError as exc:
            why = str(exc)
        if why:
            problems.append(src.problem(("deck", "master"), why))
    if problems:
        raise InputError(problems)
    return theme
