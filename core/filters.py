from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any, ClassVar

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import EMPTY_FILTER_LABEL, label_empty_choices, register_options_source


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose select boxes offer 全部 ("Any") for no filter, not "---------"."""

    @property
    def form(self) -> Any:
        form = super().form
        if not getattr(form, "empty_choices_labelled", False):
            label_empty_choices(form.fields, EMPTY_FILTER_LABEL)
            form.empty_choices_labelled = True
        return form


class SearchFilterSet(FilterSet):
    """A FilterSet with `search=`: case-insensitive text over `search_fields`.

    The same FilterSet serves the page and the API, so both filter alike."""

    search_fields: tuple[str, ...] = ()
    options_key: ClassVar[str | None] = None

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every list's filter is an options source (core.forms.MAX_RENDERED_CHOICES),
        built for the request as the list page builds it."""
        super().__init_subclass__(**kwargs)
        cls.options_key = register_options_source(cls, lambda request: cls(request=request).form)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{f}__icontains": word}) for f in self.search_fields))
            )
        return queryset
