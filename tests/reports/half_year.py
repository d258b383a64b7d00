"""A half-year inspection to test with: townships A and B (conftest) and a park, the second
quarter's draw of units, a checklist of three items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import ChecklistItem, Draw, HalfYearInspection, InspectedUnit
from reports.services.draws import draw_make
from reports.services.halfyear import (
    ChecklistEntry,
    finding_record,
    halfyear_checklist_set,
    halfyear_create,
    halfyear_publish,
    halfyear_report_record,
    halfyear_units_add,
    halfyear_units_add_drawn,
    rectification_report,
)
from teams.choices import UnitKind
from tests.factories import UnitFactory
from tests.projects.conftest import pdf_upload
from tests.reports.test_draws import tiny_png

# The inspection is made on 2026-06-20 (the second quarter's draw was on 2026-04-10).
MADE = dt.datetime(2026, 6, 20, 10, 0)
ITEMS = [
    ChecklistEntry(title="招商台账", guidance="台账是否完整、及时更新"),
    ChecklistEntry(title="项目推进", guidance="签约项目是否按期开工"),
    ChecklistEntry(title="资金到位", guidance="到位资金凭证是否齐全"),
]


def png_upload(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


@dataclass
class HalfYear:
    inspection: HalfYearInspection
    items: list[ChecklistItem]
    draw: Draw
    a: InspectedUnit  # drawn
    b: InspectedUnit  # chosen
    park: Any


def units_draw(unit_a: Any, bureau_user: Any) -> Draw:
    """Q2's draw of units, made by hand so that unit A is the one drawn."""
    return Draw.objects.create(
        kind="units",
        year=2026,
        quarter=2,
        size=1,
        seed="2026Q2",
        candidates=[{"id": unit_a.pk, "code": unit_a.code, "name": unit_a.name}],
        drawn=[unit_a.pk],
        drawn_by=bureau_user,
    )


def make_half_year(unit_a: Any, unit_b: Any, bureau_user: Any) -> HalfYear:
    """Unit A drawn, unit B chosen, the checklist set; nothing found yet."""
    park = UnitFactory(code="PK", name="经开区", kind=UnitKind.PARK)
    draw = units_draw(unit_a, bureau_user)
    inspection = halfyear_create(year=2026, half=1, user=bureau_user)
    items = halfyear_checklist_set(inspection=inspection, items=ITEMS, user=bureau_user)
    (a,) = halfyear_units_add_drawn(inspection=inspection, draw=draw, user=bureau_user)
    (b,) = halfyear_units_add(inspection=inspection, units=[unit_b], user=bureau_user)
    return HalfYear(inspection=inspection, items=items, draw=draw, a=a, b=b, park=park)


def record_results(half: HalfYear, bureau_user: Any) -> dict[str, Any]:
    """A's report and three findings (two to rectify: by 06-30 and 07-31; one fine); one
    finding of B's to rectify by 07-10."""
    halfyear_report_record(
        inspected=half.a,
        reported_on=dt.date(2026, 6, 18),
        reported_by="甲镇长",
        outcome="fairly_good",
        outcome_note="台账基本完整",
        user=bureau_user,
    )
    first, second, third = half.items
    return {
        "a_ledger": finding_record(
            inspected=half.a,
            item=first,
            text="台账缺少5月记录",
            deadline=dt.date(2026, 6, 30),
            file=png_upload(),
            user=bureau_user,
        ),
        "a_progress": finding_record(
            inspected=half.a,
            item=second,
            text="两个签约项目未按期开工",
            deadline=dt.date(2026, 7, 31),
            user=bureau_user,
        ),
        "a_funds": finding_record(
            inspected=half.a, item=third, text="凭证齐全", deadline=None, user=bureau_user
        ),
        "b_ledger": finding_record(
            inspected=half.b,
            item=first,
            text="台账未按月更新",
            deadline=dt.date(2026, 7, 10),
            file=pdf_upload("检查记录.pdf"),
            user=bureau_user,
        ),
    }


class GridRecords:
    """The half-year inspection's records for the URL grid (tests/core/test_url_grid.py),
    made when a row first asks for them, on 2026-07-15: a published first half in which
    unit A was chosen (one item, a finding with a photo, a deadline ahead), a draft second
    half with unit A chosen and a finding, and the third quarter's draw of units."""

    def __init__(self, unit_a: Any, unit_b: Any, bureau: Any, officer_a: Any) -> None:
        self.unit_a, self.unit_b, self.bureau, self.officer_a = unit_a, unit_b, bureau, officer_a

    def _inspection(self, half: int) -> tuple[HalfYearInspection, InspectedUnit, Any]:
        inspection = halfyear_create(year=2026, half=half, user=self.bureau)
        (item,) = halfyear_checklist_set(
            inspection=inspection, items=[ChecklistEntry(title="招商台账")], user=self.bureau
        )
        (row,) = halfyear_units_add(inspection=inspection, units=[self.unit_a], user=self.bureau)
        finding = finding_record(
            inspected=row,
            item=item,
            text="台账缺少6月记录",
            deadline=dt.date(2026, 8, 31),
            file=png_upload(),
            user=self.bureau,
        )
        return inspection, row, finding

    @cached_property
    def _published(self) -> tuple[HalfYearInspection, InspectedUnit, Any]:
        inspection, row, finding = self._inspection(1)
        halfyear_report_record(
            inspected=row,
            reported_on=dt.date(2026, 6, 25),
            reported_by="甲镇长",
            outcome="good",
            user=self.bureau,
        )
        halfyear_publish(inspection=inspection, user=self.bureau)
        return inspection, row, finding

    @cached_property
    def _draft(self) -> tuple[HalfYearInspection, InspectedUnit, Any]:
        return self._inspection(2)

    @property
    def inspection(self) -> HalfYearInspection:
        return self._published[0]

    @property
    def unit(self) -> InspectedUnit:
        return self._published[1]

    @property
    def finding(self) -> Any:
        return self._published[2]

    @property
    def draft(self) -> HalfYearInspection:
        return self._draft[0]

    @property
    def draft_unit(self) -> InspectedUnit:
        return self._draft[1]

    @property
    def draft_finding(self) -> Any:
        return self._draft[2]

    @property
    def draft_item(self) -> Any:
        return self.draft.items.get()

    @cached_property
    def rectification(self) -> Any:
        """Unit A's rectification of the published finding, with a file, awaiting the bureau."""
        return rectification_report(
            finding=self.finding,
            note="已补录6月台账",
            file=png_upload("补录.png"),
            user=self.officer_a,
        )

    @property
    def reported(self) -> Any:
        """The published finding with a rectification awaiting the bureau's decision."""
        return self.rectification.finding

    @cached_property
    def units_draw(self) -> Draw:
        """The third quarter's draw of units (for the draft second half)."""
        return draw_make(
            kind="units", year=2026, quarter=3, size=1, seed="2026Q3", user=self.bureau
        )
