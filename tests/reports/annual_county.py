"""The hand-built county of the bulletin tests (tests/reports/county.py) carried to the end
of 2026 for the year-end assessment: targets of contract amount and investment, trip quotas
and trips, supervision orders overdue at the year's end, a published half-year inspection
with findings past their deadline, figures flagged on entry and manual items. The figures
each test expects are worked out by hand in tests/reports/test_annual.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Any

import time_machine

from projects.models import FundsRecord, Project
from reports.services.annual import (
    AdjustmentEntry,
    IndicatorEntry,
    assessment_scheme_save,
    manual_score_add,
)
from reports.services.halfyear import halfyear_publish
from supervision.models import SupervisionOrder
from supervision.services import order_issue
from targets.models import Target
from tests.reports.county import build_county, funds
from tests.reports.half_year import MADE, make_half_year, record_results
from trips.models import Trip, TripQuota

D = Decimal
YEAR = 2026
# The assessment of 2026 is built in January 2027: the year is over.
AFTER_THE_YEAR = dt.datetime(2027, 1, 15, 10, 0)

HAND_INDICATORS = [
    IndicatorEntry(metric="funds", weight=D(40), method="ratio", cap=D("1.2")),
    IndicatorEntry(metric="contract_amount", weight=D(20), method="ratio", cap=D(1)),
    IndicatorEntry(metric="investment", weight=D(20), method="efficacy"),
    IndicatorEntry(metric="trips", weight=D(10), method="ratio", cap=D(1)),
    IndicatorEntry(metric="start_rate", weight=D(10), method="ratio", cap=D(1)),
]
HAND_ADJUSTMENTS = [
    AdjustmentEntry(item="over_100m", points=D(3), cap=D(5)),
    AdjustmentEntry(item="foreign", points=D(2), cap=D(2)),
    AdjustmentEntry(item="yellow_orders", points=D(1)),
    AdjustmentEntry(item="red_orders", points=D(2), cap=D(3)),
    AdjustmentEntry(item="unrectified_findings", points=D(1), cap=D(2)),
    AdjustmentEntry(item="flagged_figures", points=D("0.5"), cap=D(1)),
]
THRESHOLDS = {"excellent_min": D(90), "good_min": D(75), "pass_min": D(60)}


def hand_scheme(bureau: Any, year: int = YEAR, **changes: Any) -> Any:
    """The scheme the figures are worked out under: five indicators of 100 points, every
    bonus and deduction item, grades from 90 / 75 / 60."""
    values: dict[str, Any] = {
        "indicators": HAND_INDICATORS,
        "adjustments": HAND_ADJUSTMENTS,
        "grade_method": "thresholds",
        **THRESHOLDS,
        **changes,
    }
    return assessment_scheme_save(year=year, user=bureau, **values)


def trip(unit: Any, start: dt.date) -> Trip:
    return Trip.objects.create(
        unit=unit,
        leader_name="王局长",
        destination="深圳",
        start_on=start,
        end_on=start + dt.timedelta(days=2),
        summary="已对接",
    )


def _order(bureau: Any, unit: Any, level: str, issued: dt.date, **dates: Any) -> SupervisionOrder:
    order = order_issue(
        user=bureau,
        data={
            "unit": unit,
            "subject_kind": "other",
            "matter": f"报送{level}事项",
            "reason": "未按期报送",
            "due_on": issued + dt.timedelta(days=10),
        },
        today=issued,
    )
    SupervisionOrder.objects.filter(pk=order.pk).update(level=level, **dates)
    return order


def build_annual_county(unit_a: Any, unit_b: Any, bureau: Any) -> dict[str, Any]:
    """build_county plus, for 2026:
    - targets: contract amount A 15000, B 5000, park 10000, D1 2000; investment A 1000,
      B 500, park 1000 (funds: A 4000, B 2000, park 3000, D1 1000 from build_county);
    - trip quotas: townships 4, parks 2, departments 2 a year; trips: A 3, B 1, park 2, D2 1
      (and one of A in 2027, not counted);
    - orders of A overdue on 31 December: one yellow, two red (and one closed before the
      year's end, one yellow only after it: not counted);
    - the first half's inspection, published: A's findings due 30 June and 31 July and B's
      due 10 July, none rectified;
    - three flagged funds records of A (one returned, not counted) and one of 2025;
    - manual items of A: +2 and −1."""
    county = build_county(unit_a, unit_b)
    park, d1, d2 = county["park"], county["d1"], county["d2"]
    for unit, value in ((unit_a, 15000), (unit_b, 5000), (park, 10000), (d1, 2000)):
        Target.objects.create(year=YEAR, metric="contract_amount", value=D(value), unit=unit)
    for unit, value in ((unit_a, 1000), (unit_b, 500), (park, 1000)):
        Target.objects.create(year=YEAR, metric="investment", value=D(value), unit=unit)
    for scope, per_year in (("township", 4), ("park", 2), ("department", 2)):
        TripQuota.objects.create(year=YEAR, scope=scope, per_year=per_year, per_quarter=0)
    for day in ((2026, 2, 10), (2026, 5, 6), (2026, 11, 20)):
        trip(unit_a, dt.date(*day))
    trip(unit_a, dt.date(2027, 1, 5))  # next year
    trip(unit_b, dt.date(2026, 3, 1))
    trip(park, dt.date(2026, 4, 1))
    trip(park, dt.date(2026, 12, 29))
    trip(d2, dt.date(2026, 9, 9))

    yellow = _order(
        bureau,
        unit_a,
        "yellow",
        dt.date(2026, 10, 1),
        second_due_on=dt.date(2026, 10, 21),
        yellow_on=dt.date(2026, 10, 12),
    )
    reds = [
        _order(
            bureau,
            unit_a,
            "red",
            dt.date(2026, month, 1),
            second_due_on=dt.date(2026, month, 21),
            yellow_on=dt.date(2026, month, 12),
            red_on=dt.date(2026, month, 22),
        )
        for month in (8, 9)
    ]
    closed = _order(  # overdue, but closed before the year's end
        bureau,
        unit_a,
        "red",
        dt.date(2026, 6, 1),
        second_due_on=dt.date(2026, 6, 21),
        yellow_on=dt.date(2026, 6, 12),
        red_on=dt.date(2026, 6, 22),
    )
    SupervisionOrder.objects.filter(pk=closed.pk).update(
        status="closed", closed_on=dt.date(2026, 7, 1)
    )
    _order(  # overdue only in the new year
        bureau,
        unit_b,
        "yellow",
        dt.date(2026, 12, 20),
        second_due_on=dt.date(2027, 1, 20),
        yellow_on=dt.date(2027, 1, 2),
    )

    with time_machine.travel(MADE, tick=False):
        half = make_half_year(unit_a, unit_b, bureau)
        findings = record_results(half, bureau)
        halfyear_publish(inspection=half.inspection, user=bureau)

    a1 = Project.objects.get(code="A1")
    flagged = []
    for month, amount in ((8, 9000), (9, 8000), (10, 7000)):
        record = funds(a1, (2026, month), amount, status="submitted")
        flagged.append(record)
    FundsRecord.objects.filter(pk__in=[r.pk for r in flagged]).update(
        flagged=True, flag_reasons="金额异常"
    )
    returned = funds(a1, (2026, 11), 6000, status="rejected")
    old = funds(a1, (2025, 12), 6000, status="submitted")
    FundsRecord.objects.filter(pk__in=[returned.pk, old.pk]).update(flagged=True)

    manual = [
        manual_score_add(
            year=YEAR,
            data={
                "unit": unit_a,
                "title": "招商引资创新做法",
                "points": D(2),
                "note": "“链长制”招商经验被市里推广",
            },
            user=bureau,
        ),
        manual_score_add(
            year=YEAR,
            data={
                "unit": unit_a,
                "title": "材料报送不及时",
                "points": D(-1),
                "note": "三季度总结逾期报送",
            },
            user=bureau,
        ),
    ]
    return {
        **county,
        "half": half,
        "findings": findings,
        "orders": {"yellow": yellow, "red": reds, "closed": closed},
        "flagged": flagged,
        "manual": manual,
    }


class AnnualGridRecords:
    """The year-end assessment's records for the URL grid (tests/core/test_url_grid.py),
    made when a row first asks for them, on 2026-07-15 (the year under way: to June): the
    scheme of 2026, its assessment published (version 1) and a draft rebuilt after it
    (version 2), and a manual item of unit A."""

    def __init__(self, unit_a: Any, bureau: Any) -> None:
        self.unit_a, self.bureau = unit_a, bureau

    @property
    def period(self) -> dt.date:
        return dt.date(YEAR, 1, 1)

    @cached_property
    def scheme(self) -> Any:
        return hand_scheme(self.bureau)

    @cached_property
    def published(self) -> Any:
        from reports.services import report_build, report_publish

        assert self.scheme
        report = report_build(kind="annual", period=self.period, user=self.bureau)
        return report_publish(report=report, user=self.bureau, confirm=True, note="按期发布")

    @cached_property
    def draft(self) -> Any:
        from reports.services import report_build

        assert self.published
        return report_build(kind="annual", period=self.period, user=self.bureau, reason="补录")

    @cached_property
    def manual(self) -> Any:
        return manual_score_add(
            year=YEAR,
            data={
                "unit": self.unit_a,
                "title": "招商引资创新做法",
                "points": D(2),
                "note": "经验推广",
            },
            user=self.bureau,
        )
