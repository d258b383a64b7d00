"""Pages of the monthly ledger: a unit's entry table, the bureau's verification queue,
each record's page, the month's status per unit, and the filtered ledger with its export."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.access import is_bureau, sees_everything
from core.forms import show_service_errors
from core.periods import current_period, format_period, month_label, parse_period
from core.policy import Action, require
from core.services import require_editable
from core.views import Column, ScopedDetailView, ScopedListView, attr, computed
from projects import services
from projects.choices import BUILDING_STAGES, FundsKind, FundsStatus
from projects.filters import FundsRecordFilter
from projects.forms import (
    FundsCorrectionForm,
    FundsEntryRowForm,
    FundsRecordForm,
    FundsRejectForm,
)
from projects.models import FundsRecord, Project
from projects.selectors import EntryRow, funds_entry_rows, funds_queue, unit_month_status
from teams.models import Unit


def requested_period(request: HttpRequest) -> date:
    try:
        return parse_period(request.GET.get("period", ""))
    except ValueError:
        return current_period()


def service_errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)


# --- Monthly entry -------------------------------------------------------------------------


class FundsEntryView(TemplateView):
    """A unit's month: every live project in one table; funds and completed investment
    with evidence and a note. Saving stores submitted records, all or none: if a line is
    refused, nothing is saved and the table comes back as typed, with the reasons."""

    template_name = "projects/funds_entry.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, Action.FUNDS_SUBMIT)
        return super().dispatch(request, *args, **kwargs)

    def unit(self) -> Unit:
        user = self.request.user
        if is_bureau(user):
            unit_id = self.request.GET.get("unit") or user.unit_id
            return get_object_or_404(Unit, pk=unit_id)
        if user.unit_id is None:
            raise PermissionDenied
        return user.unit

    def rows(self, unit: Unit, period: date, data: Any = None, files: Any = None) -> list[dict]:
        rows = []
        for row in funds_entry_rows(unit.pk, period):
            initial = {
                "funds": row.funds.amount_wan if row.funds else None,
                "investment": row.investment.amount_wan if row.investment else None,
                "note": (row.funds or row.investment).note if (row.funds or row.investment) else "",
                "funds_version": row.funds.version if row.funds else None,
                "investment_version": row.investment.version if row.investment else None,
            }
            form = FundsEntryRowForm(data, files, prefix=f"p{row.project.pk}", initial=initial)
            rows.append(
                {
                    "row": row,
                    "form": form,
                    "funds_locked": bool(row.funds and row.funds.status == FundsStatus.VERIFIED),
                    "investment_open": row.project.stage in BUILDING_STAGES
                    and not (row.investment and row.investment.status == FundsStatus.VERIFIED),
                    "errors": [],
                }
            )
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = requested_period(self.request)
        unit = self.unit()
        context.update(
            {
                "period": period,
                "period_label": format_period(period),
                "month_label": month_label(period),
                "unit": unit,
                "units": Unit.objects.active().exclude(kind="bureau")
                if is_bureau(self.request.user)
                else [],
            }
        )
        context.setdefault("rows", self.rows(unit, period))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        period = requested_period(request)
        unit = self.unit()
        rows = self.rows(unit, period, request.POST, request.FILES)
        saved = 0
        try:
            with transaction.atomic():
                for line in rows:
                    saved += self.save_line(line, period)
                if any(line["errors"] or line["form"].errors for line in rows):
                    raise ValidationError("not saved")
        except ValidationError:
            messages.error(request, _("Nothing was saved: correct the lines marked below."))
            return self.render_to_response(self.get_context_data(rows=rows))
        messages.success(
            request, _("%(count)s records submitted for verification.") % {"count": saved}
        )
        return HttpResponseRedirect(f"{request.path}?{request.GET.urlencode()}")

    def save_line(self, line: dict, period: date) -> int:
        form: FundsEntryRowForm = line["form"]
        if not form.is_valid() or not form.has_entry():
            return 0
        row: EntryRow = line["row"]
        data = form.cleaned_data
        saved = 0
        for kind, amount, record, version in [
            (FundsKind.FUNDS, data["funds"], row.funds, data["funds_version"]),
            (FundsKind.INVESTMENT, data["investment"], row.investment, data["investment_version"]),
        ]:
            if amount is None or (record is not None and record.status == FundsStatus.VERIFIED):
                continue
            unchanged = (
                record is not None and record.amount_wan == amount and (record.note == data["note"])
            )
            if unchanged and record.status == FundsStatus.SUBMITTED and not data["evidence"]:
                continue
            try:
                services.funds_submit(
                    user=self.request.user,
                    project=row.project,
                    period=period,
                    kind=kind,
                    amount_wan=amount,
                    note=data["note"],
                    evidence=data["evidence"] if kind == FundsKind.FUNDS else None,
                    confirm=data["confirm"],
                    record=record,
                    version=version,
                )
                saved += 1
            except services.NeedsConfirmation as needs:
                line["needs_confirmation"] = True
                line["errors"].extend(needs.reasons)
            except ValidationError as error:
                line["errors"].extend(service_errors(error))
        return saved


# --- One record ----------------------------------------------------------------------------


class FundsRecordDetailView(ScopedDetailView):
    """A record: its facts and evidence; editing while not verified (with the optimistic
    lock); a correction once verified; verification by the bureau."""

    model = FundsRecord
    template_name = "projects/fundsrecord_detail.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("project", "project__unit", "corrects", "submitted_by", "verified_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record = self.object
        context["is_verified"] = record.status == FundsStatus.VERIFIED
        context.setdefault(
            "edit_form",
            FundsRecordForm(
                prefix="edit",
                initial={
                    "period": record.period,
                    "kind": record.kind,
                    "amount_wan": record.amount_wan,
                    "note": record.note,
                    "version": record.version,
                },
            ),
        )
        context.setdefault("correction_form", FundsCorrectionForm(prefix="correction"))
        context.setdefault("reject_form", FundsRejectForm(prefix="reject"))
        context["corrections"] = record.corrections.all()
        return context


class FundsRecordActionView(FundsRecordDetailView):
    """A form posted from a record's page; on failure the page comes back as typed."""

    http_method_names = ["post"]
    form_class: type = FundsRecordForm
    prefix = ""
    context_name = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        self.check_allowed()
        form = self.form_class(request.POST, request.FILES, prefix=self.prefix)
        if form.is_valid():
            try:
                target = self.act(form)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(target.get_absolute_url())
        return self.render_to_response(self.get_context_data(**{self.context_name: form}))

    def check_allowed(self) -> None:
        """Refused (403) before the form is read: the record is out of the user's reach."""
        require_editable(self.request.user, self.object)

    def act(self, form: Any) -> FundsRecord:
        raise NotImplementedError


