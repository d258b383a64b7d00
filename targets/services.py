"""Setting and decomposing targets: one grid save, copying last year, and the workbook
offices already use (import all or nothing, export)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from io import BytesIO
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from core.access import is_bureau, sees_everything
from core.policy import Action, Refused, may
from core.services import declare_input
from targets.choices import Metric, OwnerKind
from targets.models import ONCE_A_YEAR, Target
from teams.models import Team, Unit, User

OWNER_FIELD = {OwnerKind.UNIT: "unit", OwnerKind.TEAM: "team", OwnerKind.PERSON: "user"}
# What a person types for a target (the grid, the workbook, the API): its value, for a year,
# a metric and an owner.
TARGET_INPUT = declare_input(Target, "year", "metric", "value", "unit", "team", "user")


def may_set(user: Any, kind: str, owner: Any) -> bool:
    """The bureau sets every target (core.policy `target.set`); a unit head decomposes to
    the unit's own staff (`target.decompose`)."""
    if kind != OwnerKind.PERSON:
        return may(user, Action.TARGET_SET)
    return may_set_grid(user, kind, owner.unit if owner is not None else None)


class GridAccess(StrEnum):
    EDIT = "edit"  # may set the grid's targets
    READ = "read"  # may look at it
    FORBIDDEN = "forbidden"  # 403
    HIDDEN = "hidden"  # another unit's staff: 404


def may_set_grid(user: Any, kind: str, unit: Unit | None = None) -> bool:
    """May the user set the targets of a whole decomposition grid: the bureau every grid
    (and the county's targets above it), a unit head the person grid of their own unit."""
    if kind != OwnerKind.PERSON:
        return may(user, Action.TARGET_SET)
    if not may(user, Action.TARGET_DECOMPOSE):
        return False
    return is_bureau(user) or (unit is not None and unit.pk == user.unit_id)


def grid_access(user: Any, kind: str, unit: Unit | None = None) -> GridAccess:
    """What a user may do with the grid of `kind` (for a person grid, of `unit`'s staff).

    The bureau sets every grid; leaders read every grid and change nothing; a unit head
    sets their own unit's person grid. Anyone else is refused; another unit's staff
    grid is hidden (404) from those who do not see every unit."""
    if may_set_grid(user, kind, unit):
        return GridAccess.EDIT
    if sees_everything(user):
        return GridAccess.READ
    if kind == OwnerKind.PERSON and (unit is None or unit.pk != user.unit_id):
        return GridAccess.HIDDEN
    return GridAccess.FORBIDDEN


def _owner_filter(kind: str, owner: Any) -> dict[str, Any]:
    if kind == OwnerKind.COUNTY:
        return {"unit": None, "team": None, "user": None}
    return {OWNER_FIELD[kind]: owner}


@transaction.atomic
def target_set(
    *, user: Any, year: int, metric: str, kind: str, owner: Any, value: Decimal | None
) -> Target | None:
    """Sets one target; an empty value removes it (kept in the history)."""
    if not may_set(user, kind, owner):
        raise Refused(Action.TARGET_SET if kind != OwnerKind.PERSON else Action.TARGET_DECOMPOSE)
    if metric not in Metric.values:
        raise ValidationError({"metric": _("Unknown metric.")})
    existing = Target.objects.filter(year=year, metric=metric, **_owner_filter(kind, owner)).first()
    if value is None:
        if existing:
            existing.delete()
        return None
    if value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    target = existing or Target(year=year, metric=metric, **_owner_filter(kind, owner))
    if target.pk and target.value == value:
        return target
    target.value = value
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def target_create(
    *, user: Any, year: int, metric: str, kind: str, owner: Any, value: Decimal
) -> Target:
    """Sets a new target; one the owner already has for the year is refused (change it)."""
    if Target.objects.filter(year=year, metric=metric, **_owner_filter(kind, owner)).exists():
        raise ValidationError({NON_FIELD_ERRORS: [ONCE_A_YEAR]})
    target = target_set(user=user, year=year, metric=metric, kind=kind, owner=owner, value=value)
    assert target is not None  # a value is given, so the target is never removed
    return target


@transaction.atomic
def targets_save_grid(
    *, user: Any, year: int, kind: str, rows: Mapping[Any, Mapping[str, Decimal | None]]
) -> int:
    """Saves a decomposition grid {owner: {metric: value}} at once; returns the changes."""
    changed = 0
    for owner, values in rows.items():
        for metric, value in values.items():
            before = (
                Target.objects.filter(year=year, metric=metric, **_owner_filter(kind, owner))
                .values_list("value", flat=True)
                .first()
            )
            target_set(user=user, year=year, metric=metric, kind=kind, owner=owner, value=value)
            changed += before != value
    return changed


