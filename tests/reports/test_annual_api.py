"""The year-end assessment in the API (`/api/v1/reports/assessments/`): the list paginated
and filtered as the other lists are, bad filters answered 400; a build started as a job;
the snapshot and the workbook for the bureau and leaders; the breakdowns, a unit's staff
seeing only their own (another unit's: 404); publishing."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from core.models import Job
from reports.models import Report
from reports.services import report_build, report_publish
from tests.reports.annual_county import AFTER_THE_YEAR, YEAR, build_annual_county, hand_scheme

pytestmark = pytest.mark.django_db
D = Decimal
PERIOD = dt.date(YEAR, 1, 1)
URL = "/api/v1/reports/assessments/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        yield


@pytest.fixture
def county(unit_a, unit_b, users, bureau_user):
    built = build_annual_county(unit_a, unit_b, bureau_user)
    hand_scheme(bureau_user)
    return built


@pytest.fixture
def published(county, bureau_user):
    report = report_build(kind="annual", period=PERIOD, user=bureau_user)
    return report_publish(report=report, user=bureau_user, confirm=True, note="按时发布")


def test_the_list_is_paginated_and_filtered(api_as, published, bureau_user, officer_a):
    draft = report_build(kind="annual", period=PERIOD, user=bureau_user, reason="补录")
    body = api_as(bureau_user).get(URL).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [(r["id"], r["year"], r["version"], r["status"]) for r in body["results"]] == [
        (draft.pk, 2026, 2, "draft"),
        (published.pk, 2026, 1, "published"),
    ]
    assert "figures" not in body["results"][0]
    assert api_as(bureau_user).get(URL, {"status": "published"}).json()["count"] == 1
    assert api_as(bureau_user).get(URL, {"year": 2025}).json()["count"] == 0
    assert (
        api_as(bureau_user).get(URL, {"ordering": "version"}).json()["results"][0]["version"] == 1
    )
    bad = api_as(bureau_user).get(URL, {"year": "二〇二六"})
    assert bad.status_code == 400 and "year" in bad.json()
    assert api_as(bureau_user).get(URL, {"status": "lost"}).status_code == 400
    # a unit's staff list the published versions only
    theirs = api_as(officer_a).get(URL).json()
    assert [r["id"] for r in theirs["results"]] == [published.pk]


def test_the_snapshot_is_the_bureaus_and_the_leaders(api_as, published, users):
    detail = f"{URL}{published.pk}/"
    for key in ("bureau", "leader"):
        body = api_as(users[key]).get(detail).json()
        assert body["year"] == 2026 and body["figures"]["kind"] == "annual"
        totals = {
            unit["code"]: unit["total"]
            for group in body["figures"]["unit_groups"]
            for unit in group["units"]
        }
        assert totals["UA"] == "75.82" and totals["PK"] == "83.67"
    assert api_as(users["officer_a"]).get(detail).status_code == 404
    assert api_as(users["officer_a"]).get(f"{detail}xlsx/").status_code == 404
    workbook = api_as(users["leader"]).get(f"{detail}xlsx/")
    assert workbook.status_code == 200 and workbook["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert api_as(None).get(detail).status_code == 401


def test_a_unit_reads_only_its_own_breakdown(api_as, published, users, unit_a, unit_b):
    units = f"{URL}{published.pk}/units/"
    mine = api_as(users["officer_a"]).get(units).json()
    assert mine["count"] == 1
    (row,) = mine["results"]
    assert (row["unit"]["unit_id"], row["group"], row["group_size"]) == (unit_a.pk, "township", 2)
    assert row["unit"]["total"] == "75.82" and row["unit"]["grade"] == "good"
    lines = {line["metric"]: line for line in row["unit"]["indicators"]}
    assert (lines["funds"]["actual"], lines["funds"]["points"]) == ("2599.00", "25.99")
    deductions = {line["item"]: line for line in row["unit"]["deductions"]}
    assert (deductions["red_orders"]["count"], deductions["red_orders"]["capped"]) == (2, True)
    assert [m["note"] for m in row["unit"]["manual"]] == [
        "“链长制”招商经验被市里推广",
        "三季度总结逾期报送",
    ]
    own = api_as(users["unit_head_a"]).get(f"{units}{unit_a.pk}/")
    assert own.status_code == 200 and own.json()["unit"]["code"] == "UA"
    assert api_as(users["officer_a"]).get(f"{units}{unit_b.pk}/").status_code == 404
    assert api_as(users["officer_b"]).get(f"{units}{unit_a.pk}/").status_code == 404
    assert api_as(users["bureau"]).get(units).json()["count"] == 5
    assert api_as(users["leader"]).get(f"{units}{unit_b.pk}/").json()["unit"]["total"] == "22.89"
    assert api_as(users["bureau"]).get(f"{units}999999/").status_code == 404


def test_a_draft_is_the_bureaus(api_as, county, users, unit_a, bureau_user):
    draft = report_build(kind="annual", period=PERIOD, user=bureau_user)
    for key in ("officer_a", "leader"):
        assert api_as(users[key]).get(f"{URL}{draft.pk}/").status_code == 404
        assert api_as(users[key]).get(f"{URL}{draft.pk}/units/{unit_a.pk}/").status_code == 404
    assert api_as(users["bureau"]).get(f"{URL}{draft.pk}/units/").json()["count"] == 5


def test_the_bureau_builds_and_publishes(api_as, county, users, bureau_user):
    assert api_as(users["officer_a"]).post(URL, {"year": YEAR}, format="json").status_code == 403
    assert api_as(users["leader"]).post(URL, {"year": YEAR}, format="json").status_code == 403
    started = api_as(bureau_user).post(URL, {"year": YEAR}, format="json")
    assert started.status_code == 202
    job = Job.objects.get(pk=started.json()["id"])
    assert (job.kind, job.params) == ("reports.annual_assessment", {"year": YEAR, "reason": ""})
    no_scheme = api_as(bureau_user).post(URL, {"year": 2025}, format="json")
    assert no_scheme.status_code == 400 and "year" in no_scheme.json()
    assert api_as(bureau_user).post(URL, {}, format="json").status_code == 400
    draft = report_build(kind="annual", period=PERIOD, user=bureau_user)
    refused = api_as(bureau_user).post(f"{URL}{draft.pk}/publish/", {}, format="json")
    assert refused.status_code == 400 and "confirm" in refused.json()
    done = api_as(bureau_user).post(
        f"{URL}{draft.pk}/publish/", {"confirm": True, "note": "按时发布"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "published"
    assert Report.objects.get(pk=draft.pk).publish_note == "按时发布"
    again = api_as(bureau_user).post(URL, {"year": YEAR}, format="json")
    assert again.status_code == 400 and "reason" in again.json()
