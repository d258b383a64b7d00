from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from targets.views import team_targets_section
        from teams.sections import register_team_section

        register_team_section(team_targets_section)
