"""The language of every text run, on the slide and in its speaker notes."""

from __future__ import annotations

from . import Finding
from .shapes import A, name_of, shape_tree, shapes_in

_RUNS = (f"{A}r", f"{A}fld")


def check_language(n: int, slide, findings: list[Finding]) -> None:
    """Append to ``findings`` each shape of slide ``n`` (a python-pptx slide) or of its notes holding text runs without ``lang``."""
    parts = [("", slide.element)]
    if slide.has_notes_slide:
        parts.append(("speaker notes: ", slide.notes_slide.element))
    for where, element in parts:
        tree = shape_tree(element)
        for el in shapes_in(tree) if tree is not None else []:
            bare = [r for r in el.iter(*_RUNS) if not _lang(r)]
            if bare:
                text = " ".join("".join(t.text or "" for t in bare[0].iter(f"{A}t")).split())[:40]
                findings.append(Finding("text-lang", n, f"{where}{len(bare)} text run(s) in '{name_of(el)}' without a language (a:rPr lang), "
                                                        f"the first '{text}'"))


def _lang(run) -> str:
    rpr = run.find(f"{A}rPr")
    return rpr.get("lang", "") if rpr is not None else ""
