"""The monthly bulletin (一月一通报, DOMAIN.md "Reports"): plain data built from the figures
of targets.selectors (funds, targets, per-unit progress), with small helpers for what
those do not cover (the month's own funds, origins, new vs carried-over projects, stages).

Every figure is computed in the database, with a fixed number of queries whatever the
number of units, projects or records.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_cte import CTE, with_cte

from core.db import money_sum, subquery_count, subquery_sum
from core.money import format_pct, format_yi
from core.periods import format_period
from events.selectors import signings_by_event
from projects.choices import (
    KEY_INDUSTRIAL_FLOOR_WAN,
    STAGE_ORDER,
    BlockerStatus,
    Category,
    FundsStatus,
    Origin,
    SizeClass,
    Stage,
)
from projects.models import Blocker, FundsRecord, Project
from reports.choices import RedReason, StallReason, label_of
from reports.figures import SCHEMA_VERSION, MonthlyBulletin
from supervision.choices import OrderLevel
from supervision.selectors import overdue_orders
from targets.choices import Metric, OwnerKind
from targets.selectors import (
    Window,
    default_owners,
    measure,
    owner_actuals,
    signed_in,
    target_values,
    verified_funds,
    verified_investment,
)
from teams.choices import UnitKind
from teams.models import Team

from .construction import (
    InvestmentCube,
    investment_by_project,
    last_year_investment,
    new_reserve_projects,
    planned_starts,
    sponsored_projects,
)

RATIO = Decimal("0.0001")
LIST_SIZE = 3  # units on the red list (黑榜) and the top list (红榜) of each group
ZERO = Decimal(0)
UNIT_GROUPS = (UnitKind.TOWNSHIP, UnitKind.PARK, UnitKind.DEPARTMENT)
ORIGINS = (Origin.OUT_OF_CITY, Origin.OUT_OF_PROVINCE, Origin.FOREIGN)
STAGES = [*STAGE_ORDER, Stage.TERMINATED]
# The responsible units whose projects a figure counts (ids, or a QuerySet of ids); None for
# the whole county.
Units = Iterable[int] | QuerySet | None


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
    return money_sum(field, condition)


# --- Helpers for figures no other selector gives ----------------------------------------------


def county_funds(year: int, month: int) -> dict[str, Decimal]:
    """The county's verified funds in place (the `funds` metric's records of
    targets.selectors) from January to the end of `month`, and in `month` alone, in one
    query: {"cumulative": ..., "month": ...}."""
    window = Window(year, month)
    return verified_funds(window).aggregate(
        cumulative=money_sum("amount_wan"),
        month=money_sum("amount_wan", Q(period=window.last_period)),
    )


class FundsCube:
    """The year's verified funds in place to the end of the month (the `funds` metric's
    records), read in one pass: each project's records are summed first (the year's and
    the month's), then the projects' sums by what the bulletin splits them by (`columns`:
    unit, team). Each row holds the funds of the year ("cumulative") and of the month
    ("month"), of each investor origin ("cumulative_foreign", "month_foreign", ...), and the
    year's funds of the projects in the year's statistics, not terminated ("new",
    "carried_over", and their industrial part: "new_industrial", ...).

    The county's, each unit's and team's funds, the origins and the statistics projects'
    funds are sums of its rows: at province scale each was a pass over a million records
    (bench/README.md, fixes 11 and 18). `units` keeps the projects of those responsible
    units only; `columns` () sums them all in one row."""

    COLUMNS = ("unit", "team")

    def __init__(
        self, window: Window, units: Units = None, columns: tuple[str, ...] = COLUMNS
    ) -> None:
        per_project = CTE(
            verified_funds(window)
            .values("project")
            .annotate(
                cumulative=Sum("amount_wan"),
                month=Sum("amount_wan", filter=Q(period=window.last_period)),
            )
            .order_by(),
            name="project_funds",
        )
        projects = with_cte(
            per_project, select=per_project.join(Project, id=per_project.col.project)
        )
        if units is not None:
            projects = projects.filter(unit__in=units)
        cumulative, month = per_project.col.cumulative, per_project.col.month
        sums = {"cumulative": money_sum(cumulative), "month": money_sum(month)}
        for origin in ORIGINS:
            sums[f"cumulative_{origin}"] = money_sum(cumulative, Q(investor_origin=origin))
            sums[f"month_{origin}"] = money_sum(month, Q(investor_origin=origin))
        kinds, industrial = _statistics_kinds(window, "")
        live = ~Q(stage=Stage.TERMINATED)
        for kind in ("new", "carried_over"):
            sums[kind] = money_sum(cumulative, live & kinds[kind])
            sums[f"{kind}_industrial"] = money_sum(cumulative, live & kinds[kind] & industrial)
        if columns:
            self.rows = list(projects.values(*columns).annotate(**sums).order_by())
        else:
            self.rows = [projects.aggregate(**sums)]

    def total(self, scope: str = "cumulative") -> Decimal:
        """All the funds of a scope (a column of the rows, see above)."""
        return sum((row[scope] for row in self.rows), ZERO)

    def by(self, column: str, scope: str = "cumulative") -> dict[Any, Decimal]:
        """{value of `column`: funds of `scope`}, in one pass over the rows."""
        totals: dict[Any, Decimal] = {}
        for row in self.rows:
            key = row[column]
            totals[key] = totals.get(key, ZERO) + row[scope]
        return totals


def funds_by_origin(cube: FundsCube) -> dict[str, dict[str, Decimal]]:
    """{"month"|"cumulative": {origin: funds, "domestic": 内资, "foreign_total": 外资}}."""
    result = {}
    for scope in ("month", "cumulative"):
        split = {origin: cube.total(f"{scope}_{origin}") for origin in ORIGINS}
        split["domestic"] = split[Origin.OUT_OF_CITY] + split[Origin.OUT_OF_PROVINCE]
        split["foreign_total"] = split[Origin.FOREIGN]
        result[scope] = split
    return result


def _statistics_kinds(window: Window, path: str) -> tuple[dict[str, Q], Q]:
    """New, carried-over and all projects of the year's statistics, and the industrial
    ones, as conditions on a project reached by `path` ("" or "project__")."""

    def on(**lookups: Any) -> Q:
        return Q(**{f"{path}{name}": value for name, value in lookups.items()})

    new = on(started_on__gte=window.start, started_on__lte=window.end)
    carried = on(started_on__lt=window.start) & (
        on(completed_on__isnull=True) | on(completed_on__gte=window.start)
    )
    kinds = {"all": new | carried, "new": new, "carried_over": carried}
    return kinds, on(category=Category.INDUSTRIAL)


def statistics_projects(window: Window, cube: FundsCube) -> dict[str, Any]:
    """Projects in the year's statistics (纳入统计项目): new (新开工, started in the year up
    to the end of the month) and carried-over (结转续建, started before the year and not
    completed before it); terminated projects are left out. Count, contract amount and
    verified funds in the year, for all, each kind, and the industrial ones among them."""
    kinds, industrial = _statistics_kinds(window, "")
    live = Project.objects.exclude(stage=Stage.TERMINATED)
    projects = live.aggregate(
        **{f"n_{k}": Count("pk", filter=c) for k, c in kinds.items()},
        **{f"a_{k}": _sum("contract_amount_wan", c) for k, c in kinds.items()},
        n_industrial=Count("pk", filter=kinds["all"] & industrial),
    )
    # the year's funds of the projects not terminated, new and carried over
    new, carried = cube.total("new"), cube.total("carried_over")
    funds = {
        "f_all": new + carried,
        "f_new": new,
        "f_carried_over": carried,
        "f_industrial": cube.total("new_industrial") + cube.total("carried_over_industrial"),
    }
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


def signed_over_100m(window: Window, units: Units = None) -> dict[str, Any]:
    """Projects of 亿元以上 signed in the year: count and contract amount (of the projects
    of `units` only, when given)."""
    projects = signed_in(window)
    if units is not None:
        projects = projects.filter(unit__in=units)
    values = projects.aggregate(
        count=Count("pk", filter=Q(size_class=SizeClass.HUNDRED_MILLION)),
        amount=_sum("contract_amount_wan", Q(size_class=SizeClass.HUNDRED_MILLION)),
    )
    return {"count": values["count"], "contract_amount_wan": values["amount"]}


def stages_per_unit(unit_ids: list[int] | None) -> dict[int, dict[str, int]]:
    """{unit id: {stage: projects}} as the projects stand now, of `unit_ids` (None: every
    unit with a project; ask with .get)."""
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(STAGES, 0) for pk in unit_ids or ()}
    projects = (
        Project.objects.all() if unit_ids is None else Project.objects.filter(unit__in=unit_ids)
    )
    per_stage = {stage: Count("pk", filter=Q(stage=stage)) for stage in STAGES}
    for row in projects.values("unit").annotate(**per_stage).order_by():
        counts[row.pop("unit")] = row
    return counts


# --- The bulletin ------------------------------------------------------------------------------


def rank_by(rows: list[dict], key: str) -> None:
    """Set each row's "rank" within `rows` by `key`, highest first (ties share a rank);
    a row without a value has no rank."""
    values = sorted(row[key] for row in rows if row[key] is not None)
    for row in rows:
        # one more than the number of values above this one
        above = len(values) - bisect_right(values, row[key]) if row[key] is not None else None
        row["rank"] = None if above is None else above + 1


def unit_sections(
    year: int,
    month: int,
    cube: FundsCube | None = None,
    investment: InvestmentCube | None = None,
) -> list[dict[str, Any]]:
    """Section 2: per unit, grouped by kind (townships, parks, departments): verified funds
    against the funds target (the targets pages' progress of the `funds` metric), rank in
    the group, blank (no project signed in the year) and the projects by stage; and the
    second half's completed investment against its target, the projects under
    construction and their investment."""
    window = Window(year, month)
    cube = cube or FundsCube(window, columns=("unit",))
    investment = investment or InvestmentCube(window)
    invested = investment.by("unit", "cumulative")
    building = investment.by("unit", "building")
    building_wan = investment.by("unit", "building_wan")
    units = list(default_owners(OwnerKind.UNIT).values("pk", "code", "name", "kind"))
    # every unit's figures, read by id (no list of 2 000 ids sent with each query)
    funds = cube.by("unit")
    targets = target_values(OwnerKind.UNIT, None, year, metrics=[Metric.FUNDS, Metric.INVESTMENT])
    signed = owner_actuals(OwnerKind.UNIT, None, window, [Metric.PROJECTS_SIGNED])
    stages = stages_per_unit(None)
    groups = []
    for kind in UNIT_GROUPS:
        rows = []
        for unit in units:
            if unit["kind"] != kind:
                continue
            actual = funds.get(unit["pk"], ZERO)
            target = targets.get((unit["pk"], Metric.FUNDS))
            invested_wan = invested.get(unit["pk"], ZERO)
            investment_target = targets.get((unit["pk"], Metric.INVESTMENT))
            rows.append(
                {
                    "unit_id": unit["pk"],
                    "code": unit["code"],
                    "name": unit["name"],
                    "funds_wan": actual,
                    "target_wan": target,
                    "progress": ratio(actual, target),
                    "time_progress": ratio(month, 12),
                    "behind": measure(Metric.FUNDS, target, actual, window).behind,
                    "blank": not signed.get(unit["pk"], {}).get(Metric.PROJECTS_SIGNED),
                    "stages": stages.get(unit["pk"], dict.fromkeys(STAGES, 0)),
                    "investment_wan": invested_wan,
                    "investment_target_wan": investment_target,
                    "investment_progress": ratio(invested_wan, investment_target),
                    "investment_behind": measure(
                        Metric.INVESTMENT, investment_target, invested_wan, window
                    ).behind,
                    "building": building.get(unit["pk"], 0),
                    "building_investment_wan": building_wan.get(unit["pk"], ZERO),
                }
            )
        rank_by(rows, "progress")  # by % of target
        funds_total = sum((r["funds_wan"] for r in rows), ZERO)
        target_total = sum((r["target_wan"] or ZERO for r in rows), ZERO)
        invested_total = sum((r["investment_wan"] for r in rows), ZERO)
        investment_target_total = sum((r["investment_target_wan"] or ZERO for r in rows), ZERO)
        groups.append(
            {
                "kind": str(kind),
                "units": rows,
                "subtotal": {
                    "funds_wan": funds_total,
                    "target_wan": target_total,
                    "progress": ratio(funds_total, target_total),
                    "investment_wan": invested_total,
                    "investment_target_wan": investment_target_total,
                    "investment_progress": ratio(invested_total, investment_target_total),
                    "building": sum(r["building"] for r in rows),
                    "building_investment_wan": sum(
                        (r["building_investment_wan"] for r in rows), ZERO
                    ),
                },
            }
        )
    return groups


LARGEST_FIRST = {True: ("-contract_amount_wan",), False: ()}


def key_projects(
    window: Window, units: Units = None, largest: int | None = None
) -> list[dict[str, Any]]:
    """Section 3: the key projects (重点项目) not terminated, with their verified funds to
    the end of the month (all years), their responsible leader (包保领导) and their open
    blockers; `units` keeps those of these responsible units only; `largest` keeps that
    many, the largest contract amounts first."""
    funds_to_date = (
        FundsRecord.objects.counted()
        .funds()
        .filter(project=OuterRef("pk"), period__lte=window.last_period)
    )
    open_blockers = Blocker.objects.filter(project=OuterRef("pk"), status=BlockerStatus.OPEN)
    invested = verified_investment(window).filter(project=OuterRef("pk"))
    projects = Project.objects.live().filter(is_key=True)
    if units is not None:
        projects = projects.filter(unit__in=units)
    rows = projects.order_by(
        *LARGEST_FIRST[bool(largest)], "unit__sort_order", "unit__code", "code"
    ).values(
        "code",
        "name",
        "stage",
        "contract_amount_wan",
        "leader_name",
        project_id=F("pk"),
        unit_name=F("unit__name"),
        funds_to_date_wan=subquery_sum(funds_to_date, "amount_wan"),
        investment_wan=subquery_sum(invested, "amount_wan"),
        open_blockers=subquery_count(open_blockers),
    )
    if largest:
        rows = rows[:largest]
    rows = list(rows)
    for row in rows:
        row["unit"] = row.pop("unit_name")  # (a field's name cannot be given to a value)
    return rows


def team_section(
    window: Window, cube: FundsCube, investment: InvestmentCube | None = None
) -> list[dict[str, Any]]:
    """Section 4: per team, leads, trips, projects signed, verified funds and completed
    investment in the year to the end of the month (the team actuals of targets.selectors)."""
    invested = (investment or InvestmentCube(window)).by("team", "cumulative")
    actuals = owner_actuals(
        OwnerKind.TEAM, None, window, [Metric.LEADS, Metric.TRIPS, Metric.PROJECTS_SIGNED]
    )
    funds = cube.by("team")
    rows = []
    for team in Team.objects.order_by("kind", "name").values("pk", "name", "kind"):
        figures = actuals.get(team["pk"], {})
        rows.append(
            {
                "team_id": team["pk"],
                "name": team["name"],
                "kind": team["kind"],
                "leads": int(figures.get(Metric.LEADS, 0)),
                "trips": int(figures.get(Metric.TRIPS, 0)),
                "projects_signed": int(figures.get(Metric.PROJECTS_SIGNED, 0)),
                "funds_wan": funds.get(team["pk"], ZERO),
                "investment_wan": invested.get(team["pk"], ZERO),
            }
        )
    return rows


def _unit_ref(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"unit_id": row["unit_id"], "code": row["code"], "name": row["name"]}


def red_reasons(
    row: Mapping[str, Any],
    stalled: Mapping[int, int],
    overdue: Mapping[int, int],
    orders: Mapping[int, int],
) -> list[dict[str, Any]]:
    """Why a unit may be on the red list (黑榜), each reason with its size: no project
    signed in the year, behind 序时 (by how much), stalled projects, overdue blockers,
    overdue supervision orders. A unit with none of them is never on it."""
    why: list[dict[str, Any]] = []
    if row["blank"]:
        why.append({"reason": RedReason.BLANK})
    if row["behind"]:
        gap = Decimal(str(row["time_progress"])) - Decimal(str(row["progress"] or 0))
        why.append({"reason": RedReason.BEHIND, "by": gap.quantize(RATIO)})
    if stalled.get(row["unit_id"]):
        why.append({"reason": RedReason.STALLED, "count": stalled[row["unit_id"]]})
    if overdue.get(row["unit_id"]):
        why.append({"reason": RedReason.OVERDUE_BLOCKERS, "count": overdue[row["unit_id"]]})
    if orders.get(row["unit_id"]):
        why.append({"reason": RedReason.OVERDUE_ORDERS, "count": orders[row["unit_id"]]})
    return why


def red_reason_text(reason: Mapping[str, Any]) -> str:
    """A red-list reason as the bulletin prints it (built or stored figures)."""
    size = {"by": format_pct(reason.get("by")), "count": reason.get("count")}
    return label_of(RedReason, reason["reason"]) % size


def flagged_records(window: Window) -> QuerySet[FundsRecord]:
    """The funds records flagged on entry in the year to the window's month (returned
    records left out): the bulletin's warnings list them, the assessment deducts them."""
    return (
        FundsRecord.objects.filter(
            flagged=True, period__gte=window.start, period__lte=window.last_period
        )
        .exclude(status=FundsStatus.REJECTED)
        .order_by("period", "pk")
    )


