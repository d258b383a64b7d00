from rest_framework.routers import DefaultRouter

from teams.api.views import UnitViewSet, UserViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")

urlpatterns = router.urls
