"""Supervision orders (督办单): the bureau orders a unit to act on a project, a blocker, a
missing report or another matter by a deadline; the unit answers with its rectification
(整改情况) and evidence; the bureau closes the order or returns the answer. An order not
answered in time escalates: blue (reminder) → yellow (warning) → red (overdue again).
Above projects: an order names the project or blocker it is about."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.files import protected_file_url
from core.models import TimeStampedModel
from core.policy import Action
from supervision.choices import (
    AWAITING_UNIT,
    LIVE_STATUSES,
    AnswerDecision,
    OrderLevel,
    OrderStatus,
    SubjectKind,
)

WITH_PROJECT = (SubjectKind.PROJECT, SubjectKind.BLOCKER)


class SupervisionOrderQuerySet(ScopedQuerySet):
    """A unit's staff read the orders issued to their unit; the bureau and leaders read
    all. Only the bureau issues, closes and returns (core.policy); the unit answers
    through supervision.services.order_answer."""

    unit_path = "unit"
    write_action = Action.ORDER_ISSUE

    def live(self) -> Self:
        """Orders not closed yet."""
        return self.filter(status__in=LIVE_STATUSES)

    def awaiting_unit(self) -> Self:
        """Orders the unit still has to answer (open, or returned to it)."""
        return self.filter(status__in=AWAITING_UNIT)

    def red(self) -> Self:
        return self.live().filter(level=OrderLevel.RED)


class SupervisionOrder(TimeStampedModel):
    """A supervision order (督办单) issued by the bureau to a unit."""

    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    subject_kind = models.CharField(
        _("about"), max_length=20, choices=SubjectKind.choices, default=SubjectKind.PROJECT
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    blocker = models.ForeignKey(
        "projects.Blocker",
        verbose_name=_("blocker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    report_period = models.DateField(
        _("month of the missing report"),
        null=True,
        blank=True,
        help_text=_("For a missing report: the month it is for (its first day)."),
    )
    matter = models.TextField(_("what (事项)"))
    reason = models.TextField(_("why (原因)"))
    due_on = models.DateField(_("deadline"))
    second_due_on = models.DateField(_("second deadline"), null=True, blank=True, editable=False)
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=OrderLevel.choices,
        default=OrderLevel.BLUE,
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.OPEN,
        editable=False,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    issued_on = models.DateField(_("issued on"), default=timezone.localdate, editable=False)
    yellow_on = models.DateField(_("turned yellow on"), null=True, blank=True, editable=False)
    red_on = models.DateField(_("turned red on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = SupervisionOrderQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("supervision order history"),
        no_db_index=["unit", "project", "blocker", "issued_by", "closed_by"],
    )

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["unit", "status", "level"])]
        constraints = [
            FieldCheck(
                field="project",
                condition=Q(subject_kind__in=WITH_PROJECT, project__isnull=False)
                | (~Q(subject_kind__in=WITH_PROJECT) & Q(project__isnull=True)),
                name="order_project_matches_kind",
                violation_error_message=_(
                    "An order about a project or a blocker names its project; other orders "
                    "name none."
                ),
            ),
            FieldCheck(
                field="blocker",
                condition=Q(subject_kind=SubjectKind.BLOCKER, blocker__isnull=False)
                | (~Q(subject_kind=SubjectKind.BLOCKER) & Q(blocker__isnull=True)),
                name="order_blocker_matches_kind",
                violation_error_message=_(
                    "An order about a blocker names the blocker; other orders name none."
                ),
            ),
            FieldCheck(
                field="report_period",
                condition=Q(subject_kind=SubjectKind.REPORT, report_period__isnull=False)
                | (~Q(subject_kind=SubjectKind.REPORT) & Q(report_period__isnull=True)),
                name="order_report_period_matches_kind",
                violation_error_message=_(
                    "An order about a missing report names the report's month; other orders "
                    "name none."
                ),
            ),
            FieldCheck(
                field="due_on",
                condition=Q(due_on__gte=models.F("issued_on")),
                name="order_due_not_before_issued",
                violation_error_message=_("The deadline cannot be before the order is issued."),
            ),
            FieldCheck(
                field="second_due_on",
                condition=Q(level=OrderLevel.BLUE, second_due_on__isnull=True)
                | (~Q(level=OrderLevel.BLUE) & Q(second_due_on__gt=models.F("due_on"))),
                name="order_second_deadline_when_escalated",
                violation_error_message=_(
                    "An escalated order has a second deadline after the first; a blue one none."
                ),
            ),
            FieldCheck(
                field="closed_on",
                condition=Q(status=OrderStatus.CLOSED, closed_on__isnull=False)
                | (~Q(status=OrderStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="order_closed_on_when_closed",
                violation_error_message=_("A closed order has the date it was closed, only then."),
            ),
            # One live order per subject: raising twice in a click gives one order.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(subject_kind=SubjectKind.PROJECT) & ~Q(status=OrderStatus.CLOSED),
                name="order_one_live_per_project",
                violation_error_message=_("This project already has an order not closed."),
            ),
            models.UniqueConstraint(
                fields=["blocker"],
                condition=Q(subject_kind=SubjectKind.BLOCKER) & ~Q(status=OrderStatus.CLOSED),
                name="order_one_live_per_blocker",
                violation_error_message=_("This blocker already has an order not closed."),
            ),
            models.UniqueConstraint(
                fields=["unit", "report_period"],
                condition=Q(subject_kind=SubjectKind.REPORT) & ~Q(status=OrderStatus.CLOSED),
                name="order_one_live_per_missing_report",
                violation_error_message=_(
                    "The unit already has an order about this month's report not closed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.matter[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:order_detail", args=[self.pk])

    @property
    def current_due_on(self) -> date:
        """The deadline the unit is held to now: the second one once escalated."""
        return self.second_due_on or self.due_on

    def is_overdue(self, today: date) -> bool:
        return self.status in AWAITING_UNIT and self.current_due_on < today

    def clean(self) -> None:
        """The subject belongs to the unit: a project is the unit's (responsible unit), a
        blocker is the unit's to solve."""
        super().clean()
        errors = {}
        about_project = self.subject_kind == SubjectKind.PROJECT and self.project_id
        if about_project and self.unit_id and self.project.unit_id != self.unit_id:
            errors["project"] = _("The project is not the unit's.")
        if self.subject_kind == SubjectKind.BLOCKER and self.blocker_id and self.unit_id:
            if self.blocker.owner_unit_id != self.unit_id:
                errors["blocker"] = _("The blocker is not the unit's to solve.")
            elif self.project_id and self.blocker.project_id != self.project_id:
                errors["blocker"] = _("The blocker is not of the project named.")
        if errors:
            raise ValidationError(errors)


