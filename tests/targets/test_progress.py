"""Progress against targets, worked out by hand for a small county (date frozen in July
2026, figures to the end of June), with the edge cases of DOMAIN.md's counting rules."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from targets.choices import Metric, Pace
from targets.models import Target, YearSetting
from targets.selectors import Window, owner_actuals, progress_table, unit_rates
from teams.choices import TeamKind, UnitKind
from teams.models import Team
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory, UnitFactory
from tests.factories import funds_record as funds
from trips.models import Trip

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def county(unit_a, unit_b, officer_a, officer_b):
    """Unit A (township) and unit B; team T1; officer A provides leads."""
    industry = IndustryFactory(code="EQ", name="装备制造")
    team = Team.objects.create(name="长三角小分队", kind=TeamKind.RESIDENT, lead_unit=unit_a)
    YearSetting.objects.create(year=2026, usd_rate=D("7.0"))
    lead_p1 = LeadFactory(
        unit=unit_a,
        industry=industry,
        provided_by=officer_a,
        team=team,
        received_on=dt.date(2026, 1, 3),
    )
    LeadFactory(
        unit=unit_a,
        industry=industry,
        provided_by=officer_a,
        team=team,
        received_on=dt.date(2026, 5, 3),
    )
    LeadFactory(
        unit=unit_a, industry=industry, provided_by=officer_a, received_on=dt.date(2026, 6, 30)
    )
    LeadFactory(
        unit=unit_a, industry=industry, provided_by=officer_a, received_on=dt.date(2025, 12, 30)
    )  # last year
    LeadFactory(
        unit=unit_b, industry=industry, provided_by=officer_b, received_on=dt.date(2026, 2, 1)
    )

    def project(code, unit, **fields):
        fields.setdefault("stage", "signed")
        return ProjectFactory(code=code, unit=unit, industry=industry, **fields)

    p1 = project(
        "P1",
        unit_a,
        team=team,
        lead=lead_p1,
        contract_amount_wan=12000,
        category="industrial",
        investor_origin="out_of_province",
        stage="constructing",
        signed_on=dt.date(2026, 2, 10),
        started_on=dt.date(2026, 4, 1),
        agreed_start_on=dt.date(2026, 3, 31),
        entered_on=dt.date(2026, 1, 5),
    )
    p2 = project(
        "P2",
        unit_a,
        contract_amount_wan=6000,
        category="tourism",
        investor_origin="foreign",
        signed_on=dt.date(2026, 5, 20),
        agreed_start_on=dt.date(2026, 6, 15),
        entered_on=dt.date(2026, 3, 1),
    )
    p3 = project(
        "P3",
        unit_b,
        contract_amount_wan=1500,
        category="industrial",
        stage="started",
        signed_on=dt.date(2025, 12, 31),  # signed on 31 December
        started_on=dt.date(2026, 1, 5),
        entered_on=dt.date(2025, 11, 1),
    )
    p4 = project(
        "P4",
        unit_b,
        contract_amount_wan=800,
        category="agricultural",
        stage="terminated",
        termination_reason="资金链断裂",
        signed_on=dt.date(2026, 3, 1),
        entered_on=dt.date(2026, 2, 1),
    )
    # An expansion project moved from unit B to unit A: its increment is its amount.
    p5 = project(
        "P5",
        unit_b,
        contract_amount_wan=2000,
        project_type="expansion",
        category="industrial",
        signed_on=dt.date(2026, 6, 30),
        entered_on=dt.date(2026, 4, 1),
    )
    p5.unit = unit_a
    p5.save()
    p6 = project(
        "P6",
        unit_a,
        contract_amount_wan=500,
        signed_on=dt.date(2026, 7, 1),
        entered_on=dt.date(2026, 6, 1),
    )  # signed after the period

    jan = funds(p1, (2026, 1), 1000)
    funds(p1, (2026, 3), 500)
    funds(p1, (2026, 6), 200, status="submitted")  # not verified: does not count
    funds(p1, (2026, 1), -100, corrects=jan)  # a verified correction counts
    funds(p1, (2026, 5), 3000, kind="investment")  # investment is not funds
    funds(p2, (2026, 6), 300, status="rejected")  # returned: does not count
    funds(p2, (2026, 5), 700)
    funds(p3, (2025, 12), 400)  # last year
    funds(p3, (2026, 2), 250)
    funds(p4, (2026, 4), 50)  # money that arrived before termination counts
    funds(p5, (2026, 6), 100)
    funds(p6, (2026, 7), 999)  # after the period

    march = Trip.objects.create(
        unit=unit_a,
        leader_name="甲专员",
        led_by=officer_a,
        destination="上海",
        start_on=dt.date(2026, 3, 10),
        end_on=dt.date(2026, 3, 12),
    )
    june = Trip.objects.create(
        team=team,
        leader_name="县领导",
        destination="苏州",
        start_on=dt.date(2026, 6, 30),
        end_on=dt.date(2026, 7, 2),
    )
    june.participants.add(officer_a)  # spans two months: counts in the month it starts
    Trip.objects.create(
        unit=unit_a,
        leader_name="甲专员",
        destination="杭州",
        start_on=dt.date(2026, 7, 5),
        end_on=dt.date(2026, 7, 6),
    )
    assert march.pk
    return {"team": team, "p1": p1, "p5": p5}


JUNE = Window(2026, 6)

UNIT_A = {
    Metric.FUNDS: D("2200"),  # P1 1400 (1000 + 500 − 100) + P2 700 + P5 100
    Metric.INDUSTRIAL_FUNDS: D("1500"),  # P1 1400 + P5 100
    Metric.INVESTMENT: D("3000"),  # P1's verified May investment (its own records)
    Metric.FOREIGN_FUNDS: D("100.00"),  # P2 700 万元 at 7.0
    Metric.CONTRACT_AMOUNT: D("20000"),  # P1 12000 + P2 6000 + P5 2000 (moved in)
    Metric.PROJECTS_SIGNED: 3,
    Metric.PROJECTS_STARTED: 1,
    Metric.SIZE_100M: 1,
    Metric.SIZE_50M: 1,
    Metric.SIZE_10M: 1,
    Metric.SIZE_1M: 0,
    Metric.LEADS: 3,
    Metric.TRIPS: 1,
}
UNIT_B = {
    Metric.FUNDS: D("300"),  # P3 250 (not its December 400) + terminated P4 50
    Metric.INDUSTRIAL_FUNDS: D("250"),
    Metric.INVESTMENT: D("0"),
    Metric.FOREIGN_FUNDS: D("0"),
    Metric.CONTRACT_AMOUNT: D("0"),  # P3 signed last year, P4 terminated, P5 moved away
    Metric.PROJECTS_SIGNED: 0,
    Metric.PROJECTS_STARTED: 1,  # P3 started in January
    Metric.SIZE_100M: 0,
    Metric.SIZE_50M: 0,
    Metric.SIZE_10M: 0,
    Metric.SIZE_1M: 0,  # P4 would be 1m, but it is terminated
    Metric.LEADS: 1,
    Metric.TRIPS: 0,
}


def test_unit_actuals(county, unit_a, unit_b):
    actuals = owner_actuals("unit", [unit_a.pk, unit_b.pk], JUNE)
    assert actuals[unit_a.pk] == UNIT_A
    assert actuals[unit_b.pk] == UNIT_B


def test_actuals_of_some_metrics(county, unit_a, unit_b):
    """Asked for some metrics, owner_actuals gives those only, with the same figures."""
    wanted = [Metric.PROJECTS_SIGNED, Metric.LEADS]
    actuals = owner_actuals("unit", [unit_a.pk, unit_b.pk], JUNE, wanted)
    assert actuals[unit_a.pk] == {metric: UNIT_A[metric] for metric in wanted}
    assert actuals[unit_b.pk] == {metric: UNIT_B[metric] for metric in wanted}
    county_total = owner_actuals("county", None, JUNE, [Metric.FUNDS])[None]
    assert county_total == {Metric.FUNDS: D("2500")}


def test_team_actuals(county):
    team = county["team"]
    actual = owner_actuals("team", [team.pk], JUNE)[team.pk]
    assert actual[Metric.FUNDS] == D("1400")
    assert actual[Metric.CONTRACT_AMOUNT] == D("12000")
    assert (actual[Metric.PROJECTS_SIGNED], actual[Metric.PROJECTS_STARTED]) == (1, 1)
    assert (actual[Metric.LEADS], actual[Metric.TRIPS]) == (2, 1)


def test_person_actuals(county, officer_a, officer_b):
    actuals = owner_actuals("person", [officer_a.pk, officer_b.pk], JUNE)
    mine = actuals[officer_a.pk]
    # Projects converted from their leads: P1 only.
    assert (mine[Metric.FUNDS], mine[Metric.CONTRACT_AMOUNT], mine[Metric.SIZE_100M]) == (
        D("1400"),
        D("12000"),
        1,
    )
    assert mine[Metric.LEADS] == 3  # the 2025 lead is not this year's
    assert mine[Metric.TRIPS] == 2  # led in March, joined at the end of June
    assert actuals[officer_b.pk][Metric.LEADS] == 1
    assert actuals[officer_b.pk][Metric.FUNDS] == 0


def test_county_actuals(county):
    county_total = owner_actuals("county", None, JUNE)[None]
    assert county_total == {
        Metric.FUNDS: D("2500"),
        Metric.INDUSTRIAL_FUNDS: D("1750"),
        Metric.INVESTMENT: D("3000"),
        Metric.FOREIGN_FUNDS: D("100.00"),
        Metric.CONTRACT_AMOUNT: D("20000"),
        Metric.PROJECTS_SIGNED: 3,
        Metric.PROJECTS_STARTED: 2,
        Metric.SIZE_100M: 1,
        Metric.SIZE_50M: 1,
        Metric.SIZE_10M: 1,
        Metric.SIZE_1M: 0,
        Metric.LEADS: 4,
        Metric.TRIPS: 2,
    }


def test_a_project_signed_on_31_december_counts_in_that_year(county, unit_b):
    december = owner_actuals("unit", [unit_b.pk], Window(2025, 12))[unit_b.pk]
    assert (december[Metric.PROJECTS_SIGNED], december[Metric.CONTRACT_AMOUNT]) == (1, 1500)
    assert december[Metric.SIZE_10M] == 1
    assert december[Metric.FUNDS] == 400


def test_progress_against_targets_and_time(county, unit_a, unit_b):
    for unit, metric, value in [
        (unit_a, "funds", 4000),
        (unit_a, "contract_amount", 30000),
        (unit_b, "funds", 1000),
        (unit_a, "projects_signed", 6),
    ]:
        Target.objects.create(year=2026, metric=metric, value=value, unit=unit)
    table = {row.owner: row for row in progress_table("unit", 2026, 6, [unit_a, unit_b])}
    a, b = table[unit_a], table[unit_b]
    funds_a = a.metrics[Metric.FUNDS]
    assert (funds_a.target, funds_a.actual, funds_a.progress, funds_a.time_progress) == (
        D(4000),
        D(2200),
        D("0.55"),
        D("0.5"),
    )
    assert (funds_a.behind, funds_a.pace) == (False, Pace.ON_PACE)  # 55% < 50% + 10 points
    assert a.metrics[Metric.CONTRACT_AMOUNT].pace == Pace.AHEAD  # 66.7%
    assert a.metrics[Metric.PROJECTS_SIGNED].pace == Pace.ON_PACE  # 3 of 6: exactly on time
    assert (b.metrics[Metric.FUNDS].behind, b.metrics[Metric.FUNDS].pace) == (True, Pace.BEHIND)
    assert a.metrics[Metric.LEADS].pace == Pace.NO_TARGET
    assert b.blank and not a.blank  # unit B signed nothing this year


def test_rates(county, unit_a, unit_b):
    rates = {r.unit: r for r in unit_rates(2026, 6, [unit_a, unit_b])}
    a = rates[unit_a]
    assert a.signing_rate == D(3) / D(4)  # P1, P2, P5 of P1, P2, P5, P6 entered this year
    assert a.start_rate == D(1) / D(3)  # of P1, P2, P5 only P1 started
    assert a.on_time_rate == D(0)  # P1 started a day late, P2 not at all
    assert a.funds_rate == D(2200) / D(20000)  # P6 was not yet signed at the end of June
    b = rates[unit_b]
    assert b.signing_rate == D(1)  # P4 entered and signed this year (terminated later)
    assert b.start_rate is None  # no live project signed this year


def test_the_progress_query_count_does_not_grow_with_units_or_projects(county, unit_a):
    industry = IndustryFactory(code="EQ")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            progress_table("unit", 2026, 6)
            unit_rates(2026, 6)
        return len(captured)

    few = queries()
    for index in range(20):
        unit = UnitFactory(code=f"X{index}", kind=UnitKind.PARK)
        project = ProjectFactory(
            unit=unit,
            industry=industry,
            stage="signed",
            signed_on=dt.date(2026, 3, 1),
            contract_amount_wan=100,
        )
        funds(project, (2026, 3), 10)
    assert queries() == few
