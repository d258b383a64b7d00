from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.models import TimeStampedModel
from core.policy import Action
from core.validators import not_negative
from targets.choices import Metric, OwnerKind


class TargetQuerySet(ScopedQuerySet):
    """Everyone sees the county's targets and their own unit's, teams' and colleagues';
    the bureau and leaders see all. The bureau sets targets (core.policy
    `target.set`); a unit head decomposes the unit's targets to its staff
    (`target.decompose`: the rows of persons of their unit)."""

    unit_path = "user__unit"
    reader_paths = ("unit",)
    reader_member_paths = ("team__members",)
    public = Q(unit__isnull=True, team__isnull=True, user__isnull=True)
    write_action = Action.TARGET_DECOMPOSE


ONCE_A_YEAR = _(
    "This owner already has a target of this metric for the year: change that one instead."
)


class Target(TimeStampedModel):
    """A yearly target (目标任务) of one metric for the county (no owner), a unit, a team
    or a person."""

    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[not_negative]
    )
    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    user = models.ForeignKey(
        "teams.User",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("target history"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "metric", "id"]
        constraints = [
            FieldCheck(
                field="value",
                condition=Q(value__gte=0),
                name="target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=True, team__isnull=True)
                    | Q(unit__isnull=True, user__isnull=True)
                    | Q(team__isnull=True, user__isnull=True)
                ),
                name="target_one_owner_at_most",
                violation_error_message=_("A target belongs to one unit, team or person."),
            ),
            models.UniqueConstraint(
                fields=["year", "metric"],
                condition=Q(unit__isnull=True, team__isnull=True, user__isnull=True),
                name="target_county_once",
                violation_error_message=ONCE_A_YEAR,
            ),
            models.UniqueConstraint(
                fields=["year", "metric", "unit"],
                condition=Q(unit__isnull=False),
                name="target_unit_once",
                violation_error_message=ONCE_A_YEAR,
            ),
            models.UniqueConstraint(
                fields=["year", "metric", "team"],
                condition=Q(team__isnull=False),
                name="target_team_once",
                violation_error_message=ONCE_A_YEAR,
            ),
            models.UniqueConstraint(
                fields=["year", "metric", "user"],
                condition=Q(user__isnull=False),
                name="target_person_once",
                violation_error_message=ONCE_A_YEAR,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_metric_display()} {self.value}"

    @property
    def owner_kind(self) -> str:
        if self.unit_id:
            return OwnerKind.UNIT
        if self.team_id:
            return OwnerKind.TEAM
        if self.user_id:
            return OwnerKind.PERSON
        return OwnerKind.COUNTY


class YearSettingQuerySet(ScopedQuerySet):
    unit_path = None
    public = True
    write_action = Action.TARGET_SET


class YearSetting(TimeStampedModel):
    """What the bureau sets for a year: the exchange rate for foreign funds."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    usd_rate = models.DecimalField(
        _("exchange rate (元 per US dollar)"),
        max_digits=8,
        decimal_places=4,
        default=7.1,
        help_text=_("Converts verified funds of foreign projects (万元) into 万美元."),
    )

    objects = YearSettingQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("year setting history"))

    class Meta:
        verbose_name = _("year setting")
        verbose_name_plural = _("year settings")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
