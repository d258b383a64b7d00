"""The choices of a long select box, as the user types: /options/<form key>/<field>/?q=

A model select box with more than core.forms.MAX_RENDERED_CHOICES choices renders only the
chosen ones and points here. Only the forms core.forms registers may be asked (every list's
filter, and every model form for those who may write its kind); each is built for the user
as its page builds it, so the answer is the field's own queryset and labels: exactly the
choices the form offers this user and would accept from them, never another's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from core.forms import OPTIONS_SOURCES

# As many as a dropdown shows at once: more come by typing more.
OPTIONS_SHOWN = 50
# Rows read from the database at a time while searching.
SEARCH_CHUNK = 1000


@require_GET
def select_options(request: HttpRequest, key: str, field_name: str) -> JsonResponse:
    """[{"value": ..., "text": ...}] of the field's choices whose text holds every word of
    `q`; the first ones when `q` is blank. 404 for a form or field not offered here."""
    build = OPTIONS_SOURCES.get(key)
    if build is None:
        raise Http404
    field = build(request).fields.get(field_name)
    if not isinstance(field, forms.ModelChoiceField):
        raise Http404
    words = request.GET.get("q", "").casefold().split()
    rows = matching_rows(field.queryset, words, field.label_from_instance)
    return JsonResponse(
        [
            {"value": str(field.prepare_value(row)), "text": str(field.label_from_instance(row))}
            for row in rows
        ],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


def matching_rows(
    queryset: QuerySet, words: list[str], label: Callable[[Model], Any]
) -> Iterable[Model]:
    """The first rows, in the field's order, whose label holds every word. The label is
    matched, not the columns: it is what the user reads, and any label (a unit's name,
    "chain · segment", "name · unit") works without saying which columns make it."""
    if not words:
        return queryset[:OPTIONS_SHOWN]
    # A model whose label is made of its own columns says which (`label_fields`): the
    # database then keeps the rows holding each word in one of them first (145 000 leads
    # read in Python took seconds per keystroke).
    for word in words:
        condition = Q()
        for name in getattr(queryset.model, "label_fields", ()):
            condition |= Q(**{f"{name}__icontains": word})
        if condition:
            queryset = queryset.filter(condition)
    found = (
        row
        for row in queryset.iterator(chunk_size=SEARCH_CHUNK)
        if all(word in str(label(row)).casefold() for word in words)
    )
    return islice(found, OPTIONS_SHOWN)
