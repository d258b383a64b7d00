from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet, is_bureau, may_write, sees_everything
from core.models import TimeStampedModel
from teams.choices import QuotaScope, Role, TeamKind, TripStatus, UnitKind


class UnitQuerySet(ScopedQuerySet):
    unit_path = "pk"
    public = True
    bureau_managed = True

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def in_report_order(self) -> UnitQuerySet:
        """Townships, then parks, then departments (the bulletin's order), each by sort order."""
        order = [UnitKind.TOWNSHIP, UnitKind.PARK, UnitKind.DEPARTMENT, UnitKind.BUREAU]
        return self.annotate(
            kind_order=models.Case(
                *[models.When(kind=kind, then=models.Value(i)) for i, kind in enumerate(order)],
                output_field=models.IntegerField(),
            )
        ).order_by("kind_order", "sort_order", "code")


class Unit(TimeStampedModel):
    """A responsible unit (责任单位): a township, a county department, a park or the bureau."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("Another unit already uses this code.")},
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("Another unit already has this name.")},
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    min_intensity_wan_per_mu = models.DecimalField(
        _("minimum investment intensity (万元/亩)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Parks only: projects below it are flagged (亩均论英雄)."),
    )

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("unit history"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:unit_detail", args=[self.pk])


class UserQuerySet(ScopedQuerySet):
    bureau_managed = True


class AccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who logs in: belongs to exactly one unit and has one role."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = AccountManager()
    history = HistoricalRecords(
        verbose_name=_("account history"), excluded_fields=["password", "last_login"]
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["unit__sort_order", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("teams:user_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.is_superuser:
            return
        if self.unit_id is None:
            raise ValidationError({"unit": _("Every account belongs to a unit.")})
        if self.role == Role.BUREAU and self.unit.kind != UnitKind.BUREAU:
            raise ValidationError(
                {"unit": _("A bureau account must belong to the investment promotion bureau.")}
            )


class TeamQuerySet(ScopedQuerySet):
    """Teams are public inside the county; the bureau manages them."""

    unit_path = "lead_unit"
    public = True
    bureau_managed = True


class Team(TimeStampedModel):
    """A promotion team: a resident team stationed in a region (驻点招商小分队) or an
    industry group led by a county leader (产业招商组团)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    region = models.CharField(_("region"), max_length=50, blank=True)
    leader_name = models.CharField(_("team leader"), max_length=50, blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_teams"
    )
    member_units = models.ManyToManyField(
        Unit, verbose_name=_("member units"), blank=True, related_name="teams"
    )
    members = models.ManyToManyField(
        "teams.User", verbose_name=_("members"), blank=True, related_name="teams"
    )
    budget_wan = models.DecimalField(
        _("yearly budget (万元)"), max_digits=12, decimal_places=2, default=0
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TeamQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("team history"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError(
                {"active_until": _("The active period cannot end before it starts.")}
            )


# A trip's results are due this many days after it ends (外出招商报告制).
REPORT_DUE_DAYS = 7


class TripQuerySet(ScopedQuerySet):
    """Who sees and reports trips, in this one place:

    - a unit sees and reports its own trips (`unit`);
    - member units of a team read the team's trips;
    - a team's members (Team.members) see, report and complete the team's trips, whatever
      their unit (core.access.may_report_for_team decides who may name a team);
    - the bureau sees and changes all, leaders read all.
    """

    unit_path = "unit"
    reader_paths = ("team__member_units",)

    def _of_teams_joined_by(self, user: Any) -> Self:
        return self.filter(team__in=Team.objects.filter(members=user).values("pk"))

    def visible_to(self, user: User | Any) -> Self:
        visible = super().visible_to(user)
        if not user.is_authenticated or not user.is_active or sees_everything(user):
            return visible
        return visible | self._of_teams_joined_by(user)

    def editable_by(self, user: User | Any) -> Self:
        editable = super().editable_by(user)
        if not may_write(user) or is_bureau(user):
            return editable
        return editable | self._of_teams_joined_by(user)

    def with_status(self, today: date) -> Self:
        """Annotates `status` (TripStatus), the rule of teams.selectors.trip_status: a trip
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
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
    )
    team = models.ForeignKey(
        Team,
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
            models.CheckConstraint(
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
        return reverse("teams:trip_detail", args=[self.pk])


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
    unit_path = "pk"
    public = True
    bureau_managed = True


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