@transaction.atomic
def targets_copy_year(*, user: Any, year: int, kind: str, owners: Iterable[Any]) -> int:
    """Last year's targets of these owners as a starting point, where none is set yet."""
    copied = 0
    for owner in owners:
        previous = Target.objects.filter(year=year - 1, **_owner_filter(kind, owner))
        present = set(
            Target.objects.filter(year=year, **_owner_filter(kind, owner)).values_list(
                "metric", flat=True
            )
        )
        for target in previous:
            if target.metric not in present:
                target_set(
                    user=user,
                    year=year,
                    metric=target.metric,
                    kind=kind,
                    owner=owner,
                    value=target.value,
                )
                copied += 1
    return copied


# --- The workbook ------------------------------------------------------------------------------


def owner_key(kind: str, owner: Any) -> str:
    """How a row names its owner in the workbook: unit code, team name, username."""
    if kind == OwnerKind.UNIT:
        return owner.code
    if kind == OwnerKind.TEAM:
        return owner.name
    return owner.username


def owner_name(kind: str, owner: Any) -> str:
    return owner.get_full_name() if kind == OwnerKind.PERSON else owner.name


def decomposition_workbook(*, year: int, kind: str, owners: Iterable[Any]) -> bytes:
    """One row per owner, one column per metric, under a title row."""
    owners = list(owners)
    field_name = OWNER_FIELD[kind]
    values = {
        (getattr(t, f"{field_name}_id"), t.metric): t.value
        for t in Target.objects.filter(year=year, **{f"{field_name}__in": [o.pk for o in owners]})
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    headers = [_("Code"), _("Name"), *[str(label) for label in Metric.labels]]
    title = _("%(year)s investment promotion targets: decomposition by %(kind)s") % {
        "year": year,
        "kind": OwnerKind(kind).label,
    }
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for owner in owners:
        row = [owner_key(kind, owner), owner_name(kind, owner)]
        row += [values.get((owner.pk, metric)) for metric in Metric.values]
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # names stay text, never formulas
            elif cell.value is not None:
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 24
    for index in range(3, len(headers) + 1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = 16
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


@dataclass
class RowError:
    row: int
    message: str


class ImportRefused(ValidationError):
    """The workbook has bad rows: nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__([f"{_('Row')} {e.row}: {e.message}" for e in errors])


def _lookup(kind: str, owners: Iterable[Any]) -> dict[str, Any]:
    return {owner_key(kind, owner): owner for owner in owners}


@transaction.atomic
def targets_import(*, user: Any, year: int, kind: str, file: Any, owners: Iterable[Any]) -> int:
    """Reads a decomposition workbook (the layout of `decomposition_workbook`). Any bad row
    (unknown owner, text in a number cell, a negative value) refuses the whole file and
    every bad row is named; otherwise every value is set."""
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(
            [RowError(0, _("The file is not an Excel workbook (.xlsx)."))]
        ) from error
    rows = list(sheet.iter_rows(values_only=True))
    if len(rows) < 2:
        raise ImportRefused([RowError(0, _("The workbook has no header row."))])
    header = [str(h).strip() if h is not None else "" for h in rows[1]]
    by_label = {str(label): metric for metric, label in Metric.choices}
    by_label.update({metric: metric for metric in Metric.values})
    columns = {i: by_label[h] for i, h in enumerate(header) if h in by_label}
    errors: list[RowError] = []
    if not columns:
        errors.append(RowError(2, _("No metric columns found in the header row.")))
    known = _lookup(kind, owners)
    grid: dict[Any, dict[str, Decimal | None]] = {}
    for number, row in enumerate(rows[2:], start=3):
        if row is None or all(cell in (None, "") for cell in row):
            continue
        key = str(row[0]).strip() if row[0] is not None else ""
        owner = known.get(key)
        if owner is None:
            errors.append(RowError(number, _("Unknown owner “%(key)s”.") % {"key": key}))
            continue
        values: dict[str, Decimal | None] = {}
        for index, metric in columns.items():
            cell = row[index] if index < len(row) else None
            label = header[index]
            if cell in (None, ""):
                values[metric] = None
                continue
            try:
                value = Decimal(str(cell).replace(",", ""))
            except InvalidOperation:
                errors.append(
                    RowError(
                        number,
                        _("“%(label)s” is not a number: %(value)s")
                        % {"label": label, "value": cell},
                    )
                )
                continue
            if value < 0:
                errors.append(
                    RowError(number, _("“%(label)s” cannot be negative.") % {"label": label})
                )
                continue
            values[metric] = value.quantize(Decimal("0.01"))
        grid[owner] = values
    if errors:
        raise ImportRefused(errors)
    return targets_save_grid(user=user, year=year, kind=kind, rows=grid)


def owners_of(kind: str, user: Any, unit: Unit | None = None) -> list[Any]:
    """The rows of a decomposition grid: units grouped by kind, teams, or a unit's staff."""
    if kind == OwnerKind.UNIT:
        return list(Unit.objects.active().exclude(kind="bureau").in_report_order())
    if kind == OwnerKind.TEAM:
        return list(Team.objects.filter(is_active=True).order_by("kind", "name"))
    unit_id = unit.pk if unit is not None else user.unit_id
    return list(User.objects.filter(unit_id=unit_id, is_active=True).order_by("username"))
