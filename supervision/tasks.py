"""The daily escalation of overdue supervision orders, run by Celery beat (the schedule is
django-celery-beat's row made by migration 0002: every day at 01:30, Asia/Shanghai)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from supervision.services import orders_escalate


@shared_task(name="supervision.escalate_orders")
def escalate_orders() -> dict[str, int]:
    """Escalates today's overdue orders; idempotent (run twice a day, the second changes
    nothing)."""
    return orders_escalate(today=timezone.localdate())
