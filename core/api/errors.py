from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


@contextmanager
def model_errors_as_400() -> Iterator[None]:
    """A service's model validation errors become the API's 400 with field messages."""
    try:
        yield
    except DjangoValidationError as error:
        detail = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {"non_field_errors": error.messages}
        )
        raise serializers.ValidationError(detail) from error
