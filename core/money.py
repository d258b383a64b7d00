"""Money and ratios as officials read them: 万元 with two decimals, 亿元 with one,
percentages with one. Amounts are Decimal everywhere; 1 亿元 = 10000 万元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

WAN_PER_YI = Decimal(10000)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_wan(value: Any) -> str:
    amount = to_decimal(value)
    if amount is None:
        return ""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def wan_to_yi(value: Any) -> Decimal | None:
    amount = to_decimal(value)
    if amount is None:
        return None
    return (amount / WAN_PER_YI).quantize(TENTH, rounding=ROUND_HALF_UP)


def format_yi(value: Any) -> str:
    amount = wan_to_yi(value)
    return "" if amount is None else f"{amount:,}"


def format_pct(value: Any) -> str:
    ratio = to_decimal(value)
    if ratio is None:
        return ""
    return f"{(ratio * 100).quantize(TENTH, rounding=ROUND_HALF_UP)}%"
