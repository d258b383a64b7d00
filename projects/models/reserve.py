"""The project library (项目库): reserve projects (储备/策划项目) a unit has worked out and
promotes before any investor is talking, with their promotion materials. A reserve
project moves 储备 → 推介中 → 已对接, and becomes a lead once an investor is found."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.files import protected_file_url
from core.models import TimeStampedModel
from core.policy import Action
from core.validators import not_negative
from projects.choices import ReserveStatus


class ReserveProjectQuerySet(ScopedQuerySet):
    """Every user reads the library (officers of any unit promote its projects); the unit
    that worked a project out changes it."""

    unit_path = "unit"
    public = True
    write_action = Action.RESERVE_EDIT


class ReserveProject(TimeStampedModel):
    """A reserve or planned project (储备/策划项目) of the project library."""

    name = models.CharField(_("project name"), max_length=200)
    industry = models.ForeignKey(
        "projects.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="reserve_projects",
    )
    total_investment_wan = models.DecimalField(
        _("total investment (万元)"), max_digits=14, decimal_places=2, validators=[not_negative]
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    summary = models.TextField(_("what it is"), blank=True)
    needs = models.TextField(
        _("what it needs"), blank=True, help_text=_("Land, partners, funding, technology …")
    )
    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="reserve_projects",
    )
    entered_on = models.DateField(_("worked out on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=20, choices=ReserveStatus.choices, default=ReserveStatus.RESERVE
    )
    lead = models.OneToOneField(
        "projects.Lead",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserve_project",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReserveProjectQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("reserve project history"))

    class Meta:
        verbose_name = _("reserve project")
        verbose_name_plural = _("reserve projects")
        ordering = ["-entered_on", "-id"]
        constraints = [
            FieldCheck(
                field="total_investment_wan",
                condition=Q(total_investment_wan__gte=0),
                name="reserve_investment_not_negative",
                violation_error_message=_("This cannot be negative."),
            ),
            FieldCheck(
                field="lead",
                condition=~Q(status=ReserveStatus.CONVERTED) | Q(lead__isnull=False),
                name="reserve_converted_has_lead",
                violation_error_message=_("A reserve project becomes a lead through its lead."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:reserve_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.entered_on and self.entered_on > timezone.localdate():
            raise ValidationError({"entered_on": _("The date cannot be in the future.")})


class ReserveMaterialQuerySet(ReserveProjectQuerySet):
    unit_path = "reserve__unit"


def material_path(material: ReserveMaterial, filename: str) -> str:
    return f"reserve/{material.reserve_id}/{filename}"


class ReserveMaterial(TimeStampedModel):
    """A promotion material of a reserve project (a brochure, a plan, a site map)."""

    reserve = models.ForeignKey(
        ReserveProject,
        verbose_name=_("reserve project"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("material title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    content_type = models.CharField(max_length=120, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReserveMaterialQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("material history"))

    class Meta:
        verbose_name = _("promotion material")
        verbose_name_plural = _("promotion materials")
        ordering = ["reserve", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]

    def get_absolute_url(self) -> str:
        return protected_file_url("reserve-material", self)
