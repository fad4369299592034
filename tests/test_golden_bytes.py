"""The bundled and fixture documents build byte for byte as recorded (determinism, and a guard for refactors).

``tests/golden/bytes.json`` holds the SHA-256 of the summit briefing, the
feature outline (every report feature) and the deck stress fixture, in both
formats, and the versions of the libraries that decide their bytes. A
refactor that is meant to change nothing must keep every hash; a change that
is meant to change a document updates the file (``REPORTGEN_UPDATE_GOLDEN=1``)
in the same commit, saying why. With other library versions installed the
bytes legitimately differ, so the comparison is skipped (and says so).

``tests/golden/untagged.json`` holds the PDFs' hashes when built with
``--pdf-standard none``: the bytes ReportLab writes, from before the PDFs
were tagged. No change to tagging may change them; they change only with
the layout or the libraries (and are rewritten with the others).
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata

import pytest

from reportgen.build import Options, build

from conftest import FIXTURES, ROOT, SUMMIT, TEMPLATES

GOLDEN = os.path.join(ROOT, "tests", "golden", "bytes.json")
UNTAGGED = os.path.join(ROOT, "tests", "golden", "untagged.json")
OUTLINES = {
    "summit": SUMMIT,
    "features": os.path.join(FIXTURES, "features", "features.yaml"),
    "stress": os.path.join(FIXTURES, "deck", "stress.yaml"),
}
LIBRARIES = ("reportlab", "rl_accel", "python-pptx", "XlsxWriter", "lxml", "Pillow", "Jinja2", "markdown-it-py", "pikepdf")  # those that decide the bytes (the input parsers do not)


def versions() -> dict[str, str]:
    out = {}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = "?"
    return out


def differing(recorded: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The libraries whose installed version is not the one ``recorded`` (a library the record does not name is not compared)."""
    now = versions()
    return {lib: (v, now.get(lib, "?")) for lib, v in recorded.items() if now.get(lib, "?") != v}


def built_hashes(folder_for, pdf_standard: str, formats: tuple[str, ...]) -> dict[str, str]:
    """The SHA-256 of each outline's outputs in ``formats``, built in ``folder_for(name)``."""
    out = {}
    old = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        for name, path in OUTLINES.items():
            folder = folder_for(name)
            build([path], Options(out_dir=str(folder), templates_dir=TEMPLATES, jobs=1, formats=formats, pdf_standard=pdf_standard))
            for fmt in formats:
                stem = os.path.splitext(os.path.basename(path))[0]
                with open(folder / f"{stem}.{fmt}", "rb") as fh:
                    out[f"{name}.{fmt}"] = hashlib.sha256(fh.read()).hexdigest()
    finally:
        if old is not None:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out


@pytest.fixture(scope="module")
def hashes(tmp_path_factory) -> dict[str, str]:
    return built_hashes(tmp_path_factory.mktemp, "ua-1", ("pdf", "pptx"))


def test_documents_are_byte_identical_to_the_recorded_ones(hashes):
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1":
        with open(GOLDEN, "w", encoding="utf-8") as fh:
            json.dump({"libraries": versions(), "sha256": hashes}, fh, indent=1, sort_keys=True)
            fh.write("\n")
    with open(GOLDEN, encoding="utf-8") as fh:
        golden = json.load(fh)
    if differing(golden["libraries"]):
        pytest.skip(f"library versions differ from those the bytes were recorded with: {differing(golden['libraries'])}")
    changed = sorted(k for k in golden["sha256"] if golden["sha256"][k] != hashes.get(k))
    assert not changed, f"bytes changed: {changed} (if intended, rerun with REPORTGEN_UPDATE_GOLDEN=1 and say why in the commit)"


def test_untagged_pdfs_are_the_bytes_reportlab_writes(tmp_path_factory):
    """``--pdf-standard none`` runs no post-pass and draws no tag: the PDFs are byte for byte those of before tagging."""
    hashes = built_hashes(tmp_path_factory.mktemp, "none", ("pdf",))
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1":
        with open(UNTAGGED, "w", encoding="utf-8") as fh:
            json.dump({"libraries": {k: v for k, v in versions().items() if k != "pikepdf"}, "sha256": hashes}, fh, indent=1, sort_keys=True)
            fh.write("\n")
    with open(UNTAGGED, encoding="utf-8") as fh:
        golden = json.load(fh)
    if differing(golden["libraries"]):
        pytest.skip(f"library versions differ from those the bytes were recorded with: {differing(golden['libraries'])}")
    assert hashes == golden["sha256"]


def test_bytes_do_not_depend_on_where_the_inputs_live(tmp_path):
    """The same outline, pack and figures copied to another folder build the same bytes.

    (ReportLab names an image it is given by file name after a digest of that
    name, so a figure's absolute path once leaked into the PDF: CI, building
    from another clone, got other bytes.)
    """
    import shutil

    old = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        digests = []
        for where in ("first", "second/deeper"):
            home = tmp_path / where
            shutil.copytree(os.path.join(FIXTURES, "features"), home / "features")
            shutil.copytree(TEMPLATES, home / "templates")
            out = tmp_path / "out" / where
            build([str(home / "features" / "features.yaml")], Options(out_dir=str(out), templates_dir=str(home / "templates"), jobs=1))
            digests.append({fmt: hashlib.sha256((out / f"features.{fmt}").read_bytes()).hexdigest() for fmt in ("pdf", "pptx")})
    finally:
        if old is not None:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert digests[0] == digests[1]
