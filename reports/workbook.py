"""The report workbooks, written by XlsxWriter in constant-memory mode: the monthly bulletin
(a cover sheet with the headline, then one sheet per section) and the quarterly review (a
cover with the score's formula, then one sheet per part). Built from a stored snapshot
(Decimals as strings), so their figures are exactly those of the JSON.

Constant memory writes each row whole and in order, and forgets it once the next begins:
a province's bulletin (tens of thousands of rows) costs little more memory than a county's.
So a column whose cells change kind with the row (the totals' amounts, percentages and
counts; a metric's target, an amount or a count) takes each row's own kind as the row is
written, never patched afterwards. Amounts and percentages are numbers with their formats,
counts integers, and text is always written as text: a name such as "=HYPERLINK(...)" can
never run in the reader's spreadsheet."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

import xlsxwriter
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from xlsxwriter.worksheet import Worksheet

from core.exports import XLSX_CONTENT_TYPE
from core.periods import format_period
from projects.choices import Stage
from targets.choices import Metric
from targets.selectors import METRIC_RULES
from teams.choices import TeamKind
from trips.choices import QuotaStatus

from .choices import ReportKind, ScoreComponent
from .models import Report
from .selectors import headline
from .selectors.quarterly import formula_text, in_component_order

AMOUNT = "#,##0.00"
PERCENT = "0.0%"
TEXT, WAN, PCT, INT = "text", "wan", "pct", "int"
# Rows and columns count from 0, as XlsxWriter's do: the merged title, then the headers.
TITLE_ROW, HEADER_ROW = 0, 1
MAX_WIDTH = 60
COVER_MAX_WIDTH = 120
A4 = 9  # the paper size's code in the file format
WIDE = re.compile("[\u2e80-\U0010ffff]")

# A column: its header, the kind of its cells (or how a row tells it), how a row gives its value.
Kind = str | Callable[[Any], str]
Column = tuple[str, Kind, Callable[[Any], Any]]


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def text_width(value: Any) -> int:
    """Display width of a value: CJK (and other wide) characters count as 2."""
    text = str(value)
    if text.isascii():
        return len(text)
    return len(text) + len(WIDE.findall(text))


class _Book:
    """A workbook being written, with the cell formats its sheets share (XlsxWriter keeps
    one record per format object, so each is made once)."""

    def __init__(self, figures: dict[str, Any]) -> None:
        self.figures = figures
        self.output = BytesIO()
        self.workbook = xlsxwriter.Workbook(self.output, {"constant_memory": True})
        add = self.workbook.add_format
        self.numbers = {
            WAN: add({"num_format": AMOUNT}),
            PCT: add({"num_format": PERCENT}),
            INT: None,
        }
        self.title = add({"bold": True, "font_size": 14, "align": "center"})
        self.cover_title = add({"bold": True, "font_size": 16})
        self.bold = add({"bold": True})
        self.wrapped = add({"text_wrap": True, "valign": "top"})

    def sheet(self, name: str) -> Worksheet:
        return self.workbook.add_worksheet(name[:31])

    def write(
        self, sheet: Worksheet, row: int, column: int, value: Any, kind: str, style: Any = None
    ) -> int:
        """Write one cell: amounts and percentages as numbers with their formats, counts as
        integers, text as text (never a formula); nothing for a missing value. Returns the
        width the value needs."""
        if kind == TEXT:
            text = "" if value is None else str(value)
            if text:
                sheet.write_string(row, column, text, style)
            return text_width(text)
        number = _number(value)
        if number is None:
            return 0
        if kind == INT:
            count = int(number)
            sheet.write_number(row, column, count)
            return len(str(count)) + 1
        sheet.write_number(row, column, number, self.numbers[kind])
        if kind == WAN:
            return len(f"{number:,.2f}") + 1
        return len(f"{number * 100:.1f}%") + 1

    def section(
        self,
        name: str,
        columns: Sequence[Column],
        rows: Sequence[Any],
        widths: dict[int, int] | None = None,
    ) -> None:
        """A section sheet: a merged title row (county and period), the header row (both
        frozen and repeated on every printed page), then the rows, each written whole.
        Each column is as wide as its widest cell, unless `widths` fixes it."""
        sheet = self.sheet(name)
        if len(columns) > 1:
            # merged empty, then the title written as text (merge_range's own value could
            # turn into a formula)
            sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, len(columns) - 1, "", self.title)
        self.write(sheet, TITLE_ROW, 0, self._section_title(name), TEXT, self.title)
        needed = [
            self.write(sheet, HEADER_ROW, index, header, TEXT, self.bold)
            for index, (header, _kind, _get) in enumerate(columns)
        ]
        for number, row in enumerate(rows, start=HEADER_ROW + 1):
            for index, (_header, kind, get) in enumerate(columns):
                width = self.write(
                    sheet, number, index, get(row), kind if isinstance(kind, str) else kind(row)
                )
                if width > needed[index]:
                    needed[index] = width
        fixed = widths or {}
        for index, width in enumerate(needed):
            sheet.set_column(index, index, fixed.get(index, min(width + 2, MAX_WIDTH)))
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        _print_setup(sheet, HEADER_ROW + 1)

    def _section_title(self, name: str) -> str:
        if self.figures.get("kind") == "quarterly":
            return _("%(title)s: %(section)s") % {
                "title": _review_title(self.figures),
                "section": name,
            }
        return _("%(county)s monthly bulletin %(period)s: %(section)s") % {
            "county": settings.COUNTY_NAME,
            "period": self.figures.get("period", ""),
            "section": name,
        }

    def close(self) -> bytes:
        self.workbook.close()
        return self.output.getvalue()


def _print_setup(sheet: Worksheet, title_rows: int) -> None:
    """Landscape A4, one page wide (as many tall as needed), the first `title_rows` rows
    repeated on every page."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, title_rows - 1)


