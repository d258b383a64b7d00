import time

import pytest

from core.jobs import job_start
from core.models import JobStatus
from core.periods import add_months, current_period, format_period
from reports.models import Report
from reports.tasks import JOB_KIND_MONTHLY, build_monthly_bulletin


@pytest.mark.django_db(transaction=True)
def test_build_runs_on_a_real_worker_over_redis(celery_worker, bureau_user, unit_a, api_as):
    period = format_period(add_months(current_period(), -1))
    job = job_start(
        kind=JOB_KIND_MONTHLY,
        task=build_monthly_bulletin,
        created_by=bureau_user,
        params={"period": period},
    )
    for _ in range(300):  # the Job row is the result (no result backend)
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(0.1)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress == 100
    report = Report.objects.get(pk=job.result["report_id"])
    assert (report.status, report.version, report.job_id) == ("draft", 1, job.pk)
    assert report.figures["period"] == period
    body = api_as(bureau_user).get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded" and body["result"]["report_id"] == report.pk
