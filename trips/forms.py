from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.access import is_bureau
from core.forms import StyledForm, StyledModelForm
from projects.models import Lead
from teams.forms import account_label
from teams.models import Unit
from trips.choices import QuotaScope
from trips.models import Trip, TripVisit
from trips.selectors import participant_choices, reportable_teams


class TripForm(StyledModelForm):
    """A trip report. The unit: the bureau names any; others their own or none (a trip of a
    team alone); the team: one the user may report for (trips.selectors.reportable_teams)."""

    class Meta:
        model = Trip
        fields = [
            "leader_name",
            "led_by",
            "participants",
            "unit",
            "team",
            "destination",
            "start_on",
            "end_on",
            "purpose",
            "summary",
            "next_steps",
            "leads",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "summary": _("Due within 7 days after the trip ends."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.choices_limited = False
        super().__init__(*args, **kwargs)
        trip = self.instance
        accounts = participant_choices(user, trip)
        self.fields["led_by"].queryset = accounts
        self.fields["participants"].queryset = accounts
        for name in ("led_by", "participants"):
            self.fields[name].label_from_instance = account_label
        self.fields["leader_name"].required = False
        self.fields["leader_name"].help_text = _("Leave blank to use the leading account's name.")
        if is_bureau(user):
            self.fields["unit"].queryset = Unit.objects.active()
        else:
            own = Unit.objects.filter(pk=user.unit_id)
            if trip.unit_id:
                own = Unit.objects.filter(pk__in=[user.unit_id, trip.unit_id])
            self.fields["unit"].queryset = own
            if trip.pk is None:
                self.initial.setdefault("unit", user.unit_id)
        self.fields["team"].queryset = reportable_teams(user, trip)
        # Only leads the user can see are offered; linked ones they cannot see stay linked
        # (teams.services.trip_save).
        self.fields["leads"].queryset = Lead.objects.visible_to(user).order_by(
            "-received_on", "-id"
        )
        self.fields["leads"].help_text = _("Leads you can see; create new ones from the trip page.")
        self.choices_limited = True
        self.apply_styles()

    def apply_styles(self) -> None:
        # Styled once the choices are limited: styling counts them (a query per select).
        if self.choices_limited:
            super().apply_styles()


class TripVisitForm(StyledModelForm):
    class Meta:
        model = TripVisit
        fields = ["company", "contact_name", "contact_title", "contact_phone", "notes"]


TripVisitFormSet = forms.inlineformset_factory(
    Trip, TripVisit, form=TripVisitForm, extra=1, can_delete=True
)


class QuotaYearForm(StyledForm):
    """The year's trip quotas, a pair of fields per scope; blank falls back on the default."""

    def __init__(self, *args: Any, defaults: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for scope, label in QuotaScope.choices:
            default = defaults.get(scope)
            hint = (
                _("Default: %(year)s a year, %(quarter)s a quarter")
                % {"year": default[0], "quarter": default[1]}
                if default
                else _("No default: blank means no quota")
            )
            self.fields[f"{scope}_per_year"] = forms.IntegerField(
                label=_("%(scope)s: trips a year") % {"scope": label},
                min_value=0,
                max_value=100,
                required=False,
                help_text=hint,
            )
            self.fields[f"{scope}_per_quarter"] = forms.IntegerField(
                label=_("%(scope)s: trips a quarter at least") % {"scope": label},
                min_value=0,
                max_value=25,
                required=False,
            )
        self.apply_styles()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for scope in QuotaScope.values:
            per_year = cleaned.get(f"{scope}_per_year")
            per_quarter = cleaned.get(f"{scope}_per_quarter") or 0
            if per_year is None and per_quarter:
                self.add_error(f"{scope}_per_year", _("Give the yearly quota too."))
            elif per_year is not None and per_quarter * 4 > per_year:
                self.add_error(
                    f"{scope}_per_quarter",
                    _("Four quarterly minimums cannot exceed the yearly quota."),
                )
        return cleaned

    def quotas(self) -> dict[str, tuple[int, int] | None]:
        values: dict[str, tuple[int, int] | None] = {}
        for scope in QuotaScope.values:
            per_year = self.cleaned_data.get(f"{scope}_per_year")
            per_quarter = self.cleaned_data.get(f"{scope}_per_quarter") or 0
            values[scope] = None if per_year is None else (per_year, per_quarter)
        return values
