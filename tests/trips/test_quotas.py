"""Trips against quota, counted by hand with the date frozen on 15 July 2026 (the third
quarter: two quarters are over)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from teams.choices import UnitKind
from tests.factories import UnitFactory, UserFactory
from tests.trips.trip_helpers import make_team, make_trip
from trips import services
from trips.choices import QuotaScope, QuotaStatus
from trips.models import TripQuota
from trips.selectors import judge_quarter, judge_year, quota_table

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


def rows_by_owner(table):
    return {(row.filter_key, row.owner.pk): row for group in table.groups for row in group.rows}


@pytest.fixture
def county(unit_a, unit_b, leader, officer_a):
    """Leader 县领导; townships A and B; a department; a park; a team."""
    department = UnitFactory(code="GXJ", name="工信局", kind=UnitKind.DEPARTMENT)
    park = UnitFactory(code="JKQ", name="开发区", kind=UnitKind.PARK)
    second_leader = UserFactory(
        username="leader2", full_name="副县长", role=Role.LEADER, unit=leader.unit
    )
    team = make_team("长三角小分队", unit_a)
    # The leader: led one trip spanning Q1 and Q2 (counts in Q1 only), led one starting on
    # the first day of Q2, joined one in May, led and joined the same one in June (once).
    make_trip((2026, 3, 30), (2026, 4, 2), unit=unit_a, led_by=leader)
    make_trip((2026, 4, 1), (2026, 4, 3), unit=unit_b, led_by=leader)
    make_trip((2026, 5, 10), unit=department, participants=[leader, officer_a])
    make_trip((2026, 6, 30), (2026, 7, 2), team=team, led_by=leader, participants=[leader])
    # Not counted in 2026: started in 2025 though it ends in 2026; planned for later.
    make_trip((2025, 12, 30), (2026, 1, 2), unit=unit_a, led_by=leader)
    make_trip((2026, 7, 20), (2026, 7, 22), unit=unit_a, led_by=leader)
    # The department: five more trips this year, so six.
    for month in range(1, 6):
        make_trip((2026, month, 15), unit=department)
    return {"department": department, "park": park, "team": team, "leader2": second_leader}


def test_counts_per_leader_unit_and_team_for_the_year_and_the_quarter(
    county, leader, unit_a, unit_b
):
    rows = rows_by_owner(quota_table(2026, 2, TODAY))
    department, park, team = county["department"], county["park"], county["team"]
    counts = {
        key: (rows[key].year_count, rows[key].quarter_count, rows[key].planned)
        for key in [
            ("person", leader.pk),
            ("person", county["leader2"].pk),
            ("unit", unit_a.pk),
            ("unit", unit_b.pk),
            ("unit", department.pk),
            ("unit", park.pk),
            ("team", team.pk),
        ]
    }
    assert counts == {
        ("person", leader.pk): (4, 3, 1),  # Mar 30 (Q1), Apr 1, May 10, Jun 30; Jul 20 planned
        ("person", county["leader2"].pk): (0, 0, 0),
        ("unit", unit_a.pk): (1, 0, 1),  # Mar 30 in Q1; the 2025 trip is not this year's
        ("unit", unit_b.pk): (1, 1, 0),
        ("unit", department.pk): (6, 3, 0),  # Jan–May 15 and May 10; Q2: Apr 15, May 10, 15
        ("unit", park.pk): (0, 0, 0),
        ("team", team.pk): (1, 1, 0),
    }


def test_a_trip_spanning_two_quarters_counts_in_the_quarter_it_starts(county, leader, unit_a):
    q1 = rows_by_owner(quota_table(2026, 1, TODAY))
    q2 = rows_by_owner(quota_table(2026, 2, TODAY))
    assert q1[("unit", unit_a.pk)].quarter_count == 1  # Mar 30 – Apr 2
    assert q2[("unit", unit_a.pk)].quarter_count == 0
    assert q1[("person", leader.pk)].quarter_count == 1
    assert q2[("person", leader.pk)].quarter_count == 3
    assert q1[("person", leader.pk)].year_count == q2[("person", leader.pk)].year_count == 4
    department = q2[("unit", county["department"].pk)]
    assert department.quarter_count == 3  # Apr 15, May 10, May 15


def test_statuses_against_the_default_quotas(county, leader, unit_a, unit_b):
    table = quota_table(2026, 2, TODAY)
    assert (table.quarters_ended, table.quarter_closed) == (2, True)
    rows = rows_by_owner(table)
    groups = {group.scope: group for group in table.groups}
    assert groups[QuotaScope.LEADER].quota.per_year == 4
    assert groups[QuotaScope.PARK].quota is None and groups[QuotaScope.TEAM].quota is None

    led = rows[("person", leader.pk)]  # 4 of 4, 3 in Q2 ≥ 1
    assert (led.year_status, led.quarter_status, led.status) == ("met", "met", "met")
    idle = rows[("person", county["leader2"].pk)]  # 0 of 4 after two quarters; Q2 missed
    assert (idle.year_status, idle.quarter_status, idle.status) == ("behind", "behind", "behind")
    township = rows[("unit", unit_a.pk)]  # 1 of 4 after two quarters: 1/4 < 2/4
    assert (township.year_status, township.quarter_status) == ("behind", "no_quota")
    assert township.status == "behind"
    department = rows[("unit", county["department"].pk)]  # 6 of 5
    assert department.status == "met"
    park = rows[("unit", county["park"].pk)]
    assert park.status == "no_quota"


def test_the_current_quarter_is_on_track_while_it_lasts(county, leader):
    rows = rows_by_owner(quota_table(2026, 3, TODAY))
    idle = rows[("person", county["leader2"].pk)]
    assert idle.quarter_status == "on_track"  # Q3 is running
    assert idle.year_status == "behind"
    led = rows[("person", leader.pk)]
    assert (led.quarter_count, led.quarter_status, led.status) == (0, "on_track", "on_track")


def test_the_bureau_s_quotas_replace_the_defaults(county, unit_a, unit_b, bureau_user):
    services.quotas_save_year(
        user=bureau_user,
        year=2026,
        values={QuotaScope.TOWNSHIP: (2, 0), QuotaScope.TEAM: (1, 0), QuotaScope.PARK: None},
    )
    rows = rows_by_owner(quota_table(2026, 2, TODAY))
    assert rows[("unit", unit_a.pk)].year_status == "on_track"  # 1 of 2 after two quarters
    assert rows[("unit", unit_b.pk)].year_status == "on_track"
    assert rows[("team", county["team"].pk)].status == "met"
    assert rows[("unit", county["park"].pk)].status == "no_quota"
    assert rows[("unit", county["department"].pk)].quota.per_year == 5  # still the default
    # Another year keeps the defaults.
    assert rows_by_owner(quota_table(2027, 1, TODAY))[("unit", unit_a.pk)].quota.per_year == 4
    # Blank falls back on the default again.
    services.quotas_save_year(user=bureau_user, year=2026, values={QuotaScope.TOWNSHIP: None})
    assert not TripQuota.objects.filter(year=2026, scope=QuotaScope.TOWNSHIP).exists()


def test_a_past_year_is_judged_whole(county, leader):
    rows = rows_by_owner(quota_table(2025, 4, TODAY))
    led = rows[("person", leader.pk)]  # one trip, 30 December 2025
    assert (led.year_count, led.quarter_count) == (1, 1)
    assert (led.year_status, led.quarter_status, led.status) == ("behind", "met", "behind")


@pytest.mark.parametrize(
    ("count", "ended", "expected"),
    [(0, 0, "on_track"), (1, 1, "on_track"), (0, 1, "behind"), (2, 2, "on_track"), (4, 0, "met")],
)
def test_the_yearly_pace(count, ended, expected):
    from trips.selectors import Quota

    assert judge_year(count, Quota(4, 1), ended) == expected
    assert judge_year(count, None, ended) == QuotaStatus.NO_QUOTA


def test_the_quarterly_minimum():
    from trips.selectors import Quota

    assert judge_quarter(0, Quota(4, 1), closed=False) == "on_track"
    assert judge_quarter(0, Quota(4, 1), closed=True) == "behind"
    assert judge_quarter(1, Quota(4, 1), closed=True) == "met"
    assert judge_quarter(0, Quota(4, 0), closed=True) == "no_quota"


def test_the_query_count_does_not_grow_with_trips_or_units(county, leader, officer_a):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            quota_table(2026, 2, TODAY)
        return len(captured)

    few = queries()
    for i in range(20):
        unit = UnitFactory(code=f"X{i}", name=f"新单位{i}", kind=UnitKind.TOWNSHIP)
        make_trip((2026, 4, 1 + i), unit=unit, led_by=leader, participants=[officer_a])
        make_team(f"小分队{i}", unit)
    assert queries() == few == 4


# --- The pages -------------------------------------------------------------------------------


def test_the_quota_page_colours_each_count_and_links_to_its_trips(
    client_as, county, leader, bureau_user
):
    client = client_as(bureau_user)
    html = client.get("/trips/quotas/", {"year": 2026, "quarter": 2}).content.decode()
    year_cell = f'data-testid="quota-person-{leader.pk}-year"'
    start = html.index(year_cell)
    cell = html[html.rindex("<td", 0, start) : html.index("</td>", start)]
    assert "table-success" in cell and ">4</a> / 4" in cell
    link = cell[cell.index('href="') + 6 : cell.index('">4<')].replace("&amp;", "&")
    assert link == f"/trips/?person={leader.pk}&start_after=2026-01-01&start_before=2026-07-15"
    trips = client.get(link).context["object_list"]
    assert len(trips) == 4 and {t.start_on.year for t in trips} == {2026}
    quarter = client.get(
        f"/trips/?person={leader.pk}&start_after=2026-04-01&start_before=2026-06-30"
    )
    assert quarter.context["paginator"].count == 3
    idle = f'data-testid="quota-person-{county["leader2"].pk}-status"'
    assert 'class="table-danger" ' + idle in html
    assert "/trips/quotas/settings/?year=2026" in html


def test_officers_see_every_count_but_open_only_their_own(client_as, county, officer_a, unit_b):
    html = client_as(officer_a).get("/trips/quotas/?year=2026&quarter=2").content.decode()
    assert f"/trips/?unit={officer_a.unit_id}&" in html
    assert f"/trips/?unit={unit_b.pk}&" not in html
    assert f'data-testid="quota-unit-{unit_b.pk}-year"' in html
    assert "/trips/quotas/settings/" not in html


def test_the_bureau_sets_the_year_s_quotas(client_as, bureau_user):
    client = client_as(bureau_user)
    form = client.get("/trips/quotas/settings/?year=2027").context["form"]
    assert "leader_per_year" in form.fields and "team_per_quarter" in form.fields
    data = {"leader_per_year": "6", "leader_per_quarter": "1", "park_per_year": "3"}
    response = client.post("/trips/quotas/settings/?year=2027", data)
    assert response.status_code == 302
    assert response["Location"] == "/trips/quotas/?year=2027"
    assert {(q.scope, q.per_year, q.per_quarter) for q in TripQuota.objects.all()} == {
        ("leader", 6, 1),
        ("park", 3, 0),
    }
    bad = client.post(
        "/trips/quotas/settings/?year=2027", {"team_per_year": "2", "team_per_quarter": "1"}
    )
    assert bad.status_code == 200 and "team_per_quarter" in bad.context["form"].errors
    assert client.get("/trips/quotas/settings/?year=2027").context["form"].initial == {
        "leader_per_year": 6,
        "leader_per_quarter": 1,
        "park_per_year": 3,
        "park_per_quarter": 0,
    }
