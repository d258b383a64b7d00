"""Lists answered again while the database is unchanged (core.unchanged): the same bytes
without the list's queries, never across users, never after a change."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext

from core.unchanged import database_position
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keeping(settings):
    settings.UNCHANGED_ANSWER_SECONDS = 60


API = "/api/v1/projects/?ordering=code"
PAGE = "/projects/?ordering=code"


def answer(client, url: str) -> tuple[bytes, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content, [query["sql"] for query in captured]


def asked_twice(client, url: str) -> tuple[bytes, bytes, list[str]]:
    """Both answers and the queries of the second, asked while nothing was written (the
    write-ahead log is the server's: another database's write moves it too, so try again)."""
    for _ in range(20):
        before = database_position()
        first, _queries = answer(client, url)
        again, queries = answer(client, url)
        if database_position() == before:
            return first, again, queries
    raise AssertionError("the database kept changing")


def reads_projects(queries: list[str], table: str = "projects_project") -> bool:
    return any(table in sql for sql in queries)


def built_afresh(client, url: str, settings) -> list[str]:
    """The queries of an answer built with nothing kept: what a kept answer spares."""
    settings.UNCHANGED_ANSWER_SECONDS = 0
    try:
        return answer(client, url)[1]
    finally:
        settings.UNCHANGED_ANSWER_SECONDS = 60


def test_an_unchanged_list_is_answered_again_without_its_queries(
    api_as, officer_a, industry, settings
):
    ProjectFactory(unit=officer_a.unit, industry=industry, name="甲项目")
    client = api_as(officer_a)
    assert reads_projects(built_afresh(client, API, settings))
    first, again, queries = asked_twice(client, API)
    assert again == first and "甲项目" in again.decode()
    assert not reads_projects(queries)


def test_a_change_is_seen_at_once(api_as, officer_a, industry):
    project = ProjectFactory(unit=officer_a.unit, industry=industry, name="甲项目")
    client = api_as(officer_a)
    answer(client, API)
    project.name = "甲项目（改名）"
    project.save()
    content, _queries = answer(client, API)
    assert "甲项目（改名）" in content.decode()
    ProjectFactory(unit=officer_a.unit, industry=industry, name="新项目")
    assert "新项目" in answer(client, API)[0].decode()


def test_each_user_gets_their_own_answer(api_as, officer_a, officer_b, bureau_user, industry):
    ProjectFactory(unit=officer_a.unit, industry=industry, name="甲项目")
    ProjectFactory(unit=officer_b.unit, industry=industry, name="乙项目")
    everything = answer(api_as(bureau_user), API)[0].decode()
    assert "甲项目" in everything and "乙项目" in everything
    own = answer(api_as(officer_a), API)[0].decode()
    assert "甲项目" in own and "乙项目" not in own


def test_the_language_is_part_of_the_answer(api_as, officer_a, industry):
    ProjectFactory(unit=officer_a.unit, industry=industry)
    client = api_as(officer_a)
    chinese = client.get("/api/v1/projects/?stage=x", HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get("/api/v1/projects/?stage=x", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 400
    assert chinese.content != english.content


def test_a_page_is_kept_but_never_with_a_message(client_as, officer_a, industry, settings):
    ProjectFactory(unit=officer_a.unit, industry=industry, name="甲项目")
    client = client_as(officer_a)
    client.get(PAGE)  # the first page of a session sets its CSRF cookie
    assert reads_projects(built_afresh(client, PAGE, settings))
    first, again, queries = asked_twice(client, PAGE)
    assert again == first and "甲项目" in again.decode()
    assert not reads_projects(queries)

    # a one-off message ("Saved.") is shown once, so that page is built afresh
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, "已保存一条提示")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    assert "已保存一条提示" in client.get(PAGE).content.decode()
    assert "已保存一条提示" not in client.get(PAGE).content.decode()


def test_nothing_is_kept_when_switched_off(api_as, officer_a, industry, settings):
    settings.UNCHANGED_ANSWER_SECONDS = 0
    ProjectFactory(unit=officer_a.unit, industry=industry)
    _first, _again, queries = asked_twice(api_as(officer_a), API)
    assert reads_projects(queries)


def test_the_dashboard_is_kept_too(api_as, bureau_user, officer_a, industry, settings):
    ProjectFactory(unit=officer_a.unit, industry=industry, name="甲项目")
    url = "/api/v1/dashboard/?source=live"
    client = api_as(bureau_user)
    assert reads_projects(built_afresh(client, url, settings))
    first, again, queries = asked_twice(client, url)
    assert again == first and not reads_projects(queries)


def test_the_dashboard_page_is_kept_too(client_as, leader, settings):
    client = client_as(leader)
    client.get("/")  # the CSRF cookie
    assert reads_projects(built_afresh(client, "/dashboard/", settings), "reports_report")
    first, again, queries = asked_twice(client, "/dashboard/")
    assert again == first and "dashboard" in again.decode()
    assert not reads_projects(queries, "reports_report")
