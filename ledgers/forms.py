"""The forms of a ledger import: they parse, ledgers.services decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields
from core.roles import Role
from ledgers.choices import LedgerKind
from ledgers.columns import COLUMNS
from teams.models import Unit


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The ledger holds"), choices=LedgerKind.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit of the rows that name none"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("None: the file has a unit column"),
    )
    file = forms.FileField(
        label=_("Ledger file"),
        help_text=_(".xlsx, .xls or .csv (UTF-8 or GBK), at most 20 MB and 100 000 rows"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.BUREAU:
            self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by(
                "kind", "sort_order", "code"
            )
        else:
            del self.fields["unit"]  # an officer's rows are their own unit's
        style_fields(self.fields)


class MappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or none."""

    def __init__(self, *args: Any, ledger: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not imported)"))] + [
            (column.field, column.label) for column in COLUMNS[ledger.kind]
        ]
        for index, header in enumerate(ledger.headers):
            if not header:
                continue
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=ledger.mapping.get(str(index), ""),
            )
        style_fields(self.fields, searchable_min_choices=100)  # plain lists, one per column

    def chosen(self) -> dict[str, str]:
        return {name.removeprefix("column_"): value for name, value in self.cleaned_data.items()}
