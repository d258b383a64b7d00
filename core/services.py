"""What every app's services share: the one error they raise, what a person may type, and
the check of who may change a record.

Services decide; pages, the API, imports, commands and tasks only parse what they are
given and pass it on. A service raises Django's ValidationError with messages keyed by
field (NON_FIELD_ERRORS for the record as a whole) for a broken rule, and
core.policy.Refused (a PermissionDenied) for a role or a row out of reach; the API's
exception handler (core.api.errors) and the pages (core.forms.show_service_errors)
answer both the same way everywhere.

Each service declares the fields a person types (`declare_input`); `take` copies those
and refuses any other by name, so a stage date, a status or a verification field sent
to a page or the API can never be written by the back door.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from core.access import can_edit
from core.policy import Refused
from core.roles import Actor


class Stale(ValidationError):
    """Someone else saved the record since it was read (optimistic locking): the API
    answers 409."""


# model → the fields its services take as typed (union over create and change)
INPUTS: dict[type[models.Model], frozenset[str]] = {}


def declare_input(model: type[models.Model], *fields: str) -> frozenset[str]:
    """The fields a person types for `model` in one service; kept for the mass-assignment
    test, which checks every form and serializer against them."""
    declared = frozenset(fields)
    INPUTS[model] = INPUTS.get(model, frozenset()) | declared
    return declared


def label_of(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def take(instance: models.Model, data: Mapping[str, Any], fields: Collection[str]) -> dict:
    """Copies the typed values of `fields` onto the instance; any other key is refused by
    name. Returns the many-to-many values, to set once the instance is saved."""
    model = type(instance)
    refused = {
        name: [
            _("“%(field)s” is not entered here: it changes only through its own step.")
            % {"field": label_of(model, name)}
        ]
        for name in data
        if name not in fields
    }
    if refused:
        raise ValidationError(refused)
    many: dict[str, Any] = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            setattr(instance, name, value)
    return many


def changed(instance: models.Model, data: Mapping[str, Any], name: str) -> bool:
    """Does `data` change the field from what the instance holds?"""
    if name not in data:
        return False
    field = type(instance)._meta.get_field(name)
    current = getattr(instance, field.attname)
    value = data[name]
    if isinstance(value, models.Model):
        value = value.pk
    return instance.pk is None or value != current


def require_creatable(user: Actor, model: type[models.Model]) -> None:
    """Refuses (403) a role that may not create records of this kind (core.policy)."""
    rows = model._default_manager.all()
    if not rows.creatable_by(user):
        if rows.write_action is None:
            raise PermissionDenied(_("Records of this kind are not changed here."))
        raise Refused(rows.write_action)


def require_editable(user: Actor, obj: models.Model) -> None:
    """Refuses (403) a change to a record out of the user's reach (core.access)."""
    if not can_edit(user, obj):
        action = type(obj)._default_manager.all().write_action
        if action is None:
            raise PermissionDenied(_("Records of this kind are not changed here."))
        raise Refused(action)
