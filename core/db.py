"""Query helpers (scalar subqueries that total a related set inside one outer query) and a
constraint whose message names its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    CheckConstraint,
    DecimalField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
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


class FieldCheck(CheckConstraint):
    """A CheckConstraint whose message belongs to one field: a form shows it beside that
    field and the API under its name, instead of Django's "Constraint … is violated"."""

    non_db_attrs = (*CheckConstraint.non_db_attrs, "field")

    def __init__(self, *, field: str, **kwargs: Any) -> None:
        self.field = field
        super().__init__(**kwargs)

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: Any = None) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using or DEFAULT_DB_ALIAS)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from error

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and getattr(other, "field", None) == self.field

    __hash__ = CheckConstraint.__hash__