def warnings(window: Window, unit_groups: list[dict[str, Any]]) -> dict[str, Any]:
    """Section 5: blank units, units behind, stalled projects, overdue blockers and overdue
    supervision orders as of the end of the month, figures flagged on entry in the year;
    the red list (黑榜: the last three of each group by % of target) and the top list (红榜:
    the first three of each group without a red flag)."""
    end = window.end
    stalled = list(
        Project.objects.stalled(end)
        .order_by("unit__sort_order", "unit__code", "code")
        .values(
            "pk",
            "code",
            "name",
            "unit_id",
            "unit__name",
            "stalled_negotiation",
            "stalled_start",
            "stalled_key",
        )
    )
    overdue = list(
        Blocker.objects.overdue(end)
        .order_by("due_on", "pk")
        .values(
            "pk",
            "project__code",
            "project__name",
            "project__unit_id",
            "project__unit__name",
            "category",
            "description",
            "owner_unit__name",
            "due_on",
        )
    )
    flagged = flagged_records(window).values(
        "pk",
        "project__code",
        "project__name",
        "project__unit__name",
        "period",
        "kind",
        "amount_wan",
        "status",
        "flag_reasons",
    )
    orders = list(
        overdue_orders(until=end).values(
            "pk",
            "unit_id",
            "unit__name",
            "subject_kind",
            "project__name",
            "blocker__project__name",
            "matter",
            "due_on",
            "red_then",
        )
    )
    units = [row for group in unit_groups for row in group["units"]]
    stalled_per_unit = Counter(row["unit_id"] for row in stalled)
    overdue_per_unit = Counter(row["project__unit_id"] for row in overdue)
    orders_per_unit = Counter(row["unit_id"] for row in orders)
    reasons = {
        row["unit_id"]: red_reasons(row, stalled_per_unit, overdue_per_unit, orders_per_unit)
        for row in units
    }
    red_flagged = {unit_id for unit_id, why in reasons.items() if why}
    red_list, top_list = [], []
    for group in unit_groups:
        ranked = [row for row in group["units"] if row["progress"] is not None]
        by_progress = sorted(ranked, key=lambda row: (row["progress"], row["code"]))
        # 黑榜: the last three of the group among units with a red flag, so a unit on
        # pace is never blacklisted, and no unit is on both lists.
        worst = [row for row in by_progress if row["unit_id"] in red_flagged]
        for row in worst[:LIST_SIZE]:
            red_list.append(
                {
                    **_unit_ref(row),
                    "kind": group["kind"],
                    "progress": row["progress"],
                    "reasons": reasons[row["unit_id"]],
                }
            )
        best = [row for row in reversed(by_progress) if row["unit_id"] not in red_flagged]
        for row in best[:LIST_SIZE]:
            top_list.append({**_unit_ref(row), "kind": group["kind"], "progress": row["progress"]})
    return {
        "blank_units": [_unit_ref(row) for row in units if row["blank"]],
        "behind_units": [
            {**_unit_ref(row), "progress": row["progress"], "time_progress": row["time_progress"]}
            for row in units
            if row["behind"]
        ],
        "stalled_projects": [
            {
                "project_id": row["pk"],
                "code": row["code"],
                "name": row["name"],
                "unit": row["unit__name"],
                "why": [reason for reason in StallReason.values if row[f"stalled_{reason}"]],
            }
            for row in stalled
        ],
        "overdue_blockers": [
            {
                "blocker_id": row["pk"],
                "project_code": row["project__code"],
                "project_name": row["project__name"],
                "unit": row["project__unit__name"],
                "category": row["category"],
                "description": row["description"],
                "owner_unit": row["owner_unit__name"],
                "due_on": row["due_on"],
            }
            for row in overdue
        ],
        "overdue_orders": [_overdue_order(row) for row in orders],
        "flagged_figures": [
            {
                "record_id": row["pk"],
                "project_code": row["project__code"],
                "project_name": row["project__name"],
                "unit": row["project__unit__name"],
                "period": format_period(row["period"]),
                "kind": row["kind"],
                "amount_wan": row["amount_wan"],
                "status": row["status"],
                "reasons": row["flag_reasons"],
            }
            for row in flagged
        ],
        "red_list": red_list,
        "top_list": top_list,
    }


