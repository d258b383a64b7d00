"""The year-end assessment (年终一考核, DOMAIN.md "Reports"): each unit's lines and score
under the year's scheme (reports.models.AssessmentScheme), its rank within its group and
its grade.

Every figure comes from the selectors the bulletin and the review read, at December (or,
while the year lasts, at the end of its last complete month), so the assessment's figures
are theirs:
- indicators: targets.selectors.progress_table (funds, contract amount, projects signed and
  started, completed investment, leads and the 12510 classes against their targets),
  targets.selectors.unit_rates (the four rates), trips.selectors.quota_table (trips against
  the yearly quota), as the quarterly review reads them;
- bonuses: projects of 亿元以上 signed in the year (the `size_100m` metric: the bulletin's
  亿元以上 signings) and foreign-funded projects signed in the year (investor origin 境外);
- deductions: supervision orders overdue at the end (supervision.selectors
  .order_counts_by_unit: yellow and red), half-year findings not rectified by their deadline
  (reports.selectors.halfyear.open_rectifications), funds records flagged on entry in the
  year (as the bulletin's warnings list them);
- the bureau's manual items.

The score (stored with the scheme it used, so it can be recomputed by hand from the
snapshot), per unit:
- each indicator: points = weight × attainment, where value = actual ÷ annual target (a
  rate: the rate itself) and attainment is either min(value, cap) (ratio to target) or the
  efficacy coefficient ÷ 100, coefficient = 60 + 40 × (value − worst) ÷ (best − worst) over
  the units of the group with a base (功效系数法; all alike: 100, or 60 when all are 0);
  values and attainments to four decimals, points to two;
- an indicator without a base (no target, no quota, no rate) is left out and the others are
  scaled to the scheme's total weight: indicator points = Σ points × total ÷ weights used;
- bonus and deduction items: count × points per item, at most the item's cap;
- total = indicator points + bonuses − deductions + manual points, to two decimals.
Ranked by total within the group (equal totals share a rank); graded by the scheme's
thresholds or shares. A fixed number of queries, whatever the number of units or records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.access import sees_everything
from core.periods import add_months, format_period, month_start
from projects.choices import Origin
from reports.choices import (
    BONUS_ITEMS,
    COUNTED_INDICATORS,
    DEDUCTION_ITEMS,
    AdjustmentItem,
    Grade,
    GradeMethod,
    IndicatorMetric,
    ScoringMethod,
    UnitGroup,
    label_of,
)
from reports.figures_annual import AnnualAssessment
from reports.models import (
    AssessmentScheme,
    ManualScore,
    SchemeAdjustment,
    SchemeIndicator,
)
from supervision.selectors import order_counts_by_unit
from targets.choices import Metric, OwnerKind
from targets.selectors import Window, drill_down_url, progress_table, signed_in, unit_rates
from trips.selectors import quota_table

from .halfyear import open_rectifications
from .monthly import UNIT_GROUPS, flagged_records, rank_by, ratio

SCHEMA_VERSION = 1
ATTAINMENT = Decimal("0.0001")
POINTS = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
EFFICACY_FLOOR = Decimal("0.6")  # 60 of 100: the worst unit of the group
EFFICACY_SPAN = Decimal("0.4")  # 40 more for the best

# The indicators read from progress_table, by their target metric.
PROGRESS_METRICS: dict[str, str] = {
    IndicatorMetric.FUNDS: Metric.FUNDS,
    IndicatorMetric.CONTRACT_AMOUNT: Metric.CONTRACT_AMOUNT,
    IndicatorMetric.PROJECTS_SIGNED: Metric.PROJECTS_SIGNED,
    IndicatorMetric.PROJECTS_STARTED: Metric.PROJECTS_STARTED,
    IndicatorMetric.INVESTMENT: Metric.INVESTMENT,
    IndicatorMetric.LEADS: Metric.LEADS,
}
# 12510: the four size classes, each counting only its own class.
SIZE_METRICS = (Metric.SIZE_100M, Metric.SIZE_50M, Metric.SIZE_10M, Metric.SIZE_1M)
SIZE_12510_FLOOR_WAN = 100  # the smallest class of 12510: 100万元
# The four rates, by the name targets.selectors.UnitRates gives them.
RATE_FIELDS: dict[str, str] = {
    IndicatorMetric.SIGNING_RATE: "signing_rate",
    IndicatorMetric.START_RATE: "start_rate",
    IndicatorMetric.ON_TIME_RATE: "on_time_rate",
    IndicatorMetric.FUNDS_RATE: "funds_rate",
}

# The scheme a year starts from until the bureau saves its own (the scheme page's first
# form; the demo's scheme).
DEFAULT_INDICATORS: list[dict[str, Any]] = [
    {"metric": IndicatorMetric.FUNDS, "weight": Decimal(30), "method": ScoringMethod.RATIO},
    {
        "metric": IndicatorMetric.CONTRACT_AMOUNT,
        "weight": Decimal(15),
        "method": ScoringMethod.RATIO,
    },
    {"metric": IndicatorMetric.SIZE_12510, "weight": Decimal(10), "method": ScoringMethod.RATIO},
    {
        "metric": IndicatorMetric.PROJECTS_STARTED,
        "weight": Decimal(10),
        "method": ScoringMethod.RATIO,
    },
    {
        "metric": IndicatorMetric.INVESTMENT,
        "weight": Decimal(15),
        "method": ScoringMethod.EFFICACY,
    },
    {"metric": IndicatorMetric.TRIPS, "weight": Decimal(10), "method": ScoringMethod.RATIO},
    {"metric": IndicatorMetric.LEADS, "weight": Decimal(5), "method": ScoringMethod.RATIO},
    {"metric": IndicatorMetric.START_RATE, "weight": Decimal(5), "method": ScoringMethod.RATIO},
]
DEFAULT_CAP = Decimal("1.2")
DEFAULT_ADJUSTMENTS: dict[str, dict[str, Decimal]] = {
    AdjustmentItem.OVER_100M: {"points": Decimal(2), "cap": Decimal(6)},
    AdjustmentItem.FOREIGN: {"points": Decimal(1), "cap": Decimal(3)},
    AdjustmentItem.YELLOW_ORDERS: {"points": Decimal(1), "cap": Decimal(5)},
    AdjustmentItem.RED_ORDERS: {"points": Decimal(2), "cap": Decimal(6)},
    AdjustmentItem.UNRECTIFIED_FINDINGS: {"points": Decimal(1), "cap": Decimal(5)},
    AdjustmentItem.FLAGGED_FIGURES: {"points": Decimal("0.5"), "cap": Decimal(3)},
}
DEFAULT_GRADES: dict[str, Any] = {
    "method": GradeMethod.THRESHOLDS,
    "excellent_min": Decimal(90),
    "good_min": Decimal(80),
    "pass_min": Decimal(60),
    "excellent_share": Decimal("0.2"),
    "good_share": Decimal("0.3"),
    "fail_share": Decimal("0.1"),
}


# --- The period ----------------------------------------------------------------------------------


def annual_window(year: int, today: date) -> Window | None:
    """January to December once the year is over; while it lasts, January to its last
    complete month (a month's funds are verified in the days after it). None while the
    year's first month is not over."""
    last = add_months(month_start(today), -1)
    if last.year > year:
        return Window(year, 12)
    if last.year == year:
        return Window(year, last.month)
    return None


def assessment_period(year: int) -> date:
    """A year-end assessment's Report.period: 1 January of its year."""
    return date(year, 1, 1)


def assessment_title(year: int) -> str:
    """ "青山县2026年度招商引资工作考核结果": the page's, the workbook's and its file's name."""
    return _("%(county)s %(year)s year-end investment promotion assessment results") % {
        "county": settings.COUNTY_NAME,
        "year": year,
    }


def scheme_title(year: int) -> str:
    """ "青山县2026年度招商引资工作考核方案": a scheme's default name."""
    return _("%(county)s %(year)s year-end investment promotion assessment scheme") % {
        "county": settings.COUNTY_NAME,
        "year": year,
    }


# --- The scheme ----------------------------------------------------------------------------------


def scheme_of(year: int) -> AssessmentScheme | None:
    """The year's scheme with its indicators and items (three queries), None if unset."""
    return (
        AssessmentScheme.objects.filter(year=year)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch("indicators", queryset=SchemeIndicator.objects.order_by("order", "id")),
            Prefetch("adjustments", queryset=SchemeAdjustment.objects.order_by("item")),
        )
        .first()
    )


