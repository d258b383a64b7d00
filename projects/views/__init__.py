from projects.views.leads import (
    IndustryCreateView,
    IndustryListView,
    IndustryUpdateView,
    LeadConvertView,
    LeadCreateView,
    LeadDetailView,
    LeadDropView,
    LeadDuplicateCheckView,
    LeadFollowUpView,
    LeadListView,
    LeadUpdateView,
)
from projects.views.projects import (
    BlockerCreateView,
    BlockerListView,
    BlockerUpdateView,
    DocumentFileView,
    DocumentReviewView,
    DocumentUploadView,
    DuplicateDecideView,
    DuplicateListView,
    ProjectCreateView,
    ProjectDetailView,
    ProjectFollowUpView,
    ProjectListView,
    ProjectStageView,
    ProjectUpdateView,
)

__all__ = [
    "BlockerCreateView", "BlockerListView", "BlockerUpdateView", "DocumentFileView",
    "DocumentReviewView", "DocumentUploadView", "DuplicateDecideView", "DuplicateListView",
    "IndustryCreateView", "IndustryListView", "IndustryUpdateView", "LeadConvertView",
    "LeadCreateView", "LeadDetailView", "LeadDropView", "LeadDuplicateCheckView",
    "LeadFollowUpView", "LeadListView", "LeadUpdateView", "ProjectCreateView",
    "ProjectDetailView", "ProjectFollowUpView", "ProjectListView", "ProjectStageView",
    "ProjectUpdateView",
]
