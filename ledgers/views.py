"""The pages of a ledger import: upload, map the columns, watch the preview, read each
row's outcome, confirm, watch the import, read the result; and each kind's template.

Every write goes through ledgers.services; the pages only parse and show."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from core.exports import XLSX_CONTENT_TYPE
from core.forms import show_service_errors
from ledgers import services
from ledgers.choices import ImportStatus, LedgerKind, RowOutcome
from ledgers.columns import columns_of
from ledgers.forms import MappingForm, UploadForm
from ledgers.selectors import ledger_imports, preview_rows
from ledgers.workbooks import template_workbook

ROWS_PER_PAGE = 100


class LedgerListView(View):
    """The imports of the user's unit, and the form that starts a new one."""

    http_method_names = ["get", "post", "head", "options"]

    def get(self, request: HttpRequest, form: UploadForm | None = None) -> HttpResponse:
        imports = ledger_imports(request.user)[:50]
        context = {
            "form": form or UploadForm(user=request.user),
            "imports": imports,
            "kinds": LedgerKind.choices,
        }
        return render(request, "ledgers/ledger_list.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        ledger_imports(request.user)  # a leader is refused before the file is read
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                ledger = services.ledger_upload(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    file=form.cleaned_data["file"],
                    unit=form.cleaned_data.get("unit"),
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                return HttpResponseRedirect(reverse("ledgers:detail", args=[ledger.pk]))
        messages.error(request, _("The file was not taken: see below."))
        return self.get(request, form=form)


class LedgerDetailView(View):
    """One import, as far as it got: its mapping, its preview, its result."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, pk: int, form: MappingForm | None = None) -> HttpResponse:
        ledger = get_object_or_404(ledger_imports(request.user), pk=pk)
        outcome = request.GET.get("outcome", "")
        if outcome not in RowOutcome.values:
            outcome = ""
        page = Paginator(preview_rows(ledger, outcome), ROWS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        labels = {name: column.label for name, column in columns_of(ledger.kind).items()}
        unmatched = [(labels.get(f, f), names) for f, names in ledger.unmatched.items()]
        context = {
            "ledger": ledger,
            "form": form or MappingForm(ledger=ledger),
            "may_map": ledger.status in (ImportStatus.MAPPING, ImportStatus.PREVIEWED),
            "running": ledger.status in (ImportStatus.PREVIEWING, ImportStatus.IMPORTING),
            "outcome": outcome,
            "outcomes": [
                (value, label, ledger.counts.get(value, 0)) for value, label in RowOutcome.choices
            ],
            "total": sum(ledger.counts.values()),
            "error_count": ledger.counts.get(RowOutcome.ERROR, 0),
            "page": page,
            "unmatched": unmatched,
            "errors": ledger.error.splitlines() if ledger.error else [],
            "job_api_url": reverse("job-detail", args=[ledger.job_id]) if ledger.job_id else "",
        }
        return render(request, "ledgers/ledger_detail.html", context)


class LedgerMapView(View):
    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ledger = get_object_or_404(ledger_imports(request.user), pk=pk)
        form = MappingForm(request.POST, ledger=ledger)
        if form.is_valid():
            try:
                services.ledger_map(ledger=ledger, user=request.user, mapping=form.chosen())
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                return HttpResponseRedirect(reverse("ledgers:detail", args=[pk]))
        messages.error(request, _("The preview was not started: see below."))
        return LedgerDetailView().get(request, pk, form=form)


class LedgerConfirmView(View):
    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        ledger = get_object_or_404(ledger_imports(request.user), pk=pk)
        try:
            services.ledger_confirm(ledger=ledger, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("ledgers:detail", args=[pk]))


class LedgerTemplateView(View):
    """A kind's template: its columns, an example row, choice lists, notes on headers."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        ledger_imports(request.user)
        if kind not in LedgerKind.values:
            return HttpResponse(status=404)
        body, filename = template_workbook(kind)
        response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
        return response
