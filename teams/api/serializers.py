from typing import Any

from rest_framework import serializers

from core.api.errors import model_errors_as_400
from teams import services
from teams.models import Unit, User


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
