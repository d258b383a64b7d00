"""The trips' FilterSet, used by the list page and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet
from teams.models import Team, Unit
from trips.choices import TripStatus
from trips.models import Trip


class TripFilter(SearchFilterSet):
    """Trips by unit, team, dates, report status and person (led or joined). `status`
    needs the annotation of TripQuerySet.with_status, added here when missing."""

    search_fields = ("destination", "leader_name", "purpose", "summary")

    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.only("pk", "name")
    )
    start_after = django_filters.DateFilter(
        label=_("Starting from"),
        field_name="start_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_before = django_filters.DateFilter(
        label=_("Starting until"),
        field_name="start_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TripStatus.choices, method="filter_status"
    )
    # An account by id, as the quota page links it: never a list of every account.
    person = django_filters.NumberFilter(
        label=_("Led or joined by"), method="filter_person", widget=forms.HiddenInput
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("start_on", "start_on"),
            ("end_on", "end_on"),
            ("destination", "destination"),
            ("unit__sort_order", "unit"),
            ("team__name", "team"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Trip
        fields = ["unit", "team"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if "status" not in queryset.query.annotations:
            queryset = queryset.with_status(timezone.localdate())
        return queryset.filter(status=value)

    def filter_person(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        joined = Trip.participants.through.objects.filter(user=value).values("trip")
        return queryset.filter(Q(led_by=value) | Q(pk__in=joined))
