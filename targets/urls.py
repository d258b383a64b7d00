from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("targets/", views.TargetGridView.as_view(), name="grid"),
    path("targets/copy/", views.TargetCopyView.as_view(), name="grid_copy"),
    path("targets/import/", views.TargetImportView.as_view(), name="grid_import"),
    path("targets/progress/", views.ProgressView.as_view(), name="progress"),
    path("targets/mine/", views.MyProgressView.as_view(), name="mine"),
]
