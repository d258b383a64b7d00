"""The quarterly review API (/api/v1/reports/quarterly/): who may do what, the filters,
starting a build, publishing and the workbook."""

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.utils import translation

from core.models import Job
from reports.models import Report
from reports.tasks import JOB_KIND_QUARTERLY
from tests.grid import check_grid

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/quarterly/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def reports():
    published = Report.objects.create(
        kind="quarterly",
        period=dt.date(2026, 1, 1),
        status="published",
        figures={"kind": "quarterly", "year": 2026, "quarter": 1},
    )
    draft = Report.objects.create(
        kind="quarterly",
        period=dt.date(2026, 4, 1),
        figures={"kind": "quarterly", "year": 2026, "quarter": 2},
    )
    old = Report.objects.create(
        kind="quarterly",
        period=dt.date(2025, 4, 1),
        status="published",
        figures={"kind": "quarterly", "year": 2025, "quarter": 2},
    )
    monthly = Report.objects.create(
        kind="monthly", period=dt.date(2026, 4, 1), status="published", figures={}
    )
    return {"published": published, "draft": draft, "old": old, "monthly": monthly}


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
            ("bureau", "PUT", 405),
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
        ],
        api=True,
    )
    # a monthly bulletin is not found here
    check_grid(users, api_as, f"{URL}{reports['monthly'].pk}/", [("bureau", "GET", 404)], api=True)


def test_list_filters_and_fields(users, api_as, reports):
    officer = api_as(users["officer_a"]).get(URL).json()
    assert [r["id"] for r in officer["results"]] == [reports["published"].pk, reports["old"].pk]
    bureau = api_as(users["bureau"])
    assert bureau.get(URL).json()["count"] == 3
    body = bureau.get(URL, {"year": 2026, "quarter": 2}).json()
    assert [(r["id"], r["status"], r["year"], r["quarter"]) for r in body["results"]] == [
        (reports["draft"].pk, "draft", 2026, 2)
    ]
    assert [r["id"] for r in bureau.get(URL, {"quarter": 2}).json()["results"]] == [
        reports["draft"].pk,
        reports["old"].pk,
    ]
    assert bureau.get(URL, {"year": 2025}).json()["count"] == 1
    response = bureau.get(URL, {"quarter": "5"})
    assert response.status_code == 400 and "quarter" in response.json()
    response = bureau.get(URL, {"year": "去年"})
    assert response.status_code == 400 and "year" in response.json()
    detail = api_as(users["officer_a"]).get(f"{URL}{reports['published'].pk}/").json()
    assert (detail["period"], detail["year"], detail["quarter"]) == ("2026-01", 2026, 1)
    assert detail["figures"] == {"kind": "quarterly", "year": 2026, "quarter": 1}


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
        data={"year": 2026, "quarter": 2},
    )
    job = Job.objects.get()
    assert job.kind == JOB_KIND_QUARTERLY
    assert job.params == {"year": 2026, "quarter": 2, "reason": ""}
    assert job.created_by == users["bureau"]


def test_start_a_build_validates_in_the_users_language(users, api_as, reports):
    client = api_as(users["bureau"])
    response = client.post(URL, {"year": "今年", "quarter": 2}, format="json")
    assert response.status_code == 400
    assert response.json() == {"year": ["请填写合法的整数值。"]}
    response = client.post(URL, {"year": 2026, "quarter": 5}, format="json")
    assert response.json() == {"quarter": ["请确保该值小于或者等于 4。"]}
    response = client.post(URL, {"quarter": 1}, format="json")
    assert response.json() == {"year": ["该字段是必填项。"]}
    response = client.post(URL, {"year": 2026, "quarter": 4}, format="json")  # not started
    assert response.status_code == 400 and list(response.json()) == ["quarter"]
    with translation.override("en"):
        response = client.post(
            URL, {"year": 2026, "quarter": 4}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.json()["quarter"] == [
        "A review cannot be built for a quarter that has not started."
    ]
    # Q1 is published: a rebuild needs a reason
    response = client.post(URL, {"year": 2026, "quarter": 1}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["reason"]
    assert not Job.objects.exists()
    response = client.post(URL, {"year": 2026, "quarter": 1, "reason": "更正"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    assert Job.objects.get(pk=body["id"]).params == {"year": 2026, "quarter": 1, "reason": "更正"}


def test_publish_grid(users, api_as, reports):
    draft = reports["draft"]
    check_grid(
        users,
        api_as,
        f"{URL}{draft.pk}/publish/",
        [
            (None, "POST", 401),
            ("officer_a", "POST", 403),  # writing is the bureau's, before any lookup
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
            ("bureau", "POST", 200),
            ("bureau", "POST", 400),  # already published
        ],
        api=True,
    )
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == users["bureau"]
    check_grid(
        users,
        api_as,
        f"{URL}{draft.pk}/publish/",
        [("officer_a", "POST", 403), ("leader", "POST", 403)],
        api=True,
    )


def test_workbook_grid(users, api_as, reports):
    published, draft = reports["published"], reports["draft"]
    check_grid(
        users,
        api_as,
        f"{URL}{published.pk}/xlsx/",
        [
            (None, "GET", 401),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "POST", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        f"{URL}{draft.pk}/xlsx/",
        [("officer_a", "GET", 404), ("bureau", "GET", 200)],
        api=True,
    )
    response = api_as(users["officer_a"]).get(f"{URL}{published.pk}/xlsx/")
    assert response.content[:2] == b"PK"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        "青山县招商引资工作季度调度（2026年第1季度）.xlsx"
    )
