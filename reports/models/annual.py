"""The year-end assessment (年终一考核): the bureau's scheme of each year (its indicators with
their weights and scoring methods, its bonus and deduction items, its grade rule) and the
manual items it scores for a unit, with a note. The assessment itself is a Report of kind
`annual` (its period the year's 1 January): a snapshot built by a Celery job, published and
versioned like the bulletin; it keeps the scheme it was built with.

The scheme is the published rule: every user reads it; the bureau sets it. Manual items
are the bureau's (leaders read them); a unit sees its own on its published breakdown."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.models import TimeStampedModel
from core.policy import Action
from reports.choices import AdjustmentItem, GradeMethod, IndicatorMetric, ScoringMethod

POINTS = {"max_digits": 6, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 4}


class SchemeQuerySet(ScopedQuerySet):
    """Read by every user (how units are assessed is published); set by the bureau."""

    unit_path = None
    public = True
    write_action = Action.REPORT_SET_SCHEME


class ManualScoreQuerySet(ScopedQuerySet):
    """The bureau's and the leaders'; a unit reads its own in its published breakdown."""

    unit_path = None
    public = False
    write_action = Action.REPORT_SET_SCHEME


class AssessmentScheme(TimeStampedModel):
    """The year-end assessment scheme (考核方案) of `year`: one per year. Its grade rule is
    either thresholds of the total score or shares of each group (the first units by rank
    are 优秀, then 良好; the last are 不合格)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("name of the scheme"), max_length=200)
    grade_method = models.CharField(
        _("how grades are given"),
        max_length=20,
        choices=GradeMethod.choices,
        default=GradeMethod.THRESHOLDS,
    )
    excellent_min = models.DecimalField(
        _("lowest score of Excellent"), null=True, blank=True, **POINTS
    )
    good_min = models.DecimalField(_("lowest score of Good"), null=True, blank=True, **POINTS)
    pass_min = models.DecimalField(_("lowest score of Pass"), null=True, blank=True, **POINTS)
    excellent_share = models.DecimalField(_("share of Excellent"), null=True, blank=True, **SHARE)
    good_share = models.DecimalField(_("share of Good"), null=True, blank=True, **SHARE)
    fail_share = models.DecimalField(_("share of Fail"), null=True, blank=True, **SHARE)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("assessment scheme history"))

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    grade_method=GradeMethod.THRESHOLDS,
                    excellent_min__isnull=False,
                    good_min__isnull=False,
                    pass_min__isnull=False,
                    excellent_min__gte=models.F("good_min"),
                    good_min__gte=models.F("pass_min"),
                )
                | Q(
                    grade_method=GradeMethod.SHARES,
                    excellent_share__isnull=False,
                    good_share__isnull=False,
                    fail_share__isnull=False,
                ),
                name="scheme_grade_rule_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SchemeIndicator(TimeStampedModel):
    """An indicator of a scheme: what it measures, its weight (points) and how it is
    scored: the ratio to target capped at `cap`, or the efficacy coefficient between the
    worst and the best unit of the group (功效系数法, no cap)."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("assessment scheme"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    metric = models.CharField(_("indicator"), max_length=30, choices=IndicatorMetric.choices)
    weight = models.DecimalField(_("weight (points)"), **POINTS)
    method = models.CharField(_("scoring method"), max_length=20, choices=ScoringMethod.choices)
    cap = models.DecimalField(
        _("cap of the ratio"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("indicator history"))

    class Meta:
        verbose_name = _("assessment indicator")
        verbose_name_plural = _("assessment indicators")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "metric"], name="indicator_once_per_scheme"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=Q(method=ScoringMethod.RATIO, cap__gt=0)
                | Q(method=ScoringMethod.EFFICACY, cap__isnull=True),
                name="indicator_ratio_has_its_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.weight}"


class SchemeAdjustment(TimeStampedModel):
    """A bonus or deduction item of a scheme (which one the item says): points per item
    counted, at most `cap` in all (no cap: blank)."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("assessment scheme"),
        on_delete=models.CASCADE,
        related_name="adjustments",
    )
    item = models.CharField(_("bonus or deduction"), max_length=30, choices=AdjustmentItem.choices)
    points = models.DecimalField(_("points per item"), **POINTS)
    cap = models.DecimalField(_("at most (points)"), null=True, blank=True, **POINTS)

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("bonus or deduction history"))

    class Meta:
        verbose_name = _("bonus or deduction item")
        verbose_name_plural = _("bonus and deduction items")
        ordering = ["scheme", "item"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "item"], name="adjustment_once_per_scheme"),
            models.CheckConstraint(condition=Q(points__gt=0), name="adjustment_points_positive"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gt=0), name="adjustment_cap_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.points}"


class ManualScore(TimeStampedModel):
    """A manual item of the year-end assessment (e.g. 招商工作创新、领导批示肯定): points
    the bureau adds (or takes off, negative) for a unit in `year`, with the note that says
    why. Each change is kept in its history."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        "teams.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("what is scored"), max_length=100)
    points = models.DecimalField(_("points"), **POINTS)
    note = models.TextField(_("note"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ManualScoreQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("manual item history"))

    class Meta:
        verbose_name = _("manual item")
        verbose_name_plural = _("manual items")
        ordering = ["-year", "unit__sort_order", "unit__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "title"], name="manual_score_once_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=-100, points__lte=100) & ~Q(points=0),
                name="manual_score_points_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit} · {self.title}"
