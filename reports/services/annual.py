"""The year-end assessment (年终一考核): the bureau sets the scheme of a year (its indicators,
bonus and deduction items and grade rule, all saved or none) and scores manual items for a
unit, each with a note. Building and publishing the assessment go through the reports'
services (reports.services.report_build with kind `annual`, report_publish), like the
bulletin's. A built assessment keeps the scheme it used: changing the scheme changes only
the assessments built from then on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.policy import Action, require
from core.services import declare_input
from reports.choices import AdjustmentItem, GradeMethod, IndicatorMetric, ScoringMethod
from reports.models import AssessmentScheme, ManualScore, SchemeAdjustment, SchemeIndicator
from reports.selectors.annual import scheme_title
from reports.selectors.monthly import UNIT_GROUPS
from teams.models import Unit

MANUAL_FIELDS = declare_input(ManualScore, "unit", "title", "points", "note")
MAX_WEIGHT = Decimal(100)
MAX_CAP = Decimal(5)  # a ratio counted at most 500%
MAX_POINTS = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorEntry:
    """An indicator as the bureau sets it; `cap` only for the ratio to target."""

    metric: str
    weight: Any
    method: str
    cap: Any = None


@dataclass(frozen=True)
class AdjustmentEntry:
    """A bonus or deduction item as the bureau sets it: points per item, at most `cap`."""

    item: str
    points: Any
    cap: Any = None


def _decimal(value: Any) -> Decimal | None:
    """A number given as a Decimal, an int or its text; None for nothing or not a number."""
    if value is None or value == "" or isinstance(value, bool | float):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _check_year(year: Any) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})


def _indicators(entries: Sequence[IndicatorEntry]) -> tuple[list[dict[str, Any]], list[str]]:
    rows, errors, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        label = dict(IndicatorMetric.choices).get(entry.metric)
        if label is None:
            errors.append(_("Indicator %(number)s: choose what it measures.") % {"number": number})
            continue
        if entry.metric in seen:
            errors.append(_("%(indicator)s is set twice.") % {"indicator": label})
            continue
        seen.add(entry.metric)
        weight = _decimal(entry.weight)
        if weight is None or not 0 < weight <= MAX_WEIGHT or weight != weight.quantize(CENT):
            errors.append(
                _("%(indicator)s: its weight is a number of points above 0, at most 100.")
                % {"indicator": label}
            )
            continue
        if entry.method not in ScoringMethod.values:
            errors.append(_("%(indicator)s: choose how it is scored.") % {"indicator": label})
            continue
        cap = None
        if entry.method == ScoringMethod.RATIO:
            cap = _decimal(entry.cap)
            if cap is None or not 0 < cap <= MAX_CAP or cap != cap.quantize(CENT):
                errors.append(
                    _(
                        "%(indicator)s: scored by its ratio to target, it needs a cap above "
                        "0, at most 5 (1.2: 120%% counts at most)."
                    )
                    % {"indicator": label}
                )
                continue
        rows.append({"metric": entry.metric, "weight": weight, "method": entry.method, "cap": cap})
    if not rows and not errors:
        errors.append(_("Set at least one indicator."))
    return rows, errors


def _adjustments(entries: Sequence[AdjustmentEntry]) -> tuple[list[dict[str, Any]], list[str]]:
    rows, errors, seen = [], [], set()
    for entry in entries:
        label = dict(AdjustmentItem.choices).get(entry.item)
        if label is None:
            errors.append(_("Unknown bonus or deduction item: %(item)s.") % {"item": entry.item})
            continue
        if entry.item in seen:
            errors.append(_("%(item)s is set twice.") % {"item": label})
            continue
        seen.add(entry.item)
        points = _decimal(entry.points)
        if points is None or not 0 < points <= MAX_POINTS or points != points.quantize(CENT):
            errors.append(
                _("%(item)s: its points per item are above 0, at most 100.") % {"item": label}
            )
            continue
        cap = None
        if entry.cap not in (None, ""):
            cap = _decimal(entry.cap)
            if cap is None or not 0 < cap <= MAX_POINTS or cap != cap.quantize(CENT):
                errors.append(
                    _("%(item)s: its cap is above 0, at most 100 (blank: none).") % {"item": label}
                )
                continue
        rows.append({"item": entry.item, "points": points, "cap": cap})
    return rows, errors


def _grade_rule(method: str, values: dict[str, Any]) -> dict[str, Any]:
    """The grade rule's fields as stored (those of the other method blank), or the errors
    by field."""
    errors: dict[str, list[str]] = {}
    if method not in GradeMethod.values:
        raise ValidationError({"grade_method": _("Choose how grades are given.")})
    rule: dict[str, Any] = dict.fromkeys(
        ("excellent_min", "good_min", "pass_min", "excellent_share", "good_share", "fail_share")
    )
    if method == GradeMethod.THRESHOLDS:
        for name in ("excellent_min", "good_min", "pass_min"):
            number = _decimal(values.get(name))
            if number is None or not 0 <= number <= 200 or number != number.quantize(CENT):
                errors[name] = [_("Give a score from 0 to 200.")]
            rule[name] = number
        if not errors and not rule["excellent_min"] >= rule["good_min"] >= rule["pass_min"]:
            errors[NON_FIELD_ERRORS] = [
                _("The lowest scores must go down: Excellent ≥ Good ≥ Pass.")
            ]
    else:
        for name in ("excellent_share", "good_share", "fail_share"):
            number = _decimal(values.get(name))
            if number is None or not 0 <= number <= 1 or number != number.quantize(CENT / 100):
                errors[name] = [_("Give a share from 0 to 1 (0.2: 20%).")]
            rule[name] = number
        if not errors and rule["excellent_share"] + rule["good_share"] + rule["fail_share"] > 1:
            errors[NON_FIELD_ERRORS] = [_("The shares of the grades add up to more than 1.")]
    if errors:
        raise ValidationError(errors)
    return rule


@transaction.atomic
def assessment_scheme_save(
    *,
    year: int,
    user: Any,
    indicators: Sequence[IndicatorEntry],
    adjustments: Sequence[AdjustmentEntry] = (),
    grade_method: str = GradeMethod.THRESHOLDS,
    title: str = "",
    **grade_values: Any,
) -> AssessmentScheme:
    """Set the scheme of `year` (the bureau): its indicators in the order given (each
    measured once, a weight above 0, a cap when scored by its ratio to target), its bonus
    and deduction items (blank points: the item is not used) and its grade rule (the
    thresholds, or the shares, named in `grade_values`). All is saved or nothing; rows kept
    are changed in place, so each change is in their history."""
    require(user, Action.REPORT_SET_SCHEME)
    _check_year(year)
    unknown = set(grade_values) - {
        "excellent_min",
        "good_min",
        "pass_min",
        "excellent_share",
        "good_share",
        "fail_share",
    }
    if unknown:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    indicator_rows, indicator_errors = _indicators(indicators)
    adjustment_rows, adjustment_errors = _adjustments(adjustments)
    errors: dict[str, list[str]] = {}
    if indicator_errors:
        errors["indicators"] = indicator_errors
    if adjustment_errors:
        errors["adjustments"] = adjustment_errors
    try:
        rule = _grade_rule(grade_method, grade_values)
    except ValidationError as error:
        errors.update(error.message_dict)
        rule = {}
    if errors:
        raise ValidationError(errors)
    title = (title or "").strip()[:200] or scheme_title(year)

    scheme = AssessmentScheme.objects.select_for_update().filter(year=year).first()
    if scheme is None:
        try:
            with transaction.atomic():
                scheme = AssessmentScheme.objects.create(
                    year=year, title=title, grade_method=grade_method, updated_by=user, **rule
                )
        except IntegrityError:  # saved meanwhile by someone else: change theirs
            scheme = AssessmentScheme.objects.select_for_update().get(year=year)
    fields = {"title": title, "grade_method": grade_method, **rule}
    if any(getattr(scheme, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(scheme, name, value)
        scheme.updated_by = user
        scheme.save()

    existing = {row.metric: row for row in scheme.indicators.all()}
    wanted = {row["metric"] for row in indicator_rows}
    for row in existing.values():
        if row.metric not in wanted:
            row.delete()
    # Out of the way first would need a unique order; orders are not unique, so in place.
    for order, values in enumerate(indicator_rows, start=1):
        row = existing.get(values["metric"])
        if row is None:
            SchemeIndicator.objects.create(scheme=scheme, order=order, **values)
            continue
        changes = {"order": order, **values}
        if any(getattr(row, name) != value for name, value in changes.items()):
            for name, value in changes.items():
                setattr(row, name, value)
            row.save()

    kept = {row.item: row for row in scheme.adjustments.all()}
    wanted = {row["item"] for row in adjustment_rows}
    for row in kept.values():
        if row.item not in wanted:
            row.delete()
    for values in adjustment_rows:
        row = kept.get(values["item"])
        if row is None:
            SchemeAdjustment.objects.create(scheme=scheme, **values)
        elif (row.points, row.cap) != (values["points"], values["cap"]):
            row.points, row.cap = values["points"], values["cap"]
            row.save()
    return scheme


# --- Manual items --------------------------------------------------------------------------------


def _manual_values(data: dict[str, Any]) -> dict[str, Any]:
    """The typed values checked: a unit that is assessed (an active township, park or
    department), an item's name, points from −100 to 100 (not 0), a note saying why."""
    errors: dict[str, str] = {}
    refused = set(data) - MANUAL_FIELDS
    if refused:
        raise ValidationError(
            {
                name: _("“%(field)s” is not entered here.") % {"field": name}
                for name in sorted(refused)
            }
        )
    values = dict(data)
    if "unit" in values:
        unit = values["unit"]
        if not isinstance(unit, Unit) or not unit.is_active or unit.kind not in UNIT_GROUPS:
            errors["unit"] = _("Choose an active township, park or department.")
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            errors["title"] = _("Say what is scored.")
        elif len(values["title"]) > 100:
            errors["title"] = _("At most 100 characters.")
    if "points" in values:
        points = _decimal(values["points"])
        if points is None or not -MAX_POINTS <= points <= MAX_POINTS or points == 0:
            errors["points"] = _("Give points from −100 to 100, not 0 (negative: taken off).")
        elif points != points.quantize(CENT):
            errors["points"] = _("At most two decimals.")
        values["points"] = points
    if "note" in values:
        values["note"] = (values["note"] or "").strip()
        if not values["note"]:
            errors["note"] = _("Say why the points are given.")
    if errors:
        raise ValidationError(errors)
    return values


