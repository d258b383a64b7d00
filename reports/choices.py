from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly bulletin")
    QUARTERLY = "quarterly", _("Quarterly review")
    ANNUAL = "annual", _("Year-end assessment")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ScoreComponent(models.TextChoices):
    """The parts of the quarterly review's score (一季一调度), each weighted by the bureau."""

    FUNDS = "funds", _("Funds in place against time progress")
    CONTRACT_AMOUNT = "contract_amount", _("Contract amount against time progress")
    PROJECTS_SIGNED = "projects_signed", _("Projects signed against time progress")
    PROJECTS_STARTED = "projects_started", _("Projects started against time progress")
    INVESTMENT = "investment", _("Completed investment against time progress")
    TRIPS = "trips", _("Trips against quota")
    SIGNING_RATE = "signing_rate", _("Signing rate")
    START_RATE = "start_rate", _("Start rate")
    ON_TIME_RATE = "on_time_rate", _("On-time start rate")
    FUNDS_RATE = "funds_rate", _("Funds rate")


# The weights (points of 100) until the bureau changes them.
DEFAULT_WEIGHTS = {
    ScoreComponent.FUNDS: 30,
    ScoreComponent.CONTRACT_AMOUNT: 10,
    ScoreComponent.PROJECTS_SIGNED: 15,
    ScoreComponent.PROJECTS_STARTED: 15,
    # Completed investment counts once the bureau weighs it: a review already published
    # keeps the score it had.
    ScoreComponent.INVESTMENT: 0,
    ScoreComponent.TRIPS: 10,
    ScoreComponent.SIGNING_RATE: 5,
    ScoreComponent.START_RATE: 5,
    ScoreComponent.ON_TIME_RATE: 5,
    ScoreComponent.FUNDS_RATE: 5,
}


class DrawKind(models.TextChoices):
    """两随机一公开: units drawn to report, projects drawn for an on-site check."""

    UNITS = "units", _("Units to report")
    PROJECTS = "projects", _("Projects to inspect on site")


class InspectionStatus(models.TextChoices):
    PENDING = "pending", _("Not inspected yet")
    DONE = "done", _("Inspected")


class UnitGroup(models.TextChoices):
    """The bulletin's groups of units, in its order."""

    TOWNSHIP = "township", _("Townships")
    PARK = "park", _("Parks")
    DEPARTMENT = "department", _("Departments")


class StallReason(models.TextChoices):
    """Why a project stalls (DOMAIN.md "Stalls"), as the reports print it."""

    NEGOTIATION = "negotiation", _("no progress in negotiation")
    START = "start", _("agreed start date passed")
    KEY = "key", _("key project idle")


class RedReason(models.TextChoices):
    """Why a unit is on the red list (黑榜); the label takes the reason's size."""

    BLANK = "blank", _("no project signed this year")
    BEHIND = "behind", _("behind time progress by %(by)s")
    STALLED = "stalled", _("%(count)s stalled projects")
    OVERDUE_BLOCKERS = "overdue_blockers", _("%(count)s overdue blockers")
    OVERDUE_ORDERS = "overdue_orders", _("%(count)s overdue supervision orders")


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """A stored value's label; the value itself if the choices no longer know it."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Half(models.IntegerChoices):
    """The halves of a year (半年一督查): the first covers quarters 1 and 2."""

    FIRST = 1, _("First half")
    SECOND = 2, _("Second half")


def half_quarters(half: int) -> tuple[int, int]:
    """The quarters of a half: (1, 2) or (3, 4)."""
    return (2 * half - 1, 2 * half)


class InspectedUnitSource(models.TextChoices):
    """How a unit came into a half-year inspection."""

    DRAWN = "drawn", _("Drawn at random")
    CHOSEN = "chosen", _("Chosen by the bureau")


class ReportOutcome(models.TextChoices):
    """The bureau's judgement of a unit's report (述职)."""

    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class FindingStatus(models.TextChoices):
    """Where a finding's rectification stands. A finding without a deadline needs none;
    the others are open until the bureau confirms their rectification."""

    NO_ACTION = "no_action", _("No rectification needed")
    OPEN = "open", _("To rectify")
    REPORTED = "reported", _("Rectification reported")
    RECTIFIED = "rectified", _("Rectified")


OPEN_FINDING_STATUSES = (FindingStatus.OPEN, FindingStatus.REPORTED)


class RectificationStatus(models.TextChoices):
    REPORTED = "reported", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned")


# --- The year-end assessment (年终一考核) ---------------------------------------------------------


class IndicatorMetric(models.TextChoices):
    """What an indicator of the year-end assessment measures: the system's own figures, read
    from the selectors the bulletin and the review use (reports.selectors.annual)."""

    FUNDS = "funds", _("Funds in place")
    CONTRACT_AMOUNT = "contract_amount", _("Contract amount signed")
    PROJECTS_SIGNED = "projects_signed", _("Projects signed")
    SIZE_12510 = "size_12510", _("12510 projects signed")
    PROJECTS_STARTED = "projects_started", _("Projects started")
    INVESTMENT = "investment", _("Completed investment")
    TRIPS = "trips", _("Trips against quota")
    LEADS = "leads", _("Leads")
    SIGNING_RATE = "signing_rate", _("Signing rate")
    START_RATE = "start_rate", _("Start rate")
    ON_TIME_RATE = "on_time_rate", _("On-time start rate")
    FUNDS_RATE = "funds_rate", _("Funds rate")


# The indicators that are rates: their value is the rate itself, against 100%.
RATE_INDICATORS = (
    IndicatorMetric.SIGNING_RATE,
    IndicatorMetric.START_RATE,
    IndicatorMetric.ON_TIME_RATE,
    IndicatorMetric.FUNDS_RATE,
)
# The indicators counted in projects, trips or leads (the others are amounts or rates).
COUNTED_INDICATORS = (
    IndicatorMetric.PROJECTS_SIGNED,
    IndicatorMetric.SIZE_12510,
    IndicatorMetric.PROJECTS_STARTED,
    IndicatorMetric.TRIPS,
    IndicatorMetric.LEADS,
)


class ScoringMethod(models.TextChoices):
    """How an indicator turns a unit's figure into points."""

    RATIO = "ratio", _("Ratio to target, capped")
    EFFICACY = "efficacy", _("Efficacy coefficient (功效系数法)")


class AdjustmentItem(models.TextChoices):
    """The bonus and deduction items of the year-end assessment, counted from the database."""

    OVER_100M = "over_100m", _("Projects of 100 million yuan or more signed")
    FOREIGN = "foreign", _("Foreign-funded projects signed")
    YELLOW_ORDERS = "yellow_orders", _("Supervision orders overdue (yellow)")
    RED_ORDERS = "red_orders", _("Supervision orders overdue again (red)")
    UNRECTIFIED_FINDINGS = "unrectified_findings", _("Inspection findings not rectified in time")
    FLAGGED_FIGURES = "flagged_figures", _("Figures flagged on entry")


BONUS_ITEMS = (AdjustmentItem.OVER_100M, AdjustmentItem.FOREIGN)
DEDUCTION_ITEMS = (
    AdjustmentItem.YELLOW_ORDERS,
    AdjustmentItem.RED_ORDERS,
    AdjustmentItem.UNRECTIFIED_FINDINGS,
    AdjustmentItem.FLAGGED_FIGURES,
)


class GradeMethod(models.TextChoices):
    """How the grades are given: by the score's thresholds, or by shares of each group."""

    THRESHOLDS = "thresholds", _("By score thresholds")
    SHARES = "shares", _("By shares of each group")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", pgettext_lazy("assessment grade", "Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
