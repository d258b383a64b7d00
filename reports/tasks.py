"""Background builds: thin tasks that read their job, call the service and record progress.
Idempotent: a redelivered task rebuilds the same draft (never a second one)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Job, JobStatus
from core.periods import parse_period

from .choices import ReportKind
from .services import report_build

logger = logging.getLogger(__name__)

JOB_KIND_MONTHLY = "reports.monthly_bulletin"
JOB_KIND_QUARTERLY = "reports.quarterly_review"
JOB_KIND_ANNUAL = "reports.annual_assessment"


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc)


def _wait_at_test_gate() -> None:
    """Test hook, inert unless the setting REPORTS_BUILD_GATE names a file (only
    config.settings.test defines it): while that file exists the build waits here, its job
    running at 20%, so a test can watch the progress bar or kill the worker halfway."""
    gate = getattr(settings, "REPORTS_BUILD_GATE", "")
    deadline = time.monotonic() + 300
    while gate and Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _build(job_id: int, kind: str, read_period: Callable[[dict], date]) -> dict[str, Any] | None:
    """The body of every build task: read the job's period (`read_period` raises ValueError
    with the message to show), build through the service, record progress and the result."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.status == JobStatus.SUCCEEDED:  # delivered again after it finished
        return job.result
    job.mark_running()
    job.mark_progress(10)
    try:
        period = read_period(job.params)
    except ValueError as exc:
        job.mark_failed(str(exc))
        return None
    job.mark_progress(20)
    _wait_at_test_gate()
    build = {
        "kind": kind,
        "period": period,
        "user": job.created_by,
        "reason": job.params.get("reason", ""),
        "job": job,
        # the figures' progress (0–100) moves the bar from 20% to 90%
        "progress": lambda percent: job.mark_progress(20 + percent * 70 // 100),
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
        logger.exception("Building the %s report of job %s failed", kind, job_id)
        job.mark_failed(_("The build failed: %(error)s") % {"error": exc})
        return None
    result = {"report_id": report.pk, "version": report.version}
    job.mark_succeeded(result)
    return result


def _month(params: dict) -> date:
    try:
        return parse_period(str(params.get("period", "")))
    except ValueError as error:
        raise ValueError(_("The period must be a month written YYYY-MM.")) from error


def _quarter(params: dict) -> date:
    from .selectors.quarterly import quarter_period

    try:
        year, quarter = int(params.get("year")), int(params.get("quarter"))
    except (TypeError, ValueError):
        year, quarter = 0, 0
    if not 2000 <= year <= 2100 or not 1 <= quarter <= 4:
        raise ValueError(_("The quarter must be a year and a quarter from 1 to 4."))
    return quarter_period(year, quarter)


def _year(params: dict) -> date:
    try:
        year = int(params.get("year"))
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValueError(_("The year must be a year between 2000 and 2100."))
    return date(year, 1, 1)


@shared_task(name="reports.build_monthly_bulletin")
def build_monthly_bulletin(job_id: int) -> dict[str, Any] | None:
    """Build the monthly bulletin of the job's `period` ("YYYY-MM")."""
    return _build(job_id, ReportKind.MONTHLY, _month)


@shared_task(name="reports.build_quarterly_review")
def build_quarterly_review(job_id: int) -> dict[str, Any] | None:
    """Build the quarterly review of the job's `year` and `quarter`."""
    return _build(job_id, ReportKind.QUARTERLY, _quarter)


@shared_task(name="reports.build_annual_assessment")
def build_annual_assessment(job_id: int) -> dict[str, Any] | None:
    """Build the year-end assessment of the job's `year` under the year's scheme."""
    return _build(job_id, ReportKind.ANNUAL, _year)


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


@shared_task(name="reports.schedule_quarterly_review")
def schedule_quarterly_review() -> int | None:
    """Run by Celery beat on the 10th after each quarter: a draft of last quarter's review,
    built like one the bureau starts. A quarter already published is left alone."""
    from core.jobs import job_start
    from core.periods import quarter_of

    from .choices import ReportStatus
    from .models import Report
    from .selectors.quarterly import quarter_period

    today = timezone.localdate()
    year, quarter = today.year, quarter_of(today) - 1
    if quarter == 0:
        year, quarter = year - 1, 4
    published = Report.objects.filter(
        kind=ReportKind.QUARTERLY,
        period=quarter_period(year, quarter),
        status=ReportStatus.PUBLISHED,
    )
    if published.exists():
        return None
    job = job_start(
        kind=JOB_KIND_QUARTERLY,
        task=build_quarterly_review,
        params={"year": year, "quarter": quarter},
    )
    return job.pk
