"""The orders over REST: list, filters, search, ordering, create, answer (multipart),
close, return; 400 under the fields, 403, 404."""

import pytest

from supervision.models import SupervisionOrder
from tests.projects.conftest import pdf_upload
from tests.supervision.conftest import issue

pytestmark = pytest.mark.django_db


def test_the_list_is_paginated_filtered_searched_and_ordered(api_as, bureau_user, unit_a, unit_b):
    a = issue(bureau_user, unit_a, matter="甲镇补报总结")
    b = issue(bureau_user, unit_b, matter="乙镇补报资金")
    SupervisionOrder.objects.filter(pk=b.pk).update(level="yellow", second_due_on="2026-08-01")
    api = api_as(bureau_user)
    body = api.get("/api/v1/orders/").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 2
    assert [o["id"] for o in api.get("/api/v1/orders/?level=yellow").json()["results"]] == [b.pk]
    assert [o["id"] for o in api.get(f"/api/v1/orders/?unit={unit_a.pk}").json()["results"]] == [
        a.pk
    ]
    assert [
        o["id"] for o in api.get("/api/v1/orders/?status=open&search=资金").json()["results"]
    ] == [b.pk]
    ordered = api.get("/api/v1/orders/?ordering=-level").json()["results"]
    assert [o["id"] for o in ordered] == [b.pk, a.pk]
    assert api.get("/api/v1/orders/?level=purple").status_code == 400


def test_the_bureau_creates_and_errors_come_under_their_fields(
    api_as, bureau_user, officer_a, unit_a
):
    payload = {
        "unit": unit_a.pk,
        "subject_kind": "report",
        "report_period": "2026-06",
        "matter": "补报6月到位资金",
        "reason": "未报送",
        "due_on": "2026-07-20",
    }
    created = api_as(bureau_user).post("/api/v1/orders/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["level"], body["status"], body["report_period"]) == ("blue", "open", "2026-06")
    again = api_as(bureau_user).post("/api/v1/orders/", payload, format="json")
    assert again.status_code == 400 and list(again.json()) == ["report_period"]
    wrong = api_as(bureau_user).post(
        "/api/v1/orders/", {**payload, "subject_kind": "project"}, format="json"
    )
    assert wrong.status_code == 400 and "project" in wrong.json()
    typed_level = api_as(bureau_user).post(
        "/api/v1/orders/", {**payload, "report_period": "2026-05", "level": "red"}, format="json"
    )
    assert typed_level.status_code == 400 and list(typed_level.json()) == ["level"]
    assert api_as(officer_a).post("/api/v1/orders/", payload, format="json").status_code == 403


def test_answer_return_answer_close_over_the_api(
    api_as, order, officer_a, officer_b, bureau_user, leader
):
    url = f"/api/v1/orders/{order.pk}"
    assert api_as(officer_b).post(f"{url}/answer/", {}).status_code == 404
    assert api_as(leader).post(f"{url}/answer/", {}).status_code == 403
    assert api_as(bureau_user).post(f"{url}/close/").status_code == 400  # not answered
    missing = api_as(officer_a).post(f"{url}/answer/", {"text": "已整改"}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()) == ["evidence"]
    answered = api_as(officer_a).post(
        f"{url}/answer/", {"text": "已整改", "evidence": pdf_upload("整改.pdf")}, format="multipart"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    evidence = answered.json()["answers"][0]["evidence"]
    assert evidence.startswith("http://testserver/files/order-evidence/")
    assert api_as(officer_a).post(f"{url}/close/").status_code == 403
    assert api_as(bureau_user).post(f"{url}/return/", {}, format="json").status_code == 400
    returned = api_as(bureau_user).post(f"{url}/return/", {"reason": "材料不全"}, format="json")
    assert returned.json()["status"] == "returned"
    assert returned.json()["answers"][0]["decision"] == "returned"
    api_as(officer_a).post(
        f"{url}/answer/", {"text": "已补充", "evidence": pdf_upload("补充.pdf")}, format="multipart"
    )
    closed = api_as(bureau_user).post(f"{url}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert [a["decision"] for a in closed.json()["answers"]] == ["returned", "accepted"]


def test_orders_are_not_changed_or_deleted(api_as, order, bureau_user):
    url = f"/api/v1/orders/{order.pk}/"
    assert api_as(bureau_user).patch(url, {"matter": "x"}, format="json").status_code == 405
    assert api_as(bureau_user).delete(url).status_code == 405
