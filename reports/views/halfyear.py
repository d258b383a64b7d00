"""Pages of the half-year inspection (半年一督查): the list (with the bureau's form to open
one and, for a unit's staff, their unit's findings), an inspection's page (checklist, units
with their report outcome, the results matrix with overdue rectifications in red; the
bureau's forms), the checklist form, an inspected unit's page (its report and findings),
a finding's page (the unit's rectification, the bureau's decision), publishing and the
workbook. Every write goes through reports.services.halfyear."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.forms import show_service_errors, style_fields
from core.history import record_history
from core.policy import Action, may, require
from reports.choices import FindingStatus
from reports.filters import HalfYearInspectionFilter
from reports.forms import (
    ChecklistFormSet,
    ChosenUnitsForm,
    DecisionForm,
    DrawnUnitsForm,
    FindingForm,
    HalfYearCreateForm,
    RectificationForm,
    UnitReportForm,
)
from reports.models import Finding, HalfYearInspection, InspectedUnit
from reports.selectors.halfyear import (
    finding_queryset,
    halfyear_list,
    halfyear_queryset,
    halfyear_results,
    inspected_unit_queryset,
    unit_findings,
)
from reports.services.halfyear import (
    ChecklistEntry,
    finding_record,
    halfyear_checklist_set,
    halfyear_create,
    halfyear_publish,
    halfyear_report_record,
    halfyear_units_add,
    halfyear_units_add_drawn,
    rectification_confirm,
    rectification_report,
    rectification_return,
)
from reports.workbook_halfyear import halfyear_workbook_response

GET_ONLY = ["get", "head", "options"]
POST_ONLY = ["post", "options"]


def _today() -> Any:
    return timezone.localdate()


# --- The list ----------------------------------------------------------------------------------


def _list_page(request: HttpRequest, form: HalfYearCreateForm | None) -> HttpResponse:
    user = request.user
    bureau = may(user, Action.INSPECTION_RECORD)
    if bureau and form is None:
        today = _today()
        form = HalfYearCreateForm(
            initial={"year": today.year, "half": 1 if today.month <= 6 else 2}
        )
    filterset = HalfYearInspectionFilter(
        request.GET, queryset=halfyear_list(user, _today()), request=request
    )
    style_fields(filterset.form.fields, options_key=filterset.options_key)
    context = {
        "filter": filterset,
        "inspections": list(filterset.qs) if filterset.is_valid() else [],
        "form": form if bureau else None,
        "own_findings": (
            list(unit_findings(user, _today())) if may(user, Action.INSPECTION_RECTIFY) else []
        ),
        "today": _today(),
    }
    return render(request, "reports/halfyear_list.html", context)


class HalfYearListView(View):
    """The inspections the user sees; the bureau opens a new one; unit staff see their
    unit's findings to rectify."""

    http_method_names = GET_ONLY

    def get(self, request: HttpRequest) -> HttpResponse:
        return _list_page(request, None)


class HalfYearCreateView(View):
    http_method_names = POST_ONLY

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.INSPECTION_RECORD)
        form = HalfYearCreateForm(request.POST)
        if form.is_valid():
            try:
                inspection = halfyear_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("The inspection is opened. Set its checklist next."))
                return HttpResponseRedirect(inspection.get_absolute_url())
        return _list_page(request, form)


# --- An inspection -----------------------------------------------------------------------------


def _inspection(request: HttpRequest, pk: int) -> HalfYearInspection:
    return get_object_or_404(halfyear_queryset(request.user), pk=pk)


