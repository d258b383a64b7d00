"""How fresh each unit's data is (数据新鲜度): when it last reported funds (a funds record
submitted), the latest month it reported, when it last followed up one of its leads, and
the end of the latest trip whose results it reported. The bureau reads it as one table
(reports.views.freshness, its workbook) and on the dashboard; a unit sees its own row.

One query, whatever the number of units and records: each date is a MAX over the unit's
records in a scalar subquery of the units' query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import DateField, DateTimeField, F, Field, Func, OuterRef, QuerySet, Subquery
from django.utils import timezone

from core.access import sees_everything
from core.db import subquery_count
from projects.choices import LIVE_STAGES, FundsStatus
from projects.models import FollowUp, FundsRecord, Project
from teams.choices import UnitKind
from teams.models import Unit
from trips.models import Trip

# A date older than this many days (or none at all) reads as stale.
STALE_DAYS = 30


def _latest(records: QuerySet, field: str, output: Field) -> Subquery:
    """MAX(field) over `records` (which use OuterRef): one row, no GROUP BY."""
    latest = records.order_by().annotate(
        _latest=Func(F(field), function="MAX", output_field=output)
    )
    return Subquery(latest.values("_latest"), output_field=output)


@dataclass(frozen=True)
class UnitFreshness:
    unit_id: int
    unit_name: str
    unit_kind: str
    projects_to_report: int  # signed or later, not terminated: they report funds monthly
    funds_submitted_at: datetime | None
    funds_period: date | None  # the latest month reported (a record not returned)
    lead_follow_up_on: date | None
    trip_reported_on: date | None  # the end of the latest trip with its results in

    @property
    def funds_submitted_on(self) -> date | None:
        if self.funds_submitted_at is None:
            return None
        return timezone.localdate(self.funds_submitted_at)

    def days_since(self, name: str, today: date) -> int | None:
        """Days since the date `name` ("funds", "leads", "trips"); None when never."""
        day = {
            "funds": self.funds_submitted_on,
            "leads": self.lead_follow_up_on,
            "trips": self.trip_reported_on,
        }[name]
        return None if day is None else (today - day).days

    def is_stale(self, name: str, today: date) -> bool:
        """Never, or longer ago than STALE_DAYS. A unit with no project to report funds
        for is never stale on funds."""
        if name == "funds" and not self.projects_to_report:
            return False
        days = self.days_since(name, today)
        return days is None or days > STALE_DAYS


def freshness_units(user: Any) -> QuerySet[Unit]:
    """The active units (the bureau aside) in the bulletin's order, each annotated with
    its dates: every unit for the bureau and leaders, one's own for anyone else."""
    unit = OuterRef("pk")
    units = (
        Unit.objects.active()
        .exclude(kind=UnitKind.BUREAU)
        .annotate(
            projects_to_report=subquery_count(
                Project.objects.filter(unit=unit, stage__in=LIVE_STAGES)
            ),
            funds_submitted_at=_latest(
                FundsRecord.objects.filter(project__unit=unit), "created_at", DateTimeField()
            ),
            funds_period=_latest(
                FundsRecord.objects.filter(project__unit=unit).exclude(status=FundsStatus.REJECTED),
                "period",
                DateField(),
            ),
            lead_follow_up_on=_latest(
                FollowUp.objects.filter(lead__unit=unit), "happened_on", DateField()
            ),
            trip_reported_on=_latest(
                Trip.objects.filter(unit=unit).exclude(summary=""), "end_on", DateField()
            ),
        )
        .in_report_order()
    )
    if not sees_everything(user):
        units = units.filter(pk=user.unit_id)
    return units


def unit_freshness(user: Any) -> list[UnitFreshness]:
    """freshness_units as rows (one query)."""
    return [
        UnitFreshness(
            unit_id=unit.pk,
            unit_name=unit.name,
            unit_kind=unit.kind,
            projects_to_report=unit.projects_to_report,
            funds_submitted_at=unit.funds_submitted_at,
            funds_period=unit.funds_period,
            lead_follow_up_on=unit.lead_follow_up_on,
            trip_reported_on=unit.trip_reported_on,
        )
        for unit in freshness_units(user)
    ]


@dataclass(frozen=True)
class FreshnessSummary:
    """For the dashboard's card: how many units are stale on each, of how many."""

    units: int
    stale_funds: int
    stale_leads: int
    stale_trips: int


def freshness_summary(rows: list[UnitFreshness], today: date) -> FreshnessSummary:
    return FreshnessSummary(
        units=len(rows),
        stale_funds=sum(row.is_stale("funds", today) for row in rows),
        stale_leads=sum(row.is_stale("leads", today) for row in rows),
        stale_trips=sum(row.is_stale("trips", today) for row in rows),
    )
