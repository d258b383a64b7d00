"""The preview and the import of a ledger, as thin Celery tasks over ledgers.services.
Idempotent: a task delivered again after its job finished does nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.utils.translation import gettext as _

from core.models import Job, JobStatus
from ledgers.choices import ImportStatus
from ledgers.models import LedgerImport

logger = logging.getLogger(__name__)


def _run(job_id: int, work: Callable[..., LedgerImport], done: str) -> dict[str, Any] | None:
    from django.utils import translation

    job = Job.objects.get(pk=job_id)
    if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        return job.result
    ledger = LedgerImport.objects.select_related("created_by", "unit").get(pk=job.params["ledger"])
    job.mark_running()
    try:
        with translation.override(job.params.get("language", "zh-hans")):
            ledger = work(ledger=ledger, progress=job.mark_progress_outside)
    except Exception as exc:
        logger.exception("Ledger job %s failed", job_id)
        LedgerImport.objects.filter(pk=ledger.pk).update(
            status=ImportStatus.FAILED, error=_("The job failed: %(error)s") % {"error": exc}
        )
        job.mark_failed(str(exc))
        return None
    result = {"ledger_id": ledger.pk, "status": ledger.status, "counts": ledger.counts}
    if ledger.status == done:
        job.mark_succeeded(result)
    else:
        job.mark_failed(ledger.error)
    return result


@shared_task(name="ledgers.preview")
def preview_ledger(job_id: int) -> dict[str, Any] | None:
    from ledgers.services import ledger_preview

    return _run(job_id, ledger_preview, ImportStatus.PREVIEWED)


@shared_task(name="ledgers.import")
def import_ledger(job_id: int) -> dict[str, Any] | None:
    from ledgers.services import ledger_import

    return _run(job_id, ledger_import, ImportStatus.IMPORTED)
