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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import xlsxwriter
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from xlsxwriter.worksheet import Worksheet

from core import periods
from core.exports import XLSX_CONTENT_TYPE
from events.choices import EventKind
from projects.choices import STAGE_ORDER, Stage
from supervision.choices import OrderLevel
from targets.choices import Metric
from targets.selectors import METRIC_RULES
from teams.choices import TeamKind, UnitKind
from teams.models import Unit
from trips.choices import QuotaStatus

from .choices import ReportKind, ScoreComponent, StallReason, UnitGroup, label_of
from .figures import MonthlyBulletin, QuarterlyReview
from .models import Report
from .selectors import headline
from .selectors.monthly import construction_headline, red_reason_text
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


@dataclass(frozen=True)
class Issued:
    """Who issues a report and when: printed on its cover."""

    by: str = ""
    on: date | None = None


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
        # every cell of a section's table is bordered, as a printed 通报's table is
        self.numbers = {
            WAN: add({"num_format": AMOUNT, "border": 1}),
            PCT: add({"num_format": PERCENT, "border": 1}),
            INT: add({"border": 1}),
        }
        self.cell = add({"border": 1})
        self.title = add({"bold": True, "font_size": 14, "align": "center"})
        self.cover_title = add({"bold": True, "font_size": 16, "align": "center"})
        self.header = add({"bold": True, "border": 1, "bg_color": "#F2F2F2", "text_wrap": True})
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
            elif style is not None:
                sheet.write_blank(row, column, None, style)
            return text_width(text)
        number = _number(value)
        if number is None:
            sheet.write_blank(row, column, None, self.numbers[kind])
            return 0
        if kind == INT:
            count = int(number)
            sheet.write_number(row, column, count, self.numbers[INT])
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
            self.write(sheet, HEADER_ROW, index, header, TEXT, self.header)
            for index, (header, _kind, _get) in enumerate(columns)
        ]
        for number, row in enumerate(rows, start=HEADER_ROW + 1):
            for index, (_header, kind, get) in enumerate(columns):
                width = self.write(
                    sheet,
                    number,
                    index,
                    get(row),
                    kind if isinstance(kind, str) else kind(row),
                    self.cell,
                )
                if width > needed[index]:
                    needed[index] = width
        fixed = widths or {}
        for index, width in enumerate(needed):
            sheet.set_column(index, index, fixed.get(index, min(width + 2, MAX_WIDTH)))
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        _print_setup(sheet, HEADER_ROW + 1, self._section_title(name))

    def _section_title(self, name: str) -> str:
        if self.figures.get("kind") == "quarterly":
            return _("%(title)s: %(section)s") % {
                "title": _review_title(self.figures),
                "section": name,
            }
        return _("%(title)s: %(section)s") % {
            "title": bulletin_title(self.figures),
            "section": name,
        }

    def close(self) -> bytes:
        self.workbook.close()
        return self.output.getvalue()


def _print_setup(sheet: Worksheet, title_rows: int, title: str = "") -> None:
    """Landscape A4, one page wide (as many tall as needed), the first `title_rows` rows
    repeated on every page, the title in the header and the page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, title_rows - 1)
    if title:
        sheet.set_header(f"&C{_header_text(title)}")
    sheet.set_footer("&C" + _("Page &P of &N"))


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # "&" starts a code in a header


def bulletin_span(figures: dict[str, Any]) -> str:
    """The months a bulletin covers, as a 通报 names them: "2026年1—4月", "2026年1月"."""
    return periods.year_to_month_label(figures.get("year", ""), int(figures.get("month") or 1))


def bulletin_title(figures: dict[str, Any]) -> str:
    """ "青山县招商引资工作通报（2026年1—4月）": the title, and the workbook's file name."""
    return _("%(county)s investment promotion bulletin (%(span)s)") % {
        "county": settings.COUNTY_NAME,
        "span": bulletin_span(figures),
    }


