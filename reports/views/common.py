"""What the pages of every kind of report share: the workbook download and publishing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.views import View

from reports import services
from reports.models import Report
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


class ReportPublishView(View):
    """The bureau publishes a draft; then it never changes."""

    http_method_names = ["post", "options"]
    kind: str
    detail_url_name: str
    published_message: Promise

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(reports_of(self.kind, request.user), pk=pk)
        try:
            services.report_publish(report=report, user=request.user)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, self.published_message)
        return HttpResponseRedirect(reverse(self.detail_url_name, args=[report.pk]))
