"""The pages a new user found unusable, tried at their sizes (issue 19): a laptop's 1280 px
and a phone's 390 px. Nothing falls off the right edge: the navigation fits or wraps, the
verification queue keeps its buttons in view, wide tables scroll in their own box with the
first column held, the monthly entry is one card per project and the filters wait behind
their button."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from core.periods import add_months, current_period, format_period
from targets.models import Target
from teams.choices import UnitKind
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, IndustryFactory, ProjectFactory, UnitFactory
from tests.factories import funds_record as funds
from tests.projects.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def no_sideways_scroll(page) -> None:
    scroll_width, client_width = page.evaluate(PAGE_WIDTH)
    assert scroll_width <= client_width, f"the page is {scroll_width} px wide in {client_width}"


def right_edge(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]


@pytest.fixture
def county_projects(officer_a, unit_a):
    industry = IndustryFactory(code="EQ", name="装备制造")
    projects = [
        ProjectFactory(
            code=f"A-{n}",
            name=f"年产{n}万台高端数控机床及配套零部件智能制造生产线建设项目",
            unit=unit_a,
            industry=industry,
            stage="constructing" if n % 2 else "signed",
            signed_on=dt.date(2026, 1, 5),
            contract_amount_wan=3000,
        )
        for n in range(1, 5)
    ]
    return projects


def test_the_navigation_fits_a_laptop_and_folds_on_a_phone(page, bureau_user):
    page.set_viewport_size(LAPTOP)
    log_in(page, "bureau", TEST_PASSWORD)  # the bureau sees every menu
    for path in ("/funds/queue/", "/projects/"):
        page.goto(f"{page.base_url}{path}")
        nav = page.get_by_role("navigation", name="主导航")
        assert nav.bounding_box()["width"] <= LAPTOP["width"]
        for item in nav.locator(".navbar-brand, .nav-link, .language-switch").all():
            if item.is_visible():
                assert right_edge(item) <= LAPTOP["width"], item.text_content()
        no_sideways_scroll(page)
        expect(nav.get_by_role("link", name="首页")).to_be_visible()
    # in English (longer words) the menu wraps rather than widening the page
    page.get_by_role("button", name="English").click()
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    for item in nav.locator(".nav-link").all():
        assert right_edge(item) <= LAPTOP["width"], item.text_content()
    no_sideways_scroll(page)
    page.get_by_role("button", name="中文").click()
    # a phone: one button opens the menu
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/projects/")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="首页")).to_be_hidden()
    nav.get_by_role("button", name="菜单").click()
    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    no_sideways_scroll(page)


def test_the_verification_queue_keeps_its_buttons_in_view_at_1280(
    page, bureau_user, county_projects, tmp_path
):
    month = add_months(current_period(), -1)
    for project in county_projects:
        record = funds(project, (month.year, month.month), 9000, status="submitted")
        record.flagged = True
        record.flag_reasons = (
            "项目到位资金累计将达 9,000.00 万元，超过协议引资额 3,000.00 万元。；"
            "项目不足 1 亿元，单月到位资金超过 5000 万元。"
        )
        record.note = "投资方追加投资，增资款一次性到账，附银行回单及董事会决议"
        record.save()
    page.set_viewport_size(LAPTOP)
    log_in(page, "bureau", TEST_PASSWORD)
    page.goto(f"{page.base_url}/funds/queue/")
    rows = page.locator("tr[data-record]")
    expect(rows).to_have_count(4)
    for row in rows.all():
        for button in (row.get_by_role("link", name="打开"), row.get_by_role("checkbox")):
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert box["x"] >= 0 and right_edge(button) <= LAPTOP["width"]
        expect(row).to_contain_text(f"{month.year}年{month.month}月")  # not 2026-11
    no_sideways_scroll(page)


def test_the_monthly_entry_on_a_phone_is_one_card_per_project(
    page, officer_a, county_projects, tmp_path
):
    page.set_viewport_size(PHONE)
    log_in(page, "officer_a", TEST_PASSWORD)
    month = format_period(add_months(current_period(), -1))
    page.goto(f"{page.base_url}/funds/entry/?period={month}")
    no_sideways_scroll(page)
    inputs = page.locator("table.funds-entry input:not([type=hidden])")
    assert inputs.count() >= 4 * 3  # funds, evidence, note (and investment when building)
    for field in inputs.all():
        field.scroll_into_view_if_needed()
        box = field.bounding_box()
        assert box["x"] >= 0 and right_edge(field) <= PHONE["width"], field.get_attribute("name")
    # every project is a card with its name above its inputs
    card = page.locator('tr[data-project="A-2"]')
    name_box = card.locator("th").bounding_box()
    funds_box = card.get_by_label("到位资金（万元）").bounding_box()
    assert funds_box["y"] > name_box["y"] + name_box["height"] - 1
    assert funds_box["width"] > PHONE["width"] * 0.7  # the whole card's width
    # 保存并提交 stays on screen while the first project is being entered
    page.evaluate("window.scrollTo(0, 0)")
    save = page.get_by_role("button", name="保存并提交")
    expect(save).to_be_in_viewport()
    evidence = tmp_path / "回单.pdf"
    evidence.write_bytes(PDF)
    card.get_by_label("到位资金（万元）").fill("120")
    card.get_by_label("凭证").set_input_files(str(evidence))
    card.get_by_label("说明").fill("首笔设备款")
    expect(save).to_be_in_viewport()
    save.click()
    expect(page.get_by_text("已提交 1 条记录待核验")).to_be_visible()
    expect(page.locator('tr[data-project="A-2"]')).to_contain_text("待核验")


def test_wide_tables_hold_their_first_column_and_scroll_in_their_own_box(page, bureau_user):
    park = UnitFactory(code="PK", name="县经济技术开发区", kind=UnitKind.PARK)
    town = UnitFactory(code="TW", name="城关镇", kind=UnitKind.TOWNSHIP)
    for unit in (None, park, town):
        Target.objects.create(year=2026, metric="funds", value=1000, unit=unit)
    page.set_viewport_size(PHONE)
    log_in(page, "bureau", TEST_PASSWORD)
    page.goto(f"{page.base_url}/targets/progress/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("年1")  # "2026年1—11月", not "2026-01 – 2026-11"
    assert "-01" not in heading.text_content()
    no_sideways_scroll(page)  # 进度总表 was 2132 px wide at every width
    box = page.locator(".table-responsive:has(table.progress-table)")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls within itself
    first = page.locator(f'table.progress-table tr[data-owner="{town.pk}"] > th')
    second = page.locator(f'table.progress-table tr[data-owner="{town.pk}"] > td').first
    before, second_before = first.bounding_box(), second.bounding_box()
    box.evaluate("e => { e.scrollLeft = 400 }")
    page.wait_for_function(
        "() => document.querySelector('.table-responsive:has(table.progress-table)').scrollLeft > 0"
    )
    after = first.bounding_box()
    assert second.bounding_box()["x"] < second_before["x"] - 100  # the figures moved
    assert abs(after["x"] - before["x"]) <= 2  # the unit did not (its border tucks in)
    expect(first).to_be_in_viewport()
    expect(first).to_contain_text("城关镇")
    # the cell drawn over the first column is the unit's own
    x, y = after["x"] + 8, after["y"] + after["height"] / 2
    assert (
        page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent || ''", [x, y]
        )
        .strip()
        .startswith("城关镇")
    )
    no_sideways_scroll(page)


def test_the_filters_wait_behind_their_button_on_a_phone(page, officer_a, county_projects):
    page.set_viewport_size(PHONE)
    log_in(page, "officer_a", TEST_PASSWORD)
    page.goto(f"{page.base_url}/projects/")
    filters = page.get_by_role("search")
    toggle = page.get_by_test_id("filter-toggle")
    expect(filters).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("筛选")
    # the list comes first: its first row is on the first screen
    expect(page.locator("tbody tr").first).to_be_in_viewport()
    toggle.click()
    expect(filters).to_be_visible()
    filters.get_by_label("搜索").fill("数控机床")
    filters.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("active-filters")).to_have_text("1")
    expect(page.get_by_role("search")).to_be_hidden()
    no_sideways_scroll(page)
    # a list's rows are cards: each cell with its column's name
    card = page.locator("tbody tr").first
    expect(page.locator("thead").first).to_be_hidden()
    label = card.locator("td").nth(1).evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"项目名称"'
    assert card.bounding_box()["width"] <= PHONE["width"]
    # on a laptop the filters show and the button does not
    page.set_viewport_size(LAPTOP)
    expect(page.get_by_role("search")).to_be_visible()
    expect(toggle).to_be_hidden()
