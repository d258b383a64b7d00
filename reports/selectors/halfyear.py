"""Reads of the half-year inspection (半年一督查): the inspections a user sees, the results
matrix (units × checklist items), a unit's findings, and the open rectifications that
follow each unit into the year-end assessment. Counts are computed in the database, in a
fixed number of queries whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When

from reports.choices import (
    OPEN_FINDING_STATUSES,
    DrawKind,
    FindingStatus,
    ReportStatus,
    half_quarters,
)
from reports.models import (
    ChecklistItem,
    Draw,
    Finding,
    HalfYearInspection,
    InspectedUnit,
    Rectification,
)

OPEN = Q(status__in=OPEN_FINDING_STATUSES)


def overdue_on(today: date, prefix: str = "") -> Q:
    """Open findings whose rectification deadline has passed by `today`."""
    return Q(**{f"{prefix}status__in": OPEN_FINDING_STATUSES, f"{prefix}deadline__lt": today})


def halfyear_list(user: Any, today: date) -> QuerySet[HalfYearInspection]:
    """The inspections the user sees (published ones; drafts for the bureau), newest first,
    each with its counts: units, items, findings, open and overdue findings."""
    return (
        HalfYearInspection.objects.visible_to(user)
        .annotate(
            unit_count=Count("units", distinct=True),
            item_count=Count("items", distinct=True),
        )
        .annotate(
            finding_count=Count("units__findings", distinct=True),
            open_count=Count(
                "units__findings",
                filter=Q(units__findings__status__in=OPEN_FINDING_STATUSES),
                distinct=True,
            ),
            overdue_count=Count(
                "units__findings", filter=overdue_on(today, "units__findings__"), distinct=True
            ),
        )
        .select_related("published_by")
        .order_by("-year", "-half")
    )


def halfyear_queryset(user: Any) -> QuerySet[HalfYearInspection]:
    return HalfYearInspection.objects.visible_to(user).select_related("published_by", "created_by")


def half_draws(inspection: HalfYearInspection) -> QuerySet[Draw]:
    """The draws of units (两随机) of the inspection's half, to take units from."""
    return Draw.objects.filter(
        kind=DrawKind.UNITS, year=inspection.year, quarter__in=half_quarters(inspection.half)
    ).order_by("quarter")


