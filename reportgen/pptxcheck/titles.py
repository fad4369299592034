"""Slide titles and reading order: PowerPoint's "Missing slide title", "Duplicate slide title" and "Check reading order"."""

from __future__ import annotations

from . import Finding
from .shapes import name_of, placeholder_type, shape_tree, shapes_in, text_of

TITLE_TYPES = ("title", "ctrTitle")
FOOTER_TYPES = ("dt", "ftr", "sldNum")


def title_of(shapes: list) -> tuple[object, str] | None:
    """The first title placeholder among ``shapes`` that holds text, and its text (spaces collapsed); None when there is none."""
    for el in shapes:
        if placeholder_type(el) in TITLE_TYPES:
            text = " ".join(text_of(el).split())
            if text:
                return el, text
    return None


def check_titles(slides: list, findings: list[Finding]) -> None:
    """Append to ``findings`` each slide of ``slides`` (slide elements, in order) without a title, with its title not
    read first or a footer read before its content, and each title an earlier slide has."""
    seen: dict[str, int] = {}
    for n, slide_el in enumerate(slides, 1):
        tree = shape_tree(slide_el)
        shapes = shapes_in(tree) if tree is not None else []
        found = title_of(shapes)
        if found is None:
            findings.append(Finding("slide-title", n, "no title: no title placeholder holding text (one placed off the slide hides it)"))
        else:
            el, text = found
            if shapes[0] is not el:
                findings.append(Finding("reading-order", n, f"the title '{text}' is not read first: '{name_of(shapes[0])}' is (the shape tree's order)"))
            key = text.casefold()
            if key in seen:
                findings.append(Finding("duplicate-title", n, f"the title '{text}' is slide {seen[key]}'s too; tell them apart (\"(2)\", \"(cont.)\")"))
            else:
                seen[key] = n
        footers = [i for i, el in enumerate(shapes) if placeholder_type(el) in FOOTER_TYPES]
        content = [i for i, el in enumerate(shapes) if placeholder_type(el) not in FOOTER_TYPES]
        if footers and content and footers[0] < content[-1]:
            findings.append(Finding("reading-order", n, f"the footer '{name_of(shapes[footers[0]])}' is read before '{name_of(shapes[content[-1]])}'; "
                                                        "footers, dates and slide numbers go last"))
