"""Trip pages: the list, the report form with its companies visited, the trip's page with
a lead created from a visit, the quota table and the bureau's quota settings; the team
ranking and the trips tab of a team's page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from core.exports import xlsx_response
from core.forms import entered, show_service_errors
from core.periods import quarter_of
from core.policy import Action, may, require
from core.views import (
    FORM_METHODS,
    Column,
    EditableObjectMixin,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    attr,
    requested_int,
    requested_year,
)
from projects.forms import LeadForm
from projects.matching import company_key
from projects.models import Lead
from projects.services import DuplicatesFound
from teams.sections import TEAM_PAGE_ROWS
from trips import services
from trips.choices import QuotaScope, QuotaStatus, TripStatus
from trips.filters import TripFilter
from trips.forms import QuotaYearForm, TripForm, TripVisitFormSet
from trips.models import DEFAULT_QUOTAS, Trip, TripQuota
from trips.selectors import quota_link_rule, quota_table, team_performance, trip_list, trip_status

STATUS_BADGES = {
    TripStatus.PLAN: "text-bg-info",
    TripStatus.AWAITING: "text-bg-warning",
    TripStatus.OVERDUE: "text-bg-danger",
    TripStatus.REPORTED: "text-bg-success",
}


def status_label(row: Trip) -> str:
    return str(TripStatus(row.status).label)


class TripListView(ScopedListView):
    model = Trip
    filterset_class = TripFilter
    title = gettext_lazy("Trips")
    create_url_name = "trips:trip_create"
    columns = (
        Column("start_on", gettext_lazy("Start date"), attr("start_on"), link=True),
        Column("end_on", gettext_lazy("End date"), attr("end_on")),
        Column("destination", gettext_lazy("Destination"), attr("destination"), link=True),
        Column("leader_name", gettext_lazy("Led by"), attr("leader_name"), sortable=False),
        Column("unit", gettext_lazy("Unit"), attr("unit.name")),
        Column("team", gettext_lazy("Team"), attr("team.name")),
        Column(
            "visit_count",
            gettext_lazy("Companies visited"),
            attr("visit_count"),
            sortable=False,
            numeric=True,
        ),
        Column(
            "lead_count", gettext_lazy("Leads"), attr("lead_count"), sortable=False, numeric=True
        ),
        Column("status", gettext_lazy("Status"), status_label, sortable=False),
    )

    def get_queryset(self) -> QuerySet:
        return trip_list(self.request.user, timezone.localdate())

    def row_class(self, row: Trip) -> str:
        return "table-danger" if row.status == TripStatus.OVERDUE else ""


class TripFormMixin:
    """The report and its companies visited (an inline formset), saved together through
    teams.services.trip_save."""

    model = Trip
    form_class = TripForm
    template_name = "trips/trip_form.html"
    request: HttpRequest
    object: Trip | None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}  # type: ignore[misc]

    def visit_formset(self) -> TripVisitFormSet:
        instance = self.object if self.object is not None else Trip()
        data = self.request.POST if self.request.method == "POST" else None
        return TripVisitFormSet(data, instance=instance, prefix="visits")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("visits", self.visit_formset())
        return context

    def form_valid(self, form: TripForm) -> HttpResponse:
        visits = self.visit_formset()
        if not visits.is_valid():
            return self.render_to_response(  # type: ignore[attr-defined]
                self.get_context_data(form=form, visits=visits)
            )
        kept = [
            {"id": visit_form.instance.pk, **entered(visit_form)}
            for visit_form in visits.forms
            if visit_form not in visits.deleted_forms
            and (visit_form.instance.pk or visit_form.has_changed())
        ]
        try:
            self.object = services.trip_save(
                user=self.request.user,
                data=entered(form),
                trip=self.object,
                visits=kept,
            )
        except ValidationError as error:
            show_service_errors(form, error)
            return self.render_to_response(  # type: ignore[attr-defined]
                self.get_context_data(form=form, visits=visits)
            )
        messages.success(self.request, _("Trip saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class TripCreateView(TripFormMixin, ScopedCreateView):
    pass


class TripUpdateView(TripFormMixin, ScopedUpdateView):
    pass


class TripDetailView(ScopedDetailView):
    model = Trip
    template_name = "trips/trip_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("unit", "team", "led_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        trip = self.object
        status = trip_status(trip, timezone.localdate())
        leads = list(
            Lead.objects.visible_to(self.request.user)
            .filter(trips=trip)
            .select_related("unit")
            .order_by("id")
        )
        linked = {lead.company_key: lead for lead in leads}
        visits = list(trip.visits.all())
        for visit in visits:
            visit.lead = linked.get(company_key(visit.company))
        context.update(
            status=status,
            status_label=TripStatus(status).label,
            status_badge=STATUS_BADGES[status],
            visits=visits,
            leads=leads,
            participants=trip.participants.select_related("unit"),
            may_add_lead=context["may_edit"] and Lead.objects.all().creatable_by(self.request.user),
            active_tab=self.request.GET.get("tab", "overview"),
        )
        return context


class TripLeadCreateView(EditableObjectMixin, ScopedCreateView):
    """A lead pre-filled from a company visited on the trip, saved through the lead rules
    (duplicate check included) with the trip's team and unit, then linked to the trip."""

    model = Trip
    template_name = "trips/trip_lead_form.html"
    http_method_names = FORM_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.trip = self.get_object()
            require(request.user, Action.LEAD_EDIT)
            self.visit = get_object_or_404(self.trip.visits, pk=kwargs["visit_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self) -> type:
        return LeadForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.lead_from_visit(
            trip=self.trip, visit=self.visit, user=self.request.user
        )
        kwargs["user"] = self.request.user
        return kwargs

    def get_form(self, form_class: type | None = None) -> Any:
        form = super().get_form(form_class)
        del form.fields["team"]  # the trip's
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "trip": self.trip, "visit": self.visit}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            lead = services.trip_add_lead(
                trip=self.trip,
                user=self.request.user,
                data=entered(form),
                confirm_duplicates=form.cleaned_data.get("confirm_duplicates", False),
            )
        except DuplicatesFound as found:
            form.data = form.data.copy()
            form.data["confirm_duplicates"] = "on"
            return self.render_to_response(
                self.get_context_data(form=form, duplicates=found.duplicates)
            )
        except ValidationError as error:
            show_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Lead saved and linked to the trip: %(lead)s") % {"lead": lead}
        )
        return HttpResponseRedirect(f"{self.trip.get_absolute_url()}?tab=leads")


