from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
    path("units/<int:pk>/active/", views.UnitSetActiveView.as_view(), name="unit_set_active"),
    path("accounts/", views.UserListView.as_view(), name="user_list"),
    path("accounts/new/", views.UserCreateView.as_view(), name="user_create"),
    path("accounts/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("accounts/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_update"),
    path("accounts/<int:pk>/active/", views.UserSetActiveView.as_view(), name="user_set_active"),
    path("accounts/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path(
        "accounts/<int:pk>/password/",
        views.UserPasswordResetView.as_view(),
        name="user_password_reset",
    ),
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamUpdateView.as_view(), name="team_update"),
]
