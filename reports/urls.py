from django.urls import path

from reports.views import dashboard, draws, monthly, quarterly
from reports.views import schedule as schedule_views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
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
    path("reports/quarterly/", quarterly.QuarterlyListView.as_view(), name="quarterly_list"),
    path(
        "reports/quarterly/build/",
        quarterly.QuarterlyBuildView.as_view(),
        name="quarterly_build",
    ),
    path(
        "reports/quarterly/<int:pk>/",
        quarterly.QuarterlyDetailView.as_view(),
        name="quarterly_detail",
    ),
    path(
        "reports/quarterly/<int:pk>/xlsx/",
        quarterly.QuarterlyWorkbookView.as_view(),
        name="quarterly_xlsx",
    ),
    path(
        "reports/quarterly/<int:pk>/publish/",
        quarterly.QuarterlyPublishView.as_view(),
        name="quarterly_publish",
    ),
    path("reports/weights/", quarterly.WeightsView.as_view(), name="weights"),
    path("reports/schedule/", schedule_views.ScheduleView.as_view(), name="schedule"),
    path("reports/draws/", draws.DrawListView.as_view(), name="draw_list"),
    path("reports/draws/make/", draws.DrawMakeView.as_view(), name="draw_make"),
    path("reports/draws/<int:pk>/", draws.DrawDetailView.as_view(), name="draw_detail"),
    path(
        "reports/inspections/<int:pk>/",
        draws.InspectionDetailView.as_view(),
        name="inspection_detail",
    ),
    path(
        "reports/inspections/<int:pk>/record/",
        draws.InspectionRecordView.as_view(),
        name="inspection_record",
    ),
    path(
        "reports/inspections/<int:pk>/photos/",
        draws.InspectionPhotoAddView.as_view(),
        name="inspection_photo_add",
    ),
]
