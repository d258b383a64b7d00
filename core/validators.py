"""Checks on single values that several apps share."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area code (3–4 digits starting with 0), a 7–8 digit number, an optional extension.
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
SEPARATORS = re.compile(r"[\s()（）]")


def phone_digits(value: str) -> str:
    """The digits that identify a phone: no spaces, dashes or +86 prefix."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def validate_chinese_phone(value: str) -> None:
    """A Chinese mobile (13800138000, +86 138 0013 8000) or landline (0571-88886666)."""
    compact = SEPARATORS.sub("", value or "")
    if compact.startswith("+86"):
        compact = compact[3:]
    compact = compact.replace("--", "-")
    if MOBILE.match(compact.replace("-", "")) or LANDLINE.match(compact):
        return
    raise ValidationError(
        _("Enter a Chinese mobile number (11 digits) or a landline with its area code."),
        code="invalid_phone",
    )


# An amount or a count that cannot be negative: a field's own rule, so forms and the API
# name the field as they parse it (the database's constraint stands behind it).
not_negative = MinValueValidator(0, message=_("This cannot be negative."))
