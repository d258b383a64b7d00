from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default = True

    def ready(self) -> None:
        from core import history  # noqa: F401  (who acts in a background job's history rows)


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """Django admin, open to superusers (system administrators) only."""

    default = False
    default_site = "core.admin_site.SuperuserAdminSite"
