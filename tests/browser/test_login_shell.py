import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_sees_chinese_navigation_and_switches_to_english(page, officer_a):
    log_in(page, "officer_a", TEST_PASSWORD)
    expect(page.get_by_role("heading", name="欢迎，甲专员")).to_be_visible()
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    nav.get_by_role("button", name="管理").click()
    expect(nav.get_by_role("link", name="API 文档")).to_be_visible()
    expect(nav.get_by_role("link", name="账号管理")).to_have_count(0)
    expect(nav.get_by_role("link", name="单位管理")).to_have_count(0)

    page.get_by_role("button", name="English").click()
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(page.get_by_role("heading", name="Welcome, 甲专员")).to_be_visible()
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    # The choice persists to the next page.
    page.goto(f"{page.base_url}/password/")
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    assert page.console_errors == []


def test_a_locked_out_user_sees_the_message(page, officer_a):
    for _ in range(5):
        log_in(page, "officer_a", "not-my-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("已锁定 30 分钟")
    log_in(page, "officer_a", TEST_PASSWORD)
    expect(page.get_by_test_id("login-error")).to_contain_text("已锁定 30 分钟")
    expect(page).to_have_url(f"{page.base_url}/login/")


def test_the_bureau_creates_an_account_on_a_phone(page, bureau_user, unit_a):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "bureau", TEST_PASSWORD)
    page.goto(f"{page.base_url}/accounts/new/")
    page.get_by_label("用户名").fill("phone_user")
    page.get_by_label("姓名").fill("手机用户")
    page.get_by_label("角色").select_option("officer")
    page.get_by_label("单位").select_option(str(unit_a.pk))
    page.get_by_label("密码", exact=True).fill("Mobile-entry-2026")
    page.get_by_label("确认密码").fill("Mobile-entry-2026")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="手机用户")).to_be_visible()
    page.get_by_role("tab", name="历史记录").click()
    expect(page.locator("#pane-history")).to_contain_text("创建")
    assert page.console_errors == []


def test_api_docs_render_from_vendored_assets(page, officer_a):
    log_in(page, "officer_a", TEST_PASSWORD)
    external = []
    page.on("request", lambda r: r.url.startswith(page.base_url) or external.append(r.url))
    page.goto(f"{page.base_url}/api/docs/")
    expect(page.get_by_role("heading", name="招商引资项目管理平台 API")).to_be_visible()
    expect(page.get_by_text("/api/v1/units/").first).to_be_visible()
    assert external == []
