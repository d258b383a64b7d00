"""/api/v1/leads/: the permission grid, the shared pool's duplicate check, drop and
follow-ups."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import LeadStatus
from projects.models import Lead
from tests.factories import LeadFactory
from tests.grid import check_grid

pytestmark = pytest.mark.django_db

LEADS = "/api/v1/leads/"


@pytest.fixture
def lead_a(unit_a, industry):
    return LeadFactory(
        unit=unit_a,
        industry=industry,
        company_name="甲镇线索企业有限公司",
        contact_phone="13800001111",
    )


def new_lead(industry, **fields):
    data = {
        "company_name": "无锡新辰光电科技有限公司",
        "contact_name": "陈总",
        "contact_title": "董事长",
        "contact_phone": "13912340000",
        "current_products": "光伏组件",
        "project_name": "年产2GW光伏组件项目",
        "planned_products": "光伏组件",
        "scale": "年产2GW",
        "requirements": "用地100亩，用电5000千伏安",
        "estimated_amount_wan": "30000.00",
        "industry": industry.pk,
        "source": "business_referral",
    }
    data.update(fields)
    return data


def test_leads_list_grid(users, api_as, industry, lead_a):
    check_grid(
        users,
        api_as,
        LEADS,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "DELETE", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        LEADS,
        [
            (None, "POST", 401),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "POST", 201),
        ],
        api=True,
        data=new_lead(industry),
    )
    created = Lead.objects.get(company_name="无锡新辰光电科技有限公司")
    assert created.unit == users["officer_a"].unit
    assert created.provided_by == users["officer_a"]
    assert created.status == LeadStatus.NEW


def test_lead_detail_grid(users, api_as, lead_a):
    check_grid(
        users,
        api_as,
        f"{LEADS}{lead_a.pk}/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_b", "PATCH", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "PATCH", 403),
            ("bureau", "DELETE", 405),
            ("officer_a", "DELETE", 405),
            ("officer_a", "PATCH", 200),
            ("unit_head_a", "PATCH", 200),
        ],
        api=True,
        data={"notes": "已电话联系"},
    )
    lead_a.refresh_from_db()
    assert lead_a.notes == "已电话联系"


def test_officers_see_only_their_units_leads(api_as, users, industry, lead_a, unit_b):
    LeadFactory(unit=unit_b, industry=industry)
    body = api_as(users["officer_a"]).get(LEADS).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [row["id"] for row in body["results"]] == [lead_a.pk]
    assert api_as(users["leader"]).get(LEADS).json()["count"] == 2


def test_lead_fields_follow_the_contract(api_as, officer_a, lead_a):
    row = api_as(officer_a).get(f"{LEADS}{lead_a.pk}/").json()
    assert set(row) >= {
        "id",
        "company_name",
        "contact_name",
        "contact_title",
        "contact_phone",
        "current_products",
        "project_name",
        "planned_products",
        "scale",
        "period",
        "requirements",
        "estimated_amount_wan",
        "industry",
        "source",
        "unit",
        "team",
        "provided_by",
        "status",
        "drop_reason",
        "possible_duplicates",
        "received_on",
        "notes",
    }
    assert "confirm_duplicates" not in row
    assert row["estimated_amount_wan"] == "5000.00"


def test_lead_filters_and_search(api_as, bureau_user, industry, lead_a, unit_b):
    LeadFactory(unit=unit_b, industry=industry, company_name="乙镇招商企业有限公司", source="event")
    client = api_as(bureau_user)
    body = client.get(LEADS, {"unit": unit_b.pk}).json()
    assert [row["company_name"] for row in body["results"]] == ["乙镇招商企业有限公司"]
    body = client.get(LEADS, {"search": "甲镇线索"}).json()
    assert [row["id"] for row in body["results"]] == [lead_a.pk]
    body = client.get(LEADS, {"source": "event"}).json()
    assert body["count"] == 1
    assert client.get(LEADS, {"source": "nonsense"}).status_code == 400


# --- The shared pool: possible duplicates ---------------------------------------------


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (
            {"company_name": "南京华瑞新材料有限责任公司", "contact_phone": "13700000001"},
            {"company_name": "南京华瑞新材料有限公司", "contact_phone": "13912340000"},
        ),
        (
            {"company_name": "华瑞（南京）新材料有限公司", "contact_phone": "13700000001"},
            {"company_name": "华瑞(南京)新材料有限公司", "contact_phone": "13912340000"},
        ),
        (
            {"company_name": "常州恒通机械有限公司", "contact_phone": "0519-88886666"},
            {"company_name": "恒通集团", "contact_phone": "0519 8888 6666"},
        ),
    ],
    ids=["company-form-variant", "brackets", "same-phone"],
)
def test_possible_duplicate_in_another_unit_is_shown_before_saving(
    api_as, officer_a, unit_b, industry, existing, new
):
    other = LeadFactory(unit=unit_b, industry=industry, **existing)
    response = api_as(officer_a).post(LEADS, new_lead(industry, **new), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["possible_duplicates"] == [
        {"id": other.pk, "company_name": other.company_name, "unit": "乙镇", "status": "new"}
    ]
    assert len(body["confirm_duplicates"]) == 1
    assert not Lead.objects.filter(company_name=new["company_name"]).exists()


def test_unrelated_company_is_not_flagged(api_as, officer_a, unit_b, industry):
    LeadFactory(
        unit=unit_b,
        industry=industry,
        company_name="南京华瑞新材料有限公司",
        contact_phone="13700000001",
    )
    response = api_as(officer_a).post(
        LEADS,
        new_lead(industry, company_name="南京华盛新材料有限公司", contact_phone="13912340000"),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["possible_duplicates"] == []


def test_confirmed_duplicate_is_saved_and_remembers_its_matches(
    api_as, officer_a, unit_b, industry
):
    other = LeadFactory(
        unit=unit_b,
        industry=industry,
        company_name="南京华瑞新材料有限责任公司",
        contact_phone="13700000001",
    )
    data = new_lead(industry, company_name="南京华瑞新材料有限公司", confirm_duplicates=True)
    response = api_as(officer_a).post(LEADS, data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert [row["id"] for row in body["possible_duplicates"]] == [other.pk]
    assert "confirm_duplicates" not in body
    lead = Lead.objects.get(pk=body["id"])
    assert list(lead.possible_duplicates.all()) == [other]
    # Changing a lead already saved is not held up by its duplicates again.
    response = api_as(officer_a).patch(f"{LEADS}{lead.pk}/", {"scale": "年产3GW"}, format="json")
    assert response.status_code == 200


def test_a_new_lead_belongs_to_the_officers_unit_only(
    api_as, officer_a, bureau_user, unit_a, unit_b, industry
):
    response = api_as(officer_a).post(LEADS, new_lead(industry, unit=unit_b.pk), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}
    response = api_as(officer_a).post(LEADS, new_lead(industry, unit=unit_a.pk), format="json")
    assert response.status_code == 201
    response = api_as(bureau_user).post(
        LEADS,
        new_lead(industry, company_name="另一家公司", contact_phone="13600000000", unit=unit_b.pk),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["unit"] == unit_b.pk
    assert response.json()["provided_by"] == bureau_user.pk


def test_an_officer_cannot_move_a_lead_to_another_unit(api_as, officer_a, lead_a, unit_b):
    response = api_as(officer_a).patch(f"{LEADS}{lead_a.pk}/", {"unit": unit_b.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "您无权将线索移交其他单位。"
    lead_a.refresh_from_db()
    assert lead_a.unit == officer_a.unit


def test_lead_input_errors_name_their_fields(api_as, officer_a, industry):
    response = api_as(officer_a).post(
        LEADS,
        new_lead(industry, contact_phone="12345", company_name="", estimated_amount_wan="-1"),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"contact_phone", "company_name", "estimated_amount_wan"}
    assert response.json()["company_name"] == ["该字段不能为空。"]


def test_status_and_drop_reason_only_change_through_actions(api_as, officer_a, lead_a):
    response = api_as(officer_a).patch(
        f"{LEADS}{lead_a.pk}/", {"status": "dropped", "drop_reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"status", "drop_reason"}
    lead_a.refresh_from_db()
    assert (lead_a.status, lead_a.drop_reason) == (LeadStatus.NEW, "")


# --- Drop and follow-ups --------------------------------------------------------------


def test_drop_grid_and_reason(users, api_as, lead_a):
    url = f"{LEADS}{lead_a.pk}/drop/"
    check_grid(
        users,
        api_as,
        url,
        [
            (None, "POST", 401),
            ("officer_b", "POST", 404),
            ("leader", "POST", 403),
            ("officer_a", "GET", 405),
            ("officer_a", "PUT", 405),
        ],
        api=True,
        data={"reason": "企业转投外省"},
    )
    client = api_as(users["officer_a"])
    response = client.post(url, {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"reason"}
    response = client.post(url, {"reason": "企业转投外省"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "dropped"
    assert response.json()["drop_reason"] == "企业转投外省"


def test_a_converted_lead_cannot_be_dropped(api_as, officer_a, lead_a):
    Lead.objects.filter(pk=lead_a.pk).update(status=LeadStatus.CONVERTED)
    response = api_as(officer_a).post(f"{LEADS}{lead_a.pk}/drop/", {"reason": "x"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_follow_ups_grid_and_log(users, api_as, lead_a):
    url = f"{LEADS}{lead_a.pk}/follow-ups/"
    follow_up = {
        "happened_on": "2026-11-02",
        "method": "visit",
        "note": "赴企业考察",
        "next_step": "邀请来县考察",
    }
    check_grid(
        users,
        api_as,
        url,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_b", "POST", 404),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "DELETE", 405),
            ("officer_a", "POST", 201),
        ],
        api=True,
        data=follow_up,
    )
    body = api_as(users["leader"]).get(url).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    row = body["results"][0]
    assert row["note"] == "赴企业考察"
    assert row["recorded_by"] == users["officer_a"].pk
    lead_a.refresh_from_db()
    assert lead_a.status == LeadStatus.FOLLOWING


def test_follow_up_errors_name_their_fields(api_as, officer_a, lead_a):
    url = f"{LEADS}{lead_a.pk}/follow-ups/"
    response = api_as(officer_a).post(url, {"method": "telepathy", "note": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"method", "note"}
    Lead.objects.filter(pk=lead_a.pk).update(status=LeadStatus.DROPPED, drop_reason="x")
    response = api_as(officer_a).post(url, {"method": "phone", "note": "再联系"}, format="json")
    assert response.status_code == 400


def test_lead_list_query_count_does_not_grow(api_as, bureau_user, unit_a, industry):
    client = api_as(bureau_user)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LEADS).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            lead = LeadFactory(unit=unit_a, industry=industry)
            lead.possible_duplicates.set(Lead.objects.exclude(pk=lead.pk)[:2])

    add(3)
    client.get(LEADS)  # the first request of a client also starts its session
    few = count_queries()
    add(27)
    assert count_queries() == few
