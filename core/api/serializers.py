"""Serializers every app shares: the base of a record written through its service, and
the job."""

from collections.abc import Hashable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import GeneratedField, Manager
from django.utils.translation import gettext
from rest_framework import relations, serializers
from rest_framework.fields import SkipField, is_simple_callable

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


# --- Lists read field by field from a plan ---------------------------------------------------


def _read_plan(child: serializers.Serializer) -> list[tuple[str, Any, Any]] | None:
    """For each readable field of `child`: its name, how to read its value from a row and
    how to represent it, decided once per list. None when the child represents a row its
    own way (the plan would not give the same answer)."""
    if type(child).to_representation is not serializers.Serializer.to_representation:
        return None
    plan: list[tuple[str, Any, Any]] = []
    for field in child._readable_fields:
        if isinstance(field, serializers.SerializerMethodField):
            plan.append((field.field_name, "method", getattr(child, field.method_name)))
        elif (
            isinstance(field, relations.PrimaryKeyRelatedField)
            and type(field).to_representation is relations.PrimaryKeyRelatedField.to_representation
            and field.pk_field is None
            and len(field.source_attrs) == 1
            and field.use_pk_only_optimization()
        ):
            try:
                attname = child.Meta.model._meta.get_field(field.source).attname
            except (AttributeError, FieldDoesNotExist):
                plan.append((field.field_name, "field", field))
            else:  # the related row's id is the column itself: no row fetched, no PKOnlyObject
                plan.append((field.field_name, "column", attname))
        elif (display := _display_of(child, field)) is not None:
            plan.append((field.field_name, "display", display))
        elif (
            len(field.source_attrs) == 1
            and field.source != "*"
            and not isinstance(field, (relations.RelatedField, relations.ManyRelatedField))
            and type(field).get_attribute is serializers.Field.get_attribute
        ):
            plan.append((field.field_name, "attribute", (field.source, field)))
        else:
            plan.append((field.field_name, "field", field))
    return plan


def _display_of(child: serializers.Serializer, field: serializers.Field) -> Any:
    """For a field showing `get_<choice field>_display` as text: the choice field's column
    and its labels in the active language, read once (Django hashes every lazy label of the
    choices on each call: most of a row's time in a list)."""
    if not isinstance(field, serializers.CharField) or type(field).to_representation is not (
        serializers.CharField.to_representation
    ):
        return None
    name = field.source
    if not (name.startswith("get_") and name.endswith("_display")):
        return None
    try:
        model_field = child.Meta.model._meta.get_field(name[4:-8])
    except (AttributeError, FieldDoesNotExist):
        return None
    if not model_field.choices:
        return None
    labels = {value: str(label) for value, label in model_field.flatchoices}
    return model_field.attname, labels


def _represented(plan: list[tuple[str, Any, Any]], row: Any) -> dict[str, Any]:
    """What `Serializer.to_representation` gives for `row`, by the plan: a field's value
    None is None, any other goes through the field's `to_representation`."""
    shown: dict[str, Any] = {}
    for name, how, what in plan:
        if how == "column":
            shown[name] = getattr(row, what)
        elif how == "display":  # Model._get_FIELD_display: the label, else the value
            attname, labels = what
            value = getattr(row, attname)
            value = labels.get(value, value) if isinstance(value, Hashable) else value
            shown[name] = None if value is None else str(value)
        elif how == "attribute":
            source, field = what
            try:
                value = getattr(row, source)
            except (AttributeError, ObjectDoesNotExist):  # DRF's default, None or nothing
                _drf_represented(shown, name, field, row)
                continue
            if callable(value) and is_simple_callable(value):
                value = value()
            shown[name] = None if value is None else field.to_representation(value)
        elif how == "method":
            shown[name] = what(row)
        else:
            _drf_represented(shown, name, what, row)
    return shown


def _drf_represented(shown: dict[str, Any], name: str, field: Any, row: Any) -> None:
    """One field as `Serializer.to_representation` represents it."""
    try:
        value = field.get_attribute(row)
    except SkipField:
        return
    none = value.pk if isinstance(value, relations.PKOnlyObject) else value
    shown[name] = None if none is None else field.to_representation(value)


class PlannedListSerializer(serializers.ListSerializer):
    """A list whose rows are represented by a plan made once per list rather than by DRF
    walking each field's `get_attribute` per row (a page of 50 projects of 41 fields: half
    the API list's time, bench/README.md, issue 20). The same JSON: a field is read as DRF
    reads it (a related id from its column, a callable called), and a row the plan cannot
    read (a missing attribute) is represented by the serializer itself."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        rows = data.all() if isinstance(data, Manager) else data
        plan = _read_plan(self.child)
        if plan is None:
            return [self.child.to_representation(row) for row in rows]
        shown = []
        for row in rows:
            try:
                shown.append(_represented(plan, row))
            except (AttributeError, KeyError, ObjectDoesNotExist):
                shown.append(self.child.to_representation(row))
        return shown
