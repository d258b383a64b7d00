"""/api/v1/events/: the list with its filters, search, ordering and pagination, the
bureau's writes, and the units' signings and starts (issue 18, part 1)."""

from decimal import Decimal

import pytest

from events import services
from tests.events.event_helpers import day, make_event, signed_project

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"


@pytest.fixture
def events(bureau_user, unit_a):
    fair = make_event(bureau_user.unit, (3, 5), (3, 6), name="春季投洽会")
    promotion = make_event(unit_a, (4, 10), kind="promotion", name="甲镇深圳推介会")
    last_year = make_event(bureau_user.unit, day(10, 8, 2025), name="2025秋季投洽会")
    return fair, promotion, last_year


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_the_list_is_paginated_with_the_events_figures(api_as, officer_b, officer_a, events):
    fair = events[0]
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    services.event_signing_record(event=fair, user=officer_a, project=project, signed_on=day(3, 5))
    response = api_as(officer_b).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    row = next(r for r in body["results"] if r["id"] == fair.pk)
    assert (row["first_signings"], row["contract_amount_wan"], row["re_signings"]) == (
        1,
        "8000.00",
        0,
    )
    assert row["kind"] == "fair" and row["start_on"] == "2026-03-05"


def test_filters_search_and_ordering(api_as, leader, unit_a, events):
    client = api_as(leader)
    assert names(client.get(URL, {"year": 2026, "ordering": "start_on"})) == [
        "春季投洽会",
        "甲镇深圳推介会",
    ]
    assert names(client.get(URL, {"kind": "promotion"})) == ["甲镇深圳推介会"]
    assert names(client.get(URL, {"unit": unit_a.pk})) == ["甲镇深圳推介会"]
    assert names(client.get(URL, {"search": "秋季"})) == ["2025秋季投洽会"]
    assert names(client.get(URL, {"ordering": "-start_on"}))[0] == "甲镇深圳推介会"
    assert client.get(URL, {"kind": "nothing"}).status_code == 400


def test_detail_and_unknown_ids(api_as, officer_b, events):
    fair = events[0]
    assert api_as(officer_b).get(f"{URL}{fair.pk}/").json()["name"] == "春季投洽会"
    assert api_as(officer_b).get(f"{URL}999999/").status_code == 404


def test_the_bureau_creates_and_changes_events_with_field_errors(api_as, bureau_user, officer_a):
    client = api_as(bureau_user)
    response = client.post(
        URL,
        {
            "kind": "signing",
            "name": "集中签约仪式",
            "start_on": "2026-05-20",
            "end_on": "2026-05-20",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    event = response.json()
    assert event["organiser"] == bureau_user.unit_id and event["first_signings"] == 0
    response = client.patch(f"{URL}{event['id']}/", {"end_on": "2026-05-19"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"end_on": ["活动结束日期不能早于开始日期。"]}
    response = api_as(officer_a).post(URL, {"kind": "fair"}, format="json")
    assert response.status_code == 403


def test_quotas_are_the_bureaus(api_as, bureau_user, officer_a, unit_a, events):
    fair = events[0]
    url = f"{URL}{fair.pk}/quotas/"
    response = api_as(bureau_user).post(url, {"unit": unit_a.pk, "signing_quota": 2}, format="json")
    assert response.status_code == 200
    assert response.json()["quotas"] == [{"unit": unit_a.pk, "signing_quota": 2}]
    assert response.json()["quota_total"] == 2
    bad = api_as(bureau_user).post(url, {"unit": unit_a.pk, "signing_quota": -1}, format="json")
    assert bad.status_code == 400 and "signing_quota" in bad.json()
    assert api_as(officer_a).post(url, {"unit": unit_a.pk, "signing_quota": 1}).status_code == 403


def test_units_record_signings_and_read_re_signings_apart(
    api_as, officer_a, officer_b, leader, bureau_user, events
):
    fair = events[0]
    ceremony = make_event(bureau_user.unit, (5, 20), kind="signing", name="签约仪式")
    project = signed_project(officer_a.unit, "A-1", (3, 5), 8000)
    client = api_as(officer_a)
    first = client.post(
        f"{URL}{fair.pk}/signings/",
        {"project": project.pk, "signed_on": "2026-03-05"},
        format="json",
    )
    assert first.status_code == 201, first.json()
    assert first.json()["is_first"] is True
    again = client.post(
        f"{URL}{ceremony.pk}/signings/",
        {"project": project.pk, "signed_on": "2026-05-20", "note": "重复签约"},
        format="json",
    )
    assert again.status_code == 201 and again.json()["is_first"] is False
    shown = client.get(f"{URL}{ceremony.pk}/").json()
    assert (shown["first_signings"], shown["contract_amount_wan"], shown["re_signings"]) == (
        0,
        "0.00",
        1,
    )
    listed = client.get(f"{URL}{ceremony.pk}/signings/").json()
    assert [(r["project"], r["is_first"]) for r in listed["results"]] == [(project.pk, False)]
    # unit B neither sees unit A's signings nor may name A's project
    assert api_as(officer_b).get(f"{URL}{fair.pk}/signings/").json()["count"] == 0
    refused = api_as(officer_b).post(
        f"{URL}{fair.pk}/signings/",
        {"project": project.pk, "signed_on": "2026-03-05"},
        format="json",
    )
    assert refused.status_code == 400 and list(refused.json()) == ["project"]
    out_of_dates = client.post(
        f"{URL}{fair.pk}/signings/",
        {
            "project": signed_project(officer_a.unit, "A-2", (3, 5), 100).pk,
            "signed_on": "2026-03-09",
        },
        format="json",
    )
    assert out_of_dates.status_code == 400 and list(out_of_dates.json()) == ["signed_on"]
    assert api_as(leader).post(f"{URL}{fair.pk}/signings/", {}, format="json").status_code == 403
    assert client.get(f"{URL}999999/signings/").status_code == 404


def test_starts_at_a_ground_breaking(api_as, officer_a, bureau_user, events):
    ground = make_event(bureau_user.unit, (6, 18), kind="ground_breaking", name="集中开工")
    project = signed_project(
        officer_a.unit, "A-1", (3, 5), 8000, stage="started", started_on=(6, 18)
    )
    client = api_as(officer_a)
    refused = client.post(f"{URL}{events[0].pk}/starts/", {"project": project.pk}, format="json")
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    response = client.post(f"{URL}{ground.pk}/starts/", {"project": project.pk}, format="json")
    assert response.status_code == 201
    assert client.get(f"{URL}{ground.pk}/").json()["starts"] == 1
    assert client.get(f"{URL}{ground.pk}/starts/").json()["count"] == 1
    twice = client.post(f"{URL}{ground.pk}/starts/", {"project": project.pk}, format="json")
    assert twice.status_code == 400 and list(twice.json()) == ["project"]
    assert Decimal(client.get(f"{URL}{ground.pk}/").json()["contract_amount_wan"]) == 0
