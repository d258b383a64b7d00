"""Writes of events (以会招商): the bureau's events and signing quotas; the units' records
of what happened there: companies invited, leads obtained, projects signed, projects
started at a ground-breaking. Pages and the API all come through here.

Who may: `event.manage` (the bureau) creates and changes events and sets quotas;
`event.record` (unit staff) records their own unit's projects and leads (the bureau:
any unit's). Leaders change nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.policy import Action, require
from core.services import declare_input, require_editable, take
from events.choices import EventKind
from events.models import Event, EventInvitation, EventLead, EventQuota, EventSigning, EventStart
from projects.choices import BUILDING_STAGES, LIVE_STAGES
from projects.models import Lead, Project
from teams.models import Unit

EVENT_INPUT = declare_input(
    Event, "kind", "name", "start_on", "end_on", "place", "organiser", "guests"
)
INVITATION_INPUT = declare_input(EventInvitation, "company_name", "contact", "lead")
# The facts the keyword services below take (declared for the mass-assignment check of
# the forms and serializers that send them).
QUOTA_INPUT = declare_input(EventQuota, "unit", "signing_quota")
SIGNING_INPUT = declare_input(EventSigning, "project", "signed_on", "note")
START_INPUT = declare_input(EventStart, "project")
LEAD_INPUT = declare_input(EventLead, "lead")


def _day(value: date) -> str:
    return date_format(value, "Y-m-d")


# --- Events and quotas (the bureau's) -----------------------------------------------------


def _check_records_still_fit(event: Event) -> None:
    """A change of dates or kind may not leave the event's records outside it."""
    if event.pk is None:
        return
    errors: dict[str, str] = {}
    outside = event.signings.exclude(signed_on__gte=event.start_on, signed_on__lte=event.end_on)
    if outside.exists():
        errors["start_on"] = _(
            "Signings recorded at this event fall outside these dates: correct or remove "
            "them first."
        )
    if event.kind != EventKind.GROUND_BREAKING and event.starts.exists():
        errors["kind"] = _(
            "Projects started at this ground-breaking are recorded: remove them before "
            "changing its kind."
        )
    if errors:
        raise ValidationError(errors)


def _event_store(event: Event, user: Any, data: Mapping[str, Any]) -> Event:
    take(event, data, EVENT_INPUT)
    event.name = (event.name or "").strip()
    event.place = (event.place or "").strip()
    event.full_clean()
    _check_records_still_fit(event)
    event.save()
    return event


@transaction.atomic
def event_create(*, user: Any, data: Mapping[str, Any]) -> Event:
    """Creates an event (the bureau's); the organiser defaults to the user's unit."""
    require(user, Action.EVENT_MANAGE)
    event = Event(created_by=user if user.pk else None)
    if "organiser" not in data and user.unit_id:
        event.organiser_id = user.unit_id
    return _event_store(event, user, data)


@transaction.atomic
def event_update(*, event: Event, user: Any, data: Mapping[str, Any]) -> Event:
    """Changes an event's facts; its records must still fall within its dates and kind."""
    require(user, Action.EVENT_MANAGE)
    event = Event.objects.select_for_update().get(pk=event.pk)
    return _event_store(event, user, data)


@transaction.atomic
def event_quota_set(*, event: Event, user: Any, unit: Unit, signing_quota: int) -> EventQuota:
    """Names a unit taking part in the event with the projects it must sign there
    (0: taking part with no quota); setting it again changes it."""
    require(user, Action.EVENT_MANAGE)
    if signing_quota is None or signing_quota < 0:
        raise ValidationError({"signing_quota": _("This cannot be negative.")})
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is no longer active.")})
    quota = EventQuota.objects.filter(event=event, unit=unit).first() or EventQuota(
        event=event, unit=unit
    )
    quota.signing_quota = signing_quota
    quota.full_clean()
    quota.save()
    return quota


@transaction.atomic
def event_quota_remove(*, quota: EventQuota, user: Any) -> None:
    """The unit no longer takes part in the event."""
    require(user, Action.EVENT_MANAGE)
    quota.delete()


# --- What the units record ------------------------------------------------------------


def _require_own_project(user: Any, project: Project) -> None:
    """Unit staff record their own unit's projects only (the bureau: any)."""
    if not Project.objects.editable_by(user).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("You may record your own unit's projects only.")})