def with_overdue(findings: QuerySet[Finding], today: date) -> QuerySet[Finding]:
    return findings.annotate(
        overdue=Case(
            When(overdue_on(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def inspected_units(inspection: HalfYearInspection, today: date) -> QuerySet[InspectedUnit]:
    """The units of the inspection with their unit, draw and counts of findings."""
    return (
        InspectedUnit.objects.filter(inspection=inspection)
        .select_related("unit", "draw")
        .annotate(
            finding_count=Count("findings"),
            open_count=Count("findings", filter=Q(findings__status__in=OPEN_FINDING_STATUSES)),
            overdue_count=Count("findings", filter=overdue_on(today, "findings__")),
        )
        .order_by("unit__kind", "unit__sort_order", "unit__code")
    )


@dataclass(frozen=True)
class ResultCell:
    item: ChecklistItem
    finding: Finding | None  # with `overdue` annotated

    @property
    def overdue(self) -> bool:
        return bool(self.finding is not None and getattr(self.finding, "overdue", False))


@dataclass(frozen=True)
class ResultRow:
    inspected: InspectedUnit  # with finding_count, open_count, overdue_count
    cells: list[ResultCell]


@dataclass(frozen=True)
class HalfYearResults:
    """The results matrix: one row per inspected unit, one cell per checklist item."""

    inspection: HalfYearInspection
    today: date
    items: list[ChecklistItem]
    rows: list[ResultRow] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [cell.finding for row in self.rows for cell in row.cells if cell.finding]

    @property
    def open_count(self) -> int:
        return sum(row.inspected.open_count for row in self.rows)

    @property
    def overdue_count(self) -> int:
        return sum(row.inspected.overdue_count for row in self.rows)


def halfyear_results(inspection: HalfYearInspection, today: date) -> HalfYearResults:
    """The matrix of units × items with each finding, its deadline, whether it is rectified
    and whether it is overdue on `today`: three queries."""
    items = list(inspection.items.order_by("order", "id"))
    units = list(inspected_units(inspection, today))
    findings = with_overdue(
        Finding.objects.filter(inspected__inspection=inspection).select_related("item"), today
    )
    by_cell = {(f.inspected_id, f.item_id): f for f in findings}
    rows = [
        ResultRow(
            inspected=unit,
            cells=[
                ResultCell(item=item, finding=by_cell.get((unit.pk, item.pk))) for item in items
            ],
        )
        for unit in units
    ]
    return HalfYearResults(inspection=inspection, today=today, items=items, rows=rows)


def finding_queryset(user: Any, today: date) -> QuerySet[Finding]:
    """The findings the user sees, with their unit, item, inspection and rectifications."""
    rectifications = Rectification.objects.select_related("reported_by", "decided_by").order_by(
        "-id"
    )
    return with_overdue(
        Finding.objects.visible_to(user)
        .select_related("inspected__unit", "inspected__inspection", "item", "recorded_by")
        .prefetch_related(Prefetch("rectifications", queryset=rectifications)),
        today,
    )


def inspected_unit_queryset(user: Any) -> QuerySet[InspectedUnit]:
    return InspectedUnit.objects.visible_to(user).select_related("unit", "draw", "inspection")


def unit_findings(user: Any, today: date) -> QuerySet[Finding]:
    """The findings of the user's own unit, open ones first (the unit's to-do)."""
    unit_id = getattr(user, "unit_id", None)
    return (
        finding_queryset(user, today)
        .filter(inspected__unit_id=unit_id)
        .exclude(status=FindingStatus.NO_ACTION)
        .order_by(
            Case(When(OPEN, then=Value(0)), default=Value(1)),
            "deadline",
            "id",
        )
    )


# --- Into the year-end assessment -------------------------------------------------------------


@dataclass(frozen=True)
class OpenFinding:
    id: int
    inspection_id: int
    half: int
    item: str
    text: str
    deadline: date
    overdue: bool


@dataclass(frozen=True)
class UnitOpenRectifications:
    """A unit's findings still open on a day: how many, how many past their deadline."""

    unit_id: int
    unit_code: str
    unit_name: str
    open_count: int
    overdue_count: int
    findings: tuple[OpenFinding, ...]


def open_rectifications(*, year: int, until: date) -> list[UnitOpenRectifications]:
    """Per unit, the findings of the year's published inspections that were open on `until`:
    recorded by then, with a deadline, and not confirmed rectified by then. Overdue: their
    deadline was before `until`. Units in report order; two queries."""
    open_then = (
        Finding.objects.filter(
            inspected__inspection__year=year,
            inspected__inspection__status=ReportStatus.PUBLISHED,
            deadline__isnull=False,
            created_at__date__lte=until,
        )
        .filter(Q(rectified_on__isnull=True) | Q(rectified_on__gt=until))
        .order_by()
    )
    counts = (
        open_then.values(
            "inspected__unit",
            "inspected__unit__code",
            "inspected__unit__name",
            "inspected__unit__kind",
            "inspected__unit__sort_order",
        )
        .annotate(open_count=Count("id"), overdue_count=Count("id", filter=Q(deadline__lt=until)))
        .order_by("inspected__unit__kind", "inspected__unit__sort_order", "inspected__unit__code")
    )
    rows = open_then.values(
        "id",
        "inspected__unit",
        "inspected__inspection",
        "inspected__inspection__half",
        "item__title",
        "text",
        "deadline",
    ).order_by("deadline", "id")
    by_unit: dict[int, list[OpenFinding]] = {}
    for row in rows:
        by_unit.setdefault(row["inspected__unit"], []).append(
            OpenFinding(
                id=row["id"],
                inspection_id=row["inspected__inspection"],
                half=row["inspected__inspection__half"],
                item=row["item__title"],
                text=row["text"],
                deadline=row["deadline"],
                overdue=row["deadline"] < until,
            )
        )
    return [
        UnitOpenRectifications(
            unit_id=count["inspected__unit"],
            unit_code=count["inspected__unit__code"],
            unit_name=count["inspected__unit__name"],
            open_count=count["open_count"],
            overdue_count=count["overdue_count"],
            findings=tuple(by_unit.get(count["inspected__unit"], ())),
        )
        for count in counts
    ]
