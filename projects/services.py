"""Writes of leads, projects, stages, documents, blockers, duplicate decisions and funds.

Pages, the API, imports and the demo all come through here, and nothing else decides: each
service checks who may (core.policy, core.access), takes only the fields a person types
(core.services.take: a stage date, a status or a verification field sent by any entry
point is refused by name) and validates the record whole (the model's rules and the
database's constraints), raising ValidationError keyed by field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import bulk
from core.access import may_assign_unit
from core.db import RecordRules, money_sum
from core.models import next_in_sequence
from core.money import format_wan
from core.notifications import notify, unit_staff
from core.periods import current_period
from core.policy import Action, may, require
from core.services import Stale, changed, declare_input, require_editable, take
from core.uploads import check_upload
from projects.choices import (
    BUILDING_STAGES,
    LIVE_STAGES,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    BlockerStatus,
    DocumentKind,
    DuplicateDecision,
    FilingStatus,
    FundsKind,
    FundsStatus,
    LeadStatus,
    ReserveStatus,
    Stage,
)
from projects.models import (
    Blocker,
    Document,
    DuplicatePair,
    FollowUp,
    FundsRecord,
    Industry,
    Lead,
    LeadClock,
    Project,
    ReserveMaterial,
    ReserveProject,
    StageChange,
)
from projects.selectors import (
    lead_possible_duplicates,
    possible_duplicates_among,
    project_possible_duplicates,
)
from projects.stages import missing_facts, missing_to_have_reached, stage_index


class DuplicatesFound(ValidationError):
    """Possible duplicates the officer has not yet confirmed as distinct."""

    def __init__(self, duplicates: list[Lead]) -> None:
        self.duplicates = duplicates
        super().__init__(
            {
                "confirm_duplicates": _(
                    "Possible duplicates of this lead exist in the county. Check them, then "
                    "confirm."
                )
            },
            code="possible_duplicates",
        )


class StageChangeRefused(ValidationError):
    """A stage move that lacks facts; `message_dict` names each missing one by field."""


def _check_unit(user: Any, unit: Any) -> None:
    """A new record names the user's own unit; the bureau names any."""
    if not may_assign_unit(user, unit):
        raise ValidationError({"unit": _("You may only name your own unit.")})


# --- Industries --------------------------------------------------------------------------

INDUSTRY_INPUT = declare_input(
    Industry, "code", "name", "parent", "is_leading", "is_active", "sort_order"
)


@transaction.atomic
def industry_save(
    *, user: Any, data: Mapping[str, Any], industry: Industry | None = None
) -> Industry:
    """Creates an industry chain or segment, or changes one (the bureau's)."""
    require(user, Action.INDUSTRY_MANAGE)
    industry = industry or Industry()
    take(industry, data, INDUSTRY_INPUT)
    industry.full_clean()
    industry.save()
    return industry


# --- Leads -------------------------------------------------------------------------------

LEAD_INPUT = declare_input(
    Lead,
    "company_name",
    "contact_name",
    "contact_title",
    "contact_phone",
    "current_products",
    "project_name",
    "planned_products",
    "scale",
    "period",
    "requirements",
    "estimated_amount_wan",
    "industry",
    "source",
    "unit",
    "team",
    "received_on",
    "notes",
)


@transaction.atomic
def lead_create(*, user: Any, data: Mapping[str, Any], confirm_duplicates: bool = False) -> Lead:
    """Enters a lead for the user's unit (the bureau: any unit), provided by the user. A
    lead whose company or phone matches leads already in the shared pool is refused with
    DuplicatesFound until the officer confirms it is distinct."""
    require(user, Action.LEAD_EDIT)
    lead = Lead(provided_by=user, unit_id=user.unit_id)
    take(lead, data, LEAD_INPUT)
    _check_unit(user, lead.unit if lead.unit_id else None)
    return _lead_store(lead, confirm_duplicates)


@transaction.atomic
def lead_update(*, lead: Lead, user: Any, data: Mapping[str, Any]) -> Lead:
    """Changes a lead's typed facts; giving it to another unit is the bureau's."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    require_editable(user, lead)
    if changed(lead, data, "unit"):
        require(user, Action.LEAD_REASSIGN)
    take(lead, data, LEAD_INPUT)
    return _lead_store(lead, confirm_duplicates=True)


def _lead_store(lead: Lead, confirm_duplicates: bool) -> Lead:
    lead.full_clean()
    duplicates = list(
        lead_possible_duplicates(
            company_name=lead.company_name, phone=lead.contact_phone, exclude_pk=lead.pk
        )[:20]
    )
    if duplicates and lead.pk is None and not confirm_duplicates:
        raise DuplicatesFound(duplicates)
    lead.save()
    lead.possible_duplicates.set(duplicates)
    return lead


FOLLOW_UP_INPUT = declare_input(FollowUp, "happened_on", "method", "note", "next_step")


def _follow_up(
    *, user: Any, happened_on: date, method: str, note: str, next_step: str, **of: Any
) -> FollowUp:
    follow_up = FollowUp(
        happened_on=happened_on,
        method=method,
        note=note,
        next_step=next_step,
        recorded_by=user,
        **of,
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def lead_follow_up(
    *, lead: Lead, user: Any, happened_on: date, method: str, note: str, next_step: str = ""
) -> FollowUp:
    """Logs a follow-up; a new lead becomes one being followed up."""
    require_editable(user, lead)
    if lead.status in (LeadStatus.CONVERTED, LeadStatus.DROPPED):
        raise ValidationError(_("This lead is closed: follow its project instead."))
    follow_up = _follow_up(
        user=user, happened_on=happened_on, method=method, note=note, next_step=next_step, lead=lead
    )
    if lead.status == LeadStatus.NEW:
        lead.status = LeadStatus.FOLLOWING
        lead.save(update_fields=["status", "updated_at"])
    return follow_up


@transaction.atomic
def lead_drop(*, lead: Lead, user: Any, reason: str) -> Lead:
    require_editable(user, lead)
    if lead.status == LeadStatus.CONVERTED:
        raise ValidationError(_("A converted lead cannot be dropped."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the lead is dropped.")})
    lead.status = LeadStatus.DROPPED
    lead.drop_reason = reason.strip()
    lead.save(update_fields=["status", "drop_reason", "updated_at"])
    return lead


LEAD_CLOCK_INPUT = declare_input(LeadClock, "amber_days", "red_days")


@transaction.atomic
def lead_clock_set(*, user: Any, amber_days: int, red_days: int) -> LeadClock:
    """The bureau sets the response clock of new leads (首报首谈): amber after `amber_days`
    without a first follow-up, red after `red_days`. Kept in the clock's history."""
    require(user, Action.LEAD_SET_CLOCK)
    clock = LeadClock.objects.select_for_update().filter(pk=LeadClock.SINGLETON_PK).first()
    clock = clock or LeadClock(pk=LeadClock.SINGLETON_PK)
    take(clock, {"amber_days": amber_days, "red_days": red_days}, LEAD_CLOCK_INPUT)
    clock.updated_by = user if getattr(user, "pk", None) else None
    clock.full_clean(validate_unique=False)
    clock.save()
    return clock


