"""The bulletin's signings at events (以会招商, issue 18): each event's first signings and
each unit's against its quota; a project signed again at a later event (重复签约) is shown
as a re-signing and adds nothing — to the event, to the county's signings, to any amount."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from events import services as event_services
from reports import services
from reports.selectors import monthly_bulletin
from tests.events.event_helpers import day, make_event, signed_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(unit_a, unit_b, bureau_user):
    """The spring fair (5–6 March: unit A must sign 2, unit B 1), where A-1 is signed; the
    May ceremony, where A-1 is signed again and B-1 for the first time."""
    fair = make_event(bureau_user.unit, (3, 5), (3, 6), name="春季投洽会")
    ceremony = make_event(bureau_user.unit, (5, 20), kind="signing", name="五月集中签约仪式")
    event_services.event_quota_set(event=fair, user=bureau_user, unit=unit_a, signing_quota=2)
    event_services.event_quota_set(event=fair, user=bureau_user, unit=unit_b, signing_quota=1)
    a1 = signed_project(unit_a, "A-1", (3, 5), "12000")
    b1 = signed_project(unit_b, "B-1", (5, 20), "3000")
    with time_machine.travel(dt.datetime(2026, 6, 10, 10), tick=False):
        for event, project, on in [
            (fair, a1, day(3, 5)),
            (ceremony, a1, day(5, 20)),
            (ceremony, b1, day(5, 20)),
        ]:
            event_services.event_signing_record(
                event=event, user=bureau_user, project=project, signed_on=on
            )
    return fair, ceremony


@time_machine.travel(dt.datetime(2026, 7, 3, 10), tick=False)
def test_each_event_counts_its_first_signings_once(events, unit_a, unit_b):
    bulletin = monthly_bulletin(2026, 6)
    fair, ceremony = bulletin.events
    assert (fair.name, fair.first_signings, fair.contract_amount_wan, fair.re_signings) == (
        "春季投洽会",
        1,
        Decimal("12000"),
        0,
    )
    assert [(u.name, u.quota, u.first_signings) for u in fair.units] == [
        (unit_a.name, 2, 1),
        (unit_b.name, 1, 0),
    ]
    # A-1 signed again in May: a re-signing, counted nothing; B-1 is the ceremony's one
    assert (ceremony.first_signings, ceremony.contract_amount_wan, ceremony.re_signings) == (
        1,
        Decimal("3000"),
        1,
    )
    assert [(u.name, u.quota, u.first_signings) for u in ceremony.units] == [(unit_b.name, None, 1)]
    # the county's signings count each project once
    assert (bulletin.signed.count, bulletin.signed.contract_amount_wan) == (2, Decimal("15000"))
    # a month before the ceremony, the bulletin knows only the fair
    assert [e.name for e in monthly_bulletin(2026, 4).events] == ["春季投洽会"]


@time_machine.travel(dt.datetime(2026, 7, 3, 10), tick=False)
def test_the_page_shows_them(events, client_as, bureau_user, unit_a):
    report = services.report_build(period=dt.date(2026, 6, 1), user=bureau_user)
    page = client_as(bureau_user).get(f"/reports/monthly/{report.pk}/").content.decode()
    assert "以会招商" in page and "春季投洽会" in page and "五月集中签约仪式" in page
    assert "1 个，差 1 个" in page  # unit A: 1 of its 2 at the fair
