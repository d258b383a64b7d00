"""Escalation by dates: blue → yellow (a second deadline ESCALATION_DAYS later) → red, only
for orders the unit has not answered; idempotent; and the daily task on a real worker."""

import datetime as dt
import time

import pytest
from django_celery_beat.models import PeriodicTask

from supervision import services
from supervision.models import SupervisionOrder
from supervision.services import ESCALATION_DAYS, orders_escalate
from tests.supervision.conftest import answer, issue

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 7, 25)


def state(order):
    order = SupervisionOrder.objects.get(pk=order.pk)
    return order.level, order.second_due_on, order.yellow_on, order.red_on


def test_nothing_escalates_up_to_the_deadline_day(order):
    assert orders_escalate(today=DUE) == {"yellow": 0, "red": 0}
    assert state(order) == ("blue", None, None, None)


def test_blue_turns_yellow_the_day_after_the_deadline_then_red(order):
    day_after = DUE + dt.timedelta(days=1)
    second = day_after + dt.timedelta(days=ESCALATION_DAYS)
    assert orders_escalate(today=day_after) == {"yellow": 1, "red": 0}
    assert state(order) == ("yellow", second, day_after, None)
    # idempotent: the same day again changes nothing
    assert orders_escalate(today=day_after) == {"yellow": 0, "red": 0}
    assert state(order) == ("yellow", second, day_after, None)
    # still yellow on the second deadline; red the day after
    assert orders_escalate(today=second) == {"yellow": 0, "red": 0}
    red_day = second + dt.timedelta(days=1)
    assert orders_escalate(today=red_day) == {"yellow": 0, "red": 1}
    assert state(order) == ("red", second, day_after, red_day)
    assert orders_escalate(today=red_day + dt.timedelta(days=30)) == {"yellow": 0, "red": 0}
    assert state(order) == ("red", second, day_after, red_day)
    kinds = list(order.history.order_by("history_date").values_list("level", flat=True))
    assert kinds == ["blue", "yellow", "red"]


def test_a_late_run_still_shows_yellow_before_red(order):
    """The second deadline runs from the day the order turned yellow."""
    late = DUE + dt.timedelta(days=20)
    orders_escalate(today=late)
    assert state(order)[0] == "yellow"
    orders_escalate(today=late)
    assert state(order)[0] == "yellow"


def test_an_answered_order_waits_for_the_bureau_and_a_returned_one_escalates(
    order, officer_a, bureau_user
):
    answer(officer_a, order)
    orders_escalate(today=DUE + dt.timedelta(days=3))
    assert state(order)[0] == "blue"
    services.order_return(user=bureau_user, order=order, reason="材料不全")
    orders_escalate(today=DUE + dt.timedelta(days=3))
    assert state(order)[0] == "yellow"


def test_a_closed_order_never_escalates(order, officer_a, bureau_user):
    answer(officer_a, order)
    services.order_close(user=bureau_user, order=order)
    orders_escalate(today=DUE + dt.timedelta(days=60))
    assert state(order)[0] == "blue"


def test_each_order_by_its_own_dates(bureau_user, unit_a, unit_b):
    early = issue(bureau_user, unit_a, due_on=dt.date(2026, 7, 16))
    later = issue(bureau_user, unit_b, due_on=dt.date(2026, 7, 30))
    orders_escalate(today=dt.date(2026, 7, 20))
    assert (state(early)[0], state(later)[0]) == ("yellow", "blue")


def test_beat_runs_the_escalation_daily():
    task = PeriodicTask.objects.select_related("crontab").get(task="supervision.escalate_orders")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("30", "1", "*")


@pytest.mark.django_db(transaction=True)
def test_the_task_escalates_on_a_real_worker(celery_worker, bureau_user, unit_a):
    from supervision.tasks import escalate_orders

    order = issue(bureau_user, unit_a, due_on=dt.date(2026, 7, 15))
    SupervisionOrder.objects.filter(pk=order.pk).update(
        due_on=dt.date(2026, 7, 10), issued_on=dt.date(2026, 7, 1)
    )
    escalate_orders.delay()
    for _ in range(100):  # no result backend: the order is the result
        if state(order)[0] == "yellow":
            break
        time.sleep(0.1)
    assert state(order)[0] == "yellow"
