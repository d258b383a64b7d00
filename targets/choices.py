from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    FUNDS = "funds", _("Funds in place (万元)")
    CONTRACT_AMOUNT = "contract_amount", _("Contract amount signed (万元)")
    PROJECTS_SIGNED = "projects_signed", _("Projects signed")
    PROJECTS_STARTED = "projects_started", _("Projects started")
    FOREIGN_FUNDS = "foreign_funds", _("Foreign funds (万美元)")
    INDUSTRIAL_FUNDS = "industrial_funds", _("Industrial funds (万元)")
    INVESTMENT = "investment", _("Completed investment (万元)")
    SIZE_100M = "size_100m", _("Signed ≥ 100 million")
    SIZE_50M = "size_50m", _("Signed 50–100 million")
    SIZE_10M = "size_10m", _("Signed 10–50 million")
    SIZE_1M = "size_1m", _("Signed 1–10 million")
    LEADS = "leads", _("Leads")
    TRIPS = "trips", _("Trips")


# The yearly "12510" goal (1 project of 亿元以上, 2 of 5000万–1亿, 5 of 1000–5000万, 10 of
# 100–1000万): the least the county asks for when no size target is set.
TWELVE_FIVE_TEN = {Metric.SIZE_100M: 1, Metric.SIZE_50M: 2, Metric.SIZE_10M: 5, Metric.SIZE_1M: 10}


class OwnerKind(models.TextChoices):
    COUNTY = "county", _("County")
    UNIT = "unit", _("Unit")
    TEAM = "team", _("Team")
    PERSON = "person", _("Person")


class Pace(models.TextChoices):
    AHEAD = "ahead", _("Ahead")
    ON_PACE = "on_pace", _("On pace")
    BEHIND = "behind", _("Behind")
    BLANK = "blank", _("Blank")
    NO_TARGET = "no_target", _("No target")
