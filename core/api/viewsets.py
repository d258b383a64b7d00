from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.request import Request

from core.unchanged import kept_while_unchanged


class KeptListMixin:
    """A list answered again from the bytes of the last answer while the database has not
    changed (core.unchanged)."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return kept_while_unchanged(
            request, lambda: super(KeptListMixin, self).list(request, *args, **kwargs)
        )


class ScopedViewSet(
    KeptListMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change; never delete (records are deactivated or archived,
    so DELETE answers 405). Rows come from `visible_to(user)`."""

    select_related: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet:
        qs = self.queryset.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs


class ScopedReadOnlyViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    def get_queryset(self) -> QuerySet:
        return self.queryset.visible_to(self.request.user)
