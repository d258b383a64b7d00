import datetime as dt

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from core.models import Job
from reports.models import Report
from reports.tasks import schedule_monthly_bulletin

pytestmark = pytest.mark.django_db


def test_beat_builds_last_months_bulletin_on_the_5th():
    task = PeriodicTask.objects.get(task="reports.schedule_monthly_bulletin")
    assert task.enabled
    assert (task.crontab.day_of_month, task.crontab.hour, task.crontab.minute) == ("5", "2", "0")


def test_the_scheduled_build_asks_for_last_month():
    with time_machine.travel(dt.datetime(2026, 11, 5, 2, 0), tick=False):
        job_id = schedule_monthly_bulletin()
    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.params) == ("reports.monthly_bulletin", {"period": "2026-10"})


def test_a_published_month_is_left_alone():
    Report.objects.create(
        kind="monthly", period=dt.date(2026, 10, 1), version=1, status="published", figures={}
    )
    with time_machine.travel(dt.datetime(2026, 11, 5, 2, 0), tick=False):
        assert schedule_monthly_bulletin() is None
    assert not Job.objects.exists()
