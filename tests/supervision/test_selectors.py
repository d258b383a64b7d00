"""Who sees which orders, the red ones of the home page, and each unit's counts as of a
day, worked out by hand."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision import selectors, services
from supervision.models import SupervisionOrder
from tests.factories import UnitFactory, UserFactory
from tests.supervision.conftest import answer, issue

pytestmark = pytest.mark.django_db


def set_dates(order, **dates):
    SupervisionOrder.objects.filter(pk=order.pk).update(**dates)


def test_who_sees_which_orders(users, bureau_user, unit_a, unit_b):
    mine = issue(bureau_user, unit_a)
    theirs = issue(bureau_user, unit_b)
    seen = {
        key: set(selectors.order_list(user).values_list("pk", flat=True))
        for key, user in users.items()
    }
    assert seen["officer_a"] == seen["unit_head_a"] == {mine.pk}
    assert seen["officer_b"] == {theirs.pk}
    assert seen["bureau"] == seen["leader"] == {mine.pk, theirs.pk}


def test_open_orders_by_level(bureau_user, unit_a, unit_b, officer_a, officer_b):
    blue = issue(bureau_user, unit_a)
    red = issue(bureau_user, unit_b)
    set_dates(
        red,
        level="red",
        second_due_on=dt.date(2026, 8, 1),
        yellow_on=dt.date(2026, 7, 1),
        red_on=dt.date(2026, 7, 9),
    )
    assert selectors.open_orders_by_level(bureau_user) == {"blue": 1, "yellow": 0, "red": 1}
    assert selectors.open_orders_by_level(officer_a) == {"blue": 1, "yellow": 0, "red": 0}
    assert blue.pk


def test_red_orders_for_the_home_page(
    users, bureau_user, leader, unit_a, unit_b, stalled_project, project_b
):
    other_leader = UserFactory(username="leader2", role="leader", unit=bureau_user.unit)
    stalled_project.leader = leader
    stalled_project.save()
    about_project = services.order_raise_for_project(user=bureau_user, project=stalled_project)
    of_b = issue(bureau_user, unit_b)
    blue = issue(bureau_user, unit_a)
    for order in (about_project, of_b):
        set_dates(order, level="red", second_due_on=dt.date(2026, 8, 1), red_on=dt.date(2026, 7, 9))

    def red(user):
        return set(selectors.red_orders_for(user).values_list("pk", flat=True))

    assert red(users["unit_head_a"]) == red(users["officer_a"]) == {about_project.pk}
    assert red(users["officer_b"]) == {of_b.pk}
    assert red(leader) == {about_project.pk}  # the 包保 leader of the project
    assert red(other_leader) == set()
    assert red(bureau_user) == {about_project.pk, of_b.pk}
    assert blue.pk not in red(bureau_user)


def test_order_counts_by_unit_as_of_a_day(bureau_user, unit_a, unit_b, officer_a):
    """Unit A: one blue open; one yellow since 10 July; one red since 12 July (yellow on 1
    July); one closed on 8 July; one closed on 20 July (after the day: still open then).
    Unit B: none."""
    orders = [issue(bureau_user, unit_a, matter=f"事项{n}") for n in range(5)]
    blue, yellow, red, closed_early, closed_late = orders
    set_dates(
        yellow, level="yellow", second_due_on=dt.date(2026, 8, 1), yellow_on=dt.date(2026, 7, 10)
    )
    set_dates(
        red,
        level="red",
        second_due_on=dt.date(2026, 8, 1),
        yellow_on=dt.date(2026, 7, 1),
        red_on=dt.date(2026, 7, 12),
    )
    for order, day in ((closed_early, dt.date(2026, 7, 8)), (closed_late, dt.date(2026, 7, 20))):
        answer(officer_a, order)
        services.order_close(user=bureau_user, order=order)
        set_dates(order, closed_on=day)
    set_dates(blue, issued_on=dt.date(2026, 7, 1))
    for order in orders:
        SupervisionOrder.objects.filter(pk=order.pk).update(issued_on=dt.date(2026, 7, 1))

    counts = {
        row.unit.code: row for row in selectors.order_counts_by_unit(until=dt.date(2026, 7, 15))
    }
    a, b = counts["UA"], counts["UB"]
    assert (a.open, a.yellow, a.red, a.closed) == (4, 1, 1, 1)
    assert (b.open, b.yellow, b.red, b.closed) == (0, 0, 0, 0)
    # as of 11 July the red one was still yellow; in June nothing was issued
    early = {r.unit.code: r for r in selectors.order_counts_by_unit(until=dt.date(2026, 7, 11))}
    assert (early["UA"].open, early["UA"].yellow, early["UA"].red, early["UA"].closed) == (
        4,
        2,
        0,
        1,
    )
    june = {r.unit.code: r for r in selectors.order_counts_by_unit(until=dt.date(2026, 6, 30))}
    assert (june["UA"].open, june["UA"].closed) == (0, 0)
    # closed in a period that starts after the early closing
    since = selectors.order_counts_by_unit(until=dt.date(2026, 7, 31), since=dt.date(2026, 7, 10))
    assert {r.unit.code: r.closed for r in since}["UA"] == 1
    assert "ZSJ" not in counts  # the bureau is no unit to order


def test_the_counts_take_one_query_whatever_the_size(bureau_user, unit_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.order_counts_by_unit(until=dt.date(2026, 7, 31))
        return len(captured)

    issue(bureau_user, unit_a)
    small = queries()
    for n in range(6):
        unit = UnitFactory(code=f"X{n}")
        issue(bureau_user, unit, matter=f"事项{n}")
        issue(bureau_user, unit, matter=f"另一事项{n}")
    assert queries() == small == 1
