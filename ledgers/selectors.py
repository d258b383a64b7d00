"""Reads of ledger imports: who sees which, and a preview's rows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.policy import Action, require
from ledgers.models import LedgerImport, LedgerRow


def ledger_imports(user: Any) -> QuerySet[LedgerImport]:
    """The imports a user sees (their unit's, their own; the bureau: all). A leader
    imports nothing: refused."""
    require(user, Action.LEDGER_IMPORT)
    return LedgerImport.objects.visible_to(user).select_related(
        "unit", "created_by", "importer_unit", "job"
    )


def preview_rows(ledger: LedgerImport, outcome: str = "") -> QuerySet[LedgerRow]:
    """A preview's rows, errors first, then in the file's order."""
    # not ledger.rows: the related manager would set each row's ledger, reading the
    # deferred ledger_id of every row with a query of its own
    rows = LedgerRow.objects.filter(ledger=ledger).only("number", "outcome", "key", "errors")
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("number")
