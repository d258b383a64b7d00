"""core.bulk writes by COPY what Django's own save would write, history rows included."""

import datetime as dt
from decimal import Decimal

import pytest

from core import bulk
from ledgers.models import LedgerRow
from projects.models import Lead
from tests.factories import IndustryFactory, LeadFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

AWKWARD = "制\t表\n换行\\反斜杠 \\N 末尾\r"


def test_records_and_their_history_read_back_as_saved():
    unit, industry, user = UnitFactory(), IndustryFactory(), UserFactory()
    saved = LeadFactory(unit=unit, industry=industry, requirements=AWKWARD)
    leads = [
        Lead(
            company_name=f"批量企业{n}有限公司",
            contact_name="李四",
            contact_phone=f"1390000000{n}",
            project_name=f"批量项目{n}",
            requirements=AWKWARD,
            estimated_amount_wan=Decimal("1234.56"),
            industry=industry,
            unit=unit,
        )
        for n in range(3)
    ]
    for lead in leads:
        lead.company_key, lead.phone_key = lead.company_name, lead.contact_phone
    created = bulk.create(leads, user=user, reason="历史台账导入")

    assert all(lead.pk for lead in created) and len({lead.pk for lead in created}) == 3
    assert max(lead.pk for lead in created) > saved.pk
    for lead in created:
        stored = Lead.objects.get(pk=lead.pk)
        assert stored.requirements == AWKWARD
        assert stored.estimated_amount_wan == Decimal("1234.56")
        assert stored.created_at is not None and stored.unit == unit
        (history,) = stored.history.all()
        assert (history.history_type, history.history_user, history.history_change_reason) == (
            "+",
            user,
            "历史台账导入",
        )
        assert history.requirements == AWKWARD and history.company_name == lead.company_name
    # the sequence moved past the drawn ids: the next save does not collide
    assert LeadFactory(unit=unit, industry=industry).pk > max(lead.pk for lead in created)


def test_json_values_read_back_as_written(bureau_user):
    from ledgers.models import LedgerImport

    ledger = LedgerImport.objects.create(
        kind="projects",
        created_by=bureau_user,
        importer_unit=bureau_user.unit,
        file_name="台账.xlsx",
    )
    data = {"name": AWKWARD, "signed_on": dt.date(2026, 3, 5).isoformat(), "amount": "12.50"}
    bulk.create(
        [
            LedgerRow(ledger=ledger, number=n, outcome="new", key=f"k{n}", data=data, errors={})
            for n in range(2, 5)
        ]
    )
    assert [r.data for r in LedgerRow.objects.filter(ledger=ledger)] == [data] * 3


def test_a_record_made_for_bulk_writing_is_the_record_django_makes():
    from projects.models import FundsRecord

    made = bulk.new(FundsRecord, project_id=7, amount_wan=Decimal("3.50"), evidence="台账.xlsx")
    usual = FundsRecord(project_id=7, amount_wan=Decimal("3.50"), evidence="台账.xlsx")
    fields = [
        f.attname
        for f in FundsRecord._meta.concrete_fields
        if f.attname != "evidence" and not f.generated  # generated: the database's
    ]
    assert [getattr(made, n) for n in fields] == [getattr(usual, n) for n in fields]
    assert made.evidence.name == usual.evidence.name == "台账.xlsx"
    assert made._state.adding
    with pytest.raises(TypeError):
        bulk.new(FundsRecord, project=7)  # by attname only
