from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.db import money_sum
from core.forms import entered
from core.periods import current_period, parse_period, year_to_month_label
from core.policy import Action, may, require
from core.views import (
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
from projects.filters import BlockerFilter, ProjectFilter
from projects.forms import (
    BlockerForm,
    DocumentForm,
    DocumentReviewForm,
    DuplicateDecisionForm,
    FollowUpForm,
    FundsRecordForm,
    ProjectForm,
    StageForm,
)
from projects.models import Blocker, Document, DuplicatePair, Lead, Project
from projects.models.leads import industry_label
from projects.selectors import (
    blocker_list,
    investment_of_projects,
    project_ledger,
    project_list,
)
from projects.stages import next_stage, todo_for
from teams.sections import TEAM_PAGE_ROWS

# The warnings shown in red, each by the flag of ProjectQuerySet.with_flags that raises it.
WARNINGS = (
    ("stalled_negotiation", gettext_lazy("No follow-up for 30 days")),
    ("stalled_start", gettext_lazy("Past the agreed start date")),
    ("stalled_key", gettext_lazy("Key project idle for 90 days")),
    ("below_intensity", gettext_lazy("Below the park's minimum intensity")),
    ("has_overdue_blocker", gettext_lazy("Overdue blocker")),
)


def warnings_text(*flags: bool | None) -> str:
    """The warnings the flags raise (in the order of WARNINGS), in one line."""
    return "；".join(str(text) for (_flag, text), up in zip(WARNINGS, flags, strict=True) if up)


def project_warnings(row: Project) -> str:
    return warnings_text(*(getattr(row, flag, False) for flag, _text in WARNINGS))


class ProjectListView(ScopedListView):
    model = Project
    filterset_class = ProjectFilter
    title = gettext_lazy("Projects")
    create_url_name = "projects:project_create"
    totals = ((gettext_lazy("contract amount (万元)"), "contract_amount_wan"),)
    columns = (
        Column("code", gettext_lazy("Code"), attr("code"), link=True),
        Column("name", gettext_lazy("Project name"), attr("name"), link=True),
        Column("investor", gettext_lazy("Investor"), attr("investor"), sortable=False),
        Column("unit", gettext_lazy("Responsible unit"), attr("unit.name")),
        Column(
            "industry",
            gettext_lazy("Industry"),
            computed(industry_label, "industry.parent.name", "industry.name"),
            sortable=False,
        ),
        Column(
            "contract_amount_wan",
            gettext_lazy("Contract amount (万元)"),
            attr("contract_amount_wan"),
            numeric=True,
        ),
        Column("size_class", gettext_lazy("Size class"), attr("size_class"), sortable=False),
        Column("stage", gettext_lazy("Stage"), attr("stage")),
        Column("signed_on", gettext_lazy("Signed on"), attr("signed_on")),
        Column("started_on", gettext_lazy("Started on"), attr("started_on")),
        Column(
            "warnings",
            gettext_lazy("Warnings"),
            computed(warnings_text, *(flag for flag, _text in WARNINGS)),
            sortable=False,
        ),
    )

    def get_queryset(self) -> QuerySet:
        return project_list(self.request.user, timezone.localdate())

    def row_class(self, row: Project) -> str:
        return "table-danger" if row.is_stalled or row.has_overdue_blocker else ""

    def total_amounts(self, queryset: QuerySet) -> list[tuple[Any, Any]]:
        """The contract amount, and the total of the figure a drill-down came from: the
        planned investment of the year when the list is of a year's planned starts (拟开工),
        the completed investment of January to `investment_to` (YYYY-MM) when it is of the
        bulletin's projects under construction, key industrial or 包保 projects."""
        totals = super().total_amounts(queryset)
        if self.request.GET.get("planned_start_year"):
            planned = queryset.order_by().aggregate(total=money_sum("planned_investment_wan"))
            totals.append((gettext_lazy("planned investment of the year (万元)"), planned["total"]))
        try:
            until = parse_period(self.request.GET.get("investment_to", ""))
        except ValueError:
            return totals
        label = _("completed investment of %(months)s (万元)") % {
            "months": year_to_month_label(until.year, until.month)
        }
        totals.append((label, investment_of_projects(queryset, until)))
        return totals


class ProjectFormMixin(ServiceFormMixin):
    model = Project
    form_class = ProjectForm
    template_name = "projects/project_form.html"
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}  # type: ignore[misc]


