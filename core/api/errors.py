"""The API's one answer to a refusal: a service's ValidationError is 400 with the
messages under their fields (`non_field_errors` for the record as a whole), a refused
role or row is 403 with the reason, an unknown or unreachable id 404, a record changed
by someone else since it was read 409."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.services import Stale


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record was changed by someone else.")
    default_code = "conflict"


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A ValidationError's messages by field, DRF's way: the record's own under
    `non_field_errors`."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}
    detail = dict(error.message_dict)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Stale):
        exc = Conflict(exc.messages[0])
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
