from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    DateField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast, Coalesce, Greatest
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import ScopedQuerySet
from core.db import FieldCheck
from core.files import protected_file_url
from core.models import ChoiceLabelsModel, TimeStampedModel
from core.policy import Action
from core.roles import Role
from core.validators import not_negative
from projects.choices import (
    SIZE_CLASS_FLOORS,
    STAGE_ORDER,
    BlockerCategory,
    BlockerStatus,
    Category,
    DocumentKind,
    DuplicateDecision,
    FilingStatus,
    FundsKind,
    FundsStatus,
    Origin,
    ProjectType,
    SizeClass,
    Stage,
)
from projects.matching import company_key

NEGOTIATION_STALL_DAYS = 30
KEY_PROJECT_STALL_DAYS = 90

SIZE_CLASS_EXPRESSION = Case(
    *[
        When(contract_amount_wan__gte=floor, then=Value(cls.value))
        for cls, floor in SIZE_CLASS_FLOORS
    ],
    default=Value(SizeClass.SMALL.value),
    output_field=models.CharField(max_length=10),
)
INTENSITY_EXPRESSION = Case(
    When(land_area_mu__gt=0, then=F("contract_amount_wan") / F("land_area_mu")),
    default=None,
    output_field=models.DecimalField(max_digits=14, decimal_places=2),
)


def one_of(records: models.QuerySet) -> Subquery:
    """1 when there is one of `records` (which may use OuterRef), else NULL. It reads
    nothing but the columns `records` is filtered on, so an index holding them answers it
    without reading the table."""
    return Subquery(records.order_by().values(one=Value(1))[:1])


# The flags ProjectQuerySet.with_flags annotates: the warnings the pages show.
SHOWN_FLAGS = (
    "stalled_negotiation",
    "stalled_start",
    "stalled_key",
    "below_intensity",
    "has_overdue_blocker",
    "is_stalled",
)
# What it annotates or aliases (none is an aggregate).
FLAG_ANNOTATIONS = frozenset({"last_change_on", "last_activity_on", *SHOWN_FLAGS})


