"""The bureau's page of the response clock of new leads (首报首谈): the days after which a
lead not yet followed up shows amber, then red."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.forms import show_service_errors
from core.policy import Action, require
from core.views import FORM_METHODS
from projects import services
from projects.forms import LeadClockForm
from projects.models import LeadClock


class LeadClockView(FormView):
    form_class = LeadClockForm
    template_name = "projects/lead_clock.html"
    http_method_names = FORM_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, Action.LEAD_SET_CLOCK)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": LeadClock.current()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        clock = LeadClock.current()
        context["clock"] = clock
        context["history"] = (
            LeadClock.history.select_related("history_user").order_by("-history_date")[:10]
            if clock.pk and not clock._state.adding
            else []
        )
        return context

    def form_valid(self, form: LeadClockForm) -> HttpResponse:
        try:
            services.lead_clock_set(
                user=self.request.user,
                amber_days=form.cleaned_data["amber_days"],
                red_days=form.cleaned_data["red_days"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The response clock is saved."))
        return HttpResponseRedirect(reverse("projects:lead_clock"))
