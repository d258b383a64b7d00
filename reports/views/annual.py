"""Pages of the year-end assessment (年终一考核): the assessments with the bureau's build form,
an assessment (groups, ranks, grades, the formula in words) for the bureau and leaders, a
unit's own breakdown line by line (a unit's staff see only theirs, of a published
assessment), its workbook, publishing; the scheme of a year (every user reads it, the
bureau sets it) and the manual items the bureau scores. Every figure links to the records
it counts. Every write goes through reports.services (build, publish) and
reports.services.annual (scheme, manual items)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import sees_everything
from core.forms import show_service_errors, style_fields
from core.history import record_history
from core.jobs import job_start
from core.policy import Action, may, require
from reports import services
from reports.choices import (
    COUNTED_INDICATORS,
    RATE_INDICATORS,
    AdjustmentItem,
    Grade,
    IndicatorMetric,
    ReportKind,
    ScoringMethod,
    label_of,
)
from reports.figures_annual import AnnualAssessment, AssessedUnit
from reports.filters import AssessmentFilter
from reports.forms_annual import (
    AnnualBuildForm,
    IndicatorFormSet,
    ManualScoreForm,
    SchemeForm,
)
from reports.models import AssessmentScheme, ManualScore, Report
from reports.selectors.annual import (
    annual_window,
    assessment_period,
    assessment_title,
    breakdown_readable,
    default_scheme,
    formula_text,
    grade_rule_text,
    group_label,
    line_links,
    manual_scores,
    scheme_changes,
    scheme_figures,
    scheme_of,
)
from reports.services.annual import (
    AdjustmentEntry,
    IndicatorEntry,
    assessment_scheme_save,
    manual_score_add,
    manual_score_change,
    manual_score_remove,
)
from reports.tasks import JOB_KIND_ANNUAL, build_annual_assessment
from reports.views.common import ReportPublishView, published_pending
from reports.workbook_annual import annual_workbook_response, period_sentence
from targets.selectors import Window

GET_ONLY = ["get", "head", "options"]
POST_ONLY = ["post", "options"]
GRADE_CLASSES = {
    Grade.EXCELLENT: "text-bg-success",
    Grade.GOOD: "text-bg-primary",
    Grade.PASS: "text-bg-secondary",
    Grade.FAIL: "text-bg-danger",
}


def annual_reports(user: Any) -> Any:
    """The assessments the user may see: published ones; drafts for the bureau."""
    return Report.objects.filter(kind=ReportKind.ANNUAL).visible_to(user)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


# --- The list and the build --------------------------------------------------------------------


def _build_year(today: Any) -> int:
    """The year a build form offers: last year in its first months, else this year."""
    window = annual_window(today.year, today)
    return today.year if window is not None and window.month >= 6 else today.year - 1


def _list_page(
    request: HttpRequest, form: AnnualBuildForm | None, status: int = 200
) -> HttpResponse:
    user = request.user
    bureau = may(user, Action.REPORT_BUILD)
    today = timezone.localdate()
    if bureau and form is None:
        form = AnnualBuildForm(initial={"year": _build_year(today)})
    filterset = AssessmentFilter(
        request.GET,
        queryset=annual_reports(user).defer("figures").order_by("-period", "-version"),
        request=request,
    )
    style_fields(filterset.form.fields, options_key=filterset.options_key)
    reports = filterset.qs if filterset.is_valid() else Report.objects.none()
    years = sorted(
        {today.year, today.year - 1, *AssessmentScheme.objects.values_list("year", flat=True)},
        reverse=True,
    )
    schemes = set(AssessmentScheme.objects.values_list("year", flat=True))
    context = {
        "filter": filterset,
        "reports": [{"report": report, "year": report.period.year} for report in reports],
        "form": form if bureau else None,
        "scheme_years": [{"year": year, "set": year in schemes} for year in years],
        "sees_all": sees_everything(user),
        "may_manage": may(user, Action.REPORT_SET_SCHEME),
    }
    return render(request, "reports/annual_list.html", context, status=status)


class AnnualListView(View):
    http_method_names = GET_ONLY

    def get(self, request: HttpRequest) -> HttpResponse:
        return _list_page(request, None)


class AnnualBuildView(View):
    """The bureau starts a build; the page then follows its job. The service refuses a
    year without its scheme, or whose first month is not over (the form says so first)."""

    http_method_names = POST_ONLY

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.REPORT_BUILD)
        form = AnnualBuildForm(request.POST)
        if form.is_valid():
            year, reason = form.cleaned_data["year"], form.cleaned_data["reason"].strip()
            period = assessment_period(year)
            if annual_window(year, timezone.localdate()) is None:
                form.add_error(
                    "year", _("An assessment can be built once the year's first month is over.")
                )
            elif scheme_of(year) is None:
                form.add_error(
                    "year", _("Set the assessment scheme of %(year)s first.") % {"year": year}
                )
            elif not reason and services.needs_reason(kind=ReportKind.ANNUAL, period=period):
                form.add_error(
                    "reason",
                    _("The report of this period is published: give a reason to rebuild it."),
                )
            else:
                job = job_start(
                    kind=JOB_KIND_ANNUAL,
                    task=build_annual_assessment,
                    created_by=request.user,
                    params={"year": year, "reason": reason},
                )
                return HttpResponseRedirect(reverse("reports:job", args=[job.pk]))
        return _list_page(request, form, status=400)


# --- An assessment -------------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> Report:
    return get_object_or_404(annual_reports(request.user), pk=pk)


def _window(figures: AnnualAssessment) -> Window:
    return Window(figures.year, figures.month or 12)


def _grade(grade: str | None) -> dict[str, str] | None:
    if not grade:
        return None
    return {"code": grade, "label": label_of(Grade, grade), "css": GRADE_CLASSES.get(grade, "")}


def _indicator_cells(unit: AssessedUnit, links: dict[str, str | None]) -> list[dict[str, Any]]:
    return [
        {
            "line": line,
            "url": links.get(line.metric),
            "label": label_of(IndicatorMetric, line.metric),
        }
        for line in unit.indicators
    ]


class AnnualDetailView(View):
    """The assessment for the bureau and leaders; a unit's staff are taken to their own
    unit's breakdown (the others' are not theirs to see)."""

    http_method_names = GET_ONLY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = _report(request, pk)
        figures = AnnualAssessment.from_stored(report.figures)
        user = request.user
        if not sees_everything(user):
            unit_id = getattr(user, "unit_id", None)
            if unit_id is None or figures.unit(unit_id) is None:
                raise Http404
            return HttpResponseRedirect(reverse("reports:annual_unit", args=[report.pk, unit_id]))
        window = _window(figures)
        groups = []
        for group in figures.unit_groups:
            rows = []
            for unit in group.units:
                links = line_links(window, unit.unit_id)
                rows.append(
                    {
                        "unit": unit,
                        "cells": _indicator_cells(unit, links),
                        "grade": _grade(unit.grade),
                        "url": reverse("reports:annual_unit", args=[report.pk, unit.unit_id]),
                    }
                )
            groups.append(
                {
                    "kind": group.kind,
                    "label": group_label(group.kind),
                    "rows": rows,
                    "grade_counts": [
                        (label_of(Grade, grade), group.grade_counts.get(grade, 0))
                        for grade in Grade.values
                    ],
                }
            )
        context = {
            "report": report,
            "figures": figures,
            "title": assessment_title(figures.year),
            "period_sentence": period_sentence(figures),
            "formula": formula_text(figures.scheme.stored()),
            "indicators": [
                {
                    "label": label_of(IndicatorMetric, row.metric),
                    "method": label_of(ScoringMethod, row.method),
                    "row": row,
                }
                for row in figures.scheme.indicators
            ],
            "adjustments": _scheme_items(figures.scheme),
            "groups": groups,
            "can_publish": may(user, Action.REPORT_PUBLISH) and not report.is_published,
            "published_pending": published_pending(report),
        }
        return render(request, "reports/annual_detail.html", context)


def _scheme_items(scheme: Any) -> list[dict[str, Any]]:
    return [
        {"label": label_of(AdjustmentItem, row.item), "row": row, "kind": _("Bonus")}
        for row in scheme.bonuses
    ] + [
        {"label": label_of(AdjustmentItem, row.item), "row": row, "kind": _("Deduction")}
        for row in scheme.deductions
    ]


def _actual_kind(metric: str) -> str:
    if metric in COUNTED_INDICATORS:
        return "int"
    if metric in RATE_INDICATORS:
        return "pct"
    return "wan"


class AnnualUnitView(View):
    """A unit's breakdown, line by line, every figure linking to its records: the bureau
    and leaders see every unit's; a unit's staff only their own unit's, of a published
    assessment (another unit's: 404)."""

    http_method_names = GET_ONLY

    def get(self, request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
        report = _report(request, pk)
        user = request.user
        if not breakdown_readable(user, report, unit_id):
            raise Http404
        figures = AnnualAssessment.from_stored(report.figures)
        unit = figures.unit(unit_id)
        if unit is None:
            raise Http404
        links = line_links(_window(figures), unit_id)
        group = next(g for g in figures.unit_groups if any(u.unit_id == unit_id for u in g.units))
        assessed = sum(1 for row in group.units if row.rank is not None)
        context = {
            "report": report,
            "figures": figures,
            "unit": unit,
            "title": assessment_title(figures.year),
            "group_label": group_label(group.kind),
            "assessed": assessed,
            "grade": _grade(unit.grade),
            "period_sentence": period_sentence(figures),
            "formula": formula_text(figures.scheme.stored()),
            "indicators": [
                {
                    "line": line,
                    "label": label_of(IndicatorMetric, line.metric),
                    "method": label_of(ScoringMethod, line.method),
                    "kind": _actual_kind(line.metric),
                    "url": links.get(line.metric),
                }
                for line in unit.indicators
            ],
            "scaled": unit.weights_used != figures.scheme.total_weight,
            "bonuses": _adjustment_rows(unit.bonuses, links),
            "deductions": _adjustment_rows(unit.deductions, links),
            "sees_all": sees_everything(user),
        }
        return render(request, "reports/annual_unit.html", context)


def _adjustment_rows(lines: list[Any], links: dict[str, str | None]) -> list[dict[str, Any]]:
    return [
        {"line": line, "label": label_of(AdjustmentItem, line.item), "url": links.get(line.item)}
        for line in lines
    ]


class AnnualWorkbookView(View):
    """The assessment's workbook: the bureau's and the leaders' (every unit's lines)."""

    http_method_names = GET_ONLY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = _report(request, pk)
        if not sees_everything(request.user):
            raise Http404
        return annual_workbook_response(report)


class AnnualPublishView(ReportPublishView):
    kind = ReportKind.ANNUAL
    detail_url_name = "reports:annual_detail"
    published_message = gettext_lazy("The year-end assessment is published.")


# --- The scheme ----------------------------------------------------------------------------------


def _scheme_initial(stored: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    grades = stored["grades"]
    initial: dict[str, Any] = {
        "title": stored["title"],
        "grade_method": grades["method"],
        **{name: grades.get(name) for name in SchemeForm.GRADE_FIELDS},
    }
    for row in [*stored["bonuses"], *stored["deductions"]]:
        initial[f"{row['item']}_points"] = row["points"]
        initial[f"{row['item']}_cap"] = row["cap"]
    indicators = [
        {
            "metric": row["metric"],
            "weight": row["weight"],
            "method": row["method"],
            "cap": row["cap"],
        }
        for row in stored["indicators"]
    ]
    return initial, indicators


class SchemeView(View):
    """The scheme of a year: every user reads it (how units are assessed is published);
    the bureau sets it. A year without one shows the usual scheme to start from."""

    http_method_names = ["get", "post", "head", "options"]

    def _page(
        self,
        request: HttpRequest,
        year: int,
        form: SchemeForm,
        formset: Any,
        status: int = 200,
    ) -> HttpResponse:
        scheme = scheme_of(year)
        stored = scheme_figures(scheme) if scheme is not None else default_scheme(year)
        context = {
            "year": year,
            "scheme": scheme,
            "stored": stored,
            "form": form,
            "formset": formset,
            "may_edit": may(request.user, Action.REPORT_SET_SCHEME),
            "formula": formula_text(stored),
            "grade_rule": grade_rule_text(stored["grades"]),
            "indicators": [
                {
                    "label": label_of(IndicatorMetric, row["metric"]),
                    "method": label_of(ScoringMethod, row["method"]),
                    "row": row,
                }
                for row in stored["indicators"]
            ],
            "items": [
                {"label": label_of(AdjustmentItem, row["item"]), "row": row, "kind": _("Bonus")}
                for row in stored["bonuses"]
            ]
            + [
                {
                    "label": label_of(AdjustmentItem, row["item"]),
                    "row": row,
                    "kind": _("Deduction"),
                }
                for row in stored["deductions"]
            ],
            "changes": scheme_changes(year),
        }
        return render(request, "reports/annual_scheme.html", context, status=status)

    def get(self, request: HttpRequest, year: int) -> HttpResponse:
        year = _year(year)
        scheme = scheme_of(year)
        stored = scheme_figures(scheme) if scheme is not None else default_scheme(year)
        initial, indicators = _scheme_initial(stored)
        disabled = not may(request.user, Action.REPORT_SET_SCHEME)
        form = SchemeForm(initial=initial, disabled=disabled)
        formset = IndicatorFormSet(initial=indicators, prefix="indicators")
        return self._page(request, year, form, formset)

    def post(self, request: HttpRequest, year: int) -> HttpResponse:
        year = _year(year)
        require(request.user, Action.REPORT_SET_SCHEME)
        form = SchemeForm(request.POST)
        formset = IndicatorFormSet(request.POST, prefix="indicators")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            entries = [
                IndicatorEntry(
                    metric=row.get("metric") or "",
                    weight=row.get("weight"),
                    method=row.get("method") or ScoringMethod.RATIO,
                    cap=row.get("cap"),
                )
                for row in formset.cleaned_data
                if row and row.get("metric")
            ]
            adjustments = [
                AdjustmentEntry(
                    item=item, points=data.get(f"{item}_points"), cap=data.get(f"{item}_cap")
                )
                for item in AdjustmentItem.values
                if data.get(f"{item}_points") not in (None, "")
            ]
            try:
                assessment_scheme_save(
                    year=year,
                    user=request.user,
                    indicators=entries,
                    adjustments=adjustments,
                    grade_method=data["grade_method"],
                    title=data.get("title") or "",
                    **{name: data.get(name) for name in SchemeForm.GRADE_FIELDS},
                )
            except ValidationError as error:
                messages_by_field = error.message_dict
                indicator_errors = messages_by_field.pop("indicators", [])
                adjustment_errors = messages_by_field.pop("adjustments", [])
                if indicator_errors:
                    formset._non_form_errors = formset.error_class(indicator_errors)
                for message in adjustment_errors:
                    form.add_error(None, message)
                show_service_errors(form, ValidationError(messages_by_field))
            else:
                messages.success(
                    request,
                    _("The scheme is saved; it applies to the assessments built from now on."),
                )
                return HttpResponseRedirect(reverse("reports:annual_scheme", args=[year]))
        return self._page(request, year, form, formset)


# --- Manual items --------------------------------------------------------------------------------


def _require_reader_of_all(user: Any) -> None:
    if not sees_everything(user):
        raise PermissionDenied(
            _("Manual items are the bureau's; a unit sees its own in its published assessment.")
        )


class ManualListView(View):
    """The year's manual items (the bureau's and the leaders'), their recent changes, and
    the bureau's form to add one."""

    http_method_names = ["get", "post", "head", "options"]

    def _page(
        self, request: HttpRequest, year: int, form: ManualScoreForm | None, status: int = 200
    ) -> HttpResponse:
        may_edit = may(request.user, Action.REPORT_SET_SCHEME)
        items = list(manual_scores(year))
        context = {
            "year": year,
            "items": items,
            "total": sum((item.points for item in items), 0),
            "form": (form or ManualScoreForm()) if may_edit else None,
            "may_edit": may_edit,
            "changes": ManualScore.history.filter(year=year)
            .select_related("history_user", "unit")
            .order_by("-history_date", "-history_id")[:30],
        }
        return render(request, "reports/annual_manual.html", context, status=status)

    def get(self, request: HttpRequest, year: int) -> HttpResponse:
        year = _year(year)
        _require_reader_of_all(request.user)
        return self._page(request, year, None)

    def post(self, request: HttpRequest, year: int) -> HttpResponse:
        year = _year(year)
        require(request.user, Action.REPORT_SET_SCHEME)
        form = ManualScoreForm(request.POST)
        if form.is_valid():
            try:
                manual_score_add(year=year, data=form.cleaned_data, user=request.user)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("The manual item is added."))
                return HttpResponseRedirect(reverse("reports:annual_manual", args=[year]))
        return self._page(request, year, form)


def _manual(request: HttpRequest, pk: int) -> ManualScore:
    return get_object_or_404(
        ManualScore.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


class ManualEditView(View):
    """The bureau changes a manual item; its history is below."""

    http_method_names = ["get", "post", "head", "options"]

    def _page(self, request: HttpRequest, item: ManualScore, form: ManualScoreForm) -> Any:
        context = {"item": item, "form": form, "history": record_history(item)}
        return render(request, "reports/annual_manual_edit.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = _manual(request, pk)
        require(request.user, Action.REPORT_SET_SCHEME)
        initial = {"unit": item.unit, "title": item.title, "points": item.points, "note": item.note}
        return self._page(request, item, ManualScoreForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = _manual(request, pk)
        require(request.user, Action.REPORT_SET_SCHEME)
        form = ManualScoreForm(request.POST)
        if form.is_valid():
            try:
                manual_score_change(item=item, data=form.cleaned_data, user=request.user)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("The manual item is saved."))
                return HttpResponseRedirect(reverse("reports:annual_manual", args=[item.year]))
        return self._page(request, item, form)


class ManualRemoveView(View):
    """The bureau removes a manual item (the button asks first)."""

    http_method_names = POST_ONLY

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = _manual(request, pk)
        require(request.user, Action.REPORT_SET_SCHEME)
        manual_score_remove(item=item, user=request.user)
        messages.success(request, _("The manual item is removed."))
        return HttpResponseRedirect(reverse("reports:annual_manual", args=[item.year]))
