from __future__ import annotations

from decimal import Decimal
from typing import Any, Self

import simple_history
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.models import TimeStampedModel
from core.periods import month_label, quarter_label, quarter_of, version_label
from core.policy import Action
from reports.choices import DrawKind, InspectionStatus, ReportKind, ReportStatus, ScoreComponent


class ReportQuerySet(ScopedQuerySet):
    """Published reports are public inside the county; drafts are the bureau's."""

    unit_path = None
    public = Q(status=ReportStatus.PUBLISHED)
    leaders_read_all = False
    write_action = Action.REPORT_BUILD

    def published(self) -> Self:
        return self.filter(status=ReportStatus.PUBLISHED)

    def drafts(self) -> Self:
        return self.filter(status=ReportStatus.DRAFT)


class FiguresEncoder(DjangoJSONEncoder):
    """A report's figures as stored: Decimals (most figures) and dates as strings, Chinese
    as itself, without spaces (a province's bulletin: 5 MB rather than 7.5 MB)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**{**options, "ensure_ascii": False, "separators": (",", ":")})

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        stored = getattr(o, "stored", None)  # the typed figures (reports.figures)
        if callable(stored):
            return stored()
        return super().default(o)


class Report(models.Model):
    """A built report kept as a snapshot: its figures are stored, never recomputed on view.

    A draft may be rebuilt; a published report never changes. Rebuilding a published
    period makes a new version (with a reason). `period` is the first day of the month
    (for a quarter, of its first month)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    period = models.DateField(_("period"))
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True, encoder=FiguresEncoder)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("built by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rebuild_reason = models.TextField(_("reason for rebuilding"), blank=True)
    publish_note = models.TextField(_("note on publishing"), blank=True)
    # What was still open in the report's months when it was published (reports.selectors
    # .pending.Pending), kept with the snapshot.
    pending_at_publish = models.JSONField(_("pending when published"), null=True, blank=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["kind", "-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period"],
                condition=models.Q(status=ReportStatus.DRAFT),
                name="report_one_draft_per_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "period", "version"], name="report_unique_version"
            ),
        ]

    def __str__(self) -> str:
        """ "月度通报 2026年11月 第1版" (core.periods writes the period and the version)."""
        if self.kind == ReportKind.ANNUAL:  # a year's: its period is 1 January
            period = f"{self.period:%Y}"
        elif self.kind == ReportKind.QUARTERLY:
            period = quarter_label(self.period.year, quarter_of(self.period))
        else:
            period = month_label(self.period)
        return f"{self.get_kind_display()} {period} {version_label(self.version)}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class ScoreWeightQuerySet(ScopedQuerySet):
    """Read by every user (the score's formula is published); set by the bureau."""

    unit_path = None
    public = True
    write_action = Action.REPORT_SET_WEIGHTS


class DrawQuerySet(ScopedQuerySet):
    """Read by every user (两随机一公开 is public inside the county); made by the bureau."""

    unit_path = None
    public = True
    write_action = Action.DRAW_MAKE


class InspectionQuerySet(ScopedQuerySet):
    """Read by every user (两随机一公开: results are public); recorded by the bureau."""

    unit_path = None
    public = True
    write_action = Action.INSPECTION_RECORD


class ScoreWeight(TimeStampedModel):
    """The weight (points) of one part of the quarterly review's score, set by the bureau.
    A review stores the weights it used, so a published score can be recomputed by hand."""

    component = models.CharField(
        _("part of the score"), max_length=30, choices=ScoreComponent.choices, unique=True
    )
    weight = models.PositiveSmallIntegerField(_("weight (points)"))

    objects = ScoreWeightQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("weight history"))

    class Meta:
        verbose_name = _("score weight")
        verbose_name_plural = _("score weights")
        ordering = ["component"]

    def __str__(self) -> str:
        return f"{self.get_component_display()}: {self.weight}"


class Draw(TimeStampedModel):
    """One random draw of a quarter (两随机一公开): `size` of the `candidates` (stored in
    the order they were drawn from) picked with `seed`, so anyone can repeat it. A draw is
    final: it is never redrawn or changed."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    kind = models.CharField(_("kind"), max_length=20, choices=DrawKind.choices)
    size = models.PositiveSmallIntegerField(_("how many to draw"))
    seed = models.CharField(_("seed"), max_length=64)
    candidates = models.JSONField(_("candidates"), default=list)
    drawn = models.JSONField(_("drawn"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    objects = DrawQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("draw history"))

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["-year", "-quarter", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "kind"], name="draw_once"),
        ]

    def __str__(self) -> str:
        return f"{quarter_label(self.year, self.quarter)} {self.get_kind_display()}"


def inspection_photo_path(photo: InspectionPhoto, filename: str) -> str:
    return f"inspections/{photo.inspection_id}/{filename}"


class Inspection(TimeStampedModel):
    """The on-site check of a project drawn at random: when, by whom, what was found."""

    draw = models.ForeignKey(
        Draw, verbose_name=_("draw"), on_delete=models.PROTECT, related_name="inspections"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PENDING,
    )
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspector = models.CharField(_("inspectors"), max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True)

    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("inspection history"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["draw", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "project"], name="inspection_once"),
        ]

    def __str__(self) -> str:
        return f"{self.draw} {self.project}"


class InspectionPhoto(TimeStampedModel):
    """A photo taken on site (PNG or JPEG, checked by content)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=inspection_photo_path, max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("photo history"))

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


# The report build schedule lives in django-celery-beat's tables; the bureau changes it on
# /reports/schedule/, so it keeps an audit history like our own records. simple_history's
# way for models of another app: register them, the history models living in this app.
simple_history.register(PeriodicTask, app="reports", verbose_name=_("periodic task history"))
simple_history.register(CrontabSchedule, app="reports", verbose_name=_("crontab history"))


# The year-end assessment (年终一考核): its scheme and manual items; the assessment itself is
# a Report of kind annual.
from .annual import (  # noqa: E402
    AssessmentScheme,
    ManualScore,
    SchemeAdjustment,
    SchemeIndicator,
)

# The half-year inspection (半年一督查), beside the draw it draws on.
from .halfyear import (  # noqa: E402
    ChecklistItem,
    Finding,
    HalfYearInspection,
    InspectedUnit,
    Rectification,
)

__all__ = [
    "AssessmentScheme",
    "ChecklistItem",
    "Draw",
    "FiguresEncoder",
    "Finding",
    "HalfYearInspection",
    "InspectedUnit",
    "Inspection",
    "InspectionPhoto",
    "ManualScore",
    "Rectification",
    "Report",
    "SchemeAdjustment",
    "SchemeIndicator",
    "ScoreWeight",
]
