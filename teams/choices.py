from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    TOWNSHIP = "township", _("Township / subdistrict")
    DEPARTMENT = "department", _("County department")
    PARK = "park", _("Park / development zone")
    BUREAU = "bureau", _("Investment promotion bureau")


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    BUREAU = "bureau", _("Bureau")
    LEADER = "leader", _("County leader")


class TeamKind(models.TextChoices):
    RESIDENT = "resident", _("Resident team")
    GROUP = "group", _("Industry group")


class QuotaScope(models.TextChoices):
    """Who a yearly trip quota applies to."""

    LEADER = "leader", _("Each county leader")
    TOWNSHIP = "township", _("Each township")
    DEPARTMENT = "department", _("Each county department")
    PARK = "park", _("Each park")
    TEAM = "team", _("Each team")