def _in_item_order(items: Iterable[str], order: Sequence[str]) -> list[str]:
    return sorted(items, key=lambda item: order.index(item) if item in order else len(order))


def scheme_figures(scheme: AssessmentScheme) -> dict[str, Any]:
    """The scheme as an assessment stores it (reports.figures_annual.Scheme)."""
    indicators = [
        {
            "metric": row.metric,
            "weight": row.weight,
            "method": row.method,
            "cap": row.cap if row.method == ScoringMethod.RATIO else None,
        }
        for row in scheme.indicators.all()
    ]
    adjustments = {row.item: row for row in scheme.adjustments.all()}

    def items(kinds: Sequence[str]) -> list[dict[str, Any]]:
        return [
            {"item": item, "points": adjustments[item].points, "cap": adjustments[item].cap}
            for item in _in_item_order(adjustments, kinds)
            if item in kinds
        ]

    return {
        "year": scheme.year,
        "title": scheme.title,
        "indicators": indicators,
        "bonuses": items(BONUS_ITEMS),
        "deductions": items(DEDUCTION_ITEMS),
        "grades": {
            "method": scheme.grade_method,
            "excellent_min": scheme.excellent_min,
            "good_min": scheme.good_min,
            "pass_min": scheme.pass_min,
            "excellent_share": scheme.excellent_share,
            "good_share": scheme.good_share,
            "fail_share": scheme.fail_share,
        },
        "total_weight": sum((row["weight"] for row in indicators), ZERO),
    }


