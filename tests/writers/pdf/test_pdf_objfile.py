"""The file writer of a tagged PDF (``writers.pdf.objfile``): one pass, to the file as it is made, never whole in memory."""

from __future__ import annotations

import io
import os
import tracemalloc
import zlib

import pytest

pikepdf = pytest.importorskip("pikepdf")

from reportgen.writers.pdf.objfile import PER_STREAM, ObjectFile, write_file, write_file_to  # noqa: E402


def _objects(streams: int, size: int, dicts: int) -> list[tuple[int, bytes]]:
    """Return a file's numbered objects: a catalog and page tree, ``streams`` streams of ``size`` random (incompressible)
    bytes each, then ``dicts`` small dictionaries (these go into object streams)."""
    objects = [(1, b"<</Type/Catalog/Pages 2 0 R>>"), (2, b"<</Type/Pages/Kids[]/Count 0>>")]
    for _ in range(streams):
        data = os.urandom(size)
        objects.append((len(objects) + 1, b"<</Length %d>>\nstream\n%sendstream\n" % (len(data), data)))
    for i in range(dicts):
        objects.append((len(objects) + 1, b"<</N %d/Name(entry %d)>>" % (i, i)))
    return objects


class _Sink(io.RawIOBase):
    """A file that notes the size of each write and keeps the bytes only when told to (``keep``)."""

    def __init__(self, keep: bool = True):
        self.writes: list[int] = []
        self.keep = keep
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.writes.append(len(b))
        if self.keep:
            self.data += bytes(b)
        return len(b)


def test_the_file_reads_back_whole_and_is_what_write_file_returns():
    """Every object reads back (qpdf, through pikepdf: object streams, cross-reference stream); the bytes written to
    a file are the bytes ``write_file`` returns, the same run to run."""
    objects = _objects(3, 5_000, 1_200)
    kept = list(objects)
    sink = _Sink()
    write_file_to(sink, list(objects), 1, None)
    assert bytes(sink.data) == write_file(list(kept), 1, None) == write_file(list(kept), 1, None)
    with pikepdf.open(io.BytesIO(bytes(sink.data))) as pdf:
        assert pdf.Root.Pages.Count == 0
        last = pdf.get_object((len(kept), 0))
        assert int(last.N) == 1_199 and str(last.Name) == "entry 1199"
        stream = pdf.get_object((3, 0))
        assert stream.read_raw_bytes() == kept[2][1].split(b"\nstream\n", 1)[1][: -len(b"endstream\n")]


def test_the_file_goes_out_as_it_is_made_and_the_objects_are_let_go():
    """A file of 40 streams of 100 KB is written in pieces no larger than one object, the list of objects is emptied,
    and the writer holds at most a few hundred KB at any time on top of the objects it was given: never the file."""
    objects = _objects(40, 100_000, 2_000)
    total = sum(len(text) for _n, text in objects)
    largest = max(len(text) for _n, text in objects)
    sink = _Sink(keep=False)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        write_file_to(sink, objects, 1, None)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    written = sum(sink.writes)
    assert written > total * 0.9  # (random data does not compress)
    assert max(sink.writes) <= largest
    assert objects == []
    assert peak < 600_000, f"the writer held {peak:,} bytes while writing a file of {written:,}"


def test_objects_out_of_order_are_refused():
    with pytest.raises(ValueError, match="object 3 out of order"):
        write_file_to(io.BytesIO(), [(1, b"<<>>"), (3, b"<<>>")], 1, None)


def test_an_object_stream_holds_its_objects_compressed_and_the_cross_reference_stream_indexes_them():
    objects = _objects(0, 0, 1_001)
    data = write_file(objects, 1, None)
    assert data.count(b"/Type/ObjStm") == 3  # 1,003 objects: 500 + 500 + 3
    xref = data[data.rindex(b"/Type/XRef"):]
    table = zlib.decompress(xref.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0])
    assert len(table) == 7 * (1 + 1_003 + 3 + 1)  # object 0, the objects, their streams, the cross-reference stream


def test_each_object_is_let_go_as_it_is_written():
    """When a stream's bytes reach the file, every stream written before it has already been let go by the list
    (not only once the whole file is written)."""
    objects = _objects(6, 20_000, 10)
    seen_blank: list[int] = []

    class Watching(_Sink):
        def write(self, b) -> int:
            if len(b) >= 20_000:  # a stream's data
                seen_blank.append(sum(1 for _n, text in objects if text == b""))
            return super().write(b)

    write_file_to(Watching(keep=False), objects, 1, None)
    assert seen_blank == [2, 3, 4, 5, 6, 7]  # (the catalog and the page tree, packed; then each stream before this one)


