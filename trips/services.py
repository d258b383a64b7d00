"""Writes of trips, the leads found on them, and trip quotas. Pages, the API and the demo
all come through here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import is_bureau, may_assign_unit
from core.policy import Action, require
from core.services import declare_input, require_editable, take
from projects import services as project_services
from projects.choices import LeadSource
from projects.models import Lead
from teams.choices import TeamKind
from teams.models import User
from trips.choices import QuotaScope
from trips.models import Trip, TripQuota, TripVisit
from trips.selectors import may_report_for_team, participant_choices

TRIP_INPUT = declare_input(
    Trip,
    "team",
    "unit",
    "leader_name",
    "led_by",
    "participants",
    "destination",
    "start_on",
    "end_on",
    "purpose",
    "summary",
    "next_steps",
    "leads",
)
VISIT_INPUT = declare_input(
    TripVisit, "company", "contact_name", "contact_title", "contact_phone", "notes"
)


def _check_trip_owner(trip: Trip, user: Any, before: tuple[Any, Any]) -> None:
    """The unit and team a trip names: a user may name their own unit (the bureau any) and
    a team they may report for. Unchanged values of an existing trip are not re-checked,
    so a team member may complete a team trip that also names another unit."""
    errors: dict[str, str] = {}
    if trip.unit_id and trip.unit_id != before[0] and not may_assign_unit(user, trip.unit):
        errors["unit"] = _("You may report trips of your own unit only.")
    if trip.team_id and trip.team_id != before[1] and not may_report_for_team(user, trip.team):
        errors["team"] = _("Only the bureau and the team's members may report its trips.")
    if errors:
        raise ValidationError(errors)


def _check_accounts(trip: Trip, user: Any, participants: Iterable[User] | None) -> None:
    """The leading account and the participants: accounts the user may name."""
    allowed = participant_choices(user, trip if trip.pk else None)
    named = {account.pk for account in participants or ()}
    errors = {}
    if named - set(allowed.filter(pk__in=named).values_list("pk", flat=True)):
        errors["participants"] = _("You may name only your unit's staff, your teams and leaders.")
    if trip.led_by_id and not allowed.filter(pk=trip.led_by_id).exists():
        errors["led_by"] = _("You may name only your unit's staff, your teams and leaders.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def trip_save(
    *,
    user: Any,
    data: Mapping[str, Any],
    trip: Trip | None = None,
    visits: Sequence[Mapping[str, Any]] | None = None,
) -> Trip:
    """Creates or changes a trip report (外出招商报告制).

    - `visits`, when given, is the trip's whole list of companies visited (each with the
      `id` of a visit it keeps, if any): visits not in it are deleted; `participants`
      and `leads`, when given, replace the trip's.
    - The trip names its own unit (the default when it names no team) and/or a team the
      user may report for (trips.selectors.may_report_for_team); the leads linked must be
      leads the user can see (linked leads the user cannot see are kept).
    - Without a leader's name, the leading account's name is used."""
    require(user, Action.TRIP_REPORT)
    if trip is not None:
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        require_editable(user, trip)
        before = (trip.unit_id, trip.team_id)
    else:
        trip = Trip()
        before = (None, None)
        if "unit" not in data and data.get("team") is None:
            trip.unit_id = user.unit_id
    many = take(trip, data, TRIP_INPUT)
    for name in ("leader_name", "destination", "purpose", "summary", "next_steps"):
        setattr(trip, name, (getattr(trip, name) or "").strip())
    if not trip.leader_name and trip.led_by_id:
        trip.leader_name = trip.led_by.get_full_name()
    _check_trip_owner(trip, user, before)
    _check_accounts(trip, user, many.get("participants"))
    trip.full_clean()
    lead_ids: set[int] | None = None
    if "leads" in many:
        # The user links leads they can see; leads already linked that they cannot see
        # (another unit's, on a team trip) stay linked: they cannot unlink what they
        # cannot see.
        chosen = {lead.pk for lead in many["leads"]}
        linked = set(trip.leads.values_list("pk", flat=True)) if trip.pk else set()
        visible = set(
            Lead.objects.visible_to(user)
            .filter(pk__in=chosen | linked)
            .values_list("pk", flat=True)
        )
        if chosen - visible - linked:
            raise ValidationError({"leads": _("You may link only leads you can see.")})
        lead_ids = chosen | (linked - visible)
    trip.save()
    if visits is not None:
        _visits_save(trip, visits)
    if "participants" in many:
        trip.participants.set(many["participants"])
    if lead_ids is not None:
        trip.leads.set(lead_ids)
    return trip


def _visits_save(trip: Trip, visits: Sequence[Mapping[str, Any]]) -> None:
    kept = []
    for typed in visits:
        typed = dict(typed)
        pk = typed.pop("id", None)
        visit = trip.visits.get(pk=pk) if pk else TripVisit(trip=trip)
        take(visit, typed, VISIT_INPUT)
        visit.full_clean()
        visit.save()
        kept.append(visit.pk)
    trip.visits.exclude(pk__in=kept).delete()


def lead_from_visit(*, trip: Trip, visit: TripVisit, user: Any) -> Any:
    """A new lead (not saved) pre-filled from a company visited on the trip: the company
    and its contact, the trip's team, and the trip's unit when the user may name it
    (otherwise their own unit; for the bureau on a team-only trip, the team's lead unit)."""
    if trip.unit_id and may_assign_unit(user, trip.unit):
        unit = trip.unit
    elif not is_bureau(user):
        unit = user.unit
    else:  # the bureau, on a trip of a team alone
        unit = trip.team.lead_unit
    team = trip.team
    resident = team is not None and team.kind == TeamKind.RESIDENT
    return Lead(
        company_name=visit.company,
        contact_name=visit.contact_name,
        contact_title=visit.contact_title,
        contact_phone=visit.contact_phone,
        unit=unit,
        team=team,
        source=LeadSource.RESIDENT_TEAM if resident else LeadSource.OTHER,
        received_on=min(trip.end_on, timezone.localdate()),
        notes=_("Visited on the trip to %(destination)s starting %(date)s.")
        % {"destination": trip.destination, "date": trip.start_on.isoformat()},
    )


@transaction.atomic
def trip_add_lead(
    *, trip: Trip, user: Any, data: Mapping[str, Any], confirm_duplicates: bool = False
) -> Lead:
    """Enters a lead found on a trip the user may edit (through projects.services
    .lead_create, with its duplicate check) and links it to the trip: the lead is the
    trip's team's. DuplicatesFound is raised, and nothing is saved, until the user
    confirms a lead that looks like existing ones."""
    require_editable(user, trip)
    team = data.get("team", trip.team)
    if team != trip.team:
        raise ValidationError({"team": _("A lead found on a trip belongs to the trip's team.")})
    lead = project_services.lead_create(
        user=user, data={**data, "team": trip.team}, confirm_duplicates=confirm_duplicates
    )
    trip.leads.add(lead)
    return lead


# --- Trip quotas -------------------------------------------------------------------------


@transaction.atomic
def quota_save(*, user: Any, quota: TripQuota) -> TripQuota:
    """Creates or changes one year's quota for a scope (the bureau's)."""
    require(user, Action.QUOTA_SET)
    quota.full_clean()
    quota.save()
    return quota


@transaction.atomic
def quotas_save_year(
    *, user: Any, year: int, values: Mapping[str, tuple[int, int] | None]
) -> list[TripQuota]:
    """Sets the year's quotas, scope by scope: (per year, per quarter at least), or None to
    fall back on the default (DEFAULT_QUOTAS, or no quota)."""
    require(user, Action.QUOTA_SET)
    saved = []
    for scope in QuotaScope.values:
        if scope not in values:
            continue
        value = values[scope]
        existing = TripQuota.objects.filter(year=year, scope=scope).first()
        if value is None:
            if existing:
                existing.delete()
            continue
        quota = existing or TripQuota(year=year, scope=scope)
        quota.per_year, quota.per_quarter = value
        if quota.per_quarter * 4 > quota.per_year:
            raise ValidationError(
                {scope: _("Four quarterly minimums cannot exceed the yearly quota.")}
            )
        saved.append(quota_save(user=user, quota=quota))
    return saved
