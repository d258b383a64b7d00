"""The workbook of a year-end assessment (年终一考核), formatted as the report workbooks are
(reports.workbook: titled, bordered sheets with the headers repeated and page numbers): a
cover with the title, who issues it and when, the period and the formula in words; the
results (each unit's points, total, rank within its group and grade); each unit's
indicator lines; its bonuses and deductions; the manual items; the scheme. Built from the
stored snapshot, so its figures are exactly those of the page and the API. Named by its
title: "青山县2026年度招商引资工作考核结果.xlsx"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.exports import XLSX_CONTENT_TYPE
from reports.choices import (
    COUNTED_INDICATORS,
    RATE_INDICATORS,
    AdjustmentItem,
    Grade,
    IndicatorMetric,
    ScoringMethod,
    UnitGroup,
    label_of,
)
from reports.figures_annual import AnnualAssessment, AssessedUnit
from reports.models import Report
from reports.selectors.annual import assessment_title, formula_text, grade_rule_text
from reports.workbook import (
    COVER_MAX_WIDTH,
    INT,
    PCT,
    TEXT,
    WAN,
    Issued,
    _Book,
    _print_setup,
    issued,
    text_width,
)


def period_sentence(figures: AnnualAssessment) -> str:
    """What the figures cover: the whole year, or January to its last complete month."""
    if figures.year_closed:
        return _("Figures of the whole year %(year)s (January to December).") % {
            "year": figures.year
        }
    return _(
        "The year is not over: figures from January to the end of month %(month)s of "
        "%(year)s, against the whole year's targets."
    ) % {"year": figures.year, "month": figures.month}


def actual_kind(metric: str) -> str:
    """How an indicator's actual is written: a count, a rate, or an amount in 万元."""
    if metric in COUNTED_INDICATORS:
        return INT
    if metric in RATE_INDICATORS:
        return PCT
    return WAN


class _AssessmentBook(_Book):
    def __init__(self, title: str) -> None:
        super().__init__({})
        self.assessment_title = title

    def _section_title(self, name: str) -> str:
        return _("%(title)s: %(section)s") % {"title": self.assessment_title, "section": name}


def _rows(figures: AnnualAssessment) -> list[tuple[str, AssessedUnit]]:
    return [(group.kind, unit) for group in figures.unit_groups for unit in group.units]


def _lines(
    figures: AnnualAssessment, get: Callable[[AssessedUnit], list[Any]]
) -> list[tuple[AssessedUnit, Any]]:
    return [(unit, line) for _kind, unit in _rows(figures) for line in get(unit)]


def _cover(book: _AssessmentBook, figures: AnnualAssessment, report: Report, by: Issued) -> None:
    sheet = book.sheet(_("Cover"))
    title = book.assessment_title
    book.write(sheet, 0, 0, title, TEXT, book.cover_title)
    if by.by or by.on:
        line = " ".join(part for part in (by.by, by.on.isoformat() if by.on else "") if part)
        book.write(sheet, 1, 0, line, TEXT)
    state = (
        _("Published, version %(version)s") % {"version": report.version}
        if report.is_published
        else _("Draft, version %(version)s") % {"version": report.version}
    )
    sentences = [
        state,
        period_sentence(figures),
        figures.scheme.title or "",
        formula_text(figures.scheme.stored()),
    ]
    width = text_width(title)
    for number, sentence in enumerate(sentences, start=3):
        book.write(sheet, number, 0, sentence, TEXT, book.wrapped)
        width = max(width, text_width(sentence))
    sheet.set_column(0, 0, min(width + 2, COVER_MAX_WIDTH))
    _print_setup(sheet, 1, title)


