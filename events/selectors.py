"""Reads and figures of events. Pages, the API and (later) the monthly bulletin only
format what these return.

The figures of an event are the county's (every user reads the same numbers, as in the
bulletin); the records behind them (which projects, which leads, which companies) are
scoped as the projects and leads they name. A project's first signing counts once
(EventSigningQuerySet.with_first): re-signings (重复签约) are listed apart and add
nothing to any count or amount. Every figure is computed in the database, in a fixed
number of queries whatever the number of events, units and signings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.db import money_sum, subquery_count, subquery_sum
from events.models import Event, EventInvitation, EventLead, EventQuota, EventSigning, EventStart
from projects.choices import BUILDING_STAGES, LIVE_STAGES
from projects.models import Lead, Project


def _signings(window: tuple[date, date] | None) -> QuerySet:
    signings = EventSigning.objects.all()
    if window is not None:
        signings = signings.filter(signed_on__gte=window[0], signed_on__lte=window[1])
    return signings


def with_figures(events: QuerySet, window: tuple[date, date] | None = None) -> QuerySet:
    """Annotates each event's figures: `first_signing_count` and `contract_amount_wan`
    (of first signings only), `re_signing_count`, `start_count`, `lead_count`,
    `invitation_count` and `quota_total`; signings within `window` when given."""
    event = OuterRef("pk")
    signings = _signings(window).filter(event=event)
    return events.annotate(
        first_signing_count=subquery_count(signings.first_signings()),
        contract_amount_wan=subquery_sum(signings.first_signings(), "project__contract_amount_wan"),
        re_signing_count=subquery_count(signings.re_signings()),
        start_count=subquery_count(EventStart.objects.filter(event=event)),
        lead_count=subquery_count(EventLead.objects.filter(event=event)),
        invitation_count=subquery_count(EventInvitation.objects.filter(event=event)),
        quota_total=quota_total(event),
    )


def quota_total(event: Any) -> Coalesce:
    """The sum of the signing quotas of the event's units (0 without any)."""
    total = (
        EventQuota.objects.filter(event=event)
        .order_by()
        .values("event")
        .annotate(total=Sum("signing_quota"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total), 0, output_field=IntegerField())


def event_list(user: Any) -> QuerySet:
    """The events a user sees (every event, for every signed-in user) with their figures."""
    return with_figures(Event.objects.visible_to(user).select_related("organiser"))


# --- Quota fulfilment per unit -------------------------------------------------------------


@dataclass(frozen=True)
class UnitFulfilment:
    """A unit's first signings at an event against its quota (None: it takes no part but
    signed there)."""

    unit_id: int
    unit_name: str
    unit_kind: str
    quota: int | None
    first_signings: int
    contract_amount_wan: Decimal

    @property
    def met(self) -> bool:
        return self.first_signings >= (self.quota or 0)

    @property
    def short_by(self) -> int:
        return max(0, (self.quota or 0) - self.first_signings)


def fulfilment_by_event(
    event_ids: list[int], window: tuple[date, date] | None = None
) -> dict[int, list[UnitFulfilment]]:
    """For each event: its units (those with a quota, then those signing without one), in
    the units' order, with their first signings (count and contract amount) against their
    quota. Two queries, whatever the events and units."""
    quotas = (
        EventQuota.objects.filter(event__in=event_ids)
        .values("event", "unit", "unit__name", "unit__kind", "unit__sort_order", "unit__code")
        .annotate(quota=Sum("signing_quota"))
    )
    signed = (
        _signings(window)
        .filter(event__in=event_ids)
        .first_signings()
        .order_by()
        .values(
            "event",
            "project__unit",
            "project__unit__name",
            "project__unit__kind",
            "project__unit__sort_order",
            "project__unit__code",
        )
        .annotate(count=Count("pk"), amount=money_sum("project__contract_amount_wan"))
    )
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for quota in quotas:
        rows[(quota["event"], quota["unit"])] = {
            "unit_id": quota["unit"],
            "unit_name": quota["unit__name"],
            "unit_kind": quota["unit__kind"],
            "order": (0, quota["unit__sort_order"], quota["unit__code"]),
            "quota": quota["quota"],
            "first_signings": 0,
            "contract_amount_wan": Decimal("0.00"),
        }
    for group in signed:
        key = (group["event"], group["project__unit"])
        row = rows.setdefault(
            key,
            {
                "unit_id": group["project__unit"],
                "unit_name": group["project__unit__name"],
                "unit_kind": group["project__unit__kind"],
                "order": (1, group["project__unit__sort_order"], group["project__unit__code"]),
                "quota": None,
            },
        )
        row["first_signings"] = group["count"]
        row["contract_amount_wan"] = group["amount"]
    result: dict[int, list[UnitFulfilment]] = {pk: [] for pk in event_ids}
    for (event_id, _unit), row in sorted(rows.items(), key=lambda item: item[1]["order"]):
        row = dict(row)
        row.pop("order")
        result[event_id].append(UnitFulfilment(**row))
    return result


# --- One event's page ----------------------------------------------------------------------


@dataclass(frozen=True)
class EventFigures:
    first_signings: int
    contract_amount_wan: Decimal
    re_signings: int
    starts: int
    leads: int
    invitations: int
    quota_total: int
    units: list[UnitFulfilment]


def event_figures(event: Event) -> EventFigures:
    """The county's figures of one event (every user reads the same): three queries."""
    row = with_figures(Event.objects.filter(pk=event.pk)).get()
    return EventFigures(
        first_signings=row.first_signing_count,
        contract_amount_wan=row.contract_amount_wan,
        re_signings=row.re_signing_count,
        starts=row.start_count,
        leads=row.lead_count,
        invitations=row.invitation_count,
        quota_total=row.quota_total,
        units=fulfilment_by_event([event.pk])[event.pk],
    )


def event_signings(event: Event, user: Any) -> QuerySet:
    """The event's signings the user may see, each with `is_first` (False: 重复签约)."""
    return (
        EventSigning.objects.visible_to(user)
        .filter(event=event)
        .with_first()
        .select_related("project", "project__unit", "recorded_by")
        .order_by("signed_on", "pk")
    )


def event_starts(event: Event, user: Any) -> QuerySet:
    return (
        EventStart.objects.visible_to(user)
        .filter(event=event)
        .select_related("project", "project__unit", "recorded_by")
        .order_by("pk")
    )


def event_leads(event: Event, user: Any) -> QuerySet:
    return (
        EventLead.objects.visible_to(user)
        .filter(event=event)
        .select_related("lead", "lead__unit", "added_by")
        .order_by("pk")
    )


def event_invitations(event: Event, user: Any) -> QuerySet:
    return (
        EventInvitation.objects.visible_to(user)
        .filter(event=event)
        .select_related("lead", "unit", "invited_by")
        .order_by("pk")
    )


# --- For the monthly bulletin --------------------------------------------------------------


@dataclass(frozen=True)
class EventSignings:
    """An event's first signings up to a day of the year, as the bulletin says them
    ("市本级在××签约项目7个")."""

    event_id: int
    name: str
    kind: str
    start_on: date
    end_on: date
    first_signings: int
    contract_amount_wan: Decimal
    re_signings: int
    units: tuple[UnitFulfilment, ...]


def signings_by_event(*, year: int, until: date) -> list[EventSignings]:
    """The events held in `year` up to `until` (an event counts when its dates reach into
    that span), each with its first signings dated from 1 January to `until`: their count
    and contract amount (re-signings apart, counted nothing), and each unit's against its
    quota. A first signing is the project's first one of all time, so a project signed at
    an event last year and re-signed this year counts nowhere this year. Three queries."""
    window = (date(year, 1, 1), until)
    events = list(
        with_figures(
            Event.objects.filter(start_on__lte=until, end_on__gte=window[0]), window
        ).order_by("start_on", "pk")
    )
    units = fulfilment_by_event([event.pk for event in events], window)
    return [
        EventSignings(
            event_id=event.pk,
            name=event.name,
            kind=event.kind,
            start_on=event.start_on,
            end_on=event.end_on,
            first_signings=event.first_signing_count,
            contract_amount_wan=event.contract_amount_wan,
            re_signings=event.re_signing_count,
            units=tuple(units[event.pk]),
        )
        for event in events
    ]


def signable_projects(user: Any) -> QuerySet:
    """The projects a user may record as signed at an event: their unit's (the bureau:
    any), signed or later, not terminated."""
    return (
        Project.objects.editable_by(user)
        .filter(stage__in=LIVE_STAGES, signed_on__isnull=False)
        .order_by("-signed_on", "-id")
    )


def startable_projects(user: Any) -> QuerySet:
    """The projects a user may record as started at a ground-breaking: their unit's (the
    bureau: any) that have started."""
    return (
        Project.objects.editable_by(user)
        .filter(stage__in=BUILDING_STAGES, started_on__isnull=False)
        .exclude(pk__in=EventStart.objects.values("project"))
        .order_by("-started_on", "-id")
    )


def recordable_leads(user: Any) -> QuerySet:
    """The leads a user may record as obtained at an event: their unit's (the bureau: any)."""
    return Lead.objects.editable_by(user).order_by("-received_on", "-id")
