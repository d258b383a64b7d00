"""Serializers every app shares: the base of a record written through its service, and
the job."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import GeneratedField
from django.utils.translation import gettext
from rest_framework import serializers

from core.models import Job

# Shown by every resource, never a fact anyone sets: sending them back is harmless.
IDENTITY_FIELDS = frozenset({"id", "created_at", "updated_at"})


def _same(sent: Any, shown: Any) -> bool:
    if sent == shown:
        return True
    try:
        return Decimal(str(sent)) == Decimal(str(shown))
    except (InvalidOperation, ValueError):
        return str(sent) == str(shown)


class ServiceModelSerializer(serializers.ModelSerializer):
    """A record written through its service: the serializer parses, the service decides.

    The fields the service sets (a stage and its dates, a status, who verified) are
    read-only, and sending one with another value than it holds is refused with a 400
    naming the field, rather than answered 200 with the value silently left out."""

    def _is_fact(self, field: serializers.Field) -> bool:
        """A column a service sets (a stage, a date, a status), not one derived from others
        (a size class, a flag) nor the row's identity."""
        if field.source in IDENTITY_FIELDS:
            return False
        try:
            model_field = self.Meta.model._meta.get_field(field.source)
        except FieldDoesNotExist:
            return False
        return model_field.concrete and not isinstance(model_field, GeneratedField)

    def _default(self, field: serializers.Field) -> Any:
        """What a new record holds in the field before its service sets it."""
        try:
            return self.Meta.model._meta.get_field(field.source).get_default()
        except FieldDoesNotExist:
            return None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        sent = getattr(self, "initial_data", None)
        if not hasattr(sent, "keys"):
            return attrs
        shown = self.to_representation(self.instance) if self.instance is not None else {}
        errors = {}
        for name, field in self.fields.items():
            if not field.read_only or name not in sent or not self._is_fact(field):
                continue
            value = sent[name]
            if self.instance is not None:
                unchanged = _same(value, shown.get(name))
            else:
                unchanged = value in (None, "", [], False) or _same(value, self._default(field))
            if not unchanged:
                errors[name] = [
                    gettext(
                        "“%(field)s” is not entered here: it changes only through its own step."
                    )
                    % {"field": field.label or name}
                ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(source="live_progress", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "params",
            "status",
            "progress",
            "result",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
