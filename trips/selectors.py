"""Reads and figures of trips and teams: where a trip's report stands, trips against
quotas, and each team's month. Pages (and the API) only format what these return.

Every figure is computed in the database: one query per kind of owner, whatever the
number of trips, units or teams.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Rank
from django.utils import timezone

from core.access import is_bureau, sees_everything
from core.db import subquery_count, subquery_sum
from core.periods import quarter_of
from core.policy import Action, may
from core.roles import Role
from projects.choices import Stage
from projects.models import FundsRecord, Lead, Project
from teams.choices import TeamKind, UnitKind
from teams.models import Team, Unit, User
from trips.choices import QuotaScope, QuotaStatus, TripStatus
from trips.models import DEFAULT_QUOTAS, REPORT_DUE_DAYS, Trip, TripQuota, TripVisit

# --- Trips -----------------------------------------------------------------------------------


def trip_status(trip: Trip, today: date | None = None) -> str:
    """The trip's TripStatus: `plan` while it has not ended (it ends today or later);
    `reported` once its results are filled; otherwise `awaiting` results for
    REPORT_DUE_DAYS days after its end, and `overdue` from then on (end_on < today − 7
    days). TripQuerySet.with_status annotates the same rule in the database."""
    today = today or timezone.localdate()
    if trip.end_on >= today:
        return TripStatus.PLAN
    if trip.summary.strip():
        return TripStatus.REPORTED
    if trip.end_on < today - timedelta(days=REPORT_DUE_DAYS):
        return TripStatus.OVERDUE
    return TripStatus.AWAITING


def trip_list(user: Any, today: date | None = None) -> QuerySet:
    """The trips a user may see, with their status and how many visits and leads each has."""
    today = today or timezone.localdate()
    return (
        Trip.objects.visible_to(user)
        .with_status(today)
        .select_related("unit", "team")
        .annotate(
            visit_count=subquery_count(TripVisit.objects.filter(trip=OuterRef("pk"))),
            lead_count=subquery_count(Trip.leads.through.objects.filter(trip=OuterRef("pk"))),
        )
    )


def participant_choices(user: Any, trip: Trip | None = None) -> QuerySet:
    """The accounts a user may name as a trip's leader or participants: the bureau any;
    others their own unit's, their teams' members and the county leaders (plus whoever
    the trip already names)."""
    accounts = User.objects.filter(is_active=True)
    if not is_bureau(user):
        condition = Q(unit=user.unit_id) | Q(role=Role.LEADER)
        condition |= Q(pk__in=User.objects.filter(teams__members=user).values("pk"))
        accounts = accounts.filter(condition)
    if trip is not None and trip.pk:
        named = Q(pk__in=trip.participants.values("pk"))
        if trip.led_by_id:
            named |= Q(pk=trip.led_by_id)
        accounts = User.objects.filter(Q(pk__in=accounts.values("pk")) | named)
    return accounts.select_related("unit").order_by("unit__sort_order", "full_name", "username")


def may_report_for_team(user: Any, team: Team | None) -> bool:
    """May the user report a trip (or change one) in the name of this team? The bureau for
    any team; otherwise only a member of the team (Team.members) who may report trips.
    Officers of a member unit who are not members read the team's trips but do not report
    for it."""
    if team is None or not may(user, Action.TRIP_REPORT):
        return False
    if is_bureau(user):
        return True
    return team.members.filter(pk=user.pk).exists()


def reportable_teams(user: Any, trip: Trip | None = None) -> QuerySet:
    """The teams a user may report a trip for (may_report_for_team)."""
    teams = Team.objects.filter(is_active=True)
    if not is_bureau(user):
        teams = teams.filter(members=user)
    if trip is not None and trip.team_id:
        teams = Team.objects.filter(Q(pk__in=teams.values("pk")) | Q(pk=trip.team_id))
    return teams.order_by("kind", "name")


# --- Quotas ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    per_year: int
    per_quarter: int


def quotas_for(year: int) -> dict[str, Quota | None]:
    """Each scope's quota for the year: the one the bureau set, else DEFAULT_QUOTAS, else
    none (parks and teams have no default)."""
    chosen = {
        q.scope: Quota(q.per_year, q.per_quarter) for q in TripQuota.objects.filter(year=year)
    }
    quotas: dict[str, Quota | None] = {}
    for scope in QuotaScope.values:
        default = DEFAULT_QUOTAS.get(scope)
        quotas[scope] = chosen.get(scope) or (Quota(*default) if default else None)
    return quotas


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return (
        date(year, first_month, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def quarters_ended(year: int, today: date) -> int:
    """How many quarters of `year` are over by `today`."""
    if today.year > year:
        return 4
    if today.year < year:
        return 0
    return quarter_of(today) - 1


SEVERITY = {QuotaStatus.BEHIND: 3, QuotaStatus.ON_TRACK: 2, QuotaStatus.MET: 1}


def judge_year(count: int, quota: Quota | None, ended: int) -> str:
    if quota is None:
        return QuotaStatus.NO_QUOTA
    if count >= quota.per_year:
        return QuotaStatus.MET
    # Behind when count / quota < quarters ended / 4 (the quota's 序时进度).
    if count * 4 < quota.per_year * ended:
        return QuotaStatus.BEHIND
    return QuotaStatus.ON_TRACK


def judge_quarter(count: int, quota: Quota | None, closed: bool) -> str:
    if quota is None or not quota.per_quarter:
        return QuotaStatus.NO_QUOTA
    if count >= quota.per_quarter:
        return QuotaStatus.MET
    return QuotaStatus.BEHIND if closed else QuotaStatus.ON_TRACK


@dataclass
class QuotaRow:
    owner: Any  # a User (leader), a Unit or a Team
    scope: str
    filter_key: str  # the trips list's filter that gives the trips behind the counts
    year_count: int
    quarter_count: int
    planned: int  # trips of the year that have not started yet (not counted)
    quota: Quota | None
    year_status: str
    quarter_status: str

    @property
    def status(self) -> str:
        """The worse of the year's and the quarter's status."""
        judged = [s for s in (self.year_status, self.quarter_status) if s in SEVERITY]
        if not judged:
            return QuotaStatus.NO_QUOTA
        return max(judged, key=SEVERITY.__getitem__)


@dataclass
class QuotaGroup:
    scope: str
    label: str
    quota: Quota | None
    rows: list[QuotaRow] = field(default_factory=list)


@dataclass
class QuotaTable:
    year: int
    quarter: int
    year_start: date
    quarter_start: date
    quarter_end: date
    counted_until: date  # trips starting after this day are plans, not counted yet
    quarter_closed: bool
    quarters_ended: int
    groups: list[QuotaGroup]


def _trip_counts(trips: QuerySet, table: QuotaTable) -> dict[str, Any]:
    year_end = date(table.year, 12, 31)
    return {
        "year_count": subquery_count(
            trips.filter(start_on__gte=table.year_start, start_on__lte=table.counted_until)
        ),
        "quarter_count": subquery_count(
            trips.filter(
                start_on__gte=table.quarter_start,
                start_on__lte=min(table.quarter_end, table.counted_until),
            )
        ),
        "planned": subquery_count(
            trips.filter(
                start_on__gt=table.counted_until,
                start_on__gte=table.year_start,
                start_on__lte=year_end,
            )
        ),
    }


# In the bulletin's order: townships, parks, departments.
UNIT_SCOPES = [
    (UnitKind.TOWNSHIP, QuotaScope.TOWNSHIP),
    (UnitKind.PARK, QuotaScope.PARK),
    (UnitKind.DEPARTMENT, QuotaScope.DEPARTMENT),
]


def quota_table(year: int, quarter: int, today: date | None = None) -> QuotaTable:
    """Trips against quota for the year and for one of its quarters, per county leader
    (the trips they led or joined, each once), per unit of each kind (the unit's trips)
    and per team (the team's trips).

    A trip counts once, in the year and the quarter its first day falls in, and only once
    it has started (start_on ≤ today): later trips are shown as planned. Quotas are the
    bureau's for the year (TripQuota) or DEFAULT_QUOTAS. Statuses:
    - the year: met when count ≥ the yearly quota; behind when count / quota is below the
      quarters of the year already over / 4; on track otherwise;
    - the quarter (when the scope has a quarterly minimum): met when count ≥ the minimum;
      behind when the quarter is over without it; on track while it lasts.
    One query per kind of owner, plus one for the quotas."""
    today = today or timezone.localdate()
    quarter_start, quarter_end = quarter_bounds(year, quarter)
    table = QuotaTable(
        year=year,
        quarter=quarter,
        year_start=date(year, 1, 1),
        quarter_start=quarter_start,
        quarter_end=quarter_end,
        counted_until=min(today, date(year, 12, 31)),
        quarter_closed=quarter_end < today,
        quarters_ended=quarters_ended(year, today),
        groups=[],
    )
    quotas = quotas_for(year)

    def row(owner: Any, scope: str, filter_key: str) -> QuotaRow:
        quota = quotas[scope]
        return QuotaRow(
            owner=owner,
            scope=scope,
            filter_key=filter_key,
            year_count=owner.year_count,
            quarter_count=owner.quarter_count,
            planned=owner.planned,
            quota=quota,
            year_status=judge_year(owner.year_count, quota, table.quarters_ended),
            quarter_status=judge_quarter(owner.quarter_count, quota, table.quarter_closed),
        )

    led_or_joined = Trip.objects.filter(Q(led_by=OuterRef("pk")) | Q(participants=OuterRef("pk")))
    leaders = (
        User.objects.filter(role=Role.LEADER, is_active=True)
        .annotate(**_trip_counts(led_or_joined, table))
        .order_by("full_name", "username")
    )
    table.groups.append(
        QuotaGroup(
            QuotaScope.LEADER,
            QuotaScope.LEADER.label,
            quotas[QuotaScope.LEADER],
            [row(leader, QuotaScope.LEADER, "person") for leader in leaders],
        )
    )

    unit_groups = {
        kind: QuotaGroup(scope, scope.label, quotas[scope]) for kind, scope in UNIT_SCOPES
    }
    units = (
        Unit.objects.active()
        .filter(kind__in=list(unit_groups))
        .annotate(**_trip_counts(Trip.objects.filter(unit=OuterRef("pk")), table))
        .order_by("sort_order", "code")
    )
    for unit in units:
        group = unit_groups[unit.kind]
        group.rows.append(row(unit, group.scope, "unit"))
    table.groups.extend(unit_groups.values())

    teams = (
        Team.objects.filter(is_active=True)
        .annotate(**_trip_counts(Trip.objects.filter(team=OuterRef("pk")), table))
        .order_by("kind", "name")
    )
    table.groups.append(
        QuotaGroup(
            QuotaScope.TEAM,
            QuotaScope.TEAM.label,
            quotas[QuotaScope.TEAM],
            [row(team, QuotaScope.TEAM, "team") for team in teams],
        )
    )
    return table


def quota_link_rule(user: Any) -> Callable[[QuotaRow], bool]:
    """Which counts link to the trips behind them for this user: all for those who see
    everything; otherwise their own, their unit's and their teams' (the trips list would
    show them nothing else). Two queries, whatever the rows."""
    if sees_everything(user):
        return lambda row: True
    teams = set(
        Team.objects.filter(Q(members=user) | Q(member_units=user.unit_id)).values_list(
            "pk", flat=True
        )
    )
    mine = {"person": {user.pk}, "unit": {user.unit_id}, "team": teams}
    return lambda row: row.owner.pk in mine[row.filter_key]


# --- Team performance ------------------------------------------------------------------------


@dataclass
class TeamMonth:
    team: Team
    leads: int
    visits: int
    projects_signed: int
    funds_wan: Decimal
    trips: int
    rank: int


@dataclass
class TeamKindGroup:
    kind: str
    label: str
    rows: list[TeamMonth]


def team_performance(year: int, month: int) -> list[TeamKindGroup]:
    """Each active team's month, grouped and ranked by kind (resident teams, industry
    groups):
    - leads: the team's leads received in the month;
    - visits: companies visited on the team's trips that started in the month;
    - projects signed: the team's projects with `signed_on` in the month, not terminated;
    - funds: verified funds in place (corrections included) of the team's projects for
      the month (period = the month), in 万元;
    - trips: the team's trips that started in the month.

    Ranking rule: within teams of the same kind, by funds in place (most first), then by
    projects signed; teams equal on both share a rank and the next rank is skipped
    (1, 1, 3). One query."""
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    team = OuterRef("pk")
    teams = (
        Team.objects.filter(is_active=True)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=end))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=start))
        .annotate(
            leads_found=subquery_count(
                Lead.objects.filter(team=team, received_on__gte=start, received_on__lte=end)
            ),
            visit_count=subquery_count(
                TripVisit.objects.filter(
                    trip__team=team, trip__start_on__gte=start, trip__start_on__lte=end
                )
            ),
            signed_count=subquery_count(
                Project.objects.exclude(stage=Stage.TERMINATED).filter(
                    team=team, signed_on__gte=start, signed_on__lte=end
                )
            ),
            funds_wan=subquery_sum(
                FundsRecord.objects.counted().funds().filter(project__team=team, period=start),
                "amount_wan",
            ),
            trip_count=subquery_count(
                Trip.objects.filter(team=team, start_on__gte=start, start_on__lte=end)
            ),
        )
        .annotate(
            rank=Window(
                Rank(),
                partition_by=[F("kind")],
                order_by=[F("funds_wan").desc(), F("signed_count").desc()],
            )
        )
        .order_by("kind", "rank", "name")
    )
    groups = {kind: TeamKindGroup(kind, label, []) for kind, label in TeamKind.choices}
    for row in teams:
        groups[row.kind].rows.append(
            TeamMonth(
                team=row,
                leads=row.leads_found,
                visits=row.visit_count,
                projects_signed=row.signed_count,
                funds_wan=row.funds_wan,
                trips=row.trip_count,
                rank=row.rank,
            )
        )
    return list(groups.values())
