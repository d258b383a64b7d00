"""The workbook of a half-year inspection's results (半年一督查), formatted as the report
workbooks are (reports.workbook): a sheet of the units with their report (述职) outcome
and counts, a sheet of every finding with its deadline and rectification, and the
checklist. Named by its title: "青山县2026年上半年招商引资督查结果.xlsx"."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from xlsxwriter.worksheet import Worksheet

from core.exports import XLSX_CONTENT_TYPE
from core.periods import quarter_label
from reports.choices import Half
from reports.selectors.halfyear import HalfYearResults
from reports.workbook import INT, TEXT, _Book, _print_setup

DATE = "date"


def results_title(year: int, half: int) -> str:
    """ "青山县2026年上半年招商引资督查结果" """
    return _("%(county)s %(year)s %(half)s investment promotion inspection results") % {
        "county": settings.COUNTY_NAME,
        "year": year,
        "half": Half(half).label,
    }


class _ResultsBook(_Book):
    """The report workbooks' formats, a date kind besides them, and this title on every
    sheet."""

    def __init__(self, title: str) -> None:
        super().__init__({})
        self.results_title = title
        self.day = self.workbook.add_format({"num_format": "yyyy-mm-dd", "border": 1})

    def write(
        self, sheet: Worksheet, row: int, column: int, value: Any, kind: str, style: Any = None
    ) -> int:
        if kind != DATE:
            return super().write(sheet, row, column, value, kind, style)
        if isinstance(value, date):
            sheet.write_datetime(row, column, value, self.day)
            return 11
        sheet.write_blank(row, column, None, self.day)
        return 0

    def _section_title(self, name: str) -> str:
        return _("%(title)s: %(section)s") % {"title": self.results_title, "section": name}


def _picked(inspected: Any) -> str:
    """ "随机抽取 · 2026年第3季度": how the unit was picked, and the draw's quarter."""
    source = inspected.get_source_display()
    if inspected.draw is None:
        return source
    return f"{source} · {quarter_label(inspected.draw.year, inspected.draw.quarter)}"


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def halfyear_workbook(results: HalfYearResults) -> bytes:
    inspection = results.inspection
    title = results_title(inspection.year, inspection.half)
    book = _ResultsBook(title)
    cover = book.sheet(_("Cover"))
    book.write(cover, 0, 0, title, TEXT, book.cover_title)
    status = _("Published %(on)s") % {
        "on": inspection.published_at.date().isoformat() if inspection.published_at else ""
    }
    book.write(cover, 1, 0, status if inspection.is_published else _("Draft"), TEXT)
    book.write(
        cover,
        2,
        0,
        _("Overdue rectifications are counted on %(on)s.") % {"on": results.today.isoformat()},
        TEXT,
    )
    cover.set_column(0, 0, 80)
    _print_setup(cover, 1, title)

    book.section(
        _("Units"),
        [
            (_("Unit"), TEXT, lambda r: r.inspected.unit.name),
            (_("How it was picked"), TEXT, lambda r: _picked(r.inspected)),
            (_("Reported on"), DATE, lambda r: r.inspected.reported_on),
            (_("Who reported"), TEXT, lambda r: r.inspected.reported_by),
            (_("Outcome"), TEXT, lambda r: r.inspected.get_outcome_display()),
            (_("Note on the outcome"), TEXT, lambda r: r.inspected.outcome_note),
            (_("Findings"), INT, lambda r: r.inspected.finding_count),
            (_("Open rectifications"), INT, lambda r: r.inspected.open_count),
            (_("Overdue"), INT, lambda r: r.inspected.overdue_count),
        ],
        results.rows,
    )
    findings = [(row.inspected, cell) for row in results.rows for cell in row.cells if cell.finding]
    book.section(
        _("Findings"),
        [
            (_("Unit"), TEXT, lambda r: r[0].unit.name),
            (_("Checklist item"), TEXT, lambda r: r[1].item.title),
            (_("Finding"), TEXT, lambda r: r[1].finding.text),
            (_("Rectification deadline"), DATE, lambda r: r[1].finding.deadline),
            (_("Rectification"), TEXT, lambda r: r[1].finding.get_status_display()),
            (_("Rectification confirmed on"), DATE, lambda r: r[1].finding.rectified_on),
            (_("Overdue"), TEXT, lambda r: _yes_no(r[1].overdue)),
        ],
        findings,
    )
    book.section(
        _("Checklist"),
        [
            (_("Order"), INT, lambda item: item.order),
            (_("Checklist item"), TEXT, lambda item: item.title),
            (_("What to check"), TEXT, lambda item: item.guidance),
        ],
        results.items,
    )
    return book.close()


def halfyear_workbook_response(results: HalfYearResults) -> HttpResponse:
    inspection = results.inspection
    response = HttpResponse(halfyear_workbook(results), content_type=XLSX_CONTENT_TYPE)
    filename = results_title(inspection.year, inspection.half)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.xlsx"
    )
    return response