class ProjectCreateView(ProjectFormMixin, ScopedCreateView):
    def save(self, form: ProjectForm) -> Project:
        return services.project_create(user=self.request.user, data=entered(form))


class ProjectUpdateView(ProjectFormMixin, ScopedUpdateView):
    def save(self, form: ProjectForm) -> Project:
        return services.project_update(
            project=self.object, user=self.request.user, data=entered(form)
        )


class ProjectDetailView(ScopedDetailView):
    """The project page: overview with the to-do list for the next stage, timeline,
    documents, blockers, follow-ups and history."""

    model = Project
    template_name = "projects/project_detail.html"

    def get_queryset(self) -> QuerySet:
        return project_list(self.request.user, timezone.localdate())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = self.object
        upcoming = next_stage(project)
        context["next_stage"] = upcoming
        context["next_stage_label"] = dict(Project._meta.get_field("stage").choices).get(upcoming)
        context["todo"] = todo_for(project, upcoming) if upcoming else []
        if context["may_edit"]:
            for name, form in self.blank_forms(project).items():
                context.setdefault(name, form)
        context["timeline"] = project.stage_changes.select_related("recorded_by")
        context["documents"] = project.documents.select_related("uploaded_by")
        context["blockers"] = project.blockers.select_related("owner_unit")
        context["follow_ups"] = project.follow_ups.select_related("recorded_by")
        context["cooperating_units"] = project.cooperating_units.all()
        context["warnings"] = project_warnings(project)
        context["ledger"] = project_ledger(project)
        context["funds_records"] = project.funds_records.all()[:60]
        context["today"] = timezone.localdate()
        context["may_file"] = may(self.request.user, Action.DOCUMENT_FILE)
        context["active_tab"] = kwargs.get("active_tab", self.request.GET.get("tab", "overview"))
        return context

    def blank_forms(self, project: Project) -> dict[str, Any]:
        """The forms of the page's tabs, shown to those who may change the project only (a
        form that came back with errors takes its blank one's place)."""
        return {
            "stage_form": StageForm(project=project, prefix="stage"),
            "document_form": DocumentForm(prefix="document"),
            "blocker_form": BlockerForm(prefix="blocker"),
            "follow_up_form": FollowUpForm(prefix="follow_up"),
            "funds_form": FundsRecordForm(prefix="funds", initial={"period": current_period()}),
        }


class ProjectActionView(RecordActionMixin, ProjectDetailView):
    """A form posted from a tab of the project page. If it fails, the page comes back on
    that tab with everything as typed and the errors beside the fields."""

    form_class: type = FollowUpForm


class ProjectStageView(ProjectActionView):
    prefix = "stage"
    context_name = "stage_form"

    def get_form(self) -> StageForm:
        return StageForm(self.request.POST, project=self.object, prefix=self.prefix)

    def act(self, form: StageForm) -> None:
        services.project_change_stage(
            project=self.object, user=self.request.user, **form.cleaned_data
        )

    def success_message(self) -> str:
        return _("The stage has been changed.")


class ProjectFollowUpView(ProjectActionView):
    form_class = FollowUpForm
    prefix = "follow_up"
    context_name = "follow_up_form"
    tab = "follow-ups"

    def act(self, form: FollowUpForm) -> None:
        services.project_follow_up(project=self.object, user=self.request.user, **form.cleaned_data)


