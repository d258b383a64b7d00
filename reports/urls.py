from django.urls import path

from reports.views import annual, dashboard, draws, freshness, halfyear, monthly, quarterly
from reports.views import schedule as schedule_views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("reports/freshness/", freshness.FreshnessView.as_view(), name="freshness"),
    path("reports/freshness/card/", freshness.FreshnessCardView.as_view(), name="freshness_card"),
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
    # The year-end assessment (年终一考核)
    path("reports/assessments/", annual.AnnualListView.as_view(), name="annual_list"),
    path("reports/assessments/build/", annual.AnnualBuildView.as_view(), name="annual_build"),
    path("reports/assessments/<int:pk>/", annual.AnnualDetailView.as_view(), name="annual_detail"),
    path(
        "reports/assessments/<int:pk>/units/<int:unit_id>/",
        annual.AnnualUnitView.as_view(),
        name="annual_unit",
    ),
    path(
        "reports/assessments/<int:pk>/xlsx/",
        annual.AnnualWorkbookView.as_view(),
        name="annual_xlsx",
    ),
    path(
        "reports/assessments/<int:pk>/publish/",
        annual.AnnualPublishView.as_view(),
        name="annual_publish",
    ),
    path(
        "reports/assessments/schemes/<int:year>/",
        annual.SchemeView.as_view(),
        name="annual_scheme",
    ),
    path(
        "reports/assessments/schemes/<int:year>/manual/",
        annual.ManualListView.as_view(),
        name="annual_manual",
    ),
    path(
        "reports/assessments/manual/<int:pk>/",
        annual.ManualEditView.as_view(),
        name="annual_manual_edit",
    ),
    path(
        "reports/assessments/manual/<int:pk>/remove/",
        annual.ManualRemoveView.as_view(),
        name="annual_manual_remove",
    ),
    # The half-year inspection (半年一督查)
    path("reports/half-year/", halfyear.HalfYearListView.as_view(), name="halfyear_list"),
    path(
        "reports/half-year/create/",
        halfyear.HalfYearCreateView.as_view(),
        name="halfyear_create",
    ),
    path(
        "reports/half-year/<int:pk>/",
        halfyear.HalfYearDetailView.as_view(),
        name="halfyear_detail",
    ),
    path(
        "reports/half-year/<int:pk>/checklist/",
        halfyear.HalfYearChecklistView.as_view(),
        name="halfyear_checklist",
    ),
    path(
        "reports/half-year/<int:pk>/units/drawn/",
        halfyear.HalfYearUnitsDrawnView.as_view(),
        name="halfyear_units_drawn",
    ),
    path(
        "reports/half-year/<int:pk>/units/chosen/",
        halfyear.HalfYearUnitsChosenView.as_view(),
        name="halfyear_units_chosen",
    ),
    path(
        "reports/half-year/<int:pk>/publish/",
        halfyear.HalfYearPublishView.as_view(),
        name="halfyear_publish",
    ),
    path(
        "reports/half-year/<int:pk>/xlsx/",
        halfyear.HalfYearWorkbookView.as_view(),
        name="halfyear_xlsx",
    ),
    path(
        "reports/half-year/units/<int:pk>/",
        halfyear.InspectedUnitDetailView.as_view(),
        name="halfyear_unit",
    ),
    path(
        "reports/half-year/units/<int:pk>/report/",
        halfyear.InspectedUnitReportView.as_view(),
        name="halfyear_unit_report",
    ),
    path(
        "reports/half-year/units/<int:pk>/findings/",
        halfyear.FindingRecordView.as_view(),
        name="halfyear_finding_record",
    ),
    path(
        "reports/half-year/findings/<int:pk>/",
        halfyear.FindingDetailView.as_view(),
        name="halfyear_finding",
    ),
    path(
        "reports/half-year/findings/<int:pk>/rectify/",
        halfyear.RectificationReportView.as_view(),
        name="halfyear_rectify",
    ),
    path(
        "reports/half-year/findings/<int:pk>/decide/",
        halfyear.RectificationDecideView.as_view(),
        name="halfyear_decide",
    ),
]