def _bulletin_cover(book: _Book, figures: dict[str, Any], issued: Issued) -> None:
    """The cover of the 通报: its title, who issues it and when, then the headline
    sentences of both halves."""
    sheet = book.sheet(_("Cover"))
    title = bulletin_title(figures)
    book.write(sheet, 0, 0, title, TEXT, book.cover_title)
    if issued.by or issued.on:
        line = " ".join(part for part in (issued.by, issued.on.isoformat() if issued.on else ""))
        book.write(sheet, 1, 0, line.strip(), TEXT)
    complete = figures.get("funds") is not None and figures.get("month") is not None
    sentences = [figures.get("headline") or (headline(figures) if complete else "")]
    sentences += construction_headline(figures)
    width = text_width(title)
    for number, sentence in enumerate(sentences, start=3):
        book.write(sheet, number, 0, sentence, TEXT, book.wrapped)
        width = max(width, text_width(sentence))
    sheet.set_column(0, 0, min(width + 2, COVER_MAX_WIDTH))
    _print_setup(sheet, 1, title)


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
        line(
            _("Of 100 million yuan or more, same period last year"),
            None,
            signed.get("over_100m_last_year_count"),
            INT,
        ),
        line(
            _("Their contract amount, same period last year"),
            None,
            signed.get("over_100m_last_year_contract_amount_wan"),
        ),
        line(
            _("Of 100 million yuan or more: year-on-year growth"),
            None,
            signed.get("over_100m_growth"),
            PCT,
        ),
    ]
    return rows


def construction_rows(figures: dict[str, Any]) -> list[dict]:
    """The second half's totals (a stored snapshot or the selector's output; none for a
    snapshot from before it), shared by the page and the workbook."""
    built = figures.get("construction")
    if not built:
        return []
    invested, building = built["investment"], built["under_construction"]
    key, planned = built["key_industrial"], built["planned_starts"]
    reserve, sponsored = built["new_reserve_projects"], built["sponsored"]

    def line(name: str, label: str, count: Any = None, amount: Any = None, kind: str = WAN) -> dict:
        return {"key": name, "label": label, "count": count, "amount": amount, "kind": kind}

    return [
        line("investment_month", _("Completed investment this month"), None, invested["month_wan"]),
        line("investment", _("Completed investment this year"), None, invested["cumulative_wan"]),
        line(
            "investment_last_year",
            _("Same period last year"),
            None,
            invested["last_year_cumulative_wan"],
        ),
        line("growth", _("Year-on-year growth"), None, invested["growth_cumulative"], PCT),
        line("target", _("Annual target"), None, invested["target_wan"]),
        line("progress", _("Share of the annual target"), None, invested["progress"], PCT),
        line(
            "investment_industrial", _("Of industrial projects"), None, invested["industrial_wan"]
        ),
        line("investment_key", _("Of key projects"), None, invested["key_projects_wan"]),
        line(
            "building",
            _("Projects under construction"),
            building["count"],
            building["investment_wan"],
        ),
        line(
            "building_in_parks",
            _("Of them in parks"),
            building["in_parks_count"],
            building["in_parks_investment_wan"],
        ),
        line(
            "key_industrial",
            _("Key industrial projects of 5 million yuan or more"),
            key["count"],
            key["investment_wan"],
        ),
        line(
            "planned_starts",
            _("Projects to start (planned investment of the year)"),
            planned["count"],
            planned["planned_investment_wan"],
        ),
        line(
            "new_reserve_projects",
            _("New reserve projects (total investment)"),
            reserve["count"],
            reserve["total_investment_wan"],
        ),
        line(
            "sponsored",
            _("Projects sponsored by leaders"),
            sponsored["projects"],
            sponsored["investment_wan"],
        ),
    ]


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
    rows = []
    for group in figures.get("unit_groups", []):
        label = label_of(UnitGroup, group["kind"])
        for unit in group["units"]:
            rows.append({**unit, "group": label})
        subtotal = group["subtotal"]
        rows.append(
            {
                **subtotal,
                "group": label,
                "code": "",
                "name": _("Subtotal"),
                "time_progress": figures.get("time_progress"),
            }
        )
    return rows


def _yes(value: Any) -> str:
    return _("yes") if value else ""


def bulletin_workbook(figures: dict, issued: Issued | None = None) -> bytes:
    """The workbook of a monthly bulletin's figures (a stored snapshot, or the selector's
    output), printed as the 通报: a cover (title, issuer and date, the headline sentences
    of both halves), then totals, units, key projects, teams, the construction half and
    warnings, each sheet bordered, titled and numbered by page."""
    figures = MonthlyBulletin.from_stored(figures)
    book = _Book(figures)
    _bulletin_cover(book, figures, issued or Issued())
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
            *[
                (str(Stage(stage).label), INT, lambda r, s=stage: r.get("stages", {}).get(s))
                for stage in STAGE_ORDER
            ],
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
            (_("Completed investment (10k yuan)"), WAN, lambda r: r.get("investment_wan")),
            (_("Responsible leader"), TEXT, lambda r: r.get("leader_name")),
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
            (_("Completed investment (10k yuan)"), WAN, lambda r: r.get("investment_wan")),
        ],
        figures.get("teams", []),
    )
    if figures.schema_version >= 3:  # a bulletin stored before events were counted has none
        book.section(_("Signings at events"), event_columns(), event_sheet_rows(figures))
    if figures.get("construction"):
        _write_construction(book, figures)
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


