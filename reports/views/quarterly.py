"""Pages of the quarterly review (一季一调度, issue 7): the versions with the bureau's build
form, a stored review rendered (never recomputed) with its formula, weights, scores and
ranks, its workbook and, for the bureau, publishing; and the score weights page (everyone
reads the published formula's weights, the bureau changes them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.forms import StyledForm
from core.jobs import job_start
from core.periods import add_months, current_period, quarter_of
from core.policy import Action, may, require
from reports import services
from reports.choices import ReportKind, ScoreComponent, UnitGroup, label_of
from reports.figures import QuarterlyReview
from reports.models import Report
from reports.selectors.quarterly import (
    current_weights,
    formula_text,
    in_component_order,
    quarter_period,
    weight_changes,
)
from reports.tasks import JOB_KIND_QUARTERLY, build_quarterly_review
from reports.views.common import ReportPublishView, ReportWorkbookView, published_pending
from reports.workbook import quarter_label
from targets.choices import Metric
from targets.selectors import METRIC_RULES
from teams.choices import TeamKind
from trips.choices import QuotaStatus

from .monthly import _stalled

QUOTA_CLASSES = {"met": "", "on_track": "", "behind": "table-danger", "no_quota": ""}
RATES = (
    ("signing_rate", gettext_lazy("Signing rate")),
    ("start_rate", gettext_lazy("Start rate")),
    ("on_time_rate", gettext_lazy("On-time start rate")),
    ("funds_rate", gettext_lazy("Funds rate")),
)


class QuarterBuildForm(StyledForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Needed to rebuild a quarter already published."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            (q, _("Quarter %(quarter)s") % {"quarter": q}) for q in range(1, 5)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        reason = (data.get("reason") or "").strip()
        data["reason"] = reason
        if year is None or quarter is None:
            return data
        period = quarter_period(year, quarter)
        if period > current_period():
            self.add_error(
                "quarter", _("A review cannot be built for a quarter that has not started.")
            )
        elif not reason and services.needs_reason(kind=ReportKind.QUARTERLY, period=period):
            self.add_error(
                "reason",
                _("The report of this period is published: give a reason to rebuild it."),
            )
        return data


def quarterly_reports(user: Any) -> Any:
    return Report.objects.filter(kind=ReportKind.QUARTERLY).visible_to(user)


def _last_quarter() -> tuple[int, int]:
    last = add_months(current_period(), -3)
    return last.year, quarter_of(last)


def _list_page(
    request: HttpRequest, form: QuarterBuildForm | None, status: int = 200
) -> HttpResponse:
    bureau = may(request.user, Action.REPORT_BUILD)
    if bureau and form is None:
        year, quarter = _last_quarter()
        form = QuarterBuildForm(initial={"year": year, "quarter": quarter})
    reports = [
        {"report": report, "label": _quarter_label(report)}
        for report in quarterly_reports(request.user)
        .defer("figures")
        .order_by("-period", "-version")
    ]
    context = {"reports": reports, "form": form if bureau else None}
    return render(request, "reports/quarterly_list.html", context, status=status)


def _quarter_label(report: Report) -> str:
    return quarter_label({"year": report.period.year, "quarter": quarter_of(report.period)})


class QuarterlyListView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return _list_page(request, None)


class QuarterlyBuildView(View):
    """The bureau starts a build; the page then follows its job."""

    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.REPORT_BUILD)
        form = QuarterBuildForm(request.POST)
        if not form.is_valid():
            return _list_page(request, form, status=400)
        job = job_start(
            kind=JOB_KIND_QUARTERLY,
            task=build_quarterly_review,
            created_by=request.user,
            params={
                "year": form.cleaned_data["year"],
                "quarter": form.cleaned_data["quarter"],
                "reason": form.cleaned_data["reason"],
            },
        )
        return HttpResponseRedirect(reverse("reports:job", args=[job.pk]))


def _metric_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = dict(Metric.choices)
    return [
        {
            **row,
            "label": labels.get(row.get("metric"), row.get("metric")),
            "is_count": row.get("metric") in METRIC_RULES
            and METRIC_RULES[row["metric"]].total is None,
        }
        for row in rows
    ]


def _trips(trips: dict[str, Any] | None) -> dict[str, Any] | None:
    if trips is None:
        return None
    status = trips.get("status")
    return {
        **trips,
        "status_label": dict(QuotaStatus.choices).get(status, status),
        "status_class": QUOTA_CLASSES.get(status, ""),
    }


def _owner_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = dict(ScoreComponent.choices)
    return [
        {
            **row,
            "parts": [
                (labels.get(component, component), part)
                for component, part in in_component_order(row.get("components") or {})
            ],
            "metrics": _metric_rows(row.get("metrics", [])),
            "trips": _trips(row.get("trips")),
            "rate_cells": [(row.get("rates") or {}).get(key) for key, _label in RATES],
        }
        for row in rows
    ]


class QuarterlyDetailView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(quarterly_reports(request.user), pk=pk)
        figures = QuarterlyReview.from_stored(report.figures)
        weights = figures.get("weights", {})
        component_labels = dict(ScoreComponent.choices)
        team_labels = dict(TeamKind.choices)
        context = {
            "report": report,
            "label": _quarter_label(report),
            "figures": figures,
            "formula": formula_text(figures.get("formula", {})),
            "weights": [
                (component_labels.get(component, component), weight)
                for component, weight in in_component_order(weights)
            ],
            "weights_total": sum(int(weight) for weight in weights.values()),
            "rates": [label for _key, label in RATES],
            "unit_groups": [
                {
                    **group,
                    "label": label_of(UnitGroup, group["kind"]),
                    "units": _owner_rows(group.get("units", [])),
                }
                for group in figures.get("unit_groups", [])
            ],
            "team_groups": [
                {
                    **group,
                    "label": team_labels.get(group.get("kind"), group.get("kind")),
                    "teams": _owner_rows(group.get("teams", [])),
                }
                for group in figures.get("team_groups", [])
            ],
            "stalled": _stalled(figures),
            "can_publish": may(request.user, Action.REPORT_PUBLISH) and not report.is_published,
            "published_pending": published_pending(report),
        }
        return render(request, "reports/quarterly_detail.html", context)


class QuarterlyWorkbookView(ReportWorkbookView):
    kind = ReportKind.QUARTERLY


class QuarterlyPublishView(ReportPublishView):
    kind = ReportKind.QUARTERLY
    detail_url_name = "reports:quarterly_detail"
    published_message = gettext_lazy("The quarterly review is published.")


# --- Score weights -----------------------------------------------------------------------------


class WeightsForm(StyledForm):
    """One field per part of the score: its weight in points, 0 to 100."""

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for component, label in ScoreComponent.choices:
            self.fields[component] = forms.IntegerField(
                label=label, min_value=0, max_value=100, disabled=disabled
            )
        self.apply_styles()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [data.get(component) for component in ScoreComponent.values]
        if all(value is not None for value in given) and sum(given) <= 0:
            raise ValidationError(_("The weights must add up to more than 0."))
        return data


class WeightsView(View):
    """The quarterly review's score weights: every user reads them (the formula is
    published); the bureau changes them. Recent changes are listed below."""

    http_method_names = ["get", "post", "head", "options"]

    def _page(self, request: HttpRequest, form: WeightsForm, status: int = 200) -> HttpResponse:
        weights = current_weights()
        context = {
            "form": form,
            "may_edit": may(request.user, Action.REPORT_SET_WEIGHTS),
            "total": sum(weights.values()),
            "formula": formula_text(
                {
                    "time_progress": _("months of the year gone ÷ 12"),
                    "quota_share": _("quarters gone ÷ 4"),
                }
            ),
            "changes": [
                {**change, "label": ScoreComponent(change["component"]).label}
                for change in weight_changes()
                if change["component"] in ScoreComponent.values
            ],
        }
        return render(request, "reports/weights.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        disabled = not may(request.user, Action.REPORT_SET_WEIGHTS)
        form = WeightsForm(initial=current_weights(), disabled=disabled)
        return self._page(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.REPORT_SET_WEIGHTS)
        form = WeightsForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            services.score_weights_save(
                weights={c: form.cleaned_data[c] for c in ScoreComponent.values},
                user=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(None if field == NON_FIELD_ERRORS else field, errors)
            return self._page(request, form, status=400)
        messages.success(
            request, _("Score weights saved; they apply to the reviews built from now on.")
        )
        return HttpResponseRedirect(reverse("reports:weights"))
