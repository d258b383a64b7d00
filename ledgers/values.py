"""Turning a ledger's cells into typed values, as offices write them: "１，２３４．５",
"500万元", "2024年3月5日", "2024.3.5", an Excel date serial, "√" for yes.

Each parser raises ValueError with a short message a user understands (shown after the
column's name in the preview); blank cells are None (False for a yes/no column).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

CENT = Decimal("0.01")  # amounts are kept to 0.01 万元 (100 元)
MAX_SERIAL = 2958465  # 9999-12-31 in Excel's 1900 date system
_EPOCH_1900 = date(1899, 12, 30)  # serial 61 = 1900-03-01 (Excel counts a 1900-02-29)
_EPOCH_1904 = date(1904, 1, 1)

# The multiplier to 万元 of each unit, longest first so "万美元" is not read as "元".
_UNITS: tuple[tuple[str, Decimal], ...] = (
    ("万美元", Decimal(1)),
    ("亿元", Decimal(10000)),
    ("万元", Decimal(1)),
    ("千元", Decimal("0.1")),
    ("美元", Decimal("0.0001")),
    ("亿", Decimal(10000)),
    ("万", Decimal(1)),
    ("元", Decimal("0.0001")),
)
_BRACKETED = re.compile(r"[(\[【〔]([^)\]】〕]*)[)\]】〕]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_AMOUNT = re.compile(r"(?P<number>[^万亿千美元]+?)(?P<unit>万美元|亿元|万元|千元|美元|亿|万|元)?")
_DAY = re.compile(
    r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_MONTH = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?(?:份)?")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")  # 10000 (1927) to 99999 (2173)
_INT = re.compile(r"(?P<number>[+-]?[\d,]+(?:\.0*)?)\s*(?:人|个|名|户|家|项|次)?")
_TRUE = frozenset({"是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "重点", "对", "有"})
_FALSE = frozenset({"否", "n", "no", "false", "f", "0", "×", "✗", "✘", "非重点", "不是", "无"})


def _fold(text: str) -> str:
    """Full-width digits, commas and points folded to ASCII, surrounding space stripped."""
    return unicodedata.normalize("NFKC", text).strip()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def amount_scale(header: str) -> Decimal:
    """The multiplier to 万元 of the unit a header gives its amounts: "协议引资额(亿元)" →
    10000, "(元)" → 0.0001; 万元, and 万美元 for foreign money, are 1. A header that
    names no unit is in 万元, as county ledgers are."""
    text = "".join(_fold(header or "").split())
    found = _BRACKETED.findall(text)
    unit = found[-1] if found else text
    for word, scale in _UNITS:
        if (word in unit) if found else unit.endswith(word):
            return scale
    return Decimal(1)


def _number(text: str) -> Decimal:
    """A number as written, with or without thousands separators (1,234.5)."""
    text = "".join(text.split())
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    elif not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(_("not an amount"))
    return Decimal(text)


def parse_amount(value: Any, scale: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元 to the cent of a 万元. `scale` is the header's unit
    (amount_scale); a unit written in the cell ("500万元", "1.2亿", "3000元") overrides
    it. A negative amount (a correction) is returned: the caller decides."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("not an amount"))
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(_("not an amount"))
        number = Decimal(repr(value))  # 0.1 as written, not its binary expansion
    elif isinstance(value, str):
        text = _fold(value).lstrip("¥").strip()
        match = _AMOUNT.fullmatch(text)
        if match is None:
            raise ValueError(_("not an amount"))
        number = _number(match["number"])
        if match["unit"]:
            scale = dict(_UNITS)[match["unit"]]
    else:
        raise ValueError(_("not an amount"))
    try:
        return (number * Decimal(scale)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:  # beyond 28 digits
        raise ValueError(_("not an amount")) from error


def _from_serial(serial: float, datemode: int) -> date:
    """The day of an Excel date serial; its time of day, if any, is dropped."""
    days = math.floor(serial)
    if datemode == 1:
        return _EPOCH_1904 + timedelta(days=days)
    if days == 60:  # the 1900-02-29 Excel counts and no calendar has
        raise ValueError(_("not a date (write it as 2024-03-05)"))
    return _EPOCH_1900 + timedelta(days=days if days > 60 else days + 1)


def _year_month_number(value: float) -> date | None:
    """2024.3 typed in a cell Excel took for a number: March 2024, as the cell shows it."""
    if isinstance(value, float) and not value.is_integer() and 1900 < value < 2101:
        year, _point, month = repr(value).partition(".")
        if len(month) <= 2 and 1 <= int(month) <= 12:
            return date(int(year), int(month), 1)
    return None


def _date_or_error(year: str | int, month: str | int, day: str | int = 1) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError as error:  # 2024-02-30
        raise ValueError(_("not a date (write it as 2024-03-05)")) from error


def parse_date(value: Any, datemode: int = 0) -> date | None:
    """A day as offices write it: a date cell, an Excel serial (`datemode` 1 for a
    workbook in the 1904 system), "2024-03-05", "2024.3.5", "2024/3/5", "2024年3月5日",
    "20240305"; a month alone ("2024年3月", "2024-03") is its first day."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(_("not a date (write it as 2024-03-05)"))
        if (month := _year_month_number(number)) is not None:
            return month
        if number.is_integer() and 19000101 <= number <= 21001231:
            return parse_date(str(int(number)))
        if 1 <= number <= MAX_SERIAL:
            return _from_serial(number, datemode)
        raise ValueError(_("not a date (write it as 2024-03-05)"))
    if not isinstance(value, str):
        raise ValueError(_("not a date (write it as 2024-03-05)"))
    text = _fold(value)
    if match := _DAY.fullmatch(text):
        return _date_or_error(*match.groups()[:3])
    if re.fullmatch(r"\d{8}", text):
        return _date_or_error(text[:4], text[4:6], text[6:])
    if match := _MONTH.fullmatch(text):
        return _date_or_error(*match.groups())
    if _SERIAL_TEXT.fullmatch(text):  # a serial a program wrote out as text
        return _from_serial(float(text), datemode)
    raise ValueError(_("not a date (write it as 2024-03-05)"))


