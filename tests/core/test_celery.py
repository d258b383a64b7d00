import time

import pytest

from core.jobs import job_start
from core.models import Job, JobStatus
from core.tasks import health_check


@pytest.mark.django_db(transaction=True)
def test_health_task_runs_on_a_real_worker_over_redis(celery_worker, bureau_user, api_as):
    from django.conf import settings

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    job = job_start(kind="health", task=health_check, created_by=bureau_user)
    for _ in range(100):  # the Job row is the result (no result backend)
        job.refresh_from_db()
        if job.status == JobStatus.SUCCEEDED:
            break
        time.sleep(0.1)
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.result["pong"] is True
    body = api_as(bureau_user).get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded" and body["progress"] == 100


@pytest.mark.django_db
def test_jobs_api_grid(users, api_as, bureau_user, officer_a):
    from tests.grid import check_grid

    job = Job.objects.create(kind="health", created_by=officer_a)
    check_grid(
        users,
        api_as,
        f"/api/v1/jobs/{job.pk}/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "DELETE", 405),
            ("officer_a", "PATCH", 405),
        ],
        api=True,
    )