def project_from_lead(lead: Lead) -> Project:
    """A new project pre-filled from a lead (not saved): the conversion form's start."""
    return Project(
        name=lead.project_name,
        investor=lead.company_name,
        industry=lead.industry,
        contract_amount_wan=lead.estimated_amount_wan or 0,
        unit=lead.unit,
        team=lead.team,
        lead=lead,
        description="\n".join(
            part for part in [lead.planned_products, lead.scale, lead.requirements] if part
        ),
    )


# The lead a project is converted from: set once, by lead_convert.
declare_input(Project, "lead")


@transaction.atomic
def lead_convert(
    *, lead: Lead, user: Any, data: Mapping[str, Any], entered_on: date | None = None
) -> Project:
    """Turns a lead into a project linked both ways; the lead is then closed.
    `entered_on` as for project_create."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    require_editable(user, lead)
    if lead.status in (LeadStatus.CONVERTED, LeadStatus.DROPPED):
        raise ValidationError({"lead": _("Only a lead still open can be converted.")})
    project = _project_create(user=user, data=data, lead=lead, entered_on=entered_on)
    lead.status = LeadStatus.CONVERTED
    lead.save(update_fields=["status", "updated_at"])
    return project


# --- Projects ------------------------------------------------------------------------------

PROJECT_INPUT = declare_input(
    Project,
    "name",
    "investor",
    "investor_origin",
    "project_type",
    "industry",
    "category",
    "contract_amount_wan",
    "foreign_amount_usd_wan",
    "land_area_mu",
    "unit",
    "cooperating_units",
    "team",
    "leader_name",
    "leader",
    "sponsor_unit",
    "is_key",
    "agreed_start_on",
    "planned_start_year",
    "planned_investment_wan",
    "expected_output_wan",
    "expected_tax_wan",
    "expected_jobs",
    "description",
)


@transaction.atomic
def project_create(
    *, user: Any, data: Mapping[str, Any], entered_on: date | None = None
) -> Project:
    """Enters a project in negotiation for the user's unit (the bureau: any unit), with its
    code (year and sequence), its first timeline entry and any possible duplicates flagged
    for the bureau. `entered_on` (default today) dates an older project taken over from
    the spreadsheets. Designating it a key project is the bureau's."""
    return _project_create(user=user, data=data, lead=None, entered_on=entered_on)


def _project_create(
    *, user: Any, data: Mapping[str, Any], lead: Lead | None, entered_on: date | None
) -> Project:
    require(user, Action.PROJECT_EDIT)
    if data.get("is_key") or data.get("leader") or data.get("sponsor_unit"):
        require(user, Action.PROJECT_SET_KEY)
    entered_on = entered_on or timezone.localdate()
    project = Project(unit_id=user.unit_id, lead=lead, stage=Stage.NEGOTIATING)
    many = take(project, data, PROJECT_INPUT)
    _check_unit(user, project.unit if project.unit_id else None)
    _name_the_leader(project)
    year = entered_on.year
    project.entered_on = entered_on
    project.created_by = user
    project.code = f"{year}-{next_in_sequence(f'project-{year}'):04d}"
    project.full_clean()
    project.save()
    project.cooperating_units.set(many.get("cooperating_units", ()))
    StageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=Stage.NEGOTIATING,
        happened_on=entered_on,
        note=_("Project entered"),
        recorded_by=user,
    )
    project_flag_duplicates(project=project)
    return project


