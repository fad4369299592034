"""The slide master a deck is built on: found, checked, opened, and made ready for one write.

``prepare`` opens it (or python-pptx's default template, widened to 16:9),
drops its sample slides, installs the per-presentation speed-ups
(``compat.pptx``), maps the deck's layout names to its layouts, writes the
theme into its theme part, and reads its geometry for planning. Whatever
python-pptx cannot parse of a master fails here, as the master's fault, in one
line naming it: never an internal error mid-write.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass

from pptx import Presentation

from ...compat.pptx import RT, PartNames, drop_slides, index_relationships, qn
from ...errors import InputError, Problem
from ...kept import Kept
from . import geometry
from .layouts import map_layouts
from .model import Geometry
from .plan import layout_name, layout_roles
from .theme_part import apply_theme, palette_from_master, read_scheme
from .units import SLIDE_H, SLIDE_W

DEFAULT = "python-pptx default template"


def master_path(theme, master: str = "") -> str:
    """The slide master a deck is built on: ``master``, else ``theme.deck.master_file``, else the pack's; "" = none."""
    chosen = master or theme.deck.master_file
    if chosen:
        full = os.path.abspath(chosen)
        if not os.path.isfile(full):
            raise InputError(f"{chosen}: slide master file not found")
        return full
    return theme.path(theme.deck.master) if theme.deck.master else ""


def with_master(theme, path: str):
    """Return ``theme`` whose decks use the slide master at ``path`` (absolute, outside the pack)."""
    return theme.model_copy(update={"deck": theme.deck.model_copy(update={"master_file": os.path.abspath(path)})})


def _shown(where: str) -> str:
    """``where`` as messages name it: relative to the working folder when inside it."""
    rel = os.path.relpath(where)
    return rel if not rel.startswith(os.pardir) else where


def master_error(where: str, exc: BaseException) -> InputError:
    """The ``InputError`` for slide master ``where`` whose content made python-pptx or the writer fail with ``exc``."""
    detail = " ".join(str(exc).split())[:160]
    return InputError(Problem(_shown(where), 0, 0, f"slide master: cannot be used ({type(exc).__name__}: {detail}); open it in PowerPoint and save it again as a .pptx"))