def event_sheet_rows(figures: MonthlyBulletin) -> list[dict[str, Any]]:
    """The signings at events (以会招商) as the workbook lists them: each event's line
    (all units) and then each unit's against its quota. A re-signing counts nothing."""
    rows: list[dict[str, Any]] = []
    for event in figures.events:
        dates = event.start_on.isoformat()
        if event.end_on and event.end_on != event.start_on:
            dates += "—" + event.end_on.isoformat()
        common = {"event": event.name, "kind": label_of(EventKind, event.kind), "dates": dates}
        rows.append(
            {
                **common,
                "unit": _("All units"),
                "quota": sum(unit.quota or 0 for unit in event.units) or None,
                "first_signings": event.first_signings,
                "contract_amount_wan": event.contract_amount_wan,
                "short_by": None,
                "re_signings": event.re_signings,
            }
        )
        for unit in event.units:
            rows.append(
                {
                    **common,
                    "unit": unit.name,
                    "quota": unit.quota,
                    "first_signings": unit.first_signings,
                    "contract_amount_wan": unit.contract_amount_wan,
                    "short_by": unit.short_by,
                    "re_signings": None,
                }
            )
    return rows


def event_columns() -> list[tuple[str, str, Callable[[dict], Any]]]:
    """The events sheet's columns: header, kind of cell, value."""
    return [
        (_("Event"), TEXT, lambda r: r["event"]),
        (_("Kind"), TEXT, lambda r: r["kind"]),
        (_("Dates"), TEXT, lambda r: r["dates"]),
        (_("Unit"), TEXT, lambda r: r["unit"]),
        (_("Signing quota"), INT, lambda r: r["quota"]),
        (_("First signings"), INT, lambda r: r["first_signings"]),
        (_("Contract amount (10k yuan)"), WAN, lambda r: r["contract_amount_wan"]),
        (_("Short of quota"), INT, lambda r: r["short_by"]),
        (_("Re-signings (not counted)"), INT, lambda r: r["re_signings"]),
    ]


def _write_construction(book: _Book, figures: dict[str, Any]) -> None:
    """The second half: its totals, construction by unit, and the 包保 leaders' projects."""

    def row_kind(row: dict) -> str:
        return row["kind"]

    book.section(
        _("Industrial project construction"),
        [
            (_("Figure"), TEXT, lambda r: r["label"]),
            (_("Count"), INT, lambda r: r["count"]),
            (_("Amount"), row_kind, lambda r: r["amount"]),
        ],
        construction_rows(figures),
        widths={1: 12, 2: 20},
    )
    book.section(
        _("Construction by unit"),
        [
            (_("Group"), TEXT, lambda r: r["group"]),
            (_("Unit"), TEXT, lambda r: r["name"]),
            (_("Projects under construction"), INT, lambda r: r.get("building")),
            (_("Their investment (10k yuan)"), WAN, lambda r: r.get("building_investment_wan")),
            (_("Completed investment (10k yuan)"), WAN, lambda r: r.get("investment_wan")),
            (_("Annual target (10k yuan)"), WAN, lambda r: r.get("investment_target_wan")),
            (_("Share of target"), PCT, lambda r: r.get("investment_progress")),
        ],
        _unit_rows(figures),
    )
    book.section(
        _("Projects by responsible leader"),
        [
            (_("Responsible leader"), TEXT, lambda r: r["leader"]),
            (_("Projects"), INT, lambda r: r["projects"]),
            (_("Started"), INT, lambda r: r["started"]),
            (_("Completed investment (10k yuan)"), WAN, lambda r: r["investment_wan"]),
            (_("Open blockers"), INT, lambda r: r["open_blockers"]),
        ],
        figures["construction"]["sponsored"]["by_leader"],
    )


