"""In-app notifications (core.models.Notification): what lands on a person is told to them
once. The services of the apps above call `notify` inside their own transaction, so a
notification exists exactly when the change it tells of was saved.

- The actor is never told of their own action.
- `key` names the event: the same event told twice (a retried request, a redelivered job)
  makes one notification per person (the database's unique constraint decides).
- Deactivated accounts are told nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from core.models import Notification
from core.roles import Role

# Who works a unit's records: its officers and its head (not the bureau's, not leaders).
UNIT_STAFF_ROLES = (Role.OFFICER, Role.UNIT_HEAD)


def unit_staff(*unit_ids: int | None) -> QuerySet:
    """The active officers and heads of the units (one query when read)."""
    ids = {pk for pk in unit_ids if pk is not None}
    return get_user_model().objects.filter(
        unit_id__in=ids, role__in=UNIT_STAFF_ROLES, is_active=True
    )


def notify(
    users: Iterable[Any],
    *,
    kind: str,
    text: str,
    link: str = "",
    key: str = "",
    actor: Any = None,
) -> int:
    """Tells each of `users` (accounts or a QuerySet of them) but the actor. Returns how
    many were told (those told of the same `key` before are skipped by the database, and
    still counted here)."""
    actor_pk = getattr(actor, "pk", None)
    recipients = {user.pk: user for user in users if user.is_active and user.pk != actor_pk}
    if not recipients:
        return 0
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk, kind=kind, text=text, link=link, key=key[:120], created_at=now
            )
            for pk in recipients
        ],
        ignore_conflicts=bool(key),
    )
    return len(recipients)


def unread_count(user: Any) -> int:
    """The user's unread notifications (one query, from a partial index)."""
    return Notification.objects.of(user).unread().count()


def mark_read(user: Any, notification: Notification) -> Notification:
    """Marks one of the user's own notifications read (already read: unchanged)."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user: Any) -> int:
    """Marks every unread notification of the user read; returns how many."""
    return Notification.objects.of(user).unread().update(read_at=timezone.now())
