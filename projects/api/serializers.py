"""The API's face of the projects app: every write goes through projects.services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status

from core.access import can_edit, may_assign_unit
from core.api.errors import model_errors_as_400
from core.api.fields import PeriodField, ScopedPrimaryKeyField
from projects import services
from projects.choices import (
    BlockerStatus,
    DocumentKind,
    FilingStatus,
    FollowUpMethod,
    SizeClass,
    Stage,
)
from projects.models import Blocker, Document, FollowUp, FundsRecord, Industry, Lead, Project
from teams.models import Team, Unit, User

# What the bureau decides about a document (the status it PATCHes).
FILING_DECISIONS = [
    (FilingStatus.FILED.value, FilingStatus.FILED.label),
    (FilingStatus.RETURNED.value, FilingStatus.RETURNED.label),
]


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


class UnitDefaultsToUsersMixin:
    """A new record's responsible unit defaults to the user's; only the bureau may name
    another one (core.access.may_assign_unit)."""

    def validate_responsible_unit(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = _user(self)  # type: ignore[arg-type]
        if "unit" not in attrs and self.instance is None:  # type: ignore[attr-defined]
            attrs["unit"] = user.unit
        if "unit" in attrs and not may_assign_unit(user, attrs["unit"]):
            raise serializers.ValidationError(
                {"unit": [gettext("You may only name your own unit.")]}
            )
        return attrs


# --- Industries --------------------------------------------------------------------------


class IndustrySerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.chains(),
        allow_null=True,
        required=False,
        label=_("industry chain"),
    )

    class Meta:
        model = Industry
        fields = ["id", "code", "name", "parent", "is_leading", "is_active", "sort_order"]

    def _save(self, industry: Industry) -> Industry:
        with model_errors_as_400():
            industry.full_clean()
            industry.save()
        return industry

    def create(self, validated_data: dict[str, Any]) -> Industry:
        return self._save(Industry(**validated_data))

    def update(self, instance: Industry, validated_data: dict[str, Any]) -> Industry:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance)


# --- Leads -------------------------------------------------------------------------------


class LeadDuplicateSerializer(serializers.ModelSerializer):
    """A lead of the shared pool that may be the same investor: enough to recognise it,
    whichever unit holds it."""

    unit = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Lead
        fields = ["id", "company_name", "unit", "status"]
        read_only_fields = fields


class PossibleDuplicatesSerializer(serializers.Serializer):
    """The 400 a new lead gets while possible duplicates are unconfirmed (schema only)."""

    possible_duplicates = LeadDuplicateSerializer(many=True)
    confirm_duplicates = serializers.ListField(child=serializers.CharField())


class PossibleDuplicates(exceptions.APIException):
    """400 listing the possible duplicates; kept as data (DRF would turn ids into text)."""

    status_code = 400
    default_code = "possible_duplicates"

    def __init__(self, found: services.DuplicatesFound) -> None:
        self.detail = {  # type: ignore[assignment]
            "possible_duplicates": LeadDuplicateSerializer(found.duplicates, many=True).data,
            "confirm_duplicates": list(found.messages),
        }


class LeadSerializer(UnitDefaultsToUsersMixin, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        label=_("unit"),
        help_text=_("Defaults to the user's unit; only the bureau may name another."),
    )
    industry = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.all(), label=_("industry")
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False, label=_("team")
    )
    provided_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        label=_("provided by"),
        help_text=_("Defaults to the user entering the lead."),
    )
    possible_duplicates = LeadDuplicateSerializer(many=True, read_only=True)
    confirm_duplicates = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        label=_("confirm possible duplicates"),
        help_text=_("Save a new lead although possible duplicates exist in the county."),
    )

    class Meta:
        model = Lead
        fields = [
            "id",
            "company_name",
            "contact_name",
            "contact_title",
            "contact_phone",
            "current_products",
            "project_name",
            "planned_products",
            "scale",
            "period",
            "requirements",
            "estimated_amount_wan",
            "industry",
            "source",
            "unit",
            "team",
            "provided_by",
            "received_on",
            "status",
            "drop_reason",
            "notes",
            "possible_duplicates",
            "confirm_duplicates",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "drop_reason", "created_at", "updated_at"]
        extra_kwargs = {"estimated_amount_wan": {"min_value": 0}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return self.validate_responsible_unit(attrs)

    def _save(self, lead: Lead, confirm: bool) -> Lead:
        with model_errors_as_400():
            try:
                return services.lead_save(lead=lead, user=_user(self), confirm_duplicates=confirm)
            except services.DuplicatesFound as found:
                raise PossibleDuplicates(found) from found

    def create(self, validated_data: dict[str, Any]) -> Lead:
        confirm = validated_data.pop("confirm_duplicates", False)
        return self._save(Lead(**validated_data), confirm)

    def update(self, instance: Lead, validated_data: dict[str, Any]) -> Lead:
        confirm = validated_data.pop("confirm_duplicates", False)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance, confirm)


class LeadDropSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("reason for dropping"))


class FollowUpSerializer(serializers.ModelSerializer):
    happened_on = serializers.DateField(default=timezone.localdate, label=_("date"))
    method = serializers.ChoiceField(
        choices=FollowUpMethod.choices, default=FollowUpMethod.VISIT, label=_("method")
    )
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "happened_on", "method", "note", "next_step", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]


# --- Projects ----------------------------------------------------------------------------


class ProjectSerializer(UnitDefaultsToUsersMixin, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        label=_("responsible unit"),
        help_text=_("Defaults to the user's unit; only the bureau may name another."),
    )
    cooperating_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False, label=_("cooperating units")
    )
    industry = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.all(), label=_("industry")
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False, label=_("team")
    )
    lead = ScopedPrimaryKeyField(
        model=Lead,
        allow_null=True,
        required=False,
        label=_("lead"),
        help_text=_("On creation, the open lead the project is converted from."),
    )
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices, read_only=True, label=_("size class")
    )
    intensity = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        label=_("investment intensity (万元/亩)"),
    )
    is_stalled = serializers.SerializerMethodField()
    below_intensity = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "investor",
            "investor_origin",
            "project_type",
            "industry",
            "category",
            "contract_amount_wan",
            "foreign_amount_usd_wan",
            "land_area_mu",
            "unit",
            "cooperating_units",
            "team",
            "leader_name",
            "is_key",
            "lead",
            "stage",
            "signed_on",
            "started_on",
            "completed_on",
            "producing_on",
            "agreed_start_on",
            "terminated_on",
            "termination_reason",
            "size_class",
            "intensity",
            "expected_output_wan",
            "expected_tax_wan",
            "expected_jobs",
            "description",
            "is_stalled",
            "below_intensity",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "code",
            "stage",
            "terminated_on",
            "termination_reason",
            "size_class",
            "intensity",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"contract_amount_wan": {"min_value": 0}}

    def get_is_stalled(self, project: Project) -> bool:
        """Red on lists: stalled in negotiation, past its agreed start, or a key project
        with no stage change for 90 days."""
        return bool(getattr(project, "is_stalled", False))

    def get_below_intensity(self, project: Project) -> bool:
        """Investment intensity below the minimum its park sets."""
        return bool(getattr(project, "below_intensity", False))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = self.validate_responsible_unit(attrs)
        if "lead" in attrs:
            lead = attrs["lead"]
            if self.instance is not None and lead != self.instance.lead:
                raise serializers.ValidationError(
                    {"lead": [gettext("A project's lead is set when the lead is converted.")]}
                )
            if self.instance is None and lead is not None and not can_edit(_user(self), lead):
                raise serializers.ValidationError(
                    {"lead": [gettext("You may only convert leads of your own unit.")]}
                )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Project:
        cooperating_units = validated_data.pop("cooperating_units", [])
        lead = validated_data.pop("lead", None)
        project = Project(**validated_data)
        with model_errors_as_400():
            if lead is None:
                return services.project_create(
                    project=project, user=_user(self), cooperating_units=cooperating_units
                )
            try:
                return services.lead_convert(
                    lead=lead,
                    project=project,
                    user=_user(self),
                    cooperating_units=cooperating_units,
                )
            except DjangoValidationError as error:
                if hasattr(error, "error_dict"):
                    raise
                raise DjangoValidationError({"lead": error.messages}) from error

    def update(self, instance: Project, validated_data: dict[str, Any]) -> Project:
        cooperating_units = validated_data.pop("cooperating_units", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with model_errors_as_400():
            return services.project_update(
                project=instance, user=_user(self), cooperating_units=cooperating_units
            )


class StageChangeRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices, label=_("to"))
    on = serializers.DateField(
        required=False,
        allow_null=True,
        label=_("date"),
        help_text=_("When it happened; defaults to today."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("note"))


# --- Documents ---------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    """Uploads take `kind`, `title` and `file`; `file` reads back as the URL of the
    access-checked download, never the storage path."""

    kind = serializers.ChoiceField(
        choices=DocumentKind.choices, default=DocumentKind.CONTRACT, label=_("kind")
    )
    uploaded_by = serializers.PrimaryKeyRelatedField(read_only=True)
    reviewed_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "kind",
            "title",
            "file",
            "content_type",
            "size",
            "status",
            "return_reason",
            "uploaded_by",
            "reviewed_by",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = [
            "project",
            "content_type",
            "size",
            "status",
            "return_reason",
            "reviewed_at",
            "created_at",
        ]

    def to_representation(self, document: Document) -> dict[str, Any]:
        data = super().to_representation(document)
        url = document.get_absolute_url()
        request = self.context.get("request")
        data["file"] = request.build_absolute_uri(url) if request is not None else url
        return data

    def create(self, validated_data: dict[str, Any]) -> Document:
        with model_errors_as_400():
            return services.document_upload(
                project=self.context["project"],
                user=_user(self),
                kind=validated_data["kind"],
                file=validated_data["file"],
                title=validated_data.get("title", ""),
            )


class DocumentReviewSerializer(serializers.Serializer):
    """The bureau files a document or returns it with a reason."""

    status = serializers.ChoiceField(
        choices=FILING_DECISIONS,
        label=_("filing status"),
    )
    return_reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_("reason for return")
    )


# --- Blockers ----------------------------------------------------------------------------


class BlockerSerializer(serializers.ModelSerializer):
    project = ScopedPrimaryKeyField(
        model=Project,
        scope="editable_by",
        label=_("project"),
        help_text=_("A project the user may edit."),
    )
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), label=_("unit responsible for solving it")
    )

    class Meta:
        model = Blocker
        fields = [
            "id",
            "project",
            "category",
            "description",
            "owner_unit",
            "due_on",
            "status",
            "resolution",
            "resolved_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def _save(self, blocker: Blocker) -> Blocker:
        with model_errors_as_400():
            if blocker.status == BlockerStatus.RESOLVED:
                # The service names the missing resolution on its field.
                return services.blocker_resolve(
                    blocker=blocker, user=_user(self), resolution=blocker.resolution
                )
            return services.blocker_save(blocker=blocker, user=_user(self))

    def create(self, validated_data: dict[str, Any]) -> Blocker:
        return self._save(Blocker(**validated_data))

    def update(self, instance: Blocker, validated_data: dict[str, Any]) -> Blocker:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance)


# --- Funds in place and completed investment --------------------------------------------


class Conflict(exceptions.APIException):
    """409: the record changed since the client read it (optimistic locking)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record was changed by someone else.")
    default_code = "conflict"


