"""Events over REST: serializers parse, events.services decides (its ValidationErrors
answer 400 under their fields through core.api.errors)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyField
from core.api.serializers import ServiceModelSerializer
from events import services
from events.models import Event, EventQuota, EventSigning, EventStart
from projects.models import Project
from teams.models import Unit


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


class EventQuotaSerializer(serializers.ModelSerializer):
    """A unit taking part, with the projects it must sign at the event."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), label=_("unit"))
    signing_quota = serializers.IntegerField(min_value=0, label=_("signing quota"))

    class Meta:
        model = EventQuota
        fields = ["unit", "signing_quota"]


class EventSerializer(ServiceModelSerializer):
    """An event and its county-wide figures: first signings (a project's first signing
    counts once; re-signings, 重复签约, are counted apart and add nothing), their contract
    amount in 万元, starts, leads, invitations and the units' quotas."""

    organiser = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        label=_("organiser"),
        help_text=_("Defaults to the user's unit."),
    )
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    quotas = EventQuotaSerializer(many=True, read_only=True)
    first_signings = serializers.IntegerField(source="first_signing_count", read_only=True)
    contract_amount_wan = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)
    re_signings = serializers.IntegerField(source="re_signing_count", read_only=True)
    starts = serializers.IntegerField(source="start_count", read_only=True)
    leads = serializers.IntegerField(source="lead_count", read_only=True)
    invitations = serializers.IntegerField(source="invitation_count", read_only=True)
    quota_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "name",
            "start_on",
            "end_on",
            "place",
            "organiser",
            "guests",
            "quotas",
            "first_signings",
            "contract_amount_wan",
            "re_signings",
            "starts",
            "leads",
            "invitations",
            "quota_total",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data: dict[str, Any]) -> Event:
        return services.event_create(user=_user(self), data=validated_data)

    def update(self, instance: Event, validated_data: dict[str, Any]) -> Event:
        return services.event_update(event=instance, user=_user(self), data=validated_data)


class EventSigningSerializer(serializers.ModelSerializer):
    """A project signed at the event; `is_first` False marks a re-signing (重复签约),
    which counts nothing."""

    project = ScopedPrimaryKeyField(
        model=Project,
        label=_("project"),
        help_text=_("A project of your unit at the signed stage or later."),
    )
    is_first = serializers.BooleanField(read_only=True, label=_("first signing"))
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = EventSigning
        fields = ["id", "event", "project", "signed_on", "note", "is_first", "recorded_by"]
        read_only_fields = ["event"]
        extra_kwargs = {"note": {"required": False}}


class EventStartSerializer(serializers.ModelSerializer):
    """A project started at a ground-breaking event (集中开工)."""

    project = ScopedPrimaryKeyField(
        model=Project, label=_("project"), help_text=_("A project of your unit that has started.")
    )
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = EventStart
        fields = ["id", "event", "project", "recorded_by"]
        read_only_fields = ["event"]

    def get_fields(self) -> dict[str, Any]:
        # A project starts at one event: the service says where under `project`, rather
        # than DRF's "must be unique".
        fields = super().get_fields()
        fields["project"].validators = []
        return fields
