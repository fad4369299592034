"""What besides the outline decides an output's bytes: options, SOURCE_DATE_EPOCH, reportgen's version (``reportgen.build.options``)."""

from __future__ import annotations

import datetime
import hashlib
import os
from types import SimpleNamespace

import pytest

import reportgen
from reportgen.build import MAX_EPOCH, Options, source_date, source_date_epoch, tool_version
from reportgen.build import options as options_module
from reportgen.errors import InputError


@pytest.mark.parametrize(
    "value, seconds",
    [(None, None), ("", None), ("   ", None), ("0", 0), (" 1700000000\n", 1700000000), ("253402300799", MAX_EPOCH), ("000000000042", 42)],
)
def test_source_date_epoch_is_a_whole_number_of_seconds_or_unset(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date_epoch() == seconds


@pytest.mark.parametrize("value", ["abc", "-5", "+5", "1e9", "1.5", "0x10", "253402300800", "0000000000001", "\u0661\u0662", "1 2"])
def test_anything_else_is_an_input_error_naming_the_value(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(InputError) as info:
        source_date_epoch()
    assert str(info.value) == f"SOURCE_DATE_EPOCH: expected a whole number of seconds since 1970-01-01 (0 to 253402300799), got {value!r}"


def test_a_long_bad_value_is_shown_cut_short(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 100)
    with pytest.raises(InputError) as info:
        source_date_epoch()
    assert str(info.value).endswith(f"got {'9' * 37 + '...'!r}")


def test_the_documents_date_is_source_date_epoch_else_the_outlines_else_2000(monkeypatch):
    dated = SimpleNamespace(outline=SimpleNamespace(date=datetime.date(2024, 1, 2)))
    undated = SimpleNamespace(outline=SimpleNamespace(date=None))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date(dated) == "2024-01-02T00:00:00Z"
    assert source_date(undated) == "2000-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date(dated) == source_date(undated) == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MAX_EPOCH))
    assert source_date(undated) == "9999-12-31T23:59:59Z"


def test_the_recorded_options_are_those_that_change_the_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    opts = Options(template="plain", master=str(tmp_path / "masters" / "corp.pptx"), root=str(tmp_path), jobs=4, strict=True, force=True, pdf_standard="a-2b")
    assert opts.recorded() == {"template": "plain", "master": os.path.join("masters", "corp.pptx"), "source_date_epoch": "0", "pdf_standard": "a-2b"}
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert Options().recorded() == {"template": "", "master": "", "source_date_epoch": "", "pdf_standard": "ua-1"}


def test_the_version_fingerprints_every_python_file_of_reportgen(monkeypatch):
    """Every ``.py`` file of the package, the build package's own included: an edit anywhere makes every output stale."""
    package = os.path.dirname(os.path.abspath(reportgen.__file__))
    h = hashlib.sha256()
    names = []
    for folder, dirs, files in sorted(os.walk(package)):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                names.append(os.path.relpath(os.path.join(folder, name), package))
                with open(os.path.join(folder, name), "rb") as fh:
                    h.update(name.encode() + b"\0" + fh.read())
    assert os.path.join("build", "planning.py") in names and "loader.py" in names
    monkeypatch.setattr(options_module, "_VERSION", [])
    version = tool_version()
    assert version.startswith(f"{reportgen.__version__}+{h.hexdigest()[:12]} (reportlab ")
    assert "python-pptx " in version
    assert tool_version() is version  # computed once per process
