"""Forms of the year-end assessment's pages (年终一考核). They only parse what a person
typed; every rule is the service's (reports.services.annual, reports.services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from reports.choices import (
    BONUS_ITEMS,
    DEDUCTION_ITEMS,
    AdjustmentItem,
    GradeMethod,
    IndicatorMetric,
    ScoringMethod,
)
from reports.selectors.monthly import UNIT_GROUPS
from teams.models import Unit

POINTS = {"max_digits": 6, "decimal_places": 2}


class AnnualBuildForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Needed to rebuild a year already published."),
    )


class SchemeForm(StyledForm):
    """The scheme's name, its grade rule and its bonus and deduction items (blank points:
    the item is not used). The indicators are the formset beside it."""

    title = forms.CharField(label=_("Name of the scheme"), required=False, max_length=200)
    grade_method = forms.ChoiceField(label=_("How grades are given"), choices=GradeMethod.choices)
    excellent_min = forms.DecimalField(label=_("Excellent from (points)"), required=False, **POINTS)
    good_min = forms.DecimalField(label=_("Good from (points)"), required=False, **POINTS)
    pass_min = forms.DecimalField(label=_("Pass from (points)"), required=False, **POINTS)
    excellent_share = forms.DecimalField(
        label=_("Share of Excellent"),
        required=False,
        max_digits=5,
        decimal_places=4,
        help_text=_("Of each group's units, e.g. 0.2 for 20%."),
    )
    good_share = forms.DecimalField(
        label=_("Share of Good"), required=False, max_digits=5, decimal_places=4
    )
    fail_share = forms.DecimalField(
        label=_("Share of Fail"), required=False, max_digits=5, decimal_places=4
    )

    GRADE_FIELDS = (
        "excellent_min",
        "good_min",
        "pass_min",
        "excellent_share",
        "good_share",
        "fail_share",
    )

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in (*BONUS_ITEMS, *DEDUCTION_ITEMS):
            label = AdjustmentItem(item).label
            self.fields[f"{item}_points"] = forms.DecimalField(
                label=gettext("%(item)s: points per item") % {"item": label},
                required=False,
                min_value=0,
                **POINTS,
            )
            self.fields[f"{item}_cap"] = forms.DecimalField(
                label=gettext("%(item)s: at most") % {"item": label},
                required=False,
                min_value=0,
                **POINTS,
            )
        if disabled:
            for field in self.fields.values():
                field.disabled = True
        self.apply_styles()

    def adjustment_rows(self, items: tuple[str, ...]) -> list[tuple[str, Any, Any]]:
        """(label, points field, cap field) of each item, for the page's table."""
        return [
            (AdjustmentItem(item).label, self[f"{item}_points"], self[f"{item}_cap"])
            for item in items
        ]

    def bonus_rows(self) -> list[tuple[str, Any, Any]]:
        return self.adjustment_rows(BONUS_ITEMS)

    def deduction_rows(self) -> list[tuple[str, Any, Any]]:
        return self.adjustment_rows(DEDUCTION_ITEMS)


class IndicatorForm(StyledForm):
    metric = forms.ChoiceField(
        label=_("Indicator"), required=False, choices=[("", "—"), *IndicatorMetric.choices]
    )
    weight = forms.DecimalField(label=_("Weight (points)"), required=False, **POINTS)
    method = forms.ChoiceField(
        label=_("Scoring method"),
        required=False,
        choices=ScoringMethod.choices,
        initial=ScoringMethod.RATIO,
    )
    cap = forms.DecimalField(
        label=_("Cap of the ratio"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("Ratio to target only: 1.2 counts at most 120%."),
    )


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=3)


def assessed_units() -> Any:
    """The units a manual item may be for: active townships, parks and departments."""
    return Unit.objects.active().filter(kind__in=UNIT_GROUPS).in_report_order()


class ManualScoreForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("What is scored"), max_length=100)
    points = forms.DecimalField(
        label=_("Points"),
        help_text=_("From −100 to 100; negative points are taken off."),
        **POINTS,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = assessed_units()
        self.apply_styles()