class ProjectQuerySet(ScopedQuerySet):
    unit_path = "unit"
    reader_paths = ("cooperating_units",)
    write_action = Action.PROJECT_EDIT

    def live(self) -> ProjectQuerySet:
        return self.exclude(stage=Stage.TERMINATED)

    def count(self) -> int:
        """The rows, counted without the flags `with_flags` annotates: a filter on a flag
        holds its own copy of the expression, so the count is the same, and Django no
        longer walks the flags' subqueries to find it needs none (half the count's time
        on a list page, bench/README.md, issue 20)."""
        if self._result_cache is not None:
            return super().count()
        return super(ProjectQuerySet, self._without_flags()).count()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Sums and counts over the rows, without the flags unless they are summed (as
        `count`)."""
        parts = [part for expression in (*args, *kwargs.values()) for part in expression.flatten()]
        named = {part.name for part in parts if isinstance(part, F)} | {
            child[0].split(LOOKUP_SEP)[0]
            for part in parts
            if isinstance(part, Q)
            for child in part.children
            if isinstance(child, tuple)
        }
        rows = self if named & FLAG_ANNOTATIONS else self._without_flags()
        return super(ProjectQuerySet, rows).aggregate(*args, **kwargs)

    def _without_flags(self) -> ProjectQuerySet:
        flags = FLAG_ANNOTATIONS & self.query.annotations.keys()
        if not flags or self.query.distinct:
            return self
        plain = self._chain()
        plain.query.annotations = {
            name: value for name, value in plain.query.annotations.items() if name not in flags
        }
        plain.query.set_annotation_mask(plain.query.annotations)
        return plain

    def with_flags(self, today: date) -> ProjectQuerySet:
        """Annotates the warnings shown in red: stalls (DOMAIN.md), intensity below the
        park's minimum, open and overdue blockers. One query, whatever the rows."""
        last_change = (
            StageChange.objects.filter(project=OuterRef("pk"))
            .order_by("-happened_on")
            .values("happened_on")[:1]
        )
        from projects.models.leads import FollowUp

        last_follow_up = (
            FollowUp.objects.filter(project=OuterRef("pk"))
            .order_by("-happened_on")
            .values("happened_on")[:1]
        )
        created_on = Cast("created_at", output_field=DateField())
        last_change_on = Coalesce(Subquery(last_change, output_field=DateField()), created_on)
        last_follow_up_on = Coalesce(
            Subquery(last_follow_up, output_field=DateField()), last_change_on
        )
        from projects.models.funds import FundsRecord

        key_idle_since = today - timedelta(days=KEY_PROJECT_STALL_DAYS)
        # "Is there one?" as a scalar subquery (LIMIT 1) rather than EXISTS: PostgreSQL may
        # answer an EXISTS by hashing every matching row of the whole table before a page
        # of 50 is cut (a scan of millions of funds records); a scalar subquery runs for
        # the rows shown only, from the (project, kind, period; status) index. bench/README.md.
        recent_funds = one_of(
            FundsRecord.objects.filter(
                project=OuterRef("pk"), kind=FundsKind.FUNDS, period__gte=key_idle_since
            ).exclude(status=FundsStatus.REJECTED)
        )
        # The park's minimum read in a subquery, not a join: a list's count then needs no
        # join and reads the (stage, category, amount) index alone (bench/README.md).
        from teams.models import Unit

        unit_minimum = Subquery(
            Unit.objects.filter(pk=OuterRef("unit_id")).values("min_intensity_wan_per_mu")[:1]
        )
        overdue_blocker = one_of(
            Blocker.objects.filter(
                project=OuterRef("pk"), status=BlockerStatus.OPEN, due_on__lt=today
            )
        )
        return (
            # What the flags are worked out from, not selected: no page reads them, and each
            # selected copy is its subqueries compiled and planned once more.
            self.alias(
                last_change_on=last_change_on,
                last_activity_on=Greatest(last_change_on, last_follow_up_on),
            )
            .annotate(
                stalled_negotiation=Q(stage=Stage.NEGOTIATING)
                & Q(last_activity_on__lt=today - timedelta(days=NEGOTIATION_STALL_DAYS)),
                stalled_start=Q(stage=Stage.SIGNED)
                & Q(agreed_start_on__lt=today)
                & Q(started_on__isnull=True),
                stalled_key=Q(is_key=True)
                & ~Q(stage__in=[Stage.TERMINATED, Stage.PRODUCING])
                & Q(last_change_on__lt=key_idle_since)
                & IsNull(recent_funds, True),
                below_intensity=Q(intensity__lt=unit_minimum),
                has_overdue_blocker=IsNull(overdue_blocker, False),
            )
            .annotate(
                is_stalled=Q(stalled_negotiation=True)
                | Q(stalled_start=True)
                | Q(stalled_key=True),
            )
        )

    def stalled(self, today: date) -> ProjectQuerySet:
        # Only these can stall (the flags' own first conditions): filtering on them first
        # spares the flags' subqueries for every other project (bench/README.md).
        may_stall = (
            Q(stage=Stage.NEGOTIATING)
            | Q(stage=Stage.SIGNED, agreed_start_on__lt=today, started_on__isnull=True)
            | (Q(is_key=True) & ~Q(stage__in=[Stage.TERMINATED, Stage.PRODUCING]))
        )
        return self.filter(may_stall).with_flags(today).filter(is_stalled=True)


def _not_before(later: str, earlier: str, message: Any, name: str) -> FieldCheck:
    return FieldCheck(
        field=later,
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
        violation_error_message=message,
    )


def _reached_only(date_field: str, stage: str, name: str) -> FieldCheck:
    """A stage's date is there only once the project has reached the stage (or was
    terminated after it): set by the stage change, never typed on its own."""
    reached = [*STAGE_ORDER[STAGE_ORDER.index(stage) :], Stage.TERMINATED]
    return FieldCheck(
        field=date_field,
        condition=Q(**{f"{date_field}__isnull": True}) | Q(stage__in=reached),
        name=name,
        violation_error_message=_(
            "This date is recorded by moving the project to its stage, not entered alone."
        ),
    )


# 签约 ≤ 开工 ≤ 竣工 ≤ 投产, and no stage's date before the project reaches the stage: the
# model's rule (full_clean) and the database's constraint alike.
STAGE_DATE_RULES = [
    _not_before(
        "started_on",
        "signed_on",
        _("The start date cannot be before the signing date."),
        "project_started_not_before_signed",
    ),
    _not_before(
        "completed_on",
        "started_on",
        _("The completion date cannot be before the start date."),
        "project_completed_not_before_started",
    ),
    _not_before(
        "producing_on",
        "completed_on",
        _("The production date cannot be before the completion date."),
        "project_producing_not_before_completed",
    ),
    _reached_only("signed_on", Stage.SIGNED, "project_signed_on_only_when_signed"),
    _reached_only("started_on", Stage.STARTED, "project_started_on_only_when_started"),
    _reached_only("completed_on", Stage.COMPLETED, "project_completed_on_only_when_completed"),
    _reached_only("producing_on", Stage.PRODUCING, "project_producing_on_only_when_producing"),
]


