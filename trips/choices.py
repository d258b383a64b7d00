from django.db import models
from django.utils.translation import gettext_lazy as _


class QuotaScope(models.TextChoices):
    """Who a yearly trip quota applies to."""

    LEADER = "leader", _("Each county leader")
    TOWNSHIP = "township", _("Each township")
    DEPARTMENT = "department", _("Each county department")
    PARK = "park", _("Each park")
    TEAM = "team", _("Each team")


class TripStatus(models.TextChoices):
    """Where a trip's report stands (外出招商报告制): results are due 7 days after it ends."""

    PLAN = "plan", _("Planned")
    AWAITING = "awaiting", _("Awaiting results")
    OVERDUE = "overdue", _("Results overdue")
    REPORTED = "reported", _("Reported")


class QuotaStatus(models.TextChoices):
    """A trip count against its quota."""

    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    NO_QUOTA = "no_quota", _("No quota")
