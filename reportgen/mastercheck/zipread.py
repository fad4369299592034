"""The zip of a slide master, read within budgets: its directory and entries checked before a byte is inflated."""

from __future__ import annotations

import posixpath
import struct
import zipfile

from .refusal import DAMAGED, RESAVE, Refused

MB = 1024 * 1024
MAX_FILE_BYTES = 100 * MB
MAX_ENTRIES = 1000
MAX_DIRECTORY_BYTES = 2 * MB
MAX_ENTRY_BYTES = 50 * MB
MAX_TOTAL_BYTES = 200 * MB
MAX_XML_BYTES = 10 * MB
MAX_XML_TOTAL_BYTES = 30 * MB


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


class _Zip:
    """The zip's checks: its directory (``_directory``), its entries (``_entries``, which sets
    ``infos``: name → ZipInfo) and bounded reads of XML parts (``_read_xml_part``, ``_read``)."""

    def _directory(self, fh) -> None:
        """Refuse a zip whose directory is too big before zipfile reads it (it reads all of it at once)."""
        tail_len = min(self.size, 22 + 0xFFFF + 20)
        fh.seek(self.size - tail_len)
        tail = fh.read(tail_len)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + 22 > len(tail):
            raise Refused("not a .pptx file (not a zip archive): not a PowerPoint .pptx file, or one cut short; save the slide master from PowerPoint as .pptx")
        entries, cd_size, cd_offset = struct.unpack_from("<HII", tail, at + 10)
        if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:  # ZIP64: the real counts are elsewhere
            loc = at - 20
            if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
                raise Refused(f"not a .pptx file (a damaged ZIP64 directory); {DAMAGED}")
            (where,) = struct.unpack_from("<Q", tail, loc + 8)
            if where > self.size - 56:
                raise Refused(f"not a .pptx file (a damaged ZIP64 directory); {DAMAGED}")
            fh.seek(where)
            rec = fh.read(56)
            if rec[:4] != b"PK\x06\x06":
                raise Refused(f"not a .pptx file (a damaged ZIP64 directory); {DAMAGED}")
            entries, cd_size = struct.unpack_from("<QQ", rec, 32)
        if entries > MAX_ENTRIES:
            raise Refused(f"the zip holds {entries:,} entries, over the {MAX_ENTRIES:,} limit for a slide master; {RESAVE} (a master needs its layouts, theme and pictures only)")
        if cd_size > MAX_DIRECTORY_BYTES:
            raise Refused(f"the zip's directory is {_mb(cd_size)}, over the {_mb(MAX_DIRECTORY_BYTES)} limit for a slide master; {DAMAGED}")

    def _entries(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > MAX_ENTRIES:
            raise Refused(f"the zip holds {len(infos):,} entries, over the {MAX_ENTRIES:,} limit for a slide master; {RESAVE}")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if name in seen:
                raise Refused(f"{name}: the zip holds two entries of this name; {DAMAGED}")
            seen.add(name)
            if info.flag_bits & 0x1:
                raise Refused(f"{name}: the part is encrypted; save the master without a password ({RESAVE})")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Refused(f"{name}: compressed with method {info.compress_type}, expected deflate (what PowerPoint writes); {RESAVE}")
            if info.file_size > MAX_ENTRY_BYTES:
                raise Refused(f"{name}: declares {_mb(info.file_size)} when inflated, over the {_mb(MAX_ENTRY_BYTES)} limit for one part; make it smaller or remove it in PowerPoint, and save again")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise Refused(f"{name}: the parts declare over {_mb(MAX_TOTAL_BYTES)} in all when inflated, the limit for a slide master; remove unused pictures, fonts or media")
            if info.is_dir():
                continue
            base = posixpath.basename(name).lower()
            if base.startswith("vbaproject") or base.startswith("vbadata"):
                raise Refused(f"{name}: a VBA macro project; a slide master must carry no macros: save it as 'PowerPoint Presentation (*.pptx)', which drops them")
            if name.lower().startswith(("ppt/activex/", "ppt/embeddings/oleobject")):
                kind = "an ActiveX control" if "activex" in name.lower() else "an embedded OLE object"
                raise Refused(f"{name}: {kind}; a slide master must carry no controls or embedded programs: remove it in PowerPoint and save again")
        self.infos = {i.filename: i for i in infos if not i.is_dir()}

    def _read_xml_part(self, name: str) -> bytes:
        """The bytes of XML part ``name``, counted against the budget for all XML parts."""
        if name not in self.xml_read:
            self.xml_read.add(name)
            self.xml_total += self.infos[name].file_size
            if self.xml_total > MAX_XML_TOTAL_BYTES:
                raise Refused(f"{name}: the XML parts come to over {_mb(MAX_XML_TOTAL_BYTES)} in all, the limit for a slide master; {RESAVE}")
        return self._read(name, MAX_XML_BYTES)

    def _read(self, name: str, limit: int) -> bytes:
        info = self.infos[name]
        if info.file_size > limit:
            raise Refused(f"{name}: {_mb(info.file_size)} of XML, over the {_mb(limit)} limit for one XML part of a slide master; {RESAVE}")
        chunks = []
        left = info.file_size + 1  # zipfile stops at the declared size; one byte more would show it did not
        with self.zf.open(info) as fh:
            while left > 0:  # in small steps: each inflates at most 64 KB, whatever the part declares
                chunk = fh.read(min(left, 1 << 16))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # cannot happen: belt and braces
            raise Refused(f"{name}: more than {_mb(limit)} of XML; {DAMAGED}")
        return data
