"""The daily digest (work.services.digests_send, run by beat): one in-app notification per
person per day summing up their queue and unread notifications, mailed when EMAIL_URL is
set; run twice the same day, it tells no one again."""

import datetime as dt
import time

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from core.models import Notification
from tests.factories import ProjectFactory, funds_record
from work.services import digests_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(officer_a, unit_a, industry):
    """Officer A (with an email address) has a returned record and two unread notices."""
    officer_a.email = "officer_a@qingshan.example.cn"
    officer_a.save()
    project = ProjectFactory(
        name="甲镇新材料产业园", unit=unit_a, industry=industry, stage="signed"
    )
    funds_record(project, (2026, 7), "100", status="rejected")
    for text in ("一", "二"):
        Notification.objects.create(recipient=officer_a, kind="x", text=text)
    return officer_a


def digests_of(user):
    return list(Notification.objects.filter(recipient=user, kind="digest"))


def test_one_digest_per_person_per_day(busy, officer_b, bureau_user):
    assert digests_send(today=dt.date(2026, 7, 15))["digests"] >= 1
    [digest] = digests_of(busy)
    assert digest.text.startswith("今日待办：")
    assert "被退回：甲镇新材料产业园" in digest.text and "2条未读通知" in digest.text
    assert digest.link == "/" and digest.key == "digest:2026-07-15"
    assert digests_of(officer_b) == []  # nothing to do, nothing unread: no digest
    # beat delivering twice: nobody is told again
    assert digests_send(today=dt.date(2026, 7, 15)) == {"digests": 0, "mailed": 0}
    assert len(digests_of(busy)) == 1
    # the next day is a new digest, the earlier one not counted as unread news
    digests_send(today=dt.date(2026, 7, 16))
    assert len(digests_of(busy)) == 2
    assert "2条未读通知" in digests_of(busy)[0].text


def test_no_email_without_email_url(busy, settings):
    settings.EMAIL_URL = ""
    assert digests_send(today=dt.date(2026, 7, 15))["mailed"] == 0
    assert mail.outbox == []


def test_the_digest_is_mailed_once_when_email_url_is_set(busy, settings):
    settings.EMAIL_URL = "memorymail://"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://zs.qingshan.example.cn"
    assert digests_send(today=dt.date(2026, 7, 15))["mailed"] == 1
    [message] = mail.outbox
    assert message.to == ["officer_a@qingshan.example.cn"]
    assert "今日待办" in message.subject and "2026-07-15" in message.subject
    assert "被退回：甲镇新材料产业园" in message.body and "退回" in message.body
    assert "https://zs.qingshan.example.cn/funds/" in message.body
    assert "https://zs.qingshan.example.cn/notifications/" in message.body
    digests_send(today=dt.date(2026, 7, 15))
    assert len(mail.outbox) == 1


def test_a_person_without_an_address_gets_the_in_app_digest_only(busy, settings):
    settings.EMAIL_URL = "memorymail://"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    busy.email = ""
    busy.save()
    assert digests_send(today=dt.date(2026, 7, 15)) == {"digests": 1, "mailed": 0}
    assert len(digests_of(busy)) == 1


def test_deactivated_accounts_get_no_digest(busy):
    busy.is_active = False
    busy.save()
    digests_send(today=dt.date(2026, 7, 15))
    assert digests_of(busy) == []


def test_beat_sends_the_digest_every_morning():
    task = PeriodicTask.objects.select_related("crontab").get(task="work.send_daily_digests")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("30", "7", "*")


@pytest.mark.django_db(transaction=True)
def test_the_task_sends_the_digest_on_a_real_worker(celery_worker, busy):
    from work.tasks import send_daily_digests

    send_daily_digests.delay()
    for _ in range(100):  # no result backend: the notification is the result
        if digests_of(busy):
            break
        time.sleep(0.1)
    assert len(digests_of(busy)) == 1
