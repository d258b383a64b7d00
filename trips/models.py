"""Outbound promotion trips (外出招商活动), the companies visited on them, and the yearly
quotas they are counted against (外出招商报告制). Above projects: a trip links the leads
it brought."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.models import TimeStampedModel
from core.policy import Action
from trips.choices import QuotaScope, TripStatus

# A trip's results are due this many days after it ends (外出招商报告制).
REPORT_DUE_DAYS = 7


class TripQuerySet(ScopedQuerySet):
    """Who sees and reports trips: a unit its own trips (`unit`); member units of a team
    read the team's trips; a team's members (Team.members) see, report and complete the
    team's trips, whatever their unit; the bureau sees and changes all, leaders read all.
    Who may *name* a team on a trip is trips.services.may_report_for_team."""

    unit_path = "unit"
    reader_paths = ("team__member_units",)
    member_paths = ("team__members",)
    write_action = Action.TRIP_REPORT

    def with_status(self, today: date) -> Self:
        """Annotates `status` (TripStatus), the rule of trips.selectors.trip_status: a trip
        not yet ended is a plan; an ended one with results is reported; without results it
        awaits them for REPORT_DUE_DAYS days after its end, then is overdue."""
        due = today - timedelta(days=REPORT_DUE_DAYS)
        return self.annotate(
            status=models.Case(
                models.When(end_on__gte=today, then=models.Value(TripStatus.PLAN.value)),
                models.When(~models.Q(summary=""), then=models.Value(TripStatus.REPORTED.value)),
                models.When(end_on__lt=due, then=models.Value(TripStatus.OVERDUE.value)),
                default=models.Value(TripStatus.AWAITING.value),
                output_field=models.CharField(max_length=20),
            )
        )


class Trip(TimeStampedModel):
    """An outbound promotion trip (外出招商活动), reported under 外出招商报告制."""

    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
    )
    leader_name = models.CharField(_("led by"), max_length=50)
    led_by = models.ForeignKey(
        "teams.User",
        verbose_name=_("leading account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_trips",
    )
    participants = models.ManyToManyField(
        "teams.User", verbose_name=_("participants"), blank=True, related_name="trips"
    )
    destination = models.CharField(_("destination"), max_length=100)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    purpose = models.TextField(_("purpose"), blank=True)
    summary = models.TextField(_("results"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    leads = models.ManyToManyField(
        "projects.Lead", verbose_name=_("leads obtained"), blank=True, related_name="trips"
    )

    objects = TripQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("trip history"))

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["-start_on", "-id"]
        constraints = [
            FieldCheck(
                field="end_on",
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="trip_ends_after_it_starts",
                violation_error_message=_("A trip cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(team__isnull=False),
                name="trip_has_unit_or_team",
                violation_error_message=_("A trip belongs to a unit, a team or both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_on} {self.destination}"

    def get_absolute_url(self) -> str:
        return reverse("trips:trip_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if not self.unit_id and not self.team_id:
            errors["team"] = _("A trip belongs to a unit, a team or both.")
        if not (self.leader_name or "").strip() and not self.led_by_id:
            errors["leader_name"] = _("Say who led the trip.")
        if errors:
            raise ValidationError(errors)


class TripVisit(models.Model):
    """A company visited on a trip, with whom the delegation met."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="visits")
    company = models.CharField(_("company visited"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_title = models.CharField(_("title"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = HistoricalRecords(verbose_name=_("visit history"))

    class Meta:
        verbose_name = _("company visited")
        verbose_name_plural = _("companies visited")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.company


class TripQuotaQuerySet(ScopedQuerySet):
    unit_path = None
    public = True
    write_action = Action.QUOTA_SET


class TripQuota(TimeStampedModel):
    """How many trips a leader, a unit of a kind or a team must make in a year (and at
    least in each quarter); set by the bureau."""

    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(_("applies to"), max_length=20, choices=QuotaScope.choices)
    per_year = models.PositiveSmallIntegerField(_("trips a year"))
    per_quarter = models.PositiveSmallIntegerField(_("trips a quarter at least"), default=0)

    objects = TripQuotaQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("quota history"))

    class Meta:
        verbose_name = _("trip quota")
        verbose_name_plural = _("trip quotas")
        ordering = ["-year", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["year", "scope"], name="trip_quota_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_scope_display()}: {self.per_year}"


# The defaults of 外出招商报告制: leaders once a quarter and four a year, townships four a
# year, departments five a year (parks and teams: the bureau sets them).
DEFAULT_QUOTAS = {
    QuotaScope.LEADER: (4, 1),
    QuotaScope.TOWNSHIP: (4, 0),
    QuotaScope.DEPARTMENT: (5, 0),
}
