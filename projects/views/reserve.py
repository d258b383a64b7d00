"""The project library (项目库): reserve projects a unit has worked out, their promotion
materials, the moves 储备 → 推介中 → 已对接, the conversion into a lead once an investor
is found, and the promotion catalogue (招商项目册) as a printable page and a workbook.

Every logged-in user reads the library; the unit that worked a project out changes it
(core.access: ReserveProjectQuerySet). Every write goes through projects.services."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.exports import XLSX_CONTENT_TYPE
from core.forms import entered, show_service_errors, style_fields
from core.services import require_editable
from core.views import (
    Column,
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
from projects.catalogue import catalogue_workbook
from projects.choices import ReserveStatus
from projects.filters import ReserveProjectFilter
from projects.forms import LeadForm, ReserveMaterialForm, ReserveMoveForm, ReserveProjectForm
from projects.models import Lead, ReserveProject
from projects.models.leads import industry_label
from projects.selectors import Catalogue, reserve_catalogue, reserve_list

# The order of the moves, to tell a step forward from a step back.
RESERVE_ORDER = [ReserveStatus.RESERVE, ReserveStatus.PROMOTING, ReserveStatus.MATCHED]


class ReserveListView(ScopedListView):
    model = ReserveProject
    filterset_class = ReserveProjectFilter
    template_name = "projects/reserve_list.html"
    title = gettext_lazy("Project library")
    create_url_name = "projects:reserve_create"
    totals = ((gettext_lazy("total investment (万元)"), "total_investment_wan"),)
    columns = (
        Column("entered_on", gettext_lazy("Worked out on"), attr("entered_on")),
        Column("name", gettext_lazy("Project name"), attr("name"), link=True),
        Column(
            "industry",
            gettext_lazy("Industry"),
            computed(industry_label, "industry.parent.name", "industry.name"),
            sortable=False,
        ),
        Column(
            "total_investment_wan",
            gettext_lazy("Total investment (万元)"),
            attr("total_investment_wan"),
            numeric=True,
        ),
        Column("location", gettext_lazy("Location"), attr("location"), sortable=False),
        Column("unit", gettext_lazy("Unit"), attr("unit.name")),
        Column("status", gettext_lazy("Status"), attr("status")),
    )

    def get_queryset(self) -> QuerySet:
        return reserve_list(self.request.user)


class ReserveFormMixin(ServiceFormMixin):
    model = ReserveProject
    form_class = ReserveProjectForm
    template_name = "projects/reserve_form.html"
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}  # type: ignore[misc]


class ReserveCreateView(ReserveFormMixin, ScopedCreateView):
    def save(self, form: ReserveProjectForm) -> ReserveProject:
        return services.reserve_create(user=self.request.user, data=entered(form))


class ReserveUpdateView(ReserveFormMixin, ScopedUpdateView):
    def save(self, form: ReserveProjectForm) -> ReserveProject:
        return services.reserve_update(
            reserve=self.object, user=self.request.user, data=entered(form)
        )


def reserve_moves(reserve: ReserveProject) -> list[dict[str, Any]]:
    """The moves open to a reserve project (services.RESERVE_MOVES), forward ones first."""
    here = RESERVE_ORDER.index(reserve.status) if reserve.status in RESERVE_ORDER else None
    moves = [
        {
            "to": status.value,
            "label": status.label,
            "back": here is not None and RESERVE_ORDER.index(status) < here,
        }
        for status in RESERVE_ORDER
        if status in services.RESERVE_MOVES[reserve.status]
    ]
    return sorted(moves, key=lambda move: move["back"])


class ReserveDetailView(ScopedDetailView):
    """A reserve project's page: its facts and status with the moves open to it, its
    promotion materials, and its history."""

    model = ReserveProject
    template_name = "projects/reserve_detail.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("unit", "industry", "industry__parent", "lead", "created_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reserve = self.object
        context["moves"] = reserve_moves(reserve)
        context.setdefault("move_form", ReserveMoveForm())
        context.setdefault("material_form", ReserveMaterialForm(prefix="material"))
        context["materials"] = reserve.materials.select_related("uploaded_by")
        context["may_convert"] = context["may_edit"] and reserve.status != ReserveStatus.CONVERTED
        context["active_tab"] = kwargs.get("active_tab", self.request.GET.get("tab", "overview"))
        return context


class ReserveActionView(RecordActionMixin, ReserveDetailView):
    """A form posted from the reserve project's page; if it fails, the page comes back on
    its tab with the form as typed and the errors."""

    form_class: type = ReserveMoveForm


class ReserveMoveView(ReserveActionView):
    form_class = ReserveMoveForm
    context_name = "move_form"

    def act(self, form: ReserveMoveForm) -> None:
        self.object = services.reserve_move(
            reserve=self.object, user=self.request.user, to=form.cleaned_data["to"]
        )

    def success_message(self) -> str:
        return _("The reserve project is now “%(status)s”.") % {
            "status": self.object.get_status_display()
        }


class ReserveMaterialUploadView(ReserveActionView):
    form_class = ReserveMaterialForm
    prefix = "material"
    context_name = "material_form"
    tab = "materials"

    def act(self, form: ReserveMaterialForm) -> None:
        services.reserve_material_upload(
            reserve=self.object,
            user=self.request.user,
            file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )


class ReserveLeadView(ScopedCreateView):
    """The investor found for a reserve project becomes a lead: a lead form pre-filled from
    the reserve project, with the shared pool's duplicate check as on a new lead (possible
    duplicates are shown, and the lead is saved once the officer confirms it is distinct)."""

    model = Lead
    form_class = LeadForm
    template_name = "projects/reserve_lead_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            reserves = ReserveProject.objects.visible_to(request.user)
            self.reserve = get_object_or_404(
                reserves.select_related("unit", "industry"), pk=kwargs["pk"]
            )
            require_editable(request.user, self.reserve)
            if self.reserve.status == ReserveStatus.CONVERTED:
                messages.info(request, _("This reserve project is a lead already."))
                return HttpResponseRedirect(self.reserve.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.lead_from_reserve(self.reserve)
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "reserve": self.reserve}

    def form_valid(self, form: LeadForm) -> HttpResponse:
        try:
            lead = services.reserve_to_lead(
                reserve=self.reserve,
                user=self.request.user,
                data=entered(form),
                confirm_duplicates=form.cleaned_data.get("confirm_duplicates", False),
            )
        except services.DuplicatesFound as found:
            form.data = form.data.copy()
            form.data["confirm_duplicates"] = "on"
            context = self.get_context_data(form=form, duplicates=found.duplicates)
            return self.render_to_response(context)
        except ValidationError as error:
            show_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The reserve project is now a lead."))
        return HttpResponseRedirect(lead.get_absolute_url())


# --- The promotion catalogue (招商项目册) ----------------------------------------------------


def catalogue_title() -> str:
    return _("%(county)s promotion catalogue (%(date)s)") % {
        "county": settings.COUNTY_NAME,
        "date": timezone.localdate().isoformat(),
    }


class CatalogueMixin:
    """The library's filters (the list's FilterSet) applied to the catalogue."""

    request: HttpRequest

    def filterset(self) -> ReserveProjectFilter:
        return ReserveProjectFilter(
            self.request.GET or None,
            queryset=ReserveProject.objects.visible_to(self.request.user),
            request=self.request,
        )

    def catalogue(self, filterset: ReserveProjectFilter) -> Catalogue:
        """The filtered catalogue; none while a filter is wrong (as the list answers)."""
        if filterset.is_bound and not filterset.is_valid():
            return reserve_catalogue(ReserveProject.objects.none())
        return reserve_catalogue(filterset.qs)


class ReserveCatalogueView(CatalogueMixin, TemplateView):
    """The catalogue of the projects on offer (储备, 推介中) by industry chain, to print."""

    template_name = "projects/reserve_catalogue.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset()
        style_fields(filterset.form.fields, options_key=filterset.options_key)
        context["filter"] = filterset
        context["catalogue"] = self.catalogue(filterset)
        context["title"] = catalogue_title()
        context["query"] = self.request.GET.urlencode()
        return context


class ReserveCatalogueWorkbookView(CatalogueMixin, View):
    """The catalogue as a formatted workbook, with the same filters."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = catalogue_workbook(self.catalogue(self.filterset()), catalogue_title())
        filename = _("%(county)s promotion catalogue") % {"county": settings.COUNTY_NAME}
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
        return response
