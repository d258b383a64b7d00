"""Targets pages: who may open what, the progress table (colours, blank units, the rates,
drill-down links whose lists add up to the figure, flat query counts) and my progress.

Date frozen on 20 November 2026: the pages default to January–October 2026."""

import datetime as dt
import html
import re
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from targets.models import Target
from targets.selectors import Window
from targets.views import default_window
from teams.choices import TeamKind, UnitKind
from teams.models import Team
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory, UnitFactory, funds_record
from tests.grid import LOGIN, check_grid

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        yield


def verified(project, month, amount, status="verified"):
    return funds_record(project, (2026, month), amount, status)


# --- Who may open what -----------------------------------------------------------------------


def test_grid_pages_grid(users, client_as, unit_a):
    for url in ["/targets/?year=2026&kind=unit", "/targets/?year=2026&kind=team"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "GET", 403),
                ("unit_head_a", "GET", 403),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 302),
                ("bureau", "PUT", 405),
            ],
        )
    check_grid(
        users,
        client_as,
        f"/targets/?year=2026&kind=person&unit={unit_a.pk}",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_b", "POST", 404),
            ("officer_a", "GET", 403),
            ("officer_a", "POST", 403),
            ("unit_head_a", "GET", 200),
            ("unit_head_a", "POST", 302),
            ("leader", "GET", 200),
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("bureau", "POST", 302),
            ("unit_head_a", "DELETE", 405),
        ],
    )
    for action in ["copy", "import"]:
        check_grid(
            users,
            client_as,
            f"/targets/{action}/?year=2026&kind=person&unit={unit_a.pk}",
            [
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("unit_head_a", "GET", 405),
                ("bureau", "GET", 405),
            ],
        )
    check_grid(
        users,
        client_as,
        "/targets/copy/?year=2026&kind=person",
        [("unit_head_a", "POST", 302), ("bureau", "POST", 302)],
    )
    check_grid(
        users,
        client_as,
        "/targets/?year=2026&kind=unit&export=xlsx",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("unit_head_a", "GET", 403),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
        ],
    )
    assert not Target.objects.exists()  # every refused write changed nothing


def test_progress_pages_grid(users, client_as):
    check_grid(
        users,
        client_as,
        "/targets/progress/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("unit_head_a", "GET", 403),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        "/targets/mine/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("officer_b", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )


def nav(client) -> str:
    page = client.get("/").content.decode()
    return page[page.index('id="main-nav"') : page.index("</nav>")]


def test_the_navigation_shows_each_role_its_targets_pages(users, client_as):
    shown = {key: nav(client_as(user)) for key, user in users.items()}
    for key, links in shown.items():
        assert 'href="/targets/mine/"' in links, key
    assert 'href="/targets/"' in shown["bureau"] and 'href="/targets/"' in shown["unit_head_a"]
    assert 'href="/targets/"' not in shown["officer_a"] + shown["leader"]
    assert (
        'href="/targets/progress/"' in shown["bureau"]
        and 'href="/targets/progress/"' in (shown["leader"])
    )
    assert 'href="/targets/progress/"' not in shown["officer_a"] + shown["unit_head_a"]


# --- The default month ---------------------------------------------------------------------


def test_the_default_period_is_the_last_complete_month():
    assert default_window(dt.date(2026, 11, 20)) == Window(2026, 10)
    assert default_window(dt.date(2026, 12, 1)) == Window(2026, 11)
    assert default_window(dt.date(2027, 1, 15)) == Window(2026, 12)


# --- The progress table ---------------------------------------------------------------------


@pytest.fixture
def county(unit_a, unit_b, officer_a):
    """Unit A: two projects signed, 500 verified (plus 100 not yet verified); unit B: one
    project, 50 verified; park C: nothing signed (blank). Targets for January–October."""
    industry = IndustryFactory(code="EQ", name="装备制造")
    park = UnitFactory(code="PC", name="丙园区", kind=UnitKind.PARK)
    a1 = ProjectFactory(
        code="A-1",
        unit=unit_a,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 1, 10),
        contract_amount_wan=12000,
        entered_on=dt.date(2026, 1, 2),
    )
    ProjectFactory(
        code="A-2",
        unit=unit_a,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 10, 31),
        contract_amount_wan=800,
        entered_on=dt.date(2026, 2, 2),
    )
    ProjectFactory(
        code="A-3",  # signed after October: not counted yet
        unit=unit_a,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 11, 2),
        contract_amount_wan=800,
        entered_on=dt.date(2026, 2, 2),
    )
    ProjectFactory(
        code="A-4",  # terminated: not counted
        unit=unit_a,
        industry=industry,
        stage="terminated",
        termination_reason="撤资",
        signed_on=dt.date(2026, 3, 1),
        contract_amount_wan=3000,
        entered_on=dt.date(2026, 2, 2),
    )
    b1 = ProjectFactory(
        code="B-1",
        unit=unit_b,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 4, 1),
        contract_amount_wan=2000,
        entered_on=dt.date(2026, 3, 1),
    )
    verified(a1, 1, 300)
    verified(a1, 3, 200)
    verified(a1, 10, 100, status="submitted")
    verified(b1, 5, 50)
    LeadFactory(
        unit=unit_a, industry=industry, provided_by=officer_a, received_on=dt.date(2026, 2, 1)
    )
    for unit, funds, signed in [(unit_a, 1000, 2), (unit_b, 50, 4), (park, 100, 1)]:
        Target.objects.create(year=2026, metric="funds", value=funds, unit=unit)
        Target.objects.create(year=2026, metric="projects_signed", value=signed, unit=unit)
    Target.objects.create(year=2026, metric="funds", value=2000)
    return {"park": park, "a1": a1}


