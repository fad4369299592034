"""The file writer of a tagged PDF (``writers.pdf.objfile``): one pass, to the file as it is made, never whole in memory."""

from __future__ import annotations

import io
import os
import tracemalloc
import zlib

import pytest

pikepdf = pytest.importorskip("pikepdf")

from reportgen.writers.pdf.objfile import write_file, write_file_to  # noqa: E402


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
