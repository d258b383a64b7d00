"""Supervision orders in the reports (issue 18): the bulletin's warnings list the orders
overdue at the month's end and count them against a unit on the red list; the quarterly
review takes points off a unit's score for them, by the formula it publishes."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from reports.selectors import monthly_bulletin, quarterly_review
from reports.selectors.monthly import red_reason_text
from reports.services import report_build
from supervision import services as order_services
from targets.models import Target
from tests.factories import ProjectFactory
from tests.reports.county import build_county, funds
from tests.reports.test_review import add_review_facts, units_by_code
from tests.supervision.conftest import answer

pytestmark = pytest.mark.django_db
D = Decimal


def at(month, day):
    return time_machine.travel(dt.datetime(2026, month, day, 10), tick=False)


def escalate(month, day):
    """The daily escalation as beat runs it on that day."""
    with at(month, day):
        order_services.orders_escalate(today=dt.date(2026, month, day))


def issue(bureau_user, unit, due_on, matter="报送上半年招商引资工作总结", **data):
    with at(6, 1):
        return order_services.order_issue(
            user=bureau_user,
            data={
                "unit": unit,
                "subject_kind": "other",
                "matter": matter,
                "reason": "未按时报送",
                "due_on": due_on,
                **data,
            },
        )


@pytest.fixture
def orders(unit_a, unit_b, bureau_user, officer_a):
    """At the end of June: unit B's order is red (overdue again), one of unit A's yellow
    (overdue), another of A's was answered and closed in June, a third of A's is not due
    yet (blue)."""
    b_red = issue(bureau_user, unit_b, dt.date(2026, 6, 10), matter="乙镇总结")
    a_yellow = issue(bureau_user, unit_a, dt.date(2026, 6, 20), matter="甲镇总结")
    a_closed = issue(bureau_user, unit_a, dt.date(2026, 6, 10), matter="甲镇台账")
    issue(bureau_user, unit_a, dt.date(2026, 7, 20), matter="甲镇下半年计划")
    escalate(6, 11)  # b_red and a_closed turn yellow (second deadline 18 June)
    with at(6, 15):
        answer(officer_a, a_closed)
        order_services.order_close(user=bureau_user, order=a_closed)
    escalate(6, 19)  # b_red turns red
    escalate(6, 21)  # a_yellow turns yellow
    return {"b_red": b_red, "a_yellow": a_yellow, "a_closed": a_closed}


@pytest.fixture
def county(unit_a, unit_b, bureau_unit):
    return build_county(unit_a, unit_b)


@at(7, 3)
def test_the_bulletin_lists_the_orders_overdue_at_the_months_end(county, orders, unit_a, unit_b):
    found = monthly_bulletin(2026, 6).warnings.overdue_orders
    assert [(o.order_id, o.unit, o.matter, o.due_on, o.level) for o in found] == [
        (orders["b_red"].pk, unit_b.name, "乙镇总结", dt.date(2026, 6, 10), "red"),
        (orders["a_yellow"].pk, unit_a.name, "甲镇总结", dt.date(2026, 6, 20), "yellow"),
    ]
    # at the end of May nothing was issued yet
    assert monthly_bulletin(2026, 5).warnings.overdue_orders == []


@at(7, 3)
def test_an_overdue_order_puts_a_unit_on_pace_on_the_red_list_saying_why(
    county, orders, unit_a, unit_b
):
    Target.objects.filter(year=2026, metric="funds", unit=unit_b).update(value=1000)
    ahead = ProjectFactory(code="P9", unit=unit_b, stage="signed", signed_on=dt.date(2026, 1, 5))
    funds(ahead, (2026, 5), 600)  # unit B: 900 of 1000 against 50% time progress
    bulletin = monthly_bulletin(2026, 6)
    with translation.override("zh-hans"):
        red = {
            row.code: [red_reason_text(reason) for reason in row.reasons]
            for row in bulletin.warnings.red_list
        }
    assert red["UA"] == ["落后序时进度10.0%", "逾期督办单1件"]  # 1600 of 4000
    assert red["UB"] == ["逾期督办单1件"]  # on pace, on the list for its order alone


@at(7, 3)
def test_the_page_and_the_workbook_show_the_overdue_orders(county, orders, client_as, bureau_user):
    report = report_build(period=dt.date(2026, 6, 1), user=bureau_user)
    client = client_as(bureau_user)
    page = client.get(f"/reports/monthly/{report.pk}/").content.decode()
    assert "逾期督办单" in page
    assert f'href="/orders/{orders["b_red"].pk}/"' in page
    assert "乙镇 · 其他: 乙镇总结</a> (2026-06-10, 红色（再次逾期）)" in page
    book = load_workbook(BytesIO(client.get(f"/reports/monthly/{report.pk}/xlsx/").content))
    rows = [[cell.value for cell in row] for row in book["预警"].iter_rows(min_row=3)]
    overdue = [row for row in rows if row[0] == "逾期督办单"]
    assert [row[1:4] for row in overdue] == [
        ["乙镇", "其他", "乙镇总结 (2026-06-10, 红色（再次逾期）)"],
        ["甲镇", "其他", "甲镇总结 (2026-06-20, 黄色（警示，已逾期）)"],
    ]


@pytest.fixture
def review_county(unit_a, unit_b, officer_a, officer_b, bureau_unit):
    return add_review_facts(unit_a, unit_b, build_county(unit_a, unit_b))


@at(7, 3)
def test_the_review_takes_points_off_for_overdue_orders(review_county, orders):
    figures = quarterly_review(2026, 2)
    units = units_by_code(figures)
    a, b = units["UA"], units["UB"]
    # A: one yellow (the closed one counts nothing) = 1 point; B: one red = 2 points
    assert (a.orders_yellow, a.orders_red, a.order_deduction) == (1, 0, D(1))
    assert (b.orders_yellow, b.orders_red, b.order_deduction) == (0, 1, D(2))
    # the parts' scores as tests/reports/test_review.py works them out, less the points
    assert (a.base_score, a.score) == (D("79.70"), D("78.70"))
    assert (b.base_score, b.score) == (D("45.56"), D("43.56"))
    assert units["PK"].order_deduction == 0 and units["PK"].score == units["PK"].base_score
    # in the first quarter nothing was overdue yet: nothing is taken off
    first = units_by_code(quarterly_review(2026, 1)).values()
    assert [unit.order_deduction for unit in first] == [0] * len(first)
    # the formula names the deduction
    assert figures.formula.order_points == {"yellow": D(1), "red": D(2)}
    assert figures.formula.order_deduction_cap == D(10)
    with translation.override("zh-hans"):
        from reports.selectors.quarterly import formula_text

        assert "督办单" in formula_text(figures.formula.stored())


@at(7, 3)
def test_the_deduction_stops_at_its_cap(review_county, orders, unit_b, bureau_user):
    for number in range(5):  # four more red orders for B: 2 + 8 = 10, the cap, not 12
        issue(bureau_user, unit_b, dt.date(2026, 6, 10), matter=f"乙镇事项{number}")
    escalate(6, 11)
    escalate(6, 19)
    units = units_by_code(quarterly_review(2026, 2))
    b = units["UB"]
    assert (b.orders_red, b.order_deduction) == (6, D(10))
    assert (b.base_score, b.score) == (D("45.56"), D("35.56"))


def test_the_deduction_by_hand():
    from reports.selectors.quarterly import order_deduction

    assert order_deduction(0, 0) == 0
    assert order_deduction(3, 1) == 5
    assert order_deduction(4, 4) == 10  # 12, capped


@at(7, 3)
def test_the_review_page_shows_the_deduction(review_county, orders, client_as, bureau_user):
    report = report_build(kind="quarterly", period=dt.date(2026, 4, 1), user=bureau_user)
    page = client_as(bureau_user).get(f"/reports/quarterly/{report.pk}/").content.decode()
    assert "督办单逾期扣2分（黄色0件，红色1件）" in page
    assert "督办单" in page.split('data-testid="formula"')[1].split("</p>")[0]
