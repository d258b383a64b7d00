"""The draw of 两随机一公开 in the API: read-only, public to every logged-in user. Each
draw carries its seed and candidates (to repeat it), what was drawn and its inspections
with their photos. Draws are made on the page by the bureau (reports.services.draws)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from core.api.permissions import ScopedAccess
from reports.models import Draw, Inspection, InspectionPhoto
from reports.selectors.draws import draw_queryset


class InspectionPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPhoto
        fields = ["id", "caption", "url", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_url(self, photo: InspectionPhoto) -> str:
        """The photo, served to logged-in users (session) by the page's photo view."""
        path = reverse("protected-file", args=["inspection-photo", photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class InspectionSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    unit = serializers.IntegerField(source="project.unit_id", read_only=True)
    status = serializers.CharField(read_only=True)  # reports.choices.InspectionStatus
    photos = InspectionPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "unit",
            "status",
            "inspected_on",
            "inspector",
            "findings",
            "photos",
        ]
        read_only_fields = fields


class CandidateSerializer(serializers.Serializer):
    """A candidate as stored with the draw; `unit` (its unit's name) for projects only."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(required=False)


class DrawSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)  # reports.choices.DrawKind
    drawn_by = serializers.StringRelatedField(read_only=True)
    candidates = serializers.SerializerMethodField()
    drawn = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    inspections = InspectionSerializer(many=True, read_only=True)

    class Meta:
        model = Draw
        fields = [
            "id",
            "year",
            "quarter",
            "kind",
            "size",
            "seed",
            "candidates",
            "drawn",
            "drawn_by",
            "created_at",
            "note",
            "inspections",
        ]
        read_only_fields = fields

    @extend_schema_field(CandidateSerializer(many=True))
    def get_candidates(self, draw: Draw) -> list[dict[str, Any]]:
        return list(draw.candidates)


class DrawViewSet(viewsets.ReadOnlyModelViewSet):
    """Draws of 两随机一公开, newest quarter first: seed, candidates in the order drawn
    from, the ids drawn (in the order picked: `random.Random(seed).sample(ids, size)` over
    the candidates' ids repeats it) and the inspections. Filter by `year`, `quarter`,
    `kind`."""

    queryset = Draw.objects.all()
    serializer_class = DrawSerializer
    permission_classes = [ScopedAccess]
    filterset_fields = ["year", "quarter", "kind"]

    def get_queryset(self) -> QuerySet:
        return draw_queryset(self.request.user)
