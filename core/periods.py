"""Months and quarters as officials count them. A period is a month, written YYYY-MM
and stored as the date of its first day."""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone

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
