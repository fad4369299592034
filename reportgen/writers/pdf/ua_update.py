"""The structure tree appended to the saved file as an incremental update: ``Structure`` in, the file's last revision out.

qpdf saves the file with everything but the structure elements (its
StructTreeRoot a placeholder). ``append_structure`` reads back the numbers
qpdf gave the pages, the annotations and that placeholder, and appends one
revision (ISO 32000-1 7.5.6) holding the StructTreeRoot (under the
placeholder's number), every StructElem, the ParentTree and the IDTree, in
compressed object streams, and a cross-reference stream (7.5.8) whose
/Prev is qpdf's. PDF/A-2 allows incremental updates and both kinds of
stream; as PDF/A wants of every stream (6.1.7.1), each ``stream`` keyword is
followed by LF and each stream's data by an end of line before
``endstream`` that /Length does not count, the compressed data never ending
in CR (``flate.deflate``). The file /ID keeps qpdf's first string and
changes its second by what the revision adds, so the bytes stay
reproducible.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct

import pikepdf

from .flate import deflate
from .ua_tree import Structure, write_elements

PER_STREAM = 500  # objects in each object stream (qpdf puts 100; more compress better, a reader inflates a stream per object it reads)
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_ROW = struct.Struct(">BIH")  # a cross-reference stream's row: type, offset or object stream, generation or index (/W [1 4 2])


def _ref(obj: pikepdf.Object) -> str:
    num, gen = obj.objgen
    return f"{num} {gen} R"


def append_structure(data: bytes, s: Structure) -> bytes:
    """Return the file ``data`` (saved by qpdf, with ``plan_structure``'s entries) with the structure ``s`` appended."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_objs = [page.obj for page in pdf.pages]
        pages = [_ref(obj) for obj in page_objs]
        annots = {(p, k): _ref(page_objs[p].Annots[k]) for held in s.annots_of.values() for p, k, _key in held}
        root = _ref(pdf.Root.StructTreeRoot)
        base = int(pdf.trailer.Size)
        trailer = f"/Root {_ref(pdf.Root)}"
        if "/Info" in pdf.trailer:
            trailer += f"/Info {_ref(pdf.trailer.Info)}"
        first_id, changing_id = bytes(pdf.trailer.ID[0]), bytes(pdf.trailer.ID[1])
    m = _STARTXREF.search(data, len(data) - 64)
    if m is None:
        raise RuntimeError("tagging: the saved file does not end with startxref")
    prev = int(m.group(1))
    objects = write_elements(s, base, pages, annots, root)
    root_num = objects[0][0]
    number = base + len(objects) - 1

    out = bytearray(data)
    rows: dict[int, tuple[int, int, int]] = {}  # object number -> its cross-reference row
    for start in range(0, len(objects), PER_STREAM):
        chunk = objects[start:start + PER_STREAM]
        offsets, at = [], 0
        for k, (num, text) in enumerate(chunk):
            offsets.append(f"{num} {at}")
            at += len(text) + 1
            rows[num] = (2, number, k)
        head = " ".join(offsets) + "\n"
        body = head + "\n".join(text for _n, text in chunk) + "\n"
        packed = deflate(body.encode("latin-1"), b" ")
        rows[number] = (1, len(out), 0)
        out += (f"{number} 0 obj\n<</Type/ObjStm/N {len(chunk)}/First {len(head)}/Filter/FlateDecode/Length {len(packed)}>>\nstream\n"
                .encode("ascii") + packed + b"\nendstream\nendobj\n")
        number += 1
    # The file /ID: its first string qpdf's, the second changed by what this revision adds (ISO 32000-1 14.4: it
    # changes with the file's content), from the bytes: a document that differs only in its structure differs there.
    changing_id = hashlib.md5(changing_id + bytes(out[len(data):]), usedforsecurity=False).digest()
    trailer += f"/ID[<{first_id.hex()}><{changing_id.hex()}>]"
    rows[number] = (1, len(out), 0)  # the cross-reference stream itself, last: its data ends in its generation, 0
    size = number + 1
    table = b"".join(_ROW.pack(*rows[n]) for n in [root_num, *range(base, size)])
    packed = deflate(table, b"")
    filtered = "" if packed is None else "/Filter/FlateDecode"
    table = table if packed is None else packed
    xref = len(out)
    out += (f"{number} 0 obj\n<</Type/XRef/Size {size}/Index[{root_num} 1 {base} {size - base}]/W[1 4 2]{trailer}/Prev {prev}"
            f"{filtered}/Length {len(table)}>>\nstream\n").encode("latin-1")
    out += table + f"\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)
