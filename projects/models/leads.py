from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.models import ChoiceLabelsModel, TimeStampedModel
from core.policy import Action
from core.validators import not_negative, phone_digits, validate_chinese_phone
from projects.choices import (
    OPEN_LEAD_STATUSES,
    FollowUpMethod,
    LeadClockColour,
    LeadSource,
    LeadStatus,
)
from projects.matching import company_key


class IndustryQuerySet(ScopedQuerySet):
    unit_path = None
    public = True
    write_action = Action.INDUSTRY_MANAGE

    def chains(self) -> IndustryQuerySet:
        return self.filter(parent__isnull=True)


def industry_label(chain: str | None, name: str) -> str:
    """An industry as lists show it: "chain · segment", or a chain alone."""
    return f"{chain} · {name}" if chain else name


class Industry(TimeStampedModel):
    """An industry chain (产业链) or, with a parent, a segment of one."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("Another industry already uses this code.")},
    )
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("industry chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="segments",
        limit_choices_to={"parent__isnull": True},
    )
    is_leading = models.BooleanField(_("leading industry"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = IndustryQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("industry history"))

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return industry_label(self.parent.name if self.parent_id else None, self.name)

    def get_absolute_url(self) -> str:
        return reverse("projects:industry_update", args=[self.pk])

    def clean(self) -> None:

        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A segment belongs to a chain, not to a segment.")})


class LeadQuerySet(ScopedQuerySet):
    unit_path = "unit"
    write_action = Action.LEAD_EDIT

    def with_clock(self, today: date, clock: LeadClock | None = None) -> LeadQuerySet:
        """Annotates the response clock (首报首谈): `first_follow_up_on`, the date of the
        lead's first follow-up, and `clock` (LeadClockColour, or "" when it does not run):
        an open lead with no follow-up yet, received more than the clock's amber days ago,
        is amber; more than its red days ago, red. In the database: one query, whatever
        the rows (the clock's settings are read before, once)."""
        clock = clock or LeadClock.current()
        first = (
            FollowUp.objects.filter(lead=OuterRef("pk"))
            .order_by("happened_on")
            .values("happened_on")[:1]
        )
        waiting = models.Q(status__in=OPEN_LEAD_STATUSES, first_follow_up_on__isnull=True)
        return self.annotate(
            first_follow_up_on=Subquery(first, output_field=models.DateField())
        ).annotate(
            clock=models.Case(
                models.When(
                    waiting & models.Q(received_on__lt=today - timedelta(days=clock.red_days)),
                    then=models.Value(LeadClockColour.RED.value),
                ),
                models.When(
                    waiting & models.Q(received_on__lt=today - timedelta(days=clock.amber_days)),
                    then=models.Value(LeadClockColour.AMBER.value),
                ),
                default=models.Value(""),
                output_field=models.CharField(max_length=10),
            )
        )


class Lead(TimeStampedModel):
    """A piece of information about a possible investor (招商线索)."""

    company_name = models.CharField(_("investing company"), max_length=200)
    company_key = models.CharField(max_length=200, editable=False, db_index=True)
    contact_name = models.CharField(_("legal representative or key person"), max_length=50)
    contact_title = models.CharField(_("title"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, validators=[validate_chinese_phone])
    phone_key = models.CharField(max_length=20, editable=False, db_index=True)
    current_products = models.CharField(_("current products"), max_length=200, blank=True)
    project_name = models.CharField(_("proposed project"), max_length=200)
    planned_products = models.CharField(_("planned products"), max_length=200, blank=True)
    scale = models.CharField(_("scale"), max_length=200, blank=True)
    period = models.CharField(_("construction period"), max_length=100, blank=True)
    requirements = models.TextField(_("requirements (land, power, water)"), blank=True)
    estimated_amount_wan = models.DecimalField(
        _("estimated amount (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
    )
    industry = models.ForeignKey(
        "projects.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="leads",
    )
    source = models.CharField(
        _("source"), max_length=30, choices=LeadSource.choices, default=LeadSource.OTHER
    )
    unit = models.ForeignKey(
        "teams.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="leads"
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("provided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provided_leads",
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    drop_reason = models.CharField(_("reason for dropping"), max_length=200, blank=True)
    possible_duplicates = models.ManyToManyField(
        "self",
        verbose_name=_("possible duplicates"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = LeadQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("lead history"), excluded_fields=["company_key", "phone_key"]
    )

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["received_on"])]
        constraints = [
            FieldCheck(
                field="drop_reason",
                condition=~models.Q(status=LeadStatus.DROPPED) | ~models.Q(drop_reason=""),
                name="lead_dropped_has_reason",
                violation_error_message=_("A dropped lead needs a reason."),
            ),
            FieldCheck(
                field="estimated_amount_wan",
                condition=models.Q(estimated_amount_wan__gte=0)
                | models.Q(estimated_amount_wan__isnull=True),
                name="lead_amount_not_negative",
                violation_error_message=_("The estimated amount cannot be negative."),
            ),
        ]

    # the columns its label (__str__) is made of: a select box searches them (core.options)
    label_fields = ("company_name", "project_name")

    def __str__(self) -> str:
        return f"{self.company_name} · {self.project_name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:lead_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": _("The date cannot be in the future.")})

    def save(self, *args: object, **kwargs: object) -> None:
        # The matching keys are derived from the row and indexed for the duplicate check.
        self.company_key = company_key(self.company_name)
        self.phone_key = phone_digits(self.contact_phone)
        super().save(*args, **kwargs)


class FollowUp(ChoiceLabelsModel):
    """One follow-up (跟进记录) of a lead or of a project: when, how, what, what next."""

    lead = models.ForeignKey(
        Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    method = models.CharField(
        _("method"), max_length=20, choices=FollowUpMethod.choices, default=FollowUpMethod.VISIT
    )
    note = models.TextField(_("what happened"))
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("follow-up history"))

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False, project__isnull=True)
                | models.Q(lead__isnull=True, project__isnull=False),
                name="follow_up_of_lead_or_project",
                violation_error_message=_("A follow-up belongs to a lead or a project."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_method_display()}"

    def clean(self) -> None:
        super().clean()
        if self.happened_on and self.happened_on > timezone.localdate():
            raise ValidationError({"happened_on": _("The date cannot be in the future.")})


class LeadClockQuerySet(ScopedQuerySet):
    """The clock's one row: everyone reads it (the colours follow it), the bureau sets it."""

    unit_path = None
    public = True
    write_action = Action.LEAD_SET_CLOCK


class LeadClock(models.Model):
    """The response clock of new leads (首报首谈), set by the bureau: a lead not followed up
    within `amber_days` of being received shows amber, past `red_days` red
    (LeadQuerySet.with_clock). One row; until the bureau sets it, the defaults hold."""

    amber_days = models.PositiveSmallIntegerField(
        _("amber after (days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A new lead not followed up within this many days shows amber."),
    )
    red_days = models.PositiveSmallIntegerField(
        _("red after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("… and red past this many days."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = LeadClockQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("lead clock history"))

    class Meta:
        verbose_name = _("lead response clock")
        verbose_name_plural = _("lead response clocks")
        constraints = [
            FieldCheck(
                field="red_days",
                condition=models.Q(red_days__gt=models.F("amber_days")),
                name="lead_clock_red_after_amber",
                violation_error_message=_("Red comes after amber: give it more days."),
            ),
            FieldCheck(
                field="amber_days",
                condition=models.Q(amber_days__gte=1),
                name="lead_clock_amber_at_least_a_day",
                violation_error_message=_("Give at least one day before amber."),
            ),
        ]

    SINGLETON_PK = 1

    def __str__(self) -> str:
        return f"{self.amber_days}/{self.red_days}"

    @classmethod
    def current(cls) -> LeadClock:
        """The clock as set (one query), or the defaults while the bureau has not set it."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)
