"""The PPTX writer: a ``Deck`` tree and a ``Theme`` in, an editable .pptx out (python-pptx).

Slides come from the pack's slide master (``theme.deck.master``), each on the
layout its ``Slide.layout`` names. Writing is three steps, as in pandoc's
pptx writer:

1. ``master.prepare``: the master opened and its geometry read into plain
   data (``geometry`` -> ``model.Geometry``);
2. ``plan.plan_deck``: every decision, without python-pptx: layouts and
   placeholders, text measured with the TTF metrics of the deck's font family
   (``fit``) and shrunk or split onto "(cont.)" slides so that nothing
   overflows, table pages, chart and picture boxes, notes, links, and a
   warning for every shrink and split naming the slide and its outline origin
   (-> ``model.DeckPlan``);
3. ``emit.emit``: the plan drawn with python-pptx (text in the layout's
   placeholders, inheriting the master's styles; tables, charts and pictures
   as native objects, ``emit_visuals``), then saved with fixed zip times
   (``package``).

Nothing here imports python-pptx until a deck is written or a master opened:
``open_master``, ``preflight``, ``with_master``, ``master_path`` (``master``)
and ``overflowing_frames`` (``check``) are loaded on first use.
"""

from __future__ import annotations

import importlib

from ...errors import InputError

_LAZY = {
    "master_path": "master",
    "with_master": "master",
    "open_master": "master",
    "preflight": "master",
    "master_error": "master",
    "overflowing_frames": "check",
}

__all__ = ["PptxWriter", "plan_warnings", "master_path", "with_master", "open_master", "preflight", "master_error", "overflowing_frames"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def plan_warnings(doc, theme, master: str = "") -> list:
    """Return the warnings planning ``doc`` finds (every shrink and split, naming its slide and outline part), drawing nothing.

    The master is opened to read its geometry, as a write does; no slide is
    made. What ``reportgen validate`` and ``check`` report for the deck.
    """
    from ...compat.pptx import compiled_placeholder_lookup
    from .master import prepare
    from .plan import plan_deck

    with compiled_placeholder_lookup():
        ready = prepare(doc, theme, master)
        return plan_deck(doc, theme, ready.geometry).warnings


class PptxWriter:
    """``PptxWriter(master=PATH, strict=False)``.

    ``master`` is a .pptx whose slide master and layouts the deck uses instead of
    the pack's (``--master``); ``theme.deck.master_file`` does the same from the
    theme. With ``strict``, any shrink, split or overflow is an ``InputError``.
    """

    name = "pptx"
    suffix = ".pptx"
    tree = "deck"

    def __init__(self, master: str = "", strict: bool = False):
        self.master = master
        self.strict = strict

    def write(self, doc, theme, path: str) -> list:
        """Render ``doc`` to the PPTX file at ``path``; return the warnings (``Problem``s: every shrink and split, naming its slide and outline part)."""
        from ...compat.pptx import compiled_placeholder_lookup
        from .emit import emit
        from .master import prepare
        from .package import save_deterministic
        from .plan import plan_deck

        with compiled_placeholder_lookup():  # python-pptx's class as it was once this write ends
            ready = prepare(doc, theme, self.master)
            theme = ready.theme or theme  # on a user's master: its colours
            plan = plan_deck(doc, theme, ready.geometry)
            emit(ready.prs, ready.layouts, plan, theme, ready.footer_cache)
            if self.strict and plan.warnings:
                raise InputError([w.as_error() for w in plan.warnings])
            save_deterministic(ready.prs, path)
        return plan.warnings
