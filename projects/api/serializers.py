"""The API's face of the projects app: every write goes through projects.services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from core.api.fields import (
    PeriodField,
    PrefetchedManyField,
    ProtectedFileField,
    ScopedPrimaryKeyField,
)
from core.api.serializers import PlannedListSerializer, ServiceModelSerializer
from core.files import protected_file_url
from core.roles import Role
from projects import services
from projects.choices import (
    DocumentKind,
    FilingStatus,
    FollowUpMethod,
    ReserveStatus,
    SizeClass,
    Stage,
)
from projects.models import (
    Blocker,
    Document,
    FollowUp,
    FundsRecord,
    Industry,
    Lead,
    Project,
    ReserveMaterial,
    ReserveProject,
)
from teams.models import Team, Unit, User

# What the bureau decides about a document (the status it PATCHes).
FILING_DECISIONS = [
    (FilingStatus.FILED.value, FilingStatus.FILED.label),
    (FilingStatus.RETURNED.value, FilingStatus.RETURNED.label),
]


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


# --- Industries --------------------------------------------------------------------------


class IndustrySerializer(ServiceModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.chains(),
        allow_null=True,
        required=False,
        label=_("industry chain"),
    )

    class Meta:
        model = Industry
        fields = ["id", "code", "name", "parent", "is_leading", "is_active", "sort_order"]

    def create(self, validated_data: dict[str, Any]) -> Industry:
        return services.industry_save(user=_user(self), data=validated_data)

    def update(self, instance: Industry, validated_data: dict[str, Any]) -> Industry:
        return services.industry_save(user=_user(self), data=validated_data, industry=instance)


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


class LeadSerializer(ServiceModelSerializer):
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
        read_only=True,
        label=_("provided by"),
        help_text=_("The user who entered the lead."),
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
        list_serializer_class = PlannedListSerializer  # the same JSON, a plan per list

    def create(self, validated_data: dict[str, Any]) -> Lead:
        confirm = validated_data.pop("confirm_duplicates", False)
        try:
            return services.lead_create(
                user=_user(self), data=validated_data, confirm_duplicates=confirm
            )
        except services.DuplicatesFound as found:
            raise PossibleDuplicates(found) from found

    def update(self, instance: Lead, validated_data: dict[str, Any]) -> Lead:
        validated_data.pop("confirm_duplicates", None)
        return services.lead_update(lead=instance, user=_user(self), data=validated_data)


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


class ProjectSerializer(ServiceModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        label=_("responsible unit"),
        help_text=_(
            "Defaults to the user's unit; only the bureau names another, or gives the "
            "project to another unit."
        ),
    )
    cooperating_units = PrefetchedManyField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all()),
        prefetched_as="cooperating_units_list",
        required=False,
        label=_("cooperating units"),
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
    leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.LEADER),
        allow_null=True,
        required=False,
        label=_("responsible leader's account"),
        help_text=_("A county leader (包保领导), designated by the bureau; `leader_name` follows."),
    )
    sponsor_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        allow_null=True,
        required=False,
        label=_("sponsoring department"),
        help_text=_("The 包保 department, designated by the bureau."),
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
    # names for people beside the ids (issue 19)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

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
            "unit_name",
            "cooperating_units",
            "team",
            "leader_name",
            "leader",
            "sponsor_unit",
            "is_key",
            "lead",
            "stage",
            "stage_display",
            "signed_on",
            "started_on",
            "completed_on",
            "producing_on",
            "agreed_start_on",
            "planned_start_year",
            "planned_investment_wan",
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
        # The stage and its dates change only through `stage/` (services.project_change_stage).
        read_only_fields = [
            "code",
            "stage",
            "signed_on",
            "started_on",
            "completed_on",
            "producing_on",
            "terminated_on",
            "termination_reason",
            "size_class",
            "intensity",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "is_key": {"help_text": _("Designated by the bureau.")},
        }
        list_serializer_class = PlannedListSerializer  # the same JSON, a plan per list

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["lead"].read_only = True  # set when a lead is converted, then fixed
        return fields

    def get_is_stalled(self, project: Project) -> bool:
        """Red on lists: stalled in negotiation, past its agreed start, or a key project
        with no stage change for 90 days."""
        return bool(getattr(project, "is_stalled", False))

    def get_below_intensity(self, project: Project) -> bool:
        """Investment intensity below the minimum its park sets."""
        return bool(getattr(project, "below_intensity", False))

    def create(self, validated_data: dict[str, Any]) -> Project:
        lead = validated_data.pop("lead", None)
        if lead is None:
            return services.project_create(user=_user(self), data=validated_data)
        return services.lead_convert(lead=lead, user=_user(self), data=validated_data)

    def update(self, instance: Project, validated_data: dict[str, Any]) -> Project:
        return services.project_update(project=instance, user=_user(self), data=validated_data)


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


class DocumentSerializer(ServiceModelSerializer):
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


class BlockerSerializer(ServiceModelSerializer):
    project = ScopedPrimaryKeyField(
        model=Project,
        scope="editable_by",
        label=_("project"),
        help_text=_("A project the user may edit."),
    )
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), label=_("unit responsible for solving it")
    )
    project_name = serializers.CharField(source="project.name", read_only=True)
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)

    class Meta:
        model = Blocker
        fields = [
            "id",
            "project",
            "project_name",
            "category",
            "description",
            "owner_unit",
            "owner_unit_name",
            "due_on",
            "status",
            "resolution",
            "resolved_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["project"].read_only = True  # a blocker stays with its project
        return fields

    def create(self, validated_data: dict[str, Any]) -> Blocker:
        project = validated_data.pop("project")
        return services.blocker_create(project=project, user=_user(self), data=validated_data)

    def update(self, instance: Blocker, validated_data: dict[str, Any]) -> Blocker:
        return services.blocker_update(blocker=instance, user=_user(self), data=validated_data)


# --- Funds in place and completed investment --------------------------------------------


class FundsRecordSerializer(ServiceModelSerializer):
    """A month's funds in place or completed investment. Writes go through
    services.funds_submit: a new record or, with the `version` read, a change to a
    submitted or returned one. `evidence` reads back as the URL of the access-checked
    download."""

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
    evidence = ProtectedFileField(
        kind="evidence",
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
    # as people read them (issue 19): "2026年11月", names rather than ids and codes
    period_display = serializers.SerializerMethodField()
    project_name = serializers.CharField(source="project.name", read_only=True)
    unit_name = serializers.CharField(source="project.unit.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by_name = serializers.CharField(
        source="submitted_by.get_full_name", read_only=True, default=None
    )
    verified_by_name = serializers.CharField(
        source="verified_by.get_full_name", read_only=True, default=None
    )

    class Meta:
        model = FundsRecord
        fields = [
            "id",
            "project",
            "project_name",
            "unit",
            "unit_name",
            "period",
            "period_display",
            "kind",
            "kind_display",
            "amount_wan",
            "evidence",
            "note",
            "corrects",
            "confirm",
            "status",
            "status_display",
            "flagged",
            "flag_reasons",
            "reject_reason",
            "submitted_by",
            "submitted_by_name",
            "verified_by",
            "verified_by_name",
            "verified_at",
            "version",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = PlannedListSerializer  # the same JSON, a plan per list
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

    def get_period_display(self, record: FundsRecord) -> str:
        return record.month_label

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and attrs.get("version") is None:
            raise serializers.ValidationError(
                {"version": [gettext("Send back the version you read.")]}
            )
        return attrs

    def _submit(self, data: dict[str, Any], record: FundsRecord | None) -> FundsRecord:
        def value(name: str, default: Any = None) -> Any:
            if name in data:
                return data[name]
            return getattr(record, name) if record is not None else default

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

    def create(self, validated_data: dict[str, Any]) -> FundsRecord:
        return self._submit(validated_data, None)

    def update(self, instance: FundsRecord, validated_data: dict[str, Any]) -> FundsRecord:
        return self._submit(validated_data, instance)


class FundsRejectSerializer(serializers.Serializer):
    """The bureau returns a record to its unit, saying why."""

    reason = serializers.CharField(max_length=300, label=_("reason for return"))


# --- The project library (项目库) ----------------------------------------------------------


class ReserveProjectSerializer(ServiceModelSerializer):
    """A reserve project of the library, written through services.reserve_create and
    reserve_update. Its status changes only through `move/` and `lead/`; its lead is set
    by the conversion."""

    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        label=_("unit"),
        help_text=_("Defaults to the user's unit; only the bureau may name another."),
    )
    industry = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.all(), label=_("industry")
    )
    lead = serializers.PrimaryKeyRelatedField(
        read_only=True,
        label=_("lead"),
        help_text=_("The lead it became (`lead/`)."),
    )
    created_by = serializers.PrimaryKeyRelatedField(read_only=True, label=_("created by"))

    class Meta:
        model = ReserveProject
        fields = [
            "id",
            "name",
            "industry",
            "total_investment_wan",
            "location",
            "summary",
            "needs",
            "unit",
            "entered_on",
            "status",
            "lead",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def create(self, validated_data: dict[str, Any]) -> ReserveProject:
        return services.reserve_create(user=_user(self), data=validated_data)

    def update(self, instance: ReserveProject, validated_data: dict[str, Any]) -> ReserveProject:
        return services.reserve_update(reserve=instance, user=_user(self), data=validated_data)


class ReserveMoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[c for c in ReserveStatus.choices if c[0] != ReserveStatus.CONVERTED],
        label=_("to"),
        help_text=_("reserve → promoting → matched, or back a step; becoming a lead is `lead/`."),
    )


class ReserveMaterialSerializer(serializers.ModelSerializer):
    """A promotion material; `file` reads as the URL of the access-checked download."""

    uploaded_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ReserveMaterial
        fields = [
            "id",
            "reserve",
            "title",
            "file",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, material: ReserveMaterial) -> dict[str, Any]:
        data = super().to_representation(material)
        data["file"] = protected_file_url("reserve-material", material, self.context.get("request"))
        return data


class ReserveMaterialUploadSerializer(serializers.Serializer):
    """An upload (multipart): services.reserve_material_upload takes these two."""

    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_("Title")
    )
    file = serializers.FileField(
        label=_("file"),
        help_text=_("PDF, image or Office file, checked by its content."),
    )
