"""Does each floor produce what the real path produces? Each check returns the differences
found (an empty list when the outputs agree)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

MAX_REPORTED = 10


def _value(value: Any) -> Any:
    """Numbers (Decimals, their strings in a stored snapshot, ints) compare as Decimals."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _compare(expected: Any, actual: Any, path: str, found: list[str]) -> None:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            found.append(f"{path}: {actual!r} is not a mapping")
            return
        for key, value in expected.items():
            _compare(value, actual.get(key), f"{path}.{key}", found)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            found.append(f"{path}: {len(expected)} rows expected")
            return
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            _compare(left, right, f"{path}[{index}]", found)
    elif _value(expected) != _value(actual):
        found.append(f"{path}: floor {expected!r}, real {actual!r}")


def bulletin(floor: dict[str, Any], figures: dict[str, Any]) -> list[str]:
    """The floor's totals and unit table against the built bulletin's figures (every key
    the floor computes must hold the same value in the bulletin)."""
    found: list[str] = []
    _compare(floor, figures, "bulletin", found)
    return found[:MAX_REPORTED]


def _cell(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 6)
    return value


def workbook_cells(content: bytes) -> dict[str, list[tuple]]:
    """{sheet: rows of cell values}, empty cells and trailing blanks dropped."""
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            cells = [_cell(value) for value in row]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(tuple(cells))
        while rows and not rows[-1]:
            rows.pop()
        sheets[sheet.title] = rows
    book.close()
    return sheets


def workbooks(floor: bytes, real: bytes) -> list[str]:
    """Same sheets, same cell values (styles aside)."""
    expected, actual = workbook_cells(real), workbook_cells(floor)
    found = []
    if list(expected) != list(actual):
        found.append(f"sheets: real {list(expected)}, floor {list(actual)}")
    for name, rows in expected.items():
        other = actual.get(name, [])
        if len(rows) != len(other):
            found.append(f"{name}: real {len(rows)} rows, floor {len(other)}")
        for number, (left, right) in enumerate(zip(rows, other, strict=False), start=1):
            if left != right:
                found.append(f"{name} row {number}: real {left!r}, floor {right!r}")
                if len(found) >= MAX_REPORTED:
                    return found
    return found


PROJECT_LINK = re.compile(r'href="/projects/(\d+)/"')


def page_ids(html: str) -> list[int]:
    """The projects a list page shows, in order (each row links twice: code and name)."""
    ids: list[int] = []
    for match in PROJECT_LINK.finditer(html):
        pk = int(match[1])
        if not ids or ids[-1] != pk:
            ids.append(pk)
    return ids


def same_rows(real_ids: list[int], floor_ids: list[int]) -> list[str]:
    if real_ids == floor_ids:
        return []
    return [f"rows differ: real {real_ids[:5]}... ({len(real_ids)}), floor {floor_ids[:5]}..."]
