"""Months and quarters as officials count them. A period is a month, written YYYY-MM
and stored as the date of its first day."""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str) -> date:
    """'2026-03' → date(2026, 3, 1); ValueError for anything else."""
    match = PERIOD.match((text or "").strip())
    if not match:
        raise ValueError(text)
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(text)
    return date(year, month, 1)


def format_period(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def month_start(value: date) -> date:
    return value.replace(day=1)


def current_period() -> date:
    return month_start(timezone.localdate())


def add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_of(value: date) -> int:
    return (value.month - 1) // 3 + 1


def recent_periods(count: int, until: date | None = None) -> list[date]:
    """The last `count` months up to `until` (default: this month), newest first."""
    last = month_start(until or timezone.localdate())
    return [add_months(last, -i) for i in range(count)]


# --- As people write them (issue 19) ---------------------------------------------------------
# One way, used by the pages (core.templatetags.ui), the workbooks and the API's `*_display`
# fields: 2026年11月, 2026年1—11月, 2026年第4季度, 第1版 in Chinese; the machine forms
# (YYYY-MM, a quarter's number, a version's number) stay in URLs, inputs and the API.


def month_label(value: date | str) -> str:
    """A month: date(2026, 11, 1) or "2026-11" → "2026年11月" ("November 2026" in English)."""
    if isinstance(value, str):
        value = parse_period(value)
    return date_format(value, "YEAR_MONTH_FORMAT")


def months_label(first: date, last: date) -> str:
    """The months from `first` to `last`, as a 通报 names them: "2026年1—11月", "2026年11月"
    (one month), "2025年11月—2026年2月" (across a year's end)."""
    first, last = month_start(first), month_start(last)
    if first == last:
        return month_label(last)
    if first.year != last.year:
        return _("%(first)s to %(last)s") % {
            "first": month_label(first),
            "last": month_label(last),
        }
    if first.month == 1:
        return year_to_month_label(last.year, last.month)
    return _("%(year)s, months %(first)s to %(last)s") % {
        "year": last.year,
        "first": first.month,
        "last": last.month,
    }


def year_to_month_label(year: int | str, month: int) -> str:
    """January to `month` of `year`: "2026年1—11月" ("2026年1月" for January alone), as the
    bulletin's title names its months."""
    if int(month) == 1:
        return _("%(year)s, month 1") % {"year": year}
    return _("%(year)s, months 1 to %(month)s") % {"year": year, "month": month}


def month_end_label(month: int) -> str:
    """Where a cumulative figure stops: "截至11月底" ("to the end of month 11")."""
    return _("to the end of month %(month)s") % {"month": month}


def quarter_label(year: int | None, quarter: int | str) -> str:
    """A quarter: "2026年第4季度" ("2026 Q4"), or "第4季度" ("Q4") without a year."""
    if year in (None, ""):
        return _("Q%(quarter)s") % {"quarter": quarter}
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}


def version_label(version: int | str | None) -> str:
    """A report's version: "第1版" ("v1")."""
    if version in (None, ""):
        return ""
    return _("v%(number)s") % {"number": version}
