"""The deck as bytes (``writers/pptx/package.py``): zip stamps fixed in place."""

from __future__ import annotations

import io
import zipfile

from reportgen.writers.pptx.package import FIXED_TIME, _fixed_times


def _zip(stamp, comment: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", b"<Types/>" * 50), ("ppt/slides/slide1.xml", b"<p:sld/>" * 80)):
            z.writestr(zipfile.ZipInfo(name, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
        z.comment = comment
    return buf.getvalue()


def test_zip_stamps_are_fixed_in_place():
    """The saved deck's zip stamps are overwritten, not re-deflated: the same bytes as a zip written with them."""
    fixed = _fixed_times(_zip((2026, 11, 25, 13, 37, 58)))
    assert fixed == _zip(FIXED_TIME)
    with zipfile.ZipFile(io.BytesIO(fixed)) as z:
        assert z.testzip() is None and {i.date_time for i in z.infolist()} == {FIXED_TIME}
    # a zip it cannot patch plainly (here: one with a comment) is rewritten whole, still with the fixed stamps
    with zipfile.ZipFile(io.BytesIO(_fixed_times(_zip((2026, 1, 2, 3, 4, 6), b"note")))) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_TIME}
