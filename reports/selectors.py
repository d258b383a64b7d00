"""The monthly bulletin (一月一通报, DOMAIN.md "Reports"): plain data built from the figures
of targets.selectors (funds, targets, per-unit progress), with small helpers for what
those do not cover (the month's own funds, origins, new vs carried-over projects, stages).

Every figure is computed in the database, with a fixed number of queries whatever the
number of units, projects or records.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.money import format_pct, format_yi
from core.periods import format_period
from projects.choices import STAGE_ORDER, Category, Origin, SizeClass, Stage
from projects.models import Project
from targets.choices import Metric, OwnerKind
from targets.selectors import Window, owner_actuals, progress_table, signed_in, verified_funds
from teams.choices import UnitKind

RATIO = Decimal("0.0001")
ZERO = Decimal(0)
UNIT_GROUPS = (UnitKind.TOWNSHIP, UnitKind.PARK, UnitKind.DEPARTMENT)
ORIGINS = (Origin.OUT_OF_CITY, Origin.OUT_OF_PROVINCE, Origin.FOREIGN)
STAGES = [*STAGE_ORDER, Stage.TERMINATED]


def ratio(numerator: Any, denominator: Any) -> Decimal | None:
    """numerator / denominator to four decimals (a share, a progress), None without a base."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATIO, rounding=ROUND_HALF_UP)


def growth(current: Decimal, previous: Decimal) -> Decimal | None:
    """Year-on-year growth (同比增长), None when the year before had nothing."""
    if not previous:
        return None
    return ((current - previous) / previous).quantize(RATIO, rounding=ROUND_HALF_UP)


def _sum(field: str, condition: Q) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), Value(ZERO))


# --- Helpers for figures no other selector gives ----------------------------------------------


def county_funds(year: int, month: int) -> Decimal:
    """Verified funds in place from January to the end of `month` (0 for month 0): the
    county's `funds` actual of targets.selectors."""
    if month < 1:
        return ZERO
    return owner_actuals(OwnerKind.COUNTY, None, Window(year, month))[None][Metric.FUNDS]


def funds_by_origin(window: Window) -> dict[str, dict[str, Decimal]]:
    """{"month"|"cumulative": {origin: funds, "domestic": 内资, "foreign_total": 外资}}."""
    month_only = Q(period=window.last_period)
    aggregates = {}
    for origin in ORIGINS:
        condition = Q(project__investor_origin=origin)
        aggregates[f"c_{origin}"] = _sum("amount_wan", condition)
        aggregates[f"m_{origin}"] = _sum("amount_wan", condition & month_only)
    values = verified_funds(window).aggregate(**aggregates)
    result = {}
    for scope, prefix in (("month", "m_"), ("cumulative", "c_")):
        split = {origin: values[f"{prefix}{origin}"] for origin in ORIGINS}
        split["domestic"] = split[Origin.OUT_OF_CITY] + split[Origin.OUT_OF_PROVINCE]
        split["foreign_total"] = split[Origin.FOREIGN]
        result[scope] = split
    return result


def statistics_projects(window: Window) -> dict[str, Any]:
    """Projects in the year's statistics (纳入统计项目): new (新开工, started in the year up
    to the end of the month) and carried-over (结转续建, started before the year and not
    completed before it); terminated projects are left out. Count, contract amount and
    verified funds in the year, for all, each kind, and the industrial ones among them."""
    new = Q(started_on__gte=window.start, started_on__lte=window.end)
    carried = Q(started_on__lt=window.start) & (
        Q(completed_on__isnull=True) | Q(completed_on__gte=window.start)
    )
    industrial = Q(category=Category.INDUSTRIAL)
    kinds = {"all": new | carried, "new": new, "carried_over": carried}
    live = Project.objects.exclude(stage=Stage.TERMINATED)
    projects = live.aggregate(
        **{f"n_{k}": Count("pk", filter=c) for k, c in kinds.items()},
        **{f"a_{k}": _sum("contract_amount_wan", c) for k, c in kinds.items()},
        n_industrial=Count("pk", filter=kinds["all"] & industrial),
    )

    funds = verified_funds(window).aggregate(
        **{
            f"f_{k}": _sum("amount_wan", Q(project__in=live.filter(c).values("pk")))
            for k, c in kinds.items()
        },
        f_industrial=_sum("amount_wan", Q(project__in=live.filter(kinds["all"] & industrial))),
    )
    result: dict[str, Any] = {
        k: {
            "count": projects[f"n_{k}"],
            "contract_amount_wan": projects[f"a_{k}"],
            "funds_wan": funds[f"f_{k}"],
        }
        for k in kinds
    }
    result["industrial"] = {
        "count": projects["n_industrial"],
        "funds_wan": funds["f_industrial"],
        "count_share": ratio(projects["n_industrial"], projects["n_all"]),
        "funds_share": ratio(funds["f_industrial"], funds["f_all"]),
    }
    return result


def signed_over_100m(window: Window) -> dict[str, Any]:
    """Projects of 亿元以上 signed in the year: count and contract amount."""
    values = signed_in(window).aggregate(
        count=Count("pk", filter=Q(size_class=SizeClass.HUNDRED_MILLION)),
        amount=_sum("contract_amount_wan", Q(size_class=SizeClass.HUNDRED_MILLION)),
    )
    return {"count": values["count"], "contract_amount_wan": values["amount"]}


