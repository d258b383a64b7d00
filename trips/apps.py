from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "trips"
    verbose_name = _("Trips")

    def ready(self) -> None:
        from teams.sections import register_team_section
        from trips.views import team_trips_section

        register_team_section(team_trips_section)
