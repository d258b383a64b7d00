"""Importing a county's old ledgers: upload, map the columns, preview, then import all or
nothing.

Every row is written by the services the pages use (projects.services: lead_create,
project_create, project_change_stage, funds_submit, funds_verify), so the stage gates,
duplicate checks and funds rules are the same; the whole import is one transaction, and
a row that fails rolls all of it back. The preview and the import run as Celery jobs
(ledgers.tasks); both read the file streamed, never whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import bulk
from core.access import may_assign_unit
from core.history import acting
from core.jobs import job_start
from core.policy import Action, Refused, require
from core.roles import Role
from core.validators import phone_digits
from ledgers.choices import ImportStatus, LedgerKind, RowOutcome
from ledgers.columns import auto_mapping, columns_of, is_known_header
from ledgers.models import ColumnMapping, LedgerImport, LedgerRow
from ledgers.reading import read_table
from ledgers.rows import ParsedRow, RowReader, lead_pool_keys
from projects.choices import (
    STAGE_DATE_FIELD,
    FollowUpMethod,
    FundsKind,
    FundsStatus,
)
from projects.matching import company_key
from projects.models import FundsRecord, Lead, Project
from projects.services import (
    FundsEntry,
    ProjectEntry,
    funds_import,
    lead_create,
    lead_follow_up,
    projects_import,
)
from teams.models import Unit

BATCH = 2000  # rows read, checked and stored together by the preview
CHUNK = 2000  # rows written together by the import


class ImportFailed(Exception):
    """Rows the services refused during the import: the transaction is rolled back."""

    def __init__(self, failures: list[tuple[int, str]]) -> None:
        self.failures = failures
        super().__init__(f"{len(failures)} rows failed")


# --- Upload and mapping ----------------------------------------------------------------------


@transaction.atomic
def ledger_upload(
    *, user: Any, kind: str, file: UploadedFile, unit: Unit | None = None
) -> LedgerImport:
    """Keeps an uploaded ledger with its header row found and its columns mapped as the
    unit mapped them before, else by their common names. An officer's rows are their own
    unit's; the bureau may name a unit for rows that give none."""
    require(user, Action.LEDGER_IMPORT)
    if kind not in LedgerKind.values:
        raise ValidationError({"kind": _("Choose what the ledger holds.")})
    if user.role != Role.BUREAU:
        unit = user.unit
    elif unit is not None and not may_assign_unit(user, unit):
        raise ValidationError({"unit": _("You may only name your own unit.")})
    try:
        table = read_table(file, file.name, is_known_header)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    file.seek(0)
    remembered = dict(
        ColumnMapping.objects.filter(unit_id=user.unit_id, kind=kind).values_list("header", "field")
    )
    ledger = LedgerImport(
        kind=kind,
        file_name=file.name[:200],
        importer_unit_id=user.unit_id,
        unit=unit,
        header_row=table.header_row,
        headers=table.headers,
        mapping=auto_mapping(kind, table.headers, remembered),
        created_by=user,
    )
    ledger.file.save(file.name, file, save=False)
    ledger.full_clean()
    ledger.save()
    return ledger


def _check_open(user: Any, ledger: LedgerImport, *statuses: str) -> LedgerImport:
    require(user, Action.LEDGER_IMPORT)
    ledger = LedgerImport.objects.select_for_update().get(pk=ledger.pk)
    if not LedgerImport.objects.visible_to(user).filter(pk=ledger.pk).exists():
        raise Refused(_("You may not import this ledger."))
    if ledger.status not in statuses:
        raise ValidationError(
            _("This import is %(status)s: upload the file again to start over.")
            % {"status": ledger.get_status_display()}
        )
    return ledger


