"""Demo reports for `seed_demo`, so the report pages are full on first run: this year's
monthly bulletins up to last month, published (the last one left as a draft for the bureau
to publish), the last quarter's review, published, and its draw (两随机一公开) with some
inspections recorded; the year-end assessment's schemes of last year and this year, and
last year's assessment, published. Everything goes through the services as the demo bureau
user; if any report exists already, nothing is added."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.periods import add_months, current_period, quarter_of
from demo.projects.writing import acting_as, demo_bureau, tiny_png
from reports.choices import DrawKind, ReportKind
from reports.models import Draw, Inspection, Report
from reports.selectors.annual import default_scheme
from reports.services import report_build, report_publish
from reports.services.annual import (
    AdjustmentEntry,
    IndicatorEntry,
    assessment_scheme_save,
    manual_score_add,
)
from reports.services.draws import draw_make, inspection_photo_add, inspection_record
from teams.models import Unit

DRAW_SEED = "20261010"
# The demo's months keep a few records awaiting verification, as a real county's do.
DEMO_NOTE = "演示数据：个别记录待核验，按时发布。"  # the county's public seed for the demo draw
UNITS_DRAWN = 4
PROJECTS_DRAWN = 6
FINDINGS = [
    "厂房主体已封顶，现场施工人员约80人，与填报进度一致。",
    "设备已进场安装，到位资金凭证与银行流水一致。",
    "现场停工，企业反映用地手续未办结，已列入卡壳问题督办。",
]


def seed() -> dict[str, int]:
    bureau = demo_bureau()
    if bureau is None or Report.objects.exists():
        return {"reports": 0, "draws": 0}
    last_month = add_months(current_period(), -1)
    with transaction.atomic(), acting_as(bureau):
        _bulletins(bureau, last_month)
        year, quarter = _last_quarter(timezone.localdate())
        _review(bureau, year, quarter)
        _draws(bureau, year, quarter)
        _assessments(bureau, timezone.localdate().year)
    return {"reports": Report.objects.count(), "draws": Draw.objects.count()}


def _bulletins(bureau: Any, last_month: dt.date) -> None:
    """January to last month; every one published except last month's draft."""
    period = dt.date(last_month.year, 1, 1)
    while period <= last_month:
        report = report_build(kind=ReportKind.MONTHLY, period=period, user=bureau)
        if period < last_month:
            report_publish(report=report, user=bureau, confirm=True, note=DEMO_NOTE)
        period = add_months(period, 1)


def _last_quarter(today: dt.date) -> tuple[int, int]:
    quarter = quarter_of(today) - 1
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def _review(bureau: Any, year: int, quarter: int) -> None:
    period = dt.date(year, 3 * (quarter - 1) + 1, 1)
    report = report_build(kind=ReportKind.QUARTERLY, period=period, user=bureau)
    report_publish(report=report, user=bureau, confirm=True, note=DEMO_NOTE)


def _draws(bureau: Any, year: int, quarter: int) -> None:
    common = {"year": year, "quarter": quarter, "seed": DRAW_SEED, "user": bureau}
    draw_make(kind=DrawKind.UNITS, size=UNITS_DRAWN, **common)
    draw = draw_make(kind=DrawKind.PROJECTS, size=PROJECTS_DRAWN, **common)
    inspections = Inspection.objects.filter(draw=draw).order_by("pk")
    for number, (inspection, findings) in enumerate(zip(inspections, FINDINGS, strict=False)):
        inspection_record(
            inspection=inspection,
            inspected_on=timezone.localdate(),
            inspector="李明、王建国",
            findings=findings,
            user=bureau,
        )
        inspection_photo_add(
            inspection=inspection,
            image=SimpleUploadedFile(
                f"现场{number + 1}.png", tiny_png((90, 140 + 30 * number, 90))
            ),
            caption="现场照片",
            user=bureau,
        )


def _scheme(bureau: Any, year: int) -> None:
    """The usual scheme (reports.selectors.annual.default_scheme) set for the year."""
    usual = default_scheme(year)
    grades = usual["grades"]
    assessment_scheme_save(
        year=year,
        user=bureau,
        title=usual["title"],
        indicators=[IndicatorEntry(**row) for row in usual["indicators"]],
        adjustments=[AdjustmentEntry(**row) for row in [*usual["bonuses"], *usual["deductions"]]],
        grade_method=grades["method"],
        excellent_min=grades["excellent_min"],
        good_min=grades["good_min"],
        pass_min=grades["pass_min"],
    )


def _assessments(bureau: Any, this_year: int) -> None:
    """The year-end assessment: last year's and this year's schemes, a manual item, and last
    year's assessment built and published (年终一考核)."""
    last_year = this_year - 1
    for year in (last_year, this_year):
        _scheme(bureau, year)
    first = Unit.objects.active().filter(kind="township").order_by("sort_order", "code").first()
    if first is not None:
        manual_score_add(
            year=last_year,
            data={
                "unit": first,
                "title": "招商引资工作创新",
                "points": 2,
                "note": "“链长制”招商做法被市委改革办推广。",
            },
            user=bureau,
        )
    report = report_build(kind=ReportKind.ANNUAL, period=dt.date(last_year, 1, 1), user=bureau)
    report_publish(report=report, user=bureau, confirm=True, note=DEMO_NOTE)
