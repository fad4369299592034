"""A PDF file written in one pass from its numbered objects: ``write_file_to``, objects in, the file's bytes out to a file.

Each stream is written as an object of its own; every other object goes,
500 to a stream, into compressed object streams (ISO 32000-1 7.5.7), which
a cross-reference stream (7.5.8) indexes: a long report's thousands of
structure elements and ReportLab's small dictionaries cost a few bytes each.
PDF/A-2 allows both; as PDF/A wants of every stream (6.1.7.1), each
``stream`` keyword is followed by LF and each stream's data by an end of line
before ``endstream`` that /Length does not count, the data compressed here
never ending in CR (``flate.deflate``). The header is PDF 1.7's with four
bytes above 127 on its second line (6.1.2). The file /ID is made of the
bytes written before it, so the same objects make the same file.
"""

from __future__ import annotations

import hashlib
import io
import struct
from array import array
from typing import BinaryIO

from .flate import deflate

PER_STREAM = 500  # objects in each object stream (qpdf puts 100; more compress better, a reader inflates a stream per object it reads)
LEVEL = 5  # zlib's level for object streams: summit x20's 1.24 MB of objects in 12 ms to 216 KB, against 20 ms to 213 KB at 6 (its default)
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
_ROW = struct.Struct(">BIH")  # a cross-reference stream's row: type, offset or object stream, generation or index (/W [1 4 2])
_END = b"endstream\n"


def is_stream(text: bytes) -> bool:
    """Return whether the object written as ``text`` (between ``obj`` and ``endobj``) is a stream."""
    return text.endswith(_END)


def write_file(objects, root: int, info: int | None) -> bytes:
    """Return the PDF file ``write_file_to`` writes of ``objects`` (numbered 1 to n in order; left as they are),
    its catalog ``root`` and its information dictionary ``info``."""
    out = io.BytesIO()
    write_file_to(out, list(objects), root, info)
    return out.getvalue()


def write_file_to(out: BinaryIO, objects: list[tuple[int, bytes]], root: int, info: int | None) -> None:
    """Write to ``out`` the PDF file of ``objects``, numbered 1 to n in order, each written between ``obj`` and
    ``endobj`` (a stream as ``<<...>>\\nstream\\n`` + data + ``endstream\\n``, as ReportLab writes one), its catalog
    object ``root`` and its information dictionary ``info``.

    The file goes to ``out`` as it is made, never whole in memory, and
    ``objects`` (a list, given up to this: its caller's own copy) is emptied
    as it is written (a long report's objects are most of what it holds when
    it is saved): a stream's bytes are let go once written, the others once
    packed into their object stream.
    """
    file = _Out(out)
    file.put(HEADER)
    rows = _Rows()
    rows.append(0, 0, 65535)
    packed: list[tuple[int, bytes]] = []
    for i, (number, text) in enumerate(objects):
        if number != len(rows):
            raise ValueError(f"object {number} out of order (expected {len(rows)})")
        if is_stream(text):
            rows.append(1, file.at, 0)
            file.put(b"%d 0 obj\n" % number)
            file.put(memoryview(text)[: -len(_END)])
            file.put(b"\nendstream\nendobj\n")
        else:
            rows.append(2, 0, len(packed) % PER_STREAM)  # (its object stream numbered below)
            packed.append((number, text))
        objects[i] = (number, b"")
    objects.clear()
    number = len(rows)
    for start in range(0, len(packed), PER_STREAM):
        chunk = packed[start : start + PER_STREAM]
        offsets, at = [], 0
        for num, text in chunk:
            offsets.append(b"%d %d" % (num, at))
            at += len(text) + 1
            rows.field2[num] = number
        head = b" ".join(offsets) + b"\n"
        body = deflate(head + b"\n".join(text for _n, text in chunk) + b"\n", b" ", LEVEL)
        packed[start : start + PER_STREAM] = [(0, b"")] * len(chunk)
        rows.append(1, file.at, 0)
        file.put(b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n" % (number, len(chunk), len(head), len(body)))
        file.put(body)
        file.put(b"\nendstream\nendobj\n")
        number += 1
    file_id = file.digest.hexdigest()
    rows.append(1, file.at, 0)  # the cross-reference stream itself, last
    size = number + 1
    table = rows.table()
    compressed = deflate(table, b"")
    filtered = b"" if compressed is None else b"/Filter/FlateDecode"
    table = table if compressed is None else compressed
    trailer = b"/Root %d 0 R" % root + (b"/Info %d 0 R" % info if info is not None else b"")
    xref = file.at
    file.put(b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]%s/ID[<%s><%s>]%s/Length %d>>\nstream\n"
             % (number, size, trailer, file_id.encode(), file_id.encode(), filtered, len(table)))
    file.put(table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)


class _Rows:
    """The cross-reference stream's rows, one per object from 0, in three columns of machine integers (a long
    report has a hundred thousand objects: as tuples, 8 MB)."""

    def __init__(self):
        self.kind = array("B")
        self.field2 = array("L")  # an offset, or the number of the object stream holding the object
        self.field3 = array("L")  # a generation, or the object's index in its object stream

    def __len__(self) -> int:
        return len(self.kind)

    def append(self, kind: int, field2: int, field3: int) -> None:
        self.kind.append(kind)
        self.field2.append(field2)
        self.field3.append(field3)

    def table(self) -> bytes:
        """Return the rows as the stream holds them (/W [1 4 2]: big-endian)."""
        return b"".join(_ROW.pack(*row) for row in zip(self.kind, self.field2, self.field3))


class _Out:
    """A file being written: where the next byte goes, and the MD5 of every byte so far (the file /ID is made of it)."""

    def __init__(self, out: BinaryIO):
        self._write = out.write
        self.at = 0
        self.digest = hashlib.md5(usedforsecurity=False)

    def put(self, data: bytes | memoryview) -> None:
        self._write(data)
        self.digest.update(data)
        self.at += len(data)