@transaction.atomic
def ledger_map(*, ledger: LedgerImport, user: Any, mapping: Mapping[str, str]) -> LedgerImport:
    """Takes the user's mapping (column index → field; "" leaves a column out), remembers
    it for the unit's next import of this kind, and starts the preview."""
    ledger = _check_open(user, ledger, ImportStatus.MAPPING, ImportStatus.PREVIEWED)
    fields = columns_of(ledger.kind)
    chosen: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for index, field in mapping.items():
        if not field:
            continue
        if not index.isdigit() or int(index) >= len(ledger.headers) or field not in fields:
            errors.setdefault("mapping", []).append(_("Unknown column or field."))
        elif field in chosen.values():
            errors.setdefault("mapping", []).append(
                _("%(field)s is chosen for two columns.") % {"field": fields[field].label}
            )
        else:
            chosen[index] = field
    for field, column in fields.items():
        if column.required and field not in chosen.values():
            errors.setdefault("mapping", []).append(
                _("Choose the column of %(field)s.") % {"field": column.label}
            )
    if errors:
        raise ValidationError(errors)
    for index, header in enumerate(ledger.headers):
        if header:
            ColumnMapping.objects.update_or_create(
                unit_id=ledger.importer_unit_id,
                kind=ledger.kind,
                header=header[:200],
                defaults={"field": chosen.get(str(index), "")},
            )
    ledger.mapping = chosen
    ledger.status = ImportStatus.PREVIEWING
    ledger.rows.all().delete()
    from ledgers.tasks import preview_ledger

    ledger.job = job_start(
        kind="ledgers.preview",
        task=preview_ledger,
        created_by=user,
        params={"ledger": ledger.pk},
    )
    ledger.save()
    return ledger


# --- The preview (a dry run) ---------------------------------------------------------------


def ledger_preview(*, ledger: LedgerImport, progress: Callable[[int], None]) -> LedgerImport:
    """Reads every row as the import would write it and stores its outcome (new, matches
    an existing record, possible duplicate of a pool lead, error with the field and the
    reason); writes nothing else. A file that cannot be read fails the preview. The file
    is read and its rows stored a chunk at a time. A preview no longer asked for (done,
    or the columns mapped again meanwhile) is left as it is."""
    if ledger.status != ImportStatus.PREVIEWING:
        return ledger
    user = ledger.created_by
    reader = RowReader.for_import(ledger.kind, ledger.headers, ledger.mapping, user, ledger.unit)
    outcomes_of = {
        LedgerKind.LEADS: _lead_outcomes,
        LedgerKind.PROJECTS: _project_outcomes,
        LedgerKind.FUNDS: _funds_outcomes,
    }[ledger.kind]
    state: dict[str, Any] = {}  # what the outcomes of later chunks need of earlier ones
    unmatched: dict[str, list[str]] = {}
    ledger.file.open("rb")
    try:
        with transaction.atomic():
            LedgerRow.objects.filter(ledger=ledger).delete()
            table = read_table(ledger.file, ledger.file_name, is_known_header)
            for done, chunk in enumerate(_chunks(table.rows, BATCH), start=1):
                parsed = [reader.read(row.number, row.values) for row in chunk]
                _store_preview(ledger, parsed, outcomes_of(parsed, reader, state), unmatched)
                progress(min(90, 10 + 5 * done))
            stored = LedgerRow.objects.filter(ledger=ledger).values_list("outcome", flat=True)
            ledger.counts = dict(Counter(stored))
            ledger.unmatched = unmatched
            ledger.status = ImportStatus.PREVIEWED
            ledger.error = ""
            ledger.save()
    except ValidationError as error:
        ledger.status, ledger.error = ImportStatus.FAILED, " ".join(error.messages)
        ledger.save(update_fields=["status", "error", "updated_at"])
    finally:
        ledger.file.close()
    return ledger


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _store_preview(
    ledger: LedgerImport,
    parsed: list[ParsedRow],
    outcomes: list[str],
    unmatched: dict[str, list[str]],
) -> None:
    rows = []
    for row, outcome in zip(parsed, outcomes, strict=True):
        for field, name in row.unmatched.items():
            if name not in unmatched.setdefault(field, []):
                unmatched[field].append(name)
        rows.append(
            bulk.new(
                LedgerRow,
                ledger_id=ledger.pk,
                number=row.number,
                outcome=RowOutcome.ERROR if row.errors else outcome,
                key=row.key[:300],
                errors=row.errors,
                data=row.data,
            )
        )
    bulk.create(rows)


def _lead_outcomes(rows: list[ParsedRow], reader: RowReader, state: dict) -> list[str]:
    """Existing: a lead of the same unit, company and project; duplicate: the pool (or an
    earlier row of the file) knows the company or the phone."""
    existing = {
        (unit, key, name)
        for unit, key, name in Lead.objects.filter(
            company_key__in={company_key(r.data.get("company_name", "")) for r in rows}
        ).values_list("unit_id", "company_key", "project_name")
    }
    pool_companies, pool_phones = lead_pool_keys(rows)
    seen_companies: set[str] = state.setdefault("companies", set())
    seen_phones: set[str] = state.setdefault("phones", set())
    outcomes = []
    for row in rows:
        company = company_key(row.data.get("company_name", ""))
        phone = phone_digits(row.data.get("contact_phone", ""))
        if (row.data.get("unit"), company, row.data.get("project_name", "")) in existing:
            outcomes.append(RowOutcome.EXISTING)
            continue
        known = company in pool_companies | seen_companies or (
            len(phone) >= 7 and phone in pool_phones | seen_phones
        )
        outcomes.append(RowOutcome.DUPLICATE if known else RowOutcome.NEW)
        seen_companies.add(company)
        seen_phones.add(phone)
    return outcomes


