"""Team pages: the list, the form (the bureau's), the team's page and the team ranking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.exports import xlsx_response
from core.views import (
    Column,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
    attr,
)
from teams import services
from teams.choices import TripStatus
from teams.filters import TeamFilter
from teams.forms import TeamForm
from teams.models import Team, Trip
from teams.selectors import team_performance, trip_list

# Rows of each list shown on a team's page; the rest is one click away, on the list.
TEAM_PAGE_ROWS = 20


def requested_int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; the default when missing or wrong."""
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return default
    return value if low <= value <= high else default


def requested_year(request: HttpRequest) -> int:
    return requested_int(request, "year", timezone.localdate().year, 2000, 2100)


def with_status_labels(trips: Iterable[Trip]) -> list[Trip]:
    """Trips annotated with `status` (TripQuerySet.with_status), each given its label."""
    rows = list(trips)
    for trip in rows:
        trip.status_label = TripStatus(trip.status).label
    return rows


class TeamListView(ScopedListView):
    model = Team
    filterset_class = TeamFilter
    title = gettext_lazy("Teams")
    create_url_name = "teams:team_create"
    select_related = ("lead_unit",)
    columns = (
        Column("name", gettext_lazy("Name"), attr("name"), link=True),
        Column("kind", gettext_lazy("Kind"), attr("kind")),
        Column("region", gettext_lazy("Region"), attr("region")),
        Column("leader_name", gettext_lazy("Team leader"), attr("leader_name"), sortable=False),
        Column("lead_unit", gettext_lazy("Lead unit"), attr("lead_unit.name"), sortable=False),
        Column(
            "budget_wan",
            gettext_lazy("Yearly budget (万元)"),
            attr("budget_wan"),
            numeric=True,
        ),
        Column("is_active", gettext_lazy("Active"), attr("is_active"), sortable=False),
    )


class TeamFormMixin(ServiceFormMixin):
    model = Team
    form_class = TeamForm
    template_name = "teams/team_form.html"

    def save(self, form: TeamForm) -> Team:
        return services.team_save(
            team=form.save(commit=False),
            member_units=form.cleaned_data["member_units"],
            members=form.cleaned_data["members"],
        )


class TeamCreateView(TeamFormMixin, ScopedCreateView):
    pass


class TeamUpdateView(TeamFormMixin, ScopedUpdateView):
    pass


class TeamDetailView(ScopedDetailView):
    """A team: its members, the leads and projects it brought in (those the user may
    see), its trips, its budget and its targets with progress."""

    model = Team
    template_name = "teams/team_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("lead_unit")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from projects.models import Lead, Project

        context = super().get_context_data(**kwargs)
        team, user = self.object, self.request.user
        leads = Lead.objects.visible_to(user).filter(team=team)
        projects = Project.objects.visible_to(user).filter(team=team)
        trips = trip_list(user).filter(team=team)
        context.update(
            members=team.members.select_related("unit").order_by("unit__sort_order", "username"),
            member_units=team.member_units.order_by("sort_order", "code"),
            leads=leads.select_related("unit")[:TEAM_PAGE_ROWS],
            lead_count=leads.count(),
            projects=projects.select_related("unit")[:TEAM_PAGE_ROWS],
            project_count=projects.count(),
            trips=with_status_labels(trips[:TEAM_PAGE_ROWS]),
            trip_count=trips.count(),
            active_tab=self.request.GET.get("tab", "overview"),
            **self.target_context(),
        )
        return context

    def target_context(self) -> dict[str, Any]:
        """The team's targets the user may see, with progress up to this month (or to
        December of a past year)."""
        from targets.choices import Metric, OwnerKind, Pace
        from targets.models import Target
        from targets.selectors import progress_table

        today = timezone.localdate()
        year = requested_year(self.request)
        month = today.month if year == today.year else (12 if year < today.year else 1)
        shown = set(
            Target.objects.visible_to(self.request.user)
            .filter(team=self.object, year=year)
            .values_list("metric", flat=True)
        )
        progress = []
        if shown:
            row = progress_table(kind=OwnerKind.TEAM, year=year, month=month, owners=[self.object])
            for metric, item in row[0].metrics.items():
                if metric in shown:
                    item.metric_label = Metric(metric).label
                    item.pace_label = Pace(item.pace).label
                    progress.append(item)
        return {"target_year": year, "target_month": month, "target_progress": progress}


class TeamPerformanceView(TemplateView):
    """Per team for a month: leads, visits, projects signed, funds in place, trips, and
    the rank among teams of the same kind (teams.selectors.team_performance)."""

    template_name = "teams/team_performance.html"
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
