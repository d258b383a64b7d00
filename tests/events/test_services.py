"""The rules of events.services and the figures of events.selectors, worked out by hand."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events import selectors, services
from events.models import EventSigning
from teams.models import Unit
from tests.events.event_helpers import day, make_event, signed_project
from tests.factories import LeadFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


def messages(error):
    return error.value.message_dict


@pytest.fixture
def fair(bureau_user):
    """The spring fair (投洽会), 5–6 March."""
    return make_event(bureau_user.unit, (3, 5), (3, 6), name="春季投洽会")


@pytest.fixture
def ceremony(bureau_user):
    """A signing ceremony on 20 May, where projects are often signed again."""
    return make_event(bureau_user.unit, (5, 20), kind="signing", name="五月集中签约仪式")


def sign(event, user, project, on, note=""):
    return services.event_signing_record(
        event=event, user=user, project=project, signed_on=on, note=note
    )


# --- Events and quotas ---------------------------------------------------------------------


def test_the_bureau_creates_an_event_organised_by_its_unit(bureau_user):
    event = services.event_create(
        user=bureau_user,
        data={
            "kind": "promotion",
            "name": " 长三角推介会 ",
            "start_on": day(4, 1),
            "end_on": day(4, 2),
        },
    )
    assert event.organiser == bureau_user.unit
    assert event.name == "长三角推介会"
    assert event.created_by == bureau_user
    assert event.history.count() == 1


def test_an_event_cannot_end_before_it_starts(bureau_user):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            user=bureau_user,
            data={"kind": "fair", "name": "投洽会", "start_on": day(4, 2), "end_on": day(4, 1)},
        )
    assert messages(error) == {"end_on": ["活动结束日期不能早于开始日期。"]}


@pytest.mark.parametrize("who", ["officer_a", "unit_head_a", "leader"])
def test_only_the_bureau_manages_events(who, users, fair):
    with pytest.raises(PermissionDenied):
        services.event_create(
            user=users[who],
            data={"kind": "fair", "name": "投洽会", "start_on": day(4, 1), "end_on": day(4, 1)},
        )
    with pytest.raises(PermissionDenied):
        services.event_update(event=fair, user=users[who], data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        services.event_quota_set(event=fair, user=users[who], unit=fair.organiser, signing_quota=1)


def test_a_quota_is_set_once_per_unit_and_changed_in_place(bureau_user, fair, unit_a):
    services.event_quota_set(event=fair, user=bureau_user, unit=unit_a, signing_quota=1)
    quota = services.event_quota_set(event=fair, user=bureau_user, unit=unit_a, signing_quota=3)
    assert list(fair.quotas.values_list("unit", "signing_quota")) == [(unit_a.pk, 3)]
    assert quota.history.count() == 2
    with pytest.raises(ValidationError) as error:
        services.event_quota_set(event=fair, user=bureau_user, unit=unit_a, signing_quota=-1)
    assert "signing_quota" in messages(error)
    services.event_quota_remove(quota=quota, user=bureau_user)
    assert not fair.quotas.exists()


def test_moving_an_event_away_from_its_signings_is_refused(bureau_user, officer_a, fair):
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    sign(fair, officer_a, project, day(3, 5))
    with pytest.raises(ValidationError) as error:
        services.event_update(event=fair, user=bureau_user, data={"start_on": day(3, 6)})
    assert list(messages(error)) == ["start_on"]


# --- Signings: who and when ---------------------------------------------------------------


def test_a_signing_is_dated_within_the_event(officer_a, fair):
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    with pytest.raises(ValidationError) as error:
        sign(fair, officer_a, project, day(3, 7))
    assert messages(error) == {"signed_on": ["签约日期须在活动日期内（2026-03-05 – 2026-03-06）。"]}


def test_a_signing_cannot_be_earlier_than_the_projects_own_signing(officer_a, fair):
    project = signed_project(officer_a.unit, "A-1", (3, 6), 8000)
    with pytest.raises(ValidationError) as error:
        sign(fair, officer_a, project, day(3, 5))
    assert messages(error) == {
        "signed_on": ["该项目签约日期为2026-03-06：活动签约日期不能早于此日期。"]
    }


def test_a_signing_in_the_future_is_refused(bureau_user, officer_a):
    later = make_event(bureau_user.unit, (7, 20))
    project = signed_project(officer_a.unit, "A-1", (3, 6), 8000)
    with pytest.raises(ValidationError) as error:
        sign(later, officer_a, project, day(7, 20))
    assert list(messages(error)) == ["signed_on"]


@pytest.mark.parametrize("stage", ["negotiating", "terminated"])
def test_only_a_signed_live_project_is_signed_at_an_event(stage, officer_a, fair):
    fields = {"signed_on": day(3, 5)} if stage == "terminated" else {}
    if stage == "terminated":
        fields["termination_reason"] = "投资方撤资"
    project = ProjectFactory(unit=officer_a.unit, stage=stage, **fields)
    with pytest.raises(ValidationError) as error:
        sign(fair, officer_a, project, day(3, 5))
    assert list(messages(error)) == ["project"]
    assert "签约及以后阶段" in messages(error)["project"][0]


def test_an_officer_records_only_their_own_units_projects(officer_a, officer_b, fair):
    theirs = signed_project(officer_b.unit, "B-1", (3, 5), 3000)
    theirs.cooperating_units.add(officer_a.unit)  # read, not changed, by unit A
    with pytest.raises(ValidationError) as error:
        sign(fair, officer_a, theirs, day(3, 5))
    assert messages(error) == {"project": ["只能登记本单位的项目。"]}
    assert not EventSigning.objects.exists()


def test_the_bureau_records_any_units_project(bureau_user, officer_b, fair):
    theirs = signed_project(officer_b.unit, "B-1", (3, 5), 3000)
    signing = sign(fair, bureau_user, theirs, day(3, 5))
    assert signing.recorded_by == bureau_user


def test_a_leader_records_nothing(leader, officer_a, fair):
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    lead = LeadFactory(unit=officer_a.unit)
    with pytest.raises(PermissionDenied):
        sign(fair, leader, project, day(3, 5))
    with pytest.raises(PermissionDenied):
        services.event_lead_add(event=fair, user=leader, lead=lead)
    with pytest.raises(PermissionDenied):
        services.event_invite(event=fair, user=leader, data={"company_name": "某公司"})
    with pytest.raises(PermissionDenied):
        services.event_start_record(event=fair, user=leader, project=project)


def test_a_project_is_signed_once_per_event(officer_a, fair):
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    sign(fair, officer_a, project, day(3, 5))
    with pytest.raises(ValidationError) as error:
        sign(fair, officer_a, project, day(3, 6))
    assert messages(error) == {"project": ["该项目在本活动的签约已登记。"]}


# --- First signing counts once ----------------------------------------------------------------


def test_a_project_re_signed_at_a_later_event_counts_there_nothing(officer_a, fair, ceremony):
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    sign(fair, officer_a, project, day(3, 5))
    again = sign(ceremony, officer_a, project, day(5, 20), note="重复签约")

    first, later = selectors.event_figures(fair), selectors.event_figures(ceremony)
    assert (first.first_signings, first.contract_amount_wan, first.re_signings) == (
        1,
        Decimal("8000.00"),
        0,
    )
    assert (later.first_signings, later.contract_amount_wan, later.re_signings) == (
        0,
        Decimal("0.00"),
        1,
    )
    shown = list(selectors.event_signings(ceremony, officer_a))
    assert [(s.pk, s.is_first) for s in shown] == [(again.pk, False)]


def test_a_project_signed_before_the_event_began_is_a_re_signing(officer_a, fair):
    """Its earliest signing record, yet the project was signed in January, outside any
    event: the fair re-signs it."""
    project = signed_project(officer_a.unit, "A-1", (1, 10), 6000)
    sign(fair, officer_a, project, day(3, 5))
    figures = selectors.event_figures(fair)
    assert (figures.first_signings, figures.contract_amount_wan, figures.re_signings) == (
        0,
        Decimal("0.00"),
        1,
    )


def test_removing_the_first_signing_leaves_the_later_one_a_re_signing(officer_a, fair, ceremony):
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    first = sign(fair, officer_a, project, day(3, 5))
    sign(ceremony, officer_a, project, day(5, 20))
    removed = first.pk
    services.event_signing_remove(signing=first, user=officer_a)
    # the project was signed on 5 March, before the ceremony: still not counted there
    assert selectors.event_figures(ceremony).first_signings == 0
    assert EventSigning.history.filter(id=removed, history_type="-").exists()


def test_quota_fulfilment_per_unit_by_hand(bureau_user, officer_a, officer_b, fair, ceremony):
    """At the fair: unit A must sign 2 and B 1, C 1. A signs A-1 (8000, first) and A-2
    (signed in January: a re-signing); B signs B-1 (1500, first) on the second day; D
    takes no part but the bureau records D-1 (700, first). A-1 is signed again at the
    ceremony (counts nothing there).

    Fair: first signings 3 (A-1, B-1, D-1), 8000 + 1500 + 700 = 10200 万元, 1 re-signing;
    A 1 of 2 (1 short, 8000), B 1 of 1 (met, 1500), C 0 of 1 (1 short), D 1 without quota."""
    unit_c = UnitFactory(code="UC", name="丙镇")
    unit_d = UnitFactory(code="UD", name="丁镇")
    for order, unit in enumerate((officer_a.unit, officer_b.unit, unit_c, unit_d)):
        Unit.objects.filter(pk=unit.pk).update(sort_order=order)
    for unit, quota in ((officer_a.unit, 2), (officer_b.unit, 1), (unit_c, 1)):
        services.event_quota_set(event=fair, user=bureau_user, unit=unit, signing_quota=quota)
    a1 = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    a2 = signed_project(officer_a.unit, "A-2", (1, 10), 3000)
    b1 = signed_project(officer_b.unit, "B-1", (3, 6), 1500)
    d1 = signed_project(unit_d, "D-1", (3, 5), 700)
    sign(fair, officer_a, a1, day(3, 5))
    sign(fair, officer_a, a2, day(3, 5))
    sign(fair, officer_b, b1, day(3, 6))
    sign(fair, bureau_user, d1, day(3, 5))
    sign(ceremony, officer_a, a1, day(5, 20))

    figures = selectors.event_figures(fair)
    assert (figures.first_signings, figures.contract_amount_wan, figures.re_signings) == (
        3,
        Decimal("10200.00"),
        1,
    )
    assert figures.quota_total == 4
    rows = [
        (u.unit_name, u.quota, u.first_signings, u.contract_amount_wan, u.met, u.short_by)
        for u in figures.units
    ]
    assert rows == [
        ("甲镇", 2, 1, Decimal("8000.00"), False, 1),
        ("乙镇", 1, 1, Decimal("1500.00"), True, 0),
        ("丙镇", 1, 0, Decimal("0.00"), False, 1),
        ("丁镇", None, 1, Decimal("700.00"), True, 0),
    ]
    assert selectors.event_figures(ceremony).units == []  # A-1 counts nothing there

    bulletin = selectors.signings_by_event(year=2026, until=day(6, 30))
    assert [(e.name, e.first_signings, e.contract_amount_wan, e.re_signings) for e in bulletin] == [
        ("春季投洽会", 3, Decimal("10200.00"), 1),
        ("五月集中签约仪式", 0, Decimal("0.00"), 1),
    ]
    assert bulletin[0].units == tuple(figures.units)
    # up to 5 March only: B-1 (6 March) is not yet signed
    march_5 = selectors.signings_by_event(year=2026, until=day(3, 5))
    assert [(e.name, e.first_signings, e.contract_amount_wan) for e in march_5] == [
        ("春季投洽会", 2, Decimal("8700.00"))
    ]


def test_last_years_first_signing_counts_nowhere_this_year(bureau_user, officer_a):
    autumn = make_event(bureau_user.unit, day(10, 8, 2025), name="2025秋季投洽会")
    spring = make_event(bureau_user.unit, (3, 5), name="2026春季投洽会")
    project = signed_project(officer_a.unit, "A-1", day(10, 8, 2025), 5000)
    sign(autumn, officer_a, project, day(10, 8, 2025))
    sign(spring, officer_a, project, day(3, 5))
    this_year = selectors.signings_by_event(year=2026, until=day(6, 30))
    assert [(e.name, e.first_signings, e.re_signings) for e in this_year] == [
        ("2026春季投洽会", 0, 1)
    ]
    last_year = selectors.signings_by_event(year=2025, until=day(12, 31, 2025))
    assert [(e.name, e.first_signings, e.contract_amount_wan) for e in last_year] == [
        ("2025秋季投洽会", 1, Decimal("5000.00"))
    ]


# --- Starts, leads, invitations ------------------------------------------------------------


@pytest.fixture
def ground_breaking(bureau_user):
    return make_event(bureau_user.unit, (6, 18), kind="ground_breaking", name="二季度集中开工")


def test_a_started_project_is_recorded_at_a_ground_breaking(officer_a, ground_breaking):
    project = signed_project(
        officer_a.unit, "A-1", (3, 5), 8000, stage="started", started_on=(6, 18)
    )
    start = services.event_start_record(event=ground_breaking, user=officer_a, project=project)
    assert start.recorded_by == officer_a
    assert selectors.event_figures(ground_breaking).starts == 1
    other = make_event(ground_breaking.organiser, (6, 25), kind="ground_breaking")
    with pytest.raises(ValidationError) as error:
        services.event_start_record(event=other, user=officer_a, project=project)
    assert messages(error) == {"project": ["该项目已登记在“二季度集中开工”开工。"]}


def test_starts_are_refused_off_the_rules(officer_a, officer_b, fair, ground_breaking):
    started = signed_project(
        officer_a.unit, "A-1", (3, 5), 8000, stage="started", started_on=(6, 18)
    )
    with pytest.raises(ValidationError) as error:
        services.event_start_record(event=fair, user=officer_a, project=started)
    assert list(messages(error)) == ["__all__"]
    not_started = signed_project(officer_a.unit, "A-2", (3, 5), 8000)
    with pytest.raises(ValidationError) as error:
        services.event_start_record(event=ground_breaking, user=officer_a, project=not_started)
    assert list(messages(error)) == ["project"]
    late = signed_project(officer_a.unit, "A-3", (3, 5), 800, stage="started", started_on=(7, 1))
    with pytest.raises(ValidationError) as error:
        services.event_start_record(event=ground_breaking, user=officer_a, project=late)
    assert "晚于本活动" in messages(error)["project"][0]
    with pytest.raises(ValidationError) as error:
        services.event_start_record(event=ground_breaking, user=officer_b, project=started)
    assert messages(error) == {"project": ["只能登记本单位的项目。"]}


def test_leads_and_invitations(officer_a, officer_b, fair):
    lead = LeadFactory(unit=officer_a.unit, company_name="宁波锂能科技有限公司")
    link = services.event_lead_add(event=fair, user=officer_a, lead=lead)
    assert link.added_by == officer_a and link.history.count() == 1
    with pytest.raises(ValidationError) as error:
        services.event_lead_add(event=fair, user=officer_a, lead=lead)
    assert list(messages(error)) == ["lead"]
    with pytest.raises(ValidationError) as error:
        services.event_lead_add(event=fair, user=officer_b, lead=lead)
    assert messages(error) == {"lead": ["只能登记本单位的线索。"]}

    invited = services.event_invite(event=fair, user=officer_a, data={"lead": lead})
    assert (invited.company_name, invited.unit) == ("宁波锂能科技有限公司", officer_a.unit)
    with pytest.raises(ValidationError) as error:
        services.event_invite(event=fair, user=officer_b, data={"lead": lead})
    assert list(messages(error)) == ["lead"]
    with pytest.raises(ValidationError) as error:
        services.event_invite(event=fair, user=officer_b, data={"company_name": "x", "unit": 1})
    assert list(messages(error)) == ["unit"]  # not typed: the inviting unit is the user's
    figures = selectors.event_figures(fair)
    assert (figures.leads, figures.invitations) == (1, 1)
    assert list(selectors.event_invitations(fair, officer_b)) == []
