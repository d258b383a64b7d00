from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from core.files import register_protected_file
        from core.home import register_home_panel
        from supervision.models import SupervisionAnswer
        from supervision.views import red_orders_panel

        register_home_panel(red_orders_panel)
        register_protected_file(
            "order-evidence", SupervisionAnswer, "evidence", lambda a: a.evidence_type
        )
