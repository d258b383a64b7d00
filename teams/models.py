from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.models import TimeStampedModel
from core.policy import Action
from core.roles import Role
from core.validators import not_negative
from teams.choices import TeamKind, UnitKind


class UnitQuerySet(ScopedQuerySet):
    unit_path = "pk"
    public = True
    write_action = Action.UNIT_MANAGE

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
    write_action = Action.ACCOUNT_MANAGE


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
    write_action = Action.TEAM_MANAGE


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
        _("yearly budget (万元)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[not_negative],
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
        constraints = [
            FieldCheck(
                field="budget_wan",
                condition=models.Q(budget_wan__gte=0),
                name="team_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

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
