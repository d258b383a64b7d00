"""Supervision orders over REST: the serializers parse, supervision.services decides (its
ValidationErrors answer 400 under their fields, through core.api.errors)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import PeriodField, ScopedPrimaryKeyField
from core.api.serializers import ServiceModelSerializer
from projects.models import Blocker, Project
from supervision import services
from supervision.models import SupervisionAnswer, SupervisionOrder
from teams.models import Unit


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


class AnswerSerializer(serializers.ModelSerializer):
    """One answer of the unit and the bureau's decision on it. `evidence` reads as the URL
    of the access-checked download."""

    evidence = serializers.SerializerMethodField(label=_("evidence of the rectification"))

    class Meta:
        model = SupervisionAnswer
        fields = [
            "id",
            "text",
            "evidence",
            "answered_by",
            "answered_at",
            "decision",
            "decision_reason",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields

    def get_evidence(self, answer: SupervisionAnswer) -> str | None:
        if not answer.evidence:
            return None
        url = answer.evidence_url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class OrderSerializer(ServiceModelSerializer):
    """A supervision order (督办单). The bureau creates it (services.order_issue); its
    level, status, deadlines after the first and answers change only through `answer/`,
    `close/`, `return/` and the daily escalation."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), label=_("unit"))
    project = ScopedPrimaryKeyField(
        model=Project,
        allow_null=True,
        required=False,
        label=_("project"),
        help_text=_("For an order about a project: one of the unit's."),
    )
    blocker = ScopedPrimaryKeyField(
        model=Blocker,
        allow_null=True,
        required=False,
        label=_("blocker"),
        help_text=_("For an order about a blocker: one the unit solves."),
    )
    report_period = PeriodField(
        allow_null=True,
        required=False,
        label=_("month of the missing report"),
        help_text=_("For a missing report: YYYY-MM."),
    )
    answers = AnswerSerializer(many=True, read_only=True, label=_("answers"))

    class Meta:
        model = SupervisionOrder
        fields = [
            "id",
            "unit",
            "subject_kind",
            "project",
            "blocker",
            "report_period",
            "matter",
            "reason",
            "due_on",
            "second_due_on",
            "level",
            "status",
            "issued_by",
            "issued_on",
            "yellow_on",
            "red_on",
            "closed_on",
            "closed_by",
            "answers",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "second_due_on",
            "level",
            "status",
            "issued_by",
            "issued_on",
            "yellow_on",
            "red_on",
            "closed_on",
            "closed_by",
            "created_at",
            "updated_at",
        ]
        # The one-live-order rules are the model's, told by the service beside the field.
        validators: list[Any] = []

    def create(self, validated_data: dict[str, Any]) -> SupervisionOrder:
        return services.order_issue(user=_user(self), data=validated_data)


class AnswerRequestSerializer(serializers.Serializer):
    """The unit's answer: its rectification and the evidence file (multipart)."""

    text = serializers.CharField(label=_("rectification (整改情况)"))
    evidence = serializers.FileField(
        label=_("evidence of the rectification"),
        help_text=_("PDF, image or Office file, checked by its content; at most 20 MB."),
    )


class ReturnRequestSerializer(serializers.Serializer):
    """The bureau returns the unit's answer, saying why."""

    reason = serializers.CharField(max_length=300, label=_("reason for return"))
