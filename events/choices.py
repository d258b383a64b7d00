from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """The kinds of investment-promotion events (以会招商)."""

    FAIR = "fair", _("Investment fair (投洽会)")
    PROMOTION = "promotion", _("Promotion meeting (推介会)")
    SIGNING = "signing", _("Signing ceremony (签约仪式)")
    GROUND_BREAKING = "ground_breaking", _("Ground-breaking (集中开工)")
    TOUR = "tour", _("Project tour (项目观摩)")
    OTHER = "other", _("Other")
