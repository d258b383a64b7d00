from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import ServiceModelSerializer
from teams import services
from teams.models import Team, Unit, User


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


class UnitSerializer(ServiceModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "is_active",
            "sort_order",
            "min_intensity_wan_per_mu",
        ]

    def create(self, validated_data: dict[str, Any]) -> Unit:
        return services.unit_save(user=_user(self), data=validated_data)

    def update(self, instance: Unit, validated_data: dict[str, Any]) -> Unit:
        return services.unit_save(user=_user(self), data=validated_data, unit=instance)


class UserSerializer(ServiceModelSerializer):
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "role",
            "unit",
            "phone",
            "email",
            "is_active",
            "last_login",
            "password",
        ]
        read_only_fields = ["last_login"]

    def create(self, validated_data: dict[str, Any]) -> User:
        return services.user_create(user=_user(self), data=validated_data)

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        return services.user_save(user=_user(self), account=instance, data=validated_data)


# --- Teams -------------------------------------------------------------------------------


class TeamSerializer(ServiceModelSerializer):
    lead_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), label=_("lead unit")
    )
    member_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False, label=_("member units")
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False, label=_("members")
    )

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "leader_name",
            "lead_unit",
            "member_units",
            "members",
            "budget_wan",
            "active_from",
            "active_until",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data: dict[str, Any]) -> Team:
        return services.team_save(user=_user(self), data=validated_data)

    def update(self, instance: Team, validated_data: dict[str, Any]) -> Team:
        return services.team_save(user=_user(self), data=validated_data, team=instance)