def _stall_reason(code: str) -> str:
    return label_of(StallReason, code)


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
    for order in warnings.get("overdue_orders", []):
        subject = order.subject_text
        details = f"{order['matter']} ({order['due_on']}, {label_of(OrderLevel, order['level'])})"
        rows.append((_("Overdue supervision order"), order["unit"], subject, details, None, None))
    for record in warnings.get("flagged_figures", []):
        rows.append(
            (
                _("Figure flagged on entry"),
                record["unit"],
                record["project_name"],
                f"{_month_of(record['period'])} {record['reasons']}",
                record["amount_wan"],
                None,
            )
        )
    for unit in warnings.get("red_list", []):
        why = "；".join(red_reason_text(reason) for reason in unit.get("reasons", []))
        rows.append((_("Red list"), unit["name"], "", why, None, unit["progress"]))
    for unit in warnings.get("top_list", []):
        rows.append((_("Top list"), unit["name"], "", "", None, unit["progress"]))
    return rows


# --- The quarterly review (一季一调度) -------------------------------------------------------


def _month_of(period: Any) -> str:
    """A stored "YYYY-MM" as people write it ("2026年11月"); anything else as it is."""
    try:
        return periods.month_label(str(period))
    except ValueError:
        return str(period or "")


def quarter_label(figures: dict[str, Any]) -> str:
    """ "2026年第4季度" (core.periods)."""
    return periods.quarter_label(figures.get("year", ""), figures.get("quarter", ""))


def _review_title(figures: dict[str, Any]) -> str:
    return _("%(county)s quarterly review %(quarter)s") % {
        "county": settings.COUNTY_NAME,
        "quarter": quarter_label(figures),
    }


def _group_label(kind: str) -> str:
    if kind in TeamKind.values:
        return label_of(TeamKind, kind)
    return label_of(UnitGroup, kind)


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


def _metric_kind(metric: str) -> str:
    rule = METRIC_RULES.get(metric)
    return INT if rule is not None and rule.total is None else WAN


def _review_cover(book: _Book, figures: dict[str, Any], issued: Issued) -> None:
    """The title, who issues it and when, then how the score is computed: the formula
    wrapped in a tall row."""
    sheet = book.sheet(_("Cover"))
    book.write(sheet, 0, 0, _review_title(figures), TEXT, book.cover_title)
    if issued.by or issued.on:
        line = " ".join(part for part in (issued.by, issued.on.isoformat() if issued.on else ""))
        book.write(sheet, 1, 0, line.strip(), TEXT)
    book.write(sheet, 2, 0, _("How the score is computed"), TEXT, book.bold)
    sheet.set_row(3, 90)
    book.write(sheet, 3, 0, formula_text(figures.get("formula", {})), TEXT, book.wrapped)
    sheet.set_column(0, 0, COVER_MAX_WIDTH)
    _print_setup(sheet, 1, _review_title(figures))


def review_workbook(figures: dict, issued: Issued | None = None) -> bytes:
    """The workbook of a quarterly review (a stored snapshot, or the selector's output): a
    cover with the formula, then the weights, units, metric progress, teams, blank and
    lagging units, stalled projects and overdue blockers, one sheet each."""
    figures = QuarterlyReview.from_stored(figures)
    book = _Book(figures)
    _review_cover(book, figures, issued or Issued())
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
            (_("Score of the parts"), WAN, lambda r: r.get("base_score")),
            (_("Orders overdue (yellow)"), INT, lambda r: r.get("orders_yellow")),
            (_("Orders overdue again (red)"), INT, lambda r: r.get("orders_red")),
            (_("Deduction for overdue orders"), WAN, lambda r: r.get("order_deduction")),
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
    ReportKind.MONTHLY: (bulletin_workbook, bulletin_title),
    ReportKind.QUARTERLY: (review_workbook, lambda figures: _review_title(figures)),
}


def issued(report: Report) -> Issued:
    """The bureau (the unit of kind bureau) issues a report, on the day it was published
    (a draft: the day it was built)."""
    bureau = Unit.objects.filter(kind=UnitKind.BUREAU).values_list("name", flat=True).first()
    moment = report.published_at or report.built_at
    return Issued(by=bureau or "", on=timezone.localdate(moment) if moment else None)


def report_workbook_response(report: Report) -> HttpResponse:
    """The stored snapshot of `report` as its Excel workbook, to download, named by its
    title ("青山县招商引资工作通报（2026年1—4月）.xlsx"; a later version says so)."""
    build, title = WORKBOOKS[report.kind]
    response = HttpResponse(build(report.figures, issued(report)), content_type=XLSX_CONTENT_TYPE)
    filename = title(report.figures)
    if report.version > 1:
        filename += _("(version %(version)s)") % {"version": report.version}
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.xlsx"
    )
    return response
