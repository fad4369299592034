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
import sys
from array import array
from typing import BinaryIO

from .flate import deflate

PER_STREAM = 500  # objects in each object stream (qpdf puts 100; more compress better, a reader inflates a stream per object it reads)
LEVEL = 5  # zlib's level for object streams: summit x20's 1.24 MB of objects in 12 ms to 216 KB, against 20 ms to 213 KB at 6 (its default)
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
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
    object ``root`` and its information dictionary ``info`` (``ObjectFile``).

    ``objects`` (a list, given up to this: its caller's own copy) is
    emptied as it is written: each object is let go once written or packed.
    """
    file = ObjectFile(out)
    for i, (number, text) in enumerate(objects):
        file.add(number, text)
        objects[i] = (number, b"")
    objects.clear()
    file.close(root, info)


class ObjectFile:
    """A PDF file written to ``out`` as its objects are given (``add``), numbered 1 to n in order, and ended by
    ``close``: never whole in memory.

    A stream is written at once, its bytes let go; every other object is
    packed with the next into an object stream of ``PER_STREAM``, compressed
    as soon as it is full (a fifth of the text it holds). The object streams
    are written after every object, numbered after them (a number the file
    knows only at its end), in order: the file is the same however the
    objects came. An object may be given as None, its text set later
    (``fill``): the StructTreeRoot, numbered among ReportLab's objects but
    written once the elements it points to are numbered.
    """

    def __init__(self, out: BinaryIO):
        self.file = _Out(out)
        self.file.put(HEADER)
        self.rows = _Rows()
        self.rows.append(0, 0, 65535)
        self._batch: list[tuple[int, bytes | None]] = []  # the object stream being filled
        self._packed: list = []  # each full object stream: (how many objects, its data, /First), or its objects while one is to be set
        self._late: dict[int, int] = {}  # object given as None -> the index of its object stream in ``_packed`` (-1: the one being filled)

    @property
    def count(self) -> int:
        """How many objects were given."""
        return len(self.rows) - 1

    def add(self, number: int, text: bytes | None) -> None:
        """Write object ``number`` (the next: ``count`` + 1), ``text`` (or None: set by ``fill`` before ``close``)."""
        rows = self.rows
        if number != len(rows):
            raise ValueError(f"object {number} out of order (expected {len(rows)})")
        if text is not None and is_stream(text):
            file = self.file
            rows.append(1, file.at, 0)
            file.put(b"%d 0 obj\n" % number)
            file.put(memoryview(text)[: -len(_END)])
            file.put(b"\nendstream\nendobj\n")
            return
        batch = self._batch
        rows.append(2, len(self._packed), len(batch))  # (its object stream's index: made its number at ``close``)
        if text is None:
            self._late[number] = -1
        batch.append((number, text))
        if len(batch) == PER_STREAM:
            self._pack()

    def fill(self, number: int, text: bytes) -> None:
        """Set the text of object ``number``, given as None (not a stream)."""
        at = self._late.pop(number)
        if is_stream(text):
            raise ValueError(f"object {number} is a stream; only an object packed in an object stream can be set later")
        batch = self._batch if at == -1 else self._packed[at]
        index = self.rows.field3[number]
        batch[index] = (number, text)
        if at != -1 and not any(n in self._late for n, _t in batch):
            self._packed[at] = _packed(batch)

    def _pack(self) -> None:
        batch, self._batch = self._batch, []
        if any(n in self._late for n, _t in batch):
            for n, _t in batch:
                if n in self._late:
                    self._late[n] = len(self._packed)
            self._packed.append(batch)
        else:
            self._packed.append(_packed(batch))

    def close(self, root: int, info: int | None) -> None:
        """Write the object streams, the cross-reference stream and the trailer: ``root`` is the catalog's number,
        ``info`` the information dictionary's."""
        if self._late:
            raise ValueError(f"objects {sorted(self._late)} were never set")
        if self._batch:
            self._pack()
        file, rows = self.file, self.rows
        number = len(rows)
        first_stream = number
        for count, body, first in self._packed:
            rows.append(1, file.at, 0)
            file.put(b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n" % (number, count, first, len(body)))
            file.put(body)
            file.put(b"\nendstream\nendobj\n")
            number += 1
        self._packed = []
        file_id = file.digest.hexdigest()
        rows.append(1, file.at, 0)  # the cross-reference stream itself, last
        size = number + 1
        table = rows.table(first_stream)
        compressed = deflate(table, b"")
        filtered = b"" if compressed is None else b"/Filter/FlateDecode"
        table = table if compressed is None else compressed
        trailer = b"/Root %d 0 R" % root + (b"/Info %d 0 R" % info if info is not None else b"")
        xref = file.at
        file.put(b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]%s/ID[<%s><%s>]%s/Length %d>>\nstream\n"
                 % (number, size, trailer, file_id.encode(), file_id.encode(), filtered, len(table)))
        file.put(table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)


def _packed(batch: list[tuple[int, bytes]]) -> tuple[int, bytes, int]:
    """Return an object stream of the objects ``batch``: how many, its data (compressed) and /First."""
    offsets, at = [], 0
    for num, text in batch:
        offsets.append(b"%d %d" % (num, at))
        at += len(text) + 1
    head = b" ".join(offsets) + b"\n"
    body = deflate(head + b"\n".join(text for _n, text in batch) + b"\n", b" ", LEVEL)
    return len(batch), body, len(head)


class _Rows:
    """The cross-reference stream's rows, one per object from 0, in three columns of machine integers (a long
    report has a hundred thousand objects: as tuples, 8 MB)."""

    def __init__(self):
        self.kind = array("B")
        self.field2 = array("I")  # an offset, or the number of the object stream holding the object
        self.field3 = array("H")  # a generation, or the object's index in its object stream

    def __len__(self) -> int:
        return len(self.kind)

    def append(self, kind: int, field2: int, field3: int) -> None:
        self.kind.append(kind)
        self.field2.append(field2)
        self.field3.append(field3)

    def table(self, first_stream: int) -> bytes:
        """Return the rows as the stream holds them (/W [1 4 2]: big-endian), the object streams' numbered from
        ``first_stream`` (an object in one holds its index: ``ObjectFile.add``): made column by column into one
        buffer (a long report's hundred thousand rows as bytes objects each were megabytes)."""
        kind, field2 = self.kind, array("I", self.field2)
        for i, k in enumerate(kind):
            if k == 2:
                field2[i] += first_stream
        field3 = array("H", self.field3)
        if sys.byteorder == "little":
            field2.byteswap()
            field3.byteswap()
        n = len(kind)
        out = bytearray(7 * n)
        out[0::7] = kind.tobytes()
        wide, narrow = field2.tobytes(), field3.tobytes()
        for j in range(4):
            out[1 + j :: 7] = wide[j::4]
        for j in range(2):
            out[5 + j :: 7] = narrow[j::2]
        return bytes(out)


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