@transaction.atomic
def project_update(*, project: Project, user: Any, data: Mapping[str, Any]) -> Project:
    """Changes a project's typed facts. The bureau's alone: designating a key project,
    giving the project to another unit, changing the contract amount once it is signed
    (the year's signed amount counts it). The stage and its dates change only through
    project_change_stage."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_editable(user, project)
    if any(changed(project, data, name) for name in ("is_key", "leader", "sponsor_unit")):
        require(user, Action.PROJECT_SET_KEY)
    if changed(project, data, "unit"):
        require(user, Action.PROJECT_REASSIGN)
    if project.stage != Stage.NEGOTIATING and changed(project, data, "contract_amount_wan"):
        require(user, Action.PROJECT_AMEND_CONTRACT)
    many = take(project, data, PROJECT_INPUT)
    _name_the_leader(project)
    project.full_clean()
    project.save()
    if "cooperating_units" in many:
        project.cooperating_units.set(many["cooperating_units"])
    project_flag_duplicates(project=project)
    return project


def _name_the_leader(project: Project) -> None:
    """The 包保 leader's account gives the name kept beside it."""
    if project.leader_id:
        project.leader_name = project.leader.get_full_name()[:50]


def project_flag_duplicates(*, project: Project) -> list[DuplicatePair]:
    """Records each possible duplicate once; pairs already decided stay decided."""
    pairs = []
    for other, reason in project_possible_duplicates(project):
        first, second = sorted([project, other], key=lambda p: p.pk)
        if DuplicatePair.objects.filter(project=second, other=first).exists():
            continue
        pair, _created = DuplicatePair.objects.get_or_create(
            project=second, other=first, defaults={"reason": reason}
        )
        pairs.append(pair)
    return pairs


@transaction.atomic
def project_change_stage(
    *, project: Project, user: Any, to: str, on: date | None, note: str = ""
) -> StageChange:
    """Moves a project to another stage, kept in its timeline.

    Forward: the facts of every stage passed through must be there (`on` supplies the
    target stage's date, which the model's rules order after the earlier ones); otherwise
    StageChangeRefused names each missing fact. Backward, or out of termination: the
    bureau only, with a note. Terminated: from any stage, with the reason as the note.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_editable(user, project)
    require(user, Action.PROJECT_CHANGE_STAGE)
    current = project.stage
    on = on or timezone.localdate()
    if to not in Stage.values:
        raise ValidationError({"to": _("Unknown stage.")})
    if to == current:
        raise ValidationError({"to": _("The project is already at this stage.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if to == Stage.TERMINATED:
        if not note.strip():
            raise ValidationError({"note": _("Say why the project is terminated.")})
        project.terminated_on = on
        project.termination_reason = note.strip()[:200]
    elif current == Stage.TERMINATED or stage_index(to) < stage_index(current):
        require(user, Action.PROJECT_MOVE_BACK)
        if not note.strip():
            raise ValidationError({"note": _("Say why the project moves back.")})
        _clear_dates_after(project, to)
    else:
        if to in STAGE_DATE_FIELD:
            setattr(project, STAGE_DATE_FIELD[to], on)
        missing = missing_facts(project, to)
        if missing:
            errors: dict[str, list[str]] = {}
            for fact in missing:
                errors.setdefault(fact.field, []).append(_("Missing: %s") % fact.message)
            raise StageChangeRefused(errors)
    project.stage = to
    _check_stage_dates(project, to)
    project._change_reason = note
    project.save()
    return StageChange.objects.create(
        project=project,
        from_stage=current,
        to_stage=to,
        happened_on=on,
        note=note,
        recorded_by=user,
    )


def _check_stage_dates(project: Project, to: str) -> None:
    """The model's rules on the moved project; what they say of the date this move records
    is said of `on`, the date the user gave."""
    try:
        project.full_clean()
    except ValidationError as error:
        moved = STAGE_DATE_FIELD.get(to)
        errors = {("on" if field == moved else field): m for field, m in error.message_dict.items()}
        raise ValidationError(errors) from error


def _clear_dates_after(project: Project, stage: str) -> None:
    """A project moved back has not (yet) reached the stages after it again."""
    project.terminated_on = None
    project.termination_reason = ""
    for later in STAGE_ORDER[stage_index(stage) + 1 :]:
        if later in STAGE_DATE_FIELD:
            setattr(project, STAGE_DATE_FIELD[later], None)


@transaction.atomic
def project_follow_up(
    *, project: Project, user: Any, happened_on: date, method: str, note: str, next_step: str = ""
) -> FollowUp:
    require_editable(user, project)
    return _follow_up(
        user=user,
        happened_on=happened_on,
        method=method,
        note=note,
        next_step=next_step,
        project=project,
    )


# --- Projects from a ledger, many at once -------------------------------------------------


@dataclass(frozen=True)
class ProjectEntry:
    """One project of an imported ledger: its typed facts (as project_create takes them),
    the stage it has reached with the date of each stage, and its ledger's code if any."""

    data: Mapping[str, Any]
    stage: str
    dates: Mapping[str, date | None]
    entered_on: date
    code: str = ""
    terminated_on: date | None = None
    termination_reason: str = ""


def reached_before_termination(stage: str, dates: Mapping[str, date | None]) -> str:
    """The stage whose gates a project must pass: its own, or for a terminated project the
    furthest stage it has a date of."""
    if stage != Stage.TERMINATED:
        return stage
    dated = [s for s in STAGE_ORDER if dates.get(STAGE_DATE_FIELD.get(s, ""))]
    return dated[-1] if dated else Stage.NEGOTIATING


