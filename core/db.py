"""Query helpers (scalar subqueries that total a related set inside one outer query) and a
constraint whose message names its field."""

from __future__ import annotations

from collections.abc import Iterable
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
        """The rule checked on the instance in Python when its condition reads only the
        instance's own fields (as SQL's CHECK does: an unknown result passes), else by
        Django's query; either way the message is the field's."""
        try:
            holds = condition_holds(self.condition, instance, set(exclude or ()))
        except _NotInPython:
            try:
                super().validate(model, instance, exclude=exclude, using=using or DEFAULT_DB_ALIAS)
            except ValidationError as error:
                raise ValidationError({self.field: error.error_list}) from error
            return
        if not holds:
            raise ValidationError(
                {
                    self.field: ValidationError(
                        self.get_violation_error_message(), code=self.violation_error_code
                    )
                }
            )

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and getattr(other, "field", None) == self.field

    __hash__ = CheckConstraint.__hash__


# --- A check constraint's condition evaluated on an instance, without a query -------------
# Checking nine constraints through Django's query (one SELECT each, its expressions built
# anew) cost 30 ms a project: a ledger of 10 000 rows spent most of its time there. The
# condition stays the one rule (the database's CHECK); this reads it in SQL's logic.


class _NotInPython(Exception):
    """A lookup or value this evaluator does not read: the query decides."""


_COMPARE = {
    "exact": lambda a, b: a == b,
    "gte": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "in": lambda a, b: a in b,
}


class _Skip(Exception):
    """The condition reads an excluded field: not checked (as Django does)."""


def condition_holds(condition: Q, instance: Any, exclude: set[str]) -> bool:
    try:
        return _evaluate(condition, instance, exclude) is not False
    except _Skip:
        return True


def _value(instance: Any, name: str, exclude: set[str]) -> Any:
    if name in exclude:
        raise _Skip
    try:
        field = instance._meta.get_field(name)
    except Exception as error:
        raise _NotInPython from error
    if field.many_to_many or field.one_to_many or not hasattr(field, "attname"):
        raise _NotInPython
    return getattr(instance, field.attname)


def _evaluate(node: Any, instance: Any, exclude: set[str]) -> bool | None:
    """True, False or None (unknown, as SQL's NULL) for a Q tree of simple lookups."""
    if isinstance(node, Q):
        results = [_evaluate(child, instance, exclude) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in results else None if None in results else True
        else:
            result = True if True in results else None if None in results else False
        return None if result is None else (not result if node.negated else result)
    if not isinstance(node, tuple):
        raise _NotInPython
    key, expected = node
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:  # a related field's field: needs a join
        raise _NotInPython
    value = _value(instance, name, exclude)
    if lookup == "isnull":
        return (value is None) == bool(expected)
    if isinstance(expected, F):
        expected = _value(instance, expected.name, exclude)
    elif hasattr(expected, "resolve_expression"):
        raise _NotInPython
    if lookup == "exact" and expected is None:
        return value is None
    if lookup not in _COMPARE:
        raise _NotInPython
    if value is None or expected is None:
        return None
    return _COMPARE[lookup](value, expected)


# --- A model's own rules, checked on many records ----------------------------------------


class RecordRules:
    """A model's own rules, its fields' (as clean_fields) and its FieldCheck constraints,
    checked on many records of one import: a value that passed a field's rules, or values
    that passed a constraint, pass again unchecked (those rules read the values alone).
    `exclude`: the fields not read at all, as Django's exclude (not cleaned; a constraint
    reading one is not checked); `trusted`: the fields a service sets itself (not cleaned,
    the constraints still read them)."""

    def __init__(
        self, model: Any, exclude: Iterable[str] = (), trusted: Iterable[str] = ()
    ) -> None:
        excluded, unchecked = set(exclude), set(exclude) | set(trusted)
        self.fields = [
            f
            for f in model._meta.fields
            if f.name not in unchecked and not getattr(f, "generated", False)
        ]
        self.checks = [
            (check, _names(check.condition), _attnames(model, _names(check.condition)))
            for check in model._meta.constraints
            if isinstance(check, FieldCheck)
        ]
        self.model, self.exclude, self.passed = model, excluded, set()
        self.cleaned: dict[tuple, Any] = {}

    def errors(self, record: Any) -> dict[str, list[str]]:
        """Field name → messages (empty: the record keeps every rule). Each field's value
        is set to its cleaned value, as clean_fields does."""
        errors: dict[str, list[str]] = {}
        for field in self.fields:
            raw = getattr(record, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            key = (field.attname, type(raw), raw)
            try:
                setattr(record, field.attname, self.cleaned[key])
                continue
            except KeyError:
                pass
            except TypeError:  # not hashable: checked each time
                key = None
            try:
                value = field.clean(raw, record)
            except ValidationError as error:
                errors[field.name] = error.messages
                continue
            setattr(record, field.attname, value)
            if key is not None:
                self.cleaned[key] = value
        for check, names, attnames in self.checks:
            key = None
            if attnames is not None and not names & self.exclude:
                key = (check.name, *((type(v), v) for v in map(record.__dict__.get, attnames)))
                try:
                    if key in self.passed:
                        continue
                except TypeError:  # not hashable: checked each time
                    key = None
            try:
                check.validate(self.model, record, exclude=self.exclude)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
                continue
            if key is not None:
                self.passed.add(key)
        return errors


def _attnames(model: Any, names: frozenset[str] | None) -> tuple[str, ...] | None:
    try:
        return None if names is None else tuple(model._meta.get_field(n).attname for n in names)
    except Exception:  # not a field of the model: the check reads it otherwise
        return None


def _names(condition: Q) -> frozenset[str] | None:
    """The attnames of the fields a condition reads; None when not simply known."""
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            inner = _names(child)
            if inner is None:
                return None
            names |= inner
        elif isinstance(child, tuple):
            key, expected = child
            names.add(key.partition("__")[0])
            if isinstance(expected, F):
                names.add(expected.name)
            elif hasattr(expected, "resolve_expression"):
                return None
        else:
            return None
    return frozenset(names)
