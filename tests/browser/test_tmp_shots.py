import datetime as dt
import pytest
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, IndustryFactory, LeadFactory, ProjectFactory
from tests.teams.trip_helpers import make_team, make_trip
from teams.models import TripVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_shots(page, unit_a, unit_b, officer_a, bureau_user, leader):
    ind = IndustryFactory(code="EQ", name="装备制造")
    team = make_team("长三角驻点小分队", unit_a, members=[officer_a], region="长三角", budget_wan=50)
    make_team("产业组团", unit_a, kind="group")
    t = make_trip(dt.date.today() - dt.timedelta(days=20), unit=unit_a, team=team, led_by=leader, visits=["甲公司", "乙公司"])
    make_trip(dt.date.today() + dt.timedelta(days=20), unit=unit_b)
    make_trip(dt.date.today() - dt.timedelta(days=3), unit=unit_a, summary="好")
    LeadFactory(unit=unit_a, team=team, industry=ind)
    ProjectFactory(unit=unit_a, team=team, industry=ind, stage="signed", signed_on=dt.date.today())
    log_in(page, "bureau", TEST_PASSWORD)
    for name, url in [("form", "/trips/new/"), ("edit", f"/trips/{t.pk}/edit/"), ("detail", f"/trips/{t.pk}/"), ("list", "/trips/"), ("quota", "/trips/quotas/"), ("settings", "/trips/quotas/settings/"), ("team", f"/teams/{team.pk}/"), ("teams", "/teams/"), ("perf", "/teams/performance/"), ("teamform", f"/teams/{team.pk}/edit/"), ("lead", f"/trips/{t.pk}/visits/{t.visits.first().pk}/lead/")]:
        page.goto(page.base_url + url)
        page.screenshot(path=f"/tmp/shot_{name}.png", full_page=True)
    assert page.console_errors == []
