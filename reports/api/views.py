from __future__ import annotations

from typing import Any

from celery import Task
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.permissions import ScopedAccess
from core.api.serializers import JobSerializer
from core.exports import XLSX_CONTENT_TYPE
from core.jobs import job_start
from core.periods import format_period, parse_period
from reports import services
from reports.choices import ReportKind
from reports.models import Report
from reports.tasks import JOB_KIND_MONTHLY, build_monthly_bulletin
from reports.workbook import report_workbook_response

from .serializers import (
    MonthlyBuildSerializer,
    PublishSerializer,
    ReportListSerializer,
    ReportSerializer,
)


class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A kind of report: POST starts a build (the bureau) and answers with its job; the list
    holds the versions the user may see (published ones for everyone, drafts for the
    bureau), the detail the stored snapshot; `{id}/publish/` and `{id}/xlsx/`. Subclasses
    say which kind, how a build is asked for and how the list is filtered."""

    kind: str
    job_kind: str
    build_task: Task
    build_serializer: type[serializers.Serializer]
    list_serializer: type[serializers.Serializer] = ReportListSerializer
    detail_serializer: type[serializers.Serializer] = ReportSerializer
    queryset = Report.objects.all()
    permission_classes = [ScopedAccess]

    def get_queryset(self) -> QuerySet:
        reports = Report.objects.filter(kind=self.kind).visible_to(self.request.user)
        if self.action == "list":  # the versions, without their (large) figures
            reports = self.filter_list(reports).defer("figures")
        return reports.order_by("-period", "-version")

    def filter_list(self, reports: QuerySet) -> QuerySet:
        return reports

    def build_params(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def get_serializer_class(self) -> type:
        if self.action == "list":
            return self.list_serializer
        if self.action == "create":
            return self.build_serializer
        return self.detail_serializer

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        payload = self.build_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = job_start(
            kind=self.job_kind,
            task=self.build_task,
            created_by=request.user,
            params=self.build_params(payload.validated_data),
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=PublishSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """The bureau publishes a draft; a published report never changes. While anything
        of its months is still open, `{"confirm": true, "note": "…"}` is needed (400 on
        `confirm` lists what is open); the report keeps the note and what was pending."""
        report = self.get_object()
        payload = PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.report_publish(report=report, user=request.user, **payload.validated_data)
        return Response(self.detail_serializer(report).data)

    @extend_schema(
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The workbook of the stored snapshot"
            )
        }
    )
    @action(detail=True, methods=["get"])
    def xlsx(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The stored snapshot as an Excel workbook, for whoever may see the report."""
        return report_workbook_response(self.get_object())


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("period", str, description="YYYY-MM")]),
    create=extend_schema(request=MonthlyBuildSerializer, responses={202: JobSerializer}),
    publish=extend_schema(request=PublishSerializer, responses={200: ReportSerializer}),
)
class MonthlyBulletinViewSet(ReportViewSet):
    """The monthly bulletin (一月一通报): POST `{"period": "YYYY-MM"}` starts a build (the
    bureau) and answers with its job; the list holds the versions the user may see
    (published ones for everyone, drafts for the bureau), the detail the stored snapshot."""

    kind = ReportKind.MONTHLY
    job_kind = JOB_KIND_MONTHLY
    build_task = build_monthly_bulletin
    build_serializer = MonthlyBuildSerializer

    def filter_list(self, reports: QuerySet) -> QuerySet:
        period = self.request.query_params.get("period")
        if period:
            try:
                reports = reports.filter(period=parse_period(period))
            except ValueError as error:
                raise exceptions.ValidationError({"period": ["YYYY-MM"]}) from error
        return reports

    def build_params(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"period": format_period(data["period"]), "reason": data["reason"].strip()}
