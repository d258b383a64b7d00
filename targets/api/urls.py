from rest_framework.routers import DefaultRouter

from targets.api.views import TargetViewSet

router = DefaultRouter()
router.register("targets", TargetViewSet, basename="target")

urlpatterns = router.urls