def cell(page: str, owner: str, metric: str) -> str:
    row = re.search(rf'<tr data-owner="{owner}"[^>]*>(.*?)</tr>', page, re.S)[1]
    return re.search(rf'<td[^>]*data-metric="{metric}".*?</td>', row, re.S)[0]


def test_the_progress_table_colours_each_figure_against_time_progress(
    client_as, leader, unit_a, unit_b, county
):
    response = client_as(leader).get("/targets/progress/")
    page = response.content.decode()
    assert "2026-10" in page  # the last complete month, by default
    assert 'data-testid="time-progress">83.3%<' in page  # 10 / 12
    funds_a = cell(page, unit_a.pk, "funds")  # 500 of 1000: 50% < 83.3%
    assert 'data-pace="behind"' in funds_a and "table-danger" in funds_a
    assert ">500.00</a>" in funds_a and "1,000.00" in funds_a and "50.0%" in funds_a
    signed_a = cell(page, unit_a.pk, "projects_signed")  # 2 of 2: 100%, ahead
    assert 'data-pace="ahead"' in signed_a and ">2</a>" in signed_a
    funds_b = cell(page, unit_b.pk, "funds")  # 50 of 50
    assert 'data-pace="ahead"' in funds_b
    signed_b = cell(page, unit_b.pk, "projects_signed")  # 1 of 4: 25%
    assert 'data-pace="behind"' in signed_b
    park = county["park"].pk
    assert re.search(rf'<tr data-owner="{park}" data-blank="true">', page)  # 空白
    assert not re.search(rf'<tr data-owner="{unit_a.pk}" data-blank', page)
    trips = cell(page, unit_a.pk, "trips")  # no list of trips yet: a figure, no link
    assert "<a " not in trips and 'data-pace="no_target"' in trips
    county_funds = cell(page, "county", "funds")  # 550 of the county's 2000
    assert ">550.00</a>" in county_funds and "2,000.00" in county_funds
    # The four rates: of the 4 projects unit A entered this year, 3 were signed by the end
    # of October (A-1, A-2 and A-4, terminated since; A-3 was signed in November): 75%.
    rates_a = re.search(rf'<tr data-unit="{unit_a.pk}">(.*?)</tr>', page, re.S)[1]
    assert "75.0%" in rates_a
    # Another month, and teams.
    page = client_as(leader).get("/targets/progress/?period=2026-03").content.decode()
    assert 'data-testid="time-progress">25.0%<' in page
    assert ">500.00</a>" in cell(page, unit_a.pk, "funds")
    page = client_as(leader).get("/targets/progress/?kind=team").content.decode()
    assert "丙园区" in page  # the rates stay per unit


def drill_down(page: str, owner, metric: str) -> str:
    link = re.search(r'href="([^"]+)"', cell(page, owner, metric))[1]
    return html.unescape(link)


