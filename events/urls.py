from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_update"),
    path("events/<int:pk>/quotas/", views.EventQuotaView.as_view(), name="event_quota_set"),
    path("events/<int:pk>/signings/", views.EventSigningView.as_view(), name="event_signing"),
    path(
        "events/<int:pk>/signings/<int:record_pk>/remove/",
        views.EventSigningRemoveView.as_view(),
        name="event_signing_remove",
    ),
    path("events/<int:pk>/starts/", views.EventStartView.as_view(), name="event_start"),
    path(
        "events/<int:pk>/starts/<int:record_pk>/remove/",
        views.EventStartRemoveView.as_view(),
        name="event_start_remove",
    ),
    path("events/<int:pk>/leads/", views.EventLeadView.as_view(), name="event_lead"),
    path("events/<int:pk>/invitations/", views.EventInvitationView.as_view(), name="event_invite"),
]
