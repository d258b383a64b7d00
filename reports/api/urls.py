from django.urls import path
from rest_framework.routers import DefaultRouter

from .annual import AnnualAssessmentViewSet
from .dashboard import DashboardSectionView, DashboardView
from .draws import DrawViewSet
from .halfyear import FindingViewSet, HalfYearInspectionViewSet
from .quarterly import QuarterlyReviewViewSet
from .views import MonthlyBulletinViewSet

router = DefaultRouter()
router.register("reports/monthly", MonthlyBulletinViewSet, basename="report-monthly")
router.register("reports/quarterly", QuarterlyReviewViewSet, basename="report-quarterly")
router.register("reports/draws", DrawViewSet, basename="report-draw")
router.register("reports/inspections", HalfYearInspectionViewSet, basename="report-inspection")
router.register("reports/inspection-findings", FindingViewSet, basename="report-inspection-finding")
router.register("reports/assessments", AnnualAssessmentViewSet, basename="report-assessment")

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    path("dashboard/<str:section>/", DashboardSectionView.as_view(), name="api-dashboard-section"),
    *router.urls,
]
