"""The pages of the half-year inspection (半年一督查): who sees a draft and the published
results, the bureau's forms, the unit's rectification on its finding, publishing, the
files served only to those who may see them, the workbook's cells and flat query counts."""

import datetime as dt
from io import BytesIO
from urllib.parse import unquote

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reports.models import Finding, HalfYearInspection, InspectedUnit
from reports.services.halfyear import (
    ChecklistEntry,
    finding_record,
    halfyear_checklist_set,
    halfyear_publish,
    halfyear_units_add,
    rectification_report,
)
from reports.workbook_halfyear import results_title
from tests.factories import UnitFactory
from tests.grid import LOGIN, check_grid
from tests.reports.half_year import make_half_year, png_upload, record_results

pytestmark = pytest.mark.django_db
LIST = "/reports/half-year/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 20, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def half(unit_a, unit_b, bureau_user):
    return make_half_year(unit_a, unit_b, bureau_user)


@pytest.fixture
def found(half, bureau_user):
    return record_results(half, bureau_user)


@pytest.fixture
def published(half, found, bureau_user):
    halfyear_publish(inspection=half.inspection, user=bureau_user)
    return half


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Who sees what ---------------------------------------------------------------------------


def test_a_draft_is_the_bureaus_and_the_unit_sees_its_own_findings(users, client_as, half, found):
    detail = f"/reports/half-year/{half.inspection.pk}/"
    check_grid(
        users,
        client_as,
        detail,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 404),
            ("leader", "GET", 404),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    finding = f"/reports/half-year/findings/{found['a_ledger'].pk}/"
    check_grid(
        users,
        client_as,
        finding,
        [
            ("officer_a", "GET", 200),  # their own unit's, to rectify
            ("unit_head_a", "GET", 200),
            ("officer_b", "GET", 404),
            ("leader", "GET", 404),
            ("bureau", "GET", 200),
        ],
    )
    listing = page(client_as(users["officer_a"]), LIST)
    assert "台账缺少5月记录" in listing  # the unit's to-do
    assert half.inspection.title not in listing.split('data-testid="inspections"')[1]


def test_published_results_are_every_users(users, client_as, published, found):
    detail = f"/reports/half-year/{published.inspection.pk}/"
    for key in ("officer_b", "leader", "unit_head_a"):
        html = page(client_as(users[key]), detail)
        assert "台账缺少5月记录" in html and "台账未按月更新" in html
    html = page(
        client_as(users["officer_b"]), f"/reports/half-year/findings/{found['a_ledger'].pk}/"
    )
    assert 'data-testid="rectify-form"' not in html  # not their unit's


def test_the_matrix_marks_overdue_rectifications(users, client_as, published):
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        html = page(client_as(users["leader"]), f"/reports/half-year/{published.inspection.pk}/")
    matrix = html.split('data-testid="matrix"')[1]
    assert matrix.count('data-overdue="yes"') == 2  # A's ledger (06-30), B's ledger (07-10)
    assert "甲镇" in matrix and "乙镇" in matrix


# --- The bureau's forms ------------------------------------------------------------------------


def test_the_bureau_opens_an_inspection_from_the_list(users, client_as):
    client = client_as(users["bureau"])
    response = client.post(LIST + "create/", {"year": 2026, "half": 2, "title": ""})
    assert response.status_code == 302
    inspection = HalfYearInspection.objects.get()
    assert response["Location"] == f"/reports/half-year/{inspection.pk}/"
    again = client.post(LIST + "create/", {"year": 2026, "half": 2, "title": ""})
    assert again.status_code == 200 and "invalid-feedback" in again.content.decode()
    for key in ("officer_a", "leader"):
        assert (
            client_as(users[key]).post(LIST + "create/", {"year": 2026, "half": 1}).status_code
            == 403
        )