def default_scheme(year: int) -> dict[str, Any]:
    """The scheme a year starts from, in the stored shape."""
    indicators = [
        {**row, "cap": DEFAULT_CAP if row["method"] == ScoringMethod.RATIO else None}
        for row in DEFAULT_INDICATORS
    ]
    return {
        "year": year,
        "title": scheme_title(year),
        "indicators": indicators,
        "bonuses": [{"item": item, **DEFAULT_ADJUSTMENTS[item]} for item in BONUS_ITEMS],
        "deductions": [{"item": item, **DEFAULT_ADJUSTMENTS[item]} for item in DEDUCTION_ITEMS],
        "grades": dict(DEFAULT_GRADES),
        "total_weight": sum((row["weight"] for row in indicators), ZERO),
    }


def _number(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _shown(value: Any) -> str:
    """A number as the formula prints it: 1.20 → 1.2, 30.00 → 30, 0.2000 → 0.2."""
    number = _number(value)
    if number is None:
        return ""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _share(value: Any) -> str:
    number = _number(value)
    if number is None:
        return ""
    return f"{_shown(number * 100)}%"


def grade_rule_text(grades: Mapping[str, Any]) -> str:
    """The scheme's grade rule in words."""
    if grades.get("method") == GradeMethod.SHARES:
        return _(
            "Grades by shares of each group: the first %(excellent)s of its units by rank are "
            "Excellent, the next %(good)s Good, the last %(fail)s Fail, the others Pass (each "
            "share of the group's units assessed, rounded down; units of equal totals share "
            "the better grade)."
        ) % {
            "excellent": _share(grades.get("excellent_share")),
            "good": _share(grades.get("good_share")),
            "fail": _share(grades.get("fail_share")),
        }
    return _(
        "Grades by score: Excellent from %(excellent)s points, Good from %(good)s, Pass from "
        "%(passing)s, Fail below."
    ) % {
        "excellent": _shown(grades.get("excellent_min")),
        "good": _shown(grades.get("good_min")),
        "passing": _shown(grades.get("pass_min")),
    }


def formula_text(scheme: Mapping[str, Any]) -> str:
    """The scheme's formula in words, in the reader's language (from a stored scheme)."""
    text = _(
        "Each indicator earns its weight × its attainment. Ratio to target: attainment = "
        "actual ÷ annual target (for a rate, the rate itself), at most the indicator's cap. "
        "Efficacy coefficient (功效系数法): within each group, coefficient = 60 + 40 × "
        "(value − worst) ÷ (best − worst), the value being actual ÷ target and the worst and "
        "best those of the group's units with a target; attainment = coefficient ÷ 100 (when "
        "every unit is alike, 100, or 60 if all are 0). An indicator without a base for a "
        "unit (no target, no quota, no rate) is left out and the unit's other indicators "
        "are scaled up to the total weight (%(total)s points). Bonus points are then added "
        "and deduction points taken off, each item at its points per item up to its cap, "
        "and the bureau's manual items added: total = indicator points + bonuses − "
        "deductions + manual points. Values and attainments are taken to four decimals, "
        "points to two. Ranked by total within each group; equal totals share a rank."
    ) % {"total": _shown(scheme.get("total_weight"))}
    return f"{text} {grade_rule_text(scheme.get('grades') or {})}"


# --- Scoring (pure: worked out by hand in the tests) ----------------------------------------


def _quantize(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def ratio_attainment(value: Decimal, cap: Decimal) -> Decimal:
    """Ratio to target: the value between 0 and the cap, to four decimals."""
    return _quantize(min(max(value, ZERO), cap), ATTAINMENT)


def efficacy_attainment(value: Decimal, worst: Decimal, best: Decimal) -> Decimal:
    """功效系数法 ÷ 100: 0.6 for the group's worst unit, 1 for its best, linear between; a
    group whose units are all alike: 1, or 0.6 when all are 0."""
    if best == worst:
        return ONE if best > 0 else EFFICACY_FLOOR
    return _quantize(EFFICACY_FLOOR + EFFICACY_SPAN * (value - worst) / (best - worst), ATTAINMENT)


def adjustment_points(count: int, per_item: Decimal, cap: Decimal | None) -> tuple[Decimal, bool]:
    """count × points per item, at most the cap: (points, whether the cap cut them)."""
    points = _quantize(Decimal(count) * per_item, POINTS)
    if cap is not None and points > cap:
        return _quantize(cap, POINTS), True
    return points, False


def grade_by_score(total: Decimal | None, grades: Mapping[str, Any]) -> str | None:
    if total is None:
        return None
    if total >= grades["excellent_min"]:
        return Grade.EXCELLENT
    if total >= grades["good_min"]:
        return Grade.GOOD
    if total >= grades["pass_min"]:
        return Grade.PASS
    return Grade.FAIL


def _share_count(size: int, share: Decimal) -> int:
    return int((Decimal(size) * share).to_integral_value(rounding=ROUND_FLOOR))


def grades_by_share(rows: list[dict[str, Any]], grades: Mapping[str, Any]) -> None:
    """Set each ranked row's grade by its rank among the group's assessed units: the first
    ⌊n × share⌋ Excellent, the next Good, the last ⌊n × share⌋ Fail, the others Pass. Units
    of equal totals share a rank, and so the better grade."""
    size = sum(1 for row in rows if row["rank"] is not None)
    excellent = _share_count(size, grades["excellent_share"])
    good = _share_count(size, grades["good_share"])
    fail = _share_count(size, grades["fail_share"])
    for row in rows:
        rank = row["rank"]
        if rank is None:
            row["grade"] = None
        elif rank <= excellent:
            row["grade"] = Grade.EXCELLENT
        elif rank <= excellent + good:
            row["grade"] = Grade.GOOD
        elif rank > size - fail:
            row["grade"] = Grade.FAIL
        else:
            row["grade"] = Grade.PASS


def score_indicators(
    rows: list[dict[str, Any]], indicators: Sequence[Mapping[str, Any]], total_weight: Decimal
) -> None:
    """Each row's indicator lines scored within the group (`rows`: one group's units, each
    with `measured` {metric: (actual, target, value)}); sets `indicators`, `weights_used`
    and `indicator_points`."""
    for row in rows:
        row["indicators"] = []
    for indicator in indicators:
        metric, method, weight = indicator["metric"], indicator["method"], indicator["weight"]
        values = [row["measured"][metric][2] for row in rows]
        based = [value for value in values if value is not None]
        worst = min(based) if based and method == ScoringMethod.EFFICACY else None
        best = max(based) if based and method == ScoringMethod.EFFICACY else None
        for row in rows:
            actual, target, value = row["measured"][metric]
            attainment = coefficient = None
            if value is not None:
                if method == ScoringMethod.EFFICACY:
                    attainment = efficacy_attainment(value, worst, best)  # type: ignore[arg-type]
                    coefficient = _quantize(attainment * 100, POINTS)
                else:
                    attainment = ratio_attainment(value, indicator["cap"])
            row["indicators"].append(
                {
                    "metric": metric,
                    "method": method,
                    "weight": weight,
                    "actual": actual,
                    "target": target,
                    "value": value,
                    "attainment": attainment,
                    "points": None
                    if attainment is None
                    else _quantize(weight * attainment, POINTS),
                    "cap": indicator.get("cap") if method == ScoringMethod.RATIO else None,
                    "worst": worst,
                    "best": best,
                    "coefficient": coefficient,
                }
            )
    for row in rows:
        used = [line for line in row["indicators"] if line["points"] is not None]
        weights_used = sum((line["weight"] for line in used), ZERO)
        row["weights_used"] = weights_used
        row["indicator_points"] = (
            _quantize(
                sum((line["points"] for line in used), ZERO) * total_weight / weights_used, POINTS
            )
            if weights_used
            else None
        )


def score_adjustments(
    counts: Mapping[str, int], items: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], Decimal]:
    """The lines of the scheme's bonus (or deduction) items for a unit's counts, and their
    points in all."""
    lines = []
    for item in items:
        count = int(counts.get(item["item"], 0))
        points, capped = adjustment_points(count, item["points"], item["cap"])
        lines.append(
            {
                "item": item["item"],
                "count": count,
                "per_item": item["points"],
                "cap": item["cap"],
                "points": points,
                "capped": capped,
            }
        )
    return lines, _quantize(sum((line["points"] for line in lines), ZERO), POINTS)


def total_of(row: Mapping[str, Any]) -> Decimal | None:
    if row["indicator_points"] is None:
        return None
    return _quantize(
        row["indicator_points"]
        + row["bonus_points"]
        - row["deduction_points"]
        + row["manual_points"],
        POINTS,
    )


# --- What each unit measures ---------------------------------------------------------------------


def _measured(
    owner: Any, rates: Any, quota_row: Any
) -> dict[str, tuple[int | Decimal | None, Decimal | None, Decimal | None]]:
    """{indicator metric: (actual, target, value)} of one unit, value = actual ÷ target (a
    rate: the rate itself), None without a base."""
    found: dict[str, tuple[Any, Any, Any]] = {}
    for indicator, metric in PROGRESS_METRICS.items():
        measured = owner.metrics[metric]
        actual = int(measured.actual) if indicator in COUNTED_INDICATORS else measured.actual
        target = measured.target or None
        found[indicator] = (actual, target, ratio(actual, target))
    sizes = [owner.metrics[metric] for metric in SIZE_METRICS]
    actual = sum(int(size.actual) for size in sizes)
    target = sum((size.target or ZERO for size in sizes), ZERO) or None
    found[IndicatorMetric.SIZE_12510] = (actual, target, ratio(actual, target))
    if quota_row is not None:
        quota = quota_row.quota.per_year if quota_row.quota is not None else None
        target = Decimal(quota) if quota else None
        found[IndicatorMetric.TRIPS] = (
            quota_row.year_count,
            target,
            ratio(quota_row.year_count, target),
        )
    else:
        found[IndicatorMetric.TRIPS] = (0, None, None)
    for indicator, name in RATE_FIELDS.items():
        rate = getattr(rates, name) if rates is not None else None
        value = ratio(rate, 1) if rate is not None else None
        found[indicator] = (value, None, value)
    return found


def foreign_projects(window: Window) -> dict[int, int]:
    """{unit id: foreign-funded projects (investor origin 境外) signed in the year}, not
    terminated. One query."""
    rows = (
        signed_in(window)
        .filter(investor_origin=Origin.FOREIGN)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["unit"]: row["n"] for row in rows}


def _flagged_by_unit(window: Window) -> dict[int, list[dict[str, Any]]]:
    """{unit id: the flagged records of its projects}. One query."""
    rows = flagged_records(window).values(
        "pk", "project__unit", "project__code", "project__name", "period", "kind", "amount_wan"
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["project__unit"], []).append(
            {
                "record_id": row["pk"],
                "project_code": row["project__code"],
                "project_name": row["project__name"],
                "period": format_period(row["period"]),
                "kind": row["kind"],
                "amount_wan": row["amount_wan"],
            }
        )
    return found


def manual_scores(year: int) -> QuerySet[ManualScore]:
    """The year's manual items, unit by unit in report order."""
    return (
        ManualScore.objects.filter(year=year)
        .select_related("unit", "scored_by")
        .order_by("unit__kind", "unit__sort_order", "unit__code", "id")
    )


def _manual_by_unit(year: int) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    rows = (
        ManualScore.objects.filter(year=year)
        .order_by("id")
        .values("pk", "unit", "title", "points", "note")
    )
    for row in rows:
        found.setdefault(row["unit"], []).append(
            {
                "item_id": row["pk"],
                "title": row["title"],
                "points": row["points"],
                "note": row["note"],
            }
        )
    return found


# --- The assessment ------------------------------------------------------------------------------


def annual_assessment(
    year: int,
    progress: Callable[[int], None] | None = None,
    scheme: AssessmentScheme | None = None,
) -> AnnualAssessment:
    """The year-end assessment of `year` under its scheme (ValidationError without one, or
    while the year's first month is not over). `progress` hears how far it got (0–100)."""
    step = progress or (lambda percent: None)
    today = timezone.localdate()
    window = annual_window(year, today)
    if window is None:
        raise ValidationError(
            {"year": _("An assessment can be built once the year's first month is over.")}
        )
    scheme = scheme or scheme_of(year)
    if scheme is None:
        raise ValidationError(
            {"year": _("Set the assessment scheme of %(year)s first.") % {"year": year}}
        )
    stored_scheme = scheme_figures(scheme)
    month = window.month

    units = progress_table(OwnerKind.UNIT, year, month)
    rates = {row.unit.pk: row for row in unit_rates(year, month, [row.owner for row in units])}
    quotas = quota_table(year, 4, today=min(window.end, today))
    quota_rows = {
        row.owner.pk: row
        for group in quotas.groups
        for row in group.rows
        if row.filter_key == "unit"
    }
    step(50)
    foreign = foreign_projects(window)
    orders = {counts.unit.pk: counts for counts in order_counts_by_unit(until=window.end)}
    findings = {row.unit_id: row for row in open_rectifications(year=year, until=window.end)}
    flagged = _flagged_by_unit(window)
    manual = _manual_by_unit(year)
    step(80)

    unit_groups = []
    for kind in UNIT_GROUPS:
        rows = []
        for owner in units:
            unit = owner.owner
            if unit.kind != kind:
                continue
            unit_orders = orders.get(unit.pk)
            unit_findings = findings.get(unit.pk)
            overdue = [f for f in unit_findings.findings if f.overdue] if unit_findings else []
            counts = {
                AdjustmentItem.OVER_100M: int(owner.metrics[Metric.SIZE_100M].actual),
                AdjustmentItem.FOREIGN: foreign.get(unit.pk, 0),
                AdjustmentItem.YELLOW_ORDERS: unit_orders.yellow if unit_orders else 0,
                AdjustmentItem.RED_ORDERS: unit_orders.red if unit_orders else 0,
                AdjustmentItem.UNRECTIFIED_FINDINGS: len(overdue),
                AdjustmentItem.FLAGGED_FIGURES: len(flagged.get(unit.pk, [])),
            }
            bonuses, bonus_points = score_adjustments(counts, stored_scheme["bonuses"])
            deductions, deduction_points = score_adjustments(counts, stored_scheme["deductions"])
            unit_manual = manual.get(unit.pk, [])
            rows.append(
                {
                    "unit_id": unit.pk,
                    "code": unit.code,
                    "name": unit.name,
                    "kind": unit.kind,
                    "measured": _measured(owner, rates.get(unit.pk), quota_rows.get(unit.pk)),
                    "bonuses": bonuses,
                    "bonus_points": bonus_points,
                    "deductions": deductions,
                    "deduction_points": deduction_points,
                    "manual": unit_manual,
                    "manual_points": _quantize(
                        sum((item["points"] for item in unit_manual), ZERO), POINTS
                    ),
                    "findings": [
                        {
                            "finding_id": f.id,
                            "half": f.half,
                            "item": f.item,
                            "text": f.text,
                            "deadline": f.deadline,
                        }
                        for f in overdue
                    ],
                    "flagged": flagged.get(unit.pk, []),
                }
            )
        score_indicators(rows, stored_scheme["indicators"], stored_scheme["total_weight"])
        for row in rows:
            del row["measured"]
            row["total"] = total_of(row)
        rank_by(rows, "total")
        grades = stored_scheme["grades"]
        if grades["method"] == GradeMethod.SHARES:
            grades_by_share(rows, grades)
        else:
            for row in rows:
                row["grade"] = grade_by_score(row["total"], grades)
        tally = Counter(row["grade"] for row in rows if row["grade"])
        unit_groups.append(
            {
                "kind": str(kind),
                "units": rows,
                "grade_counts": {grade: tally.get(grade, 0) for grade in Grade.values},
            }
        )
    step(100)
    return AnnualAssessment.from_built(
        {
            "schema_version": SCHEMA_VERSION,
            "kind": "annual",
            "period": str(year),
            "year": year,
            "month": month,
            "end": window.end,
            "year_closed": month == 12,
            "scheme": stored_scheme,
            "formula": formula_text(stored_scheme),
            "unit_groups": unit_groups,
        }
    )


# --- For the pages -------------------------------------------------------------------------------


def group_label(kind: str) -> str:
    return label_of(UnitGroup, kind)


def _url(name: str, **params: Any) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def line_links(window: Window, unit_id: int) -> dict[str, str | None]:
    """{indicator metric or adjustment item: the list of the records the unit's figure
    counts}, with the lists' own filters (a reader's list shows what the reader may see)."""
    signed = {
        "unit": unit_id,
        "live": "true",
        "signed_after": window.start.isoformat(),
        "signed_before": window.end.isoformat(),
    }
    links: dict[str, str | None] = {
        indicator: drill_down_url(OwnerKind.UNIT, unit_id, metric, window)
        for indicator, metric in PROGRESS_METRICS.items()
    }
    links[IndicatorMetric.SIZE_12510] = _url(
        "projects:project_list", **signed, amount_min=SIZE_12510_FLOOR_WAN
    )
    links[IndicatorMetric.TRIPS] = _url(
        "trips:trip_list",
        unit=unit_id,
        start_after=window.start.isoformat(),
        start_before=window.end.isoformat(),
    )
    for indicator in RATE_FIELDS:
        links[indicator] = _url("projects:project_list", **signed)
    links[AdjustmentItem.OVER_100M] = drill_down_url(
        OwnerKind.UNIT, unit_id, Metric.SIZE_100M, window
    )
    links[AdjustmentItem.FOREIGN] = _url(
        "projects:project_list", **signed, investor_origin=Origin.FOREIGN
    )
    links[AdjustmentItem.YELLOW_ORDERS] = _url(
        "supervision:order_list", unit=unit_id, level="yellow"
    )
    links[AdjustmentItem.RED_ORDERS] = _url("supervision:order_list", unit=unit_id, level="red")
    links[AdjustmentItem.UNRECTIFIED_FINDINGS] = _url(
        "reports:halfyear_list", unit=unit_id, year=window.year
    )
    links[AdjustmentItem.FLAGGED_FIGURES] = _url(
        "projects:funds_ledger",
        unit=unit_id,
        flagged="true",
        period_after=format_period(window.start),
        period_before=format_period(window.last_period),
    )
    return links


def scheme_changes(year: int, limit: int = 30) -> list[dict[str, Any]]:
    """The latest changes of the year's scheme, its indicators and items, newest first:
    when, by whom, what, created / changed / removed. Three queries."""
    scheme_rows = AssessmentScheme.history.filter(year=year).select_related("history_user")
    scheme_ids = {row.id for row in scheme_rows}
    indicator_rows = SchemeIndicator.history.filter(scheme_id__in=scheme_ids).select_related(
        "history_user"
    )
    adjustment_rows = SchemeAdjustment.history.filter(scheme_id__in=scheme_ids).select_related(
        "history_user"
    )
    actions = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    changes = []
    for row in scheme_rows:
        changes.append(
            {
                "when": row.history_date,
                "who": str(row.history_user) if row.history_user else "",
                "action": actions.get(row.history_type, row.history_type),
                "what": row.title,
                "detail": grade_rule_text(
                    {
                        "method": row.grade_method,
                        "excellent_min": row.excellent_min,
                        "good_min": row.good_min,
                        "pass_min": row.pass_min,
                        "excellent_share": row.excellent_share,
                        "good_share": row.good_share,
                        "fail_share": row.fail_share,
                    }
                ),
            }
        )
    for row in indicator_rows:
        method = label_of(ScoringMethod, row.method)
        cap = _("cap %(cap)s") % {"cap": _shown(row.cap)} if row.cap is not None else ""
        changes.append(
            {
                "when": row.history_date,
                "who": str(row.history_user) if row.history_user else "",
                "action": actions.get(row.history_type, row.history_type),
                "what": label_of(IndicatorMetric, row.metric),
                "detail": "，".join(
                    part
                    for part in (
                        _("%(weight)s points") % {"weight": _shown(row.weight)},
                        method,
                        cap,
                    )
                    if part
                ),
            }
        )
    for row in adjustment_rows:
        cap = _("at most %(cap)s") % {"cap": _shown(row.cap)} if row.cap is not None else ""
        changes.append(
            {
                "when": row.history_date,
                "who": str(row.history_user) if row.history_user else "",
                "action": actions.get(row.history_type, row.history_type),
                "what": label_of(AdjustmentItem, row.item),
                "detail": "，".join(
                    part
                    for part in (_("%(points)s per item") % {"points": _shown(row.points)}, cap)
                    if part
                ),
            }
        )
    changes.sort(key=lambda change: change["when"], reverse=True)
    return changes[:limit]


def breakdown_readable(user: Any, report: Any, unit_id: int) -> bool:
    """Whether `user` reads `unit_id`'s breakdown in `report`: the bureau and leaders every
    unit's; a unit's staff their own unit's, once the assessment is published."""
    if sees_everything(user):
        return True
    return bool(report.is_published and getattr(user, "unit_id", None) == unit_id)
