"""The quarterly review (一季一调度, DOMAIN.md "Reports"): per unit and per team, each
metric's progress against time progress, trips against quota, the four rates, leads per
officer, a score by a published formula and a rank; then blank and lagging units, stalled
projects and overdue blockers.

Every figure comes from an existing selector (targets.selectors for progress and rates,
teams.selectors for trips against quota, the monthly bulletin's warnings); this module
only puts them side by side and scores them. A fixed number of queries, whatever the
number of units, teams, projects or records.

The score (stored with the weights it used, so it can be recomputed by hand from the
snapshot): for each part of the score that has a base, an attainment between 0 and
SCORE_CAP:
- funds, contract amount, projects signed, projects started: progress ÷ time progress
  (progress = actual ÷ target, time progress = quarter × 3 ÷ 12), at most SCORE_CAP;
- trips: trips in the year ÷ quota to date (yearly quota × quarter ÷ 4), at most SCORE_CAP;
- the four rates: the rate itself, at most 1.
Parts without a base (no target, no quota, no rate) are left out and the other weights
rescaled: score = 100 × Σ(weight × attainment) ÷ Σ(weight of the parts used), to two
decimals (attainments are taken to four decimals first). A unit then loses ORDER_POINTS
for each supervision order overdue at the quarter's end (1 point if yellow, 2 if red), at
most ORDER_DEDUCTION_CAP points, never below 0. Ranked by score within the group; equal
scores share a rank.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import format_period
from core.roles import Role
from reports.choices import DEFAULT_WEIGHTS, ScoreComponent
from reports.figures import SCHEMA_VERSION, QuarterlyReview
from reports.models import ScoreWeight
from supervision.choices import OrderLevel
from supervision.selectors import UnitOrderCounts, order_counts_by_unit
from targets.choices import Metric, OwnerKind
from targets.selectors import METRIC_RULES, OwnerProgress, Window, progress_table, unit_rates
from teams.choices import TeamKind
from teams.models import User
from trips.selectors import judge_quarter, judge_year, quota_table

from .monthly import UNIT_GROUPS, rank_by, ratio, warnings

SCORE_CAP = Decimal("1.2")
# Points off a unit's score for each supervision order overdue at the quarter's end.
ORDER_POINTS: dict[str, Decimal] = {OrderLevel.YELLOW: Decimal(1), OrderLevel.RED: Decimal(2)}
ORDER_DEDUCTION_CAP = Decimal(10)
RATE_CAP = Decimal(1)
ATTAINMENT = Decimal("0.0001")
SCORE = Decimal("0.01")
ZERO = Decimal(0)

# The parts of the score measured as progress against time progress, and their metric.
METRIC_COMPONENTS: dict[str, str] = {
    ScoreComponent.FUNDS: Metric.FUNDS,
    ScoreComponent.CONTRACT_AMOUNT: Metric.CONTRACT_AMOUNT,
    ScoreComponent.PROJECTS_SIGNED: Metric.PROJECTS_SIGNED,
    ScoreComponent.PROJECTS_STARTED: Metric.PROJECTS_STARTED,
    ScoreComponent.INVESTMENT: Metric.INVESTMENT,
}
RATE_COMPONENTS: tuple[str, ...] = (
    ScoreComponent.SIGNING_RATE,
    ScoreComponent.START_RATE,
    ScoreComponent.ON_TIME_RATE,
    ScoreComponent.FUNDS_RATE,
)


def current_weights() -> dict[str, int]:
    """{component: weight} as the bureau set them (the defaults for any not set), in the
    order of ScoreComponent. One query."""
    stored = dict(ScoreWeight.objects.values_list("component", "weight"))
    return {
        component: int(stored.get(component, DEFAULT_WEIGHTS[component]))
        for component in ScoreComponent.values
    }


def weight_changes(limit: int = 20) -> list[dict[str, Any]]:
    """The latest changes of the score weights, newest first: when, by whom, which part,
    from what to what (`old` None for a part created). One query. The rows the migration
    created have no history: a part's first change starts from its default."""
    rows = ScoreWeight.history.select_related("history_user").order_by("history_date", "history_id")
    previous: dict[str, int] = {}
    changes = []
    for row in rows:
        old = previous.get(row.component)
        if old is None and row.history_type == "~":
            old = DEFAULT_WEIGHTS.get(row.component)
        previous[row.component] = row.weight
        if row.history_type == "~" and old == row.weight:
            continue
        changes.append(
            {
                "when": row.history_date,
                "who": str(row.history_user) if row.history_user else "",
                "component": row.component,
                "old": old,
                "new": row.weight,
            }
        )
    return changes[::-1][:limit]


