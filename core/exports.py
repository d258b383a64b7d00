"""Excel exports of lists, streamed by XlsxWriter in constant-memory mode (a row is
written and forgotten: a 100 000-row list costs no more memory than ten). Numbers stay
numbers and dates dates, each with its format; text is always written as text, so a name
such as "=HYPERLINK(...)" can never run in the reader's spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _Row:
    """Writes one row's cells, each by its kind, with the workbook's formats."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.money = workbook.add_format({"num_format": "#,##0.00"})
        self.day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    def write(self, sheet: Any, row: int, values: Sequence[Any], text_format: Any = None) -> None:
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, Decimal):
                sheet.write_number(row, column, value, self.money)  # exact digits
            elif isinstance(value, int | float):
                sheet.write_number(row, column, value)
            elif isinstance(value, datetime):
                moment = timezone.localtime(value) if timezone.is_aware(value) else value
                sheet.write_datetime(row, column, moment.replace(tzinfo=None), self.moment)
            elif isinstance(value, date):
                sheet.write_datetime(row, column, value, self.day)
            else:  # text, translated labels, model instances: never a formula
                sheet.write_string(row, column, str(value), text_format)


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A workbook of one sheet: a title row, a header row (both frozen), then the rows."""
    output = BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    sheet.freeze_panes(2, 0)
    cells = _Row(workbook)
    sheet.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    cells.write(sheet, 1, [str(header) for header in headers], workbook.add_format({"bold": True}))
    for number, row in enumerate(rows, start=2):
        cells.write(sheet, number, row)
    workbook.close()
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