def open_master(where: str, content: list | None = None):
    """Open the slide master at ``where``: checked first (``mastercheck``: budgets, no macros,
    no external relationships, no DTDs, the parts the writer needs), then read by python-pptx;
    any problem is an ``InputError`` of one line naming the master, never an internal error.
    ``content``, a list, receives the file's bytes, read once: python-pptx opens those bytes.
    """
    from ...mastercheck import MAX_FILE_BYTES, check

    why = check(where)  # cached: the theme load or the CLI usually checked it already
    if why:
        raise InputError(Problem(_shown(where), 0, 0, f"slide master: {why}"))
    try:
        if content is None:
            return Presentation(where)
        with open(where, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # (grown since it was checked)
            raise InputError(Problem(_shown(where), 0, 0, "slide master: the file is over the limit for a slide master"))
        content.append(data)
        return Presentation(io.BytesIO(data))
    except InputError:
        raise
    except Exception as exc:  # python-pptx raises several kinds for a bad package
        raise master_error(where, exc) from None


def preflight(doc, theme, master: str = "") -> None:
    """Raise ``InputError`` if the slide master lacks a layout or placeholder ``doc`` needs (renders nothing)."""
    where = master_path(theme, master)
    if not where:
        return
    prs = open_master(where)
    roles = layout_roles(theme)
    names = [layout_name(s, theme) for s in doc.slides]
    try:
        layouts = map_layouts(prs, [(n, roles.get(n)) for n in names], where)
        _read_master(prs, layouts.values())
    except InputError:
        raise
    except Exception as exc:  # the master's content, not reportgen: say so, naming the master
        raise master_error(where, exc) from None


@dataclass
class Prepared:
    """A presentation ready to be drawn into: its layouts by the names the deck uses, its geometry."""

    prs: object
    layouts: dict
    geometry: Geometry
    footer_cache: dict
    theme: object = None  # the theme to draw with: the pack's, its palette the master's colours when the master is the user's


def prepare(doc, theme, master: str = "") -> Prepared:
    """Open the deck's slide master (``master_path``) and make it ready for ``doc``."""
    where = master_path(theme, master)
    if not where:
        prs = Presentation()
        _widen(prs)
        return _setup(prs, doc, theme, DEFAULT, identity=(DEFAULT,))
    content: list = []
    prs = open_master(where, content)
    identity = (where, hashlib.sha256(content[0]).hexdigest())  # (what python-pptx read: a master saved anew is read anew)
    try:
        return _setup(prs, doc, theme, where, own=not (master or theme.deck.master_file), identity=identity)
    except InputError:
        raise
    except Exception as exc:  # the master's content broke python-pptx or the writer: the user's file, not a bug
        raise master_error(where, exc) from None


# What reading a slide master gives a deck (its ``Geometry``, its footers' templates), kept for the next deck built
# on the same master and layouts in this process: a batch, or ``watch``, reads each master once. Keyed by the file's
# path and the SHA-256 of the bytes python-pptx read (a master saved anew is read anew, whatever its times) and the
# layouts the deck uses (each name with its layout's part). What is kept is plain data (``Geometry`` is frozen) and
# lxml templates that are copied before use, never changed.
READINGS = Kept(8)


def _setup(prs, doc, theme, where: str, own: bool = True, identity: tuple | None = None) -> Prepared:
    """Everything that reads the slide master: its slides dropped, layouts mapped, theme part rewritten, geometry read.

    On the pack's own master (``own``) the pack's palette is written into the
    deck's theme; on a user's master its colours are kept and drawn with
    (``theme_part.palette_from_master``), and only the deck font is set.
    The geometry and the footers' templates come from ``READINGS`` when this
    master (``identity``; None: not to be kept) was read for these layouts before.
    """
    drop_slides(prs)
    PartNames.install(prs)  # notes slides and charts named in O(1), not by a walk over every part
    index_relationships(prs.part)  # one relationship per slide: looked up by type in O(1)
    roles = layout_roles(theme)
    _check_chosen_layouts(prs, doc, roles)
    wanted = [(layout_name(s, theme), roles.get(layout_name(s, theme))) for s in doc.slides]
    layouts = map_layouts(prs, wanted, where)
    layouts.update(_optional_layouts(prs, theme, roles, layouts, where))
    if not own:
        theme = theme.model_copy(update={"palette": palette_from_master(read_scheme(prs), theme.palette)})
    apply_theme(prs, theme, colours=own)
    key = None
    if identity is not None:
        key = (identity, tuple(sorted((name, str(layout.part.partname)) for name, layout in layouts.items())))
        kept = READINGS.get(key)
        if kept is not None:
            return Prepared(prs, layouts, kept[0], dict(kept[1]), theme)
    _read_master(prs, layouts.values())
    cache: dict = {}
    read = geometry.read(prs, layouts, where, cache)
    if key is not None:
        READINGS.put(key, (read, dict(cache)))
    return Prepared(prs, layouts, read, cache, theme)


def _optional_layouts(prs, theme, roles: dict, have: dict, where: str) -> dict:
    """The layouts the composition rules may move slides to (``arrange``), where the master has them: name -> layout."""
    rules = theme.deck.compose
    out = {}
    for name, on in ((theme.deck.layouts.two_content, rules.points_beside_visual), (theme.deck.layouts.comparison, rules.pair_short_parts)):
        if on and name not in have:
            try:
                out.update(map_layouts(prs, [(name, roles.get(name))], where))
            except InputError:  # no such layout: the rule is not applied
                pass
    return out


def _check_chosen_layouts(prs, doc, roles: dict) -> None:
    """Raise ``InputError`` at the outline's ``layout:`` for a layout an outline part names that the master lacks."""
    have = [layout.name for layout in prs.slide_layouts]
    norm = {n.strip().casefold() for n in have}
    problems = []
    for s in doc.slides:
        if s.layout and s.layout not in roles and s.layout.strip().casefold() not in norm and (s.layout_at or s.origin):
            part = s.origin.rsplit(".", 1)[0] if "." in s.origin else s.origin
            at = s.layout_at or f"{part}.layout"
            also = ", or two-columns" if at.endswith("].layout") else ""  # a part's layout, not a table's or a chart's
            problems.append(Problem("", 0, 0, f"no layout named {s.layout!r} in the slide master (expected one of: {', '.join(repr(n) for n in have)}{also})",
                                    at, "error", "layout-unknown"))
    if problems:
        raise InputError(list(dict.fromkeys(problems)))


_CORE = ("title", "author", "subject", "keywords", "comments", "category", "last_modified_by", "revision", "created", "modified")


def _read_master(prs, layouts) -> None:
    """Read once what python-pptx parses of the master mid-write, so that what it cannot parse
    fails here, where it is reported as the master's fault (``mastercheck`` has checked the
    numbers and names these read; this is the second line).

    Reads only: the kind and index of the slide master's and the used layouts' placeholders, the
    layouts' cloneable placeholders, the notes master's placeholders if the master has one (none
    is created), and the core properties. (The used layouts' boxes, insets and sizes are read
    next, by ``geometry.read``.)
    """
    master = prs.slide_master
    for owner in (master, *{id(layout): layout for layout in layouts}.values()):
        for ph in owner.placeholders:
            ph.placeholder_format.type, ph.placeholder_format.idx  # noqa: B018 (parsed on access)
        if owner is not master:
            list(owner.iter_cloneable_placeholders())
    try:
        notes = prs.part.part_related_by(RT.NOTES_MASTER)
    except KeyError:
        notes = None
    if notes is not None:
        for ph in notes.notes_master.placeholders:
            ph.placeholder_format.type, ph.placeholder_format.idx  # noqa: B018
    core = prs.core_properties
    for name in _CORE:
        getattr(core, name)


def _widen(prs) -> None:
    """python-pptx's default template is 4:3: make it 16:9 and stretch its placeholders."""
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.element.find(qn("p:sldSz")).attrib.pop("type", None)
    k = SLIDE_W / old_w
    for owner in [prs.slide_master, *prs.slide_layouts]:
        for shape in owner.shapes:
            xfrm = shape.element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
            if xfrm is None:
                continue
            off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            off.set("x", str(int(int(off.get("x")) * k)))
            ext.set("cx", str(int(int(ext.get("cx")) * k)))
