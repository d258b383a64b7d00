from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.models import TimeStampedModel
from core.periods import format_period, month_label
from core.policy import Action
from projects.choices import FundsKind, FundsStatus


def evidence_path(record: FundsRecord, filename: str) -> str:
    return f"funds/{record.project_id}/{record.period:%Y-%m}/{filename}"


class FundsRecordQuerySet(ScopedQuerySet):
    unit_path = "project__unit"
    reader_paths = ("project__cooperating_units",)
    write_action = Action.FUNDS_SUBMIT

    def counted(self) -> FundsRecordQuerySet:
        """The records that count in any figure: verified ones (corrections included)."""
        return self.filter(status=FundsStatus.VERIFIED)

    def funds(self) -> FundsRecordQuerySet:
        return self.filter(kind=FundsKind.FUNDS)

    def investment(self) -> FundsRecordQuerySet:
        return self.filter(kind=FundsKind.INVESTMENT)


class FundsRecord(TimeStampedModel):
    """A month's funds in place (到位资金) or completed investment (完成投资) of a project.

    Submitted by the unit, verified or returned by the bureau; once verified it never
    changes (the database refuses it): a correction is a new record that references it."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="funds_records",
        # (project, kind, period) below serves every lookup by project; a lone project
        # index drew the planner to read each project's records to find one kind of a
        # recent month (bench/README.md, fix 18).
        db_index=False,
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    # The year of `period`, stored: the year's records of each project are then read from
    # an index in project order (funds_counted_by_year), so they are summed without hashing
    # (bench/README.md, fix 19).
    year = models.GeneratedField(
        expression=ExtractYear("period"),
        output_field=models.IntegerField(_("year")),
        db_persist=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FundsKind.choices)
    amount_wan = models.DecimalField(_("amount (万元)"), max_digits=14, decimal_places=2)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_type = models.CharField(max_length=120, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FundsStatus.choices, default=FundsStatus.SUBMITTED
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reasons = models.CharField(_("why flagged"), max_length=300, blank=True)
    reject_reason = models.CharField(_("reason for return"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = FundsRecordQuerySet.as_manager()
    # the history is read by record (id) and date; its other relations need no index, which
    # every write would have to keep (bench/README.md, the ledger import)
    history = HistoricalRecords(
        verbose_name=_("funds record history"),
        no_db_index=["project", "corrects", "submitted_by", "verified_by"],
    )

    class Meta:
        verbose_name = _("funds record")
        verbose_name_plural = _("funds records")
        ordering = ["-period", "project_id", "kind", "id"]
        indexes = [
            models.Index(fields=["status", "kind", "period"]),
            # The list's own order: a page of the bureau's 2.4 million records is read from
            # the index, not sorted whole (300 ms, bench/README.md, issue 20).
            models.Index(fields=["-period", "project", "kind", "id"], name="funds_newest"),
            # (status: the stalled key projects' "any funds lately?" reads the index alone)
            models.Index(
                fields=["project", "kind", "period"],
                include=["status"],
                name="funds_by_project",
            ),
            # The verified funds of a span of months, summed by the bulletin, the dashboard
            # and the targets straight from the index (no table read): bench/README.md.
            models.Index(
                fields=["period"],
                include=["project", "amount_wan"],
                condition=Q(status=FundsStatus.VERIFIED, kind=FundsKind.FUNDS),
                name="funds_counted_by_period",
            ),
            # Each project's verified funds of a year, in project order (the bulletin's
            # funds cube), from the index alone.
            models.Index(
                fields=["year", "project", "period"],
                include=["amount_wan"],
                condition=Q(status=FundsStatus.VERIFIED, kind=FundsKind.FUNDS),
                name="funds_counted_by_year",
            ),
            # Each project's verified completed investment of a year (the bulletin's
            # construction half), from the index alone.
            models.Index(
                fields=["year", "project", "period"],
                include=["amount_wan"],
                condition=Q(status=FundsStatus.VERIFIED, kind=FundsKind.INVESTMENT),
                name="investment_counted_by_year",
            ),
            # A project's verified funds to date (the bulletin's key projects), from the
            # index alone.
            models.Index(
                fields=["project", "period"],
                include=["amount_wan"],
                condition=Q(status=FundsStatus.VERIFIED, kind=FundsKind.FUNDS),
                name="funds_counted_by_project",
            ),
            # The few figures flagged on entry, listed by the bulletin's warnings (a scan of
            # every record without it).
            models.Index(
                fields=["period"], condition=Q(flagged=True), name="funds_flagged_by_period"
            ),
        ]
        constraints = [
            # One original record per project, month and kind; corrections come on top.
            models.UniqueConstraint(
                fields=["project", "period", "kind"],
                condition=Q(corrects__isnull=True),
                name="funds_one_record_per_month",
                violation_error_message=_(
                    "This month already has a record of this kind for the project: edit it."
                ),
            ),
            FieldCheck(
                field="amount_wan",
                condition=Q(amount_wan__gte=0) | Q(corrects__isnull=False),
                name="funds_negative_only_as_correction",
                violation_error_message=_("Only a correction may be negative."),
            ),
            FieldCheck(
                field="reject_reason",
                condition=~Q(status=FundsStatus.REJECTED) | ~Q(reject_reason=""),
                name="funds_rejected_has_reason",
                violation_error_message=_("A returned record needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month_label} {self.get_kind_display()} {self.amount_wan}"

    @property
    def period_label(self) -> str:
        """The month as the API and URLs write it: "2026-11"."""
        return format_period(self.period)

    @property
    def month_label(self) -> str:
        """The month as people write it: "2026年11月"."""
        return month_label(self.period)

    def get_absolute_url(self) -> str:
        return reverse("projects:funds_detail", args=[self.pk])
