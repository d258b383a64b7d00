import datetime as dt

import pytest
from playwright.sync_api import expect

from core.periods import add_months, current_period, format_period
from projects.models import FundsRecord
from tests.browser.conftest import log_in, open_page
from tests.factories import TEST_PASSWORD, IndustryFactory, ProjectFactory
from tests.projects.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_month_entry_verification_and_resubmission(page, browser, officer_a, bureau_user, tmp_path):
    industry = IndustryFactory(code="EQ", name="装备制造")
    for code, amount in [("A-1", 20000), ("A-2", 8000), ("A-3", 3000)]:
        ProjectFactory(
            code=code,
            name=f"项目{code}",
            unit=officer_a.unit,
            industry=industry,
            stage="signed",
            signed_on=dt.date(2026, 1, 5),
            contract_amount_wan=amount,
        )
    month = format_period(add_months(current_period(), -1))
    evidence = tmp_path / "回单.pdf"
    evidence.write_bytes(PDF)

    log_in(page, "officer_a", TEST_PASSWORD)
    page.goto(f"{page.base_url}/funds/entry/?period={month}")
    amounts = {"A-1": "1200", "A-2": "6000", "A-3": "500"}  # over 5000 under 1亿元
    for code, amount in amounts.items():
        row = page.locator(f'tr[data-project="{code}"]')
        row.get_by_label("到位资金（万元）").fill(amount)
        row.get_by_label("凭证").set_input_files(str(evidence))
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_text("未保存任何记录")).to_be_visible()
    row = page.locator('tr[data-project="A-2"]')
    expect(row.get_by_test_id("line-error")).to_contain_text("单月到位资金超过 5000 万元")
    expect(page.locator('tr[data-project="A-1"]').get_by_label("到位资金（万元）")).to_have_value(
        "1200"
    )
    row.get_by_label("确认异常金额").check()
    for code in amounts:  # browsers never keep chosen files
        page.locator(f'tr[data-project="{code}"]').get_by_label("凭证").set_input_files(
            str(evidence)
        )
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_text("已提交 3 条记录待核验")).to_be_visible()
    assert FundsRecord.objects.filter(status="submitted").count() == 3
    assert FundsRecord.objects.get(project__code="A-2").flagged

    bureau = open_page(browser, page.base_url)
    log_in(bureau, "bureau", TEST_PASSWORD)
    bureau.goto(f"{page.base_url}/funds/queue/")
    expect(bureau.locator("tbody tr.table-warning").first).to_contain_text("A-2")
    # The evidence loads when its row is opened, not with the queue.
    frame = bureau.locator("iframe.evidence-frame").first
    assert frame.get_attribute("src") is None
    bureau.locator("tbody tr.table-warning").first.get_by_role("button", name="查看").click()
    expect(frame).to_be_visible()
    assert frame.get_attribute("src").startswith("/files/evidence/")
    bureau.get_by_role("checkbox", name="选择 A-3").check()
    bureau.get_by_label("退回原因").fill("回单金额与系统不符")
    # Returning and verifying ask first; answered "cancel", nothing happens.
    asked = []
    bureau.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    bureau.get_by_role("button", name="退回所选").click()
    expect(bureau.get_by_role("checkbox", name="选择 A-3")).to_be_checked()
    assert asked == ["将所选记录退回所属单位吗？"]
    assert FundsRecord.objects.get(project__code="A-3").status == "submitted"
    bureau.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    bureau.get_by_role("button", name="退回所选").click()
    expect(bureau.get_by_text("1 条记录已退回")).to_be_visible()
    bureau.get_by_role("checkbox", name="选择 A-1").check()
    bureau.get_by_role("checkbox", name="选择 A-2").check()
    bureau.get_by_role("button", name="核验所选").click()
    expect(bureau.get_by_text("2 条记录已核验")).to_be_visible()
    assert asked[-1] == "核验所选记录吗？核验后的记录计入各项统计，且不可更改。"

    page.goto(f"{page.base_url}/funds/entry/?period={month}")
    row = page.locator('tr[data-project="A-3"]')
    expect(row.get_by_test_id("reject-reason")).to_have_text("回单金额与系统不符")
    row.get_by_label("到位资金（万元）").fill("450")
    row.get_by_label("凭证").set_input_files(str(evidence))
    page.get_by_role("button", name="保存并提交").click()
    expect(page.get_by_text("已提交 1 条记录待核验")).to_be_visible()
    resubmitted = FundsRecord.objects.get(project__code="A-3")
    assert (resubmitted.status, str(resubmitted.amount_wan)) == ("submitted", "450.00")
    assert page.console_errors == [] and bureau.console_errors == []