@transaction.atomic
def event_invite(*, event: Event, user: Any, data: Mapping[str, Any]) -> EventInvitation:
    """Records a company the user's unit invited to the event, linked to one of the
    leads the user can see when there is one."""
    require(user, Action.EVENT_RECORD)
    if not user.unit_id:
        raise ValidationError({NON_FIELD_ERRORS: _("Only an account of a unit invites.")})
    invitation = EventInvitation(event=event, unit_id=user.unit_id, invited_by=user)
    take(invitation, data, INVITATION_INPUT)
    invitation.company_name = (invitation.company_name or "").strip()
    invitation.contact = (invitation.contact or "").strip()
    if invitation.lead_id:
        if not Lead.objects.visible_to(user).filter(pk=invitation.lead_id).exists():
            raise ValidationError({"lead": _("You may link only leads you can see.")})
        if not invitation.company_name:
            invitation.company_name = invitation.lead.company_name
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def event_lead_add(*, event: Event, user: Any, lead: Lead) -> EventLead:
    """Records a lead of the user's unit as obtained at the event."""
    require(user, Action.EVENT_RECORD)
    if not Lead.objects.editable_by(user).filter(pk=lead.pk).exists():
        raise ValidationError({"lead": _("You may record your own unit's leads only.")})
    if EventLead.objects.filter(event=event, lead=lead).exists():
        raise ValidationError({"lead": _("This lead is recorded at this event already.")})
    link = EventLead(event=event, lead=lead, added_by=user if user.pk else None)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def event_signing_record(
    *, event: Event, user: Any, project: Project, signed_on: date, note: str = ""
) -> EventSigning:
    """Records a project signed at the event. The rules:

    - the project is the user's unit's (the bureau: any), at 签约 or a later stage, not
      terminated: it is moved to 签约 (with its contract) through its own stage change first;
    - the signing is dated within the event, not in the future, and not before the
      project's own `signed_on` (the date it was first signed);
    - a project is signed at most once per event.

    Whether it counts is not stored: the project's earliest signing counts once, if the
    project was not signed before that event began; any other is a re-signing (重复签约,
    EventSigningQuerySet.with_first)."""
    require(user, Action.EVENT_RECORD)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_own_project(user, project)
    if project.stage not in LIVE_STAGES or project.signed_on is None:
        raise ValidationError(
            {
                "project": _(
                    "Only a project at the signed stage or later (not terminated) is signed "
                    "at an event: move it to “signed” with its contract first."
                )
            }
        )
    errors: dict[str, str] = {}
    if not event.start_on <= signed_on <= event.end_on:
        errors["signed_on"] = _(
            "The signing date must be within the event (%(start)s – %(end)s)."
        ) % {
            "start": _day(event.start_on),
            "end": _day(event.end_on),
        }
    elif signed_on > timezone.localdate():
        errors["signed_on"] = _("The date cannot be in the future.")
    elif signed_on < project.signed_on:
        errors["signed_on"] = _(
            "The project was signed on %(date)s: a signing at an event cannot be earlier."
        ) % {"date": _day(project.signed_on)}
    if EventSigning.objects.filter(event=event, project=project).exists():
        errors["project"] = _("This project's signing at this event is recorded.")
    if errors:
        raise ValidationError(errors)
    signing = EventSigning(
        event=event,
        project=project,
        signed_on=signed_on,
        note=(note or "").strip(),
        recorded_by=user if user.pk else None,
    )
    signing.full_clean()
    signing.save()
    return signing


@transaction.atomic
def event_signing_remove(*, signing: EventSigning, user: Any) -> None:
    """Removes a wrongly recorded signing (the history keeps it); a re-signing of the same
    project may then become its first signing."""
    require(user, Action.EVENT_RECORD)
    require_editable(user, signing)
    signing.delete()


@transaction.atomic
def event_start_record(*, event: Event, user: Any, project: Project) -> EventStart:
    """Records a project started at a ground-breaking event (集中开工): the user's unit's
    project (the bureau: any), at 开工 or a later stage with its start date, started by the
    event's last day, and not recorded as started at another event."""
    require(user, Action.EVENT_RECORD)
    if event.kind != EventKind.GROUND_BREAKING:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Projects start at a ground-breaking event only.")}
        )
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_own_project(user, project)
    if project.stage not in BUILDING_STAGES or project.started_on is None:
        raise ValidationError(
            {
                "project": _(
                    "Only a project that has started (the started stage or later, with its "
                    "start date) is recorded at a ground-breaking."
                )
            }
        )
    if project.started_on > event.end_on:
        raise ValidationError(
            {
                "project": _(
                    "The project started on %(date)s, after the event: it did not start there."
                )
                % {"date": _day(project.started_on)}
            }
        )
    elsewhere = EventStart.objects.filter(project=project).select_related("event").first()
    if elsewhere is not None:
        raise ValidationError(
            {
                "project": _("This project's start is recorded at “%(event)s”.")
                % {"event": elsewhere.event.name}
            }
        )
    start = EventStart(event=event, project=project, recorded_by=user if user.pk else None)
    start.full_clean()
    start.save()
    return start


@transaction.atomic
def event_start_remove(*, start: EventStart, user: Any) -> None:
    """Removes a wrongly recorded start (the history keeps it)."""
    require(user, Action.EVENT_RECORD)
    require_editable(user, start)
    start.delete()
