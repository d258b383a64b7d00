"""The pages: the list (filters, badges, flat queries), an order's page and its forms by
policy, the issue form, the one-click buttons on the project and blocker pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision import services
from supervision.models import SupervisionOrder
from tests.factories import UnitFactory
from tests.projects.conftest import pdf_upload
from tests.supervision.conftest import issue

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_users_orders_with_their_level(
    client_as, bureau_user, officer_b, unit_a, unit_b
):
    mine = issue(bureau_user, unit_a, matter="甲镇事项")
    issue(bureau_user, unit_b, matter="乙镇事项")
    SupervisionOrder.objects.filter(pk=mine.pk).update(
        level="red", second_due_on=dt.date(2026, 8, 1), red_on=dt.date(2026, 7, 14)
    )
    page = client_as(bureau_user).get(reverse("supervision:order_list")).content.decode()
    assert "甲镇事项" in page and "乙镇事项" in page
    assert 'data-level="red"' in page and "table-danger" in page
    red_only = client_as(bureau_user).get(reverse("supervision:order_list") + "?level=red")
    assert "乙镇事项" not in red_only.content.decode()
    theirs = client_as(officer_b).get(reverse("supervision:order_list")).content.decode()
    assert "乙镇事项" in theirs and "甲镇事项" not in theirs


def test_the_list_exports_the_level_as_text(client_as, bureau_user, unit_a):
    issue(bureau_user, unit_a)
    response = client_as(bureau_user).get(reverse("supervision:order_list") + "?export=xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("supervision:order_list")).status_code == 200
    return len(captured)


def test_the_list_and_the_api_take_as_many_queries_for_many_orders(
    client_as, api_as, bureau_user, unit_a
):
    issue(bureau_user, unit_a)
    page, api = client_as(bureau_user), api_as(bureau_user)

    def api_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/orders/").status_code == 200
        return len(captured)

    list_queries(page), api_queries()  # warm: the first request reads what it keeps
    small_page, small_api = list_queries(page), api_queries()
    for n in range(8):
        issue(bureau_user, UnitFactory(code=f"X{n}"), matter=f"事项{n}")
    assert list_queries(page) == small_page
    assert api_queries() == small_api


def test_the_unit_answers_on_the_page_and_the_bureau_closes(
    client_as, order, officer_a, bureau_user
):
    url = reverse("supervision:order_detail", args=[order.pk])
    page = client_as(officer_a).get(url).content.decode()
    assert 'data-testid="answer-form"' in page and 'data-testid="decide-forms"' not in page
    response = client_as(officer_a).post(
        reverse("supervision:order_answer", args=[order.pk]),
        {"answer-text": "已完成整改", "answer-evidence": pdf_upload("整改报告.pdf")},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "answered"
    page = client_as(bureau_user).get(url).content.decode()
    assert 'data-testid="decide-forms"' in page and "整改报告.pdf" in page
    response = client_as(bureau_user).post(reverse("supervision:order_close", args=[order.pk]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "closed"


def test_an_answer_without_evidence_comes_back_with_the_error(client_as, order, officer_a):
    response = client_as(officer_a).post(
        reverse("supervision:order_answer", args=[order.pk]), {"answer-text": "已整改"}
    )
    assert response.status_code == 200
    assert response.context["answer_form"].errors["evidence"]


def test_the_bureau_returns_with_a_reason_on_the_page(client_as, answered, bureau_user, officer_a):
    url = reverse("supervision:order_return", args=[answered.pk])
    assert client_as(bureau_user).post(url, {}).status_code == 200  # no reason: the form again
    assert client_as(bureau_user).post(url, {"return-reason": "材料不全"}).status_code == 302
    answered.refresh_from_db()
    assert answered.status == "returned"
    page = client_as(officer_a).get(answered.get_absolute_url()).content.decode()
    assert "材料不全" in page and 'data-testid="answer-form"' in page


def test_closing_an_open_order_on_the_page_says_why(client_as, order, bureau_user):
    response = client_as(bureau_user).post(
        reverse("supervision:order_close", args=[order.pk]), follow=True
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "open"
    assert list(response.context["messages"])


def test_leaders_read_the_order_without_forms(client_as, answered, leader):
    page = client_as(leader).get(answered.get_absolute_url()).content.decode()
    assert "answer-form" not in page and "decide-forms" not in page


def test_the_bureau_issues_through_the_form(client_as, bureau_user, unit_a):
    response = client_as(bureau_user).post(
        reverse("supervision:order_create"),
        {
            "unit": unit_a.pk,
            "subject_kind": "report",
            "report_period": "2026-06",
            "matter": "补报6月到位资金",
            "reason": "6月资金未报送",
            "due_on": "2026-07-20",
        },
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get()
    assert order.report_period == dt.date(2026, 6, 1) and order.issued_by == bureau_user


def test_the_issue_form_shows_the_services_refusal_beside_the_field(client_as, bureau_user, unit_a):
    response = client_as(bureau_user).post(
        reverse("supervision:order_create"),
        {
            "unit": unit_a.pk,
            "subject_kind": "project",
            "matter": "x",
            "reason": "y",
            "due_on": "2026-07-20",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["project"]


def test_the_raise_button_on_a_stalled_project_is_the_bureaus(
    client_as, bureau_user, officer_a, leader, stalled_project
):
    url = stalled_project.get_absolute_url()
    raise_url = reverse("supervision:raise_for_project", args=[stalled_project.pk])
    assert raise_url in client_as(bureau_user).get(url).content.decode()
    for user in (officer_a, leader):
        assert raise_url not in client_as(user).get(url).content.decode()
    response = client_as(bureau_user).post(raise_url)
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    again = client_as(bureau_user).post(raise_url)  # one live order: back to the project
    assert again["Location"] == url and SupervisionOrder.objects.count() == 1


def test_the_raise_button_on_an_overdue_blocker(client_as, bureau_user, officer_a, overdue_blocker):
    raise_url = reverse("supervision:raise_for_blocker", args=[overdue_blocker.pk])
    project_page = overdue_blocker.project.get_absolute_url() + "?tab=blockers"
    blocker_page = reverse("projects:blocker_update", args=[overdue_blocker.pk])
    assert raise_url in client_as(bureau_user).get(project_page).content.decode()
    assert raise_url in client_as(bureau_user).get(blocker_page).content.decode()
    assert raise_url not in client_as(officer_a).get(project_page).content.decode()
    assert client_as(officer_a).post(raise_url).status_code == 403
    assert client_as(bureau_user).post(raise_url).status_code == 302
    order = SupervisionOrder.objects.get()
    assert order.blocker == overdue_blocker and order.unit == overdue_blocker.owner_unit


def test_a_project_not_stalled_shows_no_button(client_as, bureau_user, project_b):
    raise_url = reverse("supervision:raise_for_project", args=[project_b.pk])
    assert (
        raise_url not in client_as(bureau_user).get(project_b.get_absolute_url()).content.decode()
    )


def test_the_nav_names_the_orders(client_as, officer_a):
    assert reverse("supervision:order_list") in client_as(officer_a).get("/").content.decode()


def test_an_order_raised_elsewhere_reads_on_its_page(
    client_as, bureau_user, stalled_project, leader
):
    order = services.order_raise_for_project(user=bureau_user, project=stalled_project)
    page = client_as(leader).get(order.get_absolute_url()).content.decode()
    assert stalled_project.name in page


def test_the_home_page_shows_red_orders_to_the_unit_and_the_responsible_leader(
    client_as, users, bureau_user, leader, stalled_project
):
    stalled_project.leader = leader
    stalled_project.save()
    order = services.order_raise_for_project(user=bureau_user, project=stalled_project)
    for key in ("unit_head_a", "leader", "officer_b"):
        assert 'data-testid="red-orders"' not in client_as(users[key]).get("/").content.decode()
    SupervisionOrder.objects.filter(pk=order.pk).update(
        level="red", second_due_on=dt.date(2026, 7, 30), red_on=dt.date(2026, 7, 14)
    )
    for key in ("unit_head_a", "officer_a", "leader", "bureau"):
        page = client_as(users[key]).get("/").content.decode()
        assert 'data-testid="red-orders"' in page and order.get_absolute_url() in page, key
    assert 'data-testid="red-orders"' not in client_as(users["officer_b"]).get("/").content.decode()
