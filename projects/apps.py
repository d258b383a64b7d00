from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Leads and projects")

    def ready(self) -> None:
        from core.files import register_protected_file
        from projects.models import Document, FundsRecord, ReserveMaterial
        from projects.views.projects import team_projects_section
        from teams.sections import register_team_section

        register_team_section(team_projects_section)
        register_protected_file("document", Document, "file", lambda d: d.content_type)
        register_protected_file("evidence", FundsRecord, "evidence", lambda r: r.evidence_type)
        register_protected_file(
            "reserve-material", ReserveMaterial, "file", lambda m: m.content_type
        )
