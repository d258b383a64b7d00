"""The monthly bulletin in Chromium (issue 7): the bureau starts a build, watches its progress
bar reach the end while a real Celery worker runs the task, reads the bulletin, publishes it
and downloads its workbook. Page, JSON and workbook hold the same figures, those worked out by
hand for the county of tests/reports/county.py (tests/reports/test_bulletin.py)."""

import re
from decimal import Decimal

import pytest
from django.utils.timezone import localdate
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.models import Job, JobStatus
from projects.choices import STAGE_ORDER
from reports.models import Report
from tests.browser.conftest import ARTIFACTS, log_in
from tests.factories import TEST_PASSWORD
from tests.reports.county import add_key_projects_and_warnings, build_county

# transaction=True: the live server's thread and the worker's thread read committed rows
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal

# Records every state the progress bar shows (the job page leaves for the bulletin as soon
# as the job succeeds, too fast to catch 100% by polling the page from the test).
WATCH_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.querySelector('#job [data-role="bar"]');
  if (!bar) return;
  const fill = bar.querySelector('[data-role="fill"]');
  const report = () =>
    window.recordProgress(bar.getAttribute("aria-valuenow"), fill.style.width, fill.textContent);
  report();
  new MutationObserver(report).observe(bar, {
    attributes: true, childList: true, characterData: true, subtree: true,
  });
});
"""


@pytest.fixture
def gate(tmp_path, settings):
    """While this file exists the build waits at 20% (reports.tasks' test hook)."""
    path = tmp_path / "gate"
    path.touch()
    settings.REPORTS_BUILD_GATE = str(path)  # read by the worker thread at run time
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def county(unit_a, unit_b, bureau_unit, bureau_user):
    build_county(unit_a, unit_b)
    add_key_projects_and_warnings(unit_a, unit_b)


def row_cells(row) -> list[str]:
    return [text.strip() for text in row.locator("th, td").all_inner_texts()]


def test_bureau_builds_watches_publishes_and_downloads_the_bulletin(
    county, celery_worker, gate, page, tmp_path, bureau_unit
):
    shown = []
    page.expose_function("recordProgress", lambda *state: shown.append(state))
    page.add_init_script(WATCH_PROGRESS)

    log_in(page, "bureau", TEST_PASSWORD)
    navigation = page.get_by_role("navigation", name="主导航")
    navigation.get_by_role("button", name="通报与调度").click()
    navigation.get_by_role("link", name="月度通报").click()
    expect(page.get_by_role("heading", name="月度通报", level=1)).to_be_visible()
    expect(page.get_by_text("暂无通报")).to_be_visible()
    page.get_by_label("月份").fill("2026-06")
    page.get_by_role("button", name="生成").click()

    # the job page: the worker has taken the task and waits half way
    expect(page).to_have_url(re.compile(r"/reports/jobs/\d+/$"))
    job = Job.objects.get()
    bar = page.get_by_role("progressbar", name="进度")
    expect(bar).to_have_attribute("aria-valuenow", "20", timeout=30_000)
    expect(bar).to_have_text("20%")
    assert job.params["period"] == "2026-06"
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.RUNNING, 20)
    assert not Report.objects.exists()

    gate.unlink()  # the build goes on: the bar fills, then the bulletin opens
    page.wait_for_url(re.compile(r"/reports/monthly/\d+/$"), timeout=30_000)
    progress = [int(value) for value, _width, _text in shown]
    assert progress == sorted(progress) and 20 in progress and progress[-1] == 100, shown
    assert shown[-1] == ("100", "100%", "100%")
    job.refresh_from_db()
    report = Report.objects.get()
    assert (job.status, job.result["report_id"]) == (JobStatus.SUCCEEDED, report.pk)
    assert page.url.endswith(f"/reports/monthly/{report.pk}/")

    # the bulletin as the bureau reads it, against its JSON
    api = page.request.get(f"{page.base_url}/api/v1/reports/monthly/{report.pk}/")
    assert api.status == 200
    figures = api.json()["figures"]
    assert api.json()["status"] == "draft"
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026年6月")
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    headline = "1-6月份全县到位资金0.4亿元，完成年度任务的41.0%，同比增长173.3%"
    expect(page.get_by_test_id("headline")).to_have_text(headline)
    assert figures["headline"] == headline

    totals = page.get_by_test_id("totals")
    funds_row = row_cells(totals.locator("tbody tr").filter(has_text="到位资金").first)
    assert funds_row == ["到位资金", "2,900.00", "4,100.00"]  # June; January to June
    assert (figures["funds"]["month_wan"], figures["funds"]["cumulative_wan"]) == (
        "2900.00",
        "4100.00",
    )
    units = page.get_by_test_id("units")
    township_a = row_cells(units.locator(f'tr[data-unit="{county_unit_id(figures, "UA")}"]'))
    # 甲镇: 1600 of 4000 (40.0%) against 50.0% of the year gone: behind, first of the townships
    assert township_a[:7] == ["甲镇", "1,600.00", "4,000.00", "40.0%", "50.0%", "滞后", "1"]
    json_a = unit_figures(figures, "UA")
    # then its projects by stage (在谈 签约 开工 在建 竣工 投产), as the JSON holds them
    assert township_a[7:] == ["0", "2", "0", "1", "0", "0"]
    assert township_a[7:] == [str(json_a["stages"][stage]) for stage in STAGE_ORDER]
    assert (json_a["funds_wan"], json_a["target_wan"], json_a["progress"], json_a["rank"]) == (
        "1600.00",
        "4000.00",
        "0.4000",
        1,
    )
    subtotal = row_cells(units.locator('tr[data-subtotal="township"]'))
    assert subtotal[:7] == ["小计", "1,950.00", "6,000.00", "32.5%", "50.0%", "", ""]
    key_projects = page.get_by_test_id("key-projects").locator("tbody tr")
    expect(key_projects).to_have_count(2)  # A1 and K1 (K2 is terminated)
    a1 = row_cells(key_projects.filter(has_text="A1"))
    # A1: 12000 signed; 1000 − 200 (a correction) + 500 in June; 800 invested in June; no
    # 包保 leader; two blockers open
    assert a1[:1] + a1[3:] == ["A1", "在建", "12,000.00", "1,300.00", "800.00", "", "2"]
    json_a1 = next(p for p in figures["key_projects"] if p["code"] == "A1")
    assert (json_a1["contract_amount_wan"], json_a1["funds_to_date_wan"]) == ("12000.00", "1300.00")
    expect(page.get_by_test_id("warnings")).to_contain_text('=HYPERLINK("http://x","点我")')

    # publishing asks first: what is still open in January–June, then a note
    page.get_by_role("link", name="发布").click()
    pending = page.get_by_test_id("pending")
    expect(pending).to_contain_text("其月份中尚未办结")
    expect(pending).to_contain_text("2026年1—6月 有 2 条资金记录待核验")
    expect(pending).to_contain_text("2 个单位尚未报送 2026年6月：甲镇、乙镇")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("请说明在上述事项办结前发布的原因。")).to_be_visible()
    assert not Report.objects.get(pk=report.pk).is_published
    page.get_by_label("发布说明").fill("两镇6月数据延后报送，先行通报")
    page.get_by_label("上述事项尚未办结，仍然发布").check()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("通报已发布。")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已发布")
    expect(page.get_by_test_id("published-with")).to_contain_text("两镇6月数据延后报送，先行通报")
    expect(page.get_by_role("link", name="发布")).to_have_count(0)
    report.refresh_from_db()
    assert report.is_published and report.figures == figures  # frozen as it was
    assert page.request.get(api.url).json()["status"] == "published"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bulletin-published.png"), full_page=True)

    # the workbook: the same figures as the page and the JSON
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 Excel").click()
    download = download_info.value
    assert download.suggested_filename == "青山县招商引资工作通报（2026年1—6月）.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path)
    cover, totals_sheet, units_sheet, keys_sheet = book.worksheets[:4]
    assert cover["A1"].value == "青山县招商引资工作通报（2026年1—6月）"
    # issued by the bureau on the day it was published; the second half's sentences follow
    assert cover["A2"].value == f"{bureau_unit.name} {localdate(report.published_at).isoformat()}"
    assert cover["A5"].value == "1-6月份全县完成投资0.1亿元"  # A1's 800
    assert cover["A4"].value == headline
    assert (totals_sheet["B3"].value, totals_sheet["C3"].value) == (2900, 4100)
    assert totals_sheet["C3"].number_format == "#,##0.00"
    row = next(r for r in units_sheet.iter_rows(min_row=3) if r[1].value == "甲镇")
    assert [c.value for c in row[2:6]] == [1600, 4000, 0.4, 0.5]
    assert (row[6].value, row[7].value) == ("是", 1)
    keys = {r[0].value: [c.value for c in r] for r in keys_sheet.iter_rows(min_row=3)}
    assert sorted(keys) == ["A1", "K1"]
    assert keys["A1"][3:] == ["在建", 12000, 1300, 800, None, 2]

    # the list now shows the published version
    navigation = page.get_by_role("navigation", name="主导航")
    navigation.get_by_role("button", name="通报与调度").click()
    navigation.get_by_role("link", name="月度通报").click()
    expect(page.locator(f'tr[data-report="{report.pk}"]')).to_contain_text("已发布")
    assert page.console_errors == []


def unit_figures(figures: dict, code: str) -> dict:
    return next(
        unit for group in figures["unit_groups"] for unit in group["units"] if unit["code"] == code
    )


def county_unit_id(figures: dict, code: str) -> int:
    return unit_figures(figures, code)["unit_id"]
