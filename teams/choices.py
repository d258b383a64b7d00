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
