from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api.auth import ObtainTokenView
from core.files import protected_file
from core.options import select_options
from core.views import HomeView
from teams import views as team_views

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("core.api.urls")),
    path("", include("teams.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("trips.api.urls")),
    path("", include("events.api.urls")),
    path("", include("supervision.api.urls")),
    path("", include("targets.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("work.api.urls")),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", team_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", team_views.PasswordChangeView.as_view(), name="password_change"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("options/<str:key>/<str:field_name>/", select_options, name="select-options"),
    path("files/<str:kind>/<int:pk>/", login_not_required(protected_file), name="protected-file"),
    path("", include("teams.urls")),
    path("", include("projects.urls")),
    path("", include("trips.urls")),
    path("", include("events.urls")),
    path("", include("supervision.urls")),
    path("", include("ledgers.urls")),
    path("", include("targets.urls")),
    path("", include("reports.urls")),
    path("", include("work.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
