"""The app's URLs and the floors' (bench only: bench.settings selects this module)."""

from django.urls import path

from bench.floors import floor_dashboard, floor_list, floor_project, floor_projects
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/floor/projects/", floor_projects, name="bench-floor-page"),
    path("api/bench/floor/projects/", floor_projects, name="bench-floor-api"),
    # issue 20: the lists of the mixed sequence, a project's page, the dashboard
    path("bench/floor/list/<str:kind>/", floor_list, name="bench-floor-list"),
    path("api/bench/floor/list/<str:kind>/", floor_list, name="bench-floor-list-api"),
    path("bench/floor/record/<int:pk>/", floor_project, name="bench-floor-record"),
    path("bench/floor/dashboard/", floor_dashboard, name="bench-floor-dashboard"),
    path("api/bench/floor/dashboard/", floor_dashboard, name="bench-floor-dashboard-api"),
    *app_urlpatterns,
]