def _overdue_order(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "order_id": row["pk"],
        "unit_id": row["unit_id"],
        "unit": row["unit__name"],
        "subject_kind": row["subject_kind"],
        "project": row["project__name"] or row["blocker__project__name"] or "",
        "matter": row["matter"],
        "due_on": row["due_on"],
        "level": OrderLevel.RED if row["red_then"] else OrderLevel.YELLOW,
    }


def monthly_bulletin(
    year: int, month: int, progress: Callable[[int], None] | None = None
) -> MonthlyBulletin:
    """The monthly bulletin for `month` of `year`: totals, units, key projects, teams and
    warnings (DOMAIN.md "Reports", sections 1 to 5). `progress` hears how far it got (0–100)."""
    step = progress or (lambda percent: None)
    window = Window(year, month)
    cube = FundsCube(window)
    county = owner_actuals(
        OwnerKind.COUNTY, None, window, [Metric.PROJECTS_SIGNED, Metric.CONTRACT_AMOUNT]
    )[None]
    target = target_values(OwnerKind.COUNTY, None, year, [Metric.FUNDS]).get((None, Metric.FUNDS))
    target = target or None
    cumulative, this_month = cube.total(), cube.total("month")
    last_year_funds = county_funds(year - 1, month)
    last_year, last_year_month = last_year_funds["cumulative"], last_year_funds["month"]
    signed_100m = signed_over_100m(window)
    signed_100m_last_year = signed_over_100m(Window(year - 1, month))
    investment = InvestmentCube(window)
    step(20)
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
        "origins": funds_by_origin(cube),
        "statistics_projects": statistics_projects(window, cube),
        "signed": {
            "count": int(county[Metric.PROJECTS_SIGNED]),
            "contract_amount_wan": county[Metric.CONTRACT_AMOUNT],
            "over_100m_count": signed_100m["count"],
            "over_100m_contract_amount_wan": signed_100m["contract_amount_wan"],
            "over_100m_last_year_count": signed_100m_last_year["count"],
            "over_100m_last_year_contract_amount_wan": signed_100m_last_year["contract_amount_wan"],
            "over_100m_growth": growth(
                signed_100m["contract_amount_wan"], signed_100m_last_year["contract_amount_wan"]
            ),
        },
        "unit_groups": _step(step, 60, unit_sections, year, month, cube, investment),
        "key_projects": key_projects(window),
        "teams": _step(step, 80, team_section, window, cube, investment),
    }
    figures["construction"] = construction_section(window, investment, figures["unit_groups"])
    figures["events"] = event_rows(window)
    figures["warnings"] = warnings(window, figures["unit_groups"])
    figures["headline"] = headline(figures)
    figures["construction_headline"] = construction_headline(figures)
    figures["schema_version"] = SCHEMA_VERSION
    step(100)
    return MonthlyBulletin.from_built(figures)


