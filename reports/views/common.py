"""What the pages of every kind of report share: the workbook download and publishing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.forms import StyledForm, show_service_errors
from core.policy import Action, require
from reports import services
from reports.models import Report
from reports.selectors.pending import Pending, report_pending
from reports.workbook import report_workbook_response


def reports_of(kind: str, user: object) -> object:
    """The reports of one kind the user may see (published ones; drafts for the bureau)."""
    return Report.objects.filter(kind=kind).visible_to(user)


class ReportWorkbookView(View):
    """The stored snapshot as its Excel workbook."""

    http_method_names = ["get", "head", "options"]
    kind: str

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return report_workbook_response(
            get_object_or_404(reports_of(self.kind, request.user), pk=pk)
        )


def published_pending(report: Report) -> list[str]:
    """What was still open when the report was published, as sentences."""
    kept = Pending.from_stored(report.pending_at_publish)
    return kept.sentences() if kept is not None and kept.any else []


class PublishForm(StyledForm):
    note = forms.CharField(
        label=gettext_lazy("Note on publishing"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when anything of its months is still open."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Publish it although the items above are still open"),
        required=False,
    )


class ReportPublishView(View):
    """The bureau publishes a draft; then it never changes. The page asks first: it shows
    what is still open in the report's months, and publishing anyway needs a note and an
    explicit confirmation (reports.services.report_publish decides)."""

    http_method_names = ["get", "post", "head", "options"]
    kind: str
    detail_url_name: str
    published_message: Promise

    def report(self, request: HttpRequest, pk: int) -> Report:
        report = get_object_or_404(reports_of(self.kind, request.user), pk=pk)
        require(request.user, Action.REPORT_PUBLISH)
        return report

    def page(self, request: HttpRequest, report: Report, form: PublishForm) -> HttpResponse:
        context = {
            "report": report,
            "form": form,
            "pending": report_pending(report),
            "detail_url": reverse(self.detail_url_name, args=[report.pk]),
        }
        return render(request, "reports/publish_confirm.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.report(request, pk)
        if report.is_published:
            return HttpResponseRedirect(reverse(self.detail_url_name, args=[report.pk]))
        return self.page(request, report, PublishForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.report(request, pk)
        if report.is_published:
            messages.info(request, _("This report is already published."))
            return HttpResponseRedirect(reverse(self.detail_url_name, args=[report.pk]))
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                services.report_publish(
                    report=report,
                    user=request.user,
                    confirm=form.cleaned_data["confirm"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, self.published_message)
                return HttpResponseRedirect(reverse(self.detail_url_name, args=[report.pk]))
        return self.page(request, report, form)
