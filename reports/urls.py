from django.urls import path

from reports.views import monthly

app_name = "reports"

urlpatterns = [
    path("reports/monthly/", monthly.MonthlyListView.as_view(), name="monthly_list"),
    path("reports/monthly/build/", monthly.MonthlyBuildView.as_view(), name="monthly_build"),
    path("reports/monthly/<int:pk>/", monthly.MonthlyDetailView.as_view(), name="monthly_detail"),
    path(
        "reports/monthly/<int:pk>/xlsx/",
        monthly.MonthlyWorkbookView.as_view(),
        name="monthly_xlsx",
    ),
    path(
        "reports/monthly/<int:pk>/publish/",
        monthly.MonthlyPublishView.as_view(),
        name="monthly_publish",
    ),
    path("reports/jobs/<int:pk>/", monthly.JobView.as_view(), name="job"),
]
