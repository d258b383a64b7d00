from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.policy import may_change_anything

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ScopedAccess(BasePermission):
    """The API's face of core.access: logged in to read what `visible_to` gives (others
    are 404 because the queryset does not hold them); to write, `creatable_by` for
    new rows and `editable_by` for existing ones, else 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        if not may_change_anything(user):
            return False  # a leader: 403, whatever the endpoint
        if request.method not in view.allowed_methods:
            return True  # answered 405 next
        queryset = getattr(view, "queryset", None)
        if queryset is None and hasattr(view, "get_queryset"):
            queryset = view.get_queryset()
        if queryset is None:
            return True
        return queryset.all().creatable_by(user)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        manager = type(obj)._default_manager
        return manager.editable_by(request.user).filter(pk=obj.pk).exists()
