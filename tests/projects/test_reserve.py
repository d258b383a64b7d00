"""The project library (项目库): reserve projects through their services, pages and API; the
promotion catalogue (招商项目册) as a page and a workbook; who may do what."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from projects import services
from projects.choices import LeadStatus, ReserveStatus
from projects.models import Lead, ReserveMaterial, ReserveProject
from tests.factories import IndustryFactory, LeadFactory, UnitFactory
from tests.grid import LOGIN, check_grid
from tests.projects.conftest import PDF, pdf_upload

pytestmark = pytest.mark.django_db

RESERVE_API = "/api/v1/reserve-projects/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def chains(industry):
    """Two industry chains, 生物医药 (first) with a segment, and 新能源."""
    industry.sort_order = 1
    industry.save()
    cell = IndustryFactory(code="BIO-CELL", name="细胞治疗", parent=industry, sort_order=1)
    energy = IndustryFactory(code="NEV", name="新能源", sort_order=2)
    return {"bio": industry, "cell": cell, "energy": energy}


def reserve_data(industry, **fields):
    data = {
        "name": "甲镇细胞治疗产业化基地",
        "industry": industry,
        "total_investment_wan": Decimal("25000"),
        "location": "甲镇生物医药产业园",
        "summary": "建设细胞制备中心和质检楼，总建筑面积3万平方米。",
        "needs": "寻求细胞治疗企业合作，需用地80亩。",
        "entered_on": dt.date(2026, 5, 1),
    }
    data.update(fields)
    return data


@pytest.fixture
def reserve_a(officer_a, chains):
    """A reserve project of unit A in a segment of the 生物医药 chain."""
    return services.reserve_create(user=officer_a, data=reserve_data(chains["cell"]))


# --- Services ------------------------------------------------------------------------------


def test_a_reserve_project_is_entered_for_the_officers_unit(reserve_a, officer_a):
    assert reserve_a.unit == officer_a.unit
    assert reserve_a.status == ReserveStatus.RESERVE
    assert reserve_a.created_by == officer_a
    assert reserve_a.lead is None


def test_only_the_bureau_names_another_unit_and_leaders_enter_nothing(
    officer_a, bureau_user, leader, unit_b, chains
):
    with pytest.raises(ValidationError) as refused:
        services.reserve_create(user=officer_a, data=reserve_data(chains["bio"], unit=unit_b))
    assert set(refused.value.message_dict) == {"unit"}
    by_bureau = services.reserve_create(
        user=bureau_user, data=reserve_data(chains["bio"], unit=unit_b)
    )
    assert by_bureau.unit == unit_b
    with pytest.raises(PermissionDenied):
        services.reserve_create(user=leader, data=reserve_data(chains["bio"]))


def test_the_status_is_not_typed(reserve_a, officer_a):
    with pytest.raises(ValidationError) as refused:
        services.reserve_update(reserve=reserve_a, user=officer_a, data={"status": "matched"})
    assert set(refused.value.message_dict) == {"status"}


def test_a_reserve_project_moves_a_step_at_a_time(reserve_a, officer_a, officer_b):
    for to in ("promoting", "matched", "promoting", "reserve"):
        reserve_a = services.reserve_move(reserve=reserve_a, user=officer_a, to=to)
        assert reserve_a.status == to
    with pytest.raises(ValidationError) as refused:
        services.reserve_move(reserve=reserve_a, user=officer_a, to="matched")
    assert set(refused.value.message_dict) == {"status"}
    with pytest.raises(PermissionDenied):
        services.reserve_move(reserve=reserve_a, user=officer_b, to="promoting")


def lead_fields(**fields):
    data = {
        "company_name": "上海细胞科技有限公司",
        "contact_name": "李总",
        "contact_phone": "13912340001",
        "source": "event",
    }
    data.update(fields)
    return data


def test_the_investor_found_becomes_a_lead_after_the_duplicate_check(reserve_a, officer_a):
    LeadFactory(unit=officer_a.unit, company_name="上海细胞科技有限公司")
    start = services.lead_from_reserve(reserve_a)
    data = lead_fields(
        project_name=start.project_name,
        industry=start.industry,
        estimated_amount_wan=start.estimated_amount_wan,
    )
    with pytest.raises(services.DuplicatesFound):
        services.reserve_to_lead(reserve=reserve_a, user=officer_a, data=data)
    lead = services.reserve_to_lead(
        reserve=reserve_a, user=officer_a, data=data, confirm_duplicates=True
    )
    reserve_a.refresh_from_db()
    assert (reserve_a.status, reserve_a.lead) == (ReserveStatus.CONVERTED, lead)
    assert (lead.project_name, lead.unit, lead.provided_by) == (
        "甲镇细胞治疗产业化基地",
        officer_a.unit,
        officer_a,
    )
    assert lead.estimated_amount_wan == Decimal("25000")
    assert lead.status == LeadStatus.NEW
    with pytest.raises(ValidationError) as refused:
        services.reserve_to_lead(reserve=reserve_a, user=officer_a, data=data)
    assert set(refused.value.message_dict) == {"status"}


def test_a_material_is_checked_by_its_content(reserve_a, officer_a, officer_b):
    material = services.reserve_material_upload(
        reserve=reserve_a, user=officer_a, file=pdf_upload("项目简介.pdf"), title="项目简介"
    )
    assert (material.content_type, material.title, material.uploaded_by) == (
        "application/pdf",
        "项目简介",
        officer_a,
    )
    with pytest.raises(ValidationError) as refused:
        services.reserve_material_upload(
            reserve=reserve_a, user=officer_a, file=SimpleUploadedFile("假.pdf", b"not a pdf")
        )
    assert set(refused.value.message_dict) == {"file"}
    with pytest.raises(PermissionDenied):
        services.reserve_material_upload(reserve=reserve_a, user=officer_b, file=pdf_upload())


# --- The permission grid of every page ------------------------------------------------------


def test_library_pages_grid(users, client_as, reserve_a):
    """The library is public: every logged-in user reads it; only unit A (and the bureau)
    changes unit A's reserve projects."""
    for url in [
        "/reserve/",
        "/reserve/catalogue/",
        "/reserve/catalogue/xlsx/",
        "/reserve/?export=xlsx",
    ]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 405),
            ],
        )
    check_grid(
        users,
        client_as,
        "/reserve/new/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("officer_b", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "GET", 403),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "POST", 200),  # empty: the form with its errors
        ],
    )
    pk = reserve_a.pk
    check_grid(
        users,
        client_as,
        f"/reserve/{pk}/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 200),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )
    for url in [f"/reserve/{pk}/edit/", f"/reserve/{pk}/lead/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_b", "GET", 403),  # reads it, does not change it
                ("officer_b", "POST", 403),
                ("leader", "GET", 403),
                ("leader", "POST", 403),
                ("officer_a", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "DELETE", 405),
                ("officer_a", "POST", 200),  # empty: the form with its errors
            ],
        )
    for url in [f"/reserve/{pk}/move/", f"/reserve/{pk}/materials/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "POST", LOGIN),
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),  # empty: the page with the form's errors
            ],
        )
    check_grid(users, client_as, f"/reserve/{pk + 100}/", [("officer_a", "GET", 404)])
    check_grid(users, client_as, f"/reserve/{pk + 100}/move/", [("bureau", "POST", 404)])


