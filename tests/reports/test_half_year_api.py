"""The half-year inspection (半年一督查) over the API: inspections (published ones for
everyone, drafts for the bureau) with their checklist, units and findings; findings where
the unit reports its rectification and the bureau confirms or returns it; pagination,
filters, errors and flat query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import InspectedUnit, Rectification
from reports.services.halfyear import finding_record, halfyear_publish, halfyear_units_add
from tests.factories import UnitFactory
from tests.grid import check_grid
from tests.reports.half_year import make_half_year, record_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 20, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def half(unit_a, unit_b, bureau_user):
    return make_half_year(unit_a, unit_b, bureau_user)


@pytest.fixture
def found(half, bureau_user):
    return record_results(half, bureau_user)


@pytest.fixture
def published(half, found, bureau_user):
    halfyear_publish(inspection=half.inspection, user=bureau_user)
    return half


def test_the_api_grid_and_content(users, api_as, published, found, officer_a):
    listing = "/api/v1/reports/inspections/"
    check_grid(
        users,
        api_as,
        listing,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("leader", "POST", 403),
            ("officer_a", "POST", 405),
        ],
        api=True,
    )
    body = api_as(users["officer_b"]).get(listing, {"year": 2026, "half": 1}).json()
    assert body["count"] == 1 and set(body) == {"count", "next", "previous", "results"}
    row = body["results"][0]
    assert (row["unit_count"], row["item_count"], row["finding_count"], row["open_count"]) == (
        2,
        3,
        4,
        3,
    )
    assert api_as(users["bureau"]).get(listing, {"half": 2}).json()["count"] == 0
    assert api_as(users["bureau"]).get(listing, {"unit": published.park.pk}).json()["count"] == 0
    assert api_as(users["bureau"]).get(listing, {"year": "abc"}).status_code == 400
    assert api_as(users["bureau"]).get(listing, {"ordering": "-year"}).status_code == 200
    detail = api_as(users["officer_b"]).get(f"{listing}{published.inspection.pk}/").json()
    assert [i["title"] for i in detail["items"]] == ["招商台账", "项目推进", "资金到位"]
    assert {u["unit_name"]: u["outcome"] for u in detail["units"]} == {
        "甲镇": "fairly_good",
        "乙镇": "",
    }
    ledger = next(f for f in detail["findings"] if f["text"] == "台账缺少5月记录")
    assert ledger["deadline"] == "2026-06-30" and ledger["file"].endswith(
        f"/files/halfyear-finding/{found['a_ledger'].pk}/"
    )
    assert api_as(users["bureau"]).get(f"{listing}999999/").status_code == 404


def test_a_rectification_over_the_api(users, api_as, published, found):
    url = f"/api/v1/reports/inspection-findings/{found['a_ledger'].pk}/"
    assert (
        api_as(users["officer_a"]).post(url + "rectify/", {"note": ""}, format="json").status_code
        == 400
    )
    assert (
        api_as(users["officer_b"])
        .post(url + "rectify/", {"note": "代报"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_as(users["bureau"]).post(url + "rectify/", {"note": "x"}, format="json").status_code
        == 403
    )
    assert api_as(users["leader"]).post(url + "confirm/").status_code == 403
    response = api_as(users["officer_a"]).post(url + "rectify/", {"note": "已补录"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "reported"
    refused = api_as(users["bureau"]).post(url + "return/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    assert api_as(users["officer_a"]).post(url + "confirm/").status_code == 403
    confirmed = api_as(users["bureau"]).post(url + "confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "rectified"
    assert Rectification.objects.get().status == "confirmed"
    again = api_as(users["bureau"]).post(url + "confirm/")
    assert again.status_code == 400 and "non_field_errors" in again.json()
    findings = (
        api_as(users["officer_b"])
        .get("/api/v1/reports/inspection-findings/", {"unit": found["a_ledger"].inspected.unit_id})
        .json()
    )
    assert findings["count"] == 3


def test_the_drafts_are_the_bureaus(users, api_as, half, found):
    url = f"/api/v1/reports/inspections/{half.inspection.pk}/"
    check_grid(
        users,
        api_as,
        url,
        [("officer_a", "GET", 404), ("leader", "GET", 404), ("bureau", "GET", 200)],
        api=True,
    )
    assert api_as(users["leader"]).get("/api/v1/reports/inspections/").json()["count"] == 0
    # The unit sees its own findings of the draft, to rectify them; not another unit's.
    own = api_as(users["officer_a"]).get("/api/v1/reports/inspection-findings/").json()
    assert sorted(f["text"] for f in own["results"]) == [
        "两个签约项目未按期开工",
        "凭证齐全",
        "台账缺少5月记录",
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_api_queries_do_not_grow_with_units_and_findings(users, api_as, published, bureau_user):
    client = api_as(users["leader"])
    urls = [
        "/api/v1/reports/inspections/",
        f"/api/v1/reports/inspections/{published.inspection.pk}/",
        "/api/v1/reports/inspection-findings/",
    ]
    before = [_queries(client, url) for url in urls]
    inspection = published.inspection
    type(inspection).objects.filter(pk=inspection.pk).update(status="draft")
    more = [UnitFactory(code=f"R{n}", name=f"增镇{n}") for n in range(5)]
    halfyear_units_add(inspection=inspection, units=more, user=bureau_user)
    for row in InspectedUnit.objects.filter(unit__in=more):
        for item in published.items:
            finding_record(
                inspected=row,
                item=item,
                text="问题",
                deadline=dt.date(2026, 8, 1),
                user=bureau_user,
            )
    type(inspection).objects.filter(pk=inspection.pk).update(status="published")
    assert [_queries(client, url) for url in urls] == before
