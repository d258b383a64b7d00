"""`/api/v1/me/todo/`: the work queue the home page shows; `/api/v1/me/notifications/`:
one's own notifications, each marked read (`{id}/read/`) or all at once (`read-all/`).
Reading and marking one's own notifications is no change of the county's: a leader may."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import Notification
from core.notifications import mark_all_read, mark_read
from work.api.serializers import MarkedSerializer, NotificationSerializer, TodoItemSerializer
from work.selectors import todo_for


class TodoView(APIView):
    """The work queue of the user (work.selectors.todo_for), most urgent first."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(responses={200: TodoItemSerializer(many=True)})
    def get(self, request: Request) -> Response:
        items = [item.as_dict() for item in todo_for(request.user)]
        return Response(TodoItemSerializer(items, many=True).data)


@extend_schema(
    parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the unread ones")]
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """One's own notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()  # the schema's model; rows: get_queryset

    def get_queryset(self) -> Any:
        notifications = Notification.objects.of(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true", "True"):
            notifications = notifications.unread()
        return notifications

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        notification = mark_read(request.user, self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": mark_all_read(request.user)})
