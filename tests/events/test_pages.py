"""The event pages: what they show, and query counts that do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import selectors, services
from tests.events.event_helpers import day, make_event, signed_project
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def county_of(size, bureau_user, officer_a):
    """`size` events, each with `size` units taking part and `size` projects of unit A
    signed there (the first event's first signings, re-signed at every later one)."""
    units = [UnitFactory() for _ in range(size)]
    projects = [signed_project(officer_a.unit, f"S{size}-{n}", (3, 1), 1000) for n in range(size)]
    events = []
    for n in range(size):
        event = make_event(bureau_user.unit, (3, 1 + n), (3, 1 + n), name=f"活动{size}-{n}")
        for unit in units:
            services.event_quota_set(event=event, user=bureau_user, unit=unit, signing_quota=1)
        for project in projects:
            services.event_signing_record(
                event=event, user=officer_a, project=project, signed_on=day(3, 1 + n)
            )
        events.append(event)
    return events


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


@pytest.mark.parametrize("page", ["list", "detail", "bulletin", "api"])
def test_query_counts_do_not_grow_with_the_rows(page, bureau_user, officer_a, client_as, api_as):
    counts = []
    for size in (1, 4):
        events = county_of(size, bureau_user, officer_a)
        client = client_as(officer_a)
        call = {
            "list": lambda c=client: c.get(reverse("events:event_list")),
            "detail": lambda c=client, e=events[-1]: c.get(e.get_absolute_url() + "?tab=signings"),
            "bulletin": lambda: selectors.signings_by_event(year=2026, until=day(6, 30)),
            "api": lambda: api_as(officer_a).get("/api/v1/events/"),
        }[page]
        call()  # warm: the session, caches
        counts.append(count_queries(call))
    assert counts[0] == counts[1], counts


def test_the_bulletin_selector_answers_in_three_queries(bureau_user, officer_a):
    county_of(3, bureau_user, officer_a)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.signings_by_event(year=2026, until=day(6, 30))
    assert len(queries) == 3
    assert [(r.first_signings, r.re_signings) for r in rows] == [(3, 0), (0, 3), (0, 3)]


def test_the_event_page_marks_re_signings(bureau_user, officer_a, officer_b, client_as):
    fair = make_event(bureau_user.unit, (3, 5), (3, 6), name="春季投洽会")
    ceremony = make_event(bureau_user.unit, (5, 20), kind="signing", name="签约仪式")
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    services.event_quota_set(event=ceremony, user=bureau_user, unit=officer_a.unit, signing_quota=1)
    for event, on in ((fair, day(3, 5)), (ceremony, day(5, 20))):
        services.event_signing_record(event=event, user=officer_a, project=project, signed_on=on)
    page = client_as(officer_a).get(ceremony.get_absolute_url()).content.decode()
    assert 'data-testid="re-signing"' in page
    assert 'data-testid="first-signings">0<' in page
    assert 'data-testid="signing-form"' in page
    # unit B reads the figures, not unit A's records, and has the forms for its own
    theirs = client_as(officer_b).get(ceremony.get_absolute_url()).content.decode()
    assert 'data-testid="re-signing"' not in theirs
    assert 'data-unit="甲镇"' in theirs


def test_the_list_filters_by_year_and_kind(bureau_user, client_as, leader):
    make_event(bureau_user.unit, (3, 5), name="甲春季会")
    make_event(bureau_user.unit, day(10, 8, 2025), name="乙秋季会")
    make_event(bureau_user.unit, (6, 18), kind="ground_breaking", name="丙开工仪式")
    page = client_as(leader).get(reverse("events:event_list"), {"year": 2026, "kind": "fair"})
    text = page.content.decode()
    assert "甲春季会" in text and "乙秋季会" not in text and "丙开工仪式" not in text


def test_a_signing_recorded_from_the_page(bureau_user, officer_a, client_as):
    fair = make_event(bureau_user.unit, (3, 5), (3, 6), name="春季投洽会")
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    client = client_as(officer_a)
    url = reverse("events:event_signing", args=[fair.pk])
    wrong = client.post(url, {"signing-project": project.pk, "signing-signed_on": "2026-03-09"})
    assert wrong.status_code == 200
    assert "2026-03-05 – 2026-03-06" in wrong.content.decode()
    done = client.post(url, {"signing-project": project.pk, "signing-signed_on": "2026-03-05"})
    assert done.status_code == 302 and done["Location"].endswith("?tab=signings")
    assert selectors.event_figures(fair).first_signings == 1


def test_the_list_exports_its_rows(bureau_user, client_as, leader):
    make_event(bureau_user.unit, (3, 5), name="甲春季会")
    response = client_as(leader).get(reverse("events:event_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
