from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("industries/", views.IndustryListView.as_view(), name="industry_list"),
    path("industries/new/", views.IndustryCreateView.as_view(), name="industry_create"),
    path("industries/<int:pk>/edit/", views.IndustryUpdateView.as_view(), name="industry_update"),
    path("leads/", views.LeadListView.as_view(), name="lead_list"),
    path("leads/new/", views.LeadCreateView.as_view(), name="lead_create"),
    path("leads/duplicates/", views.LeadDuplicateCheckView.as_view(), name="lead_duplicates"),
    path("leads/<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("leads/<int:pk>/edit/", views.LeadUpdateView.as_view(), name="lead_update"),
    path("leads/<int:pk>/follow-up/", views.LeadFollowUpView.as_view(), name="lead_follow_up"),
    path("leads/<int:pk>/drop/", views.LeadDropView.as_view(), name="lead_drop"),
    path("leads/<int:pk>/convert/", views.LeadConvertView.as_view(), name="lead_convert"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/duplicates/", views.DuplicateListView.as_view(), name="duplicate_list"),
    path(
        "projects/duplicates/<int:pk>/decide/",
        views.DuplicateDecideView.as_view(),
        name="duplicate_decide",
    ),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<int:pk>/stage/", views.ProjectStageView.as_view(), name="project_stage"),
    path(
        "projects/<int:pk>/follow-up/",
        views.ProjectFollowUpView.as_view(),
        name="project_follow_up",
    ),
    path(
        "projects/<int:pk>/documents/",
        views.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        "projects/<int:pk>/documents/<int:document_pk>/review/",
        views.DocumentReviewView.as_view(),
        name="document_review",
    ),
    path("projects/<int:pk>/blockers/", views.BlockerCreateView.as_view(), name="blocker_create"),
    path("projects/<int:pk>/funds/", views.ProjectFundsEntryView.as_view(), name="project_funds"),
    path("funds/", views.FundsLedgerView.as_view(), name="funds_ledger"),
    path("funds/entry/", views.FundsEntryView.as_view(), name="funds_entry"),
    path("funds/queue/", views.FundsQueueView.as_view(), name="funds_queue"),
    path("funds/status/", views.FundsStatusView.as_view(), name="funds_status"),
    path("funds/verify/", views.FundsVerifyView.as_view(), name="funds_verify_many"),
    path("funds/<int:pk>/", views.FundsRecordDetailView.as_view(), name="funds_detail"),
    path("funds/<int:pk>/edit/", views.FundsRecordEditView.as_view(), name="funds_edit"),
    path("funds/<int:pk>/correct/", views.FundsCorrectionView.as_view(), name="funds_correct"),
    path("funds/<int:pk>/verify/", views.FundsVerifyView.as_view(), name="funds_verify"),
    path("funds/<int:pk>/reject/", views.FundsRejectView.as_view(), name="funds_reject"),
    path("blockers/", views.BlockerListView.as_view(), name="blocker_list"),
    path("blockers/<int:pk>/edit/", views.BlockerUpdateView.as_view(), name="blocker_update"),
]
