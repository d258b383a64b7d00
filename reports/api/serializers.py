from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import PeriodField
from core.periods import current_period, month_label, quarter_label, quarter_of, version_label
from reports.choices import ReportKind
from reports.models import Report
from reports.services import needs_reason


class ReportListSerializer(serializers.ModelSerializer):
    period = PeriodField(read_only=True)
    # plain strings in the schema: their choices are named in reports.choices
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    # as people write them (core.periods): "2026年11月" / "2026年第4季度", "第1版"
    period_display = serializers.SerializerMethodField()
    version_display = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period",
            "period_display",
            "version",
            "version_display",
            "status_display",
            "status",
            "built_at",
            "published_at",
            "rebuild_reason",
            "publish_note",
            "pending_at_publish",
            "job",
        ]
        read_only_fields = fields

    def get_period_display(self, report: Report) -> str:
        if report.kind == ReportKind.MONTHLY:
            return month_label(report.period)
        if report.kind == ReportKind.QUARTERLY:
            return quarter_label(report.period.year, quarter_of(report.period))
        return str(report.period.year)

    def get_version_display(self, report: Report) -> str:
        return version_label(report.version)


class ReportSerializer(ReportListSerializer):
    """One report with its snapshot (`figures`), as stored when it was built."""

    class Meta(ReportListSerializer.Meta):
        fields = [*ReportListSerializer.Meta.fields, "figures"]
        read_only_fields = fields


class PublishSerializer(serializers.Serializer):
    """Publishing: while anything of the report's months is still open (records awaiting
    verification or returned, units that have not reported the last month), `confirm`
    true and a `note` saying why are needed (400 lists what is open)."""

    confirm = serializers.BooleanField(required=False, default=False, label=_("confirm"))
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, label=_("note")
    )


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


class QuarterlyFieldsMixin(serializers.Serializer):
    """A quarterly review's period also as its year and quarter."""

    year = serializers.SerializerMethodField()
    quarter = serializers.SerializerMethodField()

    def get_year(self, report: Report) -> int:
        return report.period.year

    def get_quarter(self, report: Report) -> int:
        return (report.period.month - 1) // 3 + 1


class QuarterlyListSerializer(QuarterlyFieldsMixin, ReportListSerializer):
    class Meta(ReportListSerializer.Meta):
        fields = [*ReportListSerializer.Meta.fields, "year", "quarter"]
        read_only_fields = fields


class QuarterlySerializer(QuarterlyFieldsMixin, ReportSerializer):
    """One quarterly review with its snapshot (`figures`), as stored when it was built."""

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "year", "quarter"]
        read_only_fields = fields


class QuarterlyBuildSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from reports.selectors.quarterly import quarter_period

        period = quarter_period(attrs["year"], attrs["quarter"])
        if period > current_period():
            raise serializers.ValidationError(
                {"quarter": _("A review cannot be built for a quarter that has not started.")}
            )
        if not attrs["reason"].strip() and needs_reason(kind=ReportKind.QUARTERLY, period=period):
            raise serializers.ValidationError(
                {
                    "reason": _(
                        "The report of this period is published: give a reason to rebuild it."
                    )
                }
            )
        attrs["period"] = period
        return attrs