def _project_outcomes(rows: list[ParsedRow], reader: RowReader, state: dict) -> list[str]:
    """Existing: a project of the ledger's code, else of the same unit and name."""
    codes = {r.data["code"] for r in rows if r.data.get("code")}
    by_code = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
    names = {r.data.get("name", "") for r in rows if not r.data.get("code")}
    by_name = set(Project.objects.filter(name__in=names).values_list("unit_id", "name"))
    outcomes, seen = [], state.setdefault("projects", set())
    for row in rows:
        key = row.data.get("code") or (row.data.get("unit"), row.data.get("name", ""))
        if key in by_code or key in by_name:
            outcomes.append(RowOutcome.EXISTING)
        elif key in seen:
            row.fail(
                "name",
                _("The same project is in the file twice (row key %(key)s).") % {"key": row.key},
            )
            outcomes.append(RowOutcome.ERROR)
        else:
            outcomes.append(RowOutcome.NEW)
        seen.add(key)
    return outcomes


def funds_projects(rows: Iterable[ParsedRow]) -> tuple[dict[str, Project], dict[tuple, Project]]:
    """The projects funds rows name, by code and by (unit, name), in one query each."""
    rows = list(rows)
    codes = {r.data["project_code"] for r in rows if r.data.get("project_code")}
    names = {
        r.data["project_name"]
        for r in rows
        if not r.data.get("project_code") and r.data.get("project_name")
    }
    fields = ("id", "code", "name", "unit_id", "stage", "contract_amount_wan")
    by_code = {p.code: p for p in Project.objects.filter(code__in=codes).only(*fields)}
    by_name = {(p.unit_id, p.name): p for p in Project.objects.filter(name__in=names).only(*fields)}
    return by_code, by_name


def _funds_project(row: ParsedRow, by_code: dict, by_name: dict) -> Project | None:
    if row.data.get("project_code"):
        return by_code.get(row.data["project_code"])
    return by_name.get((row.data.get("unit"), row.data.get("project_name", "")))


def _funds_outcomes(rows: list[ParsedRow], reader: RowReader, state: dict) -> list[str]:
    """Each row names a project of the platform (imported before) and a month; existing:
    that project's record of that month and kind is there already (not returned)."""
    by_code, by_name = funds_projects(rows)
    projects = {}
    for row in rows:
        project = _funds_project(row, by_code, by_name)
        if project is None and not row.errors:
            row.fail(
                "project_name",
                _("Project: no project %(key)s on the platform")
                % {"key": row.data.get("project_code") or row.data.get("project_name", "")},
            )
        elif project is not None:
            if project.unit_id != row.data.get("unit", project.unit_id) and row.data.get(
                "project_code"
            ):
                row.fail("unit", _("Responsible unit: the project belongs to another unit"))
            if reader.user.role != Role.BUREAU and project.unit_id != reader.user.unit_id:
                row.fail("unit", _("Responsible unit: you may import only your own unit's rows"))
            projects[row.number] = project
            row.data["project"] = project.pk
            if not row.errors:
                reader.check_funds(row, project)
    existing = set(
        FundsRecord.objects.filter(project__in={p.pk for p in projects.values()})
        .exclude(status="rejected")
        .values_list("project_id", "period", "kind")
    )
    outcomes = []
    for row in rows:
        project = projects.get(row.number)
        if project is None or row.errors:
            outcomes.append(RowOutcome.ERROR)
            continue
        period = date.fromisoformat(row.data["period"])  # stored by the preview
        kinds = [
            k
            for k, f in ((FundsKind.FUNDS, "funds_wan"), (FundsKind.INVESTMENT, "investment_wan"))
            if f in row.data
        ]
        if all((project.pk, period, kind) in existing for kind in kinds):
            outcomes.append(RowOutcome.EXISTING)
        else:
            outcomes.append(RowOutcome.NEW)
    return outcomes