@transaction.atomic
def projects_import(
    *, user: Any, entries: list[ProjectEntry], ledger_file: str, reason: str
) -> list[Project]:
    """Projects of an imported ledger, written together, each at the stage the ledger shows.

    Every entry passes what project_create and each project_change_stage would ask: who
    may (key projects and their leaders are the bureau's; a project past 在谈 needs its
    contract filed, and the bureau files the ledger itself as that record), the unit, the
    facts of every stage passed, no date in the future, the dates in order and every rule
    of the record. The timeline gets each stage on its ledger date; possible duplicates are
    flagged. Refused whole, with each refused entry's index, if any entry breaks a rule."""
    require(user, Action.PROJECT_EDIT)
    if any(
        e.data.get("is_key") or e.data.get("leader") or e.data.get("sponsor_unit") for e in entries
    ):
        require(user, Action.PROJECT_SET_KEY)
    reached = [reached_before_termination(e.stage, e.dates) for e in entries]
    if any(stage_index(r) >= stage_index(Stage.SIGNED) for r in reached):
        require(user, Action.PROJECT_CHANGE_STAGE)
        require(user, Action.DOCUMENT_FILE)
    codes = [e.code for e in entries if e.code]
    taken = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
    numbers: dict[int, int] = {}
    for year in sorted({e.entered_on.year for e in entries if not e.code}):
        count = sum(1 for e in entries if not e.code and e.entered_on.year == year)
        numbers[year] = next_in_sequence(f"project-{year}", count)
    rules = RecordRules(Project, trusted=PROJECT_RELATIONS)
    today = timezone.localdate()
    refused: dict[str, list[str]] = {}
    cooperating: list[Any] = []

    def checked() -> Iterator[Project]:
        """Each entry's project, if it passes; what it breaks goes into `refused`."""
        for index, (entry, stage_reached) in enumerate(zip(entries, reached, strict=True)):
            errors: list[str] = []
            project = Project(unit_id=user.unit_id, stage=entry.stage, created_by=user)
            try:
                units = take(project, entry.data, PROJECT_INPUT).get("cooperating_units", ())
            except ValidationError as error:
                refused[str(index)] = error.messages
                continue
            if not may_assign_unit(user, project.unit if project.unit_id else None):
                errors.append(_("You may only name your own unit."))
            _name_the_leader(project)
            for field, value in entry.dates.items():
                setattr(project, field, value)
                if value is not None and value > today:
                    errors.append(_("The date cannot be in the future."))
            if entry.stage == Stage.TERMINATED:
                project.terminated_on = entry.terminated_on or today
                project.termination_reason = entry.termination_reason.strip()[:200]
            errors += [
                _("Missing: %s") % f.message
                for f in missing_to_have_reached(project, stage_reached)
            ]
            if entry.code:
                if entry.code in taken:
                    errors.append(_("A project with this code exists already."))
                taken.add(entry.code)
                project.code = entry.code
            else:
                year = entry.entered_on.year
                project.code = f"{year}-{numbers[year]:04d}"
                numbers[year] += 1
            project.entered_on = entry.entered_on
            project.set_keys()
            found = rules.errors(project)  # the record's own rules, without a query a row
            try:
                project.clean()
            except ValidationError as error:
                found = {**error.message_dict, **found}
            errors += [m for messages in found.values() for m in messages]
            if errors:
                refused[str(index)] = errors
            else:
                cooperating.append(units)
                yield project

    # checked while written: a refusal rolls the whole back (this function is atomic)
    created = bulk.create(checked(), model=Project, count=len(entries), user=user, reason=reason)
    if refused:
        raise ValidationError(refused)
    through = Project.cooperating_units.through
    bulk.create(
        [
            through(project_id=project.pk, unit_id=getattr(unit, "pk", unit))
            for project, units in zip(created, cooperating, strict=True)
            for unit in units
        ]
    )
    documents, steps = [], []
    now = timezone.now()
    title = _("Ledger imported by the bureau: %(file)s") % {"file": ledger_file.split("/")[-1]}
    entered = _("Project entered")
    for project, stage_reached in zip(created, reached, strict=True):
        if stage_index(stage_reached) >= stage_index(Stage.SIGNED):
            document = bulk.new(
                Document,
                project_id=project.pk,
                kind=DocumentKind.CONTRACT,
                title=title,
                content_type="application/octet-stream",
                uploaded_by_id=user.pk,
                status=FilingStatus.FILED,
                reviewed_by_id=user.pk,
                reviewed_at=now,
                file=ledger_file,
            )
            documents.append(document)
        steps += _timeline(project, stage_reached, user, reason, entered)
    bulk.create(documents, user=user, reason=reason)
    bulk.create(steps)
    _flag_duplicates_among(created, user, reason)
    return created


def _flag_duplicates_among(projects: list[Project], user: Any, reason: str) -> None:
    """project_flag_duplicates for many projects: each pair recorded once, in one query to
    find them and one to record them."""
    pairs: dict[tuple[int, int], str] = {}
    for project, other, why in possible_duplicates_among(projects):
        first, second = sorted([project.pk, other.pk])
        pairs.setdefault((second, first), why)
    known = set(
        DuplicatePair.objects.filter(project_id__in={s for s, _f in pairs}).values_list(
            "project_id", "other_id"
        )
    )
    bulk.create(
        [
            DuplicatePair(project_id=second, other_id=first, reason=why)
            for (second, first), why in pairs.items()
            if (second, first) not in known
        ],
        user=user,
        reason=reason,
    )


PROJECT_RELATIONS = ["unit", "industry", "team", "leader", "sponsor_unit", "lead", "created_by"]


