"""Formatting for people: amounts in 万元 / 亿元, percentages, ISO dates, yes/no; months,
quarters and versions as core.periods writes them (2026年11月, 2026年第4季度, 第1版)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from core import periods
from core.money import format_pct, format_wan, format_yi
from core.policy import may

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """12345.6 → "12,345.60" (万元, two decimals)."""
    return format_wan(value)


@register.filter
def yi(value: Any) -> str:
    """An amount in 万元 shown in 亿元 with one decimal: 486000 → "48.6"."""
    return format_yi(value)


@register.filter
def pct(value: Any) -> str:
    """A ratio shown as a percentage with one decimal: 0.8123 → "81.2%"."""
    return format_pct(value)


@register.filter
def cell(value: Any) -> str:
    """A table cell: booleans as 是/否, amounts with two decimals, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return format_wan(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@register.filter
def month_label(value: Any) -> str:
    """A month (its first day, or "YYYY-MM") → "2026年11月"; anything else as it is."""
    if not value:
        return ""
    try:
        return periods.month_label(value)
    except (ValueError, TypeError, AttributeError):
        return str(value)


@register.filter
def year_month(year: Any, month: Any) -> str:
    """`{{ year|year_month:month }}` → "2026年11月"."""
    try:
        return periods.month_label(date(int(year), int(month), 1))
    except (ValueError, TypeError):
        return ""


@register.filter
def year_to_month(year: Any, month: Any) -> str:
    """`{{ year|year_to_month:month }}` → "2026年1—11月"."""
    try:
        return periods.year_to_month_label(int(year), int(month))
    except (ValueError, TypeError):
        return ""


@register.filter
def month_end(month: Any) -> str:
    """`{{ 11|month_end }}` → "截至11月底"."""
    return periods.month_end_label(month) if month else ""


@register.filter
def quarter_label(year: Any, quarter: Any = None) -> str:
    """`{{ year|quarter_label:quarter }}` → "2026年第4季度"; `{{ quarter|quarter_label }}`
    → "第4季度"."""
    if quarter is None:
        return periods.quarter_label(None, year)
    return periods.quarter_label(year, quarter)


@register.filter
def version_label(version: Any) -> str:
    """`{{ report.version|version_label }}` → "第1版"."""
    return periods.version_label(version)


@register.filter
def active_filters(form: Any) -> int:
    """How many of a filter form's visible fields the query sets to something other than
    their "any" (the phone's 筛选 button shows it)."""
    if form is None or not getattr(form, "is_bound", False):
        return 0
    visible = {field.name for field in form.visible_fields()} - {"ordering"}
    return sum(1 for name in form.changed_data if name in visible)


@register.filter(name="may")
def may_filter(user: Any, action: str) -> bool:
    """`{% if user|may:"funds.verify" %}`: shows a button to whoever core.policy lets take
    the action (the service behind it decides again)."""
    return may(user, action)
