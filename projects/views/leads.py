from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.forms import entered, show_service_errors
from core.views import (
    FORM_METHODS,
    Column,
    EditableObjectMixin,
    RecordActionMixin,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
    attr,
    computed,
)
from projects import services
from projects.choices import OPEN_LEAD_STATUSES
from projects.clock import ClockColumn, clock_badge, clock_text
from projects.filters import IndustryFilter, LeadFilter
from projects.forms import DropLeadForm, FollowUpForm, IndustryForm, LeadForm, ProjectForm
from projects.models import Industry, Lead
from projects.selectors import lead_possible_duplicates

# --- Industries ----------------------------------------------------------------------------


class IndustryListView(ScopedListView):
    model = Industry
    filterset_class = IndustryFilter
    title = gettext_lazy("Industries")
    create_url_name = "projects:industry_create"
    select_related = ("parent",)
    columns = (
        Column("code", gettext_lazy("Code"), attr("code"), link=True),
        Column("name", gettext_lazy("Name"), attr("name"), link=True),
        Column("parent", gettext_lazy("Industry chain"), attr("parent.name"), sortable=False),
        Column("is_leading", gettext_lazy("Leading industry"), attr("is_leading"), sortable=False),
        Column("is_active", gettext_lazy("Active"), attr("is_active"), sortable=False),
    )


class IndustryFormMixin(ServiceFormMixin):
    model = Industry
    form_class = IndustryForm
    template_name = "projects/industry_form.html"

    def get_success_url(self) -> str:
        return reverse("projects:industry_list")


class IndustryCreateView(IndustryFormMixin, ScopedCreateView):
    def save(self, form: IndustryForm) -> Industry:
        return services.industry_save(user=self.request.user, data=entered(form))


class IndustryUpdateView(IndustryFormMixin, ScopedUpdateView):
    def save(self, form: IndustryForm) -> Industry:
        return services.industry_save(
            user=self.request.user, data=entered(form), industry=self.object
        )


# --- Leads ---------------------------------------------------------------------------------


class LeadListView(ScopedListView):
    model = Lead
    filterset_class = LeadFilter
    title = gettext_lazy("Leads")
    create_url_name = "projects:lead_create"
    select_related = ("unit", "industry", "industry__parent")
    columns = (
        Column("received_on", gettext_lazy("Received on"), attr("received_on")),
        Column("company_name", gettext_lazy("Investing company"), attr("company_name"), link=True),
        Column("project_name", gettext_lazy("Proposed project"), attr("project_name"), link=True),
        Column("industry", gettext_lazy("Industry"), lambda r: str(r.industry), sortable=False),
        Column(
            "estimated_amount_wan",
            gettext_lazy("Estimated amount (万元)"),
            attr("estimated_amount_wan"),
            numeric=True,
        ),
        Column("source", gettext_lazy("Source"), attr("source"), sortable=False),
        Column("unit", gettext_lazy("Unit"), attr("unit.name")),
        Column("status", gettext_lazy("Status"), attr("status")),
        ClockColumn(
            "clock",
            gettext_lazy("Response clock"),
            computed(clock_text, "clock", "received_on"),
            sortable=False,
        ),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().with_clock(timezone.localdate())


class LeadDetailView(ScopedDetailView):
    model = Lead
    template_name = "projects/lead_detail.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related(
                "unit", "industry", "industry__parent", "team", "provided_by", "project"
            )
            .with_clock(timezone.localdate())
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lead = self.object
        context["is_open"] = lead.status in OPEN_LEAD_STATUSES
        if context["may_edit"] and context["is_open"]:  # the forms are shown to them only
            context.setdefault("follow_up_form", FollowUpForm(prefix="follow_up"))
            context.setdefault("drop_form", DropLeadForm(prefix="drop"))
        context["follow_ups"] = lead.follow_ups.select_related("recorded_by")
        context["duplicates"] = lead.possible_duplicates.select_related("unit")
        context["trips"] = lead.trips.visible_to(self.request.user)
        context["clock_badge"] = clock_badge(getattr(lead, "clock", ""), lead.received_on)
        context["active_tab"] = kwargs.get("active_tab", self.request.GET.get("tab", "overview"))
        return context


class LeadFormView:
    """Create and edit share the duplicate check: possible duplicates are shown, and a
    new lead is saved only once the officer confirms it is distinct."""

    model = Lead
    form_class = LeadForm
    template_name = "projects/lead_form.html"
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}  # type: ignore[misc]

    def save(self, form: LeadForm) -> Lead:
        raise NotImplementedError

    def form_valid(self, form: LeadForm) -> HttpResponse:
        try:
            self.object = self.save(form)
        except services.DuplicatesFound as found:
            form.data = form.data.copy()
            form.data["confirm_duplicates"] = "on"
            return self.render_to_response(  # type: ignore[attr-defined]
                self.get_context_data(form=form, duplicates=found.duplicates)  # type: ignore[attr-defined]
            )
        except ValidationError as error:
            show_service_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class LeadCreateView(LeadFormView, ScopedCreateView):
    def save(self, form: LeadForm) -> Lead:
        return services.lead_create(
            user=self.request.user,
            data=entered(form),
            confirm_duplicates=form.cleaned_data.get("confirm_duplicates", False),
        )


class LeadUpdateView(LeadFormView, ScopedUpdateView):
    def save(self, form: LeadForm) -> Lead:
        return services.lead_update(lead=self.object, user=self.request.user, data=entered(form))


class LeadDuplicateCheckView(View):
    """As the officer types: the leads of the shared pool that look like this one."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        duplicates = lead_possible_duplicates(
            company_name=request.GET.get("company_name", ""),
            phone=request.GET.get("contact_phone", ""),
        )[:20]
        return render(request, "projects/_lead_duplicates.html", {"duplicates": duplicates})


class LeadActionView(RecordActionMixin, LeadDetailView):
    """A form posted from the lead page; if it fails, the page comes back with the form
    as typed and its errors."""

    form_class: type = FollowUpForm


class LeadFollowUpView(LeadActionView):
    form_class = FollowUpForm
    prefix = "follow_up"
    context_name = "follow_up_form"
    tab = "follow-ups"

    def act(self, form: FollowUpForm) -> None:
        services.lead_follow_up(lead=self.object, user=self.request.user, **form.cleaned_data)


class LeadDropView(LeadActionView):
    form_class = DropLeadForm
    prefix = "drop"
    context_name = "drop_form"

    def act(self, form: DropLeadForm) -> None:
        services.lead_drop(
            lead=self.object, user=self.request.user, reason=form.cleaned_data["reason"]
        )


class LeadConvertView(EditableObjectMixin, ScopedCreateView):
    """A project pre-filled from the lead; saving it closes the lead as converted."""

    model = Lead
    form_class = ProjectForm
    template_name = "projects/project_form.html"
    http_method_names = FORM_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.lead = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.project_from_lead(self.lead)
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "lead": self.lead}

    def form_valid(self, form: ProjectForm) -> HttpResponse:
        try:
            project = services.lead_convert(
                lead=self.lead, user=self.request.user, data=entered(form)
            )
        except ValidationError as error:
            show_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The lead is now a project."))
        return HttpResponseRedirect(project.get_absolute_url())