def in_component_order(mapping: dict[str, Any]) -> list[tuple[str, Any]]:
    """A stored {component: value} in the order of ScoreComponent (a JSON snapshot does not
    keep the order of its keys)."""
    known = [(c, mapping[c]) for c in ScoreComponent.values if c in mapping]
    return known + [(c, v) for c, v in mapping.items() if c not in ScoreComponent.values]


def quarter_period(year: int, quarter: int) -> date:
    """The first day of the quarter's first month: a quarterly report's `period`."""
    return date(year, 3 * (quarter - 1) + 1, 1)


def quarter_end(year: int, quarter: int) -> date:
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


# --- Scoring -----------------------------------------------------------------------------------


def _capped(value: Decimal, cap: Decimal) -> Decimal:
    return min(max(value, ZERO), cap).quantize(ATTAINMENT, rounding=ROUND_HALF_UP)


def score(components: dict[str, dict[str, Any]]) -> Decimal | None:
    """100 × Σ(weight × attainment) ÷ Σ(weight), two decimals; None without any weight."""
    total_weight = sum(part["weight"] for part in components.values())
    if not total_weight:
        return None
    weighted = sum((part["weight"] * part["attainment"] for part in components.values()), ZERO)
    return (Decimal(100) * weighted / Decimal(total_weight)).quantize(SCORE, rounding=ROUND_HALF_UP)


def attainments(
    metrics: dict[str, dict[str, Any]],
    trips: dict[str, Any] | None,
    rates: dict[str, Decimal | None] | None,
    time_progress: Decimal,
) -> dict[str, Decimal]:
    """{component: attainment} for the parts of the score that have a base."""
    found: dict[str, Decimal] = {}
    for component, metric in METRIC_COMPONENTS.items():
        row = metrics.get(metric)
        if row is not None and row["progress"] is not None:
            found[component] = _capped(row["progress"] / time_progress, SCORE_CAP)
    if trips is not None and trips["quota_to_date"]:
        found[ScoreComponent.TRIPS] = _capped(
            Decimal(trips["count"]) / trips["quota_to_date"], SCORE_CAP
        )
    for component in RATE_COMPONENTS:
        rate = (rates or {}).get(component)
        if rate is not None:
            found[component] = _capped(rate, RATE_CAP)
    return found


def _score_row(row: dict[str, Any], found: dict[str, Decimal], weights: dict[str, int]) -> None:
    row["components"] = {
        component: {"weight": weights[component], "attainment": found[component]}
        for component in ScoreComponent.values
        if component in found
    }
    row["score"] = score(row["components"])


def order_deduction(yellow: int, red: int) -> Decimal:
    """The points a unit loses for its overdue supervision orders, at most the cap."""
    points = yellow * ORDER_POINTS[OrderLevel.YELLOW] + red * ORDER_POINTS[OrderLevel.RED]
    return min(points, ORDER_DEDUCTION_CAP)


def _deduct_orders(row: dict[str, Any], counts: UnitOrderCounts | None) -> None:
    """The unit's score less the points of its orders overdue at the quarter's end."""
    yellow, red = (counts.yellow, counts.red) if counts is not None else (0, 0)
    deduction = order_deduction(yellow, red)
    row.update(
        orders_yellow=yellow,
        orders_red=red,
        order_deduction=deduction,
        base_score=row["score"],
    )
    if row["score"] is not None:
        row["score"] = max(row["score"] - deduction, ZERO).quantize(SCORE)


# --- Pieces of a row ---------------------------------------------------------------------------


