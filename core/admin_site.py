from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdmin:
    """The admin shows records; it changes none. Every change goes through the services
    behind the app's pages and API, which check who may and what the record needs (a stage
    date, a funds status or a schedule set here would skip them)."""

    actions: Any = ()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuperuserAdminSite(admin.AdminSite):
    site_header = _("Investment promotion platform: system administration")
    site_title = _("System administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Every model, the libraries' too, registered read-only (ReadOnlyAdmin)."""
        base = admin_class or admin.ModelAdmin
        read_only = type(f"ReadOnly{base.__name__}", (ReadOnlyAdmin, base), {})
        super().register(model_or_iterable, read_only, **options)
