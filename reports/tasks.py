"""Background builds: thin tasks that read their job, call the service and record progress.
Idempotent: a redelivered task rebuilds the same draft (never a second one)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from core.models import Job, JobStatus
from core.periods import parse_period

from .choices import ReportKind
from .services import report_build

logger = logging.getLogger(__name__)

JOB_KIND_MONTHLY = "reports.monthly_bulletin"


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc)


@shared_task(name="reports.build_monthly_bulletin")
def build_monthly_bulletin(job_id: int) -> dict[str, Any] | None:
    """Build the monthly bulletin of the job's `period` ("YYYY-MM")."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.status == JobStatus.SUCCEEDED:  # delivered again after it finished
        return job.result
    job.mark_running()
    job.mark_progress(10)
    try:
        period = parse_period(str(job.params.get("period", "")))
    except ValueError:
        job.mark_failed(_("The period must be a month written YYYY-MM."))
        return None
    job.mark_progress(20)
    build = {
        "kind": ReportKind.MONTHLY,
        "period": period,
        "user": job.created_by,
        "reason": job.params.get("reason", ""),
        "job": job,
    }
    try:
        try:
            report = report_build(**build)
        except IntegrityError:
            # A build of the same period created its first draft meanwhile: rebuild that one.
            report = report_build(**build)
    except (ValidationError, PermissionDenied) as exc:
        job.mark_failed(_message(exc))
        return None
    except Exception as exc:
        logger.exception("Building the monthly bulletin of job %s failed", job_id)
        job.mark_failed(_("The build failed: %(error)s") % {"error": exc})
        return None
    result = {"report_id": report.pk, "version": report.version}
    job.mark_succeeded(result)
    return result


@shared_task(name="reports.schedule_monthly_bulletin")
def schedule_monthly_bulletin() -> int | None:
    """Run by Celery beat on the 5th: a draft of last month's bulletin, built like one the
    bureau starts. A month already published is left alone (a new version needs a reason)."""
    from core.jobs import job_start
    from core.periods import add_months, current_period, format_period

    from .choices import ReportStatus
    from .models import Report

    period = add_months(current_period(), -1)
    published = Report.objects.filter(
        kind=ReportKind.MONTHLY, period=period, status=ReportStatus.PUBLISHED
    )
    if published.exists():
        return None
    job = job_start(
        kind=JOB_KIND_MONTHLY,
        task=build_monthly_bulletin,
        params={"period": format_period(period)},
    )
    return job.pk
