"""The bulletin's second half, 工业项目开发建设: completed investment (完成投资: verified
`investment` records of the year), the projects under construction and about to start, the
project library's new reserve projects, and the 包保 leaders' projects.

Definitions (each for the window: January of the year to the end of its month):
- completed investment: verified `investment` records whose month is in the window;
- under construction (已开工建设): projects not terminated, started by the end of the
  window and not completed by then; their investment is theirs of the year;
- 500万元以上重点工业项目: industrial projects of a contract amount of at least 500万 in
  the year's statistics (new or carried over, as the first half counts them);
- 拟开工: projects not terminated planned to start in the year (planned_start_year), with
  their planned investment of the year; "started" those of them started by the end;
- new reserve projects (新研发储备项目): reserve projects worked out in the window;
- 包保 projects: projects not terminated with a 包保 leader's account.

Every figure is one query over the year's records and the projects, whatever their number.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.sql.constants import LOUTER
from django.urls import reverse
from django.utils.http import urlencode
from django_cte import CTE, with_cte

from core.db import money_sum
from core.periods import format_period
from projects.choices import KEY_INDUSTRIAL_FLOOR_WAN, BlockerStatus, Category, Stage
from projects.models import Blocker, Project, ReserveProject
from targets.choices import Metric, OwnerKind
from targets.selectors import Window, drill_down_url, verified_investment
from teams.choices import UnitKind

ZERO = Decimal(0)


class InvestmentCube:
    """Each project's verified investment of the window (the year's and the month's),
    joined to every project (those without any count as 0), summed by responsible unit and
    team with the conditions the second half splits them by."""

    def __init__(self, window: Window) -> None:
        per_project = CTE(
            verified_investment(window)
            .values("project")
            .annotate(
                cumulative=Sum("amount_wan"),
                month=Sum("amount_wan", filter=Q(period=window.last_period)),
            )
            .order_by(),
            name="project_investment",
        )
        projects = with_cte(
            per_project,
            select=per_project.join(Project, id=per_project.col.project, _join_type=LOUTER),
        )
        cumulative, month = per_project.col.cumulative, per_project.col.month
        end = window.end
        live = ~Q(stage=Stage.TERMINATED)
        building = (
            live & Q(started_on__lte=end) & (Q(completed_on__isnull=True) | Q(completed_on__gt=end))
        )
        in_statistics = Q(started_on__gte=window.start, started_on__lte=end) | (
            Q(started_on__lt=window.start)
            & (Q(completed_on__isnull=True) | Q(completed_on__gte=window.start))
        )
        key_industrial = (
            live
            & in_statistics
            & Q(category=Category.INDUSTRIAL, contract_amount_wan__gte=KEY_INDUSTRIAL_FLOOR_WAN)
        )
        sums = {
            "cumulative": money_sum(cumulative),
            "month": money_sum(month),
            "industrial": money_sum(cumulative, Q(category=Category.INDUSTRIAL)),
            "key": money_sum(cumulative, Q(is_key=True)),
            "building": Count("pk", filter=building),
            "building_wan": money_sum(cumulative, building),
            "key_industrial": Count("pk", filter=key_industrial),
            "key_industrial_wan": money_sum(cumulative, key_industrial),
        }
        self.rows = list(projects.values("unit", "team").annotate(**sums).order_by())

    def total(self, column: str) -> Any:
        return sum((row[column] for row in self.rows), 0)

    def by(self, key: str, column: str) -> dict[Any, Any]:
        totals: dict[Any, Any] = {}
        for row in self.rows:
            totals[row[key]] = totals.get(row[key], 0) + row[column]
        return totals


def last_year_investment(window: Window) -> dict[str, Decimal]:
    """The county's verified investment of the same months a year before."""
    before = Window(window.year - 1, window.month)
    return verified_investment(before).aggregate(
        cumulative=money_sum("amount_wan"),
        month=money_sum("amount_wan", Q(period=before.last_period)),
    )


def planned_starts(window: Window) -> dict[str, Any]:
    """拟开工: the projects planned to start in the year, their planned investment."""
    values = (
        Project.objects.live()
        .filter(planned_start_year=window.year)
        .aggregate(
            count=Count("pk"),
            planned_investment_wan=money_sum("planned_investment_wan"),
            started=Count("pk", filter=Q(started_on__lte=window.end)),
        )
    )
    return values


def new_reserve_projects(window: Window) -> dict[str, Any]:
    """新研发储备项目: reserve projects worked out in the window, their total investment."""
    return ReserveProject.objects.filter(
        entered_on__gte=window.start, entered_on__lte=window.end
    ).aggregate(count=Count("pk"), total_investment_wan=money_sum("total_investment_wan"))