class FundsRecordSerializer(serializers.ModelSerializer):
    """A month's funds in place or completed investment. Writes go through
    services.funds_submit: a new record or, with the `version` read, a change to a
    submitted or returned one. `evidence` reads back as the URL of the access-checked
    download."""

    # Fields fixed once the record exists: a change would be another record.
    FIXED_FIELDS = ("project", "period", "kind", "corrects")

    project = ScopedPrimaryKeyField(
        model=Project,
        scope="editable_by",
        label=_("project"),
        help_text=_("A project the user may edit; fixed once the record exists."),
    )
    unit = serializers.IntegerField(
        source="project.unit_id", read_only=True, label=_("responsible unit")
    )
    period = PeriodField(label=_("month"), help_text=_("YYYY-MM; not in the future."))
    evidence = serializers.FileField(
        required=False,
        allow_null=True,
        label=_("evidence"),
        help_text=_(
            "Bank statement, invoice (PDF, image or Office file), checked by its content. "
            "Required for funds in place, except in a correction; reads back as a URL."
        ),
    )
    corrects = ScopedPrimaryKeyField(
        model=FundsRecord,
        allow_null=True,
        required=False,
        label=_("corrects"),
        help_text=_(
            "The verified record this one corrects (same project and kind); a correction "
            "may be negative and needs the reason as its note."
        ),
    )
    confirm = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        label=_("confirm the amount"),
        help_text=_(
            "Accept an amount out of the ordinary (above the contract amount, or over "
            "5000 万元 in a month for a project under 1亿元); the record is flagged."
        ),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        label=_("version"),
        help_text=_("On PUT and PATCH, the version read: a record changed since answers 409."),
    )

    class Meta:
        model = FundsRecord
        fields = [
            "id",
            "project",
            "unit",
            "period",
            "kind",
            "amount_wan",
            "evidence",
            "note",
            "corrects",
            "confirm",
            "status",
            "flagged",
            "flag_reasons",
            "reject_reason",
            "submitted_by",
            "verified_by",
            "verified_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "flagged",
            "flag_reasons",
            "reject_reason",
            "submitted_by",
            "verified_by",
            "verified_at",
            "created_at",
            "updated_at",
        ]
        # The one-record-a-month constraint is the model's, checked by the service's
        # full_clean; DRF's own reading of it would make `corrects` required.
        validators: list[Any] = []

    def to_representation(self, record: FundsRecord) -> dict[str, Any]:
        data = super().to_representation(record)
        data["evidence"] = None
        if record.evidence:
            url = reverse("projects:funds_evidence", args=[record.pk])
            request = self.context.get("request")
            data["evidence"] = request.build_absolute_uri(url) if request is not None else url
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        record = self.instance
        if record is None:
            return attrs
        errors = {
            name: [gettext("This cannot change once the record exists.")]
            for name in self.FIXED_FIELDS
            if name in attrs and attrs[name] != getattr(record, name)
        }
        if attrs.get("version") is None:
            errors["version"] = [gettext("Send back the version you read.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _submit(self, data: dict[str, Any], record: FundsRecord | None) -> FundsRecord:
        def value(name: str, default: Any = None) -> Any:
            if name in data:
                return data[name]
            return getattr(record, name) if record is not None else default

        with model_errors_as_400():
            try:
                return services.funds_submit(
                    user=_user(self),
                    project=value("project"),
                    period=value("period"),
                    kind=value("kind"),
                    amount_wan=value("amount_wan"),
                    note=value("note", ""),
                    evidence=data.get("evidence"),
                    confirm=data.get("confirm", False),
                    record=record,
                    version=data.get("version") if record is not None else None,
                    corrects=value("corrects"),
                )
            except services.StaleRecord as stale:
                raise Conflict(stale.messages[0]) from stale

    def create(self, validated_data: dict[str, Any]) -> FundsRecord:
        return self._submit(validated_data, None)

    def update(self, instance: FundsRecord, validated_data: dict[str, Any]) -> FundsRecord:
        return self._submit(validated_data, instance)


class FundsRejectSerializer(serializers.Serializer):
    """The bureau returns a record to its unit, saying why."""

    reason = serializers.CharField(max_length=300, label=_("reason for return"))
