"""Sections 3–5 of the monthly bulletin (key projects, teams, warnings) and its Excel
workbook, for the hand-built county (date frozen in July 2026, the bulletin of June)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
import time_machine
from openpyxl import load_workbook

from reports.models import Report
from reports.selectors import monthly_bulletin
from reports.workbook import bulletin_workbook, text_width
from tests.grid import check_grid
from tests.reports.county import add_key_projects_and_warnings, build_county, snapshot

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/reports/monthly/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def figures(unit_a, unit_b, bureau_unit):
    build_county(unit_a, unit_b)
    add_key_projects_and_warnings(unit_a, unit_b)
    return monthly_bulletin(2026, 6)


def test_key_projects(figures):
    # K2 is key but terminated; A1's July funds are after the period
    rows = {row["code"]: row for row in figures["key_projects"]}
    assert set(rows) == {"A1", "K1"}
    assert (rows["A1"]["stage"], rows["A1"]["contract_amount_wan"]) == ("constructing", 12000)
    assert rows["A1"]["funds_to_date_wan"] == D("1300")
    assert rows["A1"]["open_blockers"] == 2  # the resolved one does not count
    assert (rows["K1"]["funds_to_date_wan"], rows["K1"]["open_blockers"]) == (D("2000"), 1)
    assert rows["A1"]["unit"] == "甲镇"


def test_teams(figures):
    teams = {row["name"]: row for row in figures["teams"]}
    shenzhen = teams["深圳组"]
    # one lead in March (the July one is after June), one trip, A1 signed in February
    assert (shenzhen["leads"], shenzhen["trips"], shenzhen["projects_signed"]) == (1, 1, 1)
    assert shenzhen["funds_wan"] == D("1300")
    other = teams["长三角组"]
    assert (other["leads"], other["trips"], other["projects_signed"], other["funds_wan"]) == (
        0,
        0,
        0,
        0,
    )


def test_warnings(figures):
    warnings = figures["warnings"]
    assert [u["code"] for u in warnings["blank_units"]] == ["UB", "D1", "D2"]
    assert [(u["code"], u["progress"]) for u in warnings["behind_units"]] == [
        ("UA", D("0.4")),
        ("UB", D("0.175")),
        ("D1", D("0")),
    ]
    assert [(p["code"], p["why"]) for p in warnings["stalled_projects"]] == [("A2", ["start"])]
    # due June 10 and open: overdue; due June 30 (K1) or in July: not yet; resolved: never
    overdue = warnings["overdue_blockers"]
    assert [(b["project_code"], b["due_on"]) for b in overdue] == [("A1", dt.date(2026, 6, 10))]
    # flagged in the year and not rejected (the rejected one and last year's are left out)
    flagged = warnings["flagged_figures"]
    assert [(f["project_code"], f["period"], f["amount_wan"]) for f in flagged] == [
        ("B1", "2026-02", D("9000"))
    ]
    assert flagged[0]["reasons"] == "金额异常"
    # 黑榜: the last three of each group by % of target among the red-flagged units (D2
    # has no target; the park, on pace with nothing flagged, is not blacklisted)
    assert [(u["kind"], u["code"]) for u in warnings["red_list"]] == [
        ("township", "UB"),
        ("township", "UA"),
        ("department", "D1"),
    ]
    # 红榜: UA (behind, stalled project, overdue blocker), UB (blank, behind) and D1 are
    # red-flagged; the park is not
    assert [u["code"] for u in warnings["top_list"]] == ["PK"]


def test_sections_survive_the_snapshot(figures):
    stored = snapshot(figures)
    assert stored["key_projects"][1]["funds_to_date_wan"] == "1300.00"
    assert stored["warnings"]["overdue_blockers"][0]["due_on"] == "2026-06-10"


def _open(figures):
    return load_workbook(BytesIO(bulletin_workbook(snapshot(figures))))


def test_workbook_layout(figures, settings):
    settings.COUNTY_NAME = "青山县"
    book = _open(figures)
    cover, *sections = book.worksheets
    # totals, units, key projects, teams, signings at events, the construction half (3),
    # warnings
    assert [sheet.title for sheet in sections] == [
        "总体情况",
        "各单位情况",
        "重点项目",
        "小分队",
        "以会招商",
        "工业项目开发建设",
        "各单位项目建设",
        "领导包保项目推进情况",
        "预警",
    ]
    assert cover["A1"].value == "青山县招商引资工作通报（2026年1—6月）"
    assert any("亿" in str(c.value) or "hundred million" in str(c.value) for c in cover["A"])
    for sheet in [cover, *sections]:
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    for sheet in sections:
        assert sheet["A1"].value.startswith("青山县招商引资工作通报（2026年1—6月）：")
        assert "A1" in [str(r).split(":")[0] for r in sheet.merged_cells.ranges]
        assert sheet.freeze_panes == "A3"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9
        assert sheet.print_title_rows == "$1:$2"
        assert sheet.oddHeader.center.text == sheet["A1"].value
        # the table is bordered, its header and its cells, empty ones too
        assert sheet["A2"].border.left.style == "thin" and sheet["A2"].font.b
        if sheet.max_row >= 3:
            assert all(c.border.bottom.style == "thin" for c in sheet[3]), sheet.title
    units = sections[1]
    headers = [c.value for c in units[2]]
    widths = [column_width(units, c.column) for c in units[2]]
    assert all(w >= text_width(h) for w, h in zip(widths, headers, strict=True))


def column_width(sheet, column: int) -> float:
    """A column's width as a spreadsheet reads it: neighbours of equal width may share one
    <col min max> entry, which openpyxl files under the first column of the span."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= column <= dimension.max:
            return dimension.width
    raise AssertionError(f"column {column} has no width of its own")


def test_workbook_numbers_and_formula_safety(figures):
    book = _open(figures)
    units = book.worksheets[2]
    row = next(r for r in units.iter_rows(min_row=3) if r[1].value == "甲镇")
    funds, target, progress = row[2], row[3], row[4]
    assert (funds.value, funds.data_type, funds.number_format) == (1600, "n", "#,##0.00")
    assert target.value == 4000
    assert (progress.value, progress.number_format) == (0.4, "0.0%")
    warnings = book.worksheets[-1]
    names = [r[2] for r in warnings.iter_rows(min_row=3) if r[2].value]
    cell = next(c for c in names if c.value.startswith("="))
    assert cell.value == '=HYPERLINK("http://x","点我")' and cell.data_type == "s"


def test_workbook_figures_equal_the_snapshot(figures):
    stored = snapshot(figures)
    book = _open(figures)
    keys = book.worksheets[3]
    rows = [[c.value for c in r] for r in keys.iter_rows(min_row=3)]
    assert [(r[0], r[1], D(str(r[4])), D(str(r[5])), r[7], r[8]) for r in rows] == [
        (
            p["code"],
            p["name"],
            D(p["contract_amount_wan"]),
            D(p["funds_to_date_wan"]),
            p["leader_name"] or None,
            p["open_blockers"],
        )
        for p in stored["key_projects"]
    ]
    teams = book.worksheets[4]
    rows = [[c.value for c in r] for r in teams.iter_rows(min_row=3)]
    assert [(r[0], r[1], r[2], r[3], D(str(r[4]))) for r in rows] == [
        (t["name"], t["leads"], t["trips"], t["projects_signed"], D(t["funds_wan"]))
        for t in stored["teams"]
    ]
    units = book.worksheets[2]
    sheet_units = {
        r[1].value: (D(str(r[2].value)), r[7].value)
        for r in units.iter_rows(min_row=3)
        if r[0].value and r[1].value and r[7].value is not None
    }
    for group in stored["unit_groups"]:
        for unit in group["units"]:
            if unit["rank"] is not None:
                assert sheet_units[unit["name"]] == (D(unit["funds_wan"]), unit["rank"])
    totals = book.worksheets[1]
    assert D(str(totals["C3"].value)) == D(stored["funds"]["cumulative_wan"])
    assert D(str(totals["B3"].value)) == D(stored["funds"]["month_wan"])


def test_xlsx_endpoint_grid(users, api_as, figures):
    published = Report.objects.create(
        kind="monthly",
        period=dt.date(2026, 5, 1),
        status="published",
        figures=snapshot(figures),
    )
    draft = Report.objects.create(
        kind="monthly", period=dt.date(2026, 6, 1), figures=snapshot(figures)
    )
    check_grid(
        users,
        api_as,
        f"{URL}{published.pk}/xlsx/",
        [(None, "GET", 401), ("officer_a", "GET", 200), ("bureau", "GET", 200)],
        api=True,
    )
    check_grid(
        users,
        api_as,
        f"{URL}{draft.pk}/xlsx/",
        [(None, "GET", 401), ("officer_a", "GET", 404), ("bureau", "GET", 200)],
        api=True,
    )
    response = api_as(users["officer_a"]).get(f"{URL}{published.pk}/xlsx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert len(book.worksheets) == 10
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("青山县招商引资工作通报（2026年1—6月）.xlsx")
    )
