"""One FilterSet per list, used by the pages and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from targets.choices import Metric, OwnerKind
from targets.models import Target
from teams.models import Team, Unit

# Which rows each owner kind is: the county has no owner; the others name exactly one.
OWNER_KIND_ROWS: dict[str, Q] = {
    OwnerKind.COUNTY: Q(unit__isnull=True, team__isnull=True, user__isnull=True),
    OwnerKind.UNIT: Q(unit__isnull=False),
    OwnerKind.TEAM: Q(team__isnull=False),
    OwnerKind.PERSON: Q(user__isnull=False),
}


class TargetFilter(FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    metric = django_filters.ChoiceFilter(label=_("Metric"), choices=Metric.choices)
    owner_kind = django_filters.ChoiceFilter(
        label=_("Owner"), choices=OwnerKind.choices, method="filter_owner_kind"
    )
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.only("pk", "name")
    )
    # A person by id, as links and the API give it: never a list of every user's name.
    user = django_filters.NumberFilter(
        label=_("Person"), field_name="user", widget=forms.HiddenInput
    )
    ordering = django_filters.OrderingFilter(
        fields=(("year", "year"), ("metric", "metric"), ("value", "value")),
        label=_("Sort by"),
    )

    class Meta:
        model = Target
        fields = ["year", "metric", "owner_kind", "unit", "team", "user"]

    def filter_owner_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(OWNER_KIND_ROWS[value])