def test_the_checklist_form_sets_the_items(users, client_as, unit_a, unit_b, bureau_user):
    inspection = HalfYearInspection.objects.create(year=2026, half=1, title="上半年")
    url = f"/reports/half-year/{inspection.pk}/checklist/"
    client = client_as(users["bureau"])
    assert client.get(url).status_code == 200
    data = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "招商台账",
        "items-0-guidance": "是否完整",
        "items-1-title": "",
        "items-2-title": "项目推进",
    }
    assert client.post(url, data).status_code == 302
    assert list(inspection.items.values_list("order", "title")) == [
        (1, "招商台账"),
        (2, "项目推进"),
    ]
    empty = client.post(url, {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0"})
    assert empty.status_code == 200 and "alert-danger" in empty.content.decode()
    assert client_as(users["officer_a"]).get(url).status_code == 404  # a draft


def test_units_from_the_draw_and_chosen_from_the_page(users, client_as, half):
    client = client_as(users["bureau"])
    base = f"/reports/half-year/{half.inspection.pk}/units/"
    InspectedUnit.objects.filter(inspection=half.inspection).delete()
    assert client.post(base + "drawn/", {"drawn-draw": half.draw.pk}).status_code == 302
    assert client.post(base + "chosen/", {"chosen-units": [half.park.pk]}).status_code == 302
    rows = InspectedUnit.objects.filter(inspection=half.inspection)
    assert sorted((r.unit.code, r.source) for r in rows) == [("PK", "chosen"), ("UA", "drawn")]
    refused = client.post(base + "chosen/", {})
    assert refused.status_code == 200 and 'data-testid="chosen-form"' in refused.content.decode()


def test_the_report_and_a_finding_with_a_file_from_the_unit_page(users, client_as, half):
    client = client_as(users["bureau"])
    unit_page = f"/reports/half-year/units/{half.a.pk}/"
    assert 'data-testid="report-form"' in page(client, unit_page)
    response = client.post(
        unit_page + "report/",
        {
            "report-reported_on": "2026-06-18",
            "report-reported_by": "甲镇长",
            "report-outcome": "good",
            "report-outcome_note": "",
        },
    )
    assert response.status_code == 302
    response = client.post(
        unit_page + "findings/",
        {
            "finding-item": half.items[0].pk,
            "finding-text": "台账缺页",
            "finding-deadline": "2026-07-31",
            "finding-file": png_upload(),
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.text, finding.deadline, finding.file_type) == (
        "台账缺页",
        dt.date(2026, 7, 31),
        "image/png",
    )
    past = client.post(
        unit_page + "findings/",
        {"finding-item": half.items[1].pk, "finding-text": "x", "finding-deadline": "2026-01-01"},
    )
    assert past.status_code == 200 and "invalid-feedback" in past.content.decode()
    assert client_as(users["officer_a"]).post(unit_page + "report/", {}).status_code == 403
    assert client_as(users["leader"]).post(unit_page + "report/", {}).status_code == 404  # draft


def test_publishing_asks_first_and_freezes_the_findings(users, client_as, half, found):
    client = client_as(users["bureau"])
    detail = f"/reports/half-year/{half.inspection.pk}/"
    html = page(client, detail)
    assert (
        'data-testid="publish"' in html
        and "data-confirm=" in html.split('data-testid="publish"')[1][:300]
    )
    assert client_as(users["leader"]).post(detail + "publish/").status_code == 404  # a draft
    assert client.post(detail + "publish/").status_code == 302
    html = page(client, detail)
    assert 'data-testid="publish"' not in html and 'data-testid="drawn-form"' not in html
    refused = client.post(
        f"/reports/half-year/units/{half.a.pk}/findings/",
        {"finding-item": half.items[0].pk, "finding-text": "改写"},
    )
    assert refused.status_code == 200
    assert Finding.objects.get(pk=found["a_ledger"].pk).text == "台账缺少5月记录"


def test_publishing_names_what_is_missing(users, client_as, half):
    response = client_as(users["bureau"]).post(f"/reports/half-year/{half.inspection.pk}/publish/")
    assert response.status_code == 200
    assert 'data-testid="publish-errors"' in response.content.decode()


# --- Rectification on the finding's page -----------------------------------------------------


def test_the_unit_rectifies_and_the_bureau_returns_then_confirms(
    users, client_as, published, found
):
    finding = found["a_ledger"]
    url = f"/reports/half-year/findings/{finding.pk}/"
    officer = client_as(users["officer_a"])
    assert 'data-testid="rectify-form"' in page(officer, url)
    assert officer.post(url + "rectify/", {"rect-note": "", "rect-file": ""}).status_code == 200
    response = officer.post(
        url + "rectify/", {"rect-note": "已补录", "rect-file": png_upload("补录.png")}
    )
    assert response.status_code == 302
    assert (
        client_as(users["officer_b"]).post(url + "rectify/", {"rect-note": "代报"}).status_code
        == 403
    )
    assert (
        client_as(users["leader"]).post(url + "decide/", {"decide-decision": "confirm"}).status_code
        == 403
    )
    bureau = client_as(users["bureau"])
    assert 'data-testid="decide-form"' in page(bureau, url)
    no_reason = bureau.post(url + "decide/", {"decide-decision": "return", "decide-reason": ""})
    assert no_reason.status_code == 200 and "invalid-feedback" in no_reason.content.decode()
    assert (
        bureau.post(
            url + "decide/", {"decide-decision": "return", "decide-reason": "缺签字"}
        ).status_code
        == 302
    )
    assert officer.post(url + "rectify/", {"rect-note": "已补签字"}).status_code == 302
    assert bureau.post(url + "decide/", {"decide-decision": "confirm"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == "rectified"
    html = page(officer, url)
    assert "缺签字" in html and 'data-testid="rectify-form"' not in html


# --- Files ----------------------------------------------------------------------------------


def test_a_findings_file_is_served_only_to_those_who_see_the_finding(
    users, client_as, half, found, bureau_user, officer_a
):
    photo = f"/files/halfyear-finding/{found['a_ledger'].pk}/"
    rectification = rectification_report(
        finding=found["a_ledger"], note="已补录", file=png_upload("补录.png"), user=officer_a
    )
    evidence = f"/files/halfyear-rectification/{rectification.pk}/"
    draft_rows = [
        (None, "GET", LOGIN),
        ("officer_a", "GET", 200),
        ("unit_head_a", "GET", 200),
        ("officer_b", "GET", 404),
        ("leader", "GET", 404),  # a draft: not yet the county's
        ("bureau", "GET", 200),
        ("bureau", "POST", 405),
    ]
    check_grid(users, client_as, photo, draft_rows)
    check_grid(users, client_as, evidence, draft_rows)
    response = client_as(users["officer_a"]).get(photo)
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    halfyear_publish(inspection=half.inspection, user=bureau_user)
    check_grid(users, client_as, photo, [("officer_b", "GET", 200), ("leader", "GET", 200)])
    check_grid(
        users,
        client_as,
        f"/files/halfyear-finding/{found['a_progress'].pk}/",
        [("bureau", "GET", 404)],
    )  # no file


# --- The workbook ---------------------------------------------------------------------------


def test_the_workbook_holds_the_results(users, client_as, published):
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        response = client_as(users["officer_b"]).get(
            f"/reports/half-year/{published.inspection.pk}/xlsx/"
        )
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    # 青山县2026年上半年招商引资督查结果.xlsx
    assert f"{results_title(2026, 1)}.xlsx" in disposition
    book = load_workbook(BytesIO(response.content))
    cover, units, findings, checklist = book.worksheets
    assert cover["A1"].value == results_title(2026, 1)
    header = [c.value for c in units[2]]
    rows = {row[0]: row for row in units.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"甲镇", "乙镇"}
    assert header[:3] == [units["A2"].value, units["B2"].value, units["C2"].value]
    assert rows["甲镇"][2].date() == dt.date(2026, 6, 18)  # reported on
    assert rows["甲镇"][3] == "甲镇长"
    assert rows["甲镇"][6:] == (3, 2, 1)  # findings, open, overdue on 07-15
    assert rows["乙镇"][6:] == (1, 1, 1)
    found_rows = list(findings.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[2]) for r in found_rows] == [
        ("甲镇", "招商台账", "台账缺少5月记录"),
        ("甲镇", "项目推进", "两个签约项目未按期开工"),
        ("甲镇", "资金到位", "凭证齐全"),
        ("乙镇", "招商台账", "台账未按月更新"),
    ]
    assert found_rows[0][3].date() == dt.date(2026, 6, 30)
    assert found_rows[2][3] is None  # needs no rectification
    assert findings["D3"].number_format == "yyyy-mm-dd"
    assert [r[1] for r in checklist.iter_rows(min_row=3, values_only=True)] == [
        "招商台账",
        "项目推进",
        "资金到位",
    ]


def test_a_drafts_workbook_is_the_bureaus(users, client_as, half):
    url = f"/reports/half-year/{half.inspection.pk}/xlsx/"
    check_grid(users, client_as, url, [("officer_a", "GET", 404), ("bureau", "GET", 200)])


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_units_and_findings(
    users, client_as, half, found, bureau_user
):
    client = client_as(users["bureau"])
    detail = f"/reports/half-year/{half.inspection.pk}/"
    _queries(client, LIST)  # the session's first request reads more
    before = (_queries(client, LIST), _queries(client, detail), _queries(client, detail + "xlsx/"))
    more = [UnitFactory(code=f"Q{n}", name=f"新镇{n}") for n in range(6)]
    halfyear_units_add(inspection=half.inspection, units=more, user=bureau_user)
    for row in InspectedUnit.objects.filter(unit__in=more):
        for item in half.items:
            finding_record(
                inspected=row,
                item=item,
                text="问题",
                deadline=dt.date(2026, 8, 1),
                user=bureau_user,
            )
    other = HalfYearInspection.objects.create(year=2025, half=2, title="2025下半年")
    halfyear_checklist_set(inspection=other, items=[ChecklistEntry(title="台账")], user=bureau_user)
    after = (_queries(client, LIST), _queries(client, detail), _queries(client, detail + "xlsx/"))
    assert after == before


def test_the_list_filters_by_year_half_and_unit(users, client_as, published, unit_a):
    client = client_as(users["leader"])
    title = published.inspection.title
    assert title in page(client, LIST + "?year=2026&half=1")
    assert title not in page(client, LIST + "?half=2")
    assert title in page(client, f"{LIST}?unit={unit_a.pk}")
    assert title not in page(client, f"{LIST}?unit={published.park.pk}")
