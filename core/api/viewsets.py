from django.db.models import QuerySet
from rest_framework import mixins, viewsets


class ScopedViewSet(
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


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self) -> QuerySet:
        return self.queryset.visible_to(self.request.user)
