"""The half-year inspection (半年一督查) in the API: `/api/v1/reports/inspections/`
(published ones for everyone, drafts for the bureau; the detail holds the checklist, the
units with their report outcome and the findings) and `/api/v1/reports/inspection-findings/`
(the findings a user sees), where the inspected unit's staff report a rectification
(`{id}/rectify/`) and the bureau confirms (`{id}/confirm/`) or returns it (`{id}/return/`).
The inspection itself is set up on its pages (reports.services.halfyear)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.permissions import ScopedAccess
from core.files import protected_file_url
from core.policy import Action, may_change_anything, require
from reports.filters import FindingFilter, HalfYearInspectionFilter
from reports.models import ChecklistItem, Finding, HalfYearInspection, InspectedUnit, Rectification
from reports.selectors.halfyear import finding_queryset, halfyear_list, inspected_units
from reports.services.halfyear import (
    rectification_confirm,
    rectification_report,
    rectification_return,
)


@extend_schema_field(serializers.CharField(allow_null=True))
class FindingFileField(serializers.Field):
    """The record's file at /files/<kind>/<id>/ (null without one), served after the
    access check (core.files)."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record: Any) -> str | None:
        if not record.file:
            return None
        return protected_file_url(self.kind, record, self.context.get("request"))


class RectificationSerializer(serializers.ModelSerializer):
    file = FindingFileField("halfyear-rectification")
    reported_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "note",
            "file",
            "status",
            "reported_by",
            "created_at",
            "decided_by",
            "decided_at",
            "return_reason",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="inspected.inspection_id", read_only=True)
    unit = serializers.IntegerField(source="inspected.unit_id", read_only=True)
    unit_name = serializers.CharField(source="inspected.unit.name", read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True)
    file = FindingFileField("halfyear-finding")
    overdue = serializers.BooleanField(read_only=True)
    rectifications = RectificationSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "unit",
            "unit_name",
            "item",
            "item_title",
            "text",
            "file",
            "deadline",
            "status",
            "overdue",
            "rectified_on",
            "rectifications",
        ]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "title", "guidance"]
        read_only_fields = fields


class InspectedUnitSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    open_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectedUnit
        fields = [
            "id",
            "unit",
            "unit_name",
            "source",
            "draw",
            "reported_on",
            "reported_by",
            "outcome",
            "outcome_note",
            "open_count",
            "overdue_count",
        ]
        read_only_fields = fields


class HalfYearInspectionSerializer(serializers.ModelSerializer):
    unit_count = serializers.IntegerField(read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    finding_count = serializers.IntegerField(read_only=True)
    open_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = HalfYearInspection
        fields = [
            "id",
            "year",
            "half",
            "title",
            "status",
            "published_at",
            "unit_count",
            "item_count",
            "finding_count",
            "open_count",
            "overdue_count",
        ]
        read_only_fields = fields


class HalfYearInspectionDetailSerializer(HalfYearInspectionSerializer):
    items = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()

    class Meta(HalfYearInspectionSerializer.Meta):
        fields = [*HalfYearInspectionSerializer.Meta.fields, "items", "units", "findings"]
        read_only_fields = fields

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_items(self, inspection: HalfYearInspection) -> list[dict[str, Any]]:
        return ChecklistItemSerializer(inspection.items.order_by("order", "id"), many=True).data

    @extend_schema_field(InspectedUnitSerializer(many=True))
    def get_units(self, inspection: HalfYearInspection) -> list[dict[str, Any]]:
        return InspectedUnitSerializer(
            inspected_units(inspection, timezone.localdate()), many=True
        ).data

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, inspection: HalfYearInspection) -> list[dict[str, Any]]:
        request = self.context["request"]
        findings = finding_queryset(request.user, timezone.localdate()).filter(
            inspected__inspection=inspection
        )
        return FindingSerializer(findings, many=True, context=self.context).data


class HalfYearInspectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Half-year inspections (半年一督查), newest first: published ones for every user,
    drafts for the bureau. Filter by `year`, `half`, `unit` (inspected in it); `ordering=`
    `year`, `half`, `published_at`."""

    queryset = HalfYearInspection.objects.all()
    permission_classes = [ScopedAccess]
    filterset_class = HalfYearInspectionFilter

    def get_queryset(self) -> QuerySet:
        return halfyear_list(self.request.user, timezone.localdate())

    def get_serializer_class(self) -> type:
        if self.action == "retrieve":
            return HalfYearInspectionDetailSerializer
        return HalfYearInspectionSerializer


class FindingAccess(ScopedAccess):
    """Reads as everywhere; a write is refused to leaders at once (403) and otherwise
    decided by the action's service (the unit's staff rectify, the bureau decides)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or may_change_anything(user)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return True


class RectifySerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)
    file = serializers.FileField(required=False, allow_null=True)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """The findings of half-year inspections the user sees: every finding of a published
    inspection, and the findings of one's own unit from the start. Filter by `inspection`,
    `year`, `half`, `unit`, `status`; `ordering=` `deadline`, `created_at`, `status`."""

    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    permission_classes = [FindingAccess]
    filterset_class = FindingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet:
        return finding_queryset(self.request.user, timezone.localdate()).order_by("deadline", "id")

    def _shown(self, finding: Finding) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)

    @extend_schema(request=RectifySerializer, responses={200: FindingSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def rectify(self, request: Request, pk: str | None = None) -> Response:
        """The inspected unit's staff report how they rectified their unit's finding
        (`note`, optionally a `file` as multipart); it then awaits the bureau."""
        require(request.user, Action.INSPECTION_RECTIFY)
        finding = self.get_object()
        payload = RectifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rectification_report(
            finding=finding,
            note=payload.validated_data["note"],
            file=payload.validated_data.get("file"),
            user=request.user,
        )
        return self._shown(finding)

    @extend_schema(request=None, responses={200: FindingSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The bureau confirms the reported rectification: the finding is closed."""
        require(request.user, Action.INSPECTION_RECORD)
        finding = self.get_object()
        rectification_confirm(finding=finding, user=request.user)
        return self._shown(finding)

    @extend_schema(request=ReturnSerializer, responses={200: FindingSerializer})
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None
    )
    def return_rectification(self, request: Request, pk: str | None = None) -> Response:
        """The bureau returns the reported rectification with a `reason`."""
        require(request.user, Action.INSPECTION_RECORD)
        finding = self.get_object()
        payload = ReturnSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rectification_return(
            finding=finding, reason=payload.validated_data["reason"], user=request.user
        )
        return self._shown(finding)
