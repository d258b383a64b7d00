import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_page
from tests.factories import TEST_PASSWORD, IndustryFactory
from tests.projects.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_lead(page, company: str, phone: str) -> None:
    page.goto(f"{page.base_url}/leads/new/")
    page.get_by_label("投资企业名称").fill(company)
    page.get_by_label("法人或关键人").fill("刘建华")
    page.get_by_label("职务").fill("董事长")
    page.get_by_label("电话").fill(phone)
    page.get_by_label("拟投资项目", exact=True).fill("高端医疗器械生产基地")
    page.get_by_label("预计投资额（万元）").fill("15000")
    page.get_by_label("产业").select_option(label="生物医药")
    page.get_by_label("来源").select_option(label="展会/推介会")


def test_from_lead_to_signed_project(page, browser, live_server, officer_a, bureau_user, tmp_path):
    IndustryFactory(code="BIO", name="生物医药", is_leading=True)
    log_in(page, "officer_a", TEST_PASSWORD)

    # A first lead, entered by the form's labels.
    fill_lead(page, "苏州康联医疗器械有限公司", "13912345678")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="苏州康联医疗器械有限公司")).to_be_visible()

    # A second lead of the same company, written differently: the duplicate is shown.
    fill_lead(page, "苏州康联医疗器械（集团）有限责任公司".replace("（集团）", ""), "0512-66668888")
    page.get_by_role("button", name="保存").click()
    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_contain_text("全县已有疑似重复的线索")
    expect(warning).to_contain_text("甲镇")
    page.get_by_role("link", name="取消").click()

    # Convert the first lead into a project.
    page.goto(f"{page.base_url}/leads/")
    page.get_by_role("link", name="苏州康联医疗器械有限公司").click()
    page.get_by_role("link", name="转为项目").click()
    expect(page.get_by_label("项目名称")).to_have_value("高端医疗器械生产基地")
    page.get_by_label("用地（亩）").fill("80")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("stage")).to_have_text("在谈")
    expect(page.get_by_test_id("size-class")).to_have_text("亿元以上")

    # Upload the contract; the to-do list says what signing still needs.
    page.get_by_role("tab", name="文件").click()
    contract = tmp_path / "投资合同.pdf"
    contract.write_bytes(PDF)
    page.locator("#pane-documents").get_by_label("文件", exact=True).set_input_files(str(contract))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#pane-documents")).to_contain_text("待备案")
    page.get_by_role("tab", name="概况").click()
    todo = page.get_by_test_id("todo")
    expect(todo).to_contain_text("经招商局备案的合同")
    page.get_by_label("转入阶段").select_option(label="签约")
    page.get_by_label("发生日期").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="变更阶段").click()
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_contain_text(
        "缺少：经招商局备案的合同"
    )
    project_url = page.url.split("/stage/")[0] + "/"
    assert page.console_errors == []

    # The bureau files the contract and moves the project to 签约.
    bureau = open_page(browser, page.base_url)
    log_in(bureau, "bureau", TEST_PASSWORD)
    bureau.goto(project_url + "?tab=documents")
    bureau.get_by_role("button", name="备案", exact=True).click()
    expect(bureau.locator("#pane-documents")).to_contain_text("已备案")
    bureau.get_by_role("tab", name="概况").click()
    expect(bureau.get_by_test_id("todo")).to_contain_text("条件已齐备")
    bureau.get_by_label("转入阶段").select_option(label="签约")
    bureau.get_by_role("button", name="变更阶段").click()
    expect(bureau.get_by_test_id("stage")).to_have_text("签约")
    bureau.get_by_role("tab", name="阶段记录").click()
    expect(bureau.locator("#pane-timeline")).to_contain_text("在谈 → 签约")