def test_a_figure_links_to_the_records_it_counts_and_they_add_up(
    client_as, bureau_user, unit_a, county
):
    client = client_as(bureau_user)
    page = client.get("/targets/progress/").content.decode()
    link = drill_down(page, unit_a.pk, "funds")
    assert link.startswith("/funds/?")
    assert f"unit={unit_a.pk}" in link and "period_after=2026-01" in link
    export = client.get(link + "&export=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))[2:]
    assert sum(D(str(row[4])) for row in rows) == D(500)  # the figure shown: 500.00
    assert len(rows) == 2

    link = drill_down(page, unit_a.pk, "projects_signed")
    assert link.startswith("/projects/?")
    listed = client.get(link + "&export=xlsx")
    codes = [
        r[0] for r in load_workbook(BytesIO(listed.content)).active.iter_rows(values_only=True)
    ]
    assert sorted(codes[2:]) == ["A-1", "A-2"]  # the figure shown: 2

    link = drill_down(page, unit_a.pk, "leads")
    assert link.startswith("/leads/?")
    listed = client.get(link + "&export=xlsx")
    assert len(list(load_workbook(BytesIO(listed.content)).active.iter_rows())) == 2 + 1


def test_the_progress_table_query_count_does_not_grow_with_units(client_as, leader, county):
    client = client_as(leader)
    industry = IndustryFactory(code="EQ", name="装备制造")

    def add_units(start, count):
        for i in range(start, start + count):
            unit = UnitFactory(code=f"Q{i:02d}", name=f"单位{i:02d}", kind=UnitKind.DEPARTMENT)
            project = ProjectFactory(
                code=f"Q-{i}",
                unit=unit,
                industry=industry,
                stage="signed",
                signed_on=dt.date(2026, 2, 1),
                entered_on=dt.date(2026, 1, 2),
            )
            verified(project, 2, 10)
            Target.objects.create(year=2026, metric="funds", value=100, unit=unit)

    def count(url) -> int:
        client.get(url)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add_units(0, 1)  # three units with the fixture's
    few = {url: count(url) for url in ["/targets/progress/", "/targets/progress/?kind=team"]}
    add_units(1, 27)  # thirty
    assert {url: count(url) for url in few} == few


def test_the_progress_table_shows_its_units_a_page_at_a_time(
    client_as, leader, unit_a, unit_b, county, monkeypatch
):
    """A province's 2 000 units come a page at a time, in report order; each page keeps the
    county's row, the figures of its own units and their rates, and links to the next."""
    from targets.views import ProgressView

    monkeypatch.setattr(ProgressView, "paginate_by", 2)
    client = client_as(leader)
    everything = client.get("/targets/progress/?page=1")
    first = everything.content.decode()
    owners = re.findall(r'<tr data-owner="(\d+)"', first)
    assert len(owners) == 2
    assert 'href="?page=2"' in first
    assert ">550.00</a>" in cell(first, "county", "funds")  # the whole county, on every page
    second = client.get("/targets/progress/?page=2").content.decode()
    rest = re.findall(r'<tr data-owner="(\d+)"', second)
    assert len(rest) == 1 and rest[0] not in owners  # three units: two, then one
    assert sorted(map(int, owners + rest)) == sorted([unit_a.pk, unit_b.pk, county["park"].pk])
    assert ">550.00</a>" in cell(second, "county", "funds")
    assert re.findall(r'<tr data-unit="(\d+)"', second) == rest  # the page's rates only
    assert 'href="?page=1"' in second
    if str(unit_a.pk) in owners:
        assert ">500.00</a>" in cell(first, unit_a.pk, "funds")
    else:
        assert ">500.00</a>" in cell(second, unit_a.pk, "funds")
    past_the_end = client.get("/targets/progress/?page=9")  # the last page, as lists do
    assert re.findall(r'<tr data-owner="(\d+)"', past_the_end.content.decode()) == rest
    # the teams' view: its teams, and under them the units' rates, a page at a time too
    teams = client.get("/targets/progress/?kind=team").content.decode()
    assert re.findall(r'<tr data-unit="(\d+)"', teams) == owners
    assert 'data-testid="rates-pages"' in teams and "unit_page=2" in teams
    teams = client.get("/targets/progress/?kind=team&unit_page=2").content.decode()
    assert re.findall(r'<tr data-unit="(\d+)"', teams) == rest


# --- My progress ---------------------------------------------------------------------------


def test_my_progress_shows_my_targets_my_units_and_my_teams(
    client_as, officer_a, officer_b, unit_a, county
):
    team = Team.objects.create(name="长三角小分队", kind=TeamKind.RESIDENT, lead_unit=unit_a)
    team.members.add(officer_a)
    Target.objects.create(year=2026, metric="leads", value=4, user=officer_a)
    Target.objects.create(year=2026, metric="leads", value=10, team=team)
    page = client_as(officer_a).get("/targets/mine/").content.decode()
    sections = re.findall(r'<section class="mb-4" data-section="\d">(.*?)</section>', page, re.S)
    assert len(sections) == 3
    mine, unit, teams = sections
    assert "甲专员" in mine and 'data-pace="behind"' in mine  # 1 lead of 4: 25% < 83.3%
    assert re.search(r'href="/leads/\?provided_by=\d+[^"]*" data-testid="drill-down">1</a>', mine)
    assert "甲镇" in unit and ">500.00</a>" in unit
    assert "长三角小分队" in teams
    assert "projects_signed" not in teams  # no target and nothing counted: left out
    other = client_as(officer_b).get("/targets/mine/").content.decode()
    assert "甲镇" not in other.split("</nav>", 1)[1] and "长三角小分队" not in other
