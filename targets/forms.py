from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.money import to_decimal
from core.uploads import check_upload
from targets.choices import Metric
from targets.selectors import METRIC_RULES


def is_amount(metric: str) -> bool:
    """Amounts (万元, 万美元) are summed; the other metrics are counts."""
    return METRIC_RULES[metric].total is not None


class TargetRowForm(StyledForm):
    """One row of a decomposition grid: a target per metric, empty for none.

    `role` is "total" for the row the others decompose (the county's targets, or the
    unit's above its staff) and "part" for the owners' rows; the page's script sums the
    parts against the total as numbers are typed."""

    def __init__(
        self, *args: Any, owner_label: str, role: str, readonly: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner_label = owner_label
        self.readonly = readonly
        for metric, label in Metric.choices:
            self.fields[metric] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=14,
                decimal_places=2,
                validators=[MinValueValidator(0, _("A target cannot be negative."))],
                disabled=readonly,
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.01" if is_amount(metric) else "1",
                        "min": "0",
                        "inputmode": "decimal",
                        "class": "form-control form-control-sm text-end",
                        "aria-label": f"{owner_label} · {label}",
                        "data-metric": metric,
                        "data-role": role,
                    }
                ),
            )
        self.apply_styles()
        for metric, value in self.initial.items():  # counts shown as 3, not 3.00
            if value is not None and not is_amount(metric) and value == value.to_integral_value():
                self.initial[metric] = value.quantize(Decimal(1))

    def values(self) -> dict[str, Decimal | None]:
        """The row as shown: as typed when posted (unreadable cells count as nothing),
        otherwise as saved."""
        values: dict[str, Decimal | None] = {}
        for metric in Metric.values:
            if self.is_bound and not self.fields[metric].disabled:
                value = to_decimal(self[metric].data)
                values[metric] = value if value is not None and value.is_finite() else None
            else:
                values[metric] = self.initial.get(metric)
        return values

    def error_lines(self) -> list[str]:
        """Each error named by its owner and metric: "甲镇 · 签约项目：…"."""
        return [
            f"{self.owner_label} · {self.fields[name].label}：{error}"
            for name, errors in self.errors.items()
            for error in errors
        ]


class TargetImportForm(StyledForm):
    file = forms.FileField(label=_("Workbook (.xlsx)"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() != ".xlsx":
            raise forms.ValidationError(_("Choose an Excel workbook (.xlsx)."))
        check_upload(upload)  # the size limit, and a workbook inside
        return upload
