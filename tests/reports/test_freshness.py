"""Each unit's data freshness (reports.selectors.freshness): the dates it last reported
funds, followed up a lead and reported a trip, in one query; the bureau's table and its
workbook; the dashboard's card."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from projects.models import FollowUp
from reports.selectors.freshness import unit_freshness
from teams.choices import UnitKind
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory, UnitFactory, funds_record
from tests.trips.trip_helpers import make_trip

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


def at(day, make):
    with time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False):
        return make()


@pytest.fixture
def county(unit_a, unit_b, bureau_unit):
    industry = IndustryFactory(code="BIO", name="生物医药")
    building = ProjectFactory(unit=unit_a, industry=industry, stage="constructing")
    at(dt.date(2026, 7, 10), lambda: funds_record(building, (2026, 6), "100"))
    at(dt.date(2026, 7, 12), lambda: funds_record(building, (2026, 7), "50", status="rejected"))
    lead = LeadFactory(unit=unit_a, industry=industry)
    FollowUp.objects.create(lead=lead, note="电话沟通", happened_on=dt.date(2026, 7, 5))
    FollowUp.objects.create(lead=lead, note="上门拜访", happened_on=dt.date(2026, 6, 1))
    make_trip((2026, 6, 18), (2026, 6, 20), unit=unit_a, summary="拜访两家企业")
    make_trip((2026, 7, 8), (2026, 7, 10), unit=unit_a)  # no results yet: not reported
    ProjectFactory(unit=unit_b, industry=industry, stage="signed")  # B reports funds: never
    UnitFactory(code="UC", name="丙镇", kind=UnitKind.TOWNSHIP)  # nothing to report at all
    return {"a": unit_a, "b": unit_b}


def test_each_units_dates_in_five_queries(county, bureau_user):
    with CaptureQueriesContext(connection) as captured:
        rows = {row.unit_name: row for row in unit_freshness(bureau_user)}
    assert len(captured) == 5
    assert set(rows) == {"甲镇", "乙镇", "丙镇"}  # the bureau's own unit is not listed
    a = rows["甲镇"]
    assert a.funds_submitted_on == dt.date(2026, 7, 12)  # a returned record was reported too
    assert a.funds_period == dt.date(2026, 6, 1)  # the latest month not returned
    assert a.lead_follow_up_on == dt.date(2026, 7, 5)
    assert a.trip_reported_on == dt.date(2026, 6, 20)
    assert a.days_since("funds", TODAY) == 3 and not a.is_stale("funds", TODAY)
    assert a.is_stale("trips", TODAY) is False  # 25 days
    b = rows["乙镇"]
    assert b.funds_submitted_on is None and b.is_stale("funds", TODAY)
    c = rows["丙镇"]
    assert c.projects_to_report == 0 and not c.is_stale("funds", TODAY)
    assert c.is_stale("leads", TODAY) and c.is_stale("trips", TODAY)


def test_the_same_five_queries_with_more_units(county, bureau_user):
    for n in range(15):
        unit = UnitFactory(code=f"X{n}", name=f"新单位{n}")
        ProjectFactory(unit=unit, stage="signed")
    with CaptureQueriesContext(connection) as captured:
        assert len(unit_freshness(bureau_user)) == 18
    assert len(captured) == 5


def test_a_unit_sees_only_its_own_row(county, officer_a):
    assert [row.unit_name for row in unit_freshness(officer_a)] == ["甲镇"]


def test_the_table_is_the_bureaus_and_the_leaders(
    county, client_as, bureau_user, leader, officer_a
):
    assert client_as(officer_a).get("/reports/freshness/").status_code == 403
    assert client_as(leader).get("/reports/freshness/").status_code == 200
    page = client_as(bureau_user).get("/reports/freshness/").content.decode()
    assert "数据新鲜度" in page and "2026-07-12" in page and "2026年6月" in page
    assert page.count('data-stale="1"') == 5  # B: funds, leads, trips; C: leads, trips


def test_the_table_exports_to_excel(county, client_as, bureau_user):
    response = client_as(bureau_user).get("/reports/freshness/?export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "数据新鲜度"
    a = next(row for row in rows if row[0] == "甲镇")
    assert a[3] == dt.datetime(2026, 7, 12) and a[4] == "2026-06" and a[5] == 3
    assert a[6] == dt.datetime(2026, 7, 5) and a[8] == dt.datetime(2026, 6, 20)


def test_the_dashboard_loads_the_card(county, client_as, bureau_user, officer_a):
    dashboard = client_as(bureau_user).get("/dashboard/?source=live").content.decode()
    assert 'hx-get="/reports/freshness/card/"' in dashboard  # after the page
    county_card = client_as(bureau_user).get("/reports/freshness/card/").content.decode()
    assert 'data-testid="freshness-card"' in county_card
    assert 'data-field="stale_funds">1<' in county_card
    assert 'href="/reports/freshness/"' in county_card
    card = client_as(officer_a).get("/reports/freshness/card/").content.decode()
    assert "2026-07-12" in card and 'href="/reports/freshness/"' not in card
