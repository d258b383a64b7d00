"""Forms of the half-year inspection's pages (半年一督查). They only parse what a person
typed; every rule is the service's (reports.services.halfyear)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from reports.choices import Half, ReportOutcome
from reports.models import ChecklistItem, Draw, HalfYearInspection
from reports.selectors.draws import REPORTING_UNIT_KINDS
from reports.selectors.halfyear import half_draws
from teams.models import Unit

TEXTAREA = {"rows": 3}
FILE_HINT = _("A photo (PNG, JPEG), PDF or Office file, at most 20 MB.")


class HalfYearCreateForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=_("Half of the year"), choices=Half.choices, coerce=int)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave blank for the usual title."),
    )


class ChecklistItemForm(StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Checklist item"), required=False, max_length=200)
    guidance = forms.CharField(
        label=_("What to check"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=3)


class DrawnUnitsForm(StyledForm):
    draw = forms.ModelChoiceField(label=_("Draw of units"), queryset=Draw.objects.none())

    def __init__(self, *args: Any, inspection: HalfYearInspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["draw"].queryset = half_draws(inspection)
        self.fields["draw"].label_from_instance = lambda draw: (
            _("%(year)s Q%(quarter)s: %(count)s units drawn")
            % {"year": draw.year, "quarter": draw.quarter, "count": len(draw.drawn)}
        )


class ChosenUnitsForm(StyledForm):
    units = forms.ModelMultipleChoiceField(label=_("Units chosen"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, inspection: HalfYearInspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (
            Unit.objects.active()
            .filter(kind__in=REPORTING_UNIT_KINDS)
            .exclude(pk__in=inspection.units.values("unit"))
            .in_report_order()
        )
        self.apply_styles()


class UnitReportForm(StyledForm):
    reported_on = forms.DateField(label=_("Reported on"))
    reported_by = forms.CharField(label=_("Who reported"), max_length=100)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReportOutcome.choices)
    outcome_note = forms.CharField(
        label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class FindingForm(StyledForm):
    item = forms.ModelChoiceField(label=_("Checklist item"), queryset=ChecklistItem.objects.none())
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs=TEXTAREA))
    deadline = forms.DateField(
        label=_("Rectification deadline"),
        required=False,
        help_text=_("Leave blank when nothing needs rectifying."),
    )
    file = forms.FileField(label=_("Photo or file"), required=False, help_text=FILE_HINT)

    def __init__(self, *args: Any, inspection: HalfYearInspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = inspection.items.order_by("order", "id")
        self.apply_styles()


class RectificationForm(StyledForm):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs=TEXTAREA))
    file = forms.FileField(label=_("Evidence file"), required=False, help_text=FILE_HINT)


class DecisionForm(StyledForm):
    CONFIRM, RETURN = "confirm", "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(CONFIRM, _("Confirm: rectified")), (RETURN, _("Return to the unit"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
