"""Check a written deck: re-open it and measure every text frame with the deck's TTFs.

Used by the tests (and handy for anyone changing the master): it reads what is
really in the file (sizes, bold, levels, margins), not what the writer meant.
"""

from __future__ import annotations

from pptx import Presentation
from pptx.oxml.ns import qn

from .pptx_fit import Fonts, Frame, Measurer, Para, Run
from .pptx_master import EMU_PER_PT, inherited_size, insets, level_margins


def pt(emu: int | float) -> float:
    return float(emu) / EMU_PER_PT


def overflowing_frames(path: str, theme) -> list[str]:
    """Re-open the deck at ``path`` and measure every text frame with the deck's TTFs.

    Returns one line per frame whose text is taller than its box.
    """
    prs = Presentation(path)
    fam, mono = theme.family("deck"), theme.family("mono")
    p = theme.path
    fonts = Fonts.from_paths(p(fam.regular), p(fam.bold) if fam.bold else "", p(fam.italic) if fam.italic else "",
                             p(fam.bold_italic) if fam.bold_italic else "", p(mono.regular))
    m = Measurer(fonts)
    margins = [pt(v) for v in level_margins(prs)]
    out = []
    for n, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            kind = "title" if shape.is_placeholder and shape.placeholder_format.type in (1, 3) else "body"
            l, t, r, b = insets(shape)
            frame = Frame(pt(shape.width), pt(shape.height), (pt(l), pt(t), pt(r), pt(b)), margins)
            total = 0.0
            for i, para in enumerate(shape.text_frame.paragraphs):
                runs = []
                size = None
                for el in para._p:
                    if el.tag == qn("a:br"):
                        runs.append(Run("\n"))
                    elif el.tag == qn("a:r"):
                        rpr = el.find(qn("a:rPr"))
                        sz = rpr.get("sz") if rpr is not None else None
                        size = size or (int(sz) / 100 if sz else None)
                        bold = kind == "title" or (rpr is not None and rpr.get("b") == "1")
                        italic = rpr is not None and rpr.get("i") == "1"
                        latin = rpr.find(qn("a:latin")) if rpr is not None else None
                        code = latin is not None and latin.get("typeface") == mono.office_name
                        runs.append(Run(el.findtext(qn("a:t")) or "", bold, italic, code))
                lvl = para.level
                if size is None:
                    base = shape if shape.is_placeholder else None
                    size = (inherited_size(base, kind, prs, lvl + 1) if base is not None else None) or 18.0
                ppr = para._p.pPr
                no_bullet = ppr is not None and ppr.find(qn("a:buNone")) is not None
                if not shape.is_placeholder or kind == "title":
                    no_bullet = True
                mar = pt(int(ppr.get("marL"))) if ppr is not None and ppr.get("marL") is not None else (margins[lvl] if not no_bullet else 0.0)
                width = frame.inner_w - mar
                before = para.space_before.pt if para.space_before is not None else 0.0
                lines = m.lines(Para(runs), size, width, bold=kind == "title")
                total += lines * 1.2 * size + (before if i else 0.0)
            if total > frame.inner_h + 0.5:
                out.append(f"slide {n} shape '{shape.name}': text needs {total:.1f}pt, box holds {frame.inner_h:.1f}pt")
    return out
