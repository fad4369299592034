"""python-pptx internals reportgen relies on, in one place (checked against python-pptx 1.0.2).

``SafeCategoryChartData``: chart data whose embedded workbook holds every
category and series name as text. python-pptx writes the workbook with
XlsxWriter's defaults, under which a string starting with ``=`` becomes a
formula (``=HYPERLINK(...)``, a DDE ``=cmd|...`` call) and one that looks like
an address (``https://...``, ``external:c:\\x.xls``) becomes a hyperlink
relationship, live in the chart's data when someone edits it in PowerPoint
or Excel. Only the workbook's options change; the chart XML, references and
numbers are python-pptx's own.
"""

from __future__ import annotations

from contextlib import contextmanager

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from xlsxwriter import Workbook

WORKBOOK_OPTIONS = {
    "in_memory": True,  # python-pptx's own option
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class _TextWorkbookWriter(CategoryWorkbookWriter):
    @contextmanager
    def _open_worksheet(self, xlsx_file):  # private in python-pptx 1.0.2 (pptx/chart/xlsx.py)
        workbook = Workbook(xlsx_file, WORKBOOK_OPTIONS)
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class SafeCategoryChartData(CategoryChartData):
    """``CategoryChartData`` whose workbook writes names as text, never formulas or links."""

    @property
    def _workbook_writer(self):  # a lazyproperty of python-pptx 1.0.2 (pptx/chart/data.py)
        writer = self.__dict__.get("_rg_writer")
        if writer is None:
            writer = self.__dict__["_rg_writer"] = _TextWorkbookWriter(self)
        return writer
