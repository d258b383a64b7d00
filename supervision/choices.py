from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    """What a supervision order is about."""

    PROJECT = "project", _("Project")
    BLOCKER = "blocker", _("Blocker")
    REPORT = "report", _("Missing report")
    OTHER = "other", _("Other")


class OrderLevel(models.TextChoices):
    """How far an order has escalated: a reminder, then a warning once overdue, then red
    once overdue again."""

    BLUE = "blue", _("Blue (reminder)")
    YELLOW = "yellow", _("Yellow (warning, overdue)")
    RED = "red", _("Red (overdue again)")


class OrderStatus(models.TextChoices):
    """Where an order stands: the unit answers it, the bureau closes it or returns it."""

    OPEN = "open", _("To be handled")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")


class AnswerDecision(models.TextChoices):
    """The bureau's decision on one answer of the unit."""

    PENDING = "pending", _("Awaiting the bureau")
    ACCEPTED = "accepted", _("Accepted, order closed")
    RETURNED = "returned", _("Returned")


# Orders the unit still has to answer: they escalate when overdue.
AWAITING_UNIT = (OrderStatus.OPEN, OrderStatus.RETURNED)
# Orders not closed yet.
LIVE_STATUSES = (OrderStatus.OPEN, OrderStatus.ANSWERED, OrderStatus.RETURNED)
