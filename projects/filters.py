"""One FilterSet per list, used by the pages and the API alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet
from core.periods import parse_period
from core.roles import Role, role_of
from projects.choices import (
    BlockerCategory,
    BlockerStatus,
    Category,
    FundsKind,
    FundsStatus,
    LeadClockColour,
    LeadSource,
    LeadStatus,
    Origin,
    ReserveStatus,
    SizeClass,
    Stage,
)
from projects.models import Blocker, FundsRecord, Industry, Lead, Project, ReserveProject
from teams.choices import UnitKind
from teams.models import Team, Unit, User

# Each option reads "chain · segment": the chains come in the same query.
INDUSTRIES = Industry.objects.select_related("parent").only("pk", "name", "parent__name")
# A province has 2000 units and 160 teams: their options need the name only.
UNITS = Unit.objects.only("pk", "name")
TEAMS = Team.objects.only("pk", "name")


def filter_industry(queryset: QuerySet, name: str, value: Industry | None) -> QuerySet:
    """An industry chain matches its segments too."""
    if value is None:
        return queryset
    return queryset.filter(Q(industry=value) | Q(industry__parent=value))


def project_filter() -> django_filters.NumberFilter:
    """A project by id, as links and the API give it: never a list of every project's name
    (that would show other units' projects, and be huge)."""
    return django_filters.NumberFilter(
        label=_("Project"), field_name="project", widget=forms.HiddenInput
    )


def provided_by_filter(field_name: str) -> django_filters.NumberFilter:
    """The person who provided the lead behind a row, by id (as the progress pages link
    to it): never a list of every account."""
    return django_filters.NumberFilter(
        label=_("Provided by"), field_name=field_name, widget=forms.HiddenInput
    )


class IndustryFilter(SearchFilterSet):
    search_fields = ("code", "name")

    parent = django_filters.ModelChoiceFilter(
        label=_("Industry chain"), queryset=Industry.objects.chains()
    )
    is_leading = django_filters.BooleanFilter(label=_("Leading industry"))
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name"), ("sort_order", "sort_order")),
        label=_("Sort by"),
    )

    class Meta:
        model = Industry
        fields = ["parent", "is_leading"]


