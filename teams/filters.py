import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet
from teams.choices import Role, UnitKind
from teams.models import Unit, User


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
