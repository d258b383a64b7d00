from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ScopedQuerySet, is_bureau

from .choices import ReportKind, ReportStatus


class ReportQuerySet(ScopedQuerySet):
    """Published reports are public inside the county; drafts are the bureau's."""

    bureau_managed = True

    def visible_to(self, user: Any) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_bureau(user):
            return self
        return self.filter(status=ReportStatus.PUBLISHED)

    def published(self) -> Self:
        return self.filter(status=ReportStatus.PUBLISHED)

    def drafts(self) -> Self:
        return self.filter(status=ReportStatus.DRAFT)


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
    figures = models.JSONField(_("figures"), default=dict, blank=True)
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
        return f"{self.get_kind_display()} {self.period:%Y-%m} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED
