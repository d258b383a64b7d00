"""The monthly bulletin as an Excel workbook (openpyxl): a cover sheet with the headline,
then one sheet per section. Built from a stored snapshot (Decimals as strings), so its
figures are exactly those of the JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.exports import FORMULA_TRIGGERS, XLSX_CONTENT_TYPE
from core.periods import format_period
from projects.choices import Stage
from targets.choices import Metric
from targets.selectors import METRIC_RULES
from teams.choices import QuotaStatus, TeamKind

from .choices import ReportKind, ScoreComponent
from .models import Report
from .selectors import headline
from .selectors.quarterly import formula_text, in_component_order

AMOUNT = "#,##0.00"
PERCENT = "0.0%"
TEXT, WAN, PCT, INT = "text", "wan", "pct", "int"
HEADER_ROW = 2  # row 1: the merged title; row 2: the headers
MAX_WIDTH = 60


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def text_width(value: Any) -> int:
    """Display width of a value: CJK (and other wide) characters count as 2."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in str(value))


def _write(sheet: Worksheet, row: int, column: int, value: Any, kind: str) -> int:
    """Write one cell: amounts and percentages as numbers with their formats, text as text
    (never a formula). Returns the width the value needs."""
    cell = sheet.cell(row=row, column=column)
    if kind in (WAN, PCT, INT):
        number = _number(value)
        if number is None:
            cell.value = None
            return 0
        cell.value = int(number) if kind == INT else number
        if kind == WAN:
            cell.number_format = AMOUNT
            return text_width(f"{number:,.2f}") + 1
        if kind == PCT:
            cell.number_format = PERCENT
            return text_width(f"{number * 100:.1f}%") + 1
        return text_width(cell.value) + 1
    text = "" if value is None else str(value)
    cell.value = text
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # stays text: "=HYPERLINK(...)" never runs
    return text_width(text)


def _sheet(
    workbook: Workbook,
    figures: dict[str, Any],
    name: str,
    columns: Sequence[tuple[str, str, Callable[[dict], Any]]],
    rows: Sequence[dict],
) -> Worksheet:
    """A section sheet: a merged title row (county and period), the header row (both
    frozen and repeated on every printed page), then the rows."""
    sheet = workbook.create_sheet(title=name[:31])
    if figures.get("kind") == "quarterly":
        title = _("%(title)s: %(section)s") % {"title": _review_title(figures), "section": name}
    else:
        title = _("%(county)s monthly bulletin %(period)s: %(section)s") % {
            "county": settings.COUNTY_NAME,
            "period": figures.get("period", ""),
            "section": name,
        }
    _write(sheet, 1, 1, title, TEXT)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    if len(columns) > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    widths = []
    for index, (header, _kind, _get) in enumerate(columns, start=1):
        widths.append(_write(sheet, HEADER_ROW, index, header, TEXT))
        sheet.cell(row=HEADER_ROW, column=index).font = Font(bold=True)
    for offset, row in enumerate(rows, start=1):
        for index, (_header, kind, get) in enumerate(columns, start=1):
            width = _write(sheet, HEADER_ROW + offset, index, get(row), kind)
            widths[index - 1] = max(widths[index - 1], width)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    _print_setup(sheet, HEADER_ROW)
    return sheet


def _print_setup(sheet: Worksheet, title_rows: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{title_rows}"


def _cover(workbook: Workbook, figures: dict[str, Any]) -> None:
    sheet = workbook.active
    sheet.title = _("Cover")[:31]
    title = _("%(county)s monthly bulletin %(period)s") % {
        "county": settings.COUNTY_NAME,
        "period": figures.get("period", ""),
    }
    _write(sheet, 1, 1, title, TEXT)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=16)
    sentence = figures.get("headline") or (headline(figures) if "funds" in figures else "")
    _write(sheet, 3, 1, sentence, TEXT)
    sheet.column_dimensions["A"].width = min(max(text_width(title), text_width(sentence)) + 2, 120)
    _print_setup(sheet, 1)


def _totals_rows(figures: dict[str, Any]) -> list[dict]:
    funds = figures.get("funds", {})
    origins = figures.get("origins", {})
    stats = figures.get("statistics_projects", {})
    signed = figures.get("signed", {})

    def line(label: str, month: Any = None, cumulative: Any = None, kind: str = WAN) -> dict:
        return {"label": label, "month": month, "cumulative": cumulative, "kind": kind}

    rows = [
        line(_("Funds in place"), funds.get("month_wan"), funds.get("cumulative_wan")),
        line(
            _("Same period last year"),
            funds.get("last_year_month_wan"),
            funds.get("last_year_cumulative_wan"),
        ),
        line(
            _("Year-on-year growth"), funds.get("growth_month"), funds.get("growth_cumulative"), PCT
        ),
        line(_("Annual target"), None, funds.get("target_wan")),
        line(_("Share of the annual target"), None, funds.get("progress"), PCT),
    ]
    month_origins, cumulative_origins = origins.get("month", {}), origins.get("cumulative", {})
    for key, label in (
        ("out_of_city", _("From outside the city")),
        ("out_of_province", _("From outside the province")),
        ("foreign", _("From abroad")),
        ("domestic", _("Domestic funds")),
        ("foreign_total", _("Foreign funds")),
    ):
        rows.append(line(label, month_origins.get(key), cumulative_origins.get(key)))
    for key, label in (
        ("all", _("Projects in the statistics")),
        ("new", _("New projects")),
        ("carried_over", _("Carried-over projects")),
        ("industrial", _("Industrial projects")),
    ):
        part = stats.get(key, {})
        rows.append(line(_("%(kind)s: count") % {"kind": label}, None, part.get("count"), INT))
        if "contract_amount_wan" in part:
            rows.append(
                line(
                    _("%(kind)s: contract amount") % {"kind": label},
                    None,
                    part.get("contract_amount_wan"),
                )
            )
        rows.append(line(_("%(kind)s: funds") % {"kind": label}, None, part.get("funds_wan")))
    rows += [
        line(_("Projects signed"), None, signed.get("count"), INT),
        line(_("Contract amount signed"), None, signed.get("contract_amount_wan")),
        line(
            _("Projects signed of 100 million yuan or more"),
            None,
            signed.get("over_100m_count"),
            INT,
        ),
        line(_("Their contract amount"), None, signed.get("over_100m_contract_amount_wan")),
    ]
    return rows


def _write_totals(workbook: Workbook, figures: dict[str, Any]) -> None:
    rows = _totals_rows(figures)
    sheet = _sheet(
        workbook,
        figures,
        _("Totals"),
        [
            (_("Figure"), TEXT, lambda r: r["label"]),
            (_("This month"), TEXT, lambda r: None),
            (_("Cumulative"), TEXT, lambda r: None),
        ],
        rows,
    )
    # the value columns take each row's own kind (amount, percentage or count)
    for offset, row in enumerate(rows, start=HEADER_ROW + 1):
        _write(sheet, offset, 2, row["month"], row["kind"])
        _write(sheet, offset, 3, row["cumulative"], row["kind"])
    for letter in ("B", "C"):
        sheet.column_dimensions[letter].width = 20


def _unit_rows(figures: dict[str, Any]) -> list[dict]:
    kinds = {"township": _("Townships"), "park": _("Parks"), "department": _("Departments")}
    rows = []
    for group in figures.get("unit_groups", []):
        label = kinds.get(group["kind"], group["kind"])
        for unit in group["units"]:
            rows.append({**unit, "group": label})
        subtotal = group["subtotal"]
        rows.append(
            {
                "group": label,
                "code": "",
                "name": _("Subtotal"),
                "funds_wan": subtotal["funds_wan"],
                "target_wan": subtotal["target_wan"],
                "progress": subtotal["progress"],
                "time_progress": figures.get("time_progress"),
            }
        )
    return rows


def _yes(value: Any) -> str:
    return _("yes") if value else ""


