"""Serializer fields every app's API shares."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.files import protected_file_url
from core.periods import format_period, parse_period


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related row the requesting user may pick: `scope` is `visible_to` or `editable_by`
    of the related model's QuerySet, so unknown and out-of-reach ids answer alike."""

    def __init__(self, *, model: type, scope: str = "visible_to", **kwargs: Any) -> None:
        self.model = model
        self.scope = scope
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        queryset = self.model.objects.all()
        if request is None:
            return queryset.none()
        return getattr(queryset, self.scope)(request.user)


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-03"}
)
class PeriodField(serializers.Field):
    """A month: `YYYY-MM` in and out, stored as the date of its first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_internal_value(self, data: Any) -> date:
        try:
            return parse_period(data if isinstance(data, str) else "")
        except ValueError:
            message = self.error_messages["invalid"]
            raise serializers.ValidationError(message, code="invalid") from None

    def to_representation(self, value: date) -> str:
        return format_period(value)


class PrefetchedManyField(serializers.ManyRelatedField):
    """A to-many relation read from the list its queryset prefetched into `prefetched_as`
    (`Prefetch(..., to_attr=...)`) when there is one. Django gives each row's manager its
    own queryset when a prefetch fills the manager's cache (a filter per row: half the time
    of a page of 50 projects, bench/README.md); into a plain attribute it does not."""

    def __init__(self, *, prefetched_as: str, **kwargs: Any) -> None:
        self.prefetched_as = prefetched_as
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        shown = getattr(instance, self.prefetched_as, None)
        return shown if shown is not None else super().get_attribute(instance)


class ProtectedFileField(serializers.FileField):
    """A file, uploaded as to any FileField, that reads back as the address of its
    access-checked download (core.files, `kind` of PROTECTED_FILES), never the storage path:
    absolute when the request is known, None without a file. A field rather than the
    serializer's own `to_representation`, so a list still reads its rows by plan
    (core.api.serializers.PlannedListSerializer)."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        return protected_file_url(self.kind, value.instance, self.context.get("request"))
