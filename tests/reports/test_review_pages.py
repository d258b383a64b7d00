"""The quarterly review's pages: who may do what, building from the page, the job page for
either kind of report, the stored review shown as stored, publishing, the workbook, and the
score weights page."""

import datetime as dt
from io import BytesIO
from urllib.parse import quote

import pytest
import time_machine
from openpyxl import load_workbook

from core.models import Job
from projects.models import Project
from reports.models import Report, ScoreWeight
from reports.services import report_build
from reports.tasks import JOB_KIND_MONTHLY, JOB_KIND_QUARTERLY
from tests.grid import LOGIN, check_grid
from tests.reports.county import build_county
from tests.reports.test_review import add_review_facts

pytestmark = pytest.mark.django_db
LIST = "/reports/quarterly/"
BUILD = "/reports/quarterly/build/"
WEIGHTS = "/reports/weights/"
Q2 = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def reports():
    published = Report.objects.create(
        kind="quarterly",
        period=dt.date(2026, 1, 1),
        status="published",
        figures={"kind": "quarterly", "year": 2026, "quarter": 1},
    )
    draft = Report.objects.create(
        kind="quarterly", period=Q2, figures={"kind": "quarterly", "year": 2026, "quarter": 2}
    )
    return {"published": published, "draft": draft}


@pytest.fixture
def county(unit_a, unit_b, officer_a, officer_b, bureau_unit):
    return add_review_facts(unit_a, unit_b, build_county(unit_a, unit_b))


def test_list_and_build_grid(users, client_as, reports):
    check_grid(
        users,
        client_as,
        LIST,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        BUILD,
        [
            (None, "POST", LOGIN),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "POST", 302),
            ("bureau", "GET", 405),
        ],
        data={"year": "2026", "quarter": "2"},
    )


def test_list_shows_drafts_only_to_the_bureau(users, client_as, reports):
    officer = client_as(users["officer_a"]).get(LIST).content.decode()
    assert f'data-report="{reports["published"].pk}"' in officer
    assert f'data-report="{reports["draft"].pk}"' not in officer
    assert "build-form" not in officer
    bureau = client_as(users["bureau"]).get(LIST).content.decode()
    assert f'data-report="{reports["draft"].pk}"' in bureau
    assert "build-form" in bureau
    # the build form proposes the quarter just over
    assert 'name="year" value="2026"' in bureau
    assert '<option value="2" selected>' in bureau


