"""The bulletin pages: who may do what, building from the page, the stored snapshot shown
as stored, and publishing."""

import datetime as dt

import pytest
import time_machine

from core.models import Job
from reports.models import Report
from reports.services import report_build
from reports.tasks import JOB_KIND_MONTHLY
from tests.grid import LOGIN, check_grid
from tests.reports.county import add_key_projects_and_warnings, build_county

pytestmark = pytest.mark.django_db
LIST = "/reports/monthly/"
BUILD = "/reports/monthly/build/"
JUNE = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def reports():
    published = Report.objects.create(
        kind="monthly",
        period=dt.date(2026, 5, 1),
        status="published",
        figures={"period": "2026-05", "headline": "五月通报"},
    )
    draft = Report.objects.create(
        kind="monthly", period=JUNE, figures={"period": "2026-06", "headline": "六月草稿"}
    )
    return {"published": published, "draft": draft}


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
        data={"period": "2026-06"},
    )


def test_list_shows_drafts_only_to_the_bureau(users, client_as, reports):
    officer = client_as(users["officer_a"]).get(LIST).content.decode()
    assert f'data-report="{reports["published"].pk}"' in officer
    assert f'data-report="{reports["draft"].pk}"' not in officer
    assert "build-form" not in officer
    bureau = client_as(users["bureau"]).get(LIST).content.decode()
    assert f'data-report="{reports["draft"].pk}"' in bureau
    assert "build-form" in bureau


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
    check_grid(users, client_as, f"{LIST}{draft.pk}/publish/", [("bureau", "POST", 302)])


def test_workbook_download(users, client_as, reports):
    response = client_as(users["officer_a"]).get(f"{LIST}{reports['published'].pk}/xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_building_from_the_page_starts_a_job(users, client_as):
    response = client_as(users["bureau"]).post(BUILD, {"period": "2026-06", "reason": ""})
    job = Job.objects.get()
    assert job.kind == JOB_KIND_MONTHLY
    assert job.params == {"period": "2026-06", "reason": ""}
    assert job.created_by == users["bureau"]
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert Report.objects.count() == 0  # the task was not run

    page = client_as(users["bureau"]).get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-api-url="/api/v1/jobs/{job.pk}/"' in body
    assert "js/report_build.js" in body
    assert "<script>" not in body


def test_build_form_errors(users, client_as, reports):
    client = client_as(users["bureau"])
    for period in ("2026-08", "2026-13", "juin"):
        response = client.post(BUILD, {"period": period})
        assert response.status_code == 400
        assert "invalid-feedback" in response.content.decode()
    # May is published: rebuilding it needs a reason
    response = client.post(BUILD, {"period": "2026-05"})
    assert response.status_code == 400
    assert Job.objects.count() == 0
    response = client.post(BUILD, {"period": "2026-05", "reason": "更正数据"})
    assert response.status_code == 302
    assert Job.objects.get().params["reason"] == "更正数据"


def test_job_page_grid(users, client_as):
    job = Job.objects.create(kind=JOB_KIND_MONTHLY, created_by=users["bureau"])
    mine = Job.objects.create(kind=JOB_KIND_MONTHLY, created_by=users["officer_a"])
    url = f"/reports/jobs/{job.pk}/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 404),
            ("unit_head_a", "GET", 404),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    check_grid(users, client_as, f"/reports/jobs/{mine.pk}/", [("officer_a", "GET", 200)])


def test_finished_job_page_links_or_shows_the_error(users, client_as, reports):
    client = client_as(users["bureau"])
    done = Job.objects.create(
        kind=JOB_KIND_MONTHLY,
        created_by=users["bureau"],
        status="succeeded",
        progress=100,
        result={"report_id": reports["draft"].pk, "version": 1},
    )
    body = client.get(f"/reports/jobs/{done.pk}/").content.decode()
    assert f'href="{LIST}{reports["draft"].pk}/"' in body
    failed = Job.objects.create(
        kind=JOB_KIND_MONTHLY, created_by=users["bureau"], status="failed", error="出错了"
    )
    assert "出错了" in client.get(f"/reports/jobs/{failed.pk}/").content.decode()


def test_report_page_shows_the_stored_snapshot(users, client_as, unit_a, unit_b, bureau_unit):
    build_county(unit_a, unit_b)
    add_key_projects_and_warnings(unit_a, unit_b)
    report = report_build(period=JUNE, user=users["bureau"])
    client = client_as(users["bureau"])
    body = client.get(f"{LIST}{report.pk}/").content.decode()
    assert report.figures["headline"] in body
    for section in ("totals", "units", "key-projects", "teams", "warnings", "red-list"):
        assert f'data-testid="{section}"' in body
    assert unit_a.name in body

    figures = report.figures
    figures["headline"] = "改过的标题"
    figures["funds"]["cumulative_wan"] = "98765.43"
    figures["unit_groups"][0]["units"][0]["funds_wan"] = "55555.5"
    Report.objects.filter(pk=report.pk).update(figures=figures)
    body = client.get(f"{LIST}{report.pk}/").content.decode()
    assert "改过的标题" in body
    assert "98,765.43" in body
    assert "55,555.50" in body


def test_publish_freezes(users, client_as, reports):
    draft = reports["draft"]
    client = client_as(users["bureau"])
    assert "/publish/" in client.get(f"{LIST}{draft.pk}/").content.decode()
    response = client.post(f"{LIST}{draft.pk}/publish/")
    assert response["Location"] == f"{LIST}{draft.pk}/"
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_by == users["bureau"]
    published_at = draft.published_at
    assert "/publish/" not in client.get(f"{LIST}{draft.pk}/").content.decode()
    # publishing again changes nothing
    client.post(f"{LIST}{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.published_at == published_at
    # now public: an officer sees it
    assert client_as(users["officer_a"]).get(f"{LIST}{draft.pk}/").status_code == 200
