"""The monthly ledger: validation, confirmation, verification, corrections, immutability,
optimistic locking, and that only verified money counts."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum

from core.periods import parse_period
from projects import services
from projects.models import FundsRecord
from projects.selectors import funds_entry_rows, project_ledger, unit_month_status
from tests.factories import ProjectFactory
from tests.projects.conftest import pdf_upload

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        yield


@pytest.fixture
def signed(unit_a, industry):
    return ProjectFactory(
        unit=unit_a,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 1, 10),
        contract_amount_wan=8000,
        code="S-1",
    )


@pytest.fixture
def building(unit_a, industry):
    return ProjectFactory(
        unit=unit_a,
        industry=industry,
        stage="constructing",
        signed_on=dt.date(2025, 6, 1),
        started_on=dt.date(2025, 9, 1),
        contract_amount_wan=20000,
        code="S-2",
    )


def submit(user, project, amount, period=OCT, kind="funds", **extra):
    extra.setdefault("evidence", pdf_upload() if kind == "funds" and amount > 0 else None)
    return services.funds_submit(
        user=user,
        project=project,
        period=period,
        kind=kind,
        amount_wan=Decimal(str(amount)),
        **extra,
    )


def errors_of(call) -> dict:
    with pytest.raises(services.ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_a_future_month_is_refused(officer_a, signed):
    errors = errors_of(lambda: submit(officer_a, signed, 100, period=dt.date(2026, 12, 1)))
    assert errors["period"] == ["不能填报未来的月份。"]


def test_only_live_projects_report_and_investment_needs_a_start(
    officer_a, signed, unit_a, industry
):
    negotiating = ProjectFactory(unit=unit_a, industry=industry, stage="negotiating")
    assert "project" in errors_of(lambda: submit(officer_a, negotiating, 100))
    assert "project" in errors_of(lambda: submit(officer_a, signed, 100, kind="investment"))


def test_negative_only_in_a_correction_with_a_reason(officer_a, bureau_user, signed):
    assert errors_of(lambda: submit(officer_a, signed, -5))["amount_wan"] == [
        "金额不能为负数（更正除外）。"
    ]
    record = submit(officer_a, signed, 300)
    services.funds_verify(record=record, user=bureau_user)
    errors = errors_of(lambda: submit(officer_a, signed, -50, corrects=record))
    assert errors["note"] == ["请填写更正原因。"]
    correction = submit(officer_a, signed, -50, corrects=record, note="银行退回 50 万元")
    assert (correction.status, correction.amount_wan) == ("submitted", Decimal("-50"))


def test_funds_need_evidence(officer_a, signed):
    errors = errors_of(lambda: submit(officer_a, signed, 100, evidence=None))
    assert errors["evidence"] == ["请上传银行回单等凭证。"]


def test_two_decimals_at_most_on_the_page(client_as, officer_a, signed):
    response = client_as(officer_a).post(
        "/funds/entry/?period=2026-10",
        {
            f"p{signed.pk}-funds": "100.123",
        },
    )
    assert "确认小数不超过 2 位" in response.content.decode()
    assert not FundsRecord.objects.exists()


def test_unusual_amounts_need_a_confirmation_and_are_flagged(officer_a, signed, building):
    # Above the contract amount (8000) in total, and over 5000 in one month (under 1亿元).
    with pytest.raises(services.NeedsConfirmation) as needs:
        submit(officer_a, signed, 8500)
    assert len(needs.value.reasons) == 2
    assert "超过协议引资额 8,000.00 万元" in needs.value.reasons[0]
    assert needs.value.reasons[1] == "项目不足 1 亿元，单月到位资金超过 5000 万元。"
    record = submit(officer_a, signed, 8500, confirm=True)
    assert record.flagged and "5000" in record.flag_reasons
    ordinary = submit(officer_a, building, 4000)
    assert not ordinary.flagged
    with pytest.raises(services.NeedsConfirmation):  # 8500 + 100 is still above 8000
        submit(officer_a, signed, 100, period=dt.date(2026, 9, 1))


def test_the_bureau_verifies_or_returns_and_the_unit_resubmits(officer_a, bureau_user, signed):
    record = submit(officer_a, signed, 300)
    with pytest.raises(PermissionDenied):
        services.funds_verify(record=record, user=officer_a)
    assert "reject_reason" in errors_of(
        lambda: services.funds_reject(record=record, user=bureau_user, reason=" ")
    )
    services.funds_reject(record=record, user=bureau_user, reason="回单金额不符")
    record.refresh_from_db()
    assert (record.status, record.reject_reason) == ("rejected", "回单金额不符")
    again = submit(officer_a, signed, 280, record=record, version=record.version)
    assert (again.status, again.reject_reason, again.amount_wan) == ("submitted", "", 280)
    services.funds_verify(record=again, user=bureau_user)
    assert FundsRecord.objects.get().status == "verified"


def test_a_verified_record_never_changes(officer_a, bureau_user, signed):
    record = submit(officer_a, signed, 300)
    services.funds_verify(record=record, user=bureau_user)
    with pytest.raises(services.ValidationError) as refused:
        submit(officer_a, signed, 999, record=record)
    assert refused.value.messages == ["已核验的记录不能修改，请填报更正记录。"]
    # Not through the ORM, nor raw SQL: the database refuses.
    with pytest.raises(IntegrityError), transaction.atomic():
        FundsRecord.objects.filter(pk=record.pk).update(amount_wan=999)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundsRecord.objects.filter(pk=record.pk).delete()
    record.refresh_from_db()
    assert record.amount_wan == 300


def test_the_admin_cannot_change_a_verified_record(client_as, officer_a, bureau_user, signed):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True, unit=None)
    record = submit(officer_a, signed, 300)
    services.funds_verify(record=record, user=bureau_user)
    client = client_as(root)
    page = client.get(f"/admin/projects/fundsrecord/{record.pk}/change/")
    assert page.status_code == 200 and b'name="amount_wan"' not in page.content
    client.post(f"/admin/projects/fundsrecord/{record.pk}/change/", {"amount_wan": "1"})
    assert client.post(f"/admin/projects/fundsrecord/{record.pk}/delete/").status_code == 403
    record.refresh_from_db()
    assert record.amount_wan == 300


def test_a_stale_save_is_refused(officer_a, unit_head_a, signed):
    record = submit(officer_a, signed, 300)
    seen = record.version
    submit(unit_head_a, signed, 310, record=record, version=seen)
    with pytest.raises(services.StaleRecord):
        submit(officer_a, signed, 320, record=record, version=seen)
    assert FundsRecord.objects.get().amount_wan == 310


def test_the_page_refuses_a_stale_save_with_a_message(client_as, officer_a, unit_head_a, signed):
    record = submit(officer_a, signed, 300)
    first, second = client_as(officer_a), client_as(unit_head_a)
    url = f"/funds/{record.pk}/edit/"
    form = {
        "edit-period": "2026-10",
        "edit-kind": "funds",
        "edit-note": "",
        "edit-version": record.version,
    }
    assert first.post(url, {**form, "edit-amount_wan": "310"}).status_code == 302
    response = second.post(url, {**form, "edit-amount_wan": "320"})
    assert "该记录在您打开后已被他人修改" in response.content.decode()
    assert FundsRecord.objects.get().amount_wan == 310


def test_only_verified_records_count(officer_a, bureau_user, signed, building):
    verified = submit(officer_a, building, 1000, period=dt.date(2026, 9, 1))
    services.funds_verify(record=verified, user=bureau_user)
    submit(officer_a, building, 700)  # submitted: does not count
    returned = submit(officer_a, signed, 400)
    services.funds_reject(record=returned, user=bureau_user, reason="凭证不清")
    investment = submit(officer_a, building, 2500, period=dt.date(2026, 9, 1), kind="investment")
    services.funds_verify(record=investment, user=bureau_user)
    correction = submit(
        officer_a, building, -100, period=dt.date(2026, 9, 1), corrects=verified, note="重复入账"
    )
    services.funds_verify(record=correction, user=bureau_user)

    assert FundsRecord.objects.counted().funds().aggregate(t=Sum("amount_wan"))["t"] == 900
    ledger = project_ledger(building)
    assert [(r["period"], r["funds"], r["funds_to_date"], r["investment"]) for r in ledger] == [
        (dt.date(2026, 9, 1), Decimal("900"), Decimal("900"), Decimal("2500")),
    ]
    assert ledger[0]["funds_rate"] == Decimal("900") / Decimal("20000")
    rows = {r.project.code: r for r in funds_entry_rows(signed.unit_id, OCT)}
    assert rows["S-2"].funds_to_date == 900 and rows["S-1"].funds_to_date == 0
    status = {s.unit.code: s for s in unit_month_status(bureau_user, OCT)}["UA"]
    assert (status.projects, status.reported, status.verified, status.returned, status.missing) == (
        2,
        1,
        0,
        1,
        1,
    )


def test_the_ledger_is_cumulative_month_by_month(officer_a, bureau_user, building):
    for month, amount in [("2026-07", 100), ("2026-08", 250), ("2026-10", 50)]:
        record = submit(officer_a, building, amount, period=parse_period(month))
        services.funds_verify(record=record, user=bureau_user)
    ledger = project_ledger(building)
    assert [(r["period"].month, r["funds"], r["funds_to_date"]) for r in ledger] == [
        (7, 100, 100),
        (8, 250, 350),
        (10, 50, 400),
    ]
