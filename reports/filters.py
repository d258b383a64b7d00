"""One FilterSet per list of the reports app, for the pages and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet
from reports.choices import FindingStatus, Half, ReportStatus
from reports.models import Finding, HalfYearInspection, Report
from teams.models import Unit

UNITS = Unit.objects.all()


class HalfYearInspectionFilter(SearchFilterSet):
    """`unit=`: the inspections in which the unit was inspected."""

    search_fields = ("title",)

    year = django_filters.NumberFilter(label=_("Year"))
    half = django_filters.ChoiceFilter(label=_("Half of the year"), choices=Half.choices)
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=UNITS, method="filter_unit")
    ordering = django_filters.OrderingFilter(
        fields=(("year", "year"), ("half", "half"), ("published_at", "published_at")),
        label=_("Sort by"),
    )

    class Meta:
        model = HalfYearInspection
        fields = ["year", "half", "status"]

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(
            pk__in=HalfYearInspection.objects.filter(units__unit=value).values("pk")
        )


class FindingFilter(SearchFilterSet):
    search_fields = ("text", "item__title")

    inspection = django_filters.NumberFilter(
        label=_("Half-year inspection"), field_name="inspected__inspection"
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="inspected__inspection__year")
    half = django_filters.ChoiceFilter(
        label=_("Half of the year"), field_name="inspected__inspection__half", choices=Half.choices
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="inspected__unit", queryset=UNITS
    )
    status = django_filters.ChoiceFilter(label=_("Rectification"), choices=FindingStatus.choices)
    ordering = django_filters.OrderingFilter(
        fields=(("deadline", "deadline"), ("created_at", "created_at"), ("status", "status")),
        label=_("Sort by"),
    )

    class Meta:
        model = Finding
        fields = ["status"]


class AssessmentFilter(SearchFilterSet):
    """The year-end assessments' versions: by `year` and `status`."""

    search_fields = ("rebuild_reason", "publish_note")

    year = django_filters.NumberFilter(label=_("Year"), field_name="period__year")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    ordering = django_filters.OrderingFilter(
        fields=(
            ("period", "year"),
            ("version", "version"),
            ("published_at", "published_at"),
            ("built_at", "built_at"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Report
        fields = ["status"]
