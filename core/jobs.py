"""Starting background jobs: a Job row, then the task queued once the row is committed."""

from __future__ import annotations

from typing import Any

from celery import Task
from django.db import transaction

from core.models import Job


@transaction.atomic
def job_start(*, kind: str, task: Task, created_by: Any = None, params: dict | None = None) -> Job:
    """Record a job and queue its task after commit; the task receives the job id."""
    job = Job.objects.create(kind=kind, params=params or {}, created_by=created_by)
    task.delay_on_commit(job.pk)
    return job
