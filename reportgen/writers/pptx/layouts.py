"""Matching the deck's layout names to a slide master's layouts: by name, else by placeholder structure.

``map_layouts`` is the writer's (and ``preflight``'s) entry point; ``classify``
names the role a layout's placeholders fit, for masters whose layouts are
renamed.
"""

from __future__ import annotations

from ...errors import InputError, Problem
from .inherit import ph_type
from .model import FOOTER_TYPES

# Layout roles (the fields of ``theme.DeckLayouts``) and what each needs.
ROLES = ("title", "section", "content", "two_content", "comparison", "title_only", "blank")
_CONTENT = ("obj", "pic", "chart", "tbl", "dgm", "media", "clipArt")
_NEEDS = {  # role → (titles, bodies) it needs at least
    "title": (1, 0),
    "section": (1, 0),
    "content": (1, 1),
    "two_content": (1, 2),
    "comparison": (1, 2),
    "title_only": (1, 0),
    "blank": (0, 0),
}
_SHAPE = {
    "title": "a centred title and a subtitle",
    "section": "a title and one small text placeholder",
    "content": "a title and one large content or text placeholder",
    "two_content": "a title and two content placeholders",
    "comparison": "a title, two headings and two content placeholders",
    "title_only": "a title and nothing else",
    "blank": "no title and no body",
}
_KEYWORDS = {  # a structural match whose name says so is preferred
    "title": ("title slide", "cover", "title"),
    "section": ("section", "divider", "header", "chapter"),
    "content": ("content", "text", "body", "bullet"),
    "two_content": ("two", "2", "column"),
    "comparison": ("compar", "versus", "vs"),
    "title_only": ("title only", "heading", "only"),
    "blank": ("blank", "empty"),
}


def structure(layout) -> dict[str, list]:
    """The placeholders of ``layout`` by kind: title, ctrTitle, subTitle, text (body), content (obj, pic…)."""
    out: dict[str, list] = {"title": [], "ctrTitle": [], "subTitle": [], "text": [], "content": []}
    for ph in layout.placeholders:
        t = ph_type(ph)
        if t in FOOTER_TYPES:
            continue
        if t in ("title", "ctrTitle", "subTitle"):
            out[t].append(ph)
        elif t == "body":
            out["text"].append(ph)
        elif t in _CONTENT:
            out["content"].append(ph)
    return out


def describe(layout) -> str:
    """A short account of ``layout``'s placeholders, for error messages."""
    st = structure(layout)
    parts = []
    for key, word in (("ctrTitle", "centred title"), ("title", "title"), ("subTitle", "subtitle"), ("text", "text"), ("content", "content")):
        n = len(st[key])
        if n:
            parts.append(word if n == 1 else f"{n} {word}")
    return ", ".join(parts) or "no placeholders"


def classify(layout, slide_area: int) -> str | None:
    """The role ``layout``'s placeholder structure fits, or None."""
    st = structure(layout)
    titled = bool(st["title"] or st["ctrTitle"])
    text, content = st["text"], st["content"]
    if st["ctrTitle"] or (titled and st["subTitle"] and not content):
        return "title"
    if not titled:
        return "blank" if not text and not content and not st["subTitle"] else None
    if not text and not content:
        return "title_only"
    if len(content) == 1 and not text:
        return "content"
    if len(text) == 1 and not content:
        ph = text[0]
        area = int(ph.width or 0) * int(ph.height or 0)
        return "content" if area >= 0.3 * slide_area else "section"
    if len(text) + len(content) == 2:
        return "two_content"
    if len(content) == 2 and len(text) == 2:
        return "comparison"
    return None


def lacks(layout, role: str) -> list[str]:
    """What ``layout`` lacks to serve ``role`` (empty: nothing)."""
    titles, bodies = _NEEDS.get(role, (0, 0))
    st = structure(layout)
    out = []
    if titles and not (st["title"] or st["ctrTitle"]):
        out.append("a title placeholder")
    have = len(st["text"]) + len(st["content"]) + (len(st["subTitle"]) if role == "title" else 0)
    if have < bodies:
        out.append(f"{bodies} body placeholder{'s' if bodies > 1 else ''} (has {have})")
    return out


def _norm(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").replace("_", " ").split())


def map_layouts(prs, wanted: list[tuple[str, str | None]], where: str) -> dict:
    """Return layout name → layout of ``prs`` for each (name, role) in ``wanted``.

    A name the master has is used as it is (and must have the placeholders its
    role needs). A missing name with a role falls back to a layout with the same
    name in another case, then to the first layout whose placeholder structure
    fits the role (one whose name says the role preferred). When none does,
    raise ``InputError`` with one line per missing layout or placeholder, and
    the layouts the master does have.
    """
    layouts = list(prs.slide_layouts)
    have = {layout.name: layout for layout in layouts}
    area = int(prs.slide_width) * int(prs.slide_height)
    out: dict = {}
    problems: list[str] = []
    seen: set[str] = set()
    for name, role in wanted:
        if name in seen:
            continue
        seen.add(name)
        layout = have.get(name)
        if layout is None:
            layout = next((l for l in layouts if _norm(l.name) == _norm(name)), None)
        if layout is None and role:
            fits = [l for l in layouts if classify(l, area) == role]
            named = [l for l in fits if any(k in _norm(l.name) for k in _KEYWORDS.get(role, ()))]
            layout = (named or fits or [None])[0]
        if layout is None:
            if role:
                problems.append(f"no layout for {role.replace('_', '-')} slides: none is named {name!r} and none has {_SHAPE[role]}")
            else:
                problems.append(f"no layout named {name!r}")
            continue
        missing = lacks(layout, role) if role else []
        if missing:
            problems.append(f"layout {layout.name!r} (used for {role.replace('_', '-')} slides) lacks {' and '.join(missing)}")
            continue
        out[name] = layout
    if problems:
        avail = "; ".join(f"{l.name!r} ({describe(l)})" for l in layouts)
        raise InputError([Problem(where, 0, 0, f"slide master: {p}") for p in problems]
                         + [Problem(where, 0, 0, f"slide master: available layouts: {avail}")])
    return out
