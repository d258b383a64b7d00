from django.urls import path

from trips import views

app_name = "trips"

urlpatterns = [
    path("teams/performance/", views.TeamPerformanceView.as_view(), name="team_performance"),
    path("trips/", views.TripListView.as_view(), name="trip_list"),
    path("trips/new/", views.TripCreateView.as_view(), name="trip_create"),
    path("trips/quotas/", views.QuotaTableView.as_view(), name="quota_table"),
    path("trips/quotas/settings/", views.QuotaSettingsView.as_view(), name="quota_settings"),
    path("trips/<int:pk>/", views.TripDetailView.as_view(), name="trip_detail"),
    path("trips/<int:pk>/edit/", views.TripUpdateView.as_view(), name="trip_update"),
    path(
        "trips/<int:pk>/visits/<int:visit_pk>/lead/",
        views.TripLeadCreateView.as_view(),
        name="trip_lead_create",
    ),
]
