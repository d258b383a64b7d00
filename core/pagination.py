"""A list's page cut by its rows' ids first (rows_of_page): the pages and the API lists."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable


def rows_of_page(rows: Any, bottom: int, top: int) -> Any:
    """`rows[bottom:top]` of a QuerySet in two queries: the ids of those rows, sorted and
    cut, then the rows of these ids with all they carry (joins, annotations, prefetches),
    in the same order. PostgreSQL otherwise sorts every matching row with its joins and
    columns before cutting the page (the bureau's 2.4 million funds records with their
    project, unit and people: 3.4 s; their ids: 0.2 s; bench/README.md, issue 20)."""
    if (
        not isinstance(rows, QuerySet)
        or rows._iterable_class is not ModelIterable  # rows as dicts or tuples
        or rows.query.is_sliced
        or rows.query.distinct
        or rows.query.combinator
        or not rows.ordered
    ):
        return rows[bottom:top]
    ids = list(rows.values_list("pk", flat=True)[bottom:top])
    if not ids:
        return []
    by_id = {row.pk: row for row in rows.filter(pk__in=ids).order_by()}
    # A row written out of the list between the two queries is left out.
    return [by_id[pk] for pk in ids if pk in by_id]


class IdsFirstPaginator(Paginator):
    """A page cut by its rows' ids first (rows_of_page)."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows_of_page(self.object_list, bottom, top), number, self)
