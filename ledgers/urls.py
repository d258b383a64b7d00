from django.urls import path

from ledgers import views

app_name = "ledgers"

urlpatterns = [
    path("ledgers/", views.LedgerListView.as_view(), name="list"),
    path("ledgers/template/<str:kind>/", views.LedgerTemplateView.as_view(), name="template"),
    path("ledgers/<int:pk>/", views.LedgerDetailView.as_view(), name="detail"),
    path("ledgers/<int:pk>/map/", views.LedgerMapView.as_view(), name="map"),
    path("ledgers/<int:pk>/confirm/", views.LedgerConfirmView.as_view(), name="confirm"),
]
