from projects.models.leads import FollowUp, Industry, Lead
from projects.models.projects import (
    Blocker,
    Document,
    DuplicatePair,
    Project,
    StageChange,
)

__all__ = [
    "Blocker",
    "Document",
    "DuplicatePair",
    "FollowUp",
    "Industry",
    "Lead",
    "Project",
    "StageChange",
]
