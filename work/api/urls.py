from django.urls import path
from rest_framework.routers import DefaultRouter

from work.api.views import NotificationViewSet, TodoView

router = DefaultRouter()
router.register("me/notifications", NotificationViewSet, basename="notification")

urlpatterns = [path("me/todo/", TodoView.as_view(), name="me-todo"), *router.urls]