class FundsRecordEditView(FundsRecordActionView):
    form_class = FundsRecordForm
    prefix = "edit"
    context_name = "edit_form"

    def act(self, form: FundsRecordForm) -> FundsRecord:
        data = form.cleaned_data
        return services.funds_submit(
            user=self.request.user,
            project=self.object.project,
            period=self.object.period,
            kind=self.object.kind,
            amount_wan=data["amount_wan"],
            note=data["note"],
            evidence=data["evidence"],
            confirm=data["confirm"],
            record=self.object,
            version=data["version"],
        )


class FundsCorrectionView(FundsRecordActionView):
    form_class = FundsCorrectionForm
    prefix = "correction"
    context_name = "correction_form"

    def act(self, form: FundsCorrectionForm) -> FundsRecord:
        data = form.cleaned_data
        return services.funds_submit(
            user=self.request.user,
            project=self.object.project,
            period=self.object.period,
            kind=self.object.kind,
            amount_wan=data["amount_wan"],
            note=data["note"],
            evidence=data["evidence"],
            confirm=data["confirm"],
            corrects=self.object,
        )


class FundsRejectView(FundsRecordActionView):
    form_class = FundsRejectForm
    prefix = "reject"
    context_name = "reject_form"

    def check_allowed(self) -> None:
        require(self.request.user, Action.FUNDS_VERIFY)

    def act(self, form: FundsRejectForm) -> FundsRecord:
        return services.funds_reject(
            record=self.object, user=self.request.user, reason=form.cleaned_data["reason"]
        )


