"""Formatting for people: amounts in 万元 / 亿元, percentages, ISO dates, yes/no."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

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


@register.filter(name="may")
def may_filter(user: Any, action: str) -> bool:
    """`{% if user|may:"funds.verify" %}`: shows a button to whoever core.policy lets take
    the action (the service behind it decides again)."""
    return may(user, action)
