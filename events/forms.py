"""The event form (the bureau's) and the forms on an event's page: a unit's quota (the
bureau's), a signing, a start, a lead obtained, a company invited (unit staff, their own
projects and leads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledModelForm
from events.models import Event, EventInvitation, EventLead, EventQuota, EventSigning, EventStart
from events.selectors import recordable_leads, signable_projects, startable_projects
from projects.models import Lead
from teams.models import Unit


class ChoicesLimitedForm(StyledModelForm):
    """Styled once its choices are limited to the user's (styling counts them: a query per
    select box)."""

    choices_limited = False

    def limited(self) -> None:
        self.choices_limited = True
        self.apply_styles()

    def apply_styles(self) -> None:
        if self.choices_limited:
            super().apply_styles()


class EventForm(ChoicesLimitedForm):
    class Meta:
        model = Event
        fields = ["kind", "name", "start_on", "end_on", "place", "organiser", "guests"]
        widgets = {"guests": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"guests": _("Leaders and guests attending, one a line.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Unit.objects.active().order_by("sort_order", "code")
        self.limited()


class EventQuotaForm(ChoicesLimitedForm):
    class Meta:
        model = EventQuota
        fields = ["unit", "signing_quota"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().order_by("sort_order", "code")
        self.limited()


class EventSigningForm(ChoicesLimitedForm):
    """A project of the user's unit (the bureau: any) signed at the event."""

    class Meta:
        model = EventSigning
        fields = ["project", "signed_on", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = signable_projects(user)
        self.fields["project"].help_text = _(
            "Your unit's projects at the signed stage or later; a project signed before "
            "the event is recorded as a re-signing and counts nothing."
        )
        self.limited()


class EventStartForm(ChoicesLimitedForm):
    """A project of the user's unit (the bureau: any) started at a ground-breaking."""

    class Meta:
        model = EventStart
        fields = ["project"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = startable_projects(user)
        self.limited()


class EventLeadForm(ChoicesLimitedForm):
    class Meta:
        model = EventLead
        fields = ["lead"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = recordable_leads(user)
        self.limited()


class EventInvitationForm(ChoicesLimitedForm):
    class Meta:
        model = EventInvitation
        fields = ["company_name", "contact", "lead"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = Lead.objects.visible_to(user).order_by("-received_on", "-id")
        self.fields["lead"].help_text = _("Its lead, if the company is one of your leads.")
        self.fields["company_name"].required = False
        self.fields["company_name"].help_text = _("Leave blank to use the lead's company.")
        self.limited()
