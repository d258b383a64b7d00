from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Leads and projects")

    def ready(self) -> None:
        from projects.views.projects import team_projects_section
        from teams.sections import register_team_section

        register_team_section(team_projects_section)
