"""Team pages: the list, the form (the bureau's) and the team's page, whose tabs of leads,
projects, trips and targets come from the apps above (teams.sections)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from core.forms import entered
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
from teams.filters import TeamFilter
from teams.forms import TeamForm
from teams.models import Team
from teams.sections import TEAM_PAGE_SECTIONS


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
        team = self.object if getattr(self, "object", None) else None
        return services.team_save(user=self.request.user, data=entered(form), team=team)


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
        context = super().get_context_data(**kwargs)
        team = self.object
        context.update(
            members=team.members.select_related("unit").order_by("unit__sort_order", "username"),
            member_units=team.member_units.order_by("sort_order", "code"),
            active_tab=self.request.GET.get("tab", "overview"),
        )
        for section in TEAM_PAGE_SECTIONS:
            context.update(section(self.request, team))
        return context
