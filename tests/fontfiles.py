"""Font files for the font tests, made with ``struct`` from the bundled fonts, and guards for hostile ones.

``mini()`` is a small, valid TrueType font (about 25 KB): the first 96 glyphs
of Liberation Sans (space, ASCII punctuation, digits, letters), two composite
glyphs (U+00C4 is A with a dot above, U+00C5 that glyph with another dot: two
levels of nesting), a format 4 ``cmap`` and all the tables ReportLab needs.
``tables`` and ``sfnt`` take a font apart and put it back together so a test
can rewrite one table; ``with_glyphs`` replaces the glyphs. ``deadline`` and
``memory_cap`` make a regression fail a test instead of hanging the suite or
exhausting the machine. ``RenderWorker`` registers a font with ReportLab and
saves a one-page PDF with text in it (a subset embedded) in a child process,
with a time limit.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
from functools import lru_cache

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONTS = os.path.join(ROOT, "reportgen", "packs", "briefing", "fonts")
BASE = os.path.join(FONTS, "LiberationSans-Regular.ttf")
TEXT = "Hello world ABC abcxyz 0123456789 .,!? \u00c4\u00c5 \u00c6\u00e9\u4e2d\U0001f680"  # the last four: not in mini() (U+00C6 is where tests map a glyph they add)

ARG_1_AND_2_ARE_WORDS = 0x0001
ARGS_ARE_XY_VALUES = 0x0002
MORE_COMPONENTS = 0x0020
KEEP = 96  # glyphs 0..95 of Liberation Sans: no composites among them


# --- taking fonts apart and putting them together --------------------------------


def tables(data: bytes) -> dict[str, bytes]:
    """Return tag -> bytes of every table of the sfnt ``data`` (in directory order)."""
    num = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for i in range(num):
        tag, _sum, off, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag.decode("latin-1")] = data[off : off + length]
    return out


def checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def sfnt(tabs: dict[str, bytes], version: int = 0x00010000) -> bytes:
    """Return a TrueType file holding ``tabs`` (tables padded to 4 bytes, checksums right)."""
    tags = sorted(tabs)
    n = len(tags)
    entry = 1 << (n.bit_length() - 1) if n else 0
    head = struct.pack(">IHHHH", version, n, entry * 16, max(entry.bit_length() - 1, 0), n * 16 - entry * 16)
    offset = 12 + 16 * n
    directory, body = b"", b""
    for tag in tags:
        data = tabs[tag]
        directory += struct.pack(">4sIII", tag.encode("latin-1"), checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return head + directory + body


def directory(data: bytes) -> dict[str, tuple[int, int, int]]:
    """Return tag -> (directory entry position, table offset, table length)."""
    num = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for i in range(num):
        tag, _sum, off, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag.decode("latin-1")] = (12 + 16 * i, off, length)
    return out


def patch(data: bytes, pos: int, fmt: str, *values) -> bytes:
    """Return ``data`` with ``values`` packed as ``fmt`` at ``pos``."""
    raw = struct.pack(fmt, *values)
    return data[:pos] + raw + data[pos + len(raw) :]


def patch_table(data: bytes, tag: str, pos: int, fmt: str, *values) -> bytes:
    """Return the font ``data`` with ``values`` packed as ``fmt`` at ``pos`` inside table ``tag``."""
    return patch(data, directory(data)[tag][1] + pos, fmt, *values)


def replace(data: bytes, **new: bytes | None) -> bytes:
    """Return the font ``data`` with tables replaced (``None`` drops one); ``OS_2`` stands for ``OS/2``."""
    tabs = tables(data)
    for key, value in new.items():
        tag = {"OS_2": "OS/2", "cvt": "cvt "}.get(key, key)
        if value is None:
            tabs.pop(tag, None)
        else:
            tabs[tag] = value
    return sfnt(tabs)


# --- glyphs and character maps -----------------------------------------------------


def glyphs_of(data: bytes) -> list[bytes]:
    """Return the glyph data of every glyph of the font ``data``."""
    tabs = tables(data)
    n = struct.unpack_from(">H", tabs["maxp"], 4)[0]
    long = struct.unpack_from(">h", tabs["head"], 50)[0] == 1
    loca = struct.unpack_from(f">{n + 1}{'I' if long else 'H'}", tabs["loca"])
    loca = loca if long else [2 * v for v in loca]
    return [tabs["glyf"][loca[i] : loca[i + 1]] for i in range(n)]


def composite(*parts: tuple[int, int, int], more_last: bool = False) -> bytes:
    """Return a composite glyph of ``parts`` (glyph index, dx, dy)."""
    out = struct.pack(">hhhhh", -1, 0, 0, 1000, 1400)
    for i, (gid, dx, dy) in enumerate(parts):
        flags = ARG_1_AND_2_ARE_WORDS | ARGS_ARE_XY_VALUES
        if i < len(parts) - 1 or more_last:
            flags |= MORE_COMPONENTS
        out += struct.pack(">HHhh", flags, gid, dx, dy)
    return out


def with_glyphs(data: bytes, glyphs: list[bytes], advance: int = 1200) -> bytes:
    """Return the font ``data`` with its glyphs replaced by ``glyphs`` (new ones get ``advance``)."""
    tabs = tables(data)
    n_hmetrics = struct.unpack_from(">H", tabs["hhea"], 34)[0]
    old_n = struct.unpack_from(">H", tabs["maxp"], 4)[0]
    metrics = [struct.unpack_from(">Hh", tabs["hmtx"], 4 * min(i, n_hmetrics - 1)) for i in range(min(old_n, len(glyphs)))]
    metrics += [(advance, 0)] * (len(glyphs) - len(metrics))
    glyf, loca = b"", [0]
    for g in glyphs:
        glyf += g + b"\0" * (-len(g) % 4)
        loca.append(len(glyf))
    tabs["glyf"] = glyf
    tabs["loca"] = struct.pack(f">{len(loca)}I", *loca)
    tabs["head"] = patch(tabs["head"], 50, ">h", 1)
    tabs["hmtx"] = b"".join(struct.pack(">Hh", *m) for m in metrics)
    tabs["hhea"] = patch(tabs["hhea"], 34, ">H", len(glyphs))
    tabs["maxp"] = patch(tabs["maxp"], 4, ">H", len(glyphs))
    return sfnt(tabs)


def cmap4(mapping: dict[int, int], records=((3, 1),)) -> bytes:
    """Return a 'cmap' table with one format 4 subtable (one segment per code) for ``records``."""
    codes = sorted(c for c in mapping if c < 0xFFFF)
    seg = len(codes) + 1
    ends = codes + [0xFFFF]
    starts = codes + [0xFFFF]
    deltas = [(mapping[c] - c) & 0xFFFF for c in codes] + [1]
    body = struct.pack(">HHHHHHH", 4, 16 + 8 * seg, 0, 2 * seg, 2, 0, 0)
    body += struct.pack(f">{seg}H", *ends) + b"\0\0" + struct.pack(f">{seg}H", *starts)
    body += struct.pack(f">{seg}H", *deltas) + struct.pack(f">{seg}H", *([0] * seg))
    return cmap_of([(pid, eid, body) for pid, eid in records])


def format12(groups: list[tuple[int, int, int]]) -> bytes:
    """Return a format 12 subtable of ``groups`` (first code, last code, first glyph)."""
    return struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups)) + b"".join(struct.pack(">III", *g) for g in groups)


def format4_segments(segments: list[tuple[int, int, int, int]], length: int | None = None) -> bytes:
    """Return a format 4 subtable of raw ``segments`` (start, end, delta, rangeOffset)."""
    n = len(segments)
    body = struct.pack(">HHHHHHH", 4, 0, 0, 2 * n, 2, 0, 0)
    body += struct.pack(f">{n}H", *[s[1] for s in segments]) + b"\0\0"
    body += struct.pack(f">{n}H", *[s[0] for s in segments])
    body += struct.pack(f">{n}H", *[s[2] & 0xFFFF for s in segments])
    body += struct.pack(f">{n}H", *[s[3] for s in segments])
    return patch(body, 2, ">H", min(len(body), 0xFFFF) if length is None else length)


def cmap_of(subtables: list[tuple[int, int, bytes]]) -> bytes:
    """Return a 'cmap' table of (platform, encoding, subtable bytes) records, in that order."""
    head = struct.pack(">HH", 0, len(subtables))
    offset = 4 + 8 * len(subtables)
    records, body, seen = b"", b"", {}
    for pid, eid, sub in subtables:
        if sub not in seen:
            seen[sub] = offset + len(body)
            body += sub + b"\0" * (-len(sub) % 4)
        records += struct.pack(">HHI", pid, eid, seen[sub])
    return head + records + body


@lru_cache(maxsize=None)
def mini() -> bytes:
    """Return a small valid TrueType font: Liberation Sans' first 96 glyphs and two nested composites."""
    from reportgen.fontmetrics import FontMetrics

    with open(BASE, "rb") as fh:
        base = fh.read()
    cmap = {c: g for c, g in FontMetrics.load(BASE).mapping().items() if g < KEEP}
    keep = glyphs_of(base)[:KEEP]
    a_dot = composite((36, 0, 0), (17, 400, 1500))  # 96: A with a dot above
    nested = composite((96, 0, 0), (17, 600, 1500))  # 97: that glyph with a second dot: two levels
    font = with_glyphs(base, keep + [a_dot, nested], advance=1366)
    tabs = tables(font)
    post = tabs["post"][:32]
    tabs = {tag: tabs[tag] for tag in ("OS/2", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name")}
    tabs["post"] = patch(post, 0, ">I", 0x00030000)
    tabs["cmap"] = cmap4({**cmap, 0xC4: 96, 0xC5: 97}, records=((0, 3), (3, 1)))
    return sfnt(tabs)


def write(folder, data: bytes, name: str = "font.ttf") -> str:
    """Write ``data`` as ``folder/name``; return its path."""
    path = os.path.join(str(folder), name)
    with open(path, "wb") as fh:
        fh.write(data)
    return path


# --- guards ------------------------------------------------------------------------


class Hang(BaseException):
    """Raised by ``deadline``: a BaseException, so no ``except Exception`` swallows it."""


@contextlib.contextmanager
def deadline(seconds: float):
    """Raise ``Hang`` in the block if it runs longer than ``seconds``."""

    def stop(*_):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def memory_cap(extra: int = 768 * 1024 * 1024):
    """Limit this process's address space to its current size plus ``extra`` in the block (MemoryError past it)."""
    with open("/proc/self/status") as fh:
        size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# --- ReportLab, in a child process --------------------------------------------------

_WORKER = r"""
import io, json, resource, sys, traceback
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, resource.getrlimit(resource.RLIMIT_AS)[1]))
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
text = json.loads(sys.argv[1])
for n, line in enumerate(sys.stdin):
    path = line.rstrip("\n")
    font = None
    try:
        font = TTFont(f"probe{n}", path)  # as reportgen.writers.pdf_styles registers a pack's font
        pdfmetrics.registerFont(font)
        pdf = canvas.Canvas(io.BytesIO())
        pdf.setFont(f"probe{n}", 12)
        pdf.drawString(72, 720, text)
        pdf.stringWidth(text, f"probe{n}", 12)
        pdf.showPage()
        pdf.save()  # embeds the subset of the font the text used
        reply = "ok"
    except BaseException as exc:
        reply = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        if font is not None:
            font.unregister()  # the next probe may share its PostScript name
    print(json.dumps(reply), flush=True)
"""


class RenderWorker:
    """A child process that registers fonts with ReportLab and saves a page of text with each."""

    def __init__(self, text: str = TEXT, timeout: float = 20):
        self.text = text
        self.timeout = timeout
        self.proc = None

    def _start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER, json.dumps(self.text)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT
        )

    def render(self, path: str) -> str:
        """Return "ok" if ReportLab registered the font at ``path`` and saved a PDF with it, else the error."""
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        self.proc.stdin.write(path + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        if not ready:
            self.close()
            return f"hang: no answer within {self.timeout} s"
        line = self.proc.stdout.readline()
        if not line:
            self.close()
            return "crash: the ReportLab process died"
        return json.loads(line)

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            for pipe in (self.proc.stdin, self.proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass
            self.proc = None