def _timeline(
    project: Project, reached: str, user: Any, reason: str, entered: str
) -> list[StageChange]:
    """Entered (the note `entered`), then each stage up to `reached` on its date (在建 on
    the start date), then the termination: the steps project_change_stage would have
    recorded."""
    steps = [(Stage.NEGOTIATING, project.entered_on, entered)]
    last = project.entered_on
    for stage in STAGE_ORDER[1 : stage_index(reached) + 1]:
        last = getattr(project, STAGE_DATE_FIELD[stage]) if stage in STAGE_DATE_FIELD else last
        steps.append((stage, last, reason))
    if project.stage == Stage.TERMINATED:
        steps.append((Stage.TERMINATED, project.terminated_on, project.termination_reason))
    changes, previous = [], ""
    for stage, on, note in steps:
        changes.append(
            bulk.new(
                StageChange,
                project_id=project.pk,
                from_stage=previous,
                to_stage=stage,
                happened_on=on,
                note=note,
                recorded_by_id=user.pk,
            )
        )
        previous = stage
    return changes


# --- Documents -----------------------------------------------------------------------------

DOCUMENT_INPUT = declare_input(Document, "kind", "title", "file")


@transaction.atomic
def document_upload(
    *, project: Project, user: Any, kind: str, file: UploadedFile, title: str = ""
) -> Document:
    """Keeps an uploaded file of a project the user may edit, after checking its type by
    content and its size; the bureau files it later."""
    require_editable(user, project)
    try:
        content_type = check_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = Document(
        project=project,
        kind=kind,
        title=title or file.name,
        file=file,
        content_type=content_type,
        size=file.size,
        uploaded_by=user,
    )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_review(*, document: Document, user: Any, status: str, reason: str = "") -> Document:
    """The bureau files (备案) a document or returns it with a reason."""
    require(user, Action.DOCUMENT_FILE)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if status not in (FilingStatus.FILED, FilingStatus.RETURNED):
        raise ValidationError({"status": _("A document is either filed or returned.")})
    if status == FilingStatus.RETURNED and not reason.strip():
        raise ValidationError({"return_reason": _("Say why the document is returned.")})
    document.status = status
    document.return_reason = reason.strip() if status == FilingStatus.RETURNED else ""
    document.reviewed_by = user
    document.reviewed_at = timezone.now()
    document.save()
    return document


# --- Blockers ------------------------------------------------------------------------------

BLOCKER_INPUT = declare_input(
    Blocker,
    "category",
    "description",
    "owner_unit",
    "due_on",
    "status",
    "resolution",
    "resolved_on",
)


# The project a new blocker is recorded on (blocker_create's `project`), then fixed.
declare_input(Blocker, "project")


@transaction.atomic
def blocker_create(*, project: Project, user: Any, data: Mapping[str, Any]) -> Blocker:
    """Records a blocker (卡壳问题) of a project the user may edit."""
    require_editable(user, project)
    blocker = Blocker(project=project, created_by=user)
    take(blocker, data, BLOCKER_INPUT)
    blocker = _blocker_store(blocker)
    _tell_blocker_unit(blocker, user)
    return blocker


@transaction.atomic
def blocker_update(*, blocker: Blocker, user: Any, data: Mapping[str, Any]) -> Blocker:
    """Changes a blocker; resolving it needs the resolution, reopening clears its date."""
    blocker = Blocker.objects.select_for_update().get(pk=blocker.pk)
    require_editable(user, blocker)
    owner_before = blocker.owner_unit_id
    take(blocker, data, BLOCKER_INPUT)
    blocker = _blocker_store(blocker)
    if blocker.owner_unit_id != owner_before:
        _tell_blocker_unit(blocker, user)
    return blocker


def blocker_resolve(*, blocker: Blocker, user: Any, resolution: str) -> Blocker:
    """Resolves a blocker today."""
    return blocker_update(
        blocker=blocker,
        user=user,
        data={"status": BlockerStatus.RESOLVED, "resolution": resolution},
    )


def _tell_blocker_unit(blocker: Blocker, user: Any) -> None:
    """The unit a blocker is given to solve is told (its officers and head, not the one who
    gave it), once per blocker and unit."""
    if blocker.status != BlockerStatus.OPEN:
        return
    project = blocker.project
    notify(
        unit_staff(blocker.owner_unit_id),
        kind="blocker_assigned",
        text=_("A blocker of “%(project)s” is your unit's to solve by %(date)s: %(description)s")
        % {
            "project": project.name,
            "date": blocker.due_on.isoformat(),
            "description": blocker.description[:200],
        },
        link=f"{reverse('projects:blocker_list')}?project={project.pk}"
        f"&owner_unit={blocker.owner_unit_id}",
        key=f"blocker:{blocker.pk}:unit:{blocker.owner_unit_id}",
        actor=user,
    )


def _blocker_store(blocker: Blocker) -> Blocker:
    blocker.resolution = (blocker.resolution or "").strip()
    if blocker.status == BlockerStatus.RESOLVED:
        if not blocker.resolution:
            raise ValidationError({"resolution": _("Describe how the blocker was solved.")})
        blocker.resolved_on = blocker.resolved_on or timezone.localdate()
        if blocker.resolved_on > timezone.localdate():
            raise ValidationError({"resolved_on": _("The date cannot be in the future.")})
    else:
        blocker.resolved_on = None
    blocker.full_clean()
    blocker.save()
    return blocker


# --- The project library (项目库) ----------------------------------------------------------

RESERVE_INPUT = declare_input(
    ReserveProject,
    "name",
    "industry",
    "total_investment_wan",
    "location",
    "summary",
    "needs",
    "unit",
    "entered_on",
)
# How a reserve project moves (becoming a lead is reserve_to_lead's).
RESERVE_MOVES = {
    ReserveStatus.RESERVE: {ReserveStatus.PROMOTING},
    ReserveStatus.PROMOTING: {ReserveStatus.RESERVE, ReserveStatus.MATCHED},
    ReserveStatus.MATCHED: {ReserveStatus.PROMOTING},
    ReserveStatus.CONVERTED: set(),
}