def answer_evidence_path(answer: SupervisionAnswer, filename: str) -> str:
    return f"supervision/{answer.order_id}/{filename}"


class SupervisionAnswerQuerySet(ScopedQuerySet):
    """An answer is read by whoever reads its order."""

    unit_path = "order__unit"
    write_action = Action.ORDER_ANSWER


class SupervisionAnswer(models.Model):
    """One answer of the unit to an order (its rectification and evidence) and the bureau's
    decision on it. Kept, all of them, so the order reads as a thread."""

    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name=_("supervision order"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    text = models.TextField(_("rectification (整改情况)"))
    evidence = models.FileField(
        _("evidence of the rectification"),
        upload_to=answer_evidence_path,
        max_length=300,
        blank=True,
    )
    evidence_type = models.CharField(max_length=120, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    decision = models.CharField(
        _("bureau's decision"),
        max_length=20,
        choices=AnswerDecision.choices,
        default=AnswerDecision.PENDING,
    )
    decision_reason = models.CharField(_("reason for return"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = SupervisionAnswerQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("answer history"), no_db_index=["order", "answered_by", "decided_by"]
    )

    class Meta:
        verbose_name = _("answer to a supervision order")
        verbose_name_plural = _("answers to supervision orders")
        ordering = ["answered_at", "id"]
        constraints = [
            FieldCheck(
                field="decision_reason",
                condition=~Q(decision=AnswerDecision.RETURNED) | ~Q(decision_reason=""),
                name="answer_returned_has_reason",
                violation_error_message=_("A returned answer needs the reason."),
            ),
            FieldCheck(
                field="decided_at",
                condition=Q(decision=AnswerDecision.PENDING, decided_at__isnull=True)
                | (~Q(decision=AnswerDecision.PENDING) & Q(decided_at__isnull=False)),
                name="answer_decided_at_when_decided",
                violation_error_message=_("A decided answer has the time it was decided."),
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(decision=AnswerDecision.PENDING),
                name="answer_one_pending_per_order",
                violation_error_message=_("The order already has an answer awaiting the bureau."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def evidence_url(self) -> str:
        return protected_file_url("order-evidence", self) if self.evidence else ""

    @property
    def evidence_name(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""
