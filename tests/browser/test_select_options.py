import pytest
from playwright.sync_api import expect

from core import forms as core_forms
from core import options
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, IndustryFactory, ProjectFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_unit_filter_loads_the_units_one_types(
    page, bureau_user, unit_a, unit_b, monkeypatch
):
    monkeypatch.setattr(core_forms, "MAX_RENDERED_CHOICES", 3)  # four units count as long
    monkeypatch.setattr(options, "OPTIONS_SHOWN", 2)  # and two fill the dropdown
    UnitFactory(code="UC", name="丙镇")
    industry = IndustryFactory(code="BIO", name="生物医药")
    ProjectFactory(name="甲镇生物医药产业园", unit=unit_a, industry=industry)
    ProjectFactory(name="乙镇新材料产业园", unit=unit_b, industry=industry)
    log_in(page, "bureau", TEST_PASSWORD)

    page.goto(f"{page.base_url}/projects/")
    unit_box = page.locator("#id_unit-ts-control").locator("..")  # Tom Select's box
    unit_box.click()
    dropdown = page.locator("#id_unit-ts-dropdown")
    # On focus, the first units: the bureau and 甲镇.
    expect(dropdown.get_by_role("option", name="甲镇")).to_be_visible()
    expect(dropdown.get_by_role("option", name="乙镇")).to_have_count(0)
    page.keyboard.type("乙")
    dropdown.get_by_role("option", name="乙镇").click()
    page.get_by_role("button", name="筛选").click()

    expect(page.get_by_role("link", name="乙镇新材料产业园")).to_be_visible()
    expect(page.get_by_role("link", name="甲镇生物医药产业园")).to_have_count(0)
    assert f"unit={unit_b.pk}" in page.url
    page.reload()
    expect(unit_box.locator(".item")).to_have_text("乙镇")
    assert page.console_errors == []