class FundsVerifyView(View):
    """The bureau verifies one record, or those ticked in the queue (all or none)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        require(request.user, Action.FUNDS_VERIFY)
        ids = [pk] if pk else request.POST.getlist("selected")
        records = list(FundsRecord.objects.visible_to(request.user).filter(pk__in=ids))
        if pk and not records:
            raise Http404
        reason = request.POST.get("reason", "")
        action = request.POST.get("action", "verify")
        try:
            with transaction.atomic():
                for record in records:
                    if action == "reject":
                        services.funds_reject(record=record, user=request.user, reason=reason)
                    else:
                        services.funds_verify(record=record, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(service_errors(error)))
        else:
            done = _("returned") if action == "reject" else _("verified")
            messages.success(
                request, _("%(count)s records %(done)s.") % {"count": len(records), "done": done}
            )
        return HttpResponseRedirect(request.POST.get("next") or reverse("projects:funds_queue"))


class ProjectFundsEntryView(View):
    """A single record entered from the project page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        require(request.user, Action.FUNDS_SUBMIT)
        require_editable(request.user, project)
        form = FundsRecordForm(request.POST, request.FILES, prefix="funds")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.funds_submit(
                    user=request.user,
                    project=project,
                    period=data["period"],
                    kind=data["kind"],
                    amount_wan=data["amount_wan"],
                    note=data["note"],
                    evidence=data["evidence"],
                    confirm=data["confirm"],
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Submitted for verification."))
                return HttpResponseRedirect(f"{project.get_absolute_url()}?tab=funds")
        from projects.views.projects import ProjectDetailView

        view = ProjectDetailView(request=request, kwargs={"pk": pk}, args=())
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(funds_form=form, active_tab="funds"))


# --- Lists ---------------------------------------------------------------------------------


FUNDS_COLUMNS = (
    Column("period", gettext_lazy("Month"), computed(month_label, "period")),
    Column("project", gettext_lazy("Project"), attr("project"), link=True),
    Column("unit", gettext_lazy("Unit"), attr("project.unit.name"), sortable=False),
    Column("kind", gettext_lazy("Kind"), attr("kind"), sortable=False),
    Column("amount_wan", gettext_lazy("Amount (万元)"), attr("amount_wan"), numeric=True),
    Column("status", gettext_lazy("Status"), attr("status")),
    Column("flagged", gettext_lazy("Flagged"), attr("flag_reasons"), sortable=False),
    Column("note", gettext_lazy("Note"), attr("note"), sortable=False),
)


class FundsLedgerView(ScopedListView):
    model = FundsRecord
    filterset_class = FundsRecordFilter
    title = gettext_lazy("Funds ledger")
    select_related = ("project", "project__unit")
    columns = FUNDS_COLUMNS
    totals = ((gettext_lazy("amount (万元)"), "amount_wan"),)

    def row_class(self, row: FundsRecord) -> str:
        return "table-warning" if row.flagged else ""


class FundsQueueView(ScopedListView):
    """The bureau's queue: submitted records, flagged ones first, evidence at hand."""

    model = FundsRecord
    filterset_class = FundsRecordFilter
    title = gettext_lazy("Funds awaiting verification")
    template_name = "projects/funds_queue.html"
    paginate_by = 50
    columns = FUNDS_COLUMNS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, Action.FUNDS_READ_QUEUE)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return funds_queue(self.request.user).order_by("-flagged", "period", "project__code")


class FundsStatusView(TemplateView):
    """The month's reporting status of each unit: projects, reported, verified, missing."""

    template_name = "projects/funds_status.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = requested_period(self.request)
        context["period"] = period
        context["period_label"] = format_period(period)
        context["month_label"] = month_label(period)
        context["statuses"] = unit_month_status(self.request.user, period)
        context["sees_everything"] = sees_everything(self.request.user)
        return context