def event_rows(window: Window) -> list[dict[str, Any]]:
    """The year's events up to the month's end with their first signings, each unit's
    against its quota (events.selectors.signings_by_event: a re-signing counts nothing)."""
    return [
        {
            "event_id": event.event_id,
            "name": event.name,
            "kind": event.kind,
            "start_on": event.start_on,
            "end_on": event.end_on,
            "first_signings": event.first_signings,
            "contract_amount_wan": event.contract_amount_wan,
            "re_signings": event.re_signings,
            "units": [
                {
                    "unit_id": unit.unit_id,
                    "name": unit.unit_name,
                    "kind": unit.unit_kind,
                    "quota": unit.quota,
                    "first_signings": unit.first_signings,
                    "contract_amount_wan": unit.contract_amount_wan,
                }
                for unit in event.units
            ],
        }
        for event in signings_by_event(year=window.year, until=window.end)
    ]


def construction_section(
    window: Window, investment: InvestmentCube, unit_groups: list[dict[str, Any]]
) -> dict[str, Any]:
    """The second half (reports.selectors.construction): completed investment against the
    county's target and a year before, the projects under construction (and those in
    parks), the 500万元以上 key industrial projects, 拟开工, new reserve projects, 包保."""
    cumulative, month = investment.total("cumulative"), investment.total("month")
    last_year = last_year_investment(window)
    target = target_values(OwnerKind.COUNTY, None, window.year, [Metric.INVESTMENT]).get(
        (None, Metric.INVESTMENT)
    )
    target = target or None
    parks = {
        row["unit_id"]
        for group in unit_groups
        if group["kind"] == UnitKind.PARK
        for row in group["units"]
    }
    building, building_wan = investment.total("building"), investment.total("building_wan")
    parks_count = sum(n for unit, n in investment.by("unit", "building").items() if unit in parks)
    parks_wan = sum(
        (wan for unit, wan in investment.by("unit", "building_wan").items() if unit in parks),
        ZERO,
    )
    return construction_figures(
        month=month,
        cumulative=cumulative,
        target=target,
        last_year=last_year,
        industrial=investment.total("industrial"),
        key=investment.total("key"),
        building=(building, building_wan),
        in_parks=(parks_count, parks_wan),
        key_industrial=(investment.total("key_industrial"), investment.total("key_industrial_wan")),
        planned=planned_starts(window),
        reserve=new_reserve_projects(window),
        sponsored=sponsored_projects(window, investment_by_project(window)),
    )


