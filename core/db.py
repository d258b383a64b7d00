"""Query helpers: scalar subqueries that total a related set inside one outer query."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


class _Total(Func):
    function = "SUM"
    output_field = DecimalField(max_digits=20, decimal_places=2)


class _CountDistinct(Func):
    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def subquery_sum(queryset: QuerySet, field: str) -> Coalesce:
    """The sum of `field` over `queryset` (which may use OuterRef), 0 when empty.

    SUM is written as a plain function so the subquery has no GROUP BY: one row, always."""
    total = queryset.order_by().annotate(_total=_Total(F(field))).values("_total")
    return Coalesce(
        Subquery(total), Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2)
    )


def subquery_count(queryset: QuerySet) -> Coalesce:
    """How many distinct rows `queryset` (which may use OuterRef) holds."""
    count = queryset.order_by().annotate(_count=_CountDistinct(F("pk"))).values("_count")
    return Coalesce(Subquery(count), 0, output_field=IntegerField())
