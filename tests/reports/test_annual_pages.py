"""The year-end assessment's pages: the list and the build, the scheme (every user reads it,
the bureau sets it), the manual items, the assessment (groups, ranks, grades, the formula,
every figure linking to its records), a unit's own breakdown (another unit's: 404), the
workbook's cells, publishing."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from openpyxl import load_workbook

from core.models import Job
from reports.models import AssessmentScheme, ManualScore, Report
from reports.services import report_build, report_publish
from tests.reports.annual_county import AFTER_THE_YEAR, YEAR, build_annual_county, hand_scheme

pytestmark = pytest.mark.django_db
D = Decimal
PERIOD = dt.date(YEAR, 1, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        yield


@pytest.fixture
def county(unit_a, unit_b, users, bureau_user):
    built = build_annual_county(unit_a, unit_b, bureau_user)
    hand_scheme(bureau_user)
    return built


@pytest.fixture
def draft(county, bureau_user):
    return report_build(kind="annual", period=PERIOD, user=bureau_user)


@pytest.fixture
def published(draft, bureau_user):
    return report_publish(report=draft, user=bureau_user, confirm=True, note="按时发布")


def text(response):
    return response.content.decode()


def query(url):
    parsed = urlparse(url)
    return parsed.path, {key: values[0] for key, values in parse_qs(parsed.query).items()}


# --- The list and the build ----------------------------------------------------------------------


def test_the_list_shows_versions_and_schemes_and_the_bureau_builds(
    client_as, county, draft, bureau_user, officer_a
):
    page = client_as(bureau_user).get("/reports/assessments/")
    assert page.status_code == 200
    assert f'data-report="{draft.pk}"' in text(page)
    assert 'data-testid="build-form"' in text(page)
    assert 'data-scheme-year="2026"' in text(page) and "/reports/assessments/schemes/2026/" in text(
        page
    )
    # the list's filter (the API's too)
    assert f'data-report="{draft.pk}"' not in text(
        client_as(bureau_user).get("/reports/assessments/?year=2025")
    )
    assert f'data-report="{draft.pk}"' in text(
        client_as(bureau_user).get("/reports/assessments/?year=2026&status=draft")
    )
    # a unit's staff see no draft and no build form
    theirs = client_as(officer_a).get("/reports/assessments/")
    assert f'data-report="{draft.pk}"' not in text(theirs)
    assert 'data-testid="build-form"' not in text(theirs)
    # the bureau's build starts a job and goes to its page
    started = client_as(bureau_user).post("/reports/assessments/build/", {"year": YEAR})
    job = Job.objects.get(kind="reports.annual_assessment")
    assert started.status_code == 302 and started["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.params == {"year": YEAR, "reason": ""}
    assert client_as(bureau_user).get(started["Location"]).status_code == 200


def test_the_build_form_refuses_a_year_without_its_scheme_or_not_begun(
    client_as, county, bureau_user
):
    no_scheme = client_as(bureau_user).post("/reports/assessments/build/", {"year": 2025})
    assert no_scheme.status_code == 400 and "2025" in text(no_scheme)
    hand_scheme(bureau_user, year=2027)
    not_begun = client_as(bureau_user).post("/reports/assessments/build/", {"year": 2027})
    assert not_begun.status_code == 400
    assert not Job.objects.exists()


def test_rebuilding_a_published_year_needs_a_reason(client_as, published, bureau_user):
    refused = client_as(bureau_user).post("/reports/assessments/build/", {"year": YEAR})
    assert refused.status_code == 400 and not Job.objects.exists()
    again = client_as(bureau_user).post(
        "/reports/assessments/build/", {"year": YEAR, "reason": "补录12月资金"}
    )
    assert again.status_code == 302
    assert Job.objects.get().params["reason"] == "补录12月资金"


# --- The assessment ------------------------------------------------------------------------------


def test_the_bureau_reads_groups_ranks_grades_and_the_formula(client_as, draft, bureau_user):
    page = client_as(bureau_user).get(f"/reports/assessments/{draft.pk}/")
    assert page.status_code == 200
    body = text(page)
    assert 'data-testid="formula"' in body and "60 + 40" in body
    assert 'data-testid="total">75.82<' in body and 'data-testid="total">83.67<' in body
    # each indicator's points link to the records they count: A's funds in place
    a = page.context["groups"][0]["rows"][0]
    assert a["unit"].code == "UA"
    funds_cell = next(cell for cell in a["cells"] if cell["line"].metric == "funds")
    path, params = query(funds_cell["url"])
    assert path == "/funds/"
    assert params == {
        "unit": str(a["unit"].unit_id),
        "status": "verified",
        "kind": "funds",
        "period_after": "2026-01",
        "period_before": "2026-12",
    }
    assert f'href="/reports/assessments/{draft.pk}/units/{a["unit"].unit_id}/"' in body
    assert page.context["can_publish"] is True


def test_the_funds_link_lists_exactly_the_figure(client_as, draft, bureau_user):
    page = client_as(bureau_user).get(f"/reports/assessments/{draft.pk}/")
    a = page.context["groups"][0]["rows"][0]
    funds_cell = next(cell for cell in a["cells"] if cell["line"].metric == "funds")
    listed = client_as(bureau_user).get(funds_cell["url"])
    assert listed.status_code == 200
    assert "2,599.00" in text(listed)


def test_a_unit_sees_only_its_own_breakdown(client_as, published, unit_a, unit_b, users):
    url = f"/reports/assessments/{published.pk}/units/{unit_a.pk}/"
    own = client_as(users["officer_a"]).get(url)
    assert own.status_code == 200
    body = text(own)
    assert 'data-testid="total">75.82<' in body and 'data-testid="indicator-points">76.82<' in body
    assert (
        "招商引资创新做法" in body and "“链长制”招商经验被市里推广" in body
    )  # manual items, noted
    assert "台账缺少5月记录" in body  # the finding past its deadline, linked
    finding = own.context["unit"].findings[0]
    assert f'href="/reports/half-year/findings/{finding.finding_id}/"' in body
    record = own.context["unit"].flagged[0]
    assert f'href="/funds/{record.record_id}/"' in body
    # the deductions link to the lists of their records
    links = {row["line"].item: row["url"] for row in own.context["deductions"]}
    assert query(links["red_orders"]) == ("/orders/", {"unit": str(unit_a.pk), "level": "red"})
    assert query(links["flagged_figures"])[1]["flagged"] == "true"
    bonuses = {row["line"].item: row["url"] for row in own.context["bonuses"]}
    path, params = query(bonuses["foreign"])
    assert (path, params["investor_origin"], params["unit"]) == (
        "/projects/",
        "foreign",
        str(unit_a.pk),
    )
    assert client_as(users["unit_head_a"]).get(url).status_code == 200
    # another unit's breakdown: not found
    assert client_as(users["officer_b"]).get(url).status_code == 404
    assert (
        client_as(users["officer_a"])
        .get(f"/reports/assessments/{published.pk}/units/{unit_b.pk}/")
        .status_code
        == 404
    )
    # the bureau and leaders read every unit's
    assert client_as(users["leader"]).get(url).status_code == 200
    assert client_as(users["bureau"]).get(url).status_code == 200
    # the assessment's page takes a unit's staff to their own breakdown; the workbook is not theirs
    moved = client_as(users["officer_a"]).get(f"/reports/assessments/{published.pk}/")
    assert moved.status_code == 302 and moved["Location"] == url
    assert (
        client_as(users["officer_a"]).get(f"/reports/assessments/{published.pk}/xlsx/").status_code
        == 404
    )


def test_a_draft_is_the_bureaus(client_as, draft, unit_a, users):
    url = f"/reports/assessments/{draft.pk}/units/{unit_a.pk}/"
    assert client_as(users["officer_a"]).get(url).status_code == 404
    assert client_as(users["leader"]).get(url).status_code == 404
    assert client_as(users["bureau"]).get(url).status_code == 200
    assert client_as(users["leader"]).get(f"/reports/assessments/{draft.pk}/").status_code == 404


def test_publishing_asks_first_then_freezes(client_as, draft, bureau_user):
    ask = client_as(bureau_user).get(f"/reports/assessments/{draft.pk}/publish/")
    assert ask.status_code == 200 and 'data-testid="pending"' in text(ask)
    refused = client_as(bureau_user).post(f"/reports/assessments/{draft.pk}/publish/", {})
    assert refused.status_code == 200  # records still await verification: a note is needed
    done = client_as(bureau_user).post(
        f"/reports/assessments/{draft.pk}/publish/", {"note": "按时发布", "confirm": "on"}
    )
    assert done.status_code == 302 and done["Location"] == f"/reports/assessments/{draft.pk}/"
    assert Report.objects.get(pk=draft.pk).is_published


# --- The workbook --------------------------------------------------------------------------------


def test_the_workbook_cells(client_as, published, bureau_user):
    response = client_as(bureau_user).get(f"/reports/assessments/{published.pk}/xlsx/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition and ".xlsx" in disposition
    book = load_workbook(io.BytesIO(response.content))
    cover = book.worksheets[0]
    assert "2026" in cover["A1"].value
    assert cover["A2"].value.startswith("县投资促进局")
    results = book.worksheets[1]
    rows = list(results.iter_rows(min_row=3, values_only=True))
    by_unit = {row[1]: row for row in rows}
    assert by_unit["甲镇"][2:8] == (76.82, 5, 7, 1, 75.82, 1)
    assert by_unit["经开区"][6:8] == (83.67, 1)
    assert by_unit["乙镇"][6:8] == (22.89, 2)
    assert results["A1"].value and results.print_title_rows == "$1:$2"
    assert results.oddFooter.center.text  # page numbers
    indicators = book.worksheets[2]
    lines = [row for row in indicators.iter_rows(min_row=3, values_only=True) if row[0] == "甲镇"]
    assert len(lines) == 5
    funds_line = lines[0]
    assert funds_line[3:5] == (40, 2599) and funds_line[5] == 4000 and funds_line[10] == 25.99
    adjustments = book.worksheets[3]
    red = [
        row
        for row in adjustments.iter_rows(min_row=3, values_only=True)
        if row[0] == "甲镇" and row[3] == 2 and row[6] == 3
    ]
    assert red  # two red orders, 4 points cut to 3
    manual = book.worksheets[4]
    assert [row[1:3] for row in manual.iter_rows(min_row=3, values_only=True)] == [
        ("招商引资创新做法", 2),
        ("材料报送不及时", -1),
    ]


def test_the_workbooks_file_name_says_the_county_and_year(client_as, published, bureau_user):
    from django.utils import translation

    with translation.override("zh-hans"):
        response = client_as(bureau_user).get(
            f"/reports/assessments/{published.pk}/xlsx/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert "2026" in response["Content-Disposition"]
    assert "%E9%9D%92%E5%B1%B1%E5%8E%BF" in response["Content-Disposition"]  # 青山县


# --- The scheme ----------------------------------------------------------------------------------


def scheme_post(**changes):
    data = {
        "title": "青山县2027年度招商引资工作考核方案",
        "grade_method": "thresholds",
        "excellent_min": "90",
        "good_min": "80",
        "pass_min": "60",
        "indicators-TOTAL_FORMS": "3",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-metric": "funds",
        "indicators-0-weight": "60",
        "indicators-0-method": "ratio",
        "indicators-0-cap": "1.2",
        "indicators-1-metric": "investment",
        "indicators-1-weight": "40",
        "indicators-1-method": "efficacy",
        "indicators-2-metric": "",
        "over_100m_points": "2",
        "over_100m_cap": "6",
        "red_orders_points": "1",
    }
    data.update(changes)
    return data


def test_every_user_reads_the_scheme_and_the_bureau_sets_it(client_as, users, bureau_user):
    read = client_as(users["officer_b"]).get("/reports/assessments/schemes/2027/")
    assert read.status_code == 200
    assert 'data-testid="scheme-form"' not in text(read)
    assert 'data-metric="funds"' in text(read)  # the usual scheme to start from
    assert (
        client_as(users["officer_b"])
        .post("/reports/assessments/schemes/2027/", scheme_post())
        .status_code
        == 403
    )
    assert (
        client_as(users["leader"])
        .post("/reports/assessments/schemes/2027/", scheme_post())
        .status_code
        == 403
    )
    form = client_as(bureau_user).get("/reports/assessments/schemes/2027/")
    assert 'data-testid="scheme-form"' in text(form)
    saved = client_as(bureau_user).post("/reports/assessments/schemes/2027/", scheme_post())
    assert saved.status_code == 302
    scheme = AssessmentScheme.objects.get(year=2027)
    assert [(i.metric, i.weight, i.method, i.cap) for i in scheme.indicators.all()] == [
        ("funds", D(60), "ratio", D("1.20")),
        ("investment", D(40), "efficacy", None),
    ]
    assert {(a.item, a.points, a.cap) for a in scheme.adjustments.all()} == {
        ("over_100m", D(2), D(6)),
        ("red_orders", D(1), None),
    }
    # changed: the investment indicator removed, its history and the scheme's kept
    client_as(bureau_user).post(
        "/reports/assessments/schemes/2027/",
        scheme_post(**{"indicators-1-metric": "", "indicators-0-weight": "100"}),
    )
    assert [i.metric for i in scheme.indicators.all()] == ["funds"]
    page = client_as(bureau_user).get("/reports/assessments/schemes/2027/")
    assert len(page.context["changes"]) >= 5


def test_a_wrong_scheme_comes_back_with_its_errors(client_as, bureau_user):
    wrong = client_as(bureau_user).post(
        "/reports/assessments/schemes/2027/",
        scheme_post(
            **{
                "indicators-1-metric": "funds",  # twice
                "indicators-0-cap": "",  # a ratio without its cap
                "excellent_min": "70",  # below Good
            }
        ),
    )
    assert wrong.status_code == 200
    assert wrong.context["formset"].non_form_errors()
    assert wrong.context["form"].non_field_errors()
    assert not AssessmentScheme.objects.exists()
    empty = client_as(bureau_user).post("/reports/assessments/schemes/2027/", {})
    assert empty.status_code == 200 and not AssessmentScheme.objects.exists()
    assert client_as(bureau_user).get("/reports/assessments/schemes/1999/").status_code == 404


# --- Manual items --------------------------------------------------------------------------------


def test_the_bureau_adds_changes_and_removes_manual_items(client_as, users, bureau_user, unit_b):
    url = "/reports/assessments/schemes/2026/manual/"
    assert client_as(users["officer_a"]).get(url).status_code == 403
    assert client_as(users["leader"]).get(url).status_code == 200
    assert client_as(users["leader"]).post(url, {}).status_code == 403
    data = {"unit": unit_b.pk, "title": "重大项目推进有力", "points": "3", "note": "县委通报表扬"}
    added = client_as(bureau_user).post(url, data)
    assert added.status_code == 302
    item = ManualScore.objects.get()
    assert (item.year, item.unit, item.points, item.scored_by) == (2026, unit_b, D(3), bureau_user)
    # without a note: refused beside its field
    refused = client_as(bureau_user).post(url, {**data, "title": "另一项", "note": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["note"]
    edit = f"/reports/assessments/manual/{item.pk}/"
    assert client_as(users["officer_b"]).get(edit).status_code == 404
    assert client_as(users["leader"]).get(edit).status_code == 403
    changed = client_as(bureau_user).post(edit, {**data, "points": "-2", "note": "经核实扣分"})
    assert changed.status_code == 302
    item.refresh_from_db()
    assert (item.points, item.note) == (D(-2), "经核实扣分")
    page = client_as(bureau_user).get(edit)
    assert len(page.context["history"]) == 2
    removed = client_as(bureau_user).post(f"/reports/assessments/manual/{item.pk}/remove/")
    assert removed.status_code == 302 and not ManualScore.objects.exists()
    listing = client_as(bureau_user).get(url)
    assert [row.history_type for row in listing.context["changes"]] == ["-", "~", "+"]


def test_the_workbook_opens_in_libreoffice(published, tmp_path):
    from reports.workbook_annual import annual_workbook
    from tests.reports.test_workbook_libreoffice import soffice_convert

    source = tmp_path / "考核结果.xlsx"
    source.write_bytes(annual_workbook(Report.objects.get(pk=published.pk)))
    book = load_workbook(soffice_convert(source, tmp_path))
    assert len(book.worksheets) == 8
    results = {row[1]: row for row in book.worksheets[1].iter_rows(min_row=3, values_only=True)}
    assert results["甲镇"][6] == 75.82 and results["工信局"][6] == 50
