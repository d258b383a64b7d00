"""/api/v1/teams/ and /api/v1/trips/: permission grids, who reports for a unit or a team,
the companies visited written as a whole, leads the user can see, status, filters,
pagination and a flat query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from core.roles import INSTALLER
from teams import services
from teams.choices import TeamKind
from teams.models import Team
from tests.factories import LeadFactory
from tests.grid import check_grid
from trips import services as trip_services
from trips.models import Trip, TripVisit

pytestmark = pytest.mark.django_db

TEAMS = "/api/v1/teams/"
TRIPS = "/api/v1/trips/"
TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    """Today moved by n days (negative: in the past)."""
    return TODAY + dt.timedelta(days=n)


def make_trip(user, *, visits=(), participants=None, leads=None, **fields) -> Trip:
    values = {
        "unit": user.unit,
        "leader_name": user.full_name,
        "destination": "苏州",
        "start_on": days(-30),
        "end_on": days(-28),
        "summary": "走访企业2家，获取线索1条。",
    }
    values.update(fields)
    values["participants"] = participants if participants is not None else [user]
    if leads is not None:
        values["leads"] = leads
    return trip_services.trip_save(data=values, user=user, visits=list(visits))


@pytest.fixture
def team_t(unit_a, unit_b, officer_a):
    """A resident team led by unit B, with officer A (of unit A) as its only member."""
    return services.team_save(
        user=INSTALLER,
        data=dict(
            name="长三角驻点招商小分队",
            kind=TeamKind.RESIDENT,
            region="长三角（上海）",
            leader_name="陈志刚（副县长）",
            lead_unit=unit_b,
            budget_wan=80,
            member_units=[unit_b],
            members=[officer_a],
        ),
    )


@pytest.fixture
def group_g(bureau_unit, unit_a):
    return services.team_save(
        user=INSTALLER,
        data=dict(
            name="装备制造产业招商组团",
            kind=TeamKind.GROUP,
            leader_name="王建国（县长）",
            lead_unit=bureau_unit,
            budget_wan=150,
            member_units=[unit_a],
        ),
    )


@pytest.fixture
def trip_a(officer_a):
    """A reported trip of unit A with one company visited."""
    return make_trip(
        officer_a,
        destination="无锡",
        visits=[{"company": "无锡恒华精工有限公司", "contact_name": "周总"}],
    )


@pytest.fixture
def team_trip(officer_a, team_t):
    """A trip of team T alone, reported by its member officer A."""
    return make_trip(officer_a, unit=None, team=team_t, destination="上海")


def new_trip(**fields):
    data = {
        "leader_name": "甲专员",
        "destination": "宁波",
        "start_on": days(-10).isoformat(),
        "end_on": days(-9).isoformat(),
        "purpose": "拜访新能源企业",
        "companies_visited": [
            {
                "company": "宁波锂能科技有限公司",
                "contact_name": "陈明",
                "contact_title": "董事长",
                "contact_phone": "13912340000",
                "notes": "有意扩产",
            },
            {"company": "宁波海泰供应链管理有限公司"},
        ],
        "summary": "走访企业2家。",
        "next_steps": "邀请来县考察",
    }
    data.update(fields)
    return data


# --- Teams -------------------------------------------------------------------------------


def new_team(unit_a, officer_a, **fields):
    data = {
        "name": "珠三角驻点招商小分队",
        "kind": "resident",
        "region": "珠三角（深圳）",
        "leader_name": "黄立新（县政协副主席）",
        "lead_unit": unit_a.pk,
        "member_units": [unit_a.pk],
        "members": [officer_a.pk],
        "budget_wan": "80.00",
        "active_from": days(-400).isoformat(),
    }
    data.update(fields)
    return data


def test_teams_list_grid(users, api_as, unit_a, team_t):
    check_grid(
        users,
        api_as,
        TEAMS,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "DELETE", 405),
            ("bureau", "PUT", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        TEAMS,
        [
            (None, "POST", 401),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "POST", 201),
        ],
        api=True,
        data=new_team(unit_a, users["officer_a"]),
    )
    created = Team.objects.get(name="珠三角驻点招商小分队")
    assert list(created.members.all()) == [users["officer_a"]]
    assert created.lead_unit == unit_a


def test_team_detail_grid(users, api_as, team_t):
    check_grid(
        users,
        api_as,
        f"{TEAMS}{team_t.pk}/",
        [
            (None, "GET", 401),
            (None, "PATCH", 401),
            # Teams are public inside the county: every unit reads every team.
            ("officer_b", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("officer_a", "PATCH", 403),
            ("officer_b", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("bureau", "DELETE", 405),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"budget_wan": "95.50"},
    )
    team_t.refresh_from_db()
    assert str(team_t.budget_wan) == "95.50"


def test_team_fields_follow_the_contract(api_as, officer_b, team_t, unit_b, officer_a):
    row = api_as(officer_b).get(f"{TEAMS}{team_t.pk}/").json()
    assert set(row) >= {
        "id",
        "name",
        "kind",
        "region",
        "leader_name",
        "lead_unit",
        "member_units",
        "members",
        "budget_wan",
        "active_from",
        "active_until",
        "is_active",
    }
    assert row["kind"] == "resident"
    assert row["lead_unit"] == unit_b.pk
    assert row["member_units"] == [unit_b.pk]
    assert row["members"] == [officer_a.pk]
    assert row["budget_wan"] == "80.00"


def test_team_writes_answer_400_with_field_messages(api_as, bureau_user, unit_a, officer_a):
    client = api_as(bureau_user)
    data = new_team(unit_a, officer_a, active_until=days(-500).isoformat(), kind="x")
    body = client.post(TEAMS, data, format="json").json()
    assert set(body) >= {"kind"}
    data["kind"] = "group"
    response = client.post(TEAMS, data, format="json")
    assert response.status_code == 400
    assert "active_until" in response.json()
    response = client.post(TEAMS, {**data, "budget_wan": "-1"}, format="json")
    assert response.status_code == 400 and "budget_wan" in response.json()


def test_teams_filter_by_kind_region_and_search(api_as, officer_a, team_t, group_g):
    client = api_as(officer_a)

    def names(**params):
        body = client.get(TEAMS, params).json()
        assert set(body) == {"count", "next", "previous", "results"}
        return [row["name"] for row in body["results"]]

    assert names() == ["装备制造产业招商组团", "长三角驻点招商小分队"]  # groups first
    assert names(kind="group") == ["装备制造产业招商组团"]
    assert names(kind="resident") == ["长三角驻点招商小分队"]
    assert names(region="长三角") == ["长三角驻点招商小分队"]
    assert names(search="王建国") == ["装备制造产业招商组团"]
    assert names(search="驻点 上海") == ["长三角驻点招商小分队"]
    assert client.get(TEAMS, {"kind": "nonsense"}).status_code == 400


# --- Trips: who sees and reports what --------------------------------------------------


def test_trips_list_grid(users, api_as, trip_a):
    check_grid(
        users,
        api_as,
        TRIPS,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "DELETE", 405),
            ("bureau", "DELETE", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        TRIPS,
        [
            (None, "POST", 401),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "POST", 201),
            ("unit_head_a", "POST", 201),
            ("officer_b", "POST", 201),
        ],
        api=True,
        data=new_trip(),
    )
    # Each trip belongs to the unit of whoever reported it.
    created = Trip.objects.filter(destination="宁波")
    assert sorted(t.unit.code for t in created) == ["UA", "UA", "UB"]


def test_trip_detail_grid(users, api_as, trip_a):
    check_grid(
        users,
        api_as,
        f"{TRIPS}{trip_a.pk}/",
        [
            (None, "GET", 401),
            (None, "PATCH", 401),
            ("officer_b", "GET", 404),
            ("officer_b", "PATCH", 404),
            ("officer_a", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "PATCH", 403),
            ("officer_a", "DELETE", 405),
            ("bureau", "DELETE", 405),
            ("officer_a", "POST", 405),
            ("officer_a", "PATCH", 200),
            ("unit_head_a", "PATCH", 200),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"next_steps": "邀请企业来县考察"},
    )
    trip_a.refresh_from_db()
    assert trip_a.next_steps == "邀请企业来县考察"


def test_officers_see_only_their_units_trips(api_as, users, trip_a, officer_b):
    make_trip(officer_b, destination="深圳")
    body = api_as(users["officer_a"]).get(TRIPS).json()
    assert [row["id"] for row in body["results"]] == [trip_a.pk]
    assert api_as(users["leader"]).get(TRIPS).json()["count"] == 2
    assert api_as(users["bureau"]).get(TRIPS).json()["count"] == 2


def test_a_team_member_reports_for_the_team_and_member_units_read_it(
    users, api_as, team_t, team_trip
):
    """Officer A is a member of team T (led by unit B); unit B is its member unit; unit A
    is not. A trip of the team alone: the member reports and completes it, unit B reads
    it, unit A's head (not a member) does not see it."""
    check_grid(
        users,
        api_as,
        f"{TRIPS}{team_trip.pk}/",
        [
            (None, "GET", 401),
            ("unit_head_a", "GET", 404),
            ("unit_head_a", "PATCH", 404),
            ("officer_b", "GET", 200),
            ("officer_b", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("officer_a", "PATCH", 200),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"summary": "走访企业3家，获取线索2条。"},
    )
    data = new_trip(team=team_t.pk)
    response = api_as(users["officer_a"]).post(TRIPS, data, format="json")
    assert response.status_code == 201, response.json()
    row = response.json()
    assert row["team"] == team_t.pk and row["unit"] is None
    # Naming the team and their own unit too.
    response = api_as(users["officer_a"]).post(
        TRIPS, {**data, "unit": users["officer_a"].unit_id}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["unit"] == users["officer_a"].unit_id


def test_only_members_report_for_a_team_and_only_for_their_own_unit(
    users, api_as, team_t, unit_a, unit_b
):
    # Officer B's unit is a member unit of the team, but officer B is not a member.
    response = api_as(users["officer_b"]).post(TRIPS, new_trip(team=team_t.pk), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"team"}
    response = api_as(users["officer_a"]).post(TRIPS, new_trip(unit=unit_b.pk), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}
    # The bureau reports for any unit and any team.
    response = api_as(users["bureau"]).post(
        TRIPS, new_trip(unit=unit_b.pk, team=team_t.pk), format="json"
    )
    assert response.status_code == 201
    assert not Trip.objects.filter(unit=unit_a).exists()


def test_an_officer_cannot_move_a_trip_to_another_unit(api_as, officer_a, trip_a, unit_b):
    response = api_as(officer_a).patch(f"{TRIPS}{trip_a.pk}/", {"unit": unit_b.pk}, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    trip_a.refresh_from_db()
    assert trip_a.unit == officer_a.unit


# --- Trips: fields and writes ----------------------------------------------------------


def test_trip_fields_follow_the_contract(api_as, officer_a, trip_a):
    row = api_as(officer_a).get(f"{TRIPS}{trip_a.pk}/").json()
    assert set(row) >= {
        "id",
        "team",
        "unit",
        "leader_name",
        "led_by",
        "participants",
        "destination",
        "start_on",
        "end_on",
        "purpose",
        "companies_visited",
        "leads",
        "summary",
        "next_steps",
        "status",
    }
    assert row["unit"] == officer_a.unit_id and row["team"] is None
    assert row["participants"] == [officer_a.pk]
    assert row["start_on"] == days(-30).isoformat()
    assert row["companies_visited"] == [
        {
            "company": "无锡恒华精工有限公司",
            "contact_name": "周总",
            "contact_title": "",
            "contact_phone": "",
            "notes": "",
        }
    ]
    assert row["status"] == "reported"


def test_companies_visited_are_written_and_replaced_as_a_whole(api_as, officer_a):
    client = api_as(officer_a)
    response = client.post(TRIPS, new_trip(), format="json")
    assert response.status_code == 201, response.json()
    row = response.json()
    assert [v["company"] for v in row["companies_visited"]] == [
        "宁波锂能科技有限公司",
        "宁波海泰供应链管理有限公司",
    ]
    assert row["companies_visited"][0] == {
        "company": "宁波锂能科技有限公司",
        "contact_name": "陈明",
        "contact_title": "董事长",
        "contact_phone": "13912340000",
        "notes": "有意扩产",
    }
    url = f"{TRIPS}{row['id']}/"
    trip = Trip.objects.get(pk=row["id"])
    # A change that does not send the list leaves it as it is.
    assert client.patch(url, {"summary": "已签约意向书。"}, format="json").status_code == 200
    assert trip.visits.count() == 2
    # A list sent replaces the trip's list.
    visits = [{"company": "杭州博创智能装备有限公司", "contact_name": "李伟"}]
    response = client.patch(url, {"companies_visited": visits}, format="json")
    assert response.status_code == 200
    assert [v["company"] for v in response.json()["companies_visited"]] == [
        "杭州博创智能装备有限公司"
    ]
    assert list(trip.visits.values_list("company", flat=True)) == ["杭州博创智能装备有限公司"]
    assert client.get(url).json()["companies_visited"][0]["contact_name"] == "李伟"
    response = client.patch(url, {"companies_visited": []}, format="json")
    assert response.status_code == 200 and response.json()["companies_visited"] == []
    assert not TripVisit.objects.filter(trip=trip).exists()
    # Each visit names its company.
    response = client.patch(url, {"companies_visited": [{"contact_name": "王总"}]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["companies_visited"]["0"]) == {"company"}  # by position
    assert trip.visits.count() == 0


def test_leads_linked_must_be_leads_the_user_can_see(api_as, officer_a, unit_a, unit_b):
    own = LeadFactory(unit=unit_a)
    other = LeadFactory(unit=unit_b)
    client = api_as(officer_a)
    response = client.post(TRIPS, new_trip(leads=[own.pk, other.pk]), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"leads"}
    assert not Trip.objects.exists()
    response = client.post(TRIPS, new_trip(leads=[own.pk]), format="json")
    assert response.status_code == 201
    assert response.json()["leads"] == [own.pk]
    trip = Trip.objects.get()
    assert list(trip.leads.all()) == [own]


def test_the_bureau_sees_every_lead_so_links_any(api_as, bureau_user, trip_a, unit_b):
    lead = LeadFactory(unit=unit_b)
    response = api_as(bureau_user).patch(
        f"{TRIPS}{trip_a.pk}/", {"leads": [lead.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["leads"] == [lead.pk]


def test_a_member_keeps_the_leads_of_other_units_a_team_trip_links(
    api_as, officer_a, bureau_user, team_trip, unit_a, unit_b
):
    other = LeadFactory(unit=unit_b)
    trip_services.trip_save(trip=team_trip, user=bureau_user, data={"leads": [other]})
    own = LeadFactory(unit=unit_a)
    client = api_as(officer_a)
    url = f"{TRIPS}{team_trip.pk}/"
    row = client.get(url).json()
    assert row["leads"] == [other.pk]
    # Sending back the list read, with one of their own added.
    response = client.patch(url, {"leads": [other.pk, own.pk]}, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["leads"]) == sorted([other.pk, own.pk])
    # What they cannot see they cannot unlink either.
    response = client.patch(url, {"leads": []}, format="json")
    assert response.status_code == 200
    assert response.json()["leads"] == [other.pk]


def test_participants_are_accounts_the_user_may_name(api_as, users):
    officer_a, leader = users["officer_a"], users["leader"]
    client = api_as(officer_a)
    # Their unit's staff and the county leaders, as participants or as the one leading.
    response = client.post(
        TRIPS,
        new_trip(
            leader_name="",
            led_by=leader.pk,
            participants=[officer_a.pk, users["unit_head_a"].pk],
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    row = response.json()
    assert row["led_by"] == leader.pk and row["leader_name"] == "县领导"
    assert sorted(row["participants"]) == sorted([officer_a.pk, users["unit_head_a"].pk])
    # Not another unit's staff.
    response = client.post(TRIPS, new_trip(participants=[users["officer_b"].pk]), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"participants"}


def test_trip_writes_answer_400_with_field_messages(api_as, officer_a):
    client = api_as(officer_a)
    response = client.post(TRIPS, new_trip(destination=""), format="json")
    assert response.status_code == 400 and set(response.json()) == {"destination"}
    # Without a leader's name nor a leading account whose name it would take.
    response = client.post(TRIPS, new_trip(leader_name=""), format="json")
    assert response.status_code == 400 and set(response.json()) == {"leader_name"}
    response = client.post(
        TRIPS,
        new_trip(start_on=days(-3).isoformat(), end_on=days(-5).isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"end_on": ["返回日期不能早于出发日期。"]}
    response = client.post(TRIPS, new_trip(unit=None), format="json")
    assert response.status_code == 400 and set(response.json()) == {"team"}
    assert not Trip.objects.exists()


def test_status_is_read_only_and_follows_the_report_rule(api_as, officer_a):
    client = api_as(officer_a)
    cases = {
        "plan": new_trip(start_on=days(5).isoformat(), end_on=days(7).isoformat(), summary=""),
        "awaiting": new_trip(
            start_on=days(-4).isoformat(), end_on=days(-3).isoformat(), summary=""
        ),
        "overdue": new_trip(
            start_on=days(-21).isoformat(), end_on=days(-20).isoformat(), summary=""
        ),
        "reported": new_trip(status="plan"),
    }
    for expected, data in cases.items():
        response = client.post(TRIPS, data, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["status"] == expected, data
    # Reporting the results of the overdue trip.
    overdue = Trip.objects.get(end_on=days(-20))
    response = client.patch(
        f"{TRIPS}{overdue.pk}/", {"summary": "走访企业2家。", "status": "plan"}, format="json"
    )
    assert response.json()["status"] == "reported"


# --- Trips: filters, pagination, query count -------------------------------------------


def test_trips_filter_by_unit_team_dates_status_and_text(
    api_as, bureau_user, officer_a, officer_b, team_t, trip_a, team_trip
):
    make_trip(officer_b, destination="深圳", start_on=days(-200), end_on=days(-198))
    make_trip(officer_a, destination="合肥", start_on=days(-12), end_on=days(-10), summary="")
    make_trip(officer_a, destination="成都", start_on=days(10), end_on=days(12), summary="")
    client = api_as(bureau_user)

    def destinations(**params):
        body = client.get(TRIPS, params).json()
        return sorted(row["destination"] for row in body["results"])

    assert destinations(unit=officer_a.unit_id) == sorted(["合肥", "成都", "无锡"])
    assert destinations(unit=officer_b.unit_id) == ["深圳"]
    assert destinations(team=team_t.pk) == ["上海"]
    assert destinations(start_after=days(-31).isoformat()) == sorted(
        ["上海", "合肥", "成都", "无锡"]
    )
    assert destinations(start_before=days(-31).isoformat()) == ["深圳"]
    assert destinations(start_after=days(-100).isoformat(), start_before=days(0).isoformat()) == (
        sorted(["上海", "合肥", "无锡"])
    )
    assert destinations(status="overdue") == ["合肥"]
    assert destinations(status="plan") == ["成都"]
    assert destinations(status="reported") == sorted(["上海", "深圳", "无锡"])
    assert destinations(status="awaiting") == []
    assert destinations(search="无锡") == ["无锡"]
    assert destinations(search="获取线索") == sorted(["上海", "无锡", "深圳"])
    assert client.get(TRIPS, {"status": "nonsense"}).status_code == 400
    assert client.get(TRIPS, {"start_after": "not-a-date"}).status_code == 400
    # Filters never widen what a user sees.
    body = api_as(officer_b).get(TRIPS, {"unit": officer_a.unit_id}).json()
    assert body["count"] == 0


def test_trips_list_is_paginated_in_the_contract_format(api_as, officer_a):
    for n in range(3):
        make_trip(officer_a, destination=f"城市{n}", start_on=days(-30 - n), end_on=days(-30 - n))
    body = api_as(officer_a).get(TRIPS, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["previous"] is None and "page=2" in body["next"]
    # The newest first.
    assert [row["destination"] for row in body["results"]] == ["城市0", "城市1"]
    second = api_as(officer_a).get(TRIPS, {"page_size": 2, "page": 2}).json()
    assert [row["destination"] for row in second["results"]] == ["城市2"]
    assert second["next"] is None


def test_trips_list_query_count_does_not_grow_with_trips(
    api_as, bureau_user, officer_a, unit_head_a, leader, team_t, unit_a
):
    client = api_as(bureau_user)
    lead_pool = [LeadFactory(unit=unit_a) for _ in range(2)]

    def add(n):
        for i in range(n):
            make_trip(
                officer_a,
                team=team_t if i % 2 else None,
                led_by=leader,
                participants=[officer_a, unit_head_a],
                leads=lead_pool,
                visits=[{"company": f"企业{i}-{k}有限公司"} for k in range(3)],
                summary="" if i % 3 else "已报告",
            )

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(TRIPS)
            assert response.status_code == 200
        return len(queries), response.json()["count"]

    add(3)
    client.get(TRIPS)  # warm-up: the first request of a client also reads its token
    few, count = count_queries()
    assert count == 3
    add(27)
    many, count = count_queries()
    assert count == 30
    assert many == few


def test_teams_list_query_count_does_not_grow_with_teams(api_as, officer_a, unit_a, unit_b):
    client = api_as(officer_a)

    def add(n, start):
        for i in range(start, start + n):
            services.team_save(
                user=INSTALLER,
                data=dict(
                    name=f"小分队{i}",
                    kind=TeamKind.GROUP,
                    lead_unit=unit_a,
                    member_units=[unit_a, unit_b],
                    members=[officer_a],
                ),
            )

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TEAMS).status_code == 200
        return len(queries)

    add(3, 0)
    client.get(TEAMS)
    few = count_queries()
    add(27, 3)
    assert count_queries() == few


# --- The schema ------------------------------------------------------------------------


def test_schema_documents_teams_and_trips_without_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    paths = schema["paths"]
    for path in [TEAMS, f"{TEAMS}{{id}}/", TRIPS, f"{TRIPS}{{id}}/"]:
        assert path in paths
        assert "delete" not in paths[path]
    parameters = {p["name"] for p in paths[TRIPS]["get"]["parameters"]}
    assert {"unit", "team", "start_after", "start_before", "status", "search"} <= parameters
    parameters = {p["name"] for p in paths[TEAMS]["get"]["parameters"]}
    assert {"kind", "region", "search", "page", "page_size"} <= parameters
    # The companies visited are a nested list: trips are written as JSON.
    assert set(paths[TRIPS]["post"]["requestBody"]["content"]) == {"application/json"}
    trip = schema["components"]["schemas"]["Trip"]["properties"]
    assert trip["companies_visited"]["type"] == "array"
    assert trip["status"]["readOnly"] is True
    assert "status" not in schema["components"]["schemas"]["TripRequest"]["properties"]
