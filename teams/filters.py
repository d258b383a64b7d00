"""One FilterSet per list, used by the pages and the API alike."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet
from core.roles import Role
from teams.choices import TeamKind, UnitKind
from teams.models import Team, Unit, User


class UnitFilter(SearchFilterSet):
    search_fields = ("code", "name")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name"), ("kind", "kind"), ("sort_order", "sort_order")),
        label=_("Sort by"),
    )

    class Meta:
        model = Unit
        fields = ["kind", "is_active"]


class UserFilter(SearchFilterSet):
    search_fields = ("username", "full_name", "phone")

    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.all())
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), field_name="unit__kind", choices=UnitKind.choices
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("username", "username"),
            ("full_name", "full_name"),
            ("role", "role"),
            ("unit__name", "unit"),
            ("last_login", "last_login"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = User
        fields = ["role", "unit", "is_active"]


class TeamFilter(SearchFilterSet):
    search_fields = ("name", "region", "leader_name")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TeamKind.choices)
    region = django_filters.CharFilter(label=_("Region"), lookup_expr="icontains")
    lead_unit = django_filters.ModelChoiceFilter(label=_("Lead unit"), queryset=Unit.objects.all())
    is_active = django_filters.BooleanFilter(label=_("Active"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("region", "region"),
            ("budget_wan", "budget_wan"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Team
        fields = ["kind", "region", "lead_unit", "is_active"]
