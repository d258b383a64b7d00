from rest_framework.routers import DefaultRouter

from teams.api.views import TeamViewSet, UnitViewSet, UserViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")

urlpatterns = router.urls
