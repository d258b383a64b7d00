from rest_framework.routers import DefaultRouter

from teams.api.views import TeamViewSet, TripViewSet, UnitViewSet, UserViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")
router.register("trips", TripViewSet, basename="trip")

urlpatterns = router.urls
