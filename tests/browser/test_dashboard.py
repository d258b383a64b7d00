"""The dashboard in Chromium: every chart drawn at desktop and phone widths with no console
error (the Content-Security-Policy holds), a real click on a unit's bar opens that unit's
project list, the key projects board sorts, and screenshots are kept as artifacts.

The county is the hand-built one of the bulletin tests (figures of January to June 2026);
the clock is not frozen here (the browser would see its session cookie as expired), so the
page is asked for June 2026 with live figures."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, open_page
from tests.factories import TEST_PASSWORD
from tests.reports.county import add_key_projects_and_warnings, build_county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUNE = "/dashboard/?source=live&year=2026&month=6"
CHARTS = ["monthly_funds", "units", "funnel", "industries", "origins", "size_classes", "teams"]


@pytest.fixture
def county(unit_a, unit_b, bureau_unit, officer_a):
    figures = build_county(unit_a, unit_b)
    extra = add_key_projects_and_warnings(unit_a, unit_b)
    extra["team"].members.add(officer_a)  # so the officer's page has a team to rank
    return figures


def expect_every_chart_drawn(page) -> None:
    for name in CHARTS:
        chart = page.locator(f'[data-chart="{name}"]')
        expect(chart).to_have_attribute("data-ready", "true")
        expect(chart.locator("canvas").first).to_be_visible()
    expect(page.locator('[data-testid="key-projects"]')).to_have_attribute("data-ready", "true")
    for card in ["funds", "signed", "started", "over-100m", "alerts", "events"]:
        expect(page.locator(f'[data-testid="card-{card}"]')).to_have_attribute("data-ready", "true")


BAR_POSITION = """(unitId) => {
  const element = document.querySelector('[data-chart="units"]');
  element.scrollIntoView({block: "center", behavior: "instant"});  // Bootstrap scrolls smoothly
  const chart = echarts.getInstanceByDom(element);
  const option = chart.getOption();
  for (let s = 0; s < option.series.length; s++) {
    const data = option.series[s].data;
    for (let i = 0; i < data.length; i++) {
      const item = data[i];
      if (item && item.unit && item.unit.unit_id === unitId) {
        const [x, y] = chart.convertToPixel({seriesIndex: s}, [item.value / 2, i]);
        const box = element.getBoundingClientRect();
        return {x: box.left + x, y: box.top + y};
      }
    }
  }
  return null;
}"""


def test_every_chart_on_a_desktop_and_a_click_on_a_units_bar(page, leader, unit_a, county):
    log_in(page, "leader", TEST_PASSWORD)
    page.goto(f"{page.base_url}{JUNE}")
    expect_every_chart_drawn(page)
    funds = page.locator('[data-testid="card-funds"]')
    expect(funds).to_have_attribute("data-pace", "behind")  # 41% of the target at 50% of the year
    expect(funds.locator('[data-field="progress_text"]')).to_have_text("41.0%")
    expect(page.locator('[data-testid="card-signed"] [data-field="count"]')).to_have_text("3")
    events = page.locator('[data-testid="card-events"]')  # no event this year: nothing signed
    expect(events.locator('[data-field="first_signings"]')).to_have_text("0")
    expect(events).to_have_attribute("href", "/events/?year=2026")
    # the data freshness card comes after the page
    expect(
        page.locator('[data-testid="freshness-card"] [data-field="stale_funds"]')
    ).to_be_visible()
    expect(page.locator('[data-testid="key-projects"] tbody tr')).to_have_count(2)
    # every chart offers "save as image" (the ECharts toolbox)
    for name in CHARTS:
        has_toolbox = page.evaluate(
            "(name) => !!echarts.getInstanceByDom(document.querySelector(`[data-chart='${name}']`))"
            ".getOption().toolbox[0].feature.saveAsImage",
            name,
        )
        assert has_toolbox, name

    # the board sorts: by contract amount, largest first (K1 20000, A1 12000), then back
    board = page.locator('[data-testid="key-projects"]')
    board.locator('[data-sort="contract_amount_wan"]').click()
    expect(board.locator("tbody tr").first).to_contain_text("K1")
    board.locator('[data-sort="contract_amount_wan"]').click()
    expect(board.locator("tbody tr").first).to_contain_text("A1")
    page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"), full_page=True)

    position = page.evaluate(BAR_POSITION, unit_a.pk)
    assert position is not None
    page.mouse.click(position["x"], position["y"])
    page.wait_for_url(lambda url: url.endswith(f"/projects/?unit={unit_a.pk}"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)  # A1, A2, A3: the unit's projects
    for code in ("A1", "A2", "A3"):
        expect(page.locator("table tbody")).to_contain_text(code)
    assert not page.console_errors


def test_every_chart_on_a_phone(browser, live_server, leader, officer_a, county):
    for username, cards in (("leader", 7), ("officer_a", 8)):  # a unit's user: their rank too
        page = open_page(browser, live_server.url, width=390, height=844)
        log_in(page, username, TEST_PASSWORD)
        page.goto(f"{page.base_url}{JUNE}")
        expect_every_chart_drawn(page)
        if username == "officer_a":
            expect(page.locator('[data-testid="card-rank"] [data-field="rank"]')).to_have_text("1")
        expect(page.locator(".dash-card:visible")).to_have_count(cards)
        # nothing wider than the phone's screen
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-phone-{username}.png"), full_page=True)
        assert not page.console_errors, page.console_errors
        page.context.close()
