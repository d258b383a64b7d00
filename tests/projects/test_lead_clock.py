"""The response clock of new leads (首报首谈): amber once a lead still open has gone more
than the bureau's amber days without a first follow-up, red past its red days; computed in
the database, shown on the lead list (badge, filter, workbook) and the lead's page."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from core.policy import Refused
from projects import services
from projects.models import FollowUp, Lead, LeadClock
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def colour_on(lead, day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False):
        return Lead.objects.with_clock(day).get(pk=lead.pk).clock


@pytest.fixture
def lead(unit_a, industry):
    return LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 10))


def test_the_clock_at_its_boundaries(lead):
    assert colour_on(lead, dt.date(2026, 7, 13)) == ""  # 3 days: within the amber days
    assert colour_on(lead, dt.date(2026, 7, 14)) == "amber"  # 4 days
    assert colour_on(lead, dt.date(2026, 7, 17)) == "amber"  # 7 days: within the red days
    assert colour_on(lead, dt.date(2026, 7, 18)) == "red"  # 8 days


def test_a_first_follow_up_stops_the_clock_and_a_closed_lead_has_none(lead, unit_a, industry):
    FollowUp.objects.create(lead=lead, note="电话沟通", happened_on=dt.date(2026, 7, 16))
    assert colour_on(lead, dt.date(2026, 7, 20)) == ""
    dropped = LeadFactory(
        unit=unit_a,
        industry=industry,
        received_on=dt.date(2026, 7, 1),
        status="dropped",
        drop_reason="无意向",
    )
    assert colour_on(dropped, dt.date(2026, 7, 20)) == ""


def test_the_bureau_sets_the_days(lead, bureau_user):
    services.lead_clock_set(user=bureau_user, amber_days=1, red_days=2)
    assert colour_on(lead, dt.date(2026, 7, 11)) == ""
    assert colour_on(lead, dt.date(2026, 7, 12)) == "amber"
    assert colour_on(lead, dt.date(2026, 7, 13)) == "red"
    clock = LeadClock.current()
    assert (clock.amber_days, clock.red_days, clock.updated_by) == (1, 2, bureau_user)
    assert clock.history.count() == 1


def test_only_the_bureau_sets_it_and_red_comes_after_amber(officer_a, bureau_user):
    with pytest.raises(Refused):
        services.lead_clock_set(user=officer_a, amber_days=2, red_days=5)
    with pytest.raises(ValidationError) as refused:
        services.lead_clock_set(user=bureau_user, amber_days=5, red_days=5)
    assert "red_days" in refused.value.message_dict
    assert LeadClock.current().amber_days == 3  # the defaults still hold
    assert not LeadClock.objects.exists()


def test_the_list_and_the_page_show_the_colours(client_as, officer_a, lead, unit_a, industry):
    late = LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 1))
    LeadFactory(unit=unit_a, industry=industry, received_on=dt.date(2026, 7, 14))
    client = client_as(officer_a)
    with time_machine.travel(dt.datetime(2026, 7, 15, 10), tick=False):
        page = client.get("/leads/").content.decode()
        assert page.count('data-clock="red"') == 1 and page.count('data-clock="amber"') == 1
        assert "已14天未跟进" in page and "已5天未跟进" in page
        red = client.get("/leads/?clock=red").content.decode()
        assert late.company_name in red and lead.company_name not in red
        detail = client.get(late.get_absolute_url()).content.decode()
        assert 'data-clock="red"' in detail
        workbook = load_workbook(BytesIO(client.get("/leads/?export=xlsx").content))
        cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row]
        assert "已14天未跟进" in cells
        api = client.get("/api/v1/leads/?clock=amber").json()
        assert [row["id"] for row in api["results"]] == [lead.pk]


def test_the_clock_page_is_the_bureaus(client_as, bureau_user, officer_a, leader):
    assert client_as(officer_a).get("/leads/clock/").status_code == 403
    assert client_as(leader).post("/leads/clock/", {"amber_days": 2}).status_code == 403
    client = client_as(bureau_user)
    assert "首报首谈" in client.get("/leads/clock/").content.decode()
    refused = client.post("/leads/clock/", {"amber_days": 5, "red_days": 4})
    assert refused.status_code == 200 and "红灯应在黄灯之后" in refused.content.decode()
    saved = client.post("/leads/clock/", {"amber_days": 2, "red_days": 5})
    assert saved.status_code == 302
    assert (LeadClock.current().amber_days, LeadClock.current().red_days) == (2, 5)
    page = client.get("/leads/clock/").content.decode()
    assert "招商局员" in page  # the change, who made it