def _metrics(owner: OwnerProgress) -> dict[str, dict[str, Any]]:
    """Each metric that has a target: target, actual, progress, time progress, behind."""
    rows = {}
    for metric in Metric.values:
        measured = owner.metrics[metric]
        if not measured.target:
            continue
        counted = METRIC_RULES[metric].total is None
        rows[metric] = {
            "metric": metric,
            "target": measured.target,
            "actual": int(measured.actual) if counted else measured.actual,
            "progress": ratio(measured.actual, measured.target),
            "time_progress": ratio(measured.time_progress, 1),
            "behind": measured.behind,
        }
    return rows


def _trips(quota_row: Any, quarter: int, closed: bool) -> dict[str, Any]:
    """Trips in the year and the quarter against the quota of the owner's kind. Once the
    quarter is over it is judged as over (its minimum missed is behind)."""
    quota = quota_row.quota
    if closed:
        quota_row = replace(
            quota_row,
            year_status=judge_year(quota_row.year_count, quota, quarter),
            quarter_status=judge_quarter(quota_row.quarter_count, quota, True),
        )
    per_year = quota.per_year if quota is not None else None
    return {
        "count": quota_row.year_count,
        "quarter_count": quota_row.quarter_count,
        "quota": per_year,
        "quota_per_quarter": quota.per_quarter if quota is not None else None,
        "quota_to_date": ((Decimal(per_year) * quarter / 4).quantize(SCORE) if per_year else None),
        "status": quota_row.status,
    }


def _rates(rates: Any) -> dict[str, Decimal | None]:
    return {
        component: ratio(getattr(rates, component), 1)
        if getattr(rates, component) is not None
        else None
        for component in RATE_COMPONENTS
    }


def _officers(unit_ids: list[int]) -> dict[int, int]:
    """{unit id: its active users with the role officer}. One query."""
    rows = (
        User.objects.filter(unit__in=unit_ids, role=Role.OFFICER, is_active=True)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["unit"]: row["n"] for row in rows}


# --- The review --------------------------------------------------------------------------------


def formula_text(formula: dict[str, Any]) -> str:
    """The published formula in the reader's language, from a review's stored parameters."""
    text = _(
        "For each part of the score that has a base, an attainment between 0 and %(cap)s: "
        "for funds in place, contract amount, projects signed and projects started, "
        "progress (actual ÷ annual target) ÷ time progress (%(time_progress)s); for trips, "
        "trips in the year ÷ quota to date (yearly quota × %(quota_share)s); for the four "
        "rates, the rate itself (at most 1). Parts without a base (no target, no quota, no "
        "rate) are left out and the other weights rescaled: score = 100 × Σ(weight × "
        "attainment) ÷ Σ(weight of the parts used), to two decimals, attainments taken to "
        "four decimals. Ranked by score within each group; equal scores share a rank."
    ) % {
        "cap": formula.get("cap", SCORE_CAP),
        "time_progress": formula.get("time_progress", ""),
        "quota_share": formula.get("quota_share", ""),
    }
    points = formula.get("order_points") or {}
    if not points:  # a review built before orders were deducted
        return text
    return (
        text
        + " "
        + _(
            "A unit then loses %(yellow)s point(s) for each supervision order overdue (yellow) "
            "and %(red)s for each overdue again (red) at the quarter's end, at most %(cap)s "
            "points, never below 0; ranks are by this score."
        )
        % {
            "yellow": points.get(OrderLevel.YELLOW, 0),
            "red": points.get(OrderLevel.RED, 0),
            "cap": formula.get("order_deduction_cap"),
        }
    )


