"""Investment-promotion events (以会招商): the units taking part with their signing quotas,
the companies invited, the leads obtained, the projects signed at an event and, at a
ground-breaking (集中开工), the projects that started there.

A project's first signing counts once (EventSigningQuerySet.with_first): later signings
of the same project (重复签约) are shown apart and add nothing to any figure."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.models import TimeStampedModel
from core.policy import Action
from events.choices import EventKind


class EventQuerySet(ScopedQuerySet):
    """Every signed-in user reads every event; the bureau creates and changes them."""

    unit_path = None
    public = True
    write_action = Action.EVENT_MANAGE


class Event(TimeStampedModel):
    """An investment-promotion event: a fair, a promotion meeting, a signing ceremony, a
    ground-breaking, a project tour."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    name = models.CharField(_("event name"), max_length=200)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_events",
    )
    guests = models.TextField(_("guests"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("event history"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_on", "-id"]
        constraints = [
            FieldCheck(
                field="end_on",
                condition=Q(end_on__gte=F("start_on")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_on} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])


class EventQuotaQuerySet(ScopedQuerySet):
    unit_path = None
    public = True
    write_action = Action.EVENT_MANAGE


class EventQuota(TimeStampedModel):
    """A unit taking part in an event, with the projects it must sign there
    ("各县区确保签约1个"); set by the bureau."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="quotas"
    )
    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="event_quotas",
    )
    signing_quota = models.PositiveSmallIntegerField(_("signing quota"), default=0)

    objects = EventQuotaQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("signing quota history"))

    class Meta:
        verbose_name = _("signing quota")
        verbose_name_plural = _("signing quotas")
        ordering = ["event", "unit__sort_order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "unit"], name="event_quota_once_per_unit"),
            FieldCheck(
                field="signing_quota",
                condition=Q(signing_quota__gte=0),
                name="event_quota_not_negative",
                violation_error_message=_("This cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.signing_quota}"


class EventRecordQuerySet(ScopedQuerySet):
    """An event's records are scoped as the projects (or leads) they name: the unit's
    staff read and change its own, cooperating units read; the bureau and leaders read
    all."""

    unit_path = "project__unit"
    reader_paths = ("project__cooperating_units",)
    write_action = Action.EVENT_RECORD


class EventInvitationQuerySet(ScopedQuerySet):
    unit_path = "unit"
    write_action = Action.EVENT_RECORD


class EventInvitation(TimeStampedModel):
    """A company invited to an event by a unit, linked to its lead where there is one."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations"
    )
    company_name = models.CharField(_("company invited"), max_length=200)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    lead = models.ForeignKey(
        "projects.Lead",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_invitations",
    )
    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("inviting unit"),
        on_delete=models.PROTECT,
        related_name="event_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventInvitationQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("invitation history"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return self.company_name


class EventLeadQuerySet(ScopedQuerySet):
    unit_path = "lead__unit"
    write_action = Action.EVENT_RECORD


class EventLead(TimeStampedModel):
    """A lead obtained at an event, and who recorded it."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="event_leads"
    )
    lead = models.ForeignKey(
        "projects.Lead",
        verbose_name=_("lead"),
        on_delete=models.CASCADE,
        related_name="event_links",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventLeadQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("event lead history"))

    class Meta:
        verbose_name = _("lead obtained at an event")
        verbose_name_plural = _("leads obtained at events")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "lead"], name="event_lead_once"),
        ]

    def __str__(self) -> str:
        return str(self.lead)


class EventSigningQuerySet(EventRecordQuerySet):
    def with_first(self) -> Self:
        """Annotates `is_first`: the signing is its project's first signing, which counts
        once. That is the project's earliest signing record (by signed_on, then id), and
        only if the project was not signed before the event began (project.signed_on ≥
        the event's start date); any other signing is a re-signing (重复签约)."""
        earliest = (
            EventSigning.objects.filter(project=OuterRef("project"))
            .order_by("signed_on", "pk")
            .values("pk")[:1]
        )
        return self.annotate(first_signing_id=Subquery(earliest)).annotate(
            is_first=Q(pk=F("first_signing_id")) & Q(project__signed_on__gte=F("event__start_on"))
        )

    def first_signings(self) -> Self:
        return self.with_first().filter(is_first=True)

    def re_signings(self) -> Self:
        return self.with_first().filter(is_first=False)


class EventSigning(TimeStampedModel):
    """A project signed at an event. The project's own `signed_on` is the date it was
    first signed: a signing at an event is dated within the event and not before the
    project's signed_on; it is the project's first signing when it is its earliest
    signing record and the project was not signed before the event began
    (EventSigningQuerySet.with_first), else a re-signing (重复签约) that counts nothing."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="signings"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="event_signings",
    )
    signed_on = models.DateField(_("signed on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventSigningQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("signing history"))

    class Meta:
        verbose_name = _("signing at an event")
        verbose_name_plural = _("signings at events")
        ordering = ["event", "signed_on", "id"]
        indexes = [models.Index(fields=["project", "signed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "project"],
                name="event_signing_once_per_event",
                violation_error_message=_("This project's signing at this event is recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signed_on} {self.project}"


class EventStart(TimeStampedModel):
    """A project that started at a ground-breaking event (集中开工). A project starts once,
    so it starts at one event at most."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="starts"
    )
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="event_start",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventRecordQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("start history"))

    class Meta:
        verbose_name = _("start at an event")
        verbose_name_plural = _("starts at events")
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return str(self.project)