def parse_month(value: Any) -> date:
    """A month as its first day: "2024-03", "2024年3月", "2024.3", "202403", or a day
    in it (a date, a serial, "2024-03-05")."""
    if _is_blank(value) or isinstance(value, bool):
        raise ValueError(_("not a month (write it as 2024-03)"))
    if isinstance(value, int | float) and float(value).is_integer():
        number = int(value)
        if 190001 <= number <= 210012 and 1 <= number % 100 <= 12:
            return date(number // 100, number % 100, 1)
    if isinstance(value, str):
        text = _fold(value)
        if re.fullmatch(r"\d{6}", text):
            value = f"{text[:4]}-{text[4:]}"
    try:
        day = parse_date(value)
    except ValueError as error:
        raise ValueError(_("not a month (write it as 2024-03)")) from error
    assert day is not None  # blank was refused above
    return day.replace(day=1)


def parse_int(value: Any) -> int | None:
    """A whole number: 300, "300", "1,200", "300人"."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("not a whole number"))
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(_("not a whole number"))
        return int(value)
    if isinstance(value, str):
        match = _INT.fullmatch(_fold(value))
        if match is not None:
            try:
                return int(_number(match["number"]))
            except ValueError:
                pass
    raise ValueError(_("not a whole number"))


def parse_bool(value: Any) -> bool:
    """Yes or no as offices mark it: 是/否, Y/N, √, 重点, 1/0; a blank cell is no."""
    if _is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = "".join(_fold(str(value)).lower().split())
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("not yes or no (write 是 or 否)"))


def parse_text(value: Any) -> str:
    """A cell as text, stripped; a number Excel stored as a float loses its ".0" (a
    phone number 13805710001.0 is "13805710001"); a date is written 2024-03-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.time() else str(value.date())
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