def _taken(error: IntegrityError) -> ValidationError:
    return ValidationError({"title": _("The unit already has an item of this name in the year.")})


@transaction.atomic
def manual_score_add(*, year: int, data: dict[str, Any], user: Any) -> ManualScore:
    """The bureau scores a manual item for a unit in `year` (`data`: unit, title, points,
    note). It counts in the assessments of the year built from then on."""
    require(user, Action.REPORT_SET_SCHEME)
    _check_year(year)
    missing = [name for name in ("unit", "title", "points", "note") if name not in data]
    if missing:
        raise ValidationError({name: _("Fill this in.") for name in missing})
    values = _manual_values(data)
    try:
        with transaction.atomic():
            return ManualScore.objects.create(year=year, scored_by=user, **values)
    except IntegrityError as clash:
        raise _taken(clash) from clash


@transaction.atomic
def manual_score_change(*, item: ManualScore, data: dict[str, Any], user: Any) -> ManualScore:
    """The bureau changes a manual item (its unit, name, points or note)."""
    require(user, Action.REPORT_SET_SCHEME)
    item = ManualScore.objects.select_for_update().get(pk=item.pk)
    values = _manual_values(data)
    for name, value in values.items():
        setattr(item, name, value)
    item.scored_by = user
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as clash:
        raise _taken(clash) from clash
    return item


@transaction.atomic
def manual_score_remove(*, item: ManualScore, user: Any) -> None:
    """The bureau removes a manual item; its history keeps it."""
    require(user, Action.REPORT_SET_SCHEME)
    ManualScore.objects.select_for_update().get(pk=item.pk).delete()