class Project(TimeStampedModel):
    """An investment project (招商项目) and where it stands."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("project name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    investor = models.CharField(_("investor"), max_length=200)
    investor_key = models.CharField(max_length=200, editable=False, db_index=True)
    investor_origin = models.CharField(
        _("investor origin"), max_length=20, choices=Origin.choices, default=Origin.OUT_OF_PROVINCE
    )
    project_type = models.CharField(
        _("project type"),
        max_length=20,
        choices=ProjectType.choices,
        default=ProjectType.NEW,
        help_text=_("For an expansion, the contract amount is the increment only."),
    )
    industry = models.ForeignKey(
        "projects.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.INDUSTRIAL
    )
    contract_amount_wan = models.DecimalField(
        _("contract amount (万元)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[not_negative],
    )
    foreign_amount_usd_wan = models.DecimalField(
        _("foreign investment (万美元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    land_area_mu = models.DecimalField(
        _("land (亩)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    size_class = models.GeneratedField(
        expression=SIZE_CLASS_EXPRESSION,
        output_field=models.CharField(_("size class"), max_length=10, choices=SizeClass.choices),
        db_persist=True,
    )
    intensity = models.GeneratedField(
        expression=INTENSITY_EXPRESSION,
        output_field=models.DecimalField(
            _("investment intensity (万元/亩)"), max_digits=14, decimal_places=2
        ),
        db_persist=True,
    )
    unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    cooperating_units = models.ManyToManyField(
        "teams.Unit",
        verbose_name=_("cooperating units"),
        blank=True,
        related_name="cooperating_projects",
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    leader_name = models.CharField(_("responsible leader"), max_length=50, blank=True)
    # The 包保 leader's account (a county leader), designated by the bureau; `leader_name`
    # keeps the name, also for leaders of older ledgers that have no account.
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
    )
    sponsor_unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("sponsoring department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
        help_text=_("The 包保 department, when it is not the responsible unit."),
    )
    is_key = models.BooleanField(_("key project"), default=False)
    lead = models.OneToOneField(
        "projects.Lead",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.NEGOTIATING
    )
    entered_on = models.DateField(_("entered on"), default=timezone.localdate)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    producing_on = models.DateField(_("in production on"), null=True, blank=True)
    agreed_start_on = models.DateField(_("agreed start date"), null=True, blank=True)
    # 拟开工: the year a project is planned to start in, with its investment planned for
    # that year (年度计划投资).
    planned_start_year = models.PositiveSmallIntegerField(
        _("planned start year"), null=True, blank=True
    )
    planned_investment_wan = models.DecimalField(
        _("planned investment of the year (万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for termination"), max_length=200, blank=True)
    expected_output_wan = models.DecimalField(
        _("expected yearly output (万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_tax_wan = models.DecimalField(
        _("expected yearly tax (万元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_jobs = models.PositiveIntegerField(_("expected jobs"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("project history"),
        excluded_fields=["name_key", "investor_key", "size_class", "intensity"],
        # read by project (id) and date only (as the funds records' history)
        no_db_index=["industry", "unit", "team", "leader", "sponsor_unit", "lead", "created_by"],
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "stage"]),
            # Date ranges and the sorts by date, latest first (DESC puts a project not yet
            # signed or started first, as PostgreSQL orders NULL).
            models.Index(fields=["-signed_on", "code"], name="project_signed"),
            models.Index(fields=["-started_on", "code"], name="project_started"),
            # The list's two first filters, largest first: a page and its count read the
            # index, not every project (bench/README.md).
            models.Index(
                fields=["stage", "category", "contract_amount_wan"],
                name="project_stage_category_amount",
            ),
            # The list's own order and its most asked sorts: a page of the bureau's 100 000
            # projects is read from the index, not sorted whole (128 ms → 1 ms, issue 20).
            models.Index(fields=["-created_at", "-id"], name="project_newest"),
            models.Index(fields=["-contract_amount_wan", "code"], name="project_largest"),
            models.Index(fields=["name", "code"], name="project_by_name"),
        ]
        constraints = [
            FieldCheck(
                field="contract_amount_wan",
                condition=Q(contract_amount_wan__gte=0),
                name="project_amount_not_negative",
                violation_error_message=_("The contract amount cannot be negative."),
            ),
            FieldCheck(
                field="termination_reason",
                condition=~Q(stage=Stage.TERMINATED) | ~Q(termination_reason=""),
                name="project_terminated_has_reason",
                violation_error_message=_("A terminated project needs a reason."),
            ),
            *STAGE_DATE_RULES,
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.leader_id and self.leader.role != Role.LEADER:
            raise ValidationError({"leader": _("A responsible leader is a county leader.")})

    def get_size_class_display(self) -> str:
        # A generated field gets no display method of its own.
        return SizeClass(self.size_class).label if self.size_class else ""

    def set_keys(self) -> None:
        """The name and investor as they are matched for duplicates (also before a bulk
        insert, which does not call save)."""
        self.name_key = company_key(self.name)
        self.investor_key = company_key(self.investor)

    def save(self, *args: object, **kwargs: object) -> None:
        self.set_keys()
        super().save(*args, **kwargs)


class StageChange(ChoiceLabelsModel):
    """One step of a project's stage timeline: the date it happened, who recorded it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["project", "-happened_on"])]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage} ({self.happened_on})"


