"""The supervision orders' FilterSet, used by the list page and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet
from supervision.choices import AWAITING_UNIT, OrderLevel, OrderStatus, SubjectKind
from supervision.models import SupervisionOrder
from teams.models import Unit


class OrderFilter(SearchFilterSet):
    """Orders by level, status, unit and subject; `search=` over what, why and the project."""

    search_fields = ("matter", "reason", "project__name", "unit__name")

    level = django_filters.ChoiceFilter(label=_("Level"), choices=OrderLevel.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    subject_kind = django_filters.ChoiceFilter(label=_("About"), choices=SubjectKind.choices)
    awaiting = django_filters.BooleanFilter(
        label=_("Awaiting the unit's answer"), method="filter_awaiting"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("issued_on", "issued_on"),
            ("due_on", "due_on"),
            ("level", "level"),
            ("status", "status"),
            ("unit__sort_order", "unit"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = SupervisionOrder
        fields = ["level", "status", "unit", "subject_kind"]

    def filter_awaiting(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Orders the unit still has to answer (open, or returned to it)."""
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=AWAITING_UNIT)
        return queryset.exclude(status__in=AWAITING_UNIT)
