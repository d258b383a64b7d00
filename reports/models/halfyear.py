"""The half-year inspection (半年一督查): the bureau's checklist, the units inspected (drawn
from the quarter's 两随机 draw of units, or chosen), each unit's report (述职) and its
outcome, a finding per unit and checklist item, and the unit's rectification of it.

A draft is the bureau's; published, its results are public to every user. An inspected
unit's staff see their own unit's findings (to rectify them) from the start."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.models import TimeStampedModel
from core.policy import Action
from reports.choices import (
    OPEN_FINDING_STATUSES,
    FindingStatus,
    Half,
    InspectedUnitSource,
    RectificationStatus,
    ReportOutcome,
    ReportStatus,
)

PUBLISHED = ReportStatus.PUBLISHED


class HalfYearInspectionQuerySet(ScopedQuerySet):
    """Published inspections are public; drafts are the bureau's (leaders too wait)."""

    unit_path = None
    public = Q(status=PUBLISHED)
    leaders_read_all = False
    write_action = Action.INSPECTION_RECORD


class ChecklistItemQuerySet(ScopedQuerySet):
    unit_path = None
    public = Q(inspection__status=PUBLISHED)
    leaders_read_all = False
    write_action = Action.INSPECTION_RECORD


class InspectedUnitQuerySet(ScopedQuerySet):
    """Public once published; the unit's own staff see their row from the start."""

    unit_path = "unit"
    public = Q(inspection__status=PUBLISHED)
    leaders_read_all = False
    write_action = Action.INSPECTION_RECORD


class FindingQuerySet(ScopedQuerySet):
    """Public once published; the inspected unit's staff see their findings from the start
    (they rectify them). Recorded by the bureau; rectified by the unit (its service checks)."""

    unit_path = "inspected__unit"
    public = Q(inspected__inspection__status=PUBLISHED)
    leaders_read_all = False
    write_action = Action.INSPECTION_RECORD

    def open(self) -> FindingQuerySet:
        return self.filter(status__in=OPEN_FINDING_STATUSES)


class RectificationQuerySet(ScopedQuerySet):
    """Seen by whoever sees its finding; reported by the unit's staff."""

    unit_path = "finding__inspected__unit"
    public = Q(finding__inspected__inspection__status=PUBLISHED)
    leaders_read_all = False
    write_action = Action.INSPECTION_RECTIFY


class HalfYearInspection(TimeStampedModel):
    """One half-year inspection (半年一督查) of `year` and `half`: at most one per half."""

    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half of the year"), choices=Half.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
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

    objects = HalfYearInspectionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("half-year inspection history"))

    class Meta:
        verbose_name = _("half-year inspection")
        verbose_name_plural = _("half-year inspections")
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="halfyear_once"),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="halfyear_half_1_or_2"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:halfyear_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED


class ChecklistItem(TimeStampedModel):
    """An item of the inspection's checklist, set by the bureau, in `order`."""

    inspection = models.ForeignKey(
        HalfYearInspection,
        verbose_name=_("half-year inspection"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("checklist item"), max_length=200)
    guidance = models.TextField(_("what to check"), blank=True)

    objects = ChecklistItemQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("checklist item history"))

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "order"], name="checklist_item_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class InspectedUnit(TimeStampedModel):
    """A unit inspected in the half: drawn (its draw kept) or chosen by the bureau, with its
    report (述职): when, who reported, and the bureau's outcome."""

    inspection = models.ForeignKey(
        HalfYearInspection,
        verbose_name=_("half-year inspection"),
        on_delete=models.CASCADE,
        related_name="units",
    )
    unit = models.ForeignKey(
        "teams.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        _("how it was picked"), max_length=20, choices=InspectedUnitSource.choices
    )
    draw = models.ForeignKey(
        "reports.Draw",
        verbose_name=_("draw"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspected_units",
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_by = models.CharField(_("who reported"), max_length=100, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReportOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("note on the outcome"), blank=True)

    objects = InspectedUnitQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("inspected unit history"))

    class Meta:
        verbose_name = _("inspected unit")
        verbose_name_plural = _("inspected units")
        ordering = ["inspection", "unit__sort_order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="inspected_unit_once"),
            models.CheckConstraint(
                condition=Q(source=InspectedUnitSource.DRAWN, draw__isnull=False)
                | Q(source=InspectedUnitSource.CHOSEN, draw__isnull=True),
                name="inspected_unit_drawn_names_its_draw",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("reports:halfyear_unit", args=[self.pk])


def finding_file_path(finding: Finding, filename: str) -> str:
    return f"halfyear/{finding.inspected_id}/findings/{filename}"


def rectification_file_path(rectification: Rectification, filename: str) -> str:
    return f"halfyear/rectifications/{rectification.finding_id}/{filename}"


class Finding(TimeStampedModel):
    """What the inspection found on one checklist item at one unit, with a photo or file
    and a rectification deadline. Without a deadline it needs no rectification; with one
    it is open until the bureau confirms the unit's rectification (`status`)."""

    inspected = models.ForeignKey(
        InspectedUnit,
        verbose_name=_("inspected unit"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    text = models.TextField(_("finding"))
    file = models.FileField(
        _("photo or file"), upload_to=finding_file_path, max_length=300, blank=True
    )
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    status = models.CharField(
        _("rectification"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    rectified_on = models.DateField(_("rectification confirmed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("finding history"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspected", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspected", "item"], name="finding_once_per_item"),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True, status=FindingStatus.NO_ACTION)
                | Q(deadline__isnull=False) & ~Q(status=FindingStatus.NO_ACTION),
                name="finding_deadline_means_rectification",
            ),
            models.CheckConstraint(
                condition=Q(status=FindingStatus.RECTIFIED, rectified_on__isnull=False)
                | ~Q(status=FindingStatus.RECTIFIED) & Q(rectified_on__isnull=True),
                name="finding_rectified_has_its_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspected.unit} · {self.item.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:halfyear_finding", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FINDING_STATUSES


class Rectification(TimeStampedModel):
    """A unit's report of how it rectified a finding (a note, optionally a file), and the
    bureau's decision on it: confirmed, or returned with a reason (the unit reports again)."""

    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    note = models.TextField(_("what was done"))
    file = models.FileField(
        _("evidence file"), upload_to=rectification_file_path, max_length=300, blank=True
    )
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.REPORTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    objects = RectificationQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("rectification history"))

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["finding", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding"],
                condition=Q(status=RectificationStatus.REPORTED),
                name="rectification_one_awaiting_per_finding",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding} · {self.get_status_display()}"
