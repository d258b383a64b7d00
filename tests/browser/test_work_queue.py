"""An officer's home page is their work queue: the funds record the bureau returned, with
the reason, one click from the record; the navbar's badge counts the notification, and
opening it reads it."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.periods import current_period
from projects import services
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, IndustryFactory, ProjectFactory
from tests.projects.conftest import pdf_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_finds_the_returned_record_on_the_home_page(
    page, officer_a, bureau_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(
        code="A-1",
        name="甲镇新材料产业园",
        unit=officer_a.unit,
        industry=IndustryFactory(code="NM", name="新材料"),
        stage="constructing",
        signed_on=dt.date(2026, 1, 5),
        started_on=dt.date(2026, 2, 1),
        contract_amount_wan=8000,
    )
    record = services.funds_submit(
        user=officer_a,
        project=project,
        period=current_period(),
        kind="funds",
        amount_wan=Decimal("600"),
        evidence=pdf_upload("回单.pdf"),
    )
    services.funds_reject(record=record, user=bureau_user, reason="银行回单金额与填报不符")

    log_in(page, "officer_a", TEST_PASSWORD)
    queue = page.get_by_test_id("work-queue")
    expect(queue.get_by_role("heading", name="待办事项")).to_be_visible()
    returned = queue.locator('[data-kind="funds_returned"]')
    expect(returned).to_contain_text("被退回：甲镇新材料产业园")
    expect(returned).to_contain_text("银行回单金额与填报不符")
    expect(queue.locator('[data-kind="investment_to_report"]')).to_contain_text("完成投资")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")

    returned.get_by_role("link").click()
    expect(page).to_have_url(f"{page.base_url}{record.get_absolute_url()}")

    page.get_by_test_id("notifications-link").click()
    page.get_by_role("button", name="资金记录被退回").click()
    expect(page).to_have_url(f"{page.base_url}{record.get_absolute_url()}")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert page.console_errors == []


def test_nothing_to_do_says_so(page, officer_b):
    log_in(page, "officer_b", TEST_PASSWORD)
    expect(page.get_by_test_id("work-queue-empty")).to_have_text("没有待办事项")
    assert page.console_errors == []
