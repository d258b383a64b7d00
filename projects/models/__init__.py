from projects.models.funds import FundsRecord
from projects.models.leads import FollowUp, Industry, Lead, LeadClock
from projects.models.projects import (
    Blocker,
    Document,
    DuplicatePair,
    Project,
    StageChange,
)
from projects.models.reserve import ReserveMaterial, ReserveProject

__all__ = [
    "Blocker",
    "Document",
    "DuplicatePair",
    "FollowUp",
    "FundsRecord",
    "Industry",
    "Lead",
    "LeadClock",
    "Project",
    "ReserveMaterial",
    "ReserveProject",
    "StageChange",
]