def test_reserve_api_grid(users, api_as, reserve_a, chains):
    check_grid(
        users,
        api_as,
        RESERVE_API,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "DELETE", 405),
            ("officer_a", "POST", 400),  # empty: refused field by field
        ],
        api=True,
    )
    detail = f"{RESERVE_API}{reserve_a.pk}/"
    check_grid(
        users,
        api_as,
        detail,
        [
            (None, "GET", 401),
            (None, "PATCH", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("officer_b", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("officer_a", "DELETE", 405),
            ("officer_a", "PATCH", 200),
        ],
        api=True,
        data={"location": "甲镇生物医药产业园二期"},
    )
    for action in ["move", "lead"]:
        check_grid(
            users,
            api_as,
            f"{detail}{action}/",
            [
                (None, "POST", 401),
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 400),  # empty: `to`, or the lead's fields
            ],
            api=True,
        )
    check_grid(
        users,
        api_as,
        f"{detail}materials/",
        [
            (None, "GET", 401),
            (None, "POST", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("officer_b", "POST", 403),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "POST", 400),  # no file
        ],
        api=True,
    )
    check_grid(
        users, api_as, f"{RESERVE_API}{reserve_a.pk + 100}/", [("bureau", "GET", 404)], api=True
    )


# --- Pages ---------------------------------------------------------------------------------


def form_data(industry, **fields):
    data = {
        "name": "甲镇新能源电池回收项目",
        "industry": industry.pk,
        "total_investment_wan": "8000",
        "location": "甲镇循环经济园",
        "summary": "年回收处理动力电池2万吨。",
        "needs": "寻求电池回收企业。",
        "entered_on": "2026-06-01",
    }
    data.update(fields)
    return data


def test_an_officer_enters_a_reserve_project_for_their_unit(client_as, officer_a, chains):
    client = client_as(officer_a)
    page = client.get("/reserve/new/").content.decode()
    assert 'name="unit"' not in page  # naming another unit is the bureau's
    response = client.post("/reserve/new/", form_data(chains["energy"]))
    reserve = ReserveProject.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reserve/{reserve.pk}/"
    assert (reserve.unit, reserve.status) == (officer_a.unit, ReserveStatus.RESERVE)
    shown = client.get(response["Location"]).content.decode()
    assert "甲镇新能源电池回收项目" in shown and "储备" in shown
    assert "8,000.00（0.8 亿元）" in shown


def test_the_bureau_names_the_unit(client_as, bureau_user, unit_b, chains):
    client = client_as(bureau_user)
    assert 'name="unit"' in client.get("/reserve/new/").content.decode()
    response = client.post("/reserve/new/", form_data(chains["energy"], unit=unit_b.pk))
    assert response.status_code == 302
    assert ReserveProject.objects.get().unit == unit_b


def test_a_broken_rule_comes_back_beside_its_field(client_as, officer_a, chains):
    response = client_as(officer_a).post(
        "/reserve/new/", form_data(chains["energy"], entered_on="2026-08-01")
    )
    assert response.status_code == 200
    assert "策划日期：日期不能晚于今天。" in response.content.decode()
    assert not ReserveProject.objects.exists()


def test_the_page_moves_it_and_keeps_the_history(client_as, officer_a, reserve_a):
    client = client_as(officer_a)
    page = client.get(f"/reserve/{reserve_a.pk}/").content.decode()
    assert "转为“推介中”" in page and "退回" not in page
    response = client.post(f"/reserve/{reserve_a.pk}/move/", {"to": "promoting"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "储备项目已改为“推介中”。" in page
    assert "转为“已对接”" in page and "退回“储备”" in page
    history = page[page.index('id="pane-history"') :]
    assert "甲专员" in history  # who changed the status, from what to what
    assert "<td>状态</td><td>储备</td><td>推介中</td>" in history
    refused = client.post(f"/reserve/{reserve_a.pk}/move/", {"to": "promoting"})
    assert refused.status_code == 200
    assert "储备项目不能从当前状态变更到该状态。" in refused.content.decode()


def test_a_material_is_uploaded_from_the_page_and_everyone_reads_it(
    client_as, officer_a, officer_b, reserve_a
):
    response = client_as(officer_a).post(
        f"/reserve/{reserve_a.pk}/materials/",
        {"material-title": "项目推介书", "material-file": pdf_upload("推介书.pdf")},
    )
    assert response.status_code == 302 and response["Location"].endswith("?tab=materials")
    material = ReserveMaterial.objects.get()
    page = client_as(officer_b).get(f"/reserve/{reserve_a.pk}/").content.decode()
    assert "项目推介书" in page and f"/files/reserve-material/{material.pk}/" in page
    served = client_as(officer_b).get(material.get_absolute_url())
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    wrong = client_as(officer_a).post(
        f"/reserve/{reserve_a.pk}/materials/",
        {"material-file": SimpleUploadedFile("假.pdf", b"plain text")},
    )
    assert wrong.status_code == 200
    assert "文件内容不是 PDF 文件。" in wrong.content.decode()


def test_converting_shows_possible_duplicates_and_saves_once_confirmed(
    client_as, officer_a, reserve_a
):
    LeadFactory(unit=officer_a.unit, company_name="上海细胞科技有限公司")
    client = client_as(officer_a)
    form = client.get(f"/reserve/{reserve_a.pk}/lead/").content.decode()
    assert 'value="甲镇细胞治疗产业化基地"' in form  # pre-filled from the reserve project
    data = {
        "company_name": "上海细胞科技有限公司",
        "contact_name": "李总",
        "contact_phone": "13912340001",
        "project_name": "甲镇细胞治疗产业化基地",
        "estimated_amount_wan": "25000",
        "industry": reserve_a.industry_id,
        "source": "event",
        "received_on": "2026-07-15",
    }
    warned = client.post(f"/reserve/{reserve_a.pk}/lead/", data)
    assert warned.status_code == 200
    assert "全县已有疑似重复的线索" in warned.content.decode()
    assert not ReserveProject.objects.filter(status=ReserveStatus.CONVERTED).exists()
    saved = client.post(f"/reserve/{reserve_a.pk}/lead/", {**data, "confirm_duplicates": "on"})
    lead = Lead.objects.get(reserve_project=reserve_a)
    assert saved.status_code == 302 and saved["Location"] == f"/leads/{lead.pk}/"
    reserve_a.refresh_from_db()
    assert reserve_a.status == ReserveStatus.CONVERTED
    page = client.get(f"/reserve/{reserve_a.pk}/").content.decode()
    assert "已转为线索" in page and f"/leads/{lead.pk}/" in page
    again = client.get(f"/reserve/{reserve_a.pk}/lead/")
    assert again.status_code == 302 and again["Location"] == f"/reserve/{reserve_a.pk}/"


def test_the_list_filters_by_status_industry_unit_and_year(
    client_as, officer_b, bureau_user, chains, unit_b, reserve_a
):
    services.reserve_create(
        user=bureau_user,
        data=reserve_data(
            chains["energy"],
            name="乙镇光伏储能项目",
            total_investment_wan=3000,
            unit=unit_b,
            entered_on=dt.date(2025, 11, 3),
        ),
    )
    client = client_as(officer_b)

    def names(query):
        page = client.get(f"/reserve/{query}").content.decode()
        return {name for name in ("甲镇细胞治疗产业化基地", "乙镇光伏储能项目") if name in page}

    assert names("") == {"甲镇细胞治疗产业化基地", "乙镇光伏储能项目"}
    assert names(f"?industry={chains['bio'].pk}") == {"甲镇细胞治疗产业化基地"}  # chain: segments
    assert names(f"?unit={unit_b.pk}") == {"乙镇光伏储能项目"}
    assert names("?entered_year=2025") == {"乙镇光伏储能项目"}
    assert names("?status=promoting") == set()
    assert names("?search=光伏") == {"乙镇光伏储能项目"}
    ordered = client.get("/reserve/?ordering=total_investment_wan").content.decode()
    assert ordered.index("乙镇光伏储能项目") < ordered.index("甲镇细胞治疗产业化基地")


# --- The promotion catalogue ----------------------------------------------------------------


@pytest.fixture
def library(officer_a, bureau_user, unit_b, chains, reserve_a):
    """Unit A's 25000 万元 cell therapy project (reserve), a 12000 万元 one of the 生物医药
    chain itself (promoting), unit B's 6500.5 万元 energy project, and two no longer on offer
    (matched, converted)."""
    bio = services.reserve_create(
        user=officer_a,
        data=reserve_data(chains["bio"], name="甲镇原料药扩产项目", total_investment_wan=12000),
    )
    services.reserve_move(reserve=bio, user=officer_a, to="promoting")
    services.reserve_create(
        user=bureau_user,
        data=reserve_data(
            chains["energy"],
            name="乙镇光伏储能项目",
            total_investment_wan=Decimal("6500.5"),
            unit=unit_b,
        ),
    )
    matched = services.reserve_create(
        user=officer_a, data=reserve_data(chains["bio"], name="已对接的项目")
    )
    services.reserve_move(reserve=matched, user=officer_a, to="promoting")
    services.reserve_move(reserve=matched, user=officer_a, to="matched")
    return chains


def test_the_catalogue_groups_the_projects_on_offer_by_industry_chain(
    client_as, officer_b, library
):
    page = client_as(officer_b).get("/reserve/catalogue/").content.decode()
    assert "青山县招商项目册（2026-07-15）" in page
    assert "已对接的项目" not in page  # no longer on offer
    # 生物医药 (sort order 1) before 新能源; the chain's largest project first
    bio, energy = (
        page.index(f'data-testid="chain-name">{name}<') for name in ("生物医药", "新能源")
    )
    assert bio < page.index("甲镇细胞治疗产业化基地") < page.index("甲镇原料药扩产项目") < energy
    assert energy < page.index("乙镇光伏储能项目")
    # each figure in 万元 and in 亿元
    assert "2个项目，总投资37,000.00万元（3.7亿元）" in page
    assert "1个项目，总投资6,500.50万元（0.7亿元）" in page
    assert "3个项目，总投资43,500.50万元（4.4亿元）" in page
    assert '<td class="text-end" data-testid="amount-wan">25,000.00</td>' in page
    assert '<td class="text-end" data-testid="amount-yi">2.5</td>' in page
    assert "细胞治疗" in page and "寻求细胞治疗企业合作" in page and "甲镇生物医药产业园" in page
    assert "style=" not in page.split("<main")[1]  # the CSP forbids inline styles
    assert "<script>" not in page


def test_the_lists_filters_apply_to_the_catalogue(client_as, officer_a, library, unit_b):
    page = client_as(officer_a).get(f"/reserve/catalogue/?unit={unit_b.pk}").content.decode()
    assert "乙镇光伏储能项目" in page and "甲镇细胞治疗产业化基地" not in page
    assert "1个项目，总投资6,500.50万元（0.7亿元）" in page
    listing = client_as(officer_a).get(f"/reserve/?unit={unit_b.pk}").content.decode()
    assert f"/reserve/catalogue/?unit={unit_b.pk}" in listing


def test_the_catalogue_workbook(client_as, officer_a, library):
    response = client_as(officer_a).get("/reserve/catalogue/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''" + quote("青山县招商项目册") + ".xlsx"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "青山县招商项目册（2026-07-15）"
    assert [cell.value for cell in sheet[2]][:5] == [
        "序号",
        "项目名称",
        "产业",
        "总投资（万元）",
        "总投资（亿元）",
    ]
    assert sheet["A3"].value == "生物医药：2个项目"
    assert (sheet["B4"].value, sheet["C4"].value) == (
        "甲镇细胞治疗产业化基地",
        "生物医药 · 细胞治疗",
    )
    amount, yi = sheet["D4"], sheet["E4"]
    assert (amount.value, amount.data_type, amount.number_format) == (25000, "n", "#,##0.00")
    assert (yi.value, yi.number_format) == (2.5, "#,##0.0")
    assert sheet["D3"].value == 37000  # the chain's total
    assert sheet["B4"].border.left.style == "thin" and sheet["G4"].alignment.wrap_text
    last = sheet.max_row
    assert sheet.cell(row=last, column=1).value == "合计：3个项目"
    assert sheet.cell(row=last, column=4).value == 43500.5
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    # one page wide (the file leaves out the width, 1 by default), as many tall as needed
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet.print_title_rows == "$1:$2"  # the title and header on every page
    assert sheet.column_dimensions["G"].width > sheet.column_dimensions["A"].width


def test_the_workbook_takes_the_lists_filters_and_writes_text_as_text(client_as, officer_a, chains):
    services.reserve_create(
        user=officer_a, data=reserve_data(chains["energy"], name='=HYPERLINK("x")')
    )
    services.reserve_create(user=officer_a, data=reserve_data(chains["bio"], name="另一个项目"))
    response = client_as(officer_a).get(f"/reserve/catalogue/xlsx/?industry={chains['energy'].pk}")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["B4"].value == '=HYPERLINK("x")' and sheet["B4"].data_type == "s"
    assert sheet.max_row == 5  # title, header, the chain, its project, the total


# --- API -----------------------------------------------------------------------------------


def test_the_api_shows_the_fields_and_writes_through_the_services(
    api_as, officer_a, chains, reserve_a
):
    client = api_as(officer_a)
    listed = client.get(RESERVE_API).json()
    assert listed["count"] == 1
    assert set(listed["results"][0]) == {
        "id",
        "name",
        "industry",
        "total_investment_wan",
        "location",
        "summary",
        "needs",
        "unit",
        "entered_on",
        "status",
        "lead",
        "created_by",
        "created_at",
        "updated_at",
    }
    created = client.post(
        RESERVE_API,
        {
            "name": "甲镇智能装备产业园",
            "industry": chains["energy"].pk,
            "total_investment_wan": "30000.00",
            "needs": "寻求装备制造企业",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["unit"], body["status"], body["created_by"]) == (
        officer_a.unit_id,
        "reserve",
        officer_a.pk,
    )
    assert body["entered_on"] == "2026-07-15"


def test_a_status_or_lead_sent_to_a_patch_is_refused_by_name(api_as, officer_a, reserve_a):
    client = api_as(officer_a)
    url = f"{RESERVE_API}{reserve_a.pk}/"
    refused = client.patch(url, {"status": "matched"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"status": ["“状态”不在此填写：它只能通过其自身的办理步骤变更。"]}
    lead = LeadFactory(unit=officer_a.unit)
    refused = client.patch(url, {"lead": lead.pk, "name": "改名"}, format="json")
    assert refused.status_code == 400 and set(refused.json()) == {"lead"}
    reserve_a.refresh_from_db()
    assert (reserve_a.status, reserve_a.lead, reserve_a.name) == (
        "reserve",
        None,
        "甲镇细胞治疗产业化基地",
    )
    # sent back unchanged, as read: harmless
    shown = client.get(url).json()
    assert client.patch(url, {**shown, "name": "改名"}, format="json").status_code == 200


def test_the_api_moves_converts_and_keeps_materials(api_as, officer_a, officer_b, reserve_a):
    client = api_as(officer_a)
    url = f"{RESERVE_API}{reserve_a.pk}/"
    moved = client.post(f"{url}move/", {"to": "promoting"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "promoting"
    wrong = client.post(f"{url}move/", {"to": "converted"}, format="json")
    assert wrong.status_code == 400 and set(wrong.json()) == {"to"}

    upload = client.post(
        f"{url}materials/",
        {"title": "推介书", "file": pdf_upload("推介书.pdf")},
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    material = ReserveMaterial.objects.get()
    assert upload.json()["file"] == f"http://testserver/files/reserve-material/{material.pk}/"
    listed = api_as(officer_b).get(f"{url}materials/").json()
    assert listed["count"] == 1 and listed["results"][0]["title"] == "推介书"
    assert api_as(officer_b).get(upload.json()["file"]).status_code == 200

    LeadFactory(unit=officer_a.unit, company_name="上海细胞科技有限公司")
    duplicate = client.post(f"{url}lead/", lead_fields(), format="json")
    assert duplicate.status_code == 400
    assert set(duplicate.json()) == {"possible_duplicates", "confirm_duplicates"}
    lead = client.post(f"{url}lead/", lead_fields(confirm_duplicates=True), format="json")
    assert lead.status_code == 201, lead.json()
    body = lead.json()
    assert body["project_name"] == "甲镇细胞治疗产业化基地"  # defaults from the reserve project
    assert body["estimated_amount_wan"] == "25000.00"
    shown = client.get(url).json()
    assert (shown["status"], shown["lead"]) == ("converted", body["id"])


def test_the_api_filters_as_the_list(api_as, officer_a, bureau_user, unit_b, chains, reserve_a):
    services.reserve_create(
        user=bureau_user,
        data=reserve_data(
            chains["energy"], name="乙镇光伏储能项目", unit=unit_b, entered_on=dt.date(2025, 1, 9)
        ),
    )
    client = api_as(officer_a)

    def names(query):
        return {row["name"] for row in client.get(f"{RESERVE_API}{query}").json()["results"]}

    assert names("?entered_year=2025") == {"乙镇光伏储能项目"}
    assert names(f"?industry={chains['bio'].pk}") == {"甲镇细胞治疗产业化基地"}
    assert names("?search=储能") == {"乙镇光伏储能项目"}
    assert names("?status=reserve&ordering=-total_investment_wan") == {
        "甲镇细胞治疗产业化基地",
        "乙镇光伏储能项目",
    }


# --- Query counts ---------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    client.get(url)  # warm-up: the first request of a session also stamps the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_reserves(user, industries, units, how_many):
    for number in range(how_many):
        services.reserve_create(
            user=user,
            data=reserve_data(
                industries[number % len(industries)],
                name=f"储备项目{number:03d}",
                unit=units[number % len(units)],
            ),
        )


@pytest.mark.parametrize(
    "url",
    ["/reserve/", "/reserve/catalogue/", "/reserve/catalogue/xlsx/", RESERVE_API],
)
def test_query_counts_do_not_grow_with_the_library(client_as, api_as, bureau_user, chains, url):
    units = [UnitFactory(code=f"Q{n}", name=f"单位{n}") for n in range(3)]
    industries = list(chains.values())
    client = api_as(bureau_user) if url.startswith("/api/") else client_as(bureau_user)
    add_reserves(bureau_user, industries, units, 5)
    few = count_queries(client, url)
    add_reserves(bureau_user, industries, units, 60)
    assert count_queries(client, url) == few
