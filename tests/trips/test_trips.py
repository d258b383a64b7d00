"""Trips: report status and overdue reports, who sees and reports which trip (team members
included), the report form with its companies visited, and leads linked or created on
the spot. The date is frozen on 15 July 2026."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.roles import Role
from projects import services as project_services
from projects.models import Lead
from projects.services import DuplicatesFound
from teams.choices import UnitKind
from tests.factories import IndustryFactory, LeadFactory, UnitFactory, UserFactory
from tests.trips.trip_helpers import make_team, make_trip
from trips import services
from trips.choices import TripStatus
from trips.models import Trip, TripVisit
from trips.selectors import may_report_for_team, trip_status

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def unit_c(db):
    return UnitFactory(code="UC", name="丙局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def member_c(unit_c):
    """An officer of unit C, a member of the team though C is not a member unit."""
    return UserFactory(username="member_c", full_name="丙队员", role=Role.OFFICER, unit=unit_c)


@pytest.fixture
def team(unit_a, unit_b, member_c):
    return make_team("长三角小分队", unit_a, member_units=[unit_b], members=[member_c])


@pytest.fixture
def industry(db):
    return IndustryFactory(code="EQ", name="装备制造")


# --- Status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end_on", "summary", "expected"),
    [
        (dt.date(2026, 7, 20), "", TripStatus.PLAN),  # ends in the future
        (dt.date(2026, 7, 15), "", TripStatus.PLAN),  # ends today: not over yet
        (dt.date(2026, 7, 14), "", TripStatus.AWAITING),  # ended yesterday
        (dt.date(2026, 7, 8), "", TripStatus.AWAITING),  # today − 7: the last day to report
        (dt.date(2026, 7, 7), "", TripStatus.OVERDUE),  # today − 8: overdue
        (dt.date(2026, 1, 7), "", TripStatus.OVERDUE),
        (dt.date(2026, 7, 1), "签约意向两项", TripStatus.REPORTED),
        (dt.date(2026, 7, 14), "签约意向两项", TripStatus.REPORTED),
    ],
)
def test_trip_status_in_python_and_in_the_database_agree(unit_a, end_on, summary, expected):
    trip = make_trip(end_on - dt.timedelta(days=2), end_on, unit=unit_a, summary=summary)
    assert trip_status(trip, TODAY) == expected
    assert Trip.objects.with_status(TODAY).get(pk=trip.pk).status == expected


def test_a_trip_becomes_overdue_eight_days_after_it_ends(unit_a):
    trip = make_trip((2026, 7, 1), (2026, 7, 3), unit=unit_a)
    assert trip_status(trip, dt.date(2026, 7, 10)) == TripStatus.AWAITING
    assert trip_status(trip, dt.date(2026, 7, 11)) == TripStatus.OVERDUE
    trip.summary = "拜访三家企业"
    assert trip_status(trip, dt.date(2026, 7, 11)) == TripStatus.REPORTED


def test_the_list_shows_overdue_reports_in_red_and_filters_by_status(client_as, officer_a, unit_a):
    overdue = make_trip((2026, 6, 1), (2026, 6, 3), unit=unit_a, destination="苏州")
    make_trip((2026, 7, 10), (2026, 7, 12), unit=unit_a, destination="杭州")  # awaiting
    make_trip((2026, 6, 1), (2026, 6, 3), unit=unit_a, destination="南京", summary="已报告")
    make_trip((2026, 8, 1), unit=unit_a, destination="深圳")  # plan
    client = client_as(officer_a)
    html = client.get("/trips/").content.decode()
    assert html.count('class="table-danger"') == 1
    page = client.get("/trips/", {"status": "overdue"})
    assert [t.pk for t in page.context["object_list"]] == [overdue.pk]
    assert client.get("/trips/", {"status": "plan"}).context["paginator"].count == 1
    detail = client.get(f"/trips/{overdue.pk}/").content.decode()
    assert 'data-testid="overdue"' in detail and 'data-status="overdue"' in detail


# --- Who sees and reports which trip -----------------------------------------------------


def test_team_members_and_member_units_see_the_team_trips(
    team, unit_a, unit_c, officer_a, officer_b, member_c, bureau_user, leader
):
    outsider = UserFactory(username="outsider", unit=UnitFactory(code="UD", name="丁镇"))
    trip = make_trip((2026, 7, 1), unit=unit_a, team=team)
    own_c = make_trip((2026, 7, 2), unit=unit_c)
    for user in [officer_a, officer_b, member_c, bureau_user, leader]:
        assert Trip.objects.visible_to(user).filter(pk=trip.pk).exists(), user
    assert not Trip.objects.visible_to(outsider).filter(pk=trip.pk).exists()
    # Membership adds the team's trips to the unit's own, without duplicates.
    assert list(Trip.objects.visible_to(member_c).order_by("pk")) == [trip, own_c]
    # Unit A reports it; the member completes it; a member unit only reads it.
    assert Trip.objects.editable_by(officer_a).filter(pk=trip.pk).exists()
    assert Trip.objects.editable_by(member_c).filter(pk=trip.pk).exists()
    assert not Trip.objects.editable_by(officer_b).filter(pk=trip.pk).exists()
    assert not Trip.objects.editable_by(leader).exists()


def test_who_may_report_for_a_team(team, officer_a, officer_b, member_c, bureau_user, leader):
    team.members.add(leader)
    assert may_report_for_team(member_c, team)
    assert may_report_for_team(bureau_user, team)
    assert not may_report_for_team(officer_a, team)  # the lead unit's officer is no member
    assert not may_report_for_team(officer_b, team)
    assert not may_report_for_team(leader, team)  # leaders change nothing
    assert not may_report_for_team(member_c, None)


def test_a_team_member_reports_a_trip_of_the_team_alone(team, member_c, officer_b):
    trip = services.trip_save(
        data=dict(
            team=team,
            leader_name="张队长",
            destination="上海",
            start_on=dt.date(2026, 7, 1),
            end_on=dt.date(2026, 7, 3),
        ),
        user=member_c,
    )
    assert (trip.unit, trip.team) == (None, team)
    assert Trip.objects.visible_to(officer_b).filter(pk=trip.pk).exists()
    with pytest.raises(ValidationError) as refused:
        services.trip_save(
            data=dict(
                team=team,
                leader_name="乙",
                destination="上海",
                start_on=dt.date(2026, 7, 1),
                end_on=dt.date(2026, 7, 1),
            ),
            user=officer_b,
        )
    assert "team" in refused.value.message_dict


def test_an_officer_names_only_their_own_unit(officer_a, unit_b):
    with pytest.raises(ValidationError) as refused:
        services.trip_save(
            data=dict(
                unit=unit_b,
                leader_name="甲",
                destination="广州",
                start_on=dt.date(2026, 7, 1),
                end_on=dt.date(2026, 7, 1),
            ),
            user=officer_a,
        )
    assert "unit" in refused.value.message_dict


def test_a_member_completes_a_team_trip_that_names_another_unit(team, unit_a, member_c):
    trip = make_trip((2026, 7, 1), (2026, 7, 3), unit=unit_a, team=team)
    services.trip_save(trip=trip, user=member_c, data={"summary": "  达成合作意向  "})
    trip.refresh_from_db()
    assert trip.summary == "达成合作意向"
    assert trip_status(trip) == TripStatus.REPORTED


def test_a_trip_needs_a_unit_or_a_team_and_ends_after_it_starts(officer_a):
    with pytest.raises(ValidationError):
        services.trip_save(
            data=dict(
                unit=None, leader_name="甲", destination="上海", start_on=TODAY, end_on=TODAY
            ),
            user=officer_a,
        )
    with pytest.raises(ValidationError):
        services.trip_save(
            data=dict(
                unit=officer_a.unit,
                leader_name="甲",
                destination="上海",
                start_on=TODAY,
                end_on=TODAY - dt.timedelta(days=1),
            ),
            user=officer_a,
        )


# --- Visits, participants and leads --------------------------------------------------------


def test_trip_save_keeps_visits_participants_and_visible_leads(
    officer_a, unit_head_a, unit_b, industry, leader
):
    own_lead = LeadFactory(unit=officer_a.unit, industry=industry)
    other_lead = LeadFactory(unit=unit_b, industry=industry)
    trip = services.trip_save(
        data=dict(
            unit=officer_a.unit,
            led_by=leader,
            destination="深圳",
            start_on=dt.date(2026, 7, 1),
            end_on=dt.date(2026, 7, 2),
            participants=[officer_a, unit_head_a],
            leads=[own_lead],
        ),
        user=officer_a,
        visits=[{"company": "深圳甲科技有限公司"}, {"company": "深圳乙电子有限公司"}],
    )
    assert trip.leader_name == "县领导"  # the leading account's name
    assert [v.company for v in trip.visits.all()] == ["深圳甲科技有限公司", "深圳乙电子有限公司"]
    assert set(trip.participants.all()) == {officer_a, unit_head_a}
    assert list(trip.leads.all()) == [own_lead]

    kept = trip.visits.first()
    services.trip_save(
        trip=trip,
        user=officer_a,
        data={},
        visits=[
            {"id": kept.pk, "company": kept.company, "contact_name": "王总"},
            {"company": "丙公司"},
        ],
    )
    assert [(v.company, v.contact_name) for v in trip.visits.all()] == [
        ("深圳甲科技有限公司", "王总"),
        ("丙公司", ""),
    ]

    with pytest.raises(ValidationError) as refused:
        services.trip_save(trip=trip, user=officer_a, data={"leads": [own_lead, other_lead]})
    assert "leads" in refused.value.message_dict
    assert list(trip.leads.all()) == [own_lead]


def test_a_lead_is_created_from_a_visit_and_linked(team, unit_a, member_c, industry):
    trip = make_trip((2026, 7, 1), (2026, 7, 3), unit=unit_a, team=team, destination="上海")
    visit = TripVisit.objects.create(
        trip=trip,
        company="上海精工机械有限公司",
        contact_name="李总",
        contact_title="董事长",
        contact_phone="13912345678",
    )
    lead = services.lead_from_visit(trip=trip, visit=visit, user=member_c)
    assert (lead.company_name, lead.contact_name, lead.contact_title, lead.contact_phone) == (
        "上海精工机械有限公司",
        "李总",
        "董事长",
        "13912345678",
    )
    # The member may not name unit A: the lead is their own unit's, and the team's.
    assert (lead.unit, lead.team, lead.source) == (member_c.unit, team, "resident_team")
    assert lead.received_on == dt.date(2026, 7, 3)
    lead.project_name = "精密机械加工项目"
    lead.industry = industry
    saved = services.trip_add_lead(trip=trip, data=typed(lead), user=member_c)
    assert saved.pk and saved.provided_by == member_c
    assert list(trip.leads.all()) == [saved]
    assert list(saved.trips.all()) == [trip]


def test_the_bureau_creates_a_lead_of_a_team_trip_for_the_lead_unit(team, bureau_user, unit_a):
    trip = make_trip((2026, 7, 1), team=team)
    visit = TripVisit.objects.create(trip=trip, company="某公司")
    lead = services.lead_from_visit(trip=trip, visit=visit, user=bureau_user)
    assert lead.unit == unit_a == team.lead_unit


def test_a_lead_like_an_existing_one_waits_for_confirmation(officer_a, industry):
    existing = LeadFactory(
        unit=officer_a.unit, industry=industry, company_name="上海精工机械有限公司"
    )
    trip = make_trip((2026, 7, 1), unit=officer_a.unit)
    visit = TripVisit.objects.create(trip=trip, company="上海精工机械（有限公司）")
    lead = services.lead_from_visit(trip=trip, visit=visit, user=officer_a)
    lead.project_name, lead.industry, lead.contact_name, lead.contact_phone = (
        "二期",
        industry,
        "李总",
        "13912345678",
    )
    with pytest.raises(DuplicatesFound):
        services.trip_add_lead(trip=trip, data=typed(lead), user=officer_a)
    assert not trip.leads.exists() and Lead.objects.count() == 1
    saved = services.trip_add_lead(
        trip=trip, data=typed(lead), user=officer_a, confirm_duplicates=True
    )
    assert list(saved.possible_duplicates.all()) == [existing]
    assert list(trip.leads.all()) == [saved]


def test_the_lead_page_of_a_visit_saves_and_returns_to_the_trip(
    client_as, officer_a, industry, unit_a
):
    trip = make_trip((2026, 7, 1), unit=unit_a)
    visit = TripVisit.objects.create(
        trip=trip, company="杭州新材料有限公司", contact_name="赵总", contact_phone="13700001111"
    )
    client = client_as(officer_a)
    url = f"/trips/{trip.pk}/visits/{visit.pk}/lead/"
    form = client.get(url).context["form"]
    assert form.initial["company_name"] == "杭州新材料有限公司"
    assert "team" not in form.fields and "unit" not in form.fields
    data = {
        "company_name": "杭州新材料有限公司",
        "contact_name": "赵总",
        "contact_phone": "13700001111",
        "project_name": "新材料生产线",
        "industry": industry.pk,
        "source": "other",
        "received_on": "2026-07-01",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(f"/trips/{trip.pk}/")
    lead = trip.leads.get()
    assert (lead.project_name, lead.unit) == ("新材料生产线", unit_a)
    page = client.get(f"/trips/{trip.pk}/").content.decode()
    assert 'data-testid="visit-lead"' in page and "新材料生产线" in page
    assert 'data-testid="create-lead"' not in page  # the only visit has its lead


# --- The report form -------------------------------------------------------------------------


def formset_data(visits, initial=0):
    data = {
        "visits-TOTAL_FORMS": str(len(visits)),
        "visits-INITIAL_FORMS": str(initial),
        "visits-MIN_NUM_FORMS": "0",
        "visits-MAX_NUM_FORMS": "1000",
    }
    for index, visit in enumerate(visits):
        for name, value in visit.items():
            data[f"visits-{index}-{name}"] = value
    return data


def test_the_report_form_saves_the_trip_with_its_companies(client_as, member_c, team, industry):
    lead = LeadFactory(unit=member_c.unit, industry=industry)
    client = client_as(member_c)
    form = client.get("/trips/new/").context["form"]
    assert list(form.fields["team"].queryset) == [team]
    assert [u.pk for u in form.fields["unit"].queryset] == [member_c.unit_id]
    data = {
        "leader_name": "张队长",
        "participants": [member_c.pk],
        "team": team.pk,
        "destination": "上海浦东",
        "start_on": "2026-07-01",
        "end_on": "2026-07-03",
        "purpose": "对接装备制造企业",
        "summary": "",
        "next_steps": "",
        "leads": [lead.pk],
        **formset_data(
            [
                {"company": "上海甲公司", "contact_name": "王总", "contact_phone": "13800000001"},
                {"company": "上海乙公司", "contact_name": "李总"},
                {"company": ""},  # an empty row is ignored
            ]
        ),
    }
    response = client.post("/trips/new/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    trip = Trip.objects.get()
    assert (trip.team, trip.unit, trip.leader_name) == (team, None, "张队长")
    assert [v.company for v in trip.visits.all()] == ["上海甲公司", "上海乙公司"]
    assert list(trip.leads.all()) == [lead] and list(trip.participants.all()) == [member_c]

    first, second = trip.visits.all()
    edit = {
        **data,
        "summary": "两家企业有投资意向",
        **formset_data(
            [
                {"id": first.pk, "company": "上海甲公司", "DELETE": "on"},
                {"id": second.pk, "company": "上海乙公司（总部）"},
            ],
            initial=2,
        ),
    }
    response = client.post(f"/trips/{trip.pk}/edit/", edit)
    assert response.status_code == 302
    trip.refresh_from_db()
    assert [v.company for v in trip.visits.all()] == ["上海乙公司（总部）"]
    assert trip_status(trip) == TripStatus.REPORTED


def test_the_report_form_answers_with_errors(client_as, officer_a):
    data = {
        "destination": "",
        "start_on": "2026-07-03",
        "end_on": "2026-07-01",
        **formset_data([{"company": "", "contact_name": "只有联系人"}]),
    }
    response = client_as(officer_a).post("/trips/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"destination", "leader_name"} <= set(errors)
    assert not Trip.objects.exists()


# --- The list --------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_trip_list_query_count_does_not_grow(client_as, officer_a, team, industry):
    team.members.add(officer_a)

    def add(n):
        for i in range(n):
            trip = make_trip(
                TODAY - dt.timedelta(days=10 + i),
                unit=officer_a.unit,
                team=team,
                visits=["甲", "乙"],
            )
            trip.leads.add(LeadFactory(unit=officer_a.unit, industry=industry))

    client = client_as(officer_a)
    add(3)
    few = count_queries(client, "/trips/?status=overdue")
    add(30)
    assert count_queries(client, "/trips/?status=overdue") == few
    assert count_queries(client, "/trips/") == count_queries(client, "/trips/?page=2")


def test_the_export_holds_the_filtered_trips(client_as, officer_a, unit_a, unit_b):
    make_trip((2026, 5, 1), unit=unit_a, destination="宁波", visits=["宁波甲公司"])
    make_trip((2026, 6, 1), unit=unit_a, destination="温州")
    make_trip((2026, 6, 1), unit=unit_b, destination="乙镇的行程")
    response = client_as(officer_a).get(
        "/trips/", {"export": "xlsx", "start_after": "2026-05-01", "start_before": "2026-05-31"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][2] == "宁波" and rows[0][6] == 1


def test_a_member_keeps_the_leads_of_another_unit_they_cannot_see(team, unit_a, member_c, industry):
    unit_a_lead = LeadFactory(unit=unit_a, industry=industry)
    own_lead = LeadFactory(unit=member_c.unit, industry=industry)
    trip = make_trip((2026, 7, 1), unit=unit_a, team=team)
    trip.leads.add(unit_a_lead)
    services.trip_save(trip=trip, user=member_c, data={"leads": [own_lead]})
    assert set(trip.leads.all()) == {unit_a_lead, own_lead}
    services.trip_save(trip=trip, user=member_c, data={"leads": []})
    assert list(trip.leads.all()) == [unit_a_lead]
    with pytest.raises(ValidationError):
        services.trip_save(
            trip=trip,
            user=member_c,
            data={"leads": [LeadFactory(unit=unit_a, industry=industry)]},
        )


def typed(lead):
    """What a person would type for the lead (the form's fields)."""
    return {name: getattr(lead, name) for name in project_services.LEAD_INPUT}
