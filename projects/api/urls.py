from django.urls import path
from rest_framework.routers import DefaultRouter

from projects.api.views import (
    BlockerViewSet,
    FundsRecordViewSet,
    IndustryViewSet,
    LeadViewSet,
    ProjectDocumentViewSet,
    ProjectViewSet,
    ReserveProjectViewSet,
)

router = DefaultRouter()
router.register("industries", IndustryViewSet, basename="industry")
router.register("leads", LeadViewSet, basename="lead")
router.register("projects", ProjectViewSet, basename="project")
router.register("blockers", BlockerViewSet, basename="blocker")
router.register("funds", FundsRecordViewSet, basename="funds-record")
router.register("reserve-projects", ReserveProjectViewSet, basename="reserve-project")

# Documents live under their project: /projects/{project_id}/documents/[{doc_id}/].
document_list = ProjectDocumentViewSet.as_view({"get": "list", "post": "create"})
document_detail = ProjectDocumentViewSet.as_view({"get": "retrieve", "patch": "partial_update"})

urlpatterns = [
    path("projects/<int:project_id>/documents/", document_list, name="project-document-list"),
    path(
        "projects/<int:project_id>/documents/<int:doc_id>/",
        document_detail,
        name="project-document-detail",
    ),
    *router.urls,
]
