"""Query helpers: scalar subqueries that total a related set inside one outer query."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Func, IntegerField, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round

# Amounts in 万元 with two decimals. Totals are rounded to the cent in SQL: a no-op on
# PostgreSQL (exact numeric), and on SQLite (whose SUM is floating point) it turns
# 95790.3999999999 back into 95790.40.
MONEY = DecimalField(max_digits=20, decimal_places=2)


class _Total(Func):
    function = "SUM"
    template = "ROUND(%(function)s(%(expressions)s), 2)"
    output_field = MONEY


class _CountDistinct(Func):
    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def subquery_sum(queryset: QuerySet, field: str) -> Coalesce:
    """The sum of `field` over `queryset` (which may use OuterRef), 0 when empty.

    SUM is written as a plain function so the subquery has no GROUP BY: one row, always."""
    total = queryset.order_by().annotate(_total=_Total(F(field))).values("_total")
    return Coalesce(Subquery(total), Decimal(0), output_field=MONEY)


def subquery_count(queryset: QuerySet) -> Coalesce:
    """How many distinct rows `queryset` (which may use OuterRef) holds."""
    count = queryset.order_by().annotate(_count=_CountDistinct(F("pk"))).values("_count")
    return Coalesce(Subquery(count), 0, output_field=IntegerField())


def money_sum(expression: Any, condition: Q | None = None) -> Coalesce:
    """SUM of an amount (a field name or expression), 0 when there is none, as MONEY."""
    total = Round(Sum(expression, filter=condition), 2, output_field=MONEY)
    return Coalesce(total, Value(Decimal(0)), output_field=MONEY)
