"""Supervision orders over REST. Rows come from supervision.selectors.order_list (core.access
scoping: the bureau and leaders all, a unit its own); writes go through
supervision.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.viewsets import KeptListMixin
from core.policy import Action, may_change_anything, require
from supervision import selectors, services
from supervision.api.serializers import (
    AnswerRequestSerializer,
    OrderSerializer,
    ReturnRequestSerializer,
)
from supervision.filters import OrderFilter
from supervision.models import SupervisionAnswer, SupervisionOrder


class OrderAccess(BasePermission):
    """Logged in to read what `visible_to` gives; a write by anyone who may change
    anything (a leader: 403 whatever the endpoint), then each action asks the policy for
    its own action (the unit answers an order the bureau alone may issue)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or may_change_anything(user)


@extend_schema_view(
    create=extend_schema(
        description="The bureau issues an order to a unit; others answer 403. The subject "
        "must match `subject_kind` and be the unit's: a project of the unit, a blocker it "
        "solves, the month of a missing report."
    )
)
class OrderViewSet(
    KeptListMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Supervision orders (督办单) the user sees: the bureau and leaders all, a unit the
    orders issued to it. Each has a `level` (`blue` reminder, `yellow` overdue, `red`
    overdue again) and a `status` (`open`, `answered`, `returned`, `closed`) and its
    thread of `answers`. An order is never changed or deleted (PATCH, PUT and DELETE
    answer 405): it moves by `answer/`, `close/` and `return/`."""

    queryset = SupervisionOrder.objects.all()
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    permission_classes = [OrderAccess]

    def get_queryset(self) -> QuerySet:
        answers = SupervisionAnswer.objects.order_by("answered_at", "id")
        return selectors.order_list(self.request.user).prefetch_related(
            Prefetch("answers", queryset=answers)
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request.user, Action.ORDER_ISSUE)  # before the payload is read
        return super().create(request, *args, **kwargs)

    def _shown(self, order: SupervisionOrder) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=AnswerRequestSerializer, responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """The unit's officer or head answers an order of their unit (open or returned):
        multipart with `text` and the `evidence` file."""
        order = self.get_object()
        require(request.user, Action.ORDER_ANSWER)
        payload = AnswerRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.order_answer(
            user=request.user,
            order=order,
            text=payload.validated_data["text"],
            evidence=payload.validated_data["evidence"],
        )
        return self._shown(order)

    @extend_schema(request=None, responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request: Request, pk: str | None = None) -> Response:
        """The bureau accepts the answer and closes an answered order."""
        order = self.get_object()
        services.order_close(user=request.user, order=order)
        return self._shown(order)

    @extend_schema(request=ReturnRequestSerializer, responses={200: OrderSerializer})
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None
    )
    def return_answer(self, request: Request, pk: str | None = None) -> Response:
        """The bureau returns the answer of an answered order with `reason`: the unit
        answers again."""
        order = self.get_object()
        require(request.user, Action.ORDER_CLOSE)
        payload = ReturnRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.order_return(
            user=request.user, order=order, reason=payload.validated_data["reason"]
        )
        return self._shown(order)