def quarterly_review(
    year: int, quarter: int, progress: Callable[[int], None] | None = None
) -> QuarterlyReview:
    """The review of `quarter` (1–4) of `year`: figures from January to the quarter's end.
    `progress` hears how far it got (0–100)."""
    step = progress or (lambda percent: None)
    month = 3 * quarter
    window = Window(year, month)
    end = quarter_end(year, quarter)
    today = timezone.localdate()
    closed = today > end
    time_progress = ratio(month, 12)
    weights = current_weights()

    units = progress_table(OwnerKind.UNIT, year, month)
    teams = progress_table(OwnerKind.TEAM, year, month)
    rates = {row.unit.pk: row for row in unit_rates(year, month, [row.owner for row in units])}
    quotas = quota_table(year, quarter, today=min(end, today))
    # the quota table's rows by owner: its leaders are left out (ids of users, not units)
    quota_rows = [row for group in quotas.groups for row in group.rows]
    unit_quotas = {row.owner.pk: row for row in quota_rows if row.filter_key == "unit"}
    team_quotas = {row.owner.pk: row for row in quota_rows if row.filter_key == "team"}
    officers = _officers([row.owner.pk for row in units])
    orders = {counts.unit.pk: counts for counts in order_counts_by_unit(until=end)}
    step(60)

    unit_groups = []
    for kind in UNIT_GROUPS:
        rows = []
        for owner in units:
            if owner.owner.kind != kind:
                continue
            unit = owner.owner
            metrics = _metrics(owner)
            quota_row = unit_quotas.get(unit.pk)
            trips = _trips(quota_row, quarter, closed) if quota_row is not None else None
            unit_rates_row = _rates(rates[unit.pk])
            leads = int(owner.metrics[Metric.LEADS].actual)
            staff = officers.get(unit.pk, 0)
            funds = owner.metrics[Metric.FUNDS]
            row = {
                "unit_id": unit.pk,
                "code": unit.code,
                "name": unit.name,
                "metrics": list(metrics.values()),
                "trips": trips,
                "rates": unit_rates_row,
                "leads": leads,
                "officers": staff,
                "leads_per_officer": (
                    (Decimal(leads) / staff).quantize(SCORE, rounding=ROUND_HALF_UP)
                    if staff
                    else None
                ),
                "blank": owner.blank,
                "behind": funds.behind,
                "funds_progress": ratio(funds.actual, funds.target),
            }
            _score_row(row, attainments(metrics, trips, unit_rates_row, time_progress), weights)
            _deduct_orders(row, orders.get(unit.pk))
            rows.append(row)
        rank_by(rows, "score")
        unit_groups.append({"kind": str(kind), "units": rows})

    team_groups = []
    for kind in TeamKind.values:
        rows = []
        for owner in teams:
            if owner.owner.kind != kind:
                continue
            team = owner.owner
            metrics = _metrics(owner)
            quota_row = team_quotas.get(team.pk)
            trips = _trips(quota_row, quarter, closed) if quota_row is not None else None
            row = {
                "team_id": team.pk,
                "name": team.name,
                "kind": team.kind,
                "metrics": list(metrics.values()),
                "trips": trips,
                "leads": int(owner.metrics[Metric.LEADS].actual),
            }
            _score_row(row, attainments(metrics, trips, None, time_progress), weights)
            rows.append(row)
        rank_by(rows, "score")
        team_groups.append({"kind": kind, "teams": rows})

    step(80)
    # Blank units, units behind on funds, stalled projects and overdue blockers as the
    # monthly bulletin finds them, at the quarter's end.
    found = warnings(
        window,
        [
            {
                "kind": group["kind"],
                "units": [
                    {
                        "unit_id": row["unit_id"],
                        "code": row["code"],
                        "name": row["name"],
                        "blank": row["blank"],
                        "behind": row["behind"],
                        "progress": row["funds_progress"],
                        "time_progress": time_progress,
                    }
                    for row in group["units"]
                ],
            }
            for group in unit_groups
        ],
    )
    formula = {
        "cap": SCORE_CAP,
        "rate_cap": RATE_CAP,
        "time_progress": time_progress,
        "quota_share": ratio(quarter, 4),
        "metric_components": dict(METRIC_COMPONENTS),
        "rate_components": list(RATE_COMPONENTS),
        "order_points": dict(ORDER_POINTS),
        "order_deduction_cap": ORDER_DEDUCTION_CAP,
    }
    formula["text"] = formula_text(formula)
    return QuarterlyReview.from_built(
        {
            "schema_version": SCHEMA_VERSION,
            "kind": "quarterly",
            "period": format_period(quarter_period(year, quarter)),
            "year": year,
            "quarter": quarter,
            "month": month,
            "end": end,
            "quarter_closed": closed,
            "time_progress": time_progress,
            "weights": weights,
            "formula": formula,
            "unit_groups": unit_groups,
            "team_groups": team_groups,
            "blank_units": found["blank_units"],
            "lagging_units": found["behind_units"],
            "stalled_projects": found["stalled_projects"],
            "overdue_blockers": found["overdue_blockers"],
        }
    )
