from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm, StyledModelForm
from core.periods import format_period, parse_period
from core.policy import Action, may
from core.roles import Role
from projects.choices import (
    STAGE_ORDER,
    DuplicateDecision,
    FilingStatus,
    FundsKind,
    ReserveStatus,
    Stage,
)
from projects.models import (
    Blocker,
    Document,
    FollowUp,
    Industry,
    Lead,
    LeadClock,
    Project,
    ReserveProject,
)
from teams.models import Team, Unit, User


class UnitAssignedFormMixin:
    """The responsible unit: whoever may give records to another unit (the bureau, by
    core.policy `reassign`) chooses it; everyone else works for their own."""

    fields: dict[str, forms.Field]
    instance: Any
    reassign_action: str

    def limit_unit(self, user: Any) -> None:
        if "unit" not in self.fields:
            return
        if may(user, self.reassign_action):
            self.fields["unit"].queryset = Unit.objects.active()
        else:
            del self.fields["unit"]


class IndustryForm(StyledModelForm):
    class Meta:
        model = Industry
        fields = ["code", "name", "parent", "is_leading", "sort_order", "is_active"]


class LeadForm(UnitAssignedFormMixin, StyledModelForm):
    confirm_duplicates = forms.BooleanField(
        label=_("I have checked the possible duplicates: this is a distinct lead"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Lead
        fields = [
            "company_name",
            "contact_name",
            "contact_title",
            "contact_phone",
            "current_products",
            "project_name",
            "planned_products",
            "scale",
            "period",
            "requirements",
            "estimated_amount_wan",
            "industry",
            "source",
            "received_on",
            "unit",
            "team",
            "notes",
        ]
        widgets = {
            "requirements": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    reassign_action = Action.LEAD_REASSIGN

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_unit(user)
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True).select_related(
            "parent"
        )
        self.fields["team"].queryset = Team.objects.filter(is_active=True)
        for name in ("company_name", "contact_phone"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": "/leads/duplicates/",
                    "hx-trigger": "change, keyup changed delay:600ms",
                    "hx-target": "#duplicate-check",
                    "hx-include": "#id_company_name, #id_contact_phone",
                }
            )


class FollowUpForm(StyledModelForm):
    class Meta:
        model = FollowUp
        fields = ["happened_on", "method", "note", "next_step"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class LeadClockForm(StyledModelForm):
    """The bureau's response clock of new leads (首报首谈)."""

    class Meta:
        model = LeadClock
        fields = ["amber_days", "red_days"]


class DropLeadForm(StyledForm):
    reason = forms.CharField(label=_("Reason for dropping"), max_length=200)


class ProjectForm(UnitAssignedFormMixin, StyledModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "investor",
            "investor_origin",
            "project_type",
            "industry",
            "category",
            "contract_amount_wan",
            "foreign_amount_usd_wan",
            "land_area_mu",
            "unit",
            "cooperating_units",
            "team",
            "leader_name",
            "is_key",
            "leader",
            "sponsor_unit",
            "agreed_start_on",
            "planned_start_year",
            "planned_investment_wan",
            "expected_output_wan",
            "expected_tax_wan",
            "expected_jobs",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    reassign_action = Action.PROJECT_REASSIGN

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_unit(user)
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True).select_related(
            "parent"
        )
        self.fields["cooperating_units"].queryset = Unit.objects.active()
        self.fields["team"].queryset = Team.objects.filter(is_active=True)
        # What the services keep for the bureau (core.policy) is not offered to others.
        if may(user, Action.PROJECT_SET_KEY):
            self.fields["leader"].queryset = User.objects.filter(role=Role.LEADER, is_active=True)
            self.fields["sponsor_unit"].queryset = Unit.objects.active()
        else:
            for name in ("is_key", "leader", "sponsor_unit"):
                del self.fields[name]
        signed = self.instance.pk is not None and self.instance.stage != Stage.NEGOTIATING
        if signed and not may(user, Action.PROJECT_AMEND_CONTRACT):
            self.fields["contract_amount_wan"].disabled = True
            self.fields["contract_amount_wan"].help_text = _(
                "Signed: the bureau changes the contract amount."
            )


class StageForm(StyledForm):
    to = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    on = forms.DateField(label=_("Date it happened"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when terminating or moving back."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s, label) for s, label in Stage.choices if s != project.stage]
        self.fields["to"].choices = choices
        if project.stage in STAGE_ORDER[:-1]:
            self.fields["to"].initial = STAGE_ORDER[STAGE_ORDER.index(project.stage) + 1]


class DocumentForm(StyledModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "file"]


class DocumentReviewForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Filing"),
        choices=[(FilingStatus.FILED, _("File")), (FilingStatus.RETURNED, _("Return"))],
    )
    return_reason = forms.CharField(label=_("Reason for return"), required=False, max_length=200)


class BlockerForm(StyledModelForm):
    class Meta:
        model = Blocker
        fields = ["category", "description", "owner_unit", "due_on", "status", "resolution"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.active()
        if self.instance.pk is None:
            del self.fields["status"]
            del self.fields["resolution"]


class DuplicateDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in DuplicateDecision.choices if c[0] != DuplicateDecision.PENDING],
    )


class ReserveProjectForm(UnitAssignedFormMixin, StyledModelForm):
    """A reserve project of the library (services.RESERVE_INPUT); the unit is the bureau's
    to name, as for projects."""

    class Meta:
        model = ReserveProject
        fields = [
            "name",
            "industry",
            "total_investment_wan",
            "location",
            "summary",
            "needs",
            "unit",
            "entered_on",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }

    reassign_action = Action.PROJECT_REASSIGN

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_unit(user)
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True).select_related(
            "parent"
        )


class ReserveMoveForm(StyledForm):
    """Where a reserve project moves (becoming a lead is the conversion's)."""

    to = forms.ChoiceField(
        label=_("Move to"),
        choices=[c for c in ReserveStatus.choices if c[0] != ReserveStatus.CONVERTED],
    )


class ReserveMaterialForm(StyledForm):
    """A promotion material: services.reserve_material_upload takes these two."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("Material file"))


class PeriodField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker gives that)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_period(value)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error

    def prepare_value(self, value: Any) -> Any:
        return format_period(value) if isinstance(value, date) else value


def amount_field(label: Any, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class FundsEntryRowForm(StyledForm):
    """One project's line in the monthly entry table."""

    funds = amount_field(_("Funds in place (万元)"))
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    investment = amount_field(_("Completed investment (万元)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    confirm = forms.BooleanField(label=_("Confirm the unusual amount"), required=False)
    funds_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    investment_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # a table cell has no <label>: name it for readers
            field.widget.attrs["aria-label"] = str(field.label)

    def has_entry(self) -> bool:
        data = self.cleaned_data
        return data.get("funds") is not None or data.get("investment") is not None


class FundsRecordForm(StyledForm):
    """A single record: from the project page, or editing a submitted or returned one."""

    period = PeriodField(label=_("Month"))
    kind = forms.ChoiceField(label=_("Kind"), choices=FundsKind.choices)
    amount_wan = amount_field(_("Amount (万元)"), required=True)
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    confirm = forms.BooleanField(label=_("Confirm the unusual amount"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FundsCorrectionForm(StyledForm):
    """A correction of a verified record: a new record, possibly negative, with a reason."""

    amount_wan = amount_field(_("Correction (万元, may be negative)"), required=True)
    note = forms.CharField(label=_("Reason for the correction"), max_length=300)
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    confirm = forms.BooleanField(label=_("Confirm the unusual amount"), required=False)


class FundsRejectForm(StyledForm):
    reason = forms.CharField(label=_("Reason for return"), max_length=300)
