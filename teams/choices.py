from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    TOWNSHIP = "township", _("Township / subdistrict")
    DEPARTMENT = "department", _("County department")
    PARK = "park", _("Park / development zone")
    BUREAU = "bureau", _("Investment promotion bureau")


class TeamKind(models.TextChoices):
    RESIDENT = "resident", _("Resident team")
    GROUP = "group", _("Industry group")