@transaction.atomic
def reserve_create(*, user: Any, data: Mapping[str, Any]) -> ReserveProject:
    """Enters a reserve project of the user's unit (the bureau: any unit)."""
    require(user, Action.RESERVE_EDIT)
    reserve = ReserveProject(unit_id=user.unit_id, created_by=user)
    take(reserve, data, RESERVE_INPUT)
    _check_unit(user, reserve.unit if reserve.unit_id else None)
    reserve.full_clean()
    reserve.save()
    return reserve


@transaction.atomic
def reserve_update(
    *, reserve: ReserveProject, user: Any, data: Mapping[str, Any]
) -> ReserveProject:
    reserve = ReserveProject.objects.select_for_update().get(pk=reserve.pk)
    require_editable(user, reserve)
    if changed(reserve, data, "unit"):
        _check_unit(user, data["unit"])
    take(reserve, data, RESERVE_INPUT)
    reserve.full_clean()
    reserve.save()
    return reserve


@transaction.atomic
def reserve_move(*, reserve: ReserveProject, user: Any, to: str) -> ReserveProject:
    """储备 → 推介中 → 已对接 (and back a step when a promotion comes to nothing)."""
    reserve = ReserveProject.objects.select_for_update().get(pk=reserve.pk)
    require_editable(user, reserve)
    if to not in RESERVE_MOVES[reserve.status]:
        raise ValidationError({"status": _("A reserve project cannot move there from here.")})
    reserve.status = to
    reserve.save(update_fields=["status", "updated_at"])
    return reserve


@transaction.atomic
def reserve_to_lead(
    *,
    reserve: ReserveProject,
    user: Any,
    data: Mapping[str, Any],
    confirm_duplicates: bool = False,
) -> Lead:
    """The investor found for a reserve project becomes a lead (through lead_create, with
    its duplicate check), linked both ways; the reserve project is then converted."""
    reserve = ReserveProject.objects.select_for_update().get(pk=reserve.pk)
    require_editable(user, reserve)
    if reserve.status == ReserveStatus.CONVERTED:
        raise ValidationError({"status": _("This reserve project is a lead already.")})
    lead = lead_create(user=user, data=data, confirm_duplicates=confirm_duplicates)
    reserve.lead = lead
    reserve.status = ReserveStatus.CONVERTED
    reserve.full_clean()
    reserve.save(update_fields=["lead", "status", "updated_at"])
    return lead


def lead_from_reserve(reserve: ReserveProject) -> Lead:
    """A new lead (not saved) pre-filled from a reserve project: the conversion's start."""
    return Lead(
        project_name=reserve.name,
        industry=reserve.industry,
        estimated_amount_wan=reserve.total_investment_wan,
        unit=reserve.unit,
        requirements=reserve.needs,
        notes=reserve.summary,
    )


@transaction.atomic
def reserve_material_upload(
    *, reserve: ReserveProject, user: Any, file: UploadedFile, title: str = ""
) -> ReserveMaterial:
    """Keeps a promotion material of a reserve project the user may change, its type
    checked by its content."""
    require_editable(user, reserve)
    try:
        content_type = check_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    material = ReserveMaterial(
        reserve=reserve,
        title=title or file.name,
        file=file,
        content_type=content_type,
        size=file.size,
        uploaded_by=user,
    )
    material.full_clean()
    material.save()
    return material


# --- Duplicate projects --------------------------------------------------------------------


@transaction.atomic
def duplicate_decide(*, pair: DuplicatePair, user: Any, decision: str) -> DuplicatePair:
    """The bureau decides a flagged pair. `same`: the later project is merged into the
    earlier one (its documents, blockers and follow-ups move) and terminated."""
    require(user, Action.DUPLICATE_DECIDE)
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if decision not in (DuplicateDecision.DISTINCT, DuplicateDecision.SAME):
        raise ValidationError(
            {"decision": _("Decide whether the projects are distinct or the same.")}
        )
    if pair.decision != DuplicateDecision.PENDING:
        raise ValidationError({"decision": _("This pair has already been decided.")})
    if decision == DuplicateDecision.SAME:
        kept, merged = pair.other, pair.project
        for model in (Document, Blocker, FollowUp):
            for record in model.objects.filter(project=merged):  # saved one by one: audited
                record.project = kept
                record._change_reason = _("Merged from %(code)s") % {"code": merged.code}
                record.save()
        if merged.stage != Stage.TERMINATED:
            project_change_stage(
                project=merged,
                user=user,
                to=Stage.TERMINATED,
                on=timezone.localdate(),
                note=_("Duplicate of %(code)s: merged into it.") % {"code": kept.code},
            )
    pair.decision = decision
    pair.decided_by = user
    pair.decided_at = timezone.now()
    pair.save()
    text = _("The bureau decided “%(project)s” and “%(other)s”: %(decision)s.") % {
        "project": pair.project.name,
        "other": pair.other.name,
        "decision": pair.get_decision_display(),
    }
    for project in (pair.project, pair.other):  # each unit is shown its own project
        notify(
            unit_staff(project.unit_id),
            kind="duplicate_decided",
            text=text,
            link=project.get_absolute_url(),
            key=f"duplicate:{pair.pk}",
            actor=user,
        )
    return pair


# --- Funds in place and completed investment ------------------------------------------------

