from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    BUSINESS_REFERRAL = "business_referral", _("Business referral (以商招商)")
    RESIDENT_TEAM = "resident_team", _("Resident team promotion")
    EVENT = "event", _("Fair or promotion event")
    HOMETOWN = "hometown", _("Hometown network (乡贤)")
    AGENT = "agent", _("Agent or commissioned promotion")
    ONLINE = "online", _("Online promotion")
    VISIT = "visit", _("Investor visit")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    FOLLOWING = "following", _("Following up")
    CONVERTED = "converted", _("Converted to project")
    DROPPED = "dropped", _("Dropped")


# Leads still waiting on someone: the response clock runs on them until their first follow-up.
OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.FOLLOWING)


class LeadClockColour(models.TextChoices):
    """The response clock of a new lead (首报首谈) not yet followed up."""

    AMBER = "amber", _("First follow-up overdue")
    RED = "red", _("First follow-up long overdue")


class FollowUpMethod(models.TextChoices):
    VISIT = "visit", _("Site visit")
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Started")
    CONSTRUCTING = "constructing", _("Under construction")
    COMPLETED = "completed", _("Completed")
    PRODUCING = "producing", _("In production")
    TERMINATED = "terminated", _("Terminated")


# The forward order of the stages (terminated stands outside it).
STAGE_ORDER = [
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.STARTED,
    Stage.CONSTRUCTING,
    Stage.COMPLETED,
    Stage.PRODUCING,
]
# Signed and later, not terminated: the projects that report funds.
LIVE_STAGES = STAGE_ORDER[1:]
# Started and later: the projects that report completed investment.
BUILDING_STAGES = STAGE_ORDER[2:]
# Stages whose arrival date is a field of the project.
STAGE_DATE_FIELD = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.PRODUCING: "producing_on",
}


class Origin(models.TextChoices):
    OUT_OF_CITY = "out_of_city", _("Outside the city")
    OUT_OF_PROVINCE = "out_of_province", _("Outside the province")
    FOREIGN = "foreign", _("Foreign")


class ProjectType(models.TextChoices):
    NEW = "new", _("New project")
    EXPANSION = "expansion", _("Expansion")


class Category(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    AGRICULTURAL = "agricultural", _("Agricultural")
    TOURISM = "tourism", _("Culture and tourism")
    COMMERCE = "commerce", _("Commerce and logistics")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    OTHER = "other", _("Other")


class SizeClass(models.TextChoices):
    HUNDRED_MILLION = "100m", _("≥ 100 million")
    FIFTY_MILLION = "50m", _("50–100 million")
    TEN_MILLION = "10m", _("10–50 million")
    ONE_MILLION = "1m", _("1–10 million")
    SMALL = "small", _("Under 1 million")


# Thresholds the bulletin reports beside the size classes (which 12510 counts, each class
# alone): "500万元以上重点工业项目" are industrial projects of at least 500万.
KEY_INDUSTRIAL_FLOOR_WAN = 500


class ReserveStatus(models.TextChoices):
    """Where a reserve project (储备/策划项目) of the project library stands."""

    RESERVE = "reserve", _("In reserve")
    PROMOTING = "promoting", _("Being promoted")
    MATCHED = "matched", _("Investor found")
    CONVERTED = "converted", _("Became a lead")


# Lower bound (万元) of each size class, largest first.
SIZE_CLASS_FLOORS = [
    (SizeClass.HUNDRED_MILLION, 10000),
    (SizeClass.FIFTY_MILLION, 5000),
    (SizeClass.TEN_MILLION, 1000),
    (SizeClass.ONE_MILLION, 100),
]


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    AGREEMENT = "agreement", _("Agreement")
    EVIDENCE = "evidence", _("Evidence")
    OTHER = "other", _("Other")


class FilingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting filing")
    FILED = "filed", _("Filed")
    RETURNED = "returned", _("Returned")


class BlockerCategory(models.TextChoices):
    LAND = "land", _("Land")
    ENVIRONMENT = "environment", _("Environmental assessment")
    FUNDING = "funding", _("Funding")
    UTILITIES = "utilities", _("Water, power and gas")
    APPROVAL = "approval", _("Approvals")
    LABOUR = "labour", _("Labour")
    OTHER = "other", _("Other")


class BlockerStatus(models.TextChoices):
    OPEN = "open", _("Unresolved")
    RESOLVED = "resolved", _("Resolved")


class DuplicateDecision(models.TextChoices):
    PENDING = "pending", _("To be decided")
    DISTINCT = "distinct", _("Distinct projects")
    SAME = "same", _("Same project (merged)")


class FundsKind(models.TextChoices):
    FUNDS = "funds", _("Funds in place")
    INVESTMENT = "investment", _("Completed investment")


class FundsStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Returned")
