"""A ledger import: the uploaded file, how its columns map to fields, each row's outcome in
the preview, and what the import wrote."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ScopedQuerySet
from core.models import Job, TimeStampedModel
from ledgers.choices import ImportStatus, LedgerKind, RowOutcome


class LedgerImportQuerySet(ScopedQuerySet):
    """An import is seen by its unit's staff and whoever made it; the bureau sees all. A
    leader imports nothing and sees none."""

    unit_path = "importer_unit"
    member_paths = ("created_by",)
    leaders_read_all = False


def ledger_path(ledger: LedgerImport, filename: str) -> str:
    return f"ledgers/{ledger.kind}/{filename}"


class LedgerImport(TimeStampedModel):
    """One uploaded ledger (台账) on its way in: mapped, previewed, then imported whole or
    not at all."""

    kind = models.CharField(_("kind"), max_length=20, choices=LedgerKind.choices)
    file = models.FileField(_("file"), upload_to=ledger_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    # The unit of the person importing: the remembered mappings are that unit's; an
    # officer's rows all belong to it.
    importer_unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("importing unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The unit rows without a unit column belong to (an officer: always their own).
    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    headers = models.JSONField(_("headers"), default=list)
    # column index (as a string) → field name; columns not named are not read
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    counts = models.JSONField(_("outcomes"), default=dict, blank=True)
    # field → the names in the file that match no unit, industry, team or leader
    unmatched = models.JSONField(_("names not matched"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    job = models.ForeignKey(
        Job, verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = LedgerImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def reason(self) -> str:
        """What the audit history says of every record the import writes."""
        return str(_("Imported from the ledger %(file)s")) % {"file": self.file_name}


class LedgerRow(models.Model):
    """One data row of an import, parsed: what the preview found and the values the import
    writes (JSON: dates ISO, amounts decimal strings, related records by id)."""

    ledger = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=RowOutcome.choices)
    key = models.CharField(_("natural key"), max_length=300, blank=True)
    errors = models.JSONField(_("errors"), default=dict, blank=True)
    data = models.JSONField(_("values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ledger row")
        verbose_name_plural = _("ledger rows")
        ordering = ["ledger", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "number"], name="ledger_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ledger_id}:{self.number} {self.outcome}"


class ColumnMapping(models.Model):
    """A header a unit mapped by hand to a field: offered again on its next import."""

    unit = models.ForeignKey("teams.Unit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=LedgerKind.choices)
    header = models.CharField(max_length=200)
    field = models.CharField(max_length=50, blank=True)  # "" : the unit ignores this column

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "header"], name="column_mapping_once_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.header} → {self.field}"
