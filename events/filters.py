"""The events' FilterSet, used by the list page and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet
from events.choices import EventKind
from events.models import Event
from teams.models import Unit


class EventFilter(SearchFilterSet):
    """Events by year (of their first day), kind and organiser (`unit`)."""

    search_fields = ("name", "place", "guests")

    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("Organiser"), field_name="organiser", queryset=Unit.objects.only("pk", "name")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("start_on", "start_on"),
            ("end_on", "end_on"),
            ("name", "name"),
            ("kind", "kind"),
            ("organiser__sort_order", "organiser"),
            ("first_signing_count", "first_signings"),
            ("contract_amount_wan", "contract_amount"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Event
        fields = ["kind"]

    def filter_year(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(start_on__year=int(value))
