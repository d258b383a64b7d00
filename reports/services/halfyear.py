"""The half-year inspection (半年一督查): the bureau creates it, sets its checklist, adds
the units (drawn in the half's 两随机 draws of units, or chosen), records each unit's report
(述职) with its outcome and a finding per checklist item, and publishes the results. The
inspected unit's staff report how they rectified a finding; the bureau confirms it or
returns it. Publishing freezes the findings and outcomes; rectifications go on after it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.policy import Action, Refused, require
from core.uploads import check_upload
from reports.choices import (
    DrawKind,
    FindingStatus,
    Half,
    InspectedUnitSource,
    RectificationStatus,
    ReportOutcome,
    ReportStatus,
    half_quarters,
)
from reports.models import (
    ChecklistItem,
    Draw,
    Finding,
    HalfYearInspection,
    InspectedUnit,
    Rectification,
)
from reports.selectors.draws import REPORTING_UNIT_KINDS
from teams.models import Unit


@dataclass(frozen=True)
class ChecklistEntry:
    """One item as the bureau sets it: `id` of an existing item to keep (None: a new one)."""

    title: str
    guidance: str = ""
    id: int | None = None


def halfyear_title(year: int, half: int) -> str:
    """ "青山县2026年上半年招商引资督查": the default title, and the workbook's."""
    return _("%(county)s %(year)s %(half)s investment promotion inspection") % {
        "county": settings.COUNTY_NAME,
        "year": year,
        "half": Half(half).label,
    }


def _published_message() -> str:
    return _(
        "The inspection is published: its findings and outcomes no longer change "
        "(rectifications go on)."
    )


def _lock(inspection: HalfYearInspection) -> HalfYearInspection:
    return HalfYearInspection.objects.select_for_update().get(pk=inspection.pk)


def _require_draft(inspection: HalfYearInspection, field: str = "__all__") -> None:
    if inspection.is_published:
        raise ValidationError({field: _published_message()})


