"""The app's URLs and the floors' (bench only: bench.settings selects this module)."""

from django.urls import path

from bench.floors import floor_projects
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/floor/projects/", floor_projects, name="bench-floor-page"),
    path("api/bench/floor/projects/", floor_projects, name="bench-floor-api"),
    *app_urlpatterns,
]