def stages_per_unit(unit_ids: list[int]) -> dict[int, dict[str, int]]:
    """{unit id: {stage: projects}} as the projects stand now."""
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(STAGES, 0) for pk in unit_ids}
    rows = (
        Project.objects.filter(unit__in=unit_ids)
        .values("unit", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["unit"]][row["stage"]] = row["n"]
    return counts


# --- The bulletin ------------------------------------------------------------------------------


def _ranks(rows: list[dict]) -> None:
    """Rank within the group by % of target (ties share a rank); no target, no rank."""
    progresses = [row["progress"] for row in rows if row["progress"] is not None]
    for row in rows:
        if row["progress"] is None:
            row["rank"] = None
        else:
            row["rank"] = 1 + sum(1 for other in progresses if other > row["progress"])


def unit_sections(year: int, month: int) -> list[dict[str, Any]]:
    """Section 2: per unit, grouped by kind (townships, parks, departments)."""
    table = progress_table(OwnerKind.UNIT, year, month)
    stages = stages_per_unit([row.owner.pk for row in table])
    groups = []
    for kind in UNIT_GROUPS:
        rows = []
        for row in table:
            if row.owner.kind != kind:
                continue
            funds = row.metrics[Metric.FUNDS]
            rows.append(
                {
                    "unit_id": row.owner.pk,
                    "code": row.owner.code,
                    "name": row.owner.name,
                    "funds_wan": funds.actual,
                    "target_wan": funds.target,
                    "progress": ratio(funds.actual, funds.target),
                    "time_progress": ratio(month, 12),
                    "behind": funds.behind,
                    "blank": row.blank,
                    "stages": stages[row.owner.pk],
                }
            )
        _ranks(rows)
        funds_total = sum((r["funds_wan"] for r in rows), ZERO)
        target_total = sum((r["target_wan"] or ZERO for r in rows), ZERO)
        groups.append(
            {
                "kind": str(kind),
                "units": rows,
                "subtotal": {
                    "funds_wan": funds_total,
                    "target_wan": target_total,
                    "progress": ratio(funds_total, target_total),
                },
            }
        )
    return groups


def monthly_bulletin(year: int, month: int) -> dict[str, Any]:
    """Sections 1 (totals) and 2 (units) of the monthly bulletin for `month` of `year`."""
    window = Window(year, month)
    county = owner_actuals(OwnerKind.COUNTY, None, window)[None]
    target = progress_table(OwnerKind.COUNTY, year, month)[0].metrics[Metric.FUNDS].target or None
    cumulative = county[Metric.FUNDS]
    previous_month = county_funds(year, month - 1)
    last_year = county_funds(year - 1, month)
    last_year_previous = county_funds(year - 1, month - 1)
    this_month = cumulative - previous_month
    last_year_month = last_year - last_year_previous
    signed_100m = signed_over_100m(window)
    figures: dict[str, Any] = {
        "kind": "monthly",
        "period": format_period(window.last_period),
        "year": year,
        "month": month,
        "time_progress": ratio(month, 12),
        "funds": {
            "month_wan": this_month,
            "cumulative_wan": cumulative,
            "target_wan": target,
            "progress": ratio(cumulative, target),
            "last_year_month_wan": last_year_month,
            "last_year_cumulative_wan": last_year,
            "growth_month": growth(this_month, last_year_month),
            "growth_cumulative": growth(cumulative, last_year),
        },
        "origins": funds_by_origin(window),
        "statistics_projects": statistics_projects(window),
        "signed": {
            "count": int(county[Metric.PROJECTS_SIGNED]),
            "contract_amount_wan": county[Metric.CONTRACT_AMOUNT],
            "over_100m_count": signed_100m["count"],
            "over_100m_contract_amount_wan": signed_100m["contract_amount_wan"],
        },
        "unit_groups": unit_sections(year, month),
    }
    figures["headline"] = headline(figures)
    return figures


def headline(figures: Mapping[str, Any]) -> str:
    """The bulletin's opening sentence, in 亿元 with one decimal, e.g. (zh-hans)
    "1-10月份全县到位资金48.6亿元，完成年度任务的81.2%，同比增长12.3%". Works on the built
    figures and on a stored snapshot (where Decimals are strings)."""
    month = int(figures["month"])
    funds = figures["funds"]
    # numbers, not month names: "1-10月份" in Chinese, "Months 1 to 10" in English
    if month == 1:
        span = _("Month %(month)d") % {"month": month}
    else:
        span = _("Months 1 to %(month)d") % {"month": month}
    parts = [
        _("%(span)s, funds in place across the county %(amount)s hundred million yuan")
        % {"span": span, "amount": format_yi(funds["cumulative_wan"])}
    ]
    if funds["progress"] is not None:
        parts.append(
            _("%(progress)s of the annual target") % {"progress": format_pct(funds["progress"])}
        )
    change = funds["growth_cumulative"]
    if change is not None:
        change = Decimal(str(change))
        if change >= 0:
            parts.append(_("up %(growth)s year on year") % {"growth": format_pct(change)})
        else:
            parts.append(_("down %(growth)s year on year") % {"growth": format_pct(-change)})
    return pgettext("headline separator", ", ").join(parts)
