"""The project library in Chromium, as an officer uses it: a reserve project entered by the
form's labels, moved to 推介中, a PDF material uploaded, the promotion catalogue listing it,
then the investor found entered as a lead."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, IndustryFactory
from tests.projects.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_reserve_project_to_lead(page, officer_a, tmp_path):
    IndustryFactory(code="BIO", name="生物医药", is_leading=True)
    log_in(page, "officer_a", TEST_PASSWORD)

    # The library from the navigation; a new reserve project by the form's labels.
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("button", name="招商项目").click()
    nav.get_by_role("link", name="项目库").click()
    expect(page.get_by_role("heading", name="项目库")).to_be_visible()
    page.get_by_role("link", name="新增储备项目").click()
    page.get_by_label("项目名称").fill("甲镇细胞治疗产业化基地")
    page.get_by_label("产业").select_option(label="生物医药")
    page.get_by_label("总投资（万元）").fill("25000")
    page.get_by_label("选址").fill("甲镇生物医药产业园")
    page.get_by_label("项目概况").fill("建设细胞制备中心和质检楼。")
    page.get_by_label("所需条件").fill("寻求细胞治疗企业合作，需用地80亩。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("reserve-status")).to_have_text("储备")
    expect(page.get_by_test_id("total-investment")).to_contain_text("25,000.00（2.5 亿元）")

    # Promoted.
    page.get_by_role("button", name="转为“推介中”").click()
    expect(page.get_by_test_id("reserve-status")).to_have_text("推介中")
    expect(page.get_by_role("button", name="退回“储备”")).to_be_visible()

    # A PDF brochure among its promotion materials.
    page.get_by_role("tab", name="推介材料").click()
    brochure = tmp_path / "项目推介书.pdf"
    brochure.write_bytes(PDF)
    materials = page.locator("#pane-materials")
    materials.get_by_label("标题").fill("项目推介书")
    materials.get_by_label("文件", exact=True).set_input_files(str(brochure))
    materials.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("materials")).to_contain_text("项目推介书")
    reserve_url = page.url.split("?")[0]

    # The catalogue lists it under its chain, in 万元 and 亿元.
    page.goto(f"{page.base_url}/reserve/")
    page.get_by_role("link", name="招商项目册").click()
    expect(page.get_by_test_id("catalogue-title")).to_contain_text("青山县招商项目册")
    chain = page.get_by_test_id("catalogue-chain")
    expect(chain.get_by_test_id("chain-name")).to_have_text("生物医药")
    expect(chain).to_contain_text("甲镇细胞治疗产业化基地")
    expect(chain.get_by_test_id("amount-wan")).to_have_text("25,000.00")
    expect(chain.get_by_test_id("amount-yi")).to_have_text("2.5")
    expect(page.get_by_role("button", name="打印")).to_be_visible()

    # The investor found: a lead pre-filled from the reserve project.
    page.goto(reserve_url)
    page.get_by_role("link", name="转为线索").click()
    expect(page.get_by_label("拟投资项目", exact=True)).to_have_value("甲镇细胞治疗产业化基地")
    expect(page.get_by_label("预计投资额（万元）")).to_have_value("25000.00")
    page.get_by_label("投资企业名称").fill("上海细胞科技有限公司")
    page.get_by_label("法人或关键人").fill("李建国")
    page.get_by_label("电话").fill("13912340001")
    page.get_by_label("来源").select_option(label="展会/推介会")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="上海细胞科技有限公司")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("储备项目已转为线索。")

    page.goto(reserve_url)
    expect(page.get_by_test_id("reserve-status")).to_have_text("已转为线索")
    expect(page.get_by_test_id("reserve-moves")).to_contain_text("上海细胞科技有限公司")
    page.goto(f"{page.base_url}/reserve/catalogue/")
    expect(page.get_by_text("没有符合条件的可推介储备项目。")).to_be_visible()
    assert page.console_errors == []
