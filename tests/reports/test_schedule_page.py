"""The report build schedule page: the bureau moves or switches off the beat builds, leaders
read them, every change is kept with its user, bad input changes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from reports.services.schedule import report_schedule_change
from tests.grid import LOGIN, check_grid

pytestmark = pytest.mark.django_db
PAGE = "/reports/schedule/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def monthly():
    # made by migration 0002: the 5th of each month at 02:00
    return PeriodicTask.objects.get(task="reports.schedule_monthly_bulletin")


@pytest.fixture
def quarterly():
    # made by migration 0004: the 10th of January, April, July and October at 02:00
    return PeriodicTask.objects.get(task="reports.schedule_quarterly_review")


def crontab_of(task):
    task = PeriodicTask.objects.select_related("crontab").get(pk=task.pk)
    c = task.crontab
    return (c.day_of_month, c.hour, c.minute, c.month_of_year, str(c.timezone), task.enabled)


def change(task, day, hour, minute, enabled=True):
    data = {"task": task.pk, "day": day, "hour": hour, "minute": minute}
    if enabled:
        data["enabled"] = "on"
    return data


def test_permission_grid(users, client_as, monthly):
    check_grid(
        users,
        client_as,
        PAGE,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("unit_head_a", "GET", 403),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "PUT", 405),
            ("bureau", "DELETE", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        PAGE,
        [
            (None, "POST", LOGIN),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
        ],
        data=change(monthly, 6, 3, 30),
    )
    # nobody above changed anything
    assert crontab_of(monthly) == ("5", "2", "0", "*", "Asia/Shanghai", True)
    check_grid(users, client_as, PAGE, [("bureau", "POST", 302)], data=change(monthly, 6, 3, 30))
    assert crontab_of(monthly) == ("6", "3", "30", "*", "Asia/Shanghai", True)


def test_the_page_shows_both_builds_in_chinese(users, client_as, monthly):
    PeriodicTask.objects.filter(pk=monthly.pk).update(
        last_run_at=dt.datetime(2026, 7, 5, 2, 0, 3, tzinfo=SHANGHAI)
    )
    page = client_as(users["leader"]).get(PAGE).content.decode()
    assert "月度通报草稿" in page
    assert "每月5日 02:00" in page
    assert "季度调度草稿" in page
    assert "1、4、7、10月的10日 02:00" in page
    # last run, then next runs worked out from the crontabs on 2026-07-15 10:00
    assert "2026-07-05 02:00" in page
    assert "2026-08-05 02:00" in page
    assert "2026-10-10 02:00" in page
    assert "从未运行" in page  # the quarterly build has not run yet
    # leaders read, the bureau alone gets the forms
    assert "schedule-form-" not in page
    bureau = client_as(users["bureau"]).get(PAGE).content.decode()
    assert f'data-testid="schedule-form-{monthly.pk}"' in bureau
    assert 'href="/reports/schedule/"' in bureau  # in the management menu


def test_the_page_speaks_english_to_who_asks(users, client_as):
    page = client_as(users["bureau"]).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Day 5 of every month at 02:00" in page
    assert "Day 10 of months 1, 4, 7, 10 at 02:00" in page


def test_the_bureau_moves_and_switches_off_a_build(users, client_as, monthly, bureau_user):
    before = PeriodicTasks.last_change()
    client = client_as(users["bureau"])
    response = client.post(PAGE, change(monthly, 6, 3, 30, enabled=False))
    assert response.status_code == 302
    assert crontab_of(monthly) == ("6", "3", "30", "*", "Asia/Shanghai", False)
    # beat reloads its schedule when PeriodicTasks.last_update moves
    assert before is None or PeriodicTasks.last_change() > before
    latest = PeriodicTask.history.filter(id=monthly.pk).latest()
    assert latest.history_user == bureau_user
    page = client.get(response["Location"]).content.decode()
    assert "月度通报草稿的执行时间已保存。" in page
    assert "每月6日 03:30" in page
    history = page.split('data-testid="schedule-history"')[1]
    assert "招商局员" in history
    assert "每月5日 02:00" in history and "每月6日 03:30" in history  # before and after
    assert "开启" in history and "关闭" in history
    assert "2026-07-15 10:00" in history
    # switched off: no next run
    row = page.split(f'data-task="{monthly.pk}"')[1].split("</tr>")[0]
    assert "关闭" in row and "2026-08" not in row


@pytest.mark.parametrize(
    ("day", "hour", "minute", "message"),
    [
        (31, 2, 0, "每月执行日：请输入1至28之间的整数。"),
        (0, 2, 0, "每月执行日：请输入1至28之间的整数。"),
        (5, 24, 0, "小时：请输入0至23之间的整数。"),
        (5, 2, "half past", "分钟：请输入0至59之间的整数。"),
        (5, 2, "", "分钟：请输入0至59之间的整数。"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    users, client_as, monthly, day, hour, minute, message
):
    response = client_as(users["bureau"]).post(PAGE, change(monthly, day, hour, minute))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "执行时间未保存" in page
    assert crontab_of(monthly) == ("5", "2", "0", "*", "Asia/Shanghai", True)
    assert not PeriodicTask.history.exists()


def test_an_english_user_reads_the_error_in_english(users, client_as, monthly):
    response = client_as(users["bureau"]).post(
        PAGE, change(monthly, 31, 2, 0), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Day of month：Enter a whole number from 1 to 28." in response.content.decode()


def test_changing_the_quarterly_build_leaves_the_monthly_one_alone(
    users, client_as, monthly, quarterly
):
    monthly_crontab = monthly.crontab_id
    response = client_as(users["bureau"]).post(PAGE, change(quarterly, 12, 4, 15))
    assert response.status_code == 302
    # the quarterly build keeps its months
    assert crontab_of(quarterly) == ("12", "4", "15", "1,4,7,10", "Asia/Shanghai", True)
    assert crontab_of(monthly) == ("5", "2", "0", "*", "Asia/Shanghai", True)
    assert PeriodicTask.objects.get(pk=monthly.pk).crontab_id == monthly_crontab
    assert PeriodicTask.objects.get(pk=quarterly.pk).crontab_id != monthly_crontab
    page = client_as(users["bureau"]).get(PAGE).content.decode()
    assert "1、4、7、10月的12日 04:15" in page
    assert "2026-10-12 04:15" in page


def test_a_shared_crontab_is_never_edited(bureau_user, monthly):
    """Another task on the same crontab row keeps its time when one of them moves."""
    other = PeriodicTask.objects.create(
        name="Another report build", task="reports.another_build", crontab=monthly.crontab
    )
    shared = monthly.crontab_id
    report_schedule_change(task=monthly, day=7, hour=1, minute=0, enabled=True, user=bureau_user)
    assert crontab_of(other) == ("5", "2", "0", "*", "Asia/Shanghai", True)
    assert PeriodicTask.objects.get(pk=other.pk).crontab_id == shared
    assert crontab_of(monthly) == ("7", "1", "0", "*", "Asia/Shanghai", True)
    # a second move leaves no unused row behind
    moved = PeriodicTask.objects.get(pk=monthly.pk).crontab_id
    report_schedule_change(task=monthly, day=8, hour=1, minute=0, enabled=True, user=bureau_user)
    assert not CrontabSchedule.objects.filter(pk=moved).exists()
    assert CrontabSchedule.objects.filter(pk=shared).exists()


def test_the_service_refuses_others_and_bad_values(users, monthly, bureau_user):
    for key in ("leader", "officer_a", "unit_head_a"):
        with pytest.raises(PermissionDenied):
            report_schedule_change(
                task=monthly, day=6, hour=2, minute=0, enabled=True, user=users[key]
            )
    with pytest.raises(ValidationError) as error:
        report_schedule_change(
            task=monthly, day=29, hour=2, minute=0, enabled=True, user=bureau_user
        )
    assert set(error.value.message_dict) == {"day"}
    assert crontab_of(monthly) == ("5", "2", "0", "*", "Asia/Shanghai", True)


def test_the_history_names_the_user_outside_a_request(bureau_user, monthly):
    report_schedule_change(task=monthly, day=5, hour=2, minute=0, enabled=False, user=bureau_user)
    latest = PeriodicTask.history.filter(id=monthly.pk).latest()
    assert (latest.history_user, latest.enabled) == (bureau_user, False)


def test_the_page_reads_in_the_same_number_of_queries_however_long_the_history(
    users, client_as, bureau_user, monthly, quarterly
):
    client = client_as(users["leader"])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(PAGE).status_code == 200
        return len(context)

    report_schedule_change(task=monthly, day=6, hour=2, minute=0, enabled=True, user=bureau_user)
    queries()  # the first request of a session also writes the session
    few = queries()
    for day in range(7, 17):
        for task in (monthly, quarterly):
            report_schedule_change(
                task=task, day=day, hour=2, minute=0, enabled=day % 2 == 0, user=bureau_user
            )
    assert queries() == few
    history = client.get(PAGE).content.decode().split('data-testid="schedule-history"')[1]
    assert history.count("<li ") == 20  # the 20 most recent changes of 21