# (`version`: the version the editor read, checked against the record's)
FUNDS_INPUT = declare_input(
    FundsRecord,
    "project",
    "period",
    "kind",
    "amount_wan",
    "evidence",
    "note",
    "corrects",
    "version",
)
SINGLE_MONTH_LIMIT_WAN = Decimal(5000)
HUNDRED_MILLION_WAN = Decimal(10000)


class NeedsConfirmation(ValidationError):
    """An amount out of the ordinary: accepted only when the officer confirms it."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__({"amount_wan": reasons}, code="needs_confirmation")


class StaleRecord(Stale):
    """Someone else saved the record since it was opened (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened it. Reload it and enter "
                "your change again."
            ),
            code="stale",
        )


def funds_flag_reasons(
    *,
    project: Project,
    kind: str,
    amount: Decimal,
    exclude_pk: int | None = None,
    others: Decimal | None = None,
) -> list[str]:
    """Why an amount needs a confirmation (DOMAIN.md): it pushes the project's funds above
    its contract amount, or one month brings over 5000 万元 to a project under 1亿元.
    `others` (the project's other funds, when the caller summed them) spares the query."""
    if kind != FundsKind.FUNDS or amount <= 0:
        return []
    reasons = []
    if others is None:
        others = (
            FundsRecord.objects.filter(project=project, kind=FundsKind.FUNDS)
            .exclude(status=FundsStatus.REJECTED)
            .exclude(pk=exclude_pk)
            .aggregate(total=money_sum("amount_wan"))["total"]
        )
    if others + amount > project.contract_amount_wan:
        reasons.append(
            _(
                "The project's funds would reach %(total)s 万元, above its contract amount of "
                "%(contract)s 万元."
            )
            % {
                "total": format_wan(others + amount),
                "contract": format_wan(project.contract_amount_wan),
            }
        )
    if project.contract_amount_wan < HUNDRED_MILLION_WAN and amount > SINGLE_MONTH_LIMIT_WAN:
        reasons.append(_("Over 5000 万元 in one month for a project under 1亿元."))
    return reasons


