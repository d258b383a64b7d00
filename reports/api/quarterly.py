"""The quarterly review's API (一季一调度): the monthly bulletin's pattern with
`{"year", "quarter"}` for a period."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions

from core.api.serializers import JobSerializer
from reports.choices import ReportKind
from reports.tasks import JOB_KIND_QUARTERLY, build_quarterly_review

from .serializers import (
    PublishSerializer,
    QuarterlyBuildSerializer,
    QuarterlyListSerializer,
    QuarterlySerializer,
)
from .views import ReportViewSet


def _number(params: Any, name: str, low: int, high: int) -> int | None:
    text = params.get(name)
    if text in (None, ""):
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not low <= value <= high:
        raise exceptions.ValidationError(
            {
                name: [
                    _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
                ]
            }
        )
    return value


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="e.g. 2026"),
            OpenApiParameter("quarter", int, description="1 to 4"),
        ]
    ),
    create=extend_schema(request=QuarterlyBuildSerializer, responses={202: JobSerializer}),
    publish=extend_schema(request=PublishSerializer, responses={200: QuarterlySerializer}),
)
class QuarterlyReviewViewSet(ReportViewSet):
    """The quarterly review (一季一调度): POST `{"year", "quarter", "reason"}` starts a build
    (the bureau) and answers with its job; the list (`?year=&quarter=`) holds the versions
    the user may see, the detail the stored snapshot with its score weights and formula."""

    kind = ReportKind.QUARTERLY
    job_kind = JOB_KIND_QUARTERLY
    build_task = build_quarterly_review
    build_serializer = QuarterlyBuildSerializer
    list_serializer = QuarterlyListSerializer
    detail_serializer = QuarterlySerializer

    def filter_list(self, reports: QuerySet) -> QuerySet:
        year = _number(self.request.query_params, "year", 2000, 2100)
        quarter = _number(self.request.query_params, "quarter", 1, 4)
        if year is not None:
            reports = reports.filter(period__year=year)
        if quarter is not None:
            reports = reports.filter(period__month=3 * (quarter - 1) + 1)
        return reports

    def build_params(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "year": data["year"],
            "quarter": data["quarter"],
            "reason": data["reason"].strip(),
        }
