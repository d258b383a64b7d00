from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm, StyledModelForm
from projects.choices import BlockerStatus
from projects.forms import PeriodField
from projects.models import Blocker, Project
from supervision.models import SupervisionOrder
from teams.choices import UnitKind
from teams.models import Unit


class OrderIssueForm(StyledModelForm):
    """The bureau's order to a unit (supervision.services.order_issue decides whether the
    subject matches its kind and is the unit's)."""

    report_period = PeriodField(
        label=_("Month of the missing report"),
        required=False,
        help_text=_("For a missing report: the month it is for (YYYY-MM)."),
    )

    class Meta:
        model = SupervisionOrder
        fields = [
            "unit",
            "subject_kind",
            "project",
            "blocker",
            "report_period",
            "matter",
            "reason",
            "due_on",
        ]
        widgets = {
            "matter": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.choices_limited = False
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().exclude(kind=UnitKind.BUREAU)
        self.fields["project"].queryset = Project.objects.live().order_by("code")
        self.fields["blocker"].queryset = Blocker.objects.filter(
            status=BlockerStatus.OPEN
        ).order_by("due_on", "id")
        self.fields["project"].help_text = _("For an order about a project.")
        self.fields["blocker"].help_text = _("For an order about a blocker: one the unit solves.")
        self.choices_limited = True
        self.apply_styles()

    def apply_styles(self) -> None:
        # Styled once the choices are limited: styling counts them (a query per select).
        if self.choices_limited:
            super().apply_styles()


class OrderAnswerForm(StyledForm):
    """The unit's answer: what it has done and the evidence of it."""

    text = forms.CharField(
        label=_("Rectification (整改情况)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("PDF, PNG, JPEG, Word, Excel or PowerPoint, at most 20 MB."),
    )


class OrderReturnForm(StyledForm):
    """The bureau returns the unit's answer, saying why."""

    reason = forms.CharField(
        label=_("Reason for return"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