def _bulletin_cover(book: _Book, figures: dict[str, Any]) -> None:
    sheet = book.sheet(_("Cover"))
    title = _("%(county)s monthly bulletin %(period)s") % {
        "county": settings.COUNTY_NAME,
        "period": figures.get("period", ""),
    }
    book.write(sheet, 0, 0, title, TEXT, book.cover_title)
    sentence = figures.get("headline") or (headline(figures) if "funds" in figures else "")
    book.write(sheet, 2, 0, sentence, TEXT)
    sheet.set_column(0, 0, min(max(text_width(title), text_width(sentence)) + 2, COVER_MAX_WIDTH))
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


def _write_totals(book: _Book, figures: dict[str, Any]) -> None:
    """The totals: the value columns take each row's own kind (amount, percentage or
    count), and a fixed width."""

    def row_kind(row: dict) -> str:
        return row["kind"]

    book.section(
        _("Totals"),
        [
            (_("Figure"), TEXT, lambda r: r["label"]),
            (_("This month"), row_kind, lambda r: r["month"]),
            (_("Cumulative"), row_kind, lambda r: r["cumulative"]),
        ],
        _totals_rows(figures),
        widths={1: 20, 2: 20},
    )


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
    book = _Book(figures)
    _bulletin_cover(book, figures)
    _write_totals(book, figures)
    book.section(
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
    stages = dict(Stage.choices)
    book.section(
        _("Key projects"),
        [
            (_("Code"), TEXT, lambda r: r["code"]),
            (_("Project"), TEXT, lambda r: r["name"]),
            (_("Unit"), TEXT, lambda r: r["unit"]),
            (_("Stage"), TEXT, lambda r: stages.get(r["stage"], r["stage"])),
            (_("Contract amount (10k yuan)"), WAN, lambda r: r["contract_amount_wan"]),
            (_("Funds to date (10k yuan)"), WAN, lambda r: r["funds_to_date_wan"]),
            (_("Open blockers"), INT, lambda r: r["open_blockers"]),
        ],
        figures.get("key_projects", []),
    )
    book.section(
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
    book.section(
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
    return book.close()


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


def _review_cover(book: _Book, figures: dict[str, Any]) -> None:
    """The title, then how the score is computed: the formula wrapped in a tall row."""
    sheet = book.sheet(_("Cover"))
    book.write(sheet, 0, 0, _review_title(figures), TEXT, book.cover_title)
    book.write(sheet, 2, 0, _("How the score is computed"), TEXT, book.bold)
    sheet.set_row(3, 90)
    book.write(sheet, 3, 0, formula_text(figures.get("formula", {})), TEXT, book.wrapped)
    sheet.set_column(0, 0, COVER_MAX_WIDTH)
    _print_setup(sheet, 1)


def review_workbook(figures: dict) -> bytes:
    """The workbook of a quarterly review (a stored snapshot, or the selector's output): a
    cover with the formula, then the weights, units, metric progress, teams, blank and
    lagging units, stalled projects and overdue blockers, one sheet each."""
    book = _Book(figures)
    _review_cover(book, figures)
    book.section(
        _("Score weights"),
        [
            (_("Part of the score"), TEXT, lambda r: _label(ScoreComponent.choices, r[0])),
            (_("Weight (points)"), INT, lambda r: r[1]),
        ],
        in_component_order(figures.get("weights", {})),
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
    book.section(
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

    team_rows = [
        {**team, "group": _group_label(group["kind"])}
        for group in figures.get("team_groups", [])
        for team in group["teams"]
    ]
    metric_rows = [
        {**metric, "group": row["group"], "owner": row["name"]}
        for row in [*unit_rows, *team_rows]
        for metric in row.get("metrics", [])
    ]

    def metric_kind(row: dict) -> str:
        return _metric_kind(row["metric"])

    # target and actual take the metric's own kind (an amount or a count), a fixed width
    book.section(
        _("Metric progress"),
        [
            (_("Group"), TEXT, lambda r: r["group"]),
            (_("Unit or team"), TEXT, lambda r: r["owner"]),
            (_("Metric"), TEXT, lambda r: _label(Metric.choices, r["metric"])),
            (_("Target"), metric_kind, lambda r: r["target"]),
            (_("Actual"), metric_kind, lambda r: r["actual"]),
            (_("Share of target"), PCT, lambda r: r["progress"]),
            (_("Time progress"), PCT, lambda r: r["time_progress"]),
            (_("Behind"), TEXT, lambda r: _yes(r.get("behind"))),
        ],
        metric_rows,
        widths={3: 16, 4: 16},
    )

    book.section(
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
    book.section(
        _("Blank and lagging units"),
        [
            (_("Warning"), TEXT, lambda r: r[0]),
            (_("Unit"), TEXT, lambda r: r[1]["name"]),
            (_("Share of funds target"), PCT, lambda r: r[2]),
            (_("Time progress"), PCT, lambda r: figures.get("time_progress") if r[2] else None),
        ],
        flagged,
    )
    book.section(
        _("Stalled projects"),
        [
            (_("Code"), TEXT, lambda r: r["code"]),
            (_("Project"), TEXT, lambda r: r["name"]),
            (_("Unit"), TEXT, lambda r: r["unit"]),
            (_("Why"), TEXT, lambda r: ", ".join(_stall_reason(why) for why in r["why"])),
        ],
        figures.get("stalled_projects", []),
    )
    book.section(
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
    return book.close()


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