def _checked_file(upload: UploadedFile | None, field: str) -> str:
    """The content type of an uploaded file (checked by content), "" for none."""
    if not upload:
        return ""
    try:
        return check_upload(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


# --- The inspection, its checklist and its units -------------------------------------------


@transaction.atomic
def halfyear_create(*, year: int, half: int, title: str = "", user: Any) -> HalfYearInspection:
    """A draft inspection of the half; one per year and half."""
    require(user, Action.INSPECTION_RECORD)
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    if half not in Half.values:
        errors["half"] = _("A half is 1 (January to June) or 2 (July to December).")
    if errors:
        raise ValidationError(errors)
    title = (title or "").strip() or halfyear_title(year, half)
    exists = _("This half of the year already has its inspection.")
    if HalfYearInspection.objects.filter(year=year, half=half).exists():
        raise ValidationError({"half": exists})
    try:
        with transaction.atomic():
            return HalfYearInspection.objects.create(
                year=year, half=half, title=title[:200], created_by=user
            )
    except IntegrityError as clash:
        raise ValidationError({"half": exists}) from clash


@transaction.atomic
def halfyear_checklist_set(
    *, inspection: HalfYearInspection, items: Sequence[ChecklistEntry], user: Any
) -> list[ChecklistItem]:
    """The checklist as given, in its order: items named by id are kept (their findings
    with them), new ones added, the others removed (refused while they have findings)."""
    require(user, Action.INSPECTION_RECORD)
    inspection = _lock(inspection)
    _require_draft(inspection, "items")
    entries = [entry for entry in items if (entry.title or "").strip()]
    if not entries:
        raise ValidationError({"items": _("Set at least one checklist item.")})
    existing = {item.pk: item for item in inspection.items.all()}
    kept_ids = {entry.id for entry in entries if entry.id is not None}
    if kept_ids - existing.keys():
        raise ValidationError({"items": _("A checklist item is not of this inspection.")})
    dropped = [item for pk, item in existing.items() if pk not in kept_ids]
    with_findings = [item.title for item in dropped if item.findings.exists()]
    if with_findings:
        raise ValidationError(
            {
                "items": _("These items have findings and cannot be removed: %(items)s")
                % {"items": "、".join(with_findings)}
            }
        )
    titles = [entry.title.strip() for entry in entries]
    if len(set(titles)) != len(titles):
        raise ValidationError({"items": _("Each checklist item has its own title.")})
    ChecklistItem.objects.filter(pk__in=[item.pk for item in dropped]).delete()
    # Out of the way first: the orders are unique within an inspection.
    for item in existing.values():
        if item.pk in kept_ids:
            item.order += 1000
            item.save(update_fields=["order", "updated_at"])
    saved = []
    for order, entry in enumerate(entries, start=1):
        item = existing[entry.id] if entry.id is not None else ChecklistItem(inspection=inspection)
        item.order = order
        item.title = entry.title.strip()[:200]
        item.guidance = (entry.guidance or "").strip()
        item.save()
        saved.append(item)
    return saved


def _add_unit(
    inspection: HalfYearInspection, unit: Unit, source: str, draw: Draw | None
) -> InspectedUnit | None:
    if InspectedUnit.objects.filter(inspection=inspection, unit=unit).exists():
        return None
    return InspectedUnit.objects.create(inspection=inspection, unit=unit, source=source, draw=draw)


@transaction.atomic
def halfyear_units_add_drawn(
    *, inspection: HalfYearInspection, draw: Draw, user: Any
) -> list[InspectedUnit]:
    """Add the units drawn in one of the half's draws of units (两随机), each linked to the
    draw; units already in the inspection stay as they are."""
    require(user, Action.INSPECTION_RECORD)
    inspection = _lock(inspection)
    _require_draft(inspection, "draw")
    if (
        draw.kind != DrawKind.UNITS
        or draw.year != inspection.year
        or draw.quarter not in half_quarters(inspection.half)
    ):
        raise ValidationError({"draw": _("Choose a draw of units of this half's quarters.")})
    units = Unit.objects.in_bulk(list(draw.drawn))
    added = [
        _add_unit(inspection, units[pk], InspectedUnitSource.DRAWN, draw)
        for pk in draw.drawn
        if pk in units
    ]
    return [row for row in added if row is not None]


@transaction.atomic
def halfyear_units_add(
    *, inspection: HalfYearInspection, units: Iterable[Unit], user: Any
) -> list[InspectedUnit]:
    """Add units the bureau chooses (active townships, parks and departments)."""
    require(user, Action.INSPECTION_RECORD)
    inspection = _lock(inspection)
    _require_draft(inspection, "units")
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if any(not unit.is_active or unit.kind not in REPORTING_UNIT_KINDS for unit in units):
        raise ValidationError(
            {"units": _("Only active townships, parks and departments are inspected.")}
        )
    added = [_add_unit(inspection, unit, InspectedUnitSource.CHOSEN, None) for unit in units]
    return [row for row in added if row is not None]


# --- What the inspection found ----------------------------------------------------------------


@transaction.atomic
def halfyear_report_record(
    *,
    inspected: InspectedUnit,
    reported_on: date | None,
    reported_by: str,
    outcome: str,
    outcome_note: str = "",
    user: Any,
) -> InspectedUnit:
    """Record (or correct, while a draft) a unit's report (述职) and the bureau's outcome."""
    require(user, Action.INSPECTION_RECORD)
    inspected = InspectedUnit.objects.select_for_update().get(pk=inspected.pk)
    _require_draft(inspected.inspection, "outcome")
    errors: dict[str, str] = {}
    reported_by = (reported_by or "").strip()
    if reported_on is None:
        errors["reported_on"] = _("Enter the date of the report.")
    elif reported_on > timezone.localdate():
        errors["reported_on"] = _("The report cannot be in the future.")
    if not reported_by:
        errors["reported_by"] = _("Name who reported.")
    if outcome not in ReportOutcome.values:
        errors["outcome"] = _("Choose the outcome of the report.")
    if errors:
        raise ValidationError(errors)
    inspected.reported_on = reported_on
    inspected.reported_by = reported_by[:100]
    inspected.outcome = outcome
    inspected.outcome_note = (outcome_note or "").strip()
    inspected.save()
    return inspected


@transaction.atomic
def finding_record(
    *,
    inspected: InspectedUnit,
    item: ChecklistItem,
    text: str,
    deadline: date | None = None,
    file: UploadedFile | None = None,
    user: Any,
) -> Finding:
    """Record (or correct, while a draft) what was found on one item at one unit. With a
    deadline the unit must rectify it; without one it needs no rectification. A new file
    replaces the old one; without one the old file stays."""
    require(user, Action.INSPECTION_RECORD)
    inspected = InspectedUnit.objects.select_related("inspection").get(pk=inspected.pk)
    _lock(inspected.inspection)
    _require_draft(inspected.inspection, "text")
    errors: dict[str, Any] = {}
    text = (text or "").strip()
    if item.inspection_id != inspected.inspection_id:
        errors["item"] = _("The item is not on this inspection's checklist.")
    if not text:
        errors["text"] = _("Write what was found.")
    if deadline is not None and deadline < timezone.localdate():
        errors["deadline"] = _("The rectification deadline cannot be in the past.")
    try:
        content_type = _checked_file(file, "file")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.filter(inspected=inspected, item=item).first()
    if finding is None:
        finding = Finding(inspected=inspected, item=item)
    elif finding.rectifications.exists() and deadline is None:
        raise ValidationError(
            {"deadline": _("The unit has reported a rectification: keep a deadline.")}
        )
    finding.text = text
    finding.deadline = deadline
    finding.recorded_by = user
    if deadline is None:
        finding.status = FindingStatus.NO_ACTION
    elif finding.status == FindingStatus.NO_ACTION:
        finding.status = FindingStatus.OPEN
    if file:
        finding.file = file
        finding.file_type = content_type
    finding.save()
    return finding


# --- Rectifications -----------------------------------------------------------------------------


@transaction.atomic
def rectification_report(
    *, finding: Finding, note: str, file: UploadedFile | None = None, user: Any
) -> Rectification:
    """The inspected unit's staff report how they rectified a finding of their own unit;
    it then awaits the bureau's confirmation. Before or after publishing alike."""
    require(user, Action.INSPECTION_RECTIFY)
    finding = Finding.objects.select_for_update().select_related("inspected").get(pk=finding.pk)
    if finding.inspected.unit_id != getattr(user, "unit_id", None):
        raise Refused(Action.INSPECTION_RECTIFY)
    if finding.status == FindingStatus.NO_ACTION:
        raise ValidationError({"note": _("This finding needs no rectification.")})
    if finding.status == FindingStatus.RECTIFIED:
        raise ValidationError({"note": _("The rectification is already confirmed.")})
    if finding.status == FindingStatus.REPORTED:
        raise ValidationError(
            {"note": _("A rectification is already awaiting the bureau's confirmation.")}
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done to rectify it.")})
    content_type = _checked_file(file, "file")
    rectification = Rectification(finding=finding, note=note, reported_by=user)
    if file:
        rectification.file = file
        rectification.file_type = content_type
    rectification.save()
    finding.status = FindingStatus.REPORTED
    finding.save(update_fields=["status", "updated_at"])
    return rectification


def _awaiting(finding: Finding, user: Any) -> tuple[Finding, Rectification]:
    require(user, Action.INSPECTION_RECORD)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    rectification = finding.rectifications.filter(status=RectificationStatus.REPORTED).first()
    if finding.status != FindingStatus.REPORTED or rectification is None:
        raise ValidationError({"__all__": _("No rectification of this finding awaits a decision.")})
    return finding, rectification


@transaction.atomic
def rectification_confirm(*, finding: Finding, user: Any) -> Finding:
    """The bureau confirms the unit's reported rectification: the finding is closed."""
    finding, rectification = _awaiting(finding, user)
    now = timezone.now()
    rectification.status = RectificationStatus.CONFIRMED
    rectification.decided_by, rectification.decided_at = user, now
    rectification.save()
    finding.status = FindingStatus.RECTIFIED
    finding.rectified_on = timezone.localdate(now)
    finding.save(update_fields=["status", "rectified_on", "updated_at"])
    return finding


@transaction.atomic
def rectification_return(*, finding: Finding, reason: str, user: Any) -> Finding:
    """The bureau returns the reported rectification with a reason: the finding is open
    again and the unit reports anew."""
    finding, rectification = _awaiting(finding, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the rectification is returned.")})
    rectification.status = RectificationStatus.RETURNED
    rectification.decided_by, rectification.decided_at = user, timezone.now()
    rectification.return_reason = reason
    rectification.save()
    finding.status = FindingStatus.OPEN
    finding.save(update_fields=["status", "updated_at"])
    return finding


# --- Publishing ----------------------------------------------------------------------------------


@transaction.atomic
def halfyear_publish(*, inspection: HalfYearInspection, user: Any) -> HalfYearInspection:
    """Publish the results to every user. Needs a checklist, at least one unit and the
    report (述职) outcome of every drawn unit. Then findings and outcomes no longer change."""
    require(user, Action.REPORT_PUBLISH)
    inspection = _lock(inspection)
    if inspection.is_published:
        raise ValidationError({"__all__": _("The inspection is already published.")})
    errors: list[str] = []
    if not inspection.items.exists():
        errors.append(_("Set the checklist first."))
    if not inspection.units.exists():
        errors.append(_("Add the units inspected first."))
    unreported = inspection.units.filter(source=InspectedUnitSource.DRAWN, outcome="")
    names = list(unreported.values_list("unit__name", flat=True))
    if names:
        errors.append(
            _("The report (述职) of these drawn units has no outcome yet: %(units)s")
            % {"units": "、".join(names)}
        )
    if errors:
        raise ValidationError({"__all__": errors})
    inspection.status = ReportStatus.PUBLISHED
    inspection.published_at = timezone.now()
    inspection.published_by = user
    inspection.save()
    return inspection
