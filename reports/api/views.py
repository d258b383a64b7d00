from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import model_errors_as_400
from core.api.permissions import ScopedAccess
from core.api.serializers import JobSerializer
from core.exports import XLSX_CONTENT_TYPE
from core.jobs import job_start
from core.periods import format_period, parse_period
from reports import services
from reports.choices import ReportKind
from reports.models import Report
from reports.tasks import JOB_KIND_MONTHLY, build_monthly_bulletin
from reports.workbook import bulletin_workbook

from .serializers import MonthlyBuildSerializer, ReportListSerializer, ReportSerializer


class MonthlyBulletinViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The monthly bulletin (一月一通报): POST `{"period": "YYYY-MM"}` starts a build (the
    bureau) and answers with its job; the list holds the versions the user may see
    (published ones for everyone, drafts for the bureau), the detail the stored snapshot."""

    queryset = Report.objects.filter(kind=ReportKind.MONTHLY)
    permission_classes = [ScopedAccess]

    def get_queryset(self) -> QuerySet:
        reports = self.queryset.visible_to(self.request.user)
        period = self.request.query_params.get("period")
        if period and self.action == "list":
            try:
                reports = reports.filter(period=parse_period(period))
            except ValueError as error:
                raise exceptions.ValidationError({"period": ["YYYY-MM"]}) from error
        return reports.order_by("-period", "-version")

    def get_serializer_class(self) -> type:
        if self.action == "list":
            return ReportListSerializer
        if self.action == "create":
            return MonthlyBuildSerializer
        return ReportSerializer

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="YYYY-MM")],
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MonthlyBuildSerializer, responses={202: JobSerializer})
    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        payload = MonthlyBuildSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = job_start(
            kind=JOB_KIND_MONTHLY,
            task=build_monthly_bulletin,
            created_by=request.user,
            params={
                "period": format_period(payload.validated_data["period"]),
                "reason": payload.validated_data["reason"].strip(),
            },
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: ReportSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """The bureau publishes a draft; a published report never changes."""
        report = self.get_object()
        with model_errors_as_400():
            try:
                report = services.report_publish(report=report, user=request.user)
            except DjangoPermissionDenied as denied:
                raise exceptions.PermissionDenied(str(denied) or None) from denied
        return Response(ReportSerializer(report).data)

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
        report = self.get_object()
        response = HttpResponse(bulletin_workbook(report.figures), content_type=XLSX_CONTENT_TYPE)
        filename = f"bulletin-{format_period(report.period)}-v{report.version}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
