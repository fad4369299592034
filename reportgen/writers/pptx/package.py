"""The deck as bytes: core properties, steady chart workbooks, fixed zip times (same input, same bytes)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import datetime, timezone

from ...compat.pptx import (
    RT,
    chart_workbook_blob,
    drop_relationships,
    replace_chart_workbook,
)

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def drop_thumbnail(prs) -> None:
    drop_relationships(prs.part.package, RT.THUMBNAIL)


CORE_MAX = 255  # characters python-pptx (and PowerPoint's property dialog) allow in a core property


def core_text(text: str) -> str:
    """Return ``text`` cut to ``CORE_MAX`` characters for a core property, at a word when one ends near, with "…"."""
    if len(text) <= CORE_MAX:
        return text
    cut = " ".join(text.split())[: CORE_MAX - 1]
    space = cut.rfind(" ")
    if space > CORE_MAX * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,;") + "…"


def set_core(prs, *, title="", author="", subject="", keywords="", when: datetime | None = None) -> None:
    """Set the deck's core properties (each cut to ``CORE_MAX`` characters) and its fixed dates."""
    cp = prs.core_properties
    cp.title = core_text(title)
    cp.author = core_text(author)
    cp.subject = core_text(subject)
    cp.keywords = core_text(keywords)
    cp.comments = ""
    cp.category = ""
    cp.last_modified_by = "reportgen"
    cp.revision = 1
    when = when or datetime(2000, 1, 1, tzinfo=timezone.utc)
    cp.created = when.replace(tzinfo=None)
    cp.modified = when.replace(tzinfo=None)


_W3C = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _rezip(blob: bytes, inner: bool = False) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xlsx"):
                data = _rezip(data, inner=True)
            elif inner and info.filename == "docProps/core.xml":
                data = _W3C.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def steady_workbook(chart) -> None:
    """Give ``chart``'s embedded workbook fixed timestamps (XlsxWriter stamps the time of day)."""
    blob = chart_workbook_blob(chart)
    if blob is not None:
        replace_chart_workbook(chart, _rezip(blob, inner=True))


def save_deterministic(prs, path: str) -> None:
    """Save ``prs`` to ``path`` with fixed zip timestamps (same input → same bytes).

    python-pptx stamps each zip entry with the time of saving; the stamps are
    overwritten in place (``_fixed_times``), which keeps the compressed data
    as written instead of inflating and deflating the whole package again.
    Chart workbooks are made steady when they are added (``steady_workbook``).
    """
    buf = io.BytesIO()
    prs.save(buf)
    data = _fixed_times(buf.getvalue())
    with open(path, "wb") as fh:
        fh.write(data)


_DOS_TIME = (FIXED_TIME[3] << 11) | (FIXED_TIME[4] << 5) | (FIXED_TIME[5] // 2)
_DOS_DATE = ((FIXED_TIME[0] - 1980) << 9) | (FIXED_TIME[1] << 5) | FIXED_TIME[2]


def _fixed_times(blob: bytes) -> bytes:
    """Return zip ``blob`` with every entry's date and time set to ``FIXED_TIME``.

    Patches the local headers and the central directory (the stamps' fixed
    offsets in the zip format); a zip this cannot read plainly (ZIP64, a
    comment) is rewritten whole instead.
    """
    end = len(blob) - 22
    if end < 0 or blob[end : end + 4] != b"PK\x05\x06":
        return _rezip(blob)
    count, _size, where = struct.unpack_from("<HII", blob, end + 10)
    if count == 0xFFFF or where == 0xFFFFFFFF:
        return _rezip(blob)
    out = bytearray(blob)
    for _ in range(count):
        if out[where : where + 4] != b"PK\x01\x02":
            return _rezip(blob)
        struct.pack_into("<HH", out, where + 12, _DOS_TIME, _DOS_DATE)
        n, m, k = struct.unpack_from("<HHH", out, where + 28)
        (local,) = struct.unpack_from("<I", out, where + 42)
        if out[local : local + 4] != b"PK\x03\x04":
            return _rezip(blob)
        struct.pack_into("<HH", out, local + 10, _DOS_TIME, _DOS_DATE)
        where += 46 + n + m + k
    return bytes(out)
