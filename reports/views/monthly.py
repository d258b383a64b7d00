"""Pages of the monthly bulletin (issue 7): the versions, a build started in the background
with its progress page, and a stored snapshot rendered (never recomputed) with its workbook
and, for the bureau, publishing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.forms import StyledForm
from core.jobs import job_start
from core.models import Job, JobStatus
from core.periods import current_period, format_period, parse_period
from core.policy import Action, may, require
from events.choices import EventKind
from projects.choices import STAGE_ORDER, Stage
from reports import services
from reports.choices import ReportKind, StallReason, UnitGroup, label_of
from reports.figures import MonthlyBulletin
from reports.models import Report
from reports.selectors.construction import construction_links, unit_construction_links
from reports.selectors.monthly import construction_headline, red_reason_text
from reports.tasks import (
    JOB_KIND_ANNUAL,
    JOB_KIND_MONTHLY,
    JOB_KIND_QUARTERLY,
    build_monthly_bulletin,
)
from reports.views.common import ReportPublishView, ReportWorkbookView, published_pending
from reports.workbook import _totals_rows, construction_rows
from supervision.choices import OrderLevel
from targets.selectors import Window


class BuildForm(StyledForm):
    period = forms.CharField(
        label=gettext_lazy("Month"),
        max_length=7,
        help_text=gettext_lazy("YYYY-MM"),
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Needed to rebuild a month already published."),
    )

    def clean_period(self) -> Any:
        try:
            period = parse_period(self.cleaned_data["period"])
        except ValueError as error:
            raise ValidationError(_("The period must be a month written YYYY-MM.")) from error
        if period > current_period():
            raise ValidationError(_("A report cannot be built for a month in the future."))
        return period

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        period = data.get("period")
        reason = (data.get("reason") or "").strip()
        data["reason"] = reason
        if period and not reason and services.needs_reason(kind=ReportKind.MONTHLY, period=period):
            self.add_error(
                "reason",
                _("The report of this period is published: give a reason to rebuild it."),
            )
        return data


def monthly_reports(user: Any) -> Any:
    return Report.objects.filter(kind=ReportKind.MONTHLY).visible_to(user)


def _list_page(request: HttpRequest, form: BuildForm | None, status: int = 200) -> HttpResponse:
    bureau = may(request.user, Action.REPORT_BUILD)
    if bureau and form is None:
        form = BuildForm(initial={"period": format_period(current_period())})
    context = {
        "reports": monthly_reports(request.user).defer("figures").order_by("-period", "-version"),
        "form": form if bureau else None,
    }
    return render(request, "reports/monthly_list.html", context, status=status)


class MonthlyListView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return _list_page(request, None)


class MonthlyBuildView(View):
    """The bureau starts a build; the page then follows its job."""

    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.REPORT_BUILD)
        form = BuildForm(request.POST)
        if not form.is_valid():
            return _list_page(request, form, status=400)
        job = job_start(
            kind=JOB_KIND_MONTHLY,
            task=build_monthly_bulletin,
            created_by=request.user,
            params={
                "period": format_period(form.cleaned_data["period"]),
                "reason": form.cleaned_data["reason"],
            },
        )
        return HttpResponseRedirect(reverse("reports:job", args=[job.pk]))


@dataclass(frozen=True)
class ReportPages:
    """Where a kind of build leads: its report's page, its list, and the words for them."""

    detail: str
    list: str
    title: Any
    open_label: Any
    back_label: Any


REPORT_PAGES = {
    JOB_KIND_MONTHLY: ReportPages(
        "reports:monthly_detail",
        "reports:monthly_list",
        gettext_lazy("Building the bulletin"),
        gettext_lazy("Open the bulletin"),
        gettext_lazy("Back to the bulletins"),
    ),
    JOB_KIND_QUARTERLY: ReportPages(
        "reports:quarterly_detail",
        "reports:quarterly_list",
        gettext_lazy("Building the quarterly review"),
        gettext_lazy("Open the review"),
        gettext_lazy("Back to the reviews"),
    ),
    JOB_KIND_ANNUAL: ReportPages(
        "reports:annual_detail",
        "reports:annual_list",
        gettext_lazy("Building the year-end assessment"),
        gettext_lazy("Open the assessment"),
        gettext_lazy("Back to the assessments"),
    ),
}