def test_report_pages_grid(users, client_as, reports):
    published, draft = reports["published"], reports["draft"]
    for report, other in ((published, 200), (draft, 404)):
        for suffix in ("", "xlsx/"):
            check_grid(
                users,
                client_as,
                f"{LIST}{report.pk}/{suffix}",
                [
                    (None, "GET", LOGIN),
                    ("officer_a", "GET", other),
                    ("leader", "GET", other),
                    ("bureau", "GET", 200),
                    ("bureau", "POST", 405),
                ],
            )
    check_grid(
        users,
        client_as,
        f"{LIST}{draft.pk}/publish/",
        [
            (None, "POST", LOGIN),
            ("officer_a", "POST", 404),
            ("leader", "POST", 404),
            ("leader", "GET", 404),
            ("bureau", "GET", 200),
            ("bureau", "PUT", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        f"{LIST}{published.pk}/publish/",
        [("officer_a", "POST", 403), ("leader", "POST", 403), ("bureau", "POST", 302)],
    )
    # a monthly report is not a quarterly one
    monthly = Report.objects.create(kind="monthly", period=Q2, status="published", figures={})
    check_grid(users, client_as, f"{LIST}{monthly.pk}/", [("bureau", "GET", 404)])


def test_building_from_the_page_starts_a_job(users, client_as):
    response = client_as(users["bureau"]).post(
        BUILD, {"year": "2026", "quarter": "2", "reason": ""}
    )
    job = Job.objects.get()
    assert job.kind == JOB_KIND_QUARTERLY
    assert job.params == {"year": 2026, "quarter": 2, "reason": ""}
    assert job.created_by == users["bureau"]
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert Report.objects.count() == 0  # the task was not run

    body = client_as(users["bureau"]).get(response["Location"]).content.decode()
    assert f'data-api-url="/api/v1/jobs/{job.pk}/"' in body
    assert f'data-report-url-pattern="{LIST}"' in body
    assert f'href="{LIST}"' in body  # back to the reviews, not the bulletins
    assert "2026年第2季度" in body
    # the script shows the status in the reader's language
    assert 'data-status-label-pending="等待中"' in body
    assert 'data-status-label-succeeded="' in body
    assert "<script>" not in body


def test_the_job_page_of_a_monthly_build_still_leads_to_the_bulletin(users, client_as):
    job = Job.objects.create(
        kind=JOB_KIND_MONTHLY, created_by=users["bureau"], params={"period": "2026-06"}
    )
    body = client_as(users["bureau"]).get(f"/reports/jobs/{job.pk}/").content.decode()
    assert 'data-report-url-pattern="/reports/monthly/"' in body
    assert 'href="/reports/monthly/"' in body
    assert "2026-06" in body


def test_build_form_errors(users, client_as, reports):
    client = client_as(users["bureau"])
    for data in (
        {"year": "2026", "quarter": "4"},  # not started
        {"year": "2026", "quarter": "5"},
        {"year": "1999", "quarter": "1"},
        {"year": "今年", "quarter": "1"},
    ):
        response = client.post(BUILD, data)
        assert response.status_code == 400, data
        assert "invalid-feedback" in response.content.decode()
    # Q1 is published: rebuilding it needs a reason
    response = client.post(BUILD, {"year": "2026", "quarter": "1"})
    assert response.status_code == 400
    assert Job.objects.count() == 0
    response = client.post(BUILD, {"year": "2026", "quarter": "1", "reason": "更正数据"})
    assert response.status_code == 302
    assert Job.objects.get().params == {"year": 2026, "quarter": 1, "reason": "更正数据"}


def test_finished_job_page_links_to_the_review(users, client_as, reports):
    done = Job.objects.create(
        kind=JOB_KIND_QUARTERLY,
        created_by=users["bureau"],
        params={"year": 2026, "quarter": 2},
        status="succeeded",
        progress=100,
        result={"report_id": reports["draft"].pk, "version": 1},
    )
    body = client_as(users["bureau"]).get(f"/reports/jobs/{done.pk}/").content.decode()
    assert f'href="{LIST}{reports["draft"].pk}/"' in body


def test_review_page_shows_the_stored_snapshot(users, client_as, county, unit_a):
    report = report_build(kind="quarterly", period=Q2, user=users["bureau"])
    client = client_as(users["bureau"])
    body = client.get(f"{LIST}{report.pk}/").content.decode()
    for section in ("formula", "weights", "units", "teams", "warnings", "stalled-projects"):
        assert f'data-testid="{section}"' in body
    assert "79.70" in body and "45.56" in body and "103.33" in body  # the scores
    assert "1.2" in body  # the cap, in the formula
    assert 'data-testid="behind"' in body  # A's funds are behind time progress
    assert "50.0%" in body  # time progress
    assert "用地指标未落实" in body
    assert "深圳组" in body

    figures = report.figures
    figures["unit_groups"][0]["units"][0]["score"] = "12.34"
    figures["unit_groups"][0]["units"][0]["name"] = "改过的甲镇"
    Report.objects.filter(pk=report.pk).update(figures=figures)
    body = client.get(f"{LIST}{report.pk}/").content.decode()
    assert "12.34" in body and "改过的甲镇" in body and "79.70" not in body


def test_publish_freezes(users, client_as, reports):
    draft = reports["draft"]
    client = client_as(users["bureau"])
    assert "/publish/" in client.get(f"{LIST}{draft.pk}/").content.decode()
    response = client.post(f"{LIST}{draft.pk}/publish/")
    assert response["Location"] == f"{LIST}{draft.pk}/"
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == users["bureau"]
    published_at = draft.published_at
    assert "/publish/" not in client.get(f"{LIST}{draft.pk}/").content.decode()
    client.post(f"{LIST}{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.published_at == published_at
    assert client_as(users["officer_a"]).get(f"{LIST}{draft.pk}/").status_code == 200


def test_the_workbook(users, client_as, county, unit_a):
    Project.objects.filter(code="A2").update(name='=HYPERLINK("http://x","点我")')
    report = report_build(kind="quarterly", period=Q2, user=users["bureau"])
    response = client_as(users["bureau"]).get(f"{LIST}{report.pk}/xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert quote("青山县招商引资工作季度调度（2026年第2季度）") in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 8
    units = book.worksheets[2]
    assert units.freeze_panes == "A3"
    assert units.page_setup.orientation == "landscape"
    assert units.print_title_rows == "$1:$2"
    assert "青山县" in units["A1"].value
    rows = {row[1].value: row for row in units.iter_rows(min_row=3)}
    a = rows[unit_a.name]
    assert a[2].value == pytest.approx(79.70) and a[2].number_format == "#,##0.00"  # score
    assert a[3].value == 1  # rank
    # the parts' score, the orders overdue (yellow, red) and their deduction: none here
    assert [a[4].value, a[5].value, a[6].value, a[7].value] == [pytest.approx(79.70), 0, 0, 0]
    assert a[8].value == pytest.approx(0.4) and a[8].number_format == "0.0%"
    weights = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows(min_row=3)}
    assert sum(weights.values()) == 100
    metrics = book.worksheets[3]
    counts = [row for row in metrics.iter_rows(min_row=3) if row[1].value == unit_a.name]
    assert [row[4].value for row in counts] == [1600, 2]  # funds, projects signed
    assert [row[4].number_format for row in counts] == ["#,##0.00", "General"]
    stalled = book.worksheets[6]
    assert stalled["B3"].value.startswith("=HYPERLINK") and stalled["B3"].data_type == "s"


# --- Score weights -------------------------------------------------------------------------------


def test_weights_page_grid(users, client_as):
    data = {"funds": "40", **{c: "10" for c in ("contract_amount", "projects_signed")}}
    check_grid(
        users,
        client_as,
        WEIGHTS,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            (None, "POST", LOGIN),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "PUT", 405),
        ],
        data=data,
    )


def full_weights(**changes):
    weights = {
        "funds": 30,
        "contract_amount": 10,
        "projects_signed": 15,
        "projects_started": 15,
        "investment": 0,
        "trips": 10,
        "signing_rate": 5,
        "start_rate": 5,
        "on_time_rate": 5,
        "funds_rate": 5,
    }
    return {name: str(value) for name, value in (weights | changes).items()}


def weights_form(response):
    body = response.content.decode()
    start = body.index('data-testid="weights-form"')
    return body[start : body.index("</form>", start)]


def test_officers_read_the_weights_and_the_bureau_changes_them(users, client_as):
    officer = weights_form(client_as(users["officer_a"]).get(WEIGHTS))
    assert 'name="funds" value="30"' in officer and "disabled" in officer
    assert 'type="submit"' not in officer
    assert 'data-testid="total">100<' in officer

    client = client_as(users["bureau"])
    page = weights_form(client.get(WEIGHTS))
    assert 'type="submit"' in page and "disabled" not in page
    response = client.post(WEIGHTS, full_weights(funds=40, trips=0))
    assert response.status_code == 302 and response["Location"] == WEIGHTS
    assert ScoreWeight.objects.get(component="funds").weight == 40
    assert ScoreWeight.objects.get(component="trips").weight == 0
    page = client.get(WEIGHTS).content.decode()
    assert 'data-testid="total">100<' in page  # 40 + 0 in place of 30 + 10
    changes = page[page.index('data-testid="changes"') :]
    assert "招商局员" in changes
    assert '<td class="text-end">30</td><td class="text-end">40</td>' in changes  # before, after


def test_weights_errors_name_the_field_in_chinese(users, client_as):
    client = client_as(users["bureau"])
    response = client.post(WEIGHTS, full_weights(trips=101))
    assert response.status_code == 400
    body = response.content.decode()
    assert "外出招商任务完成情况：确保该值小于或等于100。" in body  # "Trips against quota"
    response = client.post(WEIGHTS, full_weights(funds="三十"))
    assert response.status_code == 400 and "输入整数。" in response.content.decode()
    response = client.post(WEIGHTS, {name: "0" for name in full_weights()})
    assert response.status_code == 400
    assert "权重合计必须大于0。" in response.content.decode()
    assert ScoreWeight.objects.get(component="funds").weight == 30  # nothing saved


def test_navigation(users, client_as):
    bureau = client_as(users["bureau"]).get(LIST).content.decode()
    assert f'href="{WEIGHTS}"' in bureau and f'href="{LIST}"' in bureau
    officer = client_as(users["officer_a"]).get("/").content.decode()
    assert f'href="{LIST}"' in officer