def bulletin_workbook(figures: dict) -> bytes:
    """The workbook of a monthly bulletin's figures (a stored snapshot, or the selector's
    output): a cover sheet, then totals, units, key projects, teams and warnings."""
    workbook = Workbook()
    _cover(workbook, figures)
    _write_totals(workbook, figures)
    _sheet(
        workbook,
        figures,
        pgettext("bulletin section", "Units"),  # not the menu's "Units" (unit management)
        [
            (_("Group"), TEXT, lambda r: r["group"]),
            (_("Unit"), TEXT, lambda r: r["name"]),
            (_("Funds in place (10k yuan)"), WAN, lambda r: r["funds_wan"]),
            (_("Annual target (10k yuan)"), WAN, lambda r: r["target_wan"]),
            (_("Share of target"), PCT, lambda r: r["progress"]),
            (_("Time progress"), PCT, lambda r: r["time_progress"]),
            (_("Behind"), TEXT, lambda r: _yes(r.get("behind"))),
            (_("Rank"), INT, lambda r: r.get("rank")),
        ],
        _unit_rows(figures),
    )
    _sheet(
        workbook,
        figures,
        _("Key projects"),
        [
            (_("Code"), TEXT, lambda r: r["code"]),
            (_("Project"), TEXT, lambda r: r["name"]),
            (_("Unit"), TEXT, lambda r: r["unit"]),
            (_("Stage"), TEXT, lambda r: dict(Stage.choices).get(r["stage"], r["stage"])),
            (_("Contract amount (10k yuan)"), WAN, lambda r: r["contract_amount_wan"]),
            (_("Funds to date (10k yuan)"), WAN, lambda r: r["funds_to_date_wan"]),
            (_("Open blockers"), INT, lambda r: r["open_blockers"]),
        ],
        figures.get("key_projects", []),
    )
    _sheet(
        workbook,
        figures,
        _("Teams"),
        [
            (_("Team"), TEXT, lambda r: r["name"]),
            (_("Leads"), INT, lambda r: r["leads"]),
            (_("Trips"), INT, lambda r: r["trips"]),
            (_("Projects signed"), INT, lambda r: r["projects_signed"]),
            (_("Funds in place (10k yuan)"), WAN, lambda r: r["funds_wan"]),
        ],
        figures.get("teams", []),
    )
    _sheet(
        workbook,
        figures,
        _("Warnings"),
        [
            (_("Warning"), TEXT, lambda r: r[0]),
            (_("Unit"), TEXT, lambda r: r[1]),
            (_("Project"), TEXT, lambda r: r[2]),
            (_("Details"), TEXT, lambda r: r[3]),
            (_("Amount (10k yuan)"), WAN, lambda r: r[4]),
            (_("Share of target"), PCT, lambda r: r[5]),
        ],
        _warning_rows(figures.get("warnings", {})),
    )
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _stall_reason(code: str) -> str:
    reasons = {
        "negotiation": _("no progress in negotiation"),
        "start": _("agreed start date passed"),
        "key": _("key project idle"),
    }
    return reasons.get(code, code)


def _warning_rows(warnings: dict[str, Any]) -> list[tuple]:
    rows: list[tuple] = []
    for unit in warnings.get("blank_units", []):
        rows.append((_("Blank unit"), unit["name"], "", "", None, None))
    for unit in warnings.get("behind_units", []):
        rows.append((_("Behind time progress"), unit["name"], "", "", None, unit["progress"]))
    for project in warnings.get("stalled_projects", []):
        rows.append(
            (
                _("Stalled project"),
                project["unit"],
                project["name"],
                ", ".join(_stall_reason(why) for why in project["why"]),
                None,
                None,
            )
        )
    for blocker in warnings.get("overdue_blockers", []):
        details = f"{blocker['description']} ({blocker['due_on']})"
        rows.append(
            (_("Overdue blocker"), blocker["unit"], blocker["project_name"], details, None, None)
        )
    for record in warnings.get("flagged_figures", []):
        rows.append(
            (
                _("Figure flagged on entry"),
                record["unit"],
                record["project_name"],
                f"{record['period']} {record['reasons']}",
                record["amount_wan"],
                None,
            )
        )
    for unit in warnings.get("red_list", []):
        rows.append((_("Red list"), unit["name"], "", "", None, unit["progress"]))
    for unit in warnings.get("top_list", []):
        rows.append((_("Top list"), unit["name"], "", "", None, unit["progress"]))
    return rows


# --- The quarterly review (一季一调度) -------------------------------------------------------