def construction_figures(
    *,
    month: Decimal,
    cumulative: Decimal,
    target: Decimal | None,
    last_year: Mapping[str, Decimal],
    industrial: Decimal,
    key: Decimal,
    building: tuple[int, Decimal],
    in_parks: tuple[int, Decimal],
    key_industrial: tuple[int, Decimal],
    planned: dict[str, Any],
    reserve: dict[str, Any],
    sponsored: dict[str, Any],
) -> dict[str, Any]:
    """The second half's figures from its sums (counts with their investment as pairs):
    the shares and year-on-year growth worked out, in the bulletin's shape."""
    (building_count, building_wan), (parks_count, parks_wan) = building, in_parks
    return {
        "investment": {
            "month_wan": month,
            "cumulative_wan": cumulative,
            "target_wan": target,
            "progress": ratio(cumulative, target),
            "last_year_month_wan": last_year["month"],
            "last_year_cumulative_wan": last_year["cumulative"],
            "growth_month": growth(month, last_year["month"]),
            "growth_cumulative": growth(cumulative, last_year["cumulative"]),
            "industrial_wan": industrial,
            "key_projects_wan": key,
        },
        "under_construction": {
            "count": building_count,
            "investment_wan": building_wan,
            "in_parks_count": parks_count,
            "in_parks_investment_wan": parks_wan,
            "in_parks_count_share": ratio(parks_count, building_count),
            "in_parks_investment_share": ratio(parks_wan, building_wan),
        },
        "key_industrial": {
            "floor_wan": Decimal(KEY_INDUSTRIAL_FLOOR_WAN),
            "count": key_industrial[0],
            "investment_wan": key_industrial[1],
        },
        "planned_starts": planned,
        "new_reserve_projects": reserve,
        "sponsored": sponsored,
    }


