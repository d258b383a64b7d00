from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.periods import current_period
from projects.api.serializers import PeriodField
from reports.choices import ReportKind
from reports.models import Report
from reports.services import needs_reason


class ReportListSerializer(serializers.ModelSerializer):
    period = PeriodField(read_only=True)
    # plain strings in the schema: their choices are named in reports.choices
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period",
            "version",
            "status",
            "built_at",
            "published_at",
            "rebuild_reason",
            "job",
        ]
        read_only_fields = fields


class ReportSerializer(ReportListSerializer):
    """One report with its snapshot (`figures`), as stored when it was built."""

    class Meta(ReportListSerializer.Meta):
        fields = [*ReportListSerializer.Meta.fields, "figures"]
        read_only_fields = fields


class MonthlyBuildSerializer(serializers.Serializer):
    period = PeriodField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["period"] > current_period():
            raise serializers.ValidationError(
                {"period": _("A report cannot be built for a month in the future.")}
            )
        if not attrs["reason"].strip() and needs_reason(
            kind=ReportKind.MONTHLY, period=attrs["period"]
        ):
            raise serializers.ValidationError(
                {
                    "reason": _(
                        "The report of this period is published: give a reason to rebuild it."
                    )
                }
            )
        return attrs
