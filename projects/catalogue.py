"""The promotion catalogue (招商项目册) as a workbook to print or send: a title row, the
header row (both frozen and repeated on every printed page), each industry chain's
reserve projects under a row naming the chain, and the total. Amounts are numbers in
万元 (and 亿元) with their formats, text is always written as text (a name such as
"=HYPERLINK(...)" never runs in the reader's spreadsheet), every cell has its border and
long text wraps; A4 landscape, one page wide, page numbers in the footer.

It only formats selectors.reserve_catalogue: the page and the workbook always agree."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.worksheet import Worksheet

from core.money import WAN_PER_YI
from projects.models import ReserveProject
from projects.selectors import Catalogue

WAN_FORMAT = "#,##0.00"
YI_FORMAT = "#,##0.0"  # 亿元 with one decimal, as the pages show it
TITLE_ROW, HEADER_ROW = 0, 1
A4 = 9  # the paper size's code in the file format
TEXT, INT, WAN, YI = "text", "int", "wan", "yi"

# A column: its header, the kind of its cells, its width (in characters), its value.
Column = tuple[str, str, int, Callable[[ReserveProject], Any]]


def _columns() -> list[Column]:
    return [
        (_("No."), INT, 6, lambda row: row.catalogue_number),
        (_("Project name"), TEXT, 28, lambda row: row.name),
        (_("Industry"), TEXT, 18, lambda row: str(row.industry)),
        (_("Total investment (万元)"), WAN, 15, lambda row: row.total_investment_wan),
        (_("Total investment (亿元)"), YI, 13, lambda row: row.total_investment_wan),
        (_("Location"), TEXT, 18, lambda row: row.location),
        (_("What it is"), TEXT, 42, lambda row: row.summary),
        (_("What it needs"), TEXT, 32, lambda row: row.needs),
        (_("Unit"), TEXT, 16, lambda row: row.unit.name),
        (_("Status"), TEXT, 10, lambda row: row.get_status_display()),
    ]


class _Sheet:
    """The one sheet being written, with its formats (each made once)."""

    def __init__(self, workbook: xlsxwriter.Workbook, sheet: Worksheet) -> None:
        self.sheet = sheet
        add = workbook.add_format
        cell = {"border": 1, "valign": "top", "font_size": 10}
        self.title = add({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.header = add(
            {
                **cell,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#D9E1F2",
            }
        )
        self.chain = add({**cell, "bold": True, "bg_color": "#F2F2F2"})
        self.chain_number = {
            WAN: add({**cell, "bold": True, "bg_color": "#F2F2F2", "num_format": WAN_FORMAT}),
            YI: add({**cell, "bold": True, "bg_color": "#F2F2F2", "num_format": YI_FORMAT}),
        }
        self.text = add({**cell, "text_wrap": True})
        self.numbers = {
            INT: add({**cell, "align": "center"}),
            WAN: add({**cell, "num_format": WAN_FORMAT}),
            YI: add({**cell, "num_format": YI_FORMAT}),
        }

    def write(self, row: int, column: int, value: Any, kind: str, style: Any) -> None:
        if kind == TEXT:
            self.sheet.write_string(row, column, "" if value is None else str(value), style)
            return
        if kind == INT:
            self.sheet.write_number(row, column, int(value), style)
            return
        amount = Decimal(value)
        if kind == YI:
            amount = amount / WAN_PER_YI
        self.sheet.write_number(row, column, amount, style)


def _write_total(
    cells: _Sheet, row: int, columns: list[Column], first: int, total_wan: Decimal
) -> None:
    """A chain's (or the catalogue's) row: its total in the amount columns, blank after."""
    for index in range(first, len(columns)):
        kind = columns[index][1]
        if kind in cells.chain_number:
            cells.write(row, index, total_wan, kind, cells.chain_number[kind])
        else:
            cells.sheet.write_blank(row, index, None, cells.chain)


def catalogue_workbook(catalogue: Catalogue, title: str) -> bytes:
    """The catalogue's workbook, headed by `title` (the county and the date)."""
    output = BytesIO()
    workbook = xlsxwriter.Workbook(output)
    sheet = workbook.add_worksheet(_("Promotion catalogue")[:31])
    cells = _Sheet(workbook, sheet)
    columns = _columns()
    last = len(columns) - 1
    amount_columns = [index for index, column in enumerate(columns) if column[1] in (WAN, YI)]

    # merged empty, then the title written as text (merge_range's value could be a formula)
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last, "", cells.title)
    sheet.write_string(TITLE_ROW, 0, title, cells.title)
    sheet.set_row(TITLE_ROW, 30)
    for index, (header, _kind, width, _value) in enumerate(columns):
        sheet.write_string(HEADER_ROW, index, header, cells.header)
        sheet.set_column(index, index, width)

    row = HEADER_ROW + 1
    for chain in catalogue.chains:
        label = _("%(chain)s: %(count)s projects") % {"chain": chain.name, "count": chain.count}
        sheet.merge_range(row, 0, row, amount_columns[0] - 1, "", cells.chain)
        sheet.write_string(row, 0, label, cells.chain)
        _write_total(cells, row, columns, amount_columns[0], chain.total_wan)
        row += 1
        for project in chain.projects:
            for index, (_header, kind, _width, value) in enumerate(columns):
                style = cells.text if kind == TEXT else cells.numbers[kind]
                cells.write(row, index, value(project), kind, style)
            row += 1

    total = _("Total: %(count)s projects") % {"count": catalogue.count}
    sheet.merge_range(row, 0, row, amount_columns[0] - 1, "", cells.chain)
    sheet.write_string(row, 0, total, cells.chain)
    _write_total(cells, row, columns, amount_columns[0], catalogue.total_wan)

    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(TITLE_ROW, HEADER_ROW)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C" + _("Page &P of &N"))
    workbook.close()
    return output.getvalue()