def annual_workbook(report: Report, by: Issued | None = None) -> bytes:
    figures = AnnualAssessment.from_stored(report.figures)
    book = _AssessmentBook(assessment_title(figures.year))
    _cover(book, figures, report, by or Issued())
    book.section(
        _("Assessment results"),
        [
            (_("Group"), TEXT, lambda r: label_of(UnitGroup, r[0])),
            (_("Unit"), TEXT, lambda r: r[1].name),
            (_("Indicator points"), WAN, lambda r: r[1].indicator_points),
            (_("Bonus points"), WAN, lambda r: r[1].bonus_points),
            (_("Deduction points"), WAN, lambda r: r[1].deduction_points),
            (_("Manual points"), WAN, lambda r: r[1].manual_points),
            (_("Total score"), WAN, lambda r: r[1].total),
            (_("Rank in the group"), INT, lambda r: r[1].rank),
            (_("Grade"), TEXT, lambda r: label_of(Grade, r[1].grade) if r[1].grade else ""),
        ],
        _rows(figures),
    )
    book.section(
        _("Indicators"),
        [
            (_("Unit"), TEXT, lambda r: r[0].name),
            (_("Indicator"), TEXT, lambda r: label_of(IndicatorMetric, r[1].metric)),
            (_("Scoring method"), TEXT, lambda r: label_of(ScoringMethod, r[1].method)),
            (_("Weight (points)"), WAN, lambda r: r[1].weight),
            (_("Actual"), lambda r: actual_kind(r[1].metric), lambda r: r[1].actual),
            (_("Target"), lambda r: actual_kind(r[1].metric), lambda r: r[1].target),
            (_("Value scored"), PCT, lambda r: r[1].value),
            (_("Worst in the group"), PCT, lambda r: r[1].worst),
            (_("Best in the group"), PCT, lambda r: r[1].best),
            (_("Attainment"), PCT, lambda r: r[1].attainment),
            (_("Points"), WAN, lambda r: r[1].points),
        ],
        _lines(figures, lambda unit: unit.indicators),
    )
    adjustments = [
        (unit, line, _("Bonus")) for unit, line in _lines(figures, lambda u: u.bonuses)
    ] + [(unit, line, _("Deduction")) for unit, line in _lines(figures, lambda u: u.deductions)]
    book.section(
        _("Bonuses and deductions"),
        [
            (_("Unit"), TEXT, lambda r: r[0].name),
            (_("Bonus or deduction"), TEXT, lambda r: r[2]),
            (_("Item"), TEXT, lambda r: label_of(AdjustmentItem, r[1].item)),
            (_("Count"), INT, lambda r: r[1].count),
            (_("Points per item"), WAN, lambda r: r[1].per_item),
            (_("At most"), WAN, lambda r: r[1].cap),
            (_("Points"), WAN, lambda r: r[1].points),
        ],
        adjustments,
    )
    book.section(
        _("Manual items"),
        [
            (_("Unit"), TEXT, lambda r: r[0].name),
            (_("Item"), TEXT, lambda r: r[1].title),
            (_("Points"), WAN, lambda r: r[1].points),
            (_("Note"), TEXT, lambda r: r[1].note),
        ],
        _lines(figures, lambda unit: unit.manual),
    )
    scheme = figures.scheme
    book.section(
        _("Scheme"),
        [
            (_("Indicator"), TEXT, lambda r: label_of(IndicatorMetric, r.metric)),
            (_("Weight (points)"), WAN, lambda r: r.weight),
            (_("Scoring method"), TEXT, lambda r: label_of(ScoringMethod, r.method)),
            (_("Cap of the ratio"), PCT, lambda r: r.cap),
        ],
        scheme.indicators,
    )
    book.section(
        _("Bonus and deduction items"),
        [
            (_("Item"), TEXT, lambda r: label_of(AdjustmentItem, r[0].item)),
            (_("Bonus or deduction"), TEXT, lambda r: r[1]),
            (_("Points per item"), WAN, lambda r: r[0].points),
            (_("At most"), WAN, lambda r: r[0].cap),
        ],
        [(item, _("Bonus")) for item in scheme.bonuses]
        + [(item, _("Deduction")) for item in scheme.deductions],
    )
    book.section(
        _("Grades"),
        [(_("How grades are given"), TEXT, lambda r: r)],
        [grade_rule_text(scheme.grades.stored())],
        widths={0: 100},
    )
    return book.close()


def annual_workbook_response(report: Report) -> HttpResponse:
    """The assessment's snapshot as its workbook, to download, named by its title (a later
    version says so)."""
    figures = AnnualAssessment.from_stored(report.figures)
    response = HttpResponse(annual_workbook(report, issued(report)), content_type=XLSX_CONTENT_TYPE)
    filename = assessment_title(figures.year)
    if report.version > 1:
        filename += _("(version %(version)s)") % {"version": report.version}
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.xlsx"
    )
    return response
