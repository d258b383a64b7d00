"""The API's face of the targets app: targets are set through targets.services.target_set;
progress is read from targets.selectors.progress_table and only formatted here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import ServiceModelSerializer
from core.periods import parse_period
from targets import services
from targets.choices import Metric, OwnerKind, Pace
from targets.models import Target
from targets.selectors import default_window
from teams.models import Team, Unit, User

OWNER_FIELDS = ("unit", "team", "user")
KIND_OF_FIELD = {"unit": OwnerKind.UNIT, "team": OwnerKind.TEAM, "user": OwnerKind.PERSON}
FIXED_ON_UPDATE = ("year", "metric", *OWNER_FIELDS)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


def owner_of(values: dict[str, Any]) -> tuple[str, Any]:
    """(owner kind, owner) of a target's values: no owner is the county."""
    for name in OWNER_FIELDS:
        if values.get(name) is not None:
            return KIND_OF_FIELD[name], values[name]
    return OwnerKind.COUNTY, None


class TargetSerializer(ServiceModelSerializer):
    """A yearly target of one metric. The owner is at most one of `unit`, `team` and `user`;
    none is the whole county. Year, metric and owner are fixed once the target exists:
    PATCH changes its `value`."""

    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, label=_("year"))
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), allow_null=True, required=False, label=_("unit")
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False, label=_("team")
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        label=_("person"),
    )
    owner_kind = serializers.ChoiceField(
        choices=OwnerKind.choices, read_only=True, label=_("owner")
    )

    class Meta:
        model = Target
        fields = [
            "id",
            "year",
            "metric",
            "value",
            "unit",
            "team",
            "user",
            "owner_kind",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # One target per year, metric and owner: said by validate(), in the user's language.
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            errors = {
                name: [gettext("A target's year, metric and owner do not change: set a new one.")]
                for name in FIXED_ON_UPDATE
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
            return attrs
        if sum(attrs.get(name) is not None for name in OWNER_FIELDS) > 1:
            raise serializers.ValidationError(
                {"non_field_errors": [gettext("A target belongs to one unit, team or person.")]}
            )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Target:
        kind, owner = owner_of(validated_data)
        return services.target_create(
            user=_user(self),
            year=validated_data["year"],
            metric=validated_data["metric"],
            kind=kind,
            owner=owner,
            value=validated_data["value"],
        )

    def update(self, instance: Target, validated_data: dict[str, Any]) -> Target:
        kind, owner = owner_of({name: getattr(instance, name) for name in OWNER_FIELDS})
        target = services.target_set(
            user=_user(self),
            year=instance.year,
            metric=instance.metric,
            kind=kind,
            owner=owner,
            value=validated_data.get("value", instance.value),
        )
        assert target is not None  # a value is required, so the target is never removed
        return target


# --- Progress ---------------------------------------------------------------------------


class ProgressQuerySerializer(serializers.Serializer):
    """The query of `targets/progress/`."""

    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        label=_("year"),
        help_text=_("Defaults to the year of `period`."),
    )
    period = serializers.CharField(
        required=False,
        label=_("month"),
        help_text=_(
            "YYYY-MM: the figures run from January to the end of this month. Defaults to the "
            "current month (December for a past year, January for a future one)."
        ),
    )
    kind = serializers.ChoiceField(
        choices=OwnerKind.choices,
        required=False,
        label=_("owner kind"),
        help_text=_("Defaults to every kind."),
    )
    owner = serializers.IntegerField(
        required=False,
        min_value=1,
        label=_("owner"),
        help_text=_("The id of one unit, team or person (with `kind`)."),
    )
    metric = serializers.ChoiceField(
        choices=Metric.choices,
        required=False,
        label=_("metric"),
        help_text=_("Defaults to every metric."),
    )

    def validate_period(self, value: str) -> date:
        try:
            return parse_period(value)
        except ValueError as error:
            raise serializers.ValidationError(gettext("Enter a month as YYYY-MM.")) from error

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        year, period = attrs.get("year"), attrs.get("period")
        if period is None:
            default = default_window(today)
            year = year or default.year
            if year == default.year:
                period = default.last_period
            else:
                period = date(year, 12 if year < today.year else 1, 1)
        elif year is None:
            year = period.year
        elif period.year != year:
            raise serializers.ValidationError(
                {"period": [gettext("The month must fall in the year asked for.")]}
            )
        if attrs.get("owner") is not None and attrs.get("kind") in (None, OwnerKind.COUNTY):
            raise serializers.ValidationError(
                {"owner": [gettext("Name the kind of owner (unit, team or person) too.")]}
            )
        return {**attrs, "year": year, "period": period}


class ProgressRowSerializer(serializers.Serializer):
    """One owner's progress on one metric, from January to the end of `period`."""

    year = serializers.IntegerField()
    period = serializers.CharField(help_text=_("YYYY-MM"))
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices)
    owner_id = serializers.IntegerField(allow_null=True, help_text=_("None for the county."))
    owner_name = serializers.CharField()
    blank = serializers.BooleanField(
        help_text=_("A unit with no project signed in the year by the end of the period.")
    )
    metric = serializers.ChoiceField(choices=Metric.choices)
    target = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=None, decimal_places=2)
    progress = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=_("actual / target; none without a target."),
    )
    time_progress = serializers.DecimalField(
        max_digits=None, decimal_places=4, help_text=_("Month / 12.")
    )
    behind = serializers.BooleanField(help_text=_("Progress below time progress."))
    pace = serializers.ChoiceField(choices=Pace.choices)
