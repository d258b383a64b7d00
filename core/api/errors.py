from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings


@contextmanager
def model_errors_as_400() -> Iterator[None]:
    """A service's model validation errors become the API's 400 with field messages; those
    of no one field (a model's constraints, `clean`) under `non_field_errors`, as DRF's."""
    try:
        yield
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {}
        if not detail or NON_FIELD_ERRORS in detail:
            messages = detail.pop(NON_FIELD_ERRORS, None) or error.messages
            detail[api_settings.NON_FIELD_ERRORS_KEY] = messages
        raise serializers.ValidationError(detail) from error