def _job_subject(job: Job) -> str:
    """What the job builds, for its page's title: a month, a year's quarter, or a year."""
    params = job.params if isinstance(job.params, dict) else {}
    if params.get("quarter"):
        return _("%(year)s Q%(quarter)s") % {
            "year": params.get("year", ""),
            "quarter": params["quarter"],
        }
    if params.get("year") and not params.get("period"):  # a year-end assessment
        return str(params["year"])
    return str(params.get("period", ""))


class JobView(View):
    """A build's progress page, for either kind of report: the bar follows the job and the
    page opens the report it built."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
        pages = REPORT_PAGES.get(job.kind, REPORT_PAGES[JOB_KIND_MONTHLY])
        report_id = (job.result or {}).get("report_id") if isinstance(job.result, dict) else None
        context = {
            "job": job,
            "pages": pages,
            "subject": _job_subject(job),
            "back_url": reverse(pages.list),
            "status_labels": [(value, label) for value, label in JobStatus.choices],
            "api_url": reverse("job-detail", args=[job.pk]),
            "report_url_pattern": reverse(pages.detail, args=[0]).replace("/0/", "/"),
            "report_url": reverse(pages.detail, args=[report_id]) if report_id else "",
        }
        return render(request, "reports/job.html", context)


def _unit_groups(figures: dict[str, Any], window: Window) -> list[dict[str, Any]]:
    """The unit table's groups, each unit with its projects per stage in STAGE_ORDER and
    the lists behind its construction figures."""
    return [
        {
            **group,
            "label": label_of(UnitGroup, group["kind"]),
            "units": [
                {
                    **unit,
                    "stage_cells": [unit.get("stages", {}).get(s, 0) for s in STAGE_ORDER],
                    "links": unit.get("unit_id")
                    and unit_construction_links(window, unit["unit_id"]),
                }
                for unit in group.get("units", [])
            ],
        }
        for group in figures.get("unit_groups", [])
    ]


def _red_list(warnings: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**row, "reasons_text": "；".join(red_reason_text(r) for r in row.get("reasons", []))}
        for row in warnings.get("red_list", [])
    ]


def _stalled(warnings: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**row, "why_text": ", ".join(label_of(StallReason, w) for w in row.get("why", []))}
        for row in warnings.get("stalled_projects", [])
    ]


def _overdue_orders(warnings: dict[str, Any]) -> list[dict[str, Any]]:
    """Each overdue order with what it is about and its level in words."""
    return [
        {
            "row": order,
            "level_label": label_of(OrderLevel, order.level),
        }
        for order in warnings.get("overdue_orders", [])
    ]


def _events(figures: MonthlyBulletin) -> list[dict[str, Any]]:
    """Each event with its kind's label."""
    return [
        {"row": event, "kind_label": label_of(EventKind, event.kind)} for event in figures.events
    ]


class MonthlyDetailView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(monthly_reports(request.user), pk=pk)
        figures = MonthlyBulletin.from_stored(report.figures)
        warnings = figures.get("warnings", {})
        window = Window(report.period.year, report.period.month)
        links = construction_links(window)
        context = {
            "report": report,
            "figures": figures,
            "funds": figures.get("funds", {}),
            "origins": figures.get("origins", {}),
            "stats": figures.get("statistics_projects", {}),
            "signed": figures.get("signed", {}),
            "unit_groups": _unit_groups(figures, window),
            "stage_labels": [Stage(stage).label for stage in STAGE_ORDER],
            "construction": figures.get("construction"),
            "construction_rows": [
                {**row, "url": links.get(row["key"])} for row in construction_rows(figures)
            ],
            "construction_sentences": construction_headline(figures),
            # a snapshot stored before events were counted (schema 3) has no such section
            "show_events": figures.schema_version >= 3,
            "events": _events(figures),
            "red_list": _red_list(warnings),
            "warnings": warnings,
            "stalled": _stalled(warnings),
            "overdue_orders": _overdue_orders(warnings),
            "totals": _totals_rows(figures),
            "key_projects": [
                {**row, "stage_label": dict(Stage.choices).get(row.get("stage"), row.get("stage"))}
                for row in figures.get("key_projects", [])
            ],
            "can_publish": may(request.user, Action.REPORT_PUBLISH) and not report.is_published,
            "published_pending": published_pending(report),
        }
        return render(request, "reports/monthly_detail.html", context)


class MonthlyWorkbookView(ReportWorkbookView):
    kind = ReportKind.MONTHLY


class MonthlyPublishView(ReportPublishView):
    kind = ReportKind.MONTHLY
    detail_url_name = "reports:monthly_detail"
    published_message = gettext_lazy("The bulletin is published.")
