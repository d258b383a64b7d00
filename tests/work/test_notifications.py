"""Notifications (core.notifications): what lands on a person is told to them once, inside
the service's transaction, never to the one who acted; the pages, the navbar's badge and
the API (`/api/v1/me/notifications/`)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Notification
from core.notifications import notify
from projects import services as project_services
from projects.models import DuplicatePair
from supervision import services as order_services
from tests.factories import ProjectFactory, UserFactory
from tests.projects.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def told(user, kind=None):
    notes = Notification.objects.filter(recipient=user)
    return list(notes.filter(kind=kind) if kind else notes)


def submit(officer, project, amount="500", record=None):
    return project_services.funds_submit(
        user=officer,
        project=project,
        period=dt.date(2026, 7, 1),
        kind="funds",
        amount_wan=Decimal(amount),
        evidence=pdf_upload("回单.pdf"),
        record=record,
    )


def test_a_returned_record_is_told_to_its_submitter_once_per_return(
    officer_a, unit_head_a, bureau_user, building
):
    record = submit(officer_a, building)
    project_services.funds_reject(record=record, user=bureau_user, reason="缺少银行回单")
    [note] = told(officer_a, "funds_returned")
    assert "缺少银行回单" in note.text and "甲镇新材料产业园" in note.text
    assert note.link == record.get_absolute_url() and note.read_at is None
    assert told(bureau_user) == []  # the actor is never told
    assert told(unit_head_a) == []  # the submitter is there: only they are told
    # submitted again and returned again: a new event, told again
    record = submit(officer_a, building, "400", record=record)
    project_services.funds_reject(record=record, user=bureau_user, reason="金额有误")
    assert len(told(officer_a, "funds_returned")) == 2


def test_a_record_whose_submitter_left_is_told_to_the_units_staff(
    officer_a, unit_head_a, officer_b, bureau_user, building
):
    record = submit(officer_a, building)
    officer_a.is_active = False
    officer_a.save()
    project_services.funds_reject(record=record, user=bureau_user, reason="缺少银行回单")
    assert told(officer_a) == []  # deactivated: told nothing
    assert len(told(unit_head_a, "funds_returned")) == 1
    assert told(officer_b) == []


def test_a_blocker_given_to_a_unit_is_told_to_its_staff_not_to_the_one_who_gave_it(
    officer_a, unit_head_a, officer_b, unit_a, unit_b, building
):
    data = {"category": "land", "description": "用地指标未落实", "due_on": dt.date(2026, 8, 1)}
    blocker = project_services.blocker_create(
        project=building, user=officer_a, data={**data, "owner_unit": unit_b}
    )
    [note] = told(officer_b, "blocker_assigned")
    assert "用地指标未落实" in note.text and "2026-08-01" in note.text
    assert note.link == f"/blockers/?project={building.pk}&owner_unit={unit_b.pk}"
    assert told(officer_a) == [] and told(unit_head_a) == []
    # changed without a new unit: nobody is told again
    project_services.blocker_update(
        blocker=blocker, user=officer_a, data={**data, "owner_unit": unit_b, "status": "open"}
    )
    assert len(told(officer_b)) == 1
    # given back to unit A by officer A: their head is told, they are not
    project_services.blocker_update(
        blocker=blocker, user=officer_a, data={**data, "owner_unit": unit_a, "status": "open"}
    )
    assert len(told(unit_head_a, "blocker_assigned")) == 1 and told(officer_a) == []


def test_a_duplicate_decision_is_told_to_both_units_each_with_its_own_project(
    officer_a, officer_b, unit_b, bureau_user, building, industry
):
    twin = ProjectFactory(unit=unit_b, industry=industry, name=building.name)
    pair = DuplicatePair.objects.create(project=twin, other=building, reason="同名")
    project_services.duplicate_decide(pair=pair, user=bureau_user, decision="distinct")
    [a] = told(officer_a, "duplicate_decided")
    [b] = told(officer_b, "duplicate_decided")
    assert a.link == building.get_absolute_url() and b.link == twin.get_absolute_url()
    assert "已判定" in a.text and a.text == b.text
    assert told(bureau_user) == []


def test_a_duplicate_pair_of_one_unit_is_told_once(officer_a, bureau_user, building, industry):
    twin = ProjectFactory(unit=building.unit, industry=industry, name=building.name)
    pair = DuplicatePair.objects.create(project=twin, other=building, reason="同名")
    project_services.duplicate_decide(pair=pair, user=bureau_user, decision="distinct")
    assert len(told(officer_a, "duplicate_decided")) == 1


def test_an_order_issued_and_an_answer_returned_are_told_to_the_unit(
    officer_a, unit_head_a, officer_b, bureau_user, unit_a
):
    order = order_services.order_issue(
        user=bureau_user,
        data={
            "unit": unit_a,
            "subject_kind": "other",
            "matter": "报送上半年总结",
            "reason": "未按期报送",
            "due_on": dt.date(2026, 7, 25),
        },
    )
    for person in (officer_a, unit_head_a):
        [note] = told(person, "order_issued")
        assert "报送上半年总结" in note.text and note.link == f"/orders/{order.pk}/"
    assert told(officer_b) == [] and told(bureau_user) == []
    order_services.order_answer(user=officer_a, order=order, text="已报送", evidence=pdf_upload())
    order_services.order_return(user=bureau_user, order=order, reason="缺少附件")
    assert "缺少附件" in told(unit_head_a, "order_returned")[0].text
    assert len(told(officer_a, "order_returned")) == 1


def test_the_same_event_told_twice_makes_one_notification(officer_a):
    for _ in range(2):
        notify([officer_a], kind="x", text="一件事", link="/", key="event:1")
    notify([officer_a], kind="x", text="没有键的事")
    notify([officer_a], kind="x", text="没有键的事")
    assert Notification.objects.filter(recipient=officer_a, key="event:1").count() == 1
    assert Notification.objects.filter(recipient=officer_a, key="").count() == 2


# --- Pages ------------------------------------------------------------------------------------


def note_for(user, text="您单位收到督办单", link="/orders/"):
    return Notification.objects.create(recipient=user, kind="order_issued", text=text, link=link)


def test_the_page_lists_ones_own_and_opening_one_reads_it(client_as, officer_a, officer_b):
    mine = note_for(officer_a, "甲的通知")
    theirs = note_for(officer_b, "乙的通知")
    client = client_as(officer_a)
    page = client.get("/notifications/").content.decode()
    assert "甲的通知" in page and "乙的通知" not in page
    response = client.post(f"/notifications/{mine.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/orders/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert "甲的通知" not in client.get("/notifications/?unread=1").content.decode()


def test_an_outside_link_is_never_followed(client_as, officer_a):
    note = note_for(officer_a, link="https://evil.example.com/")
    response = client_as(officer_a).post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_mark_all_read(client_as, officer_a, officer_b):
    for _ in range(3):
        note_for(officer_a)
    note_for(officer_b)
    response = client_as(officer_a).post("/notifications/read-all/")
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=officer_a, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=officer_b, read_at__isnull=True).count() == 1


def page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_the_navbar_badge_counts_unread_in_one_query_whatever_their_number(client_as, officer_a):
    client = client_as(officer_a)
    response, none = page_queries(client, "/password/")
    assert 'data-testid="unread-count"' not in response.content.decode()
    note_for(officer_a)
    response, one = page_queries(client, "/password/")
    assert 'data-testid="unread-count">1<' in response.content.decode()
    for _ in range(9):
        note_for(officer_a)
    response, ten = page_queries(client, "/password/")
    assert 'data-testid="unread-count">10<' in response.content.decode()
    assert none == one == ten


# --- API --------------------------------------------------------------------------------------


def test_the_api_lists_marks_read_and_marks_all_read(api_as, officer_a, officer_b, leader):
    first, second = note_for(officer_a, "一"), note_for(officer_a, "二")
    theirs = note_for(officer_b, "乙")
    api = api_as(officer_a)
    listed = api.get("/api/v1/me/notifications/").json()
    assert [n["text"] for n in listed["results"]] == ["二", "一"]
    assert listed["results"][0]["is_read"] is False
    read = api.post(f"/api/v1/me/notifications/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["is_read"] is True
    unread = api.get("/api/v1/me/notifications/?unread=true").json()["results"]
    assert [n["id"] for n in unread] == [second.pk]
    assert api.post(f"/api/v1/me/notifications/{theirs.pk}/read/").status_code == 404
    assert api.post("/api/v1/me/notifications/read-all/").json() == {"marked": 1}
    # reading one's own notifications is no change of the county's: a leader may
    mine = note_for(leader, "领导的通知")
    assert api_as(leader).post(f"/api/v1/me/notifications/{mine.pk}/read/").status_code == 200
    assert api_as(None).get("/api/v1/me/notifications/").status_code == 401


def test_a_new_account_has_nothing(officer_a):
    other = UserFactory(username="someone_new", unit=officer_a.unit)
    assert told(other) == []
