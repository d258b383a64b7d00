"""The work queue per role (work.selectors.todo_for): what each finds there, how urgent,
and where each item leads; the same list on the home page and at /api/v1/me/todo/; a
fixed number of queries whatever the number of rows."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services as project_services
from projects.models import Blocker, DuplicatePair, FollowUp
from reports.models import Report
from supervision import services as order_services
from supervision.models import SupervisionOrder
from tests.factories import LeadFactory, ProjectFactory, UserFactory, funds_record
from tests.projects.conftest import pdf_upload
from tests.trips.trip_helpers import make_trip
from tests.work.conftest import by_kind
from work.selectors import todo_for

pytestmark = pytest.mark.django_db


def returned_record(officer, project, bureau, reason="缺少银行回单"):
    record = project_services.funds_submit(
        user=officer,
        project=project,
        period=dt.date(2026, 7, 1),
        kind="funds",
        amount_wan=Decimal("500"),
        evidence=pdf_upload("回单.pdf"),
    )
    return project_services.funds_reject(record=record, user=bureau, reason=reason)


def blocker(project, unit, due_on, description="用地指标未落实"):
    return Blocker.objects.create(
        project=project, category="land", description=description, owner_unit=unit, due_on=due_on
    )


def unit_a_county(unit_a, industry, building, stalled, bureau_user, officer_a):
    """Unit A with one of each thing its staff must act on."""
    returned_record(officer_a, building, bureau_user)
    blocker(building, unit_a, dt.date(2026, 7, 1))  # overdue
    blocker(building, unit_a, dt.date(2026, 7, 20), "环评未批复")  # due within 7 days
    blocker(building, unit_a, dt.date(2026, 8, 30), "供电未接入")  # later: not listed
    LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 1))  # red
    LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 10))  # amber
    LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 13))  # in time
    make_trip((2026, 6, 28), (2026, 7, 1), unit=unit_a)  # results overdue
    make_trip((2026, 7, 9), (2026, 7, 10), unit=unit_a)  # results due
    make_trip((2026, 7, 1), (2026, 7, 3), unit=unit_a, summary="拜访三家企业")  # reported
    order_services.order_issue(
        user=bureau_user,
        data={
            "unit": unit_a,
            "subject_kind": "other",
            "matter": "报送上半年总结",
            "reason": "未按期报送",
            "due_on": dt.date(2026, 7, 25),
        },
    )


def test_an_officer_sees_the_returned_record_with_its_reason_and_everything_due(
    unit_a, industry, building, stalled, bureau_user, officer_a
):
    unit_a_county(unit_a, industry, building, stalled, bureau_user, officer_a)
    items = todo_for(officer_a)
    found = by_kind(items)
    returned = found["funds_returned"]
    assert "甲镇新材料产业园" in returned.label and "2026年7月" in returned.label
    assert returned.detail == "缺少银行回单" and returned.severity == "red"
    assert returned.link == building.funds_records.get().get_absolute_url()
    # the project with a returned record is not counted again as unreported
    assert found["funds_to_report"].count == 1
    assert found["funds_to_report"].link == "/funds/entry/?period=2026-07"
    assert found["funds_to_report"].severity == "info"  # mid-month
    assert found["investment_to_report"].count == 1  # only the project under construction
    assert found["blockers_overdue"].count == 1 and found["blockers_overdue"].severity == "red"
    assert found["blockers_overdue"].link == f"/blockers/?owner_unit={unit_a.pk}&overdue=true"
    due = found["blockers_due"]
    assert due.count == 1 and due.severity == "amber"
    assert f"owner_unit={unit_a.pk}" in due.link and "due_before=2026-07-22" in due.link
    assert found["stalled_projects"].count == 1
    assert found["stalled_projects"].link == f"/projects/?unit={unit_a.pk}&stalled=true"
    assert found["leads_red"].count == 1 and found["leads_amber"].count == 1
    assert found["leads_red"].link == f"/leads/?unit={unit_a.pk}&clock=red"
    assert found["trips_overdue"].count == 1 and found["trips_to_report"].count == 1
    assert found["trips_overdue"].link == "/trips/?status=overdue"
    assert found["orders_blue"].count == 1
    assert found["orders_blue"].link == "/orders/?awaiting=true&level=blue"
    # most urgent first
    severities = [item.severity for item in items]
    assert severities == sorted(severities, key=["red", "amber", "info"].index)
    # each link opens for the officer, and lists what the item counts
    client_links = {item.kind: item.link for item in items}
    assert set(client_links) >= {"funds_returned", "blockers_due", "leads_red"}


def test_the_links_open_the_lists_the_items_count(
    client_as, unit_a, industry, building, stalled, bureau_user, officer_a
):
    unit_a_county(unit_a, industry, building, stalled, bureau_user, officer_a)
    client = client_as(officer_a)
    for item in todo_for(officer_a):
        response = client.get(item.link)
        assert response.status_code == 200, (item.kind, item.link)
    blockers = client.get(by_kind(todo_for(officer_a))["blockers_due"].link).content.decode()
    assert "环评未批复" in blockers and "供电未接入" not in blockers and "用地指标" not in blockers
    orders = client.get("/orders/?awaiting=true&level=blue").content.decode()
    assert "报送上半年总结" in orders


def test_the_unit_head_sees_the_units_queue_and_another_unit_sees_none_of_it(
    unit_a, industry, building, stalled, bureau_user, officer_a, unit_head_a, officer_b
):
    unit_a_county(unit_a, industry, building, stalled, bureau_user, officer_a)
    head = by_kind(todo_for(unit_head_a))
    assert head["funds_returned"].detail == "缺少银行回单"
    assert head["orders_blue"].count == 1
    assert todo_for(officer_b) == []


def test_funds_still_missing_in_the_last_week_of_the_month_turn_amber(officer_a, building):
    with time_machine.travel(dt.datetime(2026, 7, 24, 10, 0), tick=False):
        assert by_kind(todo_for(officer_a))["funds_to_report"].severity == "info"
    with time_machine.travel(dt.datetime(2026, 7, 25, 10, 0), tick=False):
        assert by_kind(todo_for(officer_a))["funds_to_report"].severity == "amber"


def test_more_returned_records_than_shown_are_one_line(officer_a, unit_a, industry):
    for _ in range(7):
        project = ProjectFactory(unit=unit_a, industry=industry, stage="signed")
        funds_record(project, (2026, 6), "100", status="rejected")
    found = by_kind(todo_for(officer_a))
    assert len(found["funds_returned"]) == 5
    more = found["funds_returned_more"]
    assert more.count == 2
    assert more.link == f"/funds/?unit={unit_a.pk}&status=rejected"


def test_the_bureau_sees_what_waits_on_it(
    unit_a, industry, building, stalled, bureau_user, officer_a
):
    unit_a_county(unit_a, industry, building, stalled, bureau_user, officer_a)
    funds_record(stalled, (2026, 7), "300", status="submitted")
    twin = ProjectFactory(unit=unit_a, industry=industry, name=building.name)
    DuplicatePair.objects.create(project=twin, other=building, reason="同名")
    order = SupervisionOrder.objects.get()
    order_services.order_answer(user=officer_a, order=order, text="已报送", evidence=pdf_upload())
    Report.objects.create(kind="monthly", period=dt.date(2026, 6, 1), status="draft")
    found = by_kind(todo_for(bureau_user))
    assert found["funds_to_verify"].count == 1 and found["funds_to_verify"].link == "/funds/queue/"
    assert found["duplicates_to_decide"].count == 1
    assert found["orders_to_close"].link == "/orders/?status=answered"
    draft = found["monthly_to_publish"]
    assert draft.count == 1 and draft.link == reverse("reports:monthly_list")
    assert "甲镇" in draft.detail  # what publishing will ask about: June not reported
    assert found["units_not_reported"].count == 1
    assert found["stalled_projects"].count == 1
    assert found["blockers_overdue"].count == 1
    assert found["leads_red"].count == 1 and "leads_amber" not in found
    assert found["trips_overdue"].count == 1 and "trips_to_report" not in found
    assert "funds_returned" not in found  # the unit's to act on


def test_a_draft_with_nothing_pending_reads_ready(bureau_user):
    Report.objects.create(kind="monthly", period=dt.date(2026, 6, 1), status="draft")
    draft = by_kind(todo_for(bureau_user))["monthly_to_publish"]
    assert draft.detail == "其月份中没有待处理事项，可以发布。"


def test_a_leader_sees_the_projects_they_sponsor(
    leader, unit_a, industry, stalled, bureau_user, building
):
    stalled.leader = leader
    stalled.save()
    blocker(stalled, unit_a, dt.date(2026, 7, 1))
    blocker(building, unit_a, dt.date(2026, 7, 1))  # not the leader's project
    order = order_services.order_raise_for_project(user=bureau_user, project=stalled)
    SupervisionOrder.objects.filter(pk=order.pk).update(
        level="red", second_due_on=dt.date(2026, 8, 1), red_on=dt.date(2026, 7, 14)
    )
    found = by_kind(todo_for(leader))
    assert found["stalled_projects"].count == 1
    assert found["stalled_projects"].link == "/projects/sponsored/?stalled=true"
    assert found["blockers_overdue"].count == 1
    assert found["orders_red"].count == 1
    other = UserFactory(username="leader2", role="leader", unit=leader.unit)
    assert todo_for(other) == []


def test_nothing_to_do_reads_so_on_the_home_page(client_as, officer_b):
    assert todo_for(officer_b) == []
    page = client_as(officer_b).get("/").content.decode()
    assert 'data-testid="work-queue-empty"' in page and "没有待办事项" in page


def test_the_home_page_is_the_queue_not_a_grid_of_the_navigation(
    client_as, unit_a, industry, building, stalled, bureau_user, officer_a
):
    unit_a_county(unit_a, industry, building, stalled, bureau_user, officer_a)
    page = client_as(officer_a).get("/").content.decode()
    content = page[page.index("<main") :]
    assert 'data-testid="work-queue"' in content
    assert "缺少银行回单" in content
    record = building.funds_records.get()
    assert f'href="{record.get_absolute_url()}"' in content
    assert 'href="/teams/"' not in content  # the menu's entries stay in the menu
    assert 'href="/leads/new/"' in content  # a quick link to start something new


def test_the_api_gives_the_same_list(api_as, client_as, officer_a, building, bureau_user):
    returned_record(officer_a, building, bureau_user)
    expected = [item.as_dict() for item in todo_for(officer_a)]
    by_token = api_as(officer_a).get("/api/v1/me/todo/")
    assert by_token.status_code == 200 and by_token.json() == expected
    by_session = client_as(officer_a).get("/api/v1/me/todo/")
    assert by_session.json() == expected
    assert expected[0]["kind"] == "funds_returned" and expected[0]["detail"] == "缺少银行回单"
    assert api_as(None).get("/api/v1/me/todo/").status_code == 401


def grow(unit_a, industry, bureau_user, n):
    """n more of every kind of row the queue counts, for unit A and the county."""
    for i in range(n):
        building = ProjectFactory(
            unit=unit_a, industry=industry, stage="constructing", signed_on=dt.date(2026, 1, 1)
        )
        stalled = ProjectFactory(
            unit=unit_a,
            industry=industry,
            stage="signed",
            signed_on=dt.date(2026, 3, 1),
            agreed_start_on=dt.date(2026, 6, 1),
        )
        funds_record(building, (2026, 7), "100", status="rejected")
        funds_record(stalled, (2026, 7), "100", status="submitted")
        blocker(building, unit_a, dt.date(2026, 7, 1))
        blocker(building, unit_a, dt.date(2026, 7, 18))
        lead = LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 1))
        LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 10))
        FollowUp.objects.create(lead=lead, note="电话联系", happened_on=dt.date(2026, 7, 2))
        make_trip((2026, 6, 1), (2026, 6, 2), unit=unit_a)
        make_trip((2026, 7, 9), (2026, 7, 10), unit=unit_a)
        DuplicatePair.objects.create(project=stalled, other=building, reason=f"同名{i}")
        Report.objects.create(
            kind="quarterly", period=dt.date(2000 + n * 10 + i, 1, 1), status="draft"
        )
        order_services.order_issue(
            user=bureau_user,
            data={
                "unit": unit_a,
                "subject_kind": "project",
                "project": building,
                "matter": f"推进{i}",
                "reason": "进度滞后",
                "due_on": dt.date(2026, 7, 25),
            },
        )


def queries_of(user):
    with CaptureQueriesContext(connection) as captured:
        todo_for(user)
    return len(captured)


def test_the_queue_costs_the_same_queries_at_two_sizes(users, unit_a, industry, bureau_user):
    Report.objects.create(kind="monthly", period=dt.date(2026, 6, 1), status="draft")
    grow(unit_a, industry, bureau_user, 2)
    roles = ["officer_a", "unit_head_a", "bureau", "leader"]
    few = {who: queries_of(users[who]) for who in roles}
    grow(unit_a, industry, bureau_user, 10)
    assert {who: queries_of(users[who]) for who in roles} == few
    assert max(few.values()) <= 14
