from projects.models.funds import FundsRecord
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
    "FundsRecord",
    "Industry",
    "Lead",
    "Project",
    "StageChange",
]
