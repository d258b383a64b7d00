"""The monthly bulletin API: who may do what."""

import datetime as dt

import pytest

from core.models import Job
from reports.models import Report
from tests.grid import check_grid

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/monthly/"


@pytest.fixture
def reports():
    published = Report.objects.create(
        kind="monthly",
        period=dt.date(2026, 5, 1),
        status="published",
        figures={"period": "2026-05"},
    )
    draft = Report.objects.create(
        kind="monthly", period=dt.date(2026, 6, 1), figures={"period": "2026-06"}
    )
    return {"published": published, "draft": draft}


def test_list_and_detail_grid(users, api_as, reports):
    published, draft = reports["published"], reports["draft"]
    check_grid(
        users,
        api_as,
        URL,
        [(None, "GET", 401), ("officer_b", "GET", 200), ("leader", "GET", 200)],
        api=True,
    )
    check_grid(
        users,
        api_as,
        f"{URL}{published.pk}/",
        [
            (None, "GET", 401),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "DELETE", 405),
            ("bureau", "PATCH", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        f"{URL}{draft.pk}/",
        [
            (None, "GET", 401),
            ("officer_a", "GET", 404),
            ("leader", "GET", 404),
            ("bureau", "GET", 200),
            ("bureau", "DELETE", 405),
        ],
        api=True,
    )


def test_officers_list_published_only(users, api_as, reports):
    body = api_as(users["officer_a"]).get(URL).json()
    assert [r["id"] for r in body["results"]] == [reports["published"].pk]
    body = api_as(users["bureau"]).get(URL).json()
    assert body["count"] == 2
    body = api_as(users["bureau"]).get(URL, {"period": "2026-06"}).json()
    assert [(r["id"], r["status"]) for r in body["results"]] == [(reports["draft"].pk, "draft")]
    assert api_as(users["bureau"]).get(URL, {"period": "junk"}).status_code == 400
    detail = api_as(users["officer_a"]).get(f"{URL}{reports['published'].pk}/").json()
    assert detail["figures"] == {"period": "2026-05"} and detail["period"] == "2026-05"


def test_start_a_build_grid(users, api_as):
    check_grid(
        users,
        api_as,
        URL,
        [
            (None, "POST", 401),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "POST", 202),
        ],
        api=True,
        data={"period": "2026-06"},
    )
    job = Job.objects.get()
    assert job.params == {"period": "2026-06", "reason": ""}
    assert job.created_by == users["bureau"]


def test_start_a_build_validates(users, api_as, reports):
    client = api_as(users["bureau"])
    assert client.post(URL, {"period": "2026-6x"}, format="json").status_code == 400
    assert client.post(URL, {"period": "2999-01"}, format="json").status_code == 400
    # May is published: a rebuild needs a reason
    response = client.post(URL, {"period": "2026-05"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(URL, {"period": "2026-05", "reason": "更正"}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"


def test_publish_grid(users, api_as, reports):
    draft = reports["draft"]
    check_grid(
        users,
        api_as,
        f"{URL}{draft.pk}/publish/",
        [
            (None, "POST", 401),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "POST", 200),
            ("bureau", "POST", 400),  # already published
        ],
        api=True,
    )
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == users["bureau"]
