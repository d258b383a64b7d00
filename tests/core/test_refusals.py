"""Refusals are answered one way: a page in Chinese with the navigation, and the API's
JSON with the reason."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_a_refused_page_is_chinese_and_keeps_the_navigation(client_as, leader):
    response = client_as(leader).get("/projects/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="refusal"' in page
    assert "您无权录入和修改项目及其文件、卡壳问题。" in page
    assert "返回首页" in page
    assert 'aria-label="主导航"' in page or "navbar" in page
    assert "Forbidden" not in page


def test_a_refused_page_without_a_reason_says_so_in_chinese(client_as, officer_a):
    page = client_as(officer_a).get("/funds/queue/").content.decode()
    assert "您无权查看核验队列。" in page


@override_settings(DEBUG=False)
def test_a_missing_page_is_chinese_and_keeps_the_navigation(client_as, officer_a):
    response = client_as(officer_a).get("/projects/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="not-found"' in page and "页面不存在" in page
    assert officer_a.full_name in page  # the user menu of the navigation


def test_the_api_answers_a_refusal_with_its_reason(api_as, officer_a, bureau_user):
    response = api_as(officer_a).post("/api/v1/units/", {"code": "X", "name": "某"}, format="json")
    assert response.status_code == 403
    # the view's own check (the role may create no units) and the service's say the same
    assert "detail" in response.json()
    response = api_as(officer_a).post("/api/v1/reports/monthly/1/publish/", format="json")
    assert response.status_code == 403  # the role publishes nothing, whatever the report


def test_an_expired_form_is_told_in_chinese(officer_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post("/leads/new/", {"company_name": "某公司"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