class LeadFilter(SearchFilterSet):
    search_fields = ("company_name", "project_name", "contact_name", "planned_products")

    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=UNITS)
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=TEAMS)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=INDUSTRIES, method=filter_industry
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=LeadSource.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=LeadStatus.choices)
    provided_by = provided_by_filter("provided_by")
    received_after = django_filters.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte"
    )
    received_before = django_filters.DateFilter(
        label=_("Received until"), field_name="received_on", lookup_expr="lte"
    )
    clock = django_filters.ChoiceFilter(
        label=_("Response clock"), choices=LeadClockColour.choices, method="filter_clock"
    )
    amount_min = django_filters.NumberFilter(
        label=_("Amount from (万元)"), field_name="estimated_amount_wan", lookup_expr="gte"
    )
    amount_max = django_filters.NumberFilter(
        label=_("Amount up to (万元)"), field_name="estimated_amount_wan", lookup_expr="lte"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("received_on", "received_on"),
            ("company_name", "company_name"),
            ("project_name", "project_name"),
            ("estimated_amount_wan", "estimated_amount_wan"),
            ("unit__sort_order", "unit"),
            ("status", "status"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Lead
        fields = ["unit", "team", "industry", "source", "status"]

    def filter_clock(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Leads whose response clock (首报首谈) shows this colour."""
        if not value:
            return queryset
        if "clock" not in queryset.query.annotations:
            queryset = queryset.with_clock(timezone.localdate())
        return queryset.filter(clock=value)


class ProjectFilter(SearchFilterSet):
    search_fields = ("code", "name", "investor", "leader_name")

    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=UNITS)
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), field_name="unit__kind", choices=UnitKind.choices
    )
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=TEAMS)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=INDUSTRIES, method=filter_industry
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    investor_origin = django_filters.ChoiceFilter(
        label=_("Investor origin"), choices=Origin.choices
    )
    # One stage per project: no DISTINCT (it would sort every matching row, flags and all,
    # before the page is cut; bench/README.md).
    stage = django_filters.MultipleChoiceFilter(
        label=_("Stage"), choices=Stage.choices, distinct=False
    )
    size_class = django_filters.ChoiceFilter(label=_("Size class"), choices=SizeClass.choices)
    is_key = django_filters.BooleanFilter(label=_("Key project"))
    live = django_filters.BooleanFilter(label=_("Not terminated"), method="filter_live")
    provided_by = provided_by_filter("lead__provided_by")
    stalled = django_filters.BooleanFilter(label=_("Stalled"), method="filter_stalled")
    signed_after = django_filters.DateFilter(
        label=_("Signed from"), field_name="signed_on", lookup_expr="gte"
    )
    signed_before = django_filters.DateFilter(
        label=_("Signed until"), field_name="signed_on", lookup_expr="lte"
    )
    started_after = django_filters.DateFilter(
        label=_("Started from"), field_name="started_on", lookup_expr="gte"
    )
    started_before = django_filters.DateFilter(
        label=_("Started until"), field_name="started_on", lookup_expr="lte"
    )
    # With started_before: under construction at some time from this day (the day after
    # the window's end: still under construction at its end).
    not_completed_before = django_filters.DateFilter(
        label=_("Not completed before"), method="filter_not_completed_before"
    )
    amount_min = django_filters.NumberFilter(
        label=_("Contract amount from (万元)"), field_name="contract_amount_wan", lookup_expr="gte"
    )
    planned_start_year = django_filters.NumberFilter(label=_("Planned start year"))
    has_leader = django_filters.BooleanFilter(
        label=_("Sponsored by a leader"), field_name="leader", lookup_expr="isnull", exclude=True
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("contract_amount_wan", "contract_amount_wan"),
            ("stage", "stage"),
            ("signed_on", "signed_on"),
            ("started_on", "started_on"),
            ("unit__sort_order", "unit"),
            ("created_at", "created_at"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields = ["unit", "team", "industry", "category", "investor_origin", "stage", "is_key"]

    def filter_live(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        terminated = Q(stage=Stage.TERMINATED)
        return queryset.filter(~terminated if value else terminated)

    def filter_stalled(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        if "is_stalled" not in queryset.query.annotations:
            queryset = queryset.with_flags(timezone.localdate())
        return queryset.filter(is_stalled=value)

    def filter_not_completed_before(
        self, queryset: QuerySet, name: str, value: date | None
    ) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(Q(completed_on__isnull=True) | Q(completed_on__gte=value))


class BlockerFilter(SearchFilterSet):
    search_fields = ("description", "project__name", "project__code")

    project = project_filter()
    unit = django_filters.ModelChoiceFilter(
        label=_("Project's unit"), field_name="project__unit", queryset=UNITS
    )
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), field_name="project__unit__kind", choices=UnitKind.choices
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=BlockerCategory.choices)
    owner_unit = django_filters.ModelChoiceFilter(label=_("Unit responsible"), queryset=UNITS)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BlockerStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    due_before = django_filters.DateFilter(
        label=_("Due by"), field_name="due_on", lookup_expr="lte"
    )
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due_on"), ("status", "status"), ("category", "category")),
        label=_("Sort by"),
    )

    class Meta:
        model = Blocker
        fields = ["project", "category", "owner_unit", "status"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Q(status=BlockerStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)


class PeriodFilter(django_filters.CharFilter):
    """A month as YYYY-MM; `lookup_expr` compares it with the record's month."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        try:
            month = parse_period(value)
        except ValueError:
            return qs.none()
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": month})


class FundsRecordFilter(SearchFilterSet):
    search_fields = ("project__code", "project__name", "note")

    project = project_filter()
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="project__unit", queryset=UNITS
    )
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), field_name="project__unit__kind", choices=UnitKind.choices
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), field_name="project__team", queryset=TEAMS
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), field_name="project__category", choices=Category.choices
    )
    investor_origin = django_filters.ChoiceFilter(
        label=_("Investor origin"), field_name="project__investor_origin", choices=Origin.choices
    )
    is_key = django_filters.BooleanFilter(label=_("Key project"), field_name="project__is_key")
    provided_by = provided_by_filter("project__lead__provided_by")
    period = PeriodFilter(label=_("Month"), field_name="period", lookup_expr="exact")
    period_after = PeriodFilter(label=_("From month"), field_name="period", lookup_expr="gte")
    period_before = PeriodFilter(label=_("Until month"), field_name="period", lookup_expr="lte")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FundsKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FundsStatus.choices)
    flagged = django_filters.BooleanFilter(label=_("Flagged"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("period", "period"),
            ("amount_wan", "amount_wan"),
            ("project__code", "project"),
            ("status", "status"),
            ("created_at", "created_at"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = FundsRecord
        fields = ["project", "kind", "status", "flagged"]


class ReserveProjectFilter(SearchFilterSet):
    """The project library's list, its promotion catalogue (page and workbook) and the API."""

    search_fields = ("name", "location", "summary", "needs")

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReserveStatus.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=INDUSTRIES, method=filter_industry
    )
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=UNITS)
    entered_year = django_filters.NumberFilter(
        label=_("Year worked out"), field_name="entered_on", lookup_expr="year"
    )
    entered_after = django_filters.DateFilter(
        label=_("Worked out from"), field_name="entered_on", lookup_expr="gte"
    )
    entered_before = django_filters.DateFilter(
        label=_("Worked out until"), field_name="entered_on", lookup_expr="lte"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("entered_on", "entered_on"),
            ("name", "name"),
            ("total_investment_wan", "total_investment_wan"),
            ("unit__sort_order", "unit"),
            ("status", "status"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = ReserveProject
        fields = ["status", "industry", "unit", "entered_year"]


class SponsoredProjectFilter(SearchFilterSet):
    """The projects a county leader sponsors (包保); the bureau filters them by leader."""

    search_fields = ("code", "name", "investor")

    leader = django_filters.ModelChoiceFilter(
        label=_("Responsible leader"),
        queryset=User.objects.filter(role=Role.LEADER).order_by("full_name", "username"),
    )
    sponsor_unit = django_filters.ModelChoiceFilter(
        label=_("Sponsoring department"), queryset=UNITS
    )
    stage = django_filters.MultipleChoiceFilter(
        label=_("Stage"), choices=Stage.choices, distinct=False
    )
    stalled = django_filters.BooleanFilter(label=_("Stalled"), method="filter_stalled")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("leader_name", "leader"),
            ("code", "code"),
            ("name", "name"),
            ("unit__sort_order", "unit"),
            ("stage", "stage"),
            ("contract_amount_wan", "contract_amount_wan"),
            ("funds_to_date", "funds_to_date"),
            ("investment_this_year", "investment_this_year"),
            ("open_blockers", "open_blockers"),
            ("overdue_blockers", "overdue_blockers"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields = ["leader", "sponsor_unit", "stage"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if role_of(user) == Role.LEADER:
            del self.filters["leader"]  # a leader's page holds their own projects only

    def filter_stalled(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(is_stalled=value)