def quarter_label(figures: dict[str, Any]) -> str:
    return _("%(year)s Q%(quarter)s") % {
        "year": figures.get("year", ""),
        "quarter": figures.get("quarter", ""),
    }


def _review_title(figures: dict[str, Any]) -> str:
    return _("%(county)s quarterly review %(quarter)s") % {
        "county": settings.COUNTY_NAME,
        "quarter": quarter_label(figures),
    }


def _group_label(kind: str) -> str:
    labels = {
        "township": _("Townships"),
        "park": _("Parks"),
        "department": _("Departments"),
        **{value: str(label) for value, label in TeamKind.choices},
    }
    return labels.get(kind, kind)


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


def _metric_kind(metric: str) -> str:
    rule = METRIC_RULES.get(metric)
    return INT if rule is not None and rule.total is None else WAN


def review_workbook(figures: dict) -> bytes:
    """The workbook of a quarterly review (a stored snapshot, or the selector's output): a
    cover with the formula, then the weights, units, metric progress, teams, blank and
    lagging units, stalled projects and overdue blockers, one sheet each."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = _("Cover")[:31]
    title = _review_title(figures)
    _write(cover, 1, 1, title, TEXT)
    cover.cell(row=1, column=1).font = Font(bold=True, size=16)
    formula = formula_text(figures.get("formula", {}))
    _write(cover, 3, 1, _("How the score is computed"), TEXT)
    cover.cell(row=3, column=1).font = Font(bold=True)
    _write(cover, 4, 1, formula, TEXT)
    cover.cell(row=4, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 120
    cover.row_dimensions[4].height = 90
    _print_setup(cover, 1)

    weights = figures.get("weights", {})
    _sheet(
        workbook,
        figures,
        _("Score weights"),
        [
            (_("Part of the score"), TEXT, lambda r: _label(ScoreComponent.choices, r[0])),
            (_("Weight (points)"), INT, lambda r: r[1]),
        ],
        in_component_order(weights),
    )

    def trips(row: dict, key: str) -> Any:
        return (row.get("trips") or {}).get(key)

    def rate(row: dict, key: str) -> Any:
        return (row.get("rates") or {}).get(key)

    unit_rows = [
        {**unit, "group": _group_label(group["kind"])}
        for group in figures.get("unit_groups", [])
        for unit in group["units"]
    ]
    _sheet(
        workbook,
        figures,
        pgettext("bulletin section", "Units"),
        [
            (_("Group"), TEXT, lambda r: r["group"]),
            (_("Unit"), TEXT, lambda r: r["name"]),
            (_("Score"), WAN, lambda r: r.get("score")),
            (_("Rank"), INT, lambda r: r.get("rank")),
            (_("Share of funds target"), PCT, lambda r: r.get("funds_progress")),
            (_("Time progress"), PCT, lambda r: figures.get("time_progress")),
            (_("Behind"), TEXT, lambda r: _yes(r.get("behind"))),
            (_("Blank"), TEXT, lambda r: _yes(r.get("blank"))),
            (_("Trips this year"), INT, lambda r: trips(r, "count")),
            (_("Quota to date"), WAN, lambda r: trips(r, "quota_to_date")),
            (
                _("Trips against quota"),
                TEXT,
                lambda r: _label(QuotaStatus.choices, trips(r, "status")),
            ),
            (_("Signing rate"), PCT, lambda r: rate(r, "signing_rate")),
            (_("Start rate"), PCT, lambda r: rate(r, "start_rate")),
            (_("On-time start rate"), PCT, lambda r: rate(r, "on_time_rate")),
            (_("Funds rate"), PCT, lambda r: rate(r, "funds_rate")),
            (_("Leads"), INT, lambda r: r.get("leads")),
            (_("Officers"), INT, lambda r: r.get("officers")),
            (_("Leads per officer"), WAN, lambda r: r.get("leads_per_officer")),
        ],
        unit_rows,
    )

    metric_rows = [
        {**metric, "group": row["group"], "owner": row["name"]}
        for row in unit_rows
        for metric in row.get("metrics", [])
    ]
    team_rows = [
        {**team, "group": _group_label(group["kind"])}
        for group in figures.get("team_groups", [])
        for team in group["teams"]
    ]
    metric_rows += [
        {**metric, "group": row["group"], "owner": row["name"]}
        for row in team_rows
        for metric in row.get("metrics", [])
    ]
    sheet = _sheet(
        workbook,
        figures,
        _("Metric progress"),
        [
            (_("Group"), TEXT, lambda r: r["group"]),
            (_("Unit or team"), TEXT, lambda r: r["owner"]),
            (_("Metric"), TEXT, lambda r: _label(Metric.choices, r["metric"])),
            (_("Target"), TEXT, lambda r: None),
            (_("Actual"), TEXT, lambda r: None),
            (_("Share of target"), PCT, lambda r: r["progress"]),
            (_("Time progress"), PCT, lambda r: r["time_progress"]),
            (_("Behind"), TEXT, lambda r: _yes(r.get("behind"))),
        ],
        metric_rows,
    )
    # target and actual take the metric's own kind (an amount or a count)
    for offset, row in enumerate(metric_rows, start=HEADER_ROW + 1):
        kind = _metric_kind(row["metric"])
        _write(sheet, offset, 4, row["target"], kind)
        _write(sheet, offset, 5, row["actual"], kind)
    for letter in ("D", "E"):
        sheet.column_dimensions[letter].width = 16

    _sheet(
        workbook,
        figures,
        _("Teams"),
        [
            (_("Group"), TEXT, lambda r: r["group"]),
            (_("Team"), TEXT, lambda r: r["name"]),
            (_("Score"), WAN, lambda r: r.get("score")),
            (_("Rank"), INT, lambda r: r.get("rank")),
            (_("Trips this year"), INT, lambda r: trips(r, "count")),
            (_("Quota to date"), WAN, lambda r: trips(r, "quota_to_date")),
            (
                _("Trips against quota"),
                TEXT,
                lambda r: _label(QuotaStatus.choices, trips(r, "status")),
            ),
            (_("Leads"), INT, lambda r: r.get("leads")),
        ],
        team_rows,
    )
    flagged = [(_("Blank unit"), unit, None) for unit in figures.get("blank_units", [])]
    flagged += [
        (_("Behind on funds"), unit, unit.get("progress"))
        for unit in figures.get("lagging_units", [])
    ]
    _sheet(
        workbook,
        figures,
        _("Blank and lagging units"),
        [
            (_("Warning"), TEXT, lambda r: r[0]),
            (_("Unit"), TEXT, lambda r: r[1]["name"]),
            (_("Share of funds target"), PCT, lambda r: r[2]),
            (_("Time progress"), PCT, lambda r: figures.get("time_progress") if r[2] else None),
        ],
        flagged,
    )
    _sheet(
        workbook,
        figures,
        _("Stalled projects"),
        [
            (_("Code"), TEXT, lambda r: r["code"]),
            (_("Project"), TEXT, lambda r: r["name"]),
            (_("Unit"), TEXT, lambda r: r["unit"]),
            (_("Why"), TEXT, lambda r: ", ".join(_stall_reason(why) for why in r["why"])),
        ],
        figures.get("stalled_projects", []),
    )
    _sheet(
        workbook,
        figures,
        _("Overdue blockers"),
        [
            (_("Code"), TEXT, lambda r: r["project_code"]),
            (_("Project"), TEXT, lambda r: r["project_name"]),
            (_("Unit"), TEXT, lambda r: r["unit"]),
            (_("Problem"), TEXT, lambda r: r["description"]),
            (_("Unit responsible"), TEXT, lambda r: r["owner_unit"]),
            (_("Due on"), TEXT, lambda r: r["due_on"]),
        ],
        figures.get("overdue_blockers", []),
    )
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


# The workbook of each kind of report, and how its file is named.
WORKBOOKS = {
    ReportKind.MONTHLY: (bulletin_workbook, "bulletin"),
    ReportKind.QUARTERLY: (review_workbook, "review"),
}


def report_workbook_response(report: Report) -> HttpResponse:
    """The stored snapshot of `report` as its Excel workbook, to download."""
    build, prefix = WORKBOOKS[report.kind]
    response = HttpResponse(build(report.figures), content_type=XLSX_CONTENT_TYPE)
    filename = f"{prefix}-{format_period(report.period)}-v{report.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
