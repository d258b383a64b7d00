from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo county (`manage.py seed_demo`): above every app, written through their
    services."""

    name = "demo"
    verbose_name = _("Demo data")
