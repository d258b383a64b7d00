"""Trips over REST: written through trips.services.trip_save."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyField
from core.api.serializers import ServiceModelSerializer
from projects.models import Lead
from teams.models import Team, Unit, User
from trips import selectors, services
from trips.choices import TripStatus
from trips.models import Trip, TripVisit


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


class ParticipantField(serializers.PrimaryKeyRelatedField):
    """An account the user may name on a trip (trips.selectors.participant_choices): their
    unit's staff, their teams' members, the county leaders; any for the bureau."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None:
            return User.objects.none()
        trip = self.root.instance if isinstance(self.root.instance, Trip) else None
        return selectors.participant_choices(request.user, trip)


class TripLeadField(ScopedPrimaryKeyField):
    """A lead the user can see, or one the trip links already: a team's member may send
    back the list they read, which may hold another unit's leads (teams.services.trip_save
    keeps those linked)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model=Lead, **kwargs)

    def get_queryset(self) -> QuerySet:
        leads = super().get_queryset()
        trip = self.root.instance if isinstance(self.root.instance, Trip) else None
        if trip is None or trip.pk is None:
            return leads
        linked = trip.leads.values("pk")
        return Lead.objects.filter(Q(pk__in=leads.values("pk")) | Q(pk__in=linked))


class TripVisitSerializer(serializers.ModelSerializer):
    """A company visited on the trip and whom the delegation met there."""

    class Meta:
        model = TripVisit
        fields = ["company", "contact_name", "contact_title", "contact_phone", "notes"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The list is written as a whole, so a PATCH (partial) still sends whole visits.
        if not attrs.get("company"):
            message = self.fields["company"].error_messages["required"]
            raise serializers.ValidationError({"company": [message]})
        return attrs


class TripSerializer(ServiceModelSerializer):
    """A trip and its report. `companies_visited` is written as a whole: the list sent
    replaces the trip's list."""

    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        allow_null=True,
        required=False,
        label=_("unit"),
        help_text=_(
            "Defaults to the user's unit unless a team is named; only the bureau may name "
            "another unit."
        ),
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        allow_null=True,
        required=False,
        label=_("team"),
        help_text=_("Only the bureau and the team's members may report its trips."),
    )
    led_by = ParticipantField(
        allow_null=True,
        required=False,
        label=_("leading account"),
        help_text=_("The account of whoever led the trip, if they have one."),
    )
    participants = ParticipantField(many=True, required=False, label=_("participants"))
    companies_visited = TripVisitSerializer(
        source="visits",
        many=True,
        required=False,
        label=_("companies visited"),
    )
    leads = TripLeadField(
        many=True,
        required=False,
        label=_("leads obtained"),
        help_text=_("You may link only leads you can see."),
    )
    status = serializers.ChoiceField(choices=TripStatus.choices, read_only=True, label=_("status"))

    class Meta:
        model = Trip
        fields = [
            "id",
            "team",
            "unit",
            "leader_name",
            "led_by",
            "participants",
            "destination",
            "start_on",
            "end_on",
            "purpose",
            "companies_visited",
            "leads",
            "summary",
            "next_steps",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "leader_name": {
                "required": False,
                "allow_blank": True,
                "help_text": _("Defaults to the leading account's name."),
            }
        }

    def _save(self, trip: Trip | None, validated_data: dict[str, Any]) -> Trip:
        visits = validated_data.pop("visits", None)
        return services.trip_save(user=_user(self), data=validated_data, trip=trip, visits=visits)

    def create(self, validated_data: dict[str, Any]) -> Trip:
        return self._save(None, validated_data)

    def update(self, instance: Trip, validated_data: dict[str, Any]) -> Trip:
        return self._save(instance, validated_data)