def test_the_cross_reference_stream_gives_each_objects_place_and_the_id_is_the_digest_of_the_bytes_before_it():
    """Read back by hand, not by a reader that mends a damaged table: each object's row gives the offset of its
    ``N 0 obj`` (or its object stream and index), and the file /ID is the MD5 of every byte before the cross-reference
    stream."""
    import hashlib
    import re
    import struct

    objects = _objects(3, 3_000, 700)
    data = write_file(objects, 1, None)
    xref_at = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    head, body = data[xref_at:].split(b"stream\n", 1)
    table = zlib.decompress(body.split(b"\nendstream", 1)[0])
    rows = [struct.unpack(">BIH", table[i : i + 7]) for i in range(0, len(table), 7)]
    number = int(head.split(b" ", 1)[0])
    assert rows[number] == (1, xref_at, 0)
    for n, (kind, field2, field3) in enumerate(rows[1:number], start=1):
        if kind == 1:
            assert data[field2:].startswith(b"%d 0 obj\n" % n), n
        else:
            assert kind == 2 and rows[field2][0] == 1 and data[rows[field2][1]:].startswith(b"%d 0 obj\n<</Type/ObjStm" % field2)
            assert field3 < 500
    file_id = re.search(rb"/ID\[<([0-9a-f]{32})>", head).group(1).decode()
    assert file_id == hashlib.md5(data[:xref_at]).hexdigest()


def test_write_file_leaves_its_argument_as_it_was():
    objects = _objects(1, 100, 3)
    kept = list(objects)
    write_file(objects, 1, None)
    write_file(tuple(objects), 1, None)
    assert objects == kept


@pytest.mark.parametrize("late", [1, 300, 501, 1_210])  # (in the first object stream, a later full one, the last)
def test_objects_given_one_by_one_make_the_file_a_list_makes_one_set_later_included(late):
    """``ObjectFile`` given the objects one by one writes what ``write_file`` writes of them all; an object given as
    None and set later (``fill``) is written where it was given, in whichever object stream holds it."""
    objects = _objects(3, 2_000, 1_210)
    sink = _Sink()
    file = ObjectFile(sink)
    for number, text in objects:
        file.add(number, None if number == late else text)
        if number == late + 600 or number == len(objects) and late + 600 > len(objects):
            file.fill(late, objects[late - 1][1])  # (after its object stream filled, or before the last is written)
    file.close(1, None)
    assert bytes(sink.data) == write_file(objects, 1, None)


def test_an_object_never_set_or_a_stream_set_later_is_refused():
    file = ObjectFile(io.BytesIO())
    file.add(1, b"<</Type/Catalog>>")
    file.add(2, None)
    with pytest.raises(ValueError, match=r"objects \[2\] were never set"):
        file.close(1, None)
    with pytest.raises(ValueError, match="object 2 is a stream"):
        file.fill(2, b"<</Length 1>>\nstream\nxendstream\n")


def test_full_object_streams_are_compressed_as_they_come():
    """The objects given are not held as they are until the end: each object stream is compressed once it is full,
    so 20,000 small dictionaries (2.6 MB as bytes objects) leave the writer holding a fifth of that before it closes (their
    cross-reference rows and their object streams' compressed data)."""
    file = ObjectFile(_Sink(keep=False))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        text = 0
        for number in range(1, 20_001):
            obj = b"<</Type/StructElem/S/P/P %d 0 R/Pg 7 0 R/K[%d 1 2]>>" % (number // 7 + 1, number % 90)
            text += len(obj) + 80  # (and what the bytes object costs)
            file.add(number, obj)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < text / 5, f"the writer holds {held:,} bytes of {text:,} given"
    assert len(file._batch) == 20_000 % PER_STREAM
    file.close(1, None)


def test_the_cross_reference_rows_are_packed_as_the_stream_wants_them_without_an_object_per_row():
    """``_Rows.table`` gives each row as /W [1 4 2] packs it, big-endian, an object stream's index made its number;
    100,000 rows are made into their 700 KB in about that much memory (a bytes object per row held 5 MB)."""
    import random
    import struct

    from reportgen.writers.pdf.objfile import _Rows

    rng = random.Random(7)
    rows = _Rows()
    rows.append(0, 0, 65535)
    expected = [(0, 0, 65535)]
    for _ in range(100_000):
        kind = rng.choice((1, 2))
        field2, field3 = (rng.randrange(2**32 - 10**6), 0) if kind == 1 else (rng.randrange(200), rng.randrange(500))
        rows.append(kind, field2, field3)
        expected.append((kind, field2 + 123_456 if kind == 2 else field2, field3))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        table = rows.table(123_456)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert table == b"".join(struct.pack(">BIH", *row) for row in expected)
    assert peak < 4 * 7 * len(expected), f"{peak:,} bytes to pack {len(expected):,} rows"
