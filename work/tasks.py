"""The daily digest, run by Celery beat (the schedule is django-celery-beat's row made by
migration 0001: every day at 07:30, Asia/Shanghai)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from work.services import digests_send


@shared_task(name="work.send_daily_digests")
def send_daily_digests() -> dict[str, int]:
    """Today's digests; idempotent (run twice a day, the second tells no one again)."""
    return digests_send(today=timezone.localdate())
