"""The year-end assessment in the API (年终一考核): `/api/v1/reports/assessments/`, the
reports' pattern with `{"year", "reason"}` for a build. The list holds the versions the user
may see (published ones for everyone, drafts for the bureau), filtered by `year` and
`status` (`ordering=` `year`, `version`, `published_at`, `built_at`); the detail (the whole
snapshot) and the workbook are the bureau's and the leaders'. `{id}/units/` lists the
breakdowns the user may see and `{id}/units/{unit_id}/` gives one, line by line: every
unit's for the bureau and leaders, a unit's own (of a published assessment) for its staff;
another unit's is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.access import sees_everything
from core.api.serializers import JobSerializer
from core.exports import XLSX_CONTENT_TYPE
from reports.choices import ReportKind
from reports.figures_annual import AnnualAssessment
from reports.filters import AssessmentFilter
from reports.models import Report
from reports.selectors.annual import (
    annual_window,
    assessment_period,
    breakdown_readable,
    scheme_of,
)
from reports.services import needs_reason
from reports.tasks import JOB_KIND_ANNUAL, build_annual_assessment
from reports.workbook_annual import annual_workbook_response

from .serializers import PublishSerializer, ReportListSerializer, ReportSerializer
from .views import ReportViewSet


class AnnualFieldsMixin(serializers.Serializer):
    year = serializers.SerializerMethodField()

    def get_year(self, report: Report) -> int:
        return report.period.year


class AssessmentListSerializer(AnnualFieldsMixin, ReportListSerializer):
    class Meta(ReportListSerializer.Meta):
        fields = [*ReportListSerializer.Meta.fields, "year"]
        read_only_fields = fields


class AssessmentSerializer(AnnualFieldsMixin, ReportSerializer):
    """One year-end assessment with its snapshot (`figures`: the scheme it used, then each
    group's units line by line, with their total, rank and grade)."""

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "year"]
        read_only_fields = fields


class AnnualBuildSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        year = attrs["year"]
        if annual_window(year, timezone.localdate()) is None:
            raise serializers.ValidationError(
                {"year": _("An assessment can be built once the year's first month is over.")}
            )
        if scheme_of(year) is None:
            raise serializers.ValidationError(
                {"year": _("Set the assessment scheme of %(year)s first.") % {"year": year}}
            )
        if not attrs["reason"].strip() and needs_reason(
            kind=ReportKind.ANNUAL, period=assessment_period(year)
        ):
            raise serializers.ValidationError(
                {
                    "reason": _(
                        "The report of this period is published: give a reason to rebuild it."
                    )
                }
            )
        return attrs


class BreakdownSerializer(serializers.Serializer):
    """A unit's breakdown in an assessment: `unit` holds its lines (indicators with actual,
    target, value, attainment and points; bonuses and deductions with count, points per
    item, cap and points; manual items with their note), its total, rank and grade."""

    report = serializers.IntegerField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    year_closed = serializers.BooleanField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    group = serializers.CharField()
    group_size = serializers.IntegerField()
    unit = serializers.JSONField()


def _breakdowns(report: Report, figures: AnnualAssessment, user: Any) -> list[dict[str, Any]]:
    """The breakdowns the user may see: every unit's for the bureau and leaders; their own
    unit's, once published, for a unit's staff."""
    found = []
    for group in figures.unit_groups:
        assessed = sum(1 for row in group.units if row.rank is not None)
        for unit in group.units:
            if not breakdown_readable(user, report, unit.unit_id):
                continue
            found.append(
                {
                    "report": report.pk,
                    "year": figures.year,
                    "month": figures.month,
                    "year_closed": figures.year_closed,
                    "status": report.status,
                    "version": report.version,
                    "group": group.kind,
                    "group_size": assessed,
                    "unit": _stored_unit(report.figures, unit.unit_id),
                }
            )
    return found


def _stored_unit(stored: dict[str, Any], unit_id: int) -> dict[str, Any]:
    """The unit's lines as the snapshot stores them (Decimals as strings)."""
    for group in stored.get("unit_groups", []):
        for unit in group.get("units", []):
            if unit.get("unit_id") == unit_id:
                return unit
    return {}


@extend_schema_view(
    create=extend_schema(request=AnnualBuildSerializer, responses={202: JobSerializer}),
    publish=extend_schema(request=PublishSerializer, responses={200: AssessmentSerializer}),
)
class AnnualAssessmentViewSet(ReportViewSet):
    """The year-end assessment (年终一考核): POST `{"year", "reason"}` starts a build (the
    bureau; the year needs its scheme) and answers with its job; the list holds the versions
    the user may see; the detail, the stored snapshot, and `{id}/xlsx/` are the bureau's and
    the leaders'; `{id}/units/` and `{id}/units/{unit_id}/` the breakdowns (a unit's staff:
    their own, of a published assessment)."""

    kind = ReportKind.ANNUAL
    job_kind = JOB_KIND_ANNUAL
    build_task = build_annual_assessment
    build_serializer = AnnualBuildSerializer
    list_serializer = AssessmentListSerializer
    detail_serializer = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet:
        reports = Report.objects.filter(kind=self.kind).visible_to(self.request.user)
        if self.action == "list":
            reports = reports.defer("figures")
        return reports.order_by("-period", "-version")

    def build_params(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"year": data["year"], "reason": data["reason"].strip()}

    def _whole(self) -> Report:
        """The assessment for those who read every unit's lines; 404 for the others."""
        report = self.get_object()
        if not sees_everything(self.request.user):
            raise exceptions.NotFound
        return report

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        return Response(self.detail_serializer(self._whole()).data)

    @extend_schema(
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The workbook of the stored snapshot"
            )
        }
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def xlsx(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The assessment's workbook, for the bureau and leaders."""
        return annual_workbook_response(self._whole())

    @extend_schema(responses={200: BreakdownSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, url_path="units")
    def units(self, request: Request, pk: str | None = None) -> Response:
        """The breakdowns the user may see, unit by unit in the groups' order (paginated)."""
        report = self.get_object()
        rows = _breakdowns(report, AnnualAssessment.from_stored(report.figures), request.user)
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(BreakdownSerializer(page, many=True).data)
        return Response(BreakdownSerializer(rows, many=True).data)

    @extend_schema(responses={200: BreakdownSerializer})
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        url_path=r"units/(?P<unit_id>\d+)",
        url_name="unit",
    )
    def unit(self, request: Request, pk: str | None = None, unit_id: str = "") -> Response:
        """One unit's breakdown, line by line (another unit's, for a unit's staff: 404)."""
        report = self.get_object()
        figures = AnnualAssessment.from_stored(report.figures)
        for row in _breakdowns(report, figures, request.user):
            if row["unit"].get("unit_id") == int(unit_id):
                return Response(BreakdownSerializer(row).data)
        raise exceptions.NotFound
