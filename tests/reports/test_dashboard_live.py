"""The live dashboard counts what the published bulletin of the same month counts (issue 19):
on 2 December its figures run to the end of November, with November's time progress (11/12,
not 12/12) and a year on year over January to November of both years (not this year's two
days of December against last year's whole December)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from reports.models import Report
from targets.models import Target
from tests.factories import ProjectFactory
from tests.factories import funds_record as funds

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1/dashboard/"


@pytest.fixture(autouse=True)
def second_of_december():
    cache.clear()
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0), tick=False):
        yield
    cache.clear()


@pytest.fixture
def county(unit_a):
    Target.objects.create(year=2026, metric="funds", value=D(12000))
    project = ProjectFactory(
        code="P1", unit=unit_a, stage="constructing", signed_on=dt.date(2025, 1, 10)
    )
    for month, amount in [((2025, 1), 1000), ((2025, 6), 2000), ((2025, 11), 1000)]:
        funds(project, month, amount)
    funds(project, (2025, 12), 4000)  # last year's whole December
    for month, amount in [((2026, 2), 1500), ((2026, 7), 2500), ((2026, 11), 1000)]:
        funds(project, month, amount)
    funds(project, (2026, 12), 100)  # two days into December
    Report.objects.create(
        kind="monthly",
        period=dt.date(2026, 11, 1),
        version=1,
        status="published",
        published_at=timezone.now(),
        figures={},
    )
    return project


def dashboard(api_as, user, query=""):
    response = api_as(user).get(f"{API}?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_live_figures_on_2_december_count_what_the_november_bulletin_counts(api_as, leader, county):
    published = dashboard(api_as, leader)
    live = dashboard(api_as, leader, "source=live")
    assert (published["period"]["source"], published["period"]["period"]) == (
        "published",
        "2026-11",
    )
    assert (live["period"]["source"], live["period"]["period"]) == ("live", "2026-11")
    for data in (published, live):
        cards = data["cards"]
        assert D(cards["time_progress"]) == D("0.9167")  # 11 / 12, not 12 / 12
        assert cards["time_progress_text"] == "91.7%"
        funds_card = cards["funds"]
        # January to November: 1500 + 2500 + 1000 this year, 1000 + 2000 + 1000 last year
        assert D(funds_card["actual_wan"]) == 5000
        assert D(funds_card["last_year_wan"]) == 4000
        assert D(funds_card["growth"]) == D("0.25")
        assert funds_card["growth_text"] == "25.0%"
    assert live["cards"]["time_progress"] == published["cards"]["time_progress"]
    assert live["cards"]["funds"]["growth"] == published["cards"]["funds"]["growth"]
    # the months it counts, as the page says them
    assert live["period"]["months_display"] == "2026年1—11月"
    assert live["period"]["counted_to_display"] == "截至11月底"


def test_the_month_under_way_is_not_a_live_period(api_as, client_as, leader, county):
    response = api_as(leader).get(f"{API}?source=live&year=2026&month=12")
    assert response.status_code == 400
    assert "month" in response.json()
    # an earlier complete month still is
    assert dashboard(api_as, leader, "source=live&month=10")["period"]["period"] == "2026-10"


def test_the_page_says_which_months_the_live_figures_count(client_as, leader, county):
    page = client_as(leader).get("/dashboard/?source=live").content.decode()
    label = page[page.index('data-testid="period-label"') :][:200]
    assert "2026年1—11月" in label
    assert "2026年12月2日" in label  # as of today
    assert "截至11月底" in label
    published = client_as(leader).get("/dashboard/").content.decode()
    label = published[published.index('data-testid="period-label"') :][:200]
    assert "2026年1—11月" in label and "第1版" in label