class DocumentUploadView(ProjectActionView):
    form_class = DocumentForm
    prefix = "document"
    context_name = "document_form"
    tab = "documents"

    def act(self, form: DocumentForm) -> None:
        services.document_upload(
            project=self.object,
            user=self.request.user,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )


class BlockerCreateView(ProjectActionView):
    form_class = BlockerForm
    prefix = "blocker"
    context_name = "blocker_form"
    tab = "blockers"

    def act(self, form: BlockerForm) -> None:
        services.blocker_create(project=self.object, user=self.request.user, data=entered(form))


class DocumentReviewView(View):
    """The bureau files or returns a document."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
        document = get_object_or_404(
            Document.objects.visible_to(request.user), pk=document_pk, project_id=pk
        )
        require(request.user, Action.DOCUMENT_FILE)
        form = DocumentReviewForm(request.POST, prefix="review")
        if form.is_valid():
            try:
                services.document_review(
                    document=document,
                    user=request.user,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["return_reason"],
                )
                messages.success(request, _("Saved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(f"{document.project.get_absolute_url()}?tab=documents")


# --- Blockers ------------------------------------------------------------------------------


def blocker_due(row: Blocker) -> str:
    overdue = row.is_overdue(timezone.localdate())
    return f"{row.due_on.isoformat()}{' ' + _('overdue') if overdue else ''}"


class BlockerListView(ScopedListView):
    model = Blocker
    filterset_class = BlockerFilter
    title = gettext_lazy("Blockers")
    columns = (
        Column("project", gettext_lazy("Project"), attr("project"), sortable=False),
        Column("category", gettext_lazy("Category"), attr("category")),
        Column(
            "description",
            gettext_lazy("Description"),
            attr("description"),
            link=True,
            sortable=False,
        ),
        Column(
            "owner_unit", gettext_lazy("Unit responsible"), attr("owner_unit.name"), sortable=False
        ),
        Column("due_on", gettext_lazy("Due on"), blocker_due),
        Column("status", gettext_lazy("Status"), attr("status")),
    )

    def get_queryset(self) -> QuerySet:
        return blocker_list(self.request.user)

    def row_class(self, row: Blocker) -> str:
        return "table-danger" if row.is_overdue(timezone.localdate()) else ""


class BlockerUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = Blocker
    form_class = BlockerForm
    template_name = "projects/blocker_form.html"

    def save(self, form: BlockerForm) -> Blocker:
        return services.blocker_update(
            blocker=self.object, user=self.request.user, data=entered(form)
        )

    def get_success_url(self) -> str:
        return f"{self.object.project.get_absolute_url()}?tab=blockers"


# --- Duplicate projects --------------------------------------------------------------------


class DuplicateListView(ScopedListView):
    model = DuplicatePair
    template_name = "projects/duplicatepair_list.html"
    title = gettext_lazy("Possible duplicate projects")
    filterset_class = None
    filterset_fields = ["decision"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, Action.DUPLICATE_DECIDE)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return DuplicatePair.objects.editable_by(self.request.user).select_related(
            "project", "other", "project__unit", "other__unit", "decided_by"
        )


class DuplicateDecideView(EditableObjectMixin, View):
    model = DuplicatePair
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pair = self.get_object()
        form = DuplicateDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.duplicate_decide(
                    pair=pair, user=request.user, decision=form.cleaned_data["decision"]
                )
                messages.success(request, _("Saved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("projects:duplicate_list"))


def team_projects_section(request: HttpRequest, team: Any) -> dict[str, Any]:
    """The leads and projects tabs of a team's page (teams.sections): those the team
    brought in that the user sees."""
    leads = Lead.objects.visible_to(request.user).filter(team=team)
    projects = Project.objects.visible_to(request.user).filter(team=team)
    return {
        "leads": leads.select_related("unit")[:TEAM_PAGE_ROWS],
        "lead_count": leads.count(),
        "projects": projects.select_related("unit")[:TEAM_PAGE_ROWS],
        "project_count": projects.count(),
    }