def _inspection_page(
    request: HttpRequest, inspection: HalfYearInspection, **forms_given: Any
) -> HttpResponse:
    user = request.user
    bureau_edits = may(user, Action.INSPECTION_RECORD) and not inspection.is_published
    context: dict[str, Any] = {
        "object": inspection,
        "results": halfyear_results(inspection, _today()),
        "history": record_history(inspection),
        "bureau_edits": bureau_edits,
        "may_publish": may(user, Action.REPORT_PUBLISH) and not inspection.is_published,
        "active_tab": request.GET.get("tab", "overview"),
    }
    if bureau_edits:
        context["drawn_form"] = forms_given.get("drawn_form") or DrawnUnitsForm(
            inspection=inspection, prefix="drawn"
        )
        context["chosen_form"] = forms_given.get("chosen_form") or ChosenUnitsForm(
            inspection=inspection, prefix="chosen"
        )
    context["publish_errors"] = forms_given.get("publish_errors", [])
    return render(request, "reports/halfyear_detail.html", context)


class HalfYearDetailView(View):
    http_method_names = GET_ONLY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _inspection_page(request, _inspection(request, pk))


class HalfYearChecklistView(View):
    """The bureau sets the checklist: the items in order, each with what to check."""

    http_method_names = ["get", "post", "head", "options"]

    def page(self, request: HttpRequest, inspection: HalfYearInspection, formset: Any) -> Any:
        return render(
            request,
            "reports/halfyear_checklist.html",
            {"object": inspection, "formset": formset},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = _inspection(request, pk)
        require(request.user, Action.INSPECTION_RECORD)
        initial = [
            {"id": item.pk, "title": item.title, "guidance": item.guidance}
            for item in inspection.items.order_by("order", "id")
        ]
        return self.page(request, inspection, ChecklistFormSet(initial=initial, prefix="items"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = _inspection(request, pk)
        require(request.user, Action.INSPECTION_RECORD)
        formset = ChecklistFormSet(request.POST, prefix="items")
        if formset.is_valid():
            entries = [
                ChecklistEntry(
                    title=row.get("title", ""), guidance=row.get("guidance", ""), id=row.get("id")
                )
                for row in formset.cleaned_data
                if row
            ]
            try:
                halfyear_checklist_set(inspection=inspection, items=entries, user=request.user)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("The checklist is saved."))
                return HttpResponseRedirect(inspection.get_absolute_url())
        return self.page(request, inspection, formset)


class _InspectionAction(View):
    """A form posted from the inspection's page by the bureau; if it fails, the page comes
    back with the errors beside the fields."""

    http_method_names = POST_ONLY
    action = Action.INSPECTION_RECORD
    form_name = ""
    success = ""

    def make_form(self, request: HttpRequest, inspection: HalfYearInspection) -> forms.Form:
        raise NotImplementedError

    def act(self, form: Any, inspection: HalfYearInspection, user: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = _inspection(request, pk)
        require(request.user, self.action)
        form = self.make_form(request, inspection)
        if form.is_valid():
            try:
                self.act(form, inspection, request.user)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, self.success_message())
                return HttpResponseRedirect(inspection.get_absolute_url())
        return _inspection_page(request, inspection, **{self.form_name: form})

    def success_message(self) -> str:
        return _("Saved.")


class HalfYearUnitsDrawnView(_InspectionAction):
    form_name = "drawn_form"

    def make_form(self, request: HttpRequest, inspection: HalfYearInspection) -> forms.Form:
        return DrawnUnitsForm(request.POST, inspection=inspection, prefix="drawn")

    def act(self, form: Any, inspection: HalfYearInspection, user: Any) -> None:
        self.added = halfyear_units_add_drawn(
            inspection=inspection, draw=form.cleaned_data["draw"], user=user
        )

    def success_message(self) -> str:
        return _("%(count)s units added from the draw.") % {"count": len(self.added)}


class HalfYearUnitsChosenView(_InspectionAction):
    form_name = "chosen_form"

    def make_form(self, request: HttpRequest, inspection: HalfYearInspection) -> forms.Form:
        return ChosenUnitsForm(request.POST, inspection=inspection, prefix="chosen")

    def act(self, form: Any, inspection: HalfYearInspection, user: Any) -> None:
        self.added = halfyear_units_add(
            inspection=inspection, units=form.cleaned_data["units"], user=user
        )

    def success_message(self) -> str:
        return _("%(count)s units added.") % {"count": len(self.added)}


class HalfYearPublishView(View):
    """The bureau publishes the results (the button asks first): public to every user."""

    http_method_names = POST_ONLY

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = _inspection(request, pk)
        require(request.user, Action.REPORT_PUBLISH)
        try:
            halfyear_publish(inspection=inspection, user=request.user)
        except ValidationError as error:
            return _inspection_page(request, inspection, publish_errors=error.messages)
        messages.success(request, _("The results are published to every user."))
        return HttpResponseRedirect(inspection.get_absolute_url())


class HalfYearWorkbookView(View):
    http_method_names = GET_ONLY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = _inspection(request, pk)
        return halfyear_workbook_response(halfyear_results(inspection, _today()))


# --- An inspected unit -------------------------------------------------------------------------


def _unit_page(request: HttpRequest, inspected: InspectedUnit, **forms_given: Any) -> HttpResponse:
    user = request.user
    inspection = inspected.inspection
    findings = {f.item_id: f for f in finding_queryset(user, _today()).filter(inspected=inspected)}
    rows = [(item, findings.get(item.pk)) for item in inspection.items.order_by("order", "id")]
    bureau_edits = may(user, Action.INSPECTION_RECORD) and not inspection.is_published
    context: dict[str, Any] = {
        "object": inspected,
        "inspection": inspection,
        "inspection_visible": halfyear_queryset(user).filter(pk=inspection.pk).exists(),
        "rows": rows,
        "bureau_edits": bureau_edits,
        "history": record_history(inspected),
    }
    if bureau_edits:
        context["report_form"] = forms_given.get("report_form") or UnitReportForm(
            prefix="report",
            initial={
                "reported_on": inspected.reported_on or _today(),
                "reported_by": inspected.reported_by,
                "outcome": inspected.outcome,
                "outcome_note": inspected.outcome_note,
            },
        )
        context["finding_form"] = forms_given.get("finding_form") or FindingForm(
            inspection=inspection, prefix="finding"
        )
    return render(request, "reports/halfyear_unit.html", context)


def _inspected(request: HttpRequest, pk: int) -> InspectedUnit:
    return get_object_or_404(inspected_unit_queryset(request.user), pk=pk)


class InspectedUnitDetailView(View):
    http_method_names = GET_ONLY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _unit_page(request, _inspected(request, pk))


class _RecordAction(View):
    """A form posted from a page of one record; the page comes back with the errors."""

    http_method_names = POST_ONLY
    action: str = Action.INSPECTION_RECORD
    form_name = ""

    def record(self, request: HttpRequest, pk: int) -> Model:
        raise NotImplementedError

    def make_form(self, request: HttpRequest, record: Any) -> forms.Form:
        raise NotImplementedError

    def act(self, form: Any, record: Any, user: Any) -> None:
        raise NotImplementedError

    def page(self, request: HttpRequest, record: Any, form: forms.Form) -> HttpResponse:
        raise NotImplementedError

    def success_message(self) -> str:
        return _("Saved.")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.record(request, pk)
        require(request.user, self.action)
        form = self.make_form(request, record)
        if form.is_valid():
            try:
                self.act(form, record, request.user)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, self.success_message())
                return HttpResponseRedirect(record.get_absolute_url())
        return self.page(request, self.record(request, pk), form)


class _UnitAction(_RecordAction):
    def record(self, request: HttpRequest, pk: int) -> InspectedUnit:
        return _inspected(request, pk)

    def page(self, request: HttpRequest, record: Any, form: forms.Form) -> HttpResponse:
        return _unit_page(request, record, **{self.form_name: form})


class InspectedUnitReportView(_UnitAction):
    """The bureau records the unit's report (述职) and its outcome."""

    form_name = "report_form"

    def make_form(self, request: HttpRequest, record: Any) -> forms.Form:
        return UnitReportForm(request.POST, prefix="report")

    def act(self, form: Any, record: Any, user: Any) -> None:
        halfyear_report_record(inspected=record, user=user, **form.cleaned_data)

    def success_message(self) -> str:
        return _("The report and its outcome are recorded.")


class FindingRecordView(_UnitAction):
    """The bureau records what it found on an item at the unit, with a file and deadline."""

    form_name = "finding_form"

    def make_form(self, request: HttpRequest, record: Any) -> forms.Form:
        return FindingForm(
            request.POST, request.FILES, inspection=record.inspection, prefix="finding"
        )

    def act(self, form: Any, record: Any, user: Any) -> None:
        finding_record(inspected=record, user=user, **form.cleaned_data)

    def success_message(self) -> str:
        return _("The finding is recorded.")


# --- A finding and its rectification -----------------------------------------------------------


def _finding(request: HttpRequest, pk: int) -> Finding:
    return get_object_or_404(finding_queryset(request.user, _today()), pk=pk)


def _finding_page(request: HttpRequest, finding: Finding, **forms_given: Any) -> HttpResponse:
    user = request.user
    own_unit = finding.inspected.unit_id == getattr(user, "unit_id", None)
    context: dict[str, Any] = {
        "object": finding,
        "inspection": finding.inspected.inspection,
        "inspection_visible": halfyear_queryset(user)
        .filter(pk=finding.inspected.inspection_id)
        .exists(),
        "rectifications": list(finding.rectifications.all()),
        "may_rectify": own_unit
        and may(user, Action.INSPECTION_RECTIFY)
        and finding.status == FindingStatus.OPEN,
        "may_decide": may(user, Action.INSPECTION_RECORD)
        and finding.status == FindingStatus.REPORTED,
        "history": record_history(finding),
    }
    context["rectify_form"] = forms_given.get("rectify_form") or RectificationForm(prefix="rect")
    context["decide_form"] = forms_given.get("decide_form") or DecisionForm(prefix="decide")
    return render(request, "reports/halfyear_finding.html", context)


class FindingDetailView(View):
    http_method_names = GET_ONLY

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _finding_page(request, _finding(request, pk))


class _FindingAction(_RecordAction):
    def record(self, request: HttpRequest, pk: int) -> Finding:
        return _finding(request, pk)

    def page(self, request: HttpRequest, record: Any, form: forms.Form) -> HttpResponse:
        return _finding_page(request, record, **{self.form_name: form})


class RectificationReportView(_FindingAction):
    """The unit's staff report how they rectified their unit's finding."""

    action = Action.INSPECTION_RECTIFY
    form_name = "rectify_form"

    def make_form(self, request: HttpRequest, record: Any) -> forms.Form:
        return RectificationForm(request.POST, request.FILES, prefix="rect")

    def act(self, form: Any, record: Any, user: Any) -> None:
        rectification_report(finding=record, user=user, **form.cleaned_data)

    def success_message(self) -> str:
        return _("The rectification is reported to the bureau.")


class RectificationDecideView(_FindingAction):
    """The bureau confirms the reported rectification or returns it with a reason."""

    form_name = "decide_form"

    def make_form(self, request: HttpRequest, record: Any) -> forms.Form:
        return DecisionForm(request.POST, prefix="decide")

    def act(self, form: Any, record: Any, user: Any) -> None:
        self.decision = form.cleaned_data["decision"]
        if self.decision == DecisionForm.CONFIRM:
            rectification_confirm(finding=record, user=user)
        else:
            rectification_return(finding=record, reason=form.cleaned_data["reason"], user=user)

    def success_message(self) -> str:
        if self.decision == DecisionForm.CONFIRM:
            return _("The rectification is confirmed: the finding is closed.")
        return _("The rectification is returned to the unit.")
