"""Events over REST: every signed-in user reads every event and its figures; the bureau
creates and changes events and sets quotas (`quotas/`); unit staff record their own
unit's projects signed (`signings/`) and started (`starts/`) at an event. Writes go
through events.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.viewsets import ScopedViewSet
from core.policy import Action, may
from events import selectors, services
from events.api.serializers import (
    EventQuotaSerializer,
    EventSerializer,
    EventSigningSerializer,
    EventStartSerializer,
)
from events.filters import EventFilter
from events.models import Event, EventQuota


class RecordAtEvent(BasePermission):
    """A unit's record at an event: any signed-in user reads; writing needs
    `event.record` (leaders: 403). Whose project it may be is the service's to say."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or may(user, Action.EVENT_RECORD)


def with_related(events: QuerySet) -> QuerySet:
    quotas = EventQuota.objects.order_by("unit__sort_order", "unit__code")
    return events.prefetch_related(Prefetch("quotas", queryset=quotas))


class EventViewSet(ScopedViewSet):
    """Investment-promotion events (以会招商), filtered by `year`, `kind` and `unit` (the
    organiser), with their figures."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet:
        return with_related(selectors.event_list(self.request.user))

    def _refetched(self, event: Event) -> Event:
        return self.get_queryset().get(pk=event.pk)

    def perform_create(self, serializer: EventSerializer) -> None:
        serializer.instance = self._refetched(serializer.save())

    def perform_update(self, serializer: EventSerializer) -> None:
        serializer.instance = self._refetched(serializer.save())

    @extend_schema(request=EventQuotaSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def quotas(self, request: Request, pk: str | None = None) -> Response:
        """Sets a unit's signing quota at the event (the bureau's); 0 takes part without one."""
        event = self.get_object()
        payload = EventQuotaSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.event_quota_set(event=event, user=request.user, **payload.validated_data)
        return Response(self.get_serializer(self._refetched(event)).data)

    def _event(self) -> Event:
        """The event of a record: every user sees it (404 for an unknown id)."""
        return super().get_object()

    @extend_schema(methods=["GET"], responses=EventSigningSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=EventSigningSerializer, responses={201: EventSigningSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        permission_classes=[RecordAtEvent],
    )
    def signings(self, request: Request, pk: str | None = None) -> Response:
        """The event's signings the user may see; POST records one of the user's unit's
        projects (`project`, `signed_on`, `note`)."""
        event = self._event()
        context = self.get_serializer_context()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.event_signings(event, request.user))
            data = EventSigningSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        payload = EventSigningSerializer(data=request.data, context=context)
        payload.is_valid(raise_exception=True)
        signing = services.event_signing_record(
            event=event, user=request.user, **payload.validated_data
        )
        shown = selectors.event_signings(event, request.user).get(pk=signing.pk)
        return Response(
            EventSigningSerializer(shown, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(methods=["GET"], responses=EventStartSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=EventStartSerializer, responses={201: EventStartSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        permission_classes=[RecordAtEvent],
    )
    def starts(self, request: Request, pk: str | None = None) -> Response:
        """The projects the user may see started at the event; POST records one of the
        user's unit's started projects (`project`) at a ground-breaking."""
        event = self._event()
        context = self.get_serializer_context()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.event_starts(event, request.user))
            data = EventStartSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        payload = EventStartSerializer(data=request.data, context=context)
        payload.is_valid(raise_exception=True)
        start = services.event_start_record(
            event=event, user=request.user, project=payload.validated_data["project"]
        )
        return Response(
            EventStartSerializer(start, context=context).data, status=status.HTTP_201_CREATED
        )