def sponsored_projects(window: Window, investment: dict[int, Decimal]) -> dict[str, Any]:
    """包保: per leader (account), the projects they are responsible for (not terminated),
    how many have started by the end of the window, their completed investment of the year
    (`investment`: each project's, by id) and open blockers; and the county's total."""
    projects = list(
        Project.objects.live()
        .filter(leader__isnull=False)
        .values("pk", "leader_id", "started_on", leader_full_name=F("leader__full_name"))
        .order_by()
    )
    blockers = dict(
        Blocker.objects.filter(status=BlockerStatus.OPEN, project__leader__isnull=False)
        .exclude(project__stage=Stage.TERMINATED)
        .values("project__leader")
        .annotate(n=Count("pk"))
        .values_list("project__leader", "n")
        .order_by()
    )
    rows: dict[int, dict[str, Any]] = {}
    for project in projects:
        row = rows.setdefault(
            project["leader_id"],
            {
                "leader_id": project["leader_id"],
                "leader": project["leader_full_name"],
                "projects": 0,
                "started": 0,
                "investment_wan": ZERO,
                "open_blockers": blockers.get(project["leader_id"], 0),
            },
        )
        row["projects"] += 1
        row["started"] += bool(project["started_on"] and project["started_on"] <= window.end)
        row["investment_wan"] += investment.get(project["pk"], ZERO)
    ordered = sorted(rows.values(), key=lambda row: (-row["investment_wan"], row["leader"]))
    return {
        "projects": len(projects),
        "leaders": len(rows),
        "started": sum(row["started"] for row in ordered),
        "investment_wan": sum((row["investment_wan"] for row in ordered), ZERO),
        "by_leader": ordered,
    }


def investment_by_project(window: Window) -> dict[int, Decimal]:
    """{project id: verified investment of the window} of the 包保 leaders' projects."""
    return dict(
        verified_investment(window)
        .filter(project__leader__isnull=False)
        .values("project")
        .annotate(total=Sum("amount_wan"))
        .values_list("project", "total")
        .order_by()
    )


# --- Drill-downs: the lists whose totals are the second half's figures -----------------------


def _projects_url(**params: Any) -> str:
    return f"{reverse('projects:project_list')}?{urlencode({'live': 'true', **params})}"


def _invested(window: Window) -> dict[str, str]:
    """The list then also totals its projects' completed investment of the window: the
    figure beside their count."""
    return {"investment_to": format_period(window.last_period)}


def _building_params(window: Window) -> dict[str, str]:
    """Under construction at the end of the window: started by then, not completed."""
    return {
        "started_before": window.end.isoformat(),
        "not_completed_before": (window.end + timedelta(days=1)).isoformat(),
    }


def construction_links(window: Window) -> dict[str, str | None]:
    """{row of the second half's totals: the list of the records it counts or sums}, with
    the lists' own filters (a reader's list shows what the reader may see)."""
    investment = Metric.INVESTMENT

    def ledger(**extra: Any) -> str | None:
        return drill_down_url(OwnerKind.COUNTY, None, investment, window, extra=extra)

    in_statistics = {
        "started_before": window.end.isoformat(),
        "not_completed_before": window.start.isoformat(),
    }
    return {
        "investment_month": drill_down_url(
            OwnerKind.COUNTY, None, investment, window, month_only=True
        ),
        "investment": ledger(),
        "investment_last_year": drill_down_url(
            OwnerKind.COUNTY, None, investment, Window(window.year - 1, window.month)
        ),
        "investment_industrial": ledger(category=Category.INDUSTRIAL),
        "investment_key": ledger(is_key="true"),
        "building": _projects_url(**_building_params(window), **_invested(window)),
        "building_in_parks": _projects_url(
            **_building_params(window), unit_kind=UnitKind.PARK, **_invested(window)
        ),
        "key_industrial": _projects_url(
            **in_statistics,
            category=Category.INDUSTRIAL,
            amount_min=KEY_INDUSTRIAL_FLOOR_WAN,
            **_invested(window),
        ),
        "planned_starts": _projects_url(planned_start_year=window.year),
        "new_reserve_projects": f"{reverse('projects:reserve_list')}?"
        + urlencode(
            {"entered_after": window.start.isoformat(), "entered_before": window.end.isoformat()}
        ),
        "sponsored": _projects_url(has_leader="true", **_invested(window)),
    }


def unit_construction_links(window: Window, unit_id: int) -> dict[str, str | None]:
    """A unit's row of the second half: its projects under construction, its investment."""
    return {
        "building": _projects_url(**_building_params(window), unit=unit_id, **_invested(window)),
        "investment": drill_down_url(OwnerKind.UNIT, unit_id, Metric.INVESTMENT, window),
    }
