"""Importing an old ledger in Chromium (issue 17), as the bureau does it: upload a file whose
odd column is not recognised, map it by hand, watch the preview, read each row's outcome,
confirm, watch the import run on a real Celery worker, and find the projects."""

import re
from io import BytesIO

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, IndustryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ledger_file(path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["甲镇招商项目台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(["工程名", "责任单位", "产业", "合同金额（亿元）", "项目进度"])
    sheet.append(["新能源电机项目", "甲镇", "装备制造", 2, "在谈"])
    sheet.append(["光伏组件项目", "甲镇", "装备制造", "0.5", "在谈"])
    sheet.append(["包装材料项目", "甲镇", "装备制造", "3,000万元", "在谈"])
    output = BytesIO()
    book.save(output)
    path.write_bytes(output.getvalue())


def test_bureau_uploads_maps_previews_confirms_and_finds_the_projects(
    celery_worker, page, bureau_user, unit_a, tmp_path
):
    IndustryFactory(code="ZB", name="装备制造")
    path = tmp_path / "甲镇项目台账.xlsx"
    ledger_file(path)
    log_in(page, "bureau", TEST_PASSWORD)
    navigation = page.get_by_role("navigation", name="主导航")
    navigation.get_by_role("button", name="项目").click()
    navigation.get_by_role("link", name="台账导入").click()
    expect(page.get_by_role("heading", name="台账导入", level=1)).to_be_visible()

    page.get_by_label("台账内容").select_option(label="项目（项目台账）")
    page.get_by_label("台账文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并识别表头").click()
    expect(page).to_have_url(re.compile(r"/ledgers/\d+/$"))
    # 工程名 is no common header: the bureau says it is the project name
    expect(page.get_by_label("工程名")).to_have_value("")
    expect(page.get_by_label("合同金额(亿元)")).to_have_value("contract_amount_wan")
    page.get_by_label("工程名").select_option(label="项目名称")
    page.get_by_role("button", name="预览").click()

    # the preview runs on the worker, then the page shows each row
    rows = page.get_by_test_id("preview-rows").locator("tbody tr")
    expect(rows).to_have_count(3, timeout=30_000)
    expect(page.get_by_test_id("outcomes").locator('[data-outcome="new"]')).to_have_text("3")
    expect(page.locator('tr[data-row="5"]')).to_contain_text("包装材料项目")
    assert not Project.objects.exists()  # nothing written before the confirmation

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("result")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("status")).to_have_text("已导入")
    amounts = dict(Project.objects.values_list("name", "contract_amount_wan"))
    assert {name: str(amount) for name, amount in amounts.items()} == {
        "新能源电机项目": "20000.00",
        "光伏组件项目": "5000.00",
        "包装材料项目": "3000.00",
    }
    page.goto(f"{page.base_url}/projects/?search=包装材料")
    expect(page.locator("table tbody")).to_contain_text("包装材料项目")
    assert page.console_errors == []