# --- Quotas ------------------------------------------------------------------------------


QUOTA_CLASSES = {
    "met": "table-success",
    "on_track": "table-warning",
    "behind": "table-danger",
    "no_quota": "",
}


class QuotaTableView(TemplateView):
    """Everyone's trips against quota for a year and a quarter, coloured; each count links
    to the trips behind it (for the counts the user may open)."""

    template_name = "trips/quota_table.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        table = self.table()
        headers = [
            _("Applies to"),
            _("Name"),
            _("This year"),
            _("Quarter %(quarter)s") % {"quarter": table.quarter},
            _("Planned"),
            _("Trips a year"),
            _("Trips a quarter at least"),
            _("Status"),
        ]
        rows = [
            [
                group.label,
                str(row.owner),
                row.year_count,
                row.quarter_count,
                row.planned,
                row.quota.per_year if row.quota else None,
                row.quota.per_quarter if row.quota else None,
                str(QuotaStatus(row.status).label),
            ]
            for group in table.groups
            for row in group.rows
        ]
        title = str(_("Trip quotas for %(year)s") % {"year": table.year})
        return xlsx_response(filename=f"{title}.xlsx", title=title, headers=headers, rows=rows)

    def table(self) -> Any:
        today = timezone.localdate()
        year = requested_year(self.request)
        default_quarter = quarter_of(today) if year == today.year else 4
        quarter = requested_int(self.request, "quarter", default_quarter, 1, 4)
        return quota_table(year, quarter, today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        table = self.table()
        linkable = quota_link_rule(self.request.user)
        trips_url = reverse("trips:trip_list")

        def link(row: Any, start: Any, end: Any) -> str:
            if not linkable(row):
                return ""
            query = {row.filter_key: row.owner.pk, "start_after": start, "start_before": end}
            return f"{trips_url}?{urlencode(query)}"

        groups = []
        for group in table.groups:
            rows = [
                {
                    "row": row,
                    "status_class": QUOTA_CLASSES[row.status],
                    "status_label": QuotaStatus(row.status).label,
                    "year_class": QUOTA_CLASSES[row.year_status],
                    "quarter_class": QUOTA_CLASSES[row.quarter_status],
                    "year_url": link(row, table.year_start, table.counted_until),
                    "quarter_url": link(
                        row, table.quarter_start, min(table.quarter_end, table.counted_until)
                    ),
                }
                for row in group.rows
            ]
            groups.append({"group": group, "rows": rows})
        context.update(
            table=table,
            groups=groups,
            years=range(timezone.localdate().year - 4, timezone.localdate().year + 2),
            quarters=range(1, 5),
            may_set_quotas=may(self.request.user, Action.QUOTA_SET),
        )
        return context


class QuotaSettingsView(FormView):
    """The bureau sets a year's quotas; blank falls back on the default."""

    form_class = QuotaYearForm
    template_name = "trips/quota_settings.html"
    http_method_names = FORM_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, Action.QUOTA_SET)
        self.year = requested_year(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "defaults": DEFAULT_QUOTAS}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for quota in TripQuota.objects.filter(year=self.year):
            initial[f"{quota.scope}_per_year"] = quota.per_year
            initial[f"{quota.scope}_per_quarter"] = quota.per_quarter
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        context["scopes"] = [
            (label, context["form"][f"{scope}_per_year"], context["form"][f"{scope}_per_quarter"])
            for scope, label in QuotaScope.choices
        ]
        return context

    def form_valid(self, form: QuotaYearForm) -> HttpResponse:
        try:
            with transaction.atomic():
                services.quotas_save_year(
                    user=self.request.user, year=self.year, values=form.quotas()
                )
        except ValidationError as error:
            for scope, errors in error.message_dict.items():
                name = f"{scope}_per_quarter" if scope in QuotaScope.values else None
                form.add_error(name, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Quotas for %(year)s saved.") % {"year": self.year})
        return HttpResponseRedirect(f"{reverse('trips:quota_table')}?year={self.year}")


def with_status_labels(trips: Iterable[Trip]) -> list[Trip]:
    """Trips annotated with `status` (TripQuerySet.with_status), each given its label."""
    rows = list(trips)
    for trip in rows:
        trip.status_label = TripStatus(trip.status).label
    return rows


def team_trips_section(request: HttpRequest, team: Any) -> dict[str, Any]:
    """The trips tab of a team's page (teams.sections): the team's trips the user sees."""
    trips = trip_list(request.user).filter(team=team)
    return {"trips": with_status_labels(trips[:TEAM_PAGE_ROWS]), "trip_count": trips.count()}


class TeamPerformanceView(TemplateView):
    """Per team for a month: leads, visits, projects signed, funds in place, trips, and
    the rank among teams of the same kind (trips.selectors.team_performance)."""

    template_name = "trips/team_performance.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        year, month = self.requested_month()
        headers = [
            _("Kind"),
            _("Team"),
            _("Leads found"),
            _("Visits"),
            _("Projects signed"),
            _("Funds in place (万元)"),
            _("Trips"),
            _("Rank"),
        ]
        rows = [
            [
                group.label,
                str(row.team),
                row.leads,
                row.visits,
                row.projects_signed,
                row.funds_wan,
                row.trips,
                row.rank,
            ]
            for group in team_performance(year, month)
            for row in group.rows
        ]
        title = f"{_('Team performance')} {year}-{month:02d}"
        return xlsx_response(filename=f"{title}.xlsx", title=title, headers=headers, rows=rows)

    def requested_month(self) -> tuple[int, int]:
        today = timezone.localdate()
        return requested_year(self.request), requested_int(
            self.request, "month", today.month, 1, 12
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year, month = self.requested_month()
        context.update(
            year=year,
            month=month,
            months=range(1, 13),
            groups=team_performance(year, month),
        )
        return context