@transaction.atomic
def funds_submit(
    *,
    user: Any,
    project: Project,
    period: date,
    kind: str,
    amount_wan: Decimal,
    note: str = "",
    evidence: UploadedFile | None = None,
    confirm: bool = False,
    record: FundsRecord | None = None,
    version: int | None = None,
    corrects: FundsRecord | None = None,
    ledger_file: str = "",
) -> FundsRecord:
    """Saves a month's amount as submitted, for the bureau to verify.

    `record` (with the `version` the editor saw) changes a submitted or returned record;
    a verified record never changes: `corrects` makes a new record against it instead.
    `ledger_file` (a stored ledger being imported) stands as the evidence of its rows."""
    require_editable(user, project)
    if record is not None:
        record = FundsRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == FundsStatus.VERIFIED:
            raise ValidationError(
                _("A verified record cannot be changed: enter a correction instead.")
            )
        if version is not None and version != record.version:
            raise StaleRecord()
        fixed = {"project": project, "period": period, "kind": kind, "corrects": corrects}
        moved = {
            name: _("This cannot change once the record exists.")
            for name, value in fixed.items()
            if value != getattr(record, name)
        }
        if moved:
            raise ValidationError(moved)
    else:
        if corrects is not None:
            corrects = FundsRecord.objects.get(pk=corrects.pk)  # as it stands now
        record = FundsRecord(project=project, period=period, kind=kind, corrects=corrects)
    errors = funds_errors(project, period, kind, amount_wan, note, corrects)
    if errors:
        raise ValidationError(errors)
    if evidence is not None:
        try:
            record.evidence_type = check_upload(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
        record.evidence = evidence
    elif ledger_file:
        record.evidence.name = ledger_file
        record.evidence_type = "application/octet-stream"
    if kind == FundsKind.FUNDS and amount_wan > 0 and corrects is None and not record.evidence:
        raise ValidationError({"evidence": _("Attach the bank statement or other evidence.")})
    reasons = funds_flag_reasons(
        project=project, kind=kind, amount=amount_wan, exclude_pk=record.pk
    )
    if reasons and not confirm:
        raise NeedsConfirmation(reasons)
    record.amount_wan = amount_wan
    record.note = note.strip()
    record.status = FundsStatus.SUBMITTED
    record.reject_reason = ""
    record.flagged = bool(reasons)
    record.flag_reasons = "；".join(reasons)[:300]
    record.submitted_by = user
    if record.pk is not None:
        record.version += 1
    record.full_clean()
    record.save()
    return record


def funds_errors(
    project: Project,
    period: date,
    kind: str,
    amount: Decimal,
    note: str,
    corrects: FundsRecord | None,
    this_month: date | None = None,
) -> dict[str, str]:
    """What funds_submit refuses of a month's amount (`this_month`: the current month,
    given by a caller that checks many)."""
    errors = {}
    if period > (this_month or current_period()):
        errors["period"] = _("A month in the future cannot be reported.")
    if project.stage not in (BUILDING_STAGES if kind == FundsKind.INVESTMENT else LIVE_STAGES):
        errors["project"] = (
            _("Completed investment is reported for projects that have started.")
            if kind == FundsKind.INVESTMENT
            else _("Funds are reported for projects signed or later, not terminated.")
        )
    if corrects is not None:
        if (
            corrects.status != FundsStatus.VERIFIED
            or corrects.project_id != project.pk
            or (corrects.kind != kind)
        ):
            errors["corrects"] = _(
                "A correction corrects a verified record of the same project and kind."
            )
        if not note.strip():
            errors["note"] = _("Give the reason for the correction.")
    elif amount < 0:
        errors["amount_wan"] = _("An amount cannot be negative, except in a correction.")
    return errors


FUNDS_ENTRY_FIELDS = ("period", "kind", "amount_wan", "note")


@dataclass(frozen=True)
class FundsEntry:
    """One month's amount of one project, as a ledger gives it."""

    project: Project
    period: date
    kind: str
    amount_wan: Decimal
    note: str = ""


@transaction.atomic
def funds_import(
    *, user: Any, entries: list[FundsEntry], ledger_file: str, reason: str
) -> list[FundsRecord]:
    """Many months of many projects from an imported ledger, written together: each entry
    under the rules of funds_submit (the project's stage, no future month, no negative
    amount; an amount out of the ordinary flagged for the bureau, as if confirmed), the
    stored ledger as its evidence; the bureau's entries verified as they are written (the
    fields funds_verify sets). Refused whole, with each refused entry's index, if any
    entry breaks a rule. The history rows say who and `reason`."""
    require(user, Action.FUNDS_SUBMIT)
    verified = may(user, Action.FUNDS_VERIFY)
    ids = {entry.project.pk for entry in entries}
    editable = set(
        Project.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    totals = dict(
        FundsRecord.objects.filter(project__in=ids, kind=FundsKind.FUNDS)
        .exclude(status=FundsStatus.REJECTED)
        .values("project")
        .annotate(total=money_sum("amount_wan"))
        .values_list("project", "total")
    )
    now, this_month = timezone.now(), current_period()
    refused: dict[str, list[str]] = {}
    # the record's own rules, without a query a row, on the fields an entry gives (the
    # others are set here)
    rules = RecordRules(
        FundsRecord,
        trusted=[f.name for f in FundsRecord._meta.fields if f.name not in FUNDS_ENTRY_FIELDS],
    )

    def checked() -> Iterator[FundsRecord]:
        """Each entry's record, if it passes; what it breaks goes into `refused`."""
        for index, entry in enumerate(entries):
            project = entry.project
            errors = [
                str(m)
                for m in funds_errors(
                    project,
                    entry.period,
                    entry.kind,
                    entry.amount_wan,
                    entry.note,
                    None,
                    this_month,
                ).values()
            ]
            if project.pk not in editable:
                errors.append(_("You may not report for this project."))
            others = totals.get(project.pk, Decimal(0))
            reasons = funds_flag_reasons(
                project=project, kind=entry.kind, amount=entry.amount_wan, others=others
            )
            if entry.kind == FundsKind.FUNDS:
                totals[project.pk] = others + entry.amount_wan
            record = bulk.new(
                FundsRecord,
                project_id=project.pk,
                period=entry.period,
                year=entry.period.year,  # generated by the database; known here already
                kind=entry.kind,
                amount_wan=entry.amount_wan,
                note=entry.note.strip()[:300],
                status=FundsStatus.VERIFIED if verified else FundsStatus.SUBMITTED,
                flagged=bool(reasons),
                flag_reasons="；".join(reasons)[:300],
                submitted_by_id=user.pk,
                verified_by_id=user.pk if verified else None,
                verified_at=now if verified else None,
                evidence=ledger_file,
                evidence_type="application/octet-stream",
            )
            errors += [m for messages in rules.errors(record).values() for m in messages]
            if errors:
                refused[str(index)] = errors
            else:
                yield record

    # checked while written: a refusal rolls the whole back (this function is atomic)
    records = bulk.create(
        checked(), model=FundsRecord, count=len(entries), user=user, reason=reason
    )
    if refused:
        raise ValidationError(refused)
    return records


def _check_bureau(user: Any, record: FundsRecord) -> FundsRecord:
    require(user, Action.FUNDS_VERIFY)
    record = FundsRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != FundsStatus.SUBMITTED:
        raise ValidationError(_("Only a record awaiting verification can be verified or returned."))
    return record


@transaction.atomic
def funds_verify(*, record: FundsRecord, user: Any) -> FundsRecord:
    """The bureau verifies a submitted record: from now on it counts, and never changes."""
    record = _check_bureau(user, record)
    record.status = FundsStatus.VERIFIED
    record.verified_by = user
    record.verified_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def funds_reject(*, record: FundsRecord, user: Any, reason: str) -> FundsRecord:
    """The bureau returns a record to its unit with the reason."""
    record = _check_bureau(user, record)
    if not reason.strip():
        raise ValidationError({"reject_reason": _("Say why the record is returned.")})
    record.status = FundsStatus.REJECTED
    record.reject_reason = reason.strip()[:300]
    record.verified_by = user
    record.verified_at = timezone.now()
    record.save()
    _tell_returned(record, user)
    return record


def _tell_returned(record: FundsRecord, user: Any) -> None:
    """A returned record is told to whoever submitted it, if they still work for its unit;
    else to the unit's officers and head."""
    project = record.project
    submitter = record.submitted_by
    if submitter is not None and submitter.is_active and submitter.unit_id == project.unit_id:
        told: Any = [submitter]
    else:
        told = unit_staff(project.unit_id)
    notify(
        told,
        kind="funds_returned",
        text=_("A funds record was returned: %(project)s, %(month)s, %(kind)s. Reason: %(reason)s")
        % {
            "project": project.name,
            "month": record.month_label,
            "kind": record.get_kind_display(),
            "reason": record.reject_reason,
        },
        link=record.get_absolute_url(),
        key=f"funds-returned:{record.pk}:{record.version}",
        actor=user,
    )
