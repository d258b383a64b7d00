"""A team member reports a trip with two companies visited, creates a lead from one of
them, and finds the trip counted on the quota page.

The trip's fields are filled by their Chinese labels; the rows of companies visited (a
formset of repeated labels) and the lead form are reached by their ids within each row."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from core.periods import quarter_of
from core.roles import Role
from projects.models import Lead
from teams.choices import UnitKind
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, IndustryFactory, UnitFactory, UserFactory
from tests.trips.trip_helpers import make_team
from trips.models import Trip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_member_reports_a_trip_and_creates_a_lead_from_a_visit(page, unit_a):
    IndustryFactory(code="EQ", name="装备制造")
    department = UnitFactory(code="GXJ", name="县工信局", kind=UnitKind.DEPARTMENT)
    member = UserFactory(username="member", full_name="周队员", role=Role.OFFICER, unit=department)
    team = make_team("长三角驻点小分队", unit_a, members=[member], region="长三角")
    start = dt.date.today() - dt.timedelta(days=5)
    end = start + dt.timedelta(days=2)

    log_in(page, "member", TEST_PASSWORD)
    page.goto(f"{page.base_url}/trips/new/")
    form = page.get_by_test_id("trip-form")
    form.get_by_label("带队人", exact=True).fill("周队员")
    form.get_by_label("小分队", exact=True).select_option(label="长三角驻点小分队")
    expect(form.get_by_label("单位", exact=True)).to_have_value(str(department.pk))
    form.get_by_label("目的地").fill("上海张江")
    form.get_by_label("出发日期").fill(start.isoformat())
    form.get_by_label("返回日期").fill(end.isoformat())
    form.get_by_label("目的", exact=True).fill("对接生物医药企业")
    form.get_by_label("成果", exact=True).fill("两家企业有来县考察意向")
    form.locator("#id_visits-0-company").fill("上海张江生物科技有限公司")
    form.locator("#id_visits-0-contact_name").fill("陈总")
    form.locator("#id_visits-0-contact_title").fill("总经理")
    form.locator("#id_visits-0-contact_phone").fill("13911112222")
    form.get_by_test_id("add-visit").click()
    expect(form.get_by_test_id("visit-row")).to_have_count(2)
    form.locator("#id_visits-1-company").fill("上海微电子装备有限公司")
    form.locator("#id_visits-1-contact_name").fill("林工")
    form.locator("button[type=submit]").click()

    status = page.get_by_test_id("trip-status")
    expect(status).to_have_attribute("data-status", "reported")
    visits = page.get_by_test_id("trip-visits")
    expect(visits.locator("tbody tr")).to_have_count(2)
    trip = Trip.objects.get()
    assert (trip.team, trip.unit, trip.visits.count()) == (team, department, 2)

    visits.locator('tr[data-visit="上海张江生物科技有限公司"]').get_by_test_id(
        "create-lead"
    ).click()
    lead_form = page.get_by_test_id("trip-lead-form")
    expect(lead_form.locator("#id_company_name")).to_have_value("上海张江生物科技有限公司")
    expect(lead_form.locator("#id_contact_name")).to_have_value("陈总")
    expect(lead_form.locator("#id_contact_phone")).to_have_value("13911112222")
    lead_form.locator("#id_project_name").fill("创新药研发生产基地")
    lead_form.locator("#id_industry").select_option(label="装备制造")
    lead_form.locator("button[type=submit]").click()

    row = page.get_by_test_id("trip-visits").locator('tr[data-visit="上海张江生物科技有限公司"]')
    expect(row.get_by_test_id("visit-lead")).to_have_text("创新药研发生产基地")
    expect(page.get_by_test_id("trip-leads")).to_contain_text("上海张江生物科技有限公司")
    lead = Lead.objects.get()
    assert (lead.team, lead.unit, lead.provided_by) == (team, department, member)
    assert list(lead.trips.all()) == [trip]
    page.goto(f"{page.base_url}{lead.get_absolute_url()}")
    expect(page.get_by_test_id("lead-trips")).to_contain_text("上海张江")

    page.goto(f"{page.base_url}/trips/quotas/?year={start.year}&quarter={quarter_of(start)}")
    team_count = page.get_by_test_id(f"quota-team-{team.pk}-year")
    expect(team_count).to_have_text("1")  # no quota for teams by default
    expect(page.get_by_test_id(f"quota-unit-{department.pk}-year")).to_have_text("1 / 5")
    expect(page.get_by_test_id(f"quota-unit-{department.pk}-quarter")).to_have_text("1")
    team_count.get_by_role("link", name="1").click()
    expect(page.locator("table tbody")).to_contain_text("上海张江")
    assert page.console_errors == []
