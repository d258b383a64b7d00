from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views.OrderCreateView.as_view(), name="order_create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/answer/", views.OrderAnswerView.as_view(), name="order_answer"),
    path("orders/<int:pk>/close/", views.OrderCloseView.as_view(), name="order_close"),
    path("orders/<int:pk>/return/", views.OrderReturnView.as_view(), name="order_return"),
    path(
        "orders/raise/project/<int:pk>/",
        views.RaiseForProjectView.as_view(),
        name="raise_for_project",
    ),
    path(
        "orders/raise/blocker/<int:pk>/",
        views.RaiseForBlockerView.as_view(),
        name="raise_for_blocker",
    ),
]