def document_path(document: Document, filename: str) -> str:
    return f"projects/{document.project_id}/{filename}"


class DocumentQuerySet(ScopedQuerySet):
    unit_path = "project__unit"
    reader_paths = ("project__cooperating_units",)
    write_action = Action.PROJECT_EDIT


class Document(TimeStampedModel):
    """A contract, agreement or evidence file of a project, filed (备案) by the bureau."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.CONTRACT
    )
    title = models.CharField(_("document title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(max_length=120, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("filing status"),
        max_length=20,
        choices=FilingStatus.choices,
        default=FilingStatus.PENDING,
    )
    return_reason = models.CharField(_("reason for return"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("document history"), no_db_index=["project", "uploaded_by", "reviewed_by"]
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    def get_absolute_url(self) -> str:
        return protected_file_url("document", self)


class BlockerQuerySet(ScopedQuerySet):
    unit_path = "project__unit"
    reader_paths = ("project__cooperating_units", "owner_unit")
    write_action = Action.PROJECT_EDIT

    def overdue(self, today: date) -> BlockerQuerySet:
        return self.filter(status=BlockerStatus.OPEN, due_on__lt=today)


class Blocker(TimeStampedModel):
    """A problem holding a project up (卡壳问题), the unit that must solve it, and by when."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="blockers"
    )
    category = models.CharField(_("category"), max_length=20, choices=BlockerCategory.choices)
    description = models.TextField(_("problem description"))
    owner_unit = models.ForeignKey(
        "teams.Unit",
        verbose_name=_("unit responsible for solving it"),
        on_delete=models.PROTECT,
        related_name="blockers_to_solve",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=BlockerStatus.choices, default=BlockerStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BlockerQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("blocker history"))

    class Meta:
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        ordering = ["status", "due_on", "id"]
        constraints = [
            FieldCheck(
                field="resolution",
                condition=~Q(status=BlockerStatus.RESOLVED) | ~Q(resolution=""),
                name="blocker_resolved_has_resolution",
                violation_error_message=_("A resolved blocker needs its resolution."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("projects:blocker_update", args=[self.pk])

    def is_overdue(self, today: date) -> bool:
        return self.status == BlockerStatus.OPEN and self.due_on < today


class DuplicatePairQuerySet(ScopedQuerySet):
    unit_path = "project__unit"
    write_action = Action.DUPLICATE_DECIDE


class DuplicatePair(models.Model):
    """Two projects that may be one: flagged on save, decided by the bureau."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        Project, verbose_name=_("possible duplicate of"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("why flagged"), max_length=200)
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=DuplicateDecision.choices,
        default=DuplicateDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    objects = DuplicatePairQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("duplicate decision history"))

    class Meta:
        verbose_name = _("possible duplicate project")
        verbose_name_plural = _("possible duplicate projects")
        ordering = ["decision", "-flagged_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "other"], name="duplicate_pair_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ~ {self.other}"
