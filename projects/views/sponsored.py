"""我包保的项目: the projects a county leader sponsors (包保), with what a leader follows:
funds in place to date, this year's completed investment, open and overdue blockers, and
the stall warnings in red. The bureau sees every leader's, filtered or sorted by leader."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from core.policy import Action, require
from core.roles import Role, role_of
from core.views import Column, ScopedListView, attr, computed
from projects.filters import SponsoredProjectFilter
from projects.models import Project
from projects.selectors import sponsored_projects, sponsored_totals
from projects.views.projects import WARNINGS, warnings_text

LEADER_COLUMN = Column("leader", gettext_lazy("Responsible leader"), attr("leader_name"))
COLUMNS = (
    Column("code", gettext_lazy("Code"), attr("code"), link=True),
    Column("name", gettext_lazy("Project name"), attr("name"), link=True),
    Column("unit", gettext_lazy("Responsible unit"), attr("unit.name")),
    Column(
        "sponsor_unit",
        gettext_lazy("Sponsoring department"),
        attr("sponsor_unit.name"),
        sortable=False,
    ),
    Column("stage", gettext_lazy("Stage"), attr("stage")),
    Column(
        "contract_amount_wan",
        gettext_lazy("Contract amount (万元)"),
        attr("contract_amount_wan"),
        numeric=True,
    ),
    Column(
        "funds_to_date",
        gettext_lazy("Funds in place to date (万元)"),
        attr("funds_to_date"),
        numeric=True,
    ),
    Column(
        "investment_this_year",
        gettext_lazy("Completed investment this year (万元)"),
        attr("investment_this_year"),
        numeric=True,
    ),
    Column("open_blockers", gettext_lazy("Open blockers"), attr("open_blockers"), numeric=True),
    Column(
        "overdue_blockers",
        gettext_lazy("Overdue blockers"),
        attr("overdue_blockers"),
        numeric=True,
    ),
    Column(
        "warnings",
        gettext_lazy("Warnings"),
        computed(warnings_text, *(flag for flag, _text in WARNINGS)),
        sortable=False,
    ),
)


class SponsoredProjectsView(ScopedListView):
    """A county leader's own projects; the bureau's view of every leader's. Officers and
    unit heads sponsor none: refused (403) like the other county-wide pages."""

    model = Project
    filterset_class = SponsoredProjectFilter
    template_name = "projects/sponsored_list.html"
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, Action.PROGRESS_READ_ALL)
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_leader(self) -> bool:
        return role_of(self.request.user) == Role.LEADER

    @property  # type: ignore[override]
    def title(self) -> str | Promise:
        if self.is_leader:
            return gettext_lazy("My sponsored projects")
        return gettext_lazy("Sponsored projects by leader")

    @property  # type: ignore[override]
    def columns(self) -> Sequence[Column]:
        if self.is_leader:
            return COLUMNS
        return (LEADER_COLUMN, *COLUMNS)

    def get_queryset(self) -> QuerySet:
        return sponsored_projects(self.request.user, timezone.localdate())

    def row_class(self, row: Project) -> str:
        return "table-danger" if row.is_stalled else ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["totals"] = sponsored_totals(self.object_list)
        context["year"] = timezone.localdate().year
        return context
