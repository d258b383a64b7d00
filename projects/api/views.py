"""Industries, leads, projects, their stages, documents, blockers, funds and the project
library over REST.

Rows come from the QuerySets' `visible_to` and `editable_by` (core.access) through
ScopedViewSet and ScopedAccess; writes go through projects.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.viewsets import ScopedViewSet
from core.policy import Action, require
from projects import selectors, services
from projects.api.serializers import (
    BlockerSerializer,
    DocumentReviewSerializer,
    DocumentSerializer,
    FollowUpSerializer,
    FundsRecordSerializer,
    FundsRejectSerializer,
    IndustrySerializer,
    LeadDropSerializer,
    LeadSerializer,
    PossibleDuplicates,
    PossibleDuplicatesSerializer,
    ProjectSerializer,
    ReserveMaterialSerializer,
    ReserveMaterialUploadSerializer,
    ReserveMoveSerializer,
    ReserveProjectSerializer,
    StageChangeRequestSerializer,
)
from projects.filters import (
    BlockerFilter,
    FundsRecordFilter,
    IndustryFilter,
    LeadFilter,
    ProjectFilter,
    ReserveProjectFilter,
)
from projects.models import Blocker, Document, FundsRecord, Industry, Lead, Project, ReserveProject
from teams.models import Unit


class IndustryViewSet(ScopedViewSet):
    """Industry chains and their segments: every user reads them; the bureau manages them."""

    queryset = Industry.objects.all()
    serializer_class = IndustrySerializer
    filterset_class = IndustryFilter


@extend_schema_view(
    create=extend_schema(
        responses={
            201: LeadSerializer,
            400: OpenApiResponse(
                PossibleDuplicatesSerializer,
                description="Field errors, or the possible duplicates in the county to confirm "
                "by sending the lead again with `confirm_duplicates`.",
            ),
        }
    )
)
class LeadViewSet(ScopedViewSet):
    """Leads of the user's unit (all of them for the bureau and leaders). A new lead that
    may duplicate one in the county's shared pool answers 400 listing the possible
    duplicates until it is sent again with `confirm_duplicates`."""

    queryset = Lead.objects.all()
    serializer_class = LeadSerializer
    filterset_class = LeadFilter

    def get_queryset(self) -> QuerySet:
        duplicates = Lead.objects.select_related("unit")
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("possible_duplicates", queryset=duplicates))
        )

    def _refetched(self, lead: Lead) -> Lead:
        return self.get_queryset().get(pk=lead.pk)

    @extend_schema(request=LeadDropSerializer, responses=LeadSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request: Request, pk: str | None = None) -> Response:
        """Drops the lead (放弃) with a reason."""
        lead = self.get_object()
        payload = LeadDropSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.lead_drop(lead=lead, user=request.user, reason=payload.validated_data["reason"])
        return Response(self.get_serializer(self._refetched(lead)).data)

    @extend_schema(methods=["GET"], responses=FollowUpSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=FollowUpSerializer, responses={201: FollowUpSerializer}
    )
    @action(detail=True, methods=["get", "post"], url_path="follow-ups", filterset_class=None)
    def follow_ups(self, request: Request, pk: str | None = None) -> Response:
        """The lead's follow-up log; POST logs one (a new lead becomes one followed up)."""
        lead = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(lead.follow_ups.all())
            return self.get_paginated_response(FollowUpSerializer(page, many=True).data)
        payload = FollowUpSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        follow_up = services.lead_follow_up(lead=lead, user=request.user, **payload.validated_data)
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class ProjectViewSet(ScopedViewSet):
    """Projects of the user's unit and those it cooperates on (all for the bureau and
    leaders), with their red flags. The stage changes only through `stage/`."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    shown_flags = ("is_stalled", "below_intensity")  # those of with_flags the serializer shows

    def get_queryset(self) -> QuerySet:
        units = Prefetch(
            "cooperating_units", queryset=Unit.objects.only("pk"), to_attr="cooperating_units_list"
        )
        projects = selectors.project_rows(self.request.user, timezone.localdate(), self.shown_flags)
        return projects.prefetch_related(units)

    def _refetched(self, project: Project) -> Project:
        """The project again, with the flags the list annotates."""
        return self.get_queryset().get(pk=project.pk)

    def perform_create(self, serializer: ProjectSerializer) -> None:
        serializer.instance = self._refetched(serializer.save())

    def perform_update(self, serializer: ProjectSerializer) -> None:
        serializer.instance = self._refetched(serializer.save())

    @extend_schema(request=StageChangeRequestSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, pk: str | None = None) -> Response:
        """Moves the project to another stage. Forward moves need the facts of each stage
        passed (400 names every missing field); backward moves are the bureau's, with a
        note; termination needs the reason as the note."""
        project = self.get_object()
        payload = StageChangeRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.project_change_stage(
            project=project,
            user=request.user,
            to=payload.validated_data["to"],
            on=payload.validated_data.get("on"),
            note=payload.validated_data["note"],
        )
        return Response(self.get_serializer(self._refetched(project)).data)


PROJECT_ID = OpenApiParameter("project_id", OpenApiTypes.INT, OpenApiParameter.PATH)
DOC_ID = OpenApiParameter("doc_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(parameters=[PROJECT_ID]),
    create=extend_schema(
        parameters=[PROJECT_ID], request={"multipart/form-data": DocumentSerializer}
    ),
    retrieve=extend_schema(parameters=[PROJECT_ID, DOC_ID]),
    partial_update=extend_schema(
        parameters=[PROJECT_ID, DOC_ID],
        request=DocumentReviewSerializer,
        responses=DocumentSerializer,
    ),
)
class ProjectDocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A project's documents: anyone who sees the project reads them; whoever may edit it
    uploads (multipart: `kind`, `title`, `file`); the bureau files or returns them."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    lookup_url_kwarg = "doc_id"

    def get_project(self) -> Project:
        if not hasattr(self, "_project"):
            projects = Project.objects.visible_to(self.request.user)
            self._project = get_object_or_404(projects, pk=self.kwargs["project_id"])
        return self._project

    def get_queryset(self) -> QuerySet:
        return Document.objects.visible_to(self.request.user).filter(project=self.get_project())

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if "project_id" in self.kwargs:
            context["project"] = self.get_project()
        return context

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Uploads a file to a project the user may edit; its type is checked by its
        content (400 on `file`)."""
        return super().create(request, *args, **kwargs)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Files (备案) the document or returns it with `return_reason`: the bureau only."""
        document = self.get_object()
        require(request.user, Action.DOCUMENT_FILE)
        payload = DocumentReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        document = services.document_review(
            document=document,
            user=request.user,
            status=payload.validated_data["status"],
            reason=payload.validated_data["return_reason"],
        )
        return Response(self.get_serializer(document).data)


class BlockerViewSet(ScopedViewSet):
    """Blockers of the projects the user sees, and those their unit must solve; whoever
    may edit the project records and updates them."""

    queryset = Blocker.objects.all()
    serializer_class = BlockerSerializer
    filterset_class = BlockerFilter

    def get_queryset(self) -> QuerySet:
        return selectors.blocker_list(self.request.user)


FUNDS_REQUEST = {
    "application/json": FundsRecordSerializer,
    "multipart/form-data": FundsRecordSerializer,
}
FUNDS_400 = OpenApiResponse(
    description="Field errors. An amount out of the ordinary is refused on `amount_wan` with "
    "the reasons: send it again with `confirm` true to accept it (the record is flagged)."
)
FUNDS_409 = OpenApiResponse(
    description='`{"detail"}`: the record changed since the `version` sent; reload it.'
)


@extend_schema_view(
    create=extend_schema(
        request=FUNDS_REQUEST, responses={201: FundsRecordSerializer, 400: FUNDS_400}
    ),
    update=extend_schema(
        request=FUNDS_REQUEST,
        responses={200: FundsRecordSerializer, 400: FUNDS_400, 409: FUNDS_409},
    ),
    partial_update=extend_schema(
        request=FUNDS_REQUEST,
        responses={200: FundsRecordSerializer, 400: FUNDS_400, 409: FUNDS_409},
    ),
)
class FundsRecordViewSet(ScopedViewSet):
    """Monthly funds in place (到位资金) and completed investment (完成投资) of the projects
    the user sees. The unit submits (JSON or multipart with `evidence`) and may change a
    submitted or returned record, sending back the `version` it read; the bureau verifies
    or returns it. A verified record never changes: a correction is a new record with
    `corrects` and the reason as its note."""

    queryset = FundsRecord.objects.all()
    serializer_class = FundsRecordSerializer
    filterset_class = FundsRecordFilter
    select_related = ("project", "project__unit", "submitted_by", "verified_by")

    def _decided(self, record: FundsRecord) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(request=None, responses={200: FundsRecordSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """The bureau verifies a record awaiting verification: from now on it counts."""
        record = self.get_object()
        services.funds_verify(record=record, user=request.user)
        return self._decided(record)

    @extend_schema(request=FundsRejectSerializer, responses={200: FundsRecordSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """The bureau returns a record awaiting verification to its unit with `reason`."""
        record = self.get_object()
        require(request.user, Action.FUNDS_VERIFY)
        payload = FundsRejectSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.funds_reject(
            record=record, user=request.user, reason=payload.validated_data["reason"]
        )
        return self._decided(record)


# --- The project library (项目库) ----------------------------------------------------------


class ReserveProjectViewSet(ScopedViewSet):
    """The project library's reserve projects (储备/策划项目): every user reads them; the unit
    that worked one out changes it (the bureau: any). Its status moves only through
    `move/`, and it becomes a lead through `lead/`."""

    queryset = ReserveProject.objects.all()
    serializer_class = ReserveProjectSerializer
    filterset_class = ReserveProjectFilter

    def _shown(self, reserve: ReserveProject) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=reserve.pk)).data)

    @extend_schema(request=ReserveMoveSerializer, responses=ReserveProjectSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Moves the reserve project: reserve → promoting → matched, or back a step."""
        reserve = self.get_object()
        payload = ReserveMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.reserve_move(reserve=reserve, user=request.user, to=payload.validated_data["to"])
        return self._shown(reserve)

    @extend_schema(
        request=LeadSerializer,
        responses={
            201: LeadSerializer,
            400: OpenApiResponse(
                PossibleDuplicatesSerializer,
                description="Field errors, or the possible duplicates in the county to confirm "
                "by sending the lead again with `confirm_duplicates`.",
            ),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def lead(self, request: Request, pk: str | None = None) -> Response:
        """The investor found becomes a lead (the fields of `/api/v1/leads/`, with
        `confirm_duplicates`), linked to the reserve project, which is then converted. The
        project name, industry, amount, requirements, notes and unit default to the
        reserve project's."""
        reserve = self.get_object()
        defaults = services.lead_from_reserve(reserve)
        data = {
            "project_name": defaults.project_name,
            "industry": defaults.industry_id,
            "estimated_amount_wan": defaults.estimated_amount_wan,
            "requirements": defaults.requirements,
            "notes": defaults.notes,
            "unit": defaults.unit_id,
            **{name: request.data[name] for name in request.data},
        }
        payload = LeadSerializer(data=data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        fields = dict(payload.validated_data)
        confirm = fields.pop("confirm_duplicates", False)
        try:
            lead = services.reserve_to_lead(
                reserve=reserve, user=request.user, data=fields, confirm_duplicates=confirm
            )
        except services.DuplicatesFound as found:
            raise PossibleDuplicates(found) from found
        return Response(
            LeadSerializer(lead, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(methods=["GET"], responses=ReserveMaterialSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ReserveMaterialUploadSerializer},
        responses={201: ReserveMaterialSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def materials(self, request: Request, pk: str | None = None) -> Response:
        """The reserve project's promotion materials; POST (multipart: `title`, `file`)
        uploads one, its type checked by its content (400 on `file`)."""
        reserve = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            materials = reserve.materials.select_related("uploaded_by").order_by("id")
            page = self.paginate_queryset(materials)
            data = ReserveMaterialSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        payload = ReserveMaterialUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        material = services.reserve_material_upload(
            reserve=reserve,
            user=request.user,
            file=payload.validated_data["file"],
            title=payload.validated_data["title"],
        )
        return Response(
            ReserveMaterialSerializer(material, context=context).data,
            status=status.HTTP_201_CREATED,
        )
