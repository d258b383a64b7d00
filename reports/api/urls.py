from rest_framework.routers import DefaultRouter

from .views import MonthlyBulletinViewSet

router = DefaultRouter()
router.register("reports/monthly", MonthlyBulletinViewSet, basename="report-monthly")

urlpatterns = router.urls
