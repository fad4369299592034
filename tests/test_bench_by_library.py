"""``bench/by_library.py``: each py-spy sample given to the library whose code was running (issue 18's profiles)."""

from __future__ import annotations

import importlib.util
import os

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def by_library():
    spec = importlib.util.spec_from_file_location("by_library", os.path.join(ROOT, "bench", "by_library.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RAW = [  # py-spy's raw format: frames outermost first, then the sample count
    "<module> (reportgen/__main__.py:5);PdfWriter.write (reportgen/writers/pdf/__init__.py:100);Paragraph.breakLines (reportlab/platypus/paragraph.py:2057) 5\n",
    "PdfWriter.write (reportgen/writers/pdf/__init__.py:100);ParaParser.parse (reportlab/platypus/paraparser.py:3218);HTMLParser.goahead (html/parser.py:133) 3\n",
    "PptxWriter.write (reportgen/writers/pptx/__init__.py:80);save_deterministic (reportgen/writers/pptx/package.py:82);ZipFile.write (zipfile.py:1800) 2\n",
    "Story.report (reportgen/writers/pdf/story.py:106);deepcopy (copy.py:128) 1\n",
    "<module> (pptx/__init__.py:1);_find_and_load (<frozen importlib._bootstrap>:1176);get_data (<frozen importlib._bootstrap_external>:1130) 4\n",
    "load (reportgen/loader.py:59);validate (pydantic/main.py:1) 6\n",
    "load (reportgen/loader.py:59);_check (reportgen/loader.py:70) 7\n",
    "_run_module_as_main (<frozen runpy>:198);run (threading.py:982) 1\n",
    "compose (reportgen/compose/__init__.py:82);Template.render (jinja2/environment.py:1301);root (/somewhere/templates/briefing/report.xml.j2:12) 2\n",
    "validate (pydantic/main.py:1);get_origin (typing_extensions.py:1200) 3\n",
    "write (reportgen/writers/pdf/__init__.py:100);instanceStringWidthTTF (_rl_accel.cpython-311-x86_64-linux-gnu.so) 1\n",
    "garbage without a count\n",
]


def test_each_sample_goes_to_the_library_whose_code_was_running(by_library):
    got = by_library.attribute(RAW)
    assert got == {
        "reportlab": 5 + 3,  # html.parser running ReportLab's paragraph parser is ReportLab's time
        "reportgen.writers.pptx": 2,  # zipfile writing the deck's package for reportgen's writer
        "reportgen.writers.pdf": 1,
        by_library.IMPORTING: 4,
        "pydantic": 6,
        "reportgen.loader": 7,
        by_library.NO_LIBRARY: 1,
        by_library.TEMPLATES: 2,  # the pack's own template code, not Jinja2's
        "typing_extensions": 3,  # a one-file package is a library too
        "_rl_accel": 1,  # a native frame (py-spy --native): its extension module's
    }


def test_the_third_party_share_counts_libraries_only(by_library):
    got = by_library.attribute(RAW)
    assert by_library.third_party(got) == pytest.approx((8 + 6 + 3 + 1) / 35)  # not importing, reportgen, its pack or Python itself
    assert by_library.third_party(by_library.attribute([])) == 0.0


def test_a_librarys_samples_by_the_reportgen_function_that_called_it(by_library):
    assert by_library.callers(RAW, "reportlab") == {"PdfWriter.write (reportgen/writers/pdf/__init__.py)": 8}
    assert by_library.callers(RAW, "pydantic") == {"load (reportgen/loader.py)": 6}
    assert by_library.callers(RAW, "pptx") == {}
