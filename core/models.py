from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from core.access import ScopedQuerySet


@functools.cache
def choice_labels(field: models.Field) -> dict[Any, Any]:
    """A choice field's labels by value, read once: lazy, so each reads in the language
    active where it is shown."""
    return dict(make_hashable(field.flatchoices))


class ChoiceLabelsModel(models.Model):
    """A record whose `get_<field>_display` looks its label up in the field's labels read
    once (Django reads them all, translating every one, on each call: ninety calls took
    a millisecond of a project's page, bench/README.md)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)


class TimeStampedModel(ChoiceLabelsModel):
    """Base of every business record: when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobQuerySet(ScopedQuerySet):
    """A job is seen by whoever started it; the bureau and leaders see all."""

    unit_path = None
    member_paths = ("created_by",)


class Job(models.Model):
    """A background job's record: what it is, how far it got, and what it produced.

    Progress bars poll it (`/api/v1/jobs/{id}/`); Celery tasks update it."""

    kind = models.CharField(_("kind"), max_length=50)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    def mark_running(self) -> None:
        self.status = JobStatus.RUNNING
        self.started_at = self.started_at or timezone.now()
        self.save(update_fields=["status", "started_at"])

    def mark_progress(self, percent: int) -> None:
        self.progress = max(0, min(100, percent))
        self.save(update_fields=["progress"])

    def mark_progress_outside(self, percent: int) -> None:
        """Progress told from inside a transaction that commits only at the end (an import
        writes all or nothing): kept in the cache, where the progress bar reads it now."""
        from django.core.cache import cache

        cache.set(f"job-progress-{self.pk}", max(0, min(100, percent)), 3600)

    @property
    def live_progress(self) -> int:
        """The stored progress, or what a running job told from inside its transaction."""
        if self.status != JobStatus.RUNNING:
            return self.progress
        from django.core.cache import cache

        return max(self.progress, cache.get(f"job-progress-{self.pk}") or 0)

    def mark_succeeded(self, result: Any) -> None:
        self.status = JobStatus.SUCCEEDED
        self.progress = 100
        self.result = result
        self.error = ""
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "progress", "result", "error", "finished_at"])

    def mark_failed(self, error: str) -> None:
        self.status = JobStatus.FAILED
        self.error = error
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])


class Sequence(models.Model):
    """Named counters (project codes per year); `next_in_sequence` hands out numbers."""

    name = models.CharField(max_length=50, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


def next_in_sequence(name: str, count: int = 1) -> int:
    """The next number of a named sequence (the first of `count` taken together); safe
    under concurrent callers (row lock)."""
    from django.db import transaction

    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        sequence = Sequence.objects.select_for_update().get(name=name)
        first = sequence.value + 1
        sequence.value += count
        sequence.save(update_fields=["value"])
        return first


class NotificationQuerySet(models.QuerySet):
    """A notification is its recipient's alone: no role reads another person's."""

    def of(self, user: Any) -> NotificationQuerySet:
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that landed on a person (a record returned, a blocker to solve, an order
    issued ...), shown in the app until read: core.notifications.notify makes them inside
    the service's transaction. `key` names the event: one notification per event per
    person, however often the event is told (a digest per person per day, too)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(max_length=120, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_by_recipient"),
            # the navbar's unread count on every page reads this small index alone
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_event",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
