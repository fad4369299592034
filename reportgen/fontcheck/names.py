"""The PostScript name, picked from the 'name' table exactly as ReportLab picks it, and what ReportLab refuses in it."""

from __future__ import annotations

import struct

from .tables import FontError, _Tables

_PS_NAME_BAD = frozenset(b"[](){}<>/%")  # after spaces become '-'; bytes over 126 and control bytes are bad too


def _ps_name(t: _Tables) -> None:
    """Pick the PostScript name as ReportLab does; raise if it would be refused or missing."""
    data = t.data
    base = t.need("name", 6)
    fmt, count, strings = struct.unpack_from(">HHH", data, base)
    if fmt != 0:
        raise FontError(f"has a 'name' table in format {fmt} (expected format 0)")
    t.need("name", 6 + 12 * count, f"for its {count} name records")
    string_base = base + strings
    names: dict[int, bytes | None] = {1: None, 2: None, 3: None, 4: None, 6: None}
    left = len(names)
    for i in range(count):
        pid, eid, lang, name_id, length, offset = struct.unpack_from(">6H", data, base + 6 + 12 * i)
        if name_id not in names:
            continue
        raw = data[string_base + offset : string_base + offset + length]
        if (pid, eid, lang) == (3, 1, 0x409):
            if length % 2:
                raise FontError(f"has a Windows name (ID {name_id}) of odd length {length} (expected UTF-16, an even number of bytes)")
            found = _decode(raw, "utf_16_be")
        elif (pid, eid, lang) == (1, 0, 0):
            found = _decode(raw, "mac_roman")
        else:
            continue
        if found and names[name_id] is None:
            names[name_id] = found
            left -= 1
            if not left:
                break
    ps = names[6] or names[4] or names[1]
    if not ps:
        raise FontError("has no PostScript name (name ID 6, 4 or 1 in its 'name' table, in Windows or Mac English)")
    ps = ps.replace(b" ", b"-")
    bad = sorted({chr(b) if 32 < b < 127 else f"\\x{b:02x}" for b in ps if b > 126 or b < 32 or b in _PS_NAME_BAD})
    if bad:
        raise FontError(f"has the PostScript name {ps.decode('utf-8', 'replace')!r}, which holds {' '.join(bad)} (expected printable ASCII without []{{}}()<>/%)")


def _decode(raw: bytes, encoding: str) -> bytes:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.encode("utf-8")
