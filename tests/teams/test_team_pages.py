"""The permission grid of every page of teams, trips and quotas, and what the team page
shows to whom."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from core.roles import Role
from projects.models import Project
from targets.models import Target
from teams.choices import UnitKind
from teams.models import Team
from tests.factories import (
    IndustryFactory,
    LeadFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
)
from tests.grid import LOGIN, check_grid
from tests.trips.trip_helpers import make_team, make_trip
from trips.models import TripVisit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def team(unit_a, officer_a):
    return make_team("长三角小分队", unit_a, members=[officer_a], budget_wan=Decimal("50"))


@pytest.fixture
def trip_a(unit_a, team):
    """A trip of unit A (and of the team, whose only member unit is A)."""
    trip = make_trip((2026, 7, 1), (2026, 7, 3), unit=unit_a, team=team)
    TripVisit.objects.create(trip=trip, company="上海甲公司", contact_phone="13800000000")
    return trip


def test_list_and_report_pages_grid(users, client_as, team):
    for url in ["/teams/", "/trips/", "/trips/quotas/", "/teams/performance/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            ],
        )


def test_team_pages_grid(users, client_as, team, unit_a, officer_b):
    check_grid(
        users,
        client_as,
        f"/teams/{team.pk}/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 200),  # teams are the county's: every user reads them
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    for url in ["/teams/new/", f"/teams/{team.pk}/edit/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_a", "GET", 403),  # a member does not manage the team
                ("unit_head_a", "POST", 403),
                ("leader", "GET", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 200),
                ("bureau", "PUT", 405),
            ],
        )
    assert client_as(None).get("/teams/999999/").status_code == 302
    assert client_as(users["bureau"]).get("/teams/999999/").status_code == 404


def test_the_bureau_creates_and_edits_a_team(users, client_as, unit_a, unit_b, officer_b):
    data = {
        "name": "珠三角小分队",
        "kind": "resident",
        "region": "珠三角",
        "leader_name": "王副县长",
        "lead_unit": unit_a.pk,
        "member_units": [unit_b.pk],
        "members": [officer_b.pk],
        "budget_wan": "80",
        "active_from": "2026-01-01",
        "active_until": "2026-12-31",
        "is_active": "on",
    }
    check_grid(users, client_as, "/teams/new/", [("bureau", "POST", 302)], data=data)
    team = Team.objects.get(name="珠三角小分队")
    assert set(team.member_units.all()) == {unit_a, unit_b}  # the lead unit is a member
    assert list(team.members.all()) == [officer_b]
    bad = {**data, "active_until": "2025-12-31"}
    response = client_as(users["bureau"]).post(f"/teams/{team.pk}/edit/", bad)
    assert response.status_code == 200 and "active_until" in response.context["form"].errors
    edit = {**data, "members": [], "budget_wan": "100"}
    check_grid(users, client_as, f"/teams/{team.pk}/edit/", [("bureau", "POST", 302)], data=edit)
    team.refresh_from_db()
    assert team.budget_wan == Decimal("100") and not team.members.exists()


def test_trip_pages_grid(users, client_as, trip_a):
    visit = trip_a.visits.get()
    check_grid(
        users,
        client_as,
        "/trips/new/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("officer_b", "GET", 200),
            ("leader", "GET", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("officer_a", "PUT", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        f"/trips/{trip_a.pk}/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )
    for url in [f"/trips/{trip_a.pk}/edit/", f"/trips/{trip_a.pk}/visits/{visit.pk}/lead/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("officer_b", "POST", 404),
                ("leader", "GET", 403),
                ("leader", "POST", 403),
                ("officer_a", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "DELETE", 405),
            ],
        )
    other = make_trip((2026, 7, 1), unit=users["officer_b"].unit)
    other_visit = TripVisit.objects.create(trip=other, company="别处公司")
    url = f"/trips/{trip_a.pk}/visits/{other_visit.pk}/lead/"  # a visit of another trip
    assert client_as(users["officer_a"]).get(url).status_code == 404


def test_quota_settings_grid(users, client_as):
    check_grid(
        users,
        client_as,
        "/trips/quotas/settings/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "GET", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("bureau", "PUT", 405),
        ],
    )


def test_a_team_member_of_another_unit_reports_and_completes_team_trips(
    client_as, trip_a, team, unit_b
):
    member = UserFactory(username="member_c", role=Role.OFFICER, unit=UnitFactory(code="UC"))
    team.members.add(member)
    client = client_as(member)
    assert client.get(f"/trips/{trip_a.pk}/").status_code == 200
    assert client.get(f"/trips/{trip_a.pk}/edit/").status_code == 200
    team.members.remove(member)
    assert client.get(f"/trips/{trip_a.pk}/").status_code == 404


def test_the_team_page_shows_what_the_user_may_see(
    client_as, team, unit_a, unit_b, officer_a, officer_b, bureau_user, trip_a
):
    industry = IndustryFactory(code="EQ", name="装备制造")
    LeadFactory(unit=unit_a, team=team, industry=industry, company_name="甲镇的线索公司")
    LeadFactory(unit=unit_b, team=team, industry=industry, company_name="乙镇的线索公司")
    ProjectFactory(unit=unit_a, team=team, industry=industry, name="甲镇小分队项目")
    ProjectFactory(
        unit=unit_b,
        team=team,
        industry=industry,
        name="乙镇小分队项目",
        stage="signed",
        signed_on=dt.date(2026, 6, 1),
    )
    Target.objects.create(year=2026, metric="projects_signed", value=4, team=team)
    Target.objects.create(year=2026, metric="trips", value=10, team=team)

    html = client_as(officer_a).get(f"/teams/{team.pk}/").content.decode()
    assert "甲镇的线索公司" in html and "乙镇的线索公司" not in html
    assert "甲镇小分队项目" in html and "乙镇小分队项目" not in html
    assert trip_a.get_absolute_url() in html  # the team's trip
    assert 'data-testid="budget">50.00<' in html
    assert 'data-metric="projects_signed"' in html and 'data-metric="trips"' in html

    everything = client_as(bureau_user).get(f"/teams/{team.pk}/")
    html = everything.content.decode()
    assert "乙镇的线索公司" in html and "乙镇小分队项目" in html
    progress = {item.metric: item for item in everything.context["target_progress"]}
    assert progress["projects_signed"].actual == 1 and progress["trips"].actual == 1
    assert everything.context["target_month"] == 7

    # An officer of a unit outside the team reads the team but not its targets or trips.
    html = client_as(officer_b).get(f"/teams/{team.pk}/").content.decode()
    assert 'data-testid="team-targets"' not in html
    assert trip_a.get_absolute_url() not in html
    assert Project.objects.filter(team=team).count() == 2


def test_navigation_lists_the_new_pages(client_as, officer_a, leader, bureau_user):
    html = client_as(officer_a).get("/").content.decode()
    for url in ["/trips/", "/trips/new/", "/trips/quotas/", "/teams/", "/teams/performance/"]:
        assert f'href="{url}"' in html
    assert 'href="/trips/quotas/settings/"' not in html
    assert 'href="/trips/new/"' not in client_as(leader).get("/").content.decode()
    assert 'href="/trips/quotas/settings/"' in client_as(bureau_user).get("/").content.decode()


def test_a_unit_head_of_a_park_reports_a_trip_for_the_park(client_as):
    park = UnitFactory(code="JKQ", name="开发区", kind=UnitKind.PARK)
    head = UserFactory(username="head_park", role=Role.UNIT_HEAD, unit=park)
    form = client_as(head).get("/trips/new/").context["form"]
    assert [u.pk for u in form.fields["unit"].queryset] == [park.pk]
    assert form.initial["unit"] == park.pk
    assert not form.fields["team"].queryset.exists()


@pytest.mark.parametrize(
    "url", ["/teams/performance/?year=2026&month=6", "/trips/quotas/?year=2026&quarter=2"]
)
def test_the_performance_and_quota_tables_export_to_excel(client_as, bureau_user, url):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_as(bureau_user).get(url + "&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert "2026" in sheet.cell(row=1, column=1).value
    assert sheet.cell(row=2, column=1).value in {"类型", "适用对象"}
