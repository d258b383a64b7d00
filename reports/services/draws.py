"""The draw of 两随机一公开 and its on-site inspections: only the bureau draws and records.

A draw is final: one per quarter and kind, never redrawn. Its seed and candidates are
kept with it so anyone can repeat it (reports.selectors.draws)."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.policy import Action, require
from core.uploads import check_upload
from reports.choices import DrawKind, InspectionStatus
from reports.models import Draw, Inspection, InspectionPhoto
from reports.selectors.draws import draw_candidates, draw_pick, quarter_start

SEED_MAX_LENGTH = Draw._meta.get_field("seed").max_length
PHOTO_TYPES = {"image/png", "image/jpeg"}
PHOTO_EXTENSIONS = {".png", ".jpg", ".jpeg"}


def new_seed() -> str:
    """A fresh seed of 16 hex digits from the operating system's secure random source."""
    return secrets.token_hex(8)


def _draw_exists_message() -> str:
    return _("This quarter already has a draw of this kind: a draw is final and never redrawn.")


@transaction.atomic
def draw_make(
    *,
    kind: str,
    year: int,
    quarter: int,
    size: int,
    seed: str = "",
    user: Any,
    note: str = "",
) -> Draw:
    """Draw `size` of the quarter's candidates with `seed` (a fresh one when blank), keep
    the seed and the candidates, and for a project draw open one pending inspection per
    drawn project. One draw per quarter and kind."""
    require(user, Action.DRAW_MAKE)
    if kind not in DrawKind.values:
        raise ValidationError({"kind": _("Choose units or projects.")})
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if quarter_start(year, quarter) > timezone.localdate():
        raise ValidationError({"quarter": _("The quarter has not started yet.")})
    seed = (seed or "").strip() or new_seed()
    if len(seed) > SEED_MAX_LENGTH:
        raise ValidationError(
            {"seed": _("The seed has at most %(max)d characters.") % {"max": SEED_MAX_LENGTH}}
        )
    if Draw.objects.filter(kind=kind, year=year, quarter=quarter).exists():
        raise ValidationError(_draw_exists_message())
    candidates = draw_candidates(kind, year, quarter)
    if not candidates:
        raise ValidationError({"size": _("There is no candidate to draw from.")})
    if not 1 <= size <= len(candidates):
        raise ValidationError(
            {
                "size": _("Draw between 1 and %(count)d (the number of candidates).")
                % {"count": len(candidates)}
            }
        )
    drawn = draw_pick(candidates, size, seed)
    try:
        with transaction.atomic():  # two bureau users drawing the same quarter at once
            draw = Draw.objects.create(
                kind=kind,
                year=year,
                quarter=quarter,
                size=size,
                seed=seed,
                candidates=candidates,
                drawn=drawn,
                drawn_by=user,
                note=(note or "").strip(),
            )
    except IntegrityError as clash:
        raise ValidationError(_draw_exists_message()) from clash
    if kind == DrawKind.PROJECTS:
        for project_id in drawn:
            Inspection.objects.create(draw=draw, project_id=project_id)
    return draw


@transaction.atomic
def inspection_record(
    *,
    inspection: Inspection,
    inspected_on: date,
    inspector: str,
    findings: str,
    user: Any,
) -> Inspection:
    """Record (or correct) an on-site check; it is then done. Its history keeps each
    version."""
    require(user, Action.INSPECTION_RECORD)
    inspection = Inspection.objects.select_for_update().select_related("draw").get(pk=inspection.pk)
    errors: dict[str, str] = {}
    if inspected_on is None:
        errors["inspected_on"] = _("Enter the date of the inspection.")
    elif inspected_on > timezone.localdate():
        errors["inspected_on"] = _("The inspection date cannot be in the future.")
    elif inspected_on < timezone.localdate(inspection.draw.created_at):
        errors["inspected_on"] = _("The inspection cannot be before its draw.")
    inspector = (inspector or "").strip()
    findings = (findings or "").strip()
    if not inspector:
        errors["inspector"] = _("Name who inspected.")
    if not findings:
        errors["findings"] = _("Write what was found.")
    if errors:
        raise ValidationError(errors)
    inspection.inspected_on = inspected_on
    inspection.inspector = inspector
    inspection.findings = findings
    inspection.status = InspectionStatus.DONE
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def inspection_photo_add(
    *, inspection: Inspection, image: UploadedFile, caption: str = "", user: Any
) -> InspectionPhoto:
    """Keep a photo of the site: PNG or JPEG only, recognised by its content."""
    require(user, Action.INSPECTION_RECORD)
    only_photos = _("Only photos in PNG or JPEG format are accepted.")
    if PurePath(image.name or "").suffix.lower() not in PHOTO_EXTENSIONS:
        raise ValidationError({"image": only_photos})
    try:
        content_type = check_upload(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    if content_type not in PHOTO_TYPES:
        raise ValidationError({"image": only_photos})
    photo = InspectionPhoto(
        inspection=inspection, image=image, caption=(caption or "").strip(), uploaded_by=user
    )
    photo.full_clean()
    photo.save()
    return photo
