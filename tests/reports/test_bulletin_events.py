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


@time_machine.travel(dt.datetime(2026, 7, 3, 10), tick=False)
def test_the_workbook_lists_each_events_signings_and_quotas(events, unit_a, unit_b):
    from io import BytesIO

    from openpyxl import load_workbook

    from reports.workbook import bulletin_workbook
    from tests.reports.county import snapshot

    book = load_workbook(BytesIO(bulletin_workbook(snapshot(monthly_bulletin(2026, 6)))))
    sheet = book["以会招商"]
    assert [c.value for c in sheet[2]] == [
        "活动",
        "类型",
        "日期",
        "单位",
        "签约任务数",
        "首次签约",
        "合同金额（万元）",
        "距任务差",
        "重复签约（不计数）",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    fair = [row[3:] for row in rows if row[0] == "春季投洽会"]
    assert fair == [
        ["全部单位", 3, 1, 12000, None, 0],
        [unit_a.name, 2, 1, 12000, 1, None],
        [unit_b.name, 1, 0, 0, 1, None],
    ]
    assert rows[0][2] == "2026-03-05—2026-03-06"
    ceremony = [row[3:] for row in rows if row[0] == "五月集中签约仪式"]
    # A-1 signed again: a re-signing, counted nothing; B-1's first signing
    assert ceremony == [["全部单位", None, 1, 3000, None, 1], [unit_b.name, None, 1, 3000, 0, None]]