# --- The import ----------------------------------------------------------------------------


@transaction.atomic
def ledger_confirm(*, ledger: LedgerImport, user: Any) -> LedgerImport:
    """Starts the import of a previewed ledger; refused while any row has an error (the
    file is corrected and uploaded again) or when nothing is new."""
    ledger = _check_open(user, ledger, ImportStatus.PREVIEWED)
    if ledger.counts.get(RowOutcome.ERROR):
        raise ValidationError(
            _(
                "%(count)s rows have errors: correct them in the file and upload it again. "
                "Nothing is imported while a row is wrong."
            )
            % {"count": ledger.counts[RowOutcome.ERROR]}
        )
    if not (ledger.counts.get(RowOutcome.NEW) or ledger.counts.get(RowOutcome.DUPLICATE)):
        raise ValidationError(_("Every row matches a record already there: nothing to import."))
    from ledgers.tasks import import_ledger

    ledger.status = ImportStatus.IMPORTING
    ledger.job = job_start(
        kind="ledgers.import", task=import_ledger, created_by=user, params={"ledger": ledger.pk}
    )
    ledger.save()
    return ledger


def ledger_import(*, ledger: LedgerImport, progress: Callable[[int], None]) -> LedgerImport:
    """Writes every new row through the services in one transaction: a row they refuse
    rolls back the whole import, which then fails with each refused row and its reason.
    An import not waiting to run (done already: a task delivered twice) is left as it is."""
    if ledger.status != ImportStatus.IMPORTING:
        return ledger
    user = ledger.created_by
    to_write = LedgerRow.objects.filter(
        ledger=ledger, outcome__in=[RowOutcome.NEW, RowOutcome.DUPLICATE]
    )
    total = max(to_write.count(), 1)
    write = {
        LedgerKind.LEADS: _write_lead_rows,
        LedgerKind.PROJECTS: _write_project_rows,
        LedgerKind.FUNDS: _write_funds_rows,
    }[ledger.kind]
    try:
        with transaction.atomic(), acting(user, ledger.reason):
            failures: list[tuple[int, str]] = []
            done, last = 0, 0
            while chunk := _stored(to_write.filter(number__gt=last).order_by("number")[:CHUNK]):
                failures += write(ledger, user, chunk)
                done, last = done + len(chunk), chunk[-1].number
                progress(100 * done // total)
            if failures:
                raise ImportFailed(failures)
    except ImportFailed as failed:
        report = [_("Row %(row)s: %(error)s") % {"row": n, "error": e} for n, e in failed.failures]
        ledger.status, ledger.error = ImportStatus.FAILED, "\n".join(report[:200])
        ledger.save(update_fields=["status", "error", "updated_at"])
        return ledger
    ledger.status, ledger.imported_at = ImportStatus.IMPORTED, timezone.now()
    ledger.save(update_fields=["status", "imported_at", "updated_at"])
    return ledger


class StoredRow(NamedTuple):
    """A previewed row as the import reads it back."""

    pk: int
    number: int
    data: dict[str, Any]


def _stored(rows: QuerySet[LedgerRow]) -> list[StoredRow]:
    return [StoredRow(*values) for values in rows.values_list("pk", "number", "data")]


def _refusal(error: ValidationError | Refused) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "；".join(f"{m}" for messages in error.message_dict.values() for m in messages)
    return "；".join(getattr(error, "messages", [str(error)]))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _related(rows: list[StoredRow], models: dict[str, Any]) -> dict[str, dict[int, Any]]:
    """The records the rows name by id (units, industries, teams …), one query a model."""
    return {
        name: model.objects.in_bulk({r.data[name] for r in rows if r.data.get(name)})
        for name, model in models.items()
    }


def _write_lead_rows(
    ledger: LedgerImport, user: Any, rows: list[StoredRow]
) -> list[tuple[int, str]]:
    """Lead rows one at a time through lead_create (each in a savepoint, so every refused
    row is reported)."""
    from projects.models import Industry
    from teams.models import Team

    related = _related(rows, {"unit": Unit, "industry": Industry, "team": Team})
    failures = []
    for row in rows:
        try:
            with transaction.atomic():
                _write_lead(ledger, user, row.data, related)
        except (ValidationError, Refused) as error:
            failures.append((row.number, _refusal(error)))
    return failures


def _write_lead(
    ledger: LedgerImport, user: Any, data: dict[str, Any], related: dict[str, dict]
) -> None:
    typed = {k: v for k, v in data.items() if k != "follow_ups"}
    typed["received_on"] = _date(data.get("received_on"))
    if data.get("estimated_amount_wan") is not None:
        typed["estimated_amount_wan"] = Decimal(data["estimated_amount_wan"])
    for name, objects in related.items():
        if data.get(name):
            typed[name] = objects[data[name]]
    lead = lead_create(user=user, data=typed, confirm_duplicates=True)
    if data.get("follow_ups"):
        lead_follow_up(
            lead=lead,
            user=user,
            happened_on=lead.received_on,
            method=FollowUpMethod.OTHER,
            note=data["follow_ups"],
        )


PROJECT_FIELDS = (
    "name",
    "investor",
    "investor_origin",
    "project_type",
    "category",
    "contract_amount_wan",
    "foreign_amount_usd_wan",
    "land_area_mu",
    "leader_name",
    "is_key",
    "agreed_start_on",
    "expected_output_wan",
    "expected_tax_wan",
    "expected_jobs",
    "description",
)


AMOUNTS = ("contract_amount_wan", "foreign_amount_usd_wan", "land_area_mu")
DATES = ("agreed_start_on",)


def _write_project_rows(
    ledger: LedgerImport, user: Any, rows: list[StoredRow]
) -> list[tuple[int, str]]:
    """Project rows, written together by projects.services.projects_import."""
    from projects.models import Industry
    from teams.models import Team, User

    related = _related(rows, {"unit": Unit, "industry": Industry, "team": Team, "leader": User})
    entries = [_project_entry(row.data, related) for row in rows]
    try:
        projects_import(
            user=user, entries=entries, ledger_file=ledger.file.name, reason=ledger.reason
        )
    except ValidationError as error:
        return _refused_rows(rows, error)
    return []


def _refused_rows(rows: list[Any], error: ValidationError) -> list[tuple[int, str]]:
    """A bulk service's refusal (entry index → messages) as (row number, reason)."""
    return [(rows[int(i)].number, "；".join(m)) for i, m in error.message_dict.items()]


def _project_entry(data: dict[str, Any], related: dict[str, dict]) -> ProjectEntry:
    typed: dict[str, Any] = {k: data[k] for k in PROJECT_FIELDS if k in data}
    typed.setdefault("investor", data["name"])
    for name in AMOUNTS:
        if name in typed:
            typed[name] = Decimal(typed[name])
    for name in DATES:
        typed[name] = _date(data.get(name))
    for name, objects in related.items():
        if data.get(name):
            typed[name] = objects[data[name]]
    if data.get("cooperating_units"):
        typed["cooperating_units"] = data["cooperating_units"]
    return ProjectEntry(
        data=typed,
        stage=data["stage"],
        dates={field: _date(data.get(field)) for field in STAGE_DATE_FIELD.values()},
        entered_on=_date(data.get("entered_on")),
        code=data.get("code", ""),
        terminated_on=_date(data.get("terminated_on")),
        termination_reason=data.get("termination_reason", ""),
    )


def _write_funds_rows(
    ledger: LedgerImport, user: Any, rows: list[StoredRow]
) -> list[tuple[int, str]]:
    """Funds rows, written together by projects.services.funds_import (the month of a
    kind a project already has is left as it is)."""
    projects = {p.pk: p for p in Project.objects.filter(pk__in={r.data["project"] for r in rows})}
    existing = set(
        FundsRecord.objects.filter(project__in=projects)
        .exclude(status=FundsStatus.REJECTED)
        .values_list("project_id", "period", "kind")
    )
    entries, sources, reason = [], [], ledger.reason
    for row in rows:
        project, period = projects[row.data["project"]], date.fromisoformat(row.data["period"])
        for kind, field in FUNDS_FIELDS:
            if field in row.data and (project.pk, period, kind) not in existing:
                entries.append(
                    FundsEntry(
                        project=project,
                        period=period,
                        kind=kind,
                        amount_wan=Decimal(row.data[field]),
                        note=row.data.get("note", "") or reason,
                    )
                )
                sources.append(row)
    try:
        funds_import(user=user, entries=entries, ledger_file=ledger.file.name, reason=reason)
    except ValidationError as error:
        return _refused_rows(sources, error)
    return []


FUNDS_FIELDS = ((FundsKind.FUNDS, "funds_wan"), (FundsKind.INVESTMENT, "investment_wan"))