def _step(step: Callable[[int], None], percent: int, section: Callable, *args: Any) -> Any:
    """A section's figures, then `percent` told to the build's progress."""
    figures = section(*args)
    step(percent)
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


def construction_headline(figures: Mapping[str, Any]) -> list[str]:
    """The second half's headline sentences, in 亿元 with one decimal, e.g. (zh-hans)
    "1-4月份全县完成投资49.2亿元", "已开工建设项目184个，完成投资…", "拟开工项目62个，年度计划投资
    43.5亿元", "64个包保项目由33位领导分别推进，26个已开工，完成投资38.6亿元". Works on the
    built figures and on a stored snapshot."""
    built = figures.get("construction")
    if not built:
        return []  # a snapshot from before the second half
    month = int(figures["month"])
    span = (
        _("Month %(month)d") % {"month": month}
        if month == 1
        else _("Months 1 to %(month)d") % {"month": month}
    )
    invested = built["investment"]
    first = [
        _("%(span)s, completed investment across the county %(amount)s hundred million yuan")
        % {"span": span, "amount": format_yi(invested["cumulative_wan"])}
    ]
    if invested["progress"] is not None:
        first.append(
            _("%(progress)s of the annual target") % {"progress": format_pct(invested["progress"])}
        )
    change = invested["growth_cumulative"]
    if change is not None:
        change = Decimal(str(change))
        if change >= 0:
            first.append(_("up %(growth)s year on year") % {"growth": format_pct(change)})
        else:
            first.append(_("down %(growth)s year on year") % {"growth": format_pct(-change)})
    building, key_industrial = built["under_construction"], built["key_industrial"]
    planned, reserve = built["planned_starts"], built["new_reserve_projects"]
    sponsored = built["sponsored"]
    separator = pgettext("headline separator", ", ")
    return [
        separator.join(first),
        _(
            "%(count)s projects under construction, completed investment %(amount)s hundred "
            "million yuan, %(parks)s of them in parks"
        )
        % {
            "count": building["count"],
            "amount": format_yi(building["investment_wan"]),
            "parks": building["in_parks_count"],
        },
        _(
            "%(count)s key industrial projects of 5 million yuan or more, completed investment "
            "%(amount)s hundred million yuan"
        )
        % {"count": key_industrial["count"], "amount": format_yi(key_industrial["investment_wan"])},
        _(
            "%(count)s projects to start, planned investment of the year %(amount)s hundred "
            "million yuan"
        )
        % {"count": planned["count"], "amount": format_yi(planned["planned_investment_wan"])},
        _("%(count)s new reserve projects, total investment %(amount)s hundred million yuan")
        % {"count": reserve["count"], "amount": format_yi(reserve["total_investment_wan"])},
        _(
            "%(projects)s projects sponsored by %(leaders)s leaders, %(started)s started, "
            "completed investment %(amount)s hundred million yuan"
        )
        % {
            "projects": sponsored["projects"],
            "leaders": sponsored["leaders"],
            "started": sponsored["started"],
            "amount": format_yi(sponsored["investment_wan"]),
        },
    ]
