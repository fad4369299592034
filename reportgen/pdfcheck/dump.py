"""A PDF's structure tree as indented text, one element a line, for reviewed reference files (as Typst's ``pdftags`` tests).

The document's /Lang, then each element: its type, its attributes that
matter to a reader (``Lang``, ``Alt``, ``ID``, ``Scope``, ``ListNumbering``), the pages
its content is on, and the text of its own content in its order, read from
the page content through each font's ToUnicode map, with ``[Link]`` where a
child element stands inside that text (at most ``TEXT`` characters between two
such marks, a dot leader as one "…": a reference shows the reading order,
not every word; a text alternative up to ``ALT``). A
link annotation an element holds shows as ``-> target``.
"""

from __future__ import annotations

import io
import os
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

from . import read_source
from .fonts import tounicode

TEXT = 48
ALT = 200  # a text alternative is shown whole (up to this): it is what a reader hears
_LINE_OPS = frozenset({"T*", "Tm", "'", '"'})  # a new line: a space in the text


def _texts(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """Return (page index, MCID) -> the text drawn in that sequence (a space where a line ends)."""
    out: dict[tuple[int, int], str] = {}
    maps: dict = {}

    def walk(instructions, resources, page: int, mcid: int | None) -> None:
        stack: list[int | None] = [mcid]
        font = None
        for ins in instructions:
            op = str(ins.operator)
            if op == "BDC":
                props = ins.operands[1]
                stack.append(int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else stack[-1])
            elif op == "BMC":
                stack.append(stack[-1])
            elif op == "EMC" and len(stack) > 1:
                stack.pop()
            elif op == "Tf":
                font = resources.get("/Font", Dictionary()).get(str(ins.operands[0]))
            current = stack[-1]
            if current is None:
                continue
            key = (page, current)
            if op in _LINE_OPS and out.get(key, "") and not out[key].endswith(" "):
                out[key] += " "
            if op in ("Tj", "TJ", "'", '"') and font is not None:
                if font.objgen not in maps:
                    cmap = font.get("/ToUnicode")
                    maps[font.objgen] = tounicode(cmap) if cmap is not None else {}
                mapping = maps[font.objgen]
                for operand in ins.operands:
                    parts = list(operand) if isinstance(operand, Array) else [operand]
                    for part in parts:
                        if isinstance(part, pikepdf.String):
                            out[key] = out.get(key, "") + "".join(mapping.get(c, "") for c in bytes(part))
            elif op == "Do":
                xobject = resources.get("/XObject", Dictionary()).get(str(ins.operands[0]))
                if xobject is not None and xobject.get("/Subtype") == Name.Form:
                    walk(pikepdf.parse_content_stream(xobject), xobject.get("/Resources", resources), page, current)

    for i, page in enumerate(pdf.pages):
        walk(pikepdf.parse_content_stream(page), page.obj.get("/Resources", Dictionary()), i, None)
    return out


def _shown(text: str, limit: int = TEXT) -> str:
    """Return ``text`` in quotes, white space collapsed, a dot leader as "…", each run between ``[Role]`` marks cut to ``limit``."""
    text = re.sub(r"(?:\. ?){4,}", "… ", re.sub(r"\s+", " ", text)).strip()
    runs = re.split(r"(\[[A-Za-z0-9]+\])", text)
    return '"' + "".join(r if len(r) <= limit or r.startswith("[") else r[: limit - 1].rstrip() + "…" for r in runs) + '"'


def dump(source: bytes | str | os.PathLike) -> str:
    """Return the structure tree of the PDF ``source`` (its bytes or a path) as indented text (see the module's note)."""
    data = read_source(source)
    lines: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        texts = _texts(pdf)
        lang = str(pdf.Root.get("/Lang", ""))

        def element(e, depth: int) -> None:
            kids = e.get("/K")
            kids = [] if kids is None else list(kids) if isinstance(kids, Array) else [kids]
            page = e.get("/Pg")
            own: list[tuple[int, int]] = []
            text = ""
            for k in kids:
                if isinstance(k, int) and not isinstance(k, bool):
                    own.append((pages[page.objgen], int(k)))
                elif isinstance(k, Dictionary) and k.get("/Type") == Name.MCR:
                    own.append((pages[k.Pg.objgen], int(k.MCID)))
                elif isinstance(k, Dictionary) and k.get("/Type") != Name.OBJR:
                    text += f"[{str(k.S)[1:]}]"
                    continue
                else:
                    continue
                text += texts.get(own[-1], "")
            words = [str(e.S)[1:]]
            if "/Lang" in e:  # a passage in another language than the document's
                words.append(f"Lang={e.Lang}")
            for key in ("/ID", "/Alt"):
                if key in e:
                    words.append(f"{key[1:]}={_shown(str(e[key]), ALT)}")
            a = e.get("/A")
            if isinstance(a, Dictionary):
                words += [f"{k[1:]}={str(v).lstrip('/')}" for k, v in a.items() if k != "/O"]
            if own:
                words.append("p" + ",".join(str(p + 1) for p in sorted({p for p, _m in own})))
            line = "  " * depth + " ".join(words)
            lines.append(line + (f": {_shown(text)}" if own and text.strip() else ""))
            for k in kids:
                if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR:
                    annot = k.Obj
                    action = annot.get("/A", Dictionary())
                    target = action.get("/URI") if "/URI" in action else annot.get("/Dest", action.get("/D"))
                    shown = str(target) if isinstance(target, pikepdf.String) else f"page {pages[target[0].objgen] + 1}" if isinstance(target, Array) else "?"
                    lines.append("  " * (depth + 1) + f"-> {shown} p{pages[k.Pg.objgen] + 1}")
                elif isinstance(k, Dictionary) and k.get("/Type") != Name.MCR:
                    element(k, depth + 1)

        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return "(no structure tree)\n"
        lines.append(f"Lang={lang}")
        top = root.get("/K")
        for e in list(top) if isinstance(top, Array) else [top]:
            element(e, 0)
    return "\n".join(lines) + "\n"
