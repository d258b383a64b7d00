from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "work"
    verbose_name = _("Work queue")

    def ready(self) -> None:
        from core.home import register_home_panel
        from work.views import work_queue_panel

        register_home_panel(work_queue_panel)
