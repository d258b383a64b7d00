from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.errors import model_errors_as_400
from teams import services
from teams.models import Team, Unit, User


class UnitSerializer(serializers.ModelSerializer):
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
        with model_errors_as_400():
            return services.unit_save(unit=Unit(**validated_data))

    def update(self, instance: Unit, validated_data: dict[str, Any]) -> Unit:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with model_errors_as_400():
            return services.unit_save(unit=instance)


class UserSerializer(serializers.ModelSerializer):
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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError(
                {"password": [self.fields["password"].error_messages["required"]]}
            )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> User:
        password = validated_data.pop("password")
        with model_errors_as_400():
            return services.user_create(password=password, **validated_data)

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        password = validated_data.pop("password", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with model_errors_as_400():
            services.user_save(user=instance)
            if password:
                services.user_reset_password(user=instance, password=password)
        return instance


# --- Teams and trips ---------------------------------------------------------------------


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


class TeamSerializer(serializers.ModelSerializer):
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
        extra_kwargs = {"budget_wan": {"min_value": 0}}

    def _save(self, team: Team, validated_data: dict[str, Any]) -> Team:
        member_units = validated_data.pop("member_units", None)
        members = validated_data.pop("members", None)
        for name, value in validated_data.items():
            setattr(team, name, value)
        with model_errors_as_400():
            return services.team_save(team=team, member_units=member_units, members=members)

    def create(self, validated_data: dict[str, Any]) -> Team:
        return self._save(Team(), validated_data)

    def update(self, instance: Team, validated_data: dict[str, Any]) -> Team:
        return self._save(instance, validated_data)
