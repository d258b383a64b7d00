import pytest
from playwright.sync_api import expect

from targets.models import Target
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_gap_follows_the_numbers_as_they_are_typed(page, bureau_user, unit_a, unit_b):
    log_in(page, "bureau", TEST_PASSWORD)
    page.goto(f"{page.base_url}/targets/?year=2026&kind=unit")
    gap = page.locator('[data-gap="funds"]')
    county = page.locator('tr[data-owner="total"] input[data-metric="funds"]')
    county.fill("1000")
    page.locator('tr[data-owner="UA"] input[data-metric="funds"]').fill("300")
    page.locator('tr[data-owner="UB"] input[data-metric="funds"]').fill("450.5")
    expect(page.locator('[data-sum="funds"]')).to_have_text("750.50")
    expect(page.locator('[data-total="funds"]')).to_have_text("1,000.00")
    expect(gap).to_have_attribute("data-status", "under")
    expect(gap.locator(".gap-value")).to_have_text("249.50")
    page.locator('tr[data-owner="UB"] input[data-metric="funds"]').fill("1200")
    expect(gap).to_have_attribute("data-status", "over")
    expect(gap.locator(".gap-value")).to_have_text("500.00")
    page.locator('tr[data-owner="UB"] input[data-metric="funds"]').fill("700")
    expect(gap).to_have_attribute("data-status", "even")
    page.locator('tr[data-owner="UA"] input[data-metric="projects_signed"]').fill("3")
    expect(page.locator('[data-sum="projects_signed"]')).to_have_text("3")

    page.locator("form:has(table[data-decomposition]) button[type=submit]").click()
    expect(page.locator('[data-gap="funds"]')).to_have_attribute("data-status", "even")
    assert Target.objects.get(unit=unit_b, metric="funds").value == 700
    assert not page.console_errors  # the script runs under the Content-Security-Policy
