"""Writers: one per output format, each reading the document tree and the theme.

A writer is a small class with ``name``, ``suffix``, ``tree`` ("report" or
"deck") and ``write(doc, theme, path) -> list[str]`` (the warnings). Writers
are imported lazily so that start-up, ``validate`` and no-op builds never load
ReportLab or python-pptx.
"""

from __future__ import annotations

import importlib

_WRITERS = {
    "pdf": ("reportgen.writers.pdf", "PdfWriter"),
    "pptx": ("reportgen.writers.pptx", "PptxWriter"),
}

FORMATS = tuple(_WRITERS)
SUFFIX = {"pdf": ".pdf", "pptx": ".pptx"}  # known without importing a writer
# What the PDF claims to be (``--pdf-standard``): tagged PDF/UA-1 (the default), tagged PDF/A-2b or PDF/A-3b
# (the same tags, the PDF/A claim), or none (untagged: the bytes ReportLab writes).
PDF_STANDARDS = ("ua-1", "a-2b", "a-3b", "none")
DEFAULT_PDF_STANDARD = "ua-1"


def get_writer(name: str):
    """Return a new writer instance for format ``name`` (imports its module now)."""
    module, cls = _WRITERS[name]
    return getattr(importlib.import_module(module), cls)()
