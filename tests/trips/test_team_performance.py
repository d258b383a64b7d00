"""Team performance for June 2026, worked out by hand, and the ranking rule."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams.choices import TeamKind
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory, funds_record
from tests.trips.trip_helpers import make_team, make_trip
from trips.models import TripVisit
from trips.selectors import team_performance

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


def funds(project, month, amount, status="verified", corrects=None):
    return funds_record(project, (2026, month), amount, status, corrects=corrects)


@pytest.fixture
def teams(unit_a, unit_b):
    """Resident teams T1, T2, T3 and an industry group G1, with their month of June."""
    industry = IndustryFactory(code="EQ", name="装备制造")
    t1 = make_team("T1 长三角", unit_a)
    t2 = make_team("T2 珠三角", unit_b)
    t3 = make_team("T3 京津冀", unit_a)
    g1 = make_team("G1 新能源组团", unit_a, kind=TeamKind.GROUP)
    make_team("停用小分队", unit_a, is_active=False)
    make_team("已到期小分队", unit_a, active_until=dt.date(2026, 5, 31))

    # T1: leads 2 in June (one from May and one of T2 do not count); trips: 2 starting in
    # June with 3 visits, and one starting May 30 that runs into June (not June's); signed
    # 1 (a terminated one does not count); funds 300 = 200 + 150 − 50 (a correction),
    # the submitted 999 and May's 80 do not count.
    for day in (3, 28):
        LeadFactory(unit=unit_a, industry=industry, team=t1, received_on=dt.date(2026, 6, day))
    LeadFactory(unit=unit_a, industry=industry, team=t1, received_on=dt.date(2026, 5, 31))
    LeadFactory(unit=unit_b, industry=industry, team=t2, received_on=dt.date(2026, 6, 10))
    make_trip((2026, 6, 2), (2026, 6, 4), team=t1, visits=["甲公司", "乙公司"])
    make_trip((2026, 6, 30), (2026, 7, 2), team=t1, unit=unit_a, visits=["丙公司"])
    may = make_trip((2026, 5, 30), (2026, 6, 2), team=t1, visits=["丁公司"])
    TripVisit.objects.create(trip=may, company="戊公司")
    p1 = ProjectFactory(
        unit=unit_a, industry=industry, team=t1, stage="signed", signed_on=dt.date(2026, 6, 5)
    )
    ProjectFactory(
        unit=unit_a,
        industry=industry,
        team=t1,
        stage="terminated",
        signed_on=dt.date(2026, 6, 6),
        termination_reason="投资方撤资",
    )
    p1b = ProjectFactory(
        unit=unit_a, industry=industry, team=t1, stage="signed", signed_on=dt.date(2026, 3, 1)
    )
    first = funds(p1, 6, 200)
    funds(p1b, 6, 150)
    funds(p1, 6, -50, corrects=first)
    p1c = ProjectFactory(
        unit=unit_a, industry=industry, team=t1, stage="signed", signed_on=dt.date(2026, 2, 1)
    )
    funds(p1c, 6, 999, status="submitted")
    funds(p1, 5, 80)

    # T2: funds 300 as well, but two projects signed in June: ranks above T1.
    for day in (8, 9):
        p = ProjectFactory(
            unit=unit_b, industry=industry, team=t2, stage="signed", signed_on=dt.date(2026, 6, day)
        )
        funds(p, 6, 150)
    make_trip((2026, 6, 15), team=t2)

    # T3: the same funds and signings as T1: they share second place.
    p3 = ProjectFactory(
        unit=unit_a, industry=industry, team=t3, stage="signed", signed_on=dt.date(2026, 6, 20)
    )
    funds(p3, 6, 300)

    # G1: alone of its kind, first with nothing.
    return {"t1": t1, "t2": t2, "t3": t3, "g1": g1}


def figures(row):
    return (row.leads, row.visits, row.projects_signed, row.funds_wan, row.trips, row.rank)


def test_june_figures_and_ranks_by_hand(teams):
    groups = {group.kind: group for group in team_performance(2026, 6)}
    resident = {row.team.name: figures(row) for row in groups[TeamKind.RESIDENT].rows}
    assert resident == {
        "T2 珠三角": (1, 0, 2, D("300.00"), 1, 1),
        "T1 长三角": (2, 3, 1, D("300.00"), 2, 2),
        "T3 京津冀": (0, 0, 1, D("300.00"), 0, 2),
    }
    assert [row.team.name for row in groups[TeamKind.RESIDENT].rows] == [
        "T2 珠三角",
        "T1 长三角",
        "T3 京津冀",
    ]
    group = groups[TeamKind.GROUP].rows
    assert [(row.team.name, *figures(row)) for row in group] == [
        ("G1 新能源组团", 0, 0, 0, D("0"), 0, 1)
    ]


def test_may_is_another_month(teams):
    rows = {
        row.team.name: figures(row) for group in team_performance(2026, 5) for row in group.rows
    }
    assert rows["T1 长三角"] == (1, 2, 0, D("80.00"), 1, 1)  # the trip of May 30, 2 visits
    assert rows["已到期小分队"] == (0, 0, 0, D("0"), 0, 2)  # active until May 31; tied
    assert "停用小分队" not in rows


def test_one_query_whatever_the_teams(teams):
    with CaptureQueriesContext(connection) as captured:
        team_performance(2026, 6)
    assert len(captured) == 1


def test_the_page_states_the_rule_and_shows_the_ranks(client_as, officer_b, teams):
    response = client_as(officer_b).get("/teams/performance/", {"year": 2026, "month": 6})
    html = response.content.decode()
    assert 'data-testid="ranking-rule"' in html
    assert f'data-testid="rank-{teams["t2"].pk}">1<' in html
    assert f'data-testid="rank-{teams["t3"].pk}">2<' in html
    assert response.context["month"] == 6
    # A wrong month falls back on this one.
    assert client_as(officer_b).get("/teams/performance/?month=13").context["month"] == 7
