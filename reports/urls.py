from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/monthly/", views.MonthlyListView.as_view(), name="monthly_list"),
    path("reports/monthly/build/", views.MonthlyBuildView.as_view(), name="monthly_build"),
    path("reports/monthly/<int:pk>/", views.MonthlyDetailView.as_view(), name="monthly_detail"),
    path(
        "reports/monthly/<int:pk>/xlsx/",
        views.MonthlyWorkbookView.as_view(),
        name="monthly_xlsx",
    ),
    path(
        "reports/monthly/<int:pk>/publish/",
        views.MonthlyPublishView.as_view(),
        name="monthly_publish",
    ),
    path("reports/jobs/<int:pk>/", views.JobView.as_view(), name="job"),
]
