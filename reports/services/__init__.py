"""Building and publishing reports (DOMAIN.md "Reports"): a build stores a snapshot; a
draft is rebuilt in place; a published report never changes, and rebuilding its period
makes a new version, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Job
from core.periods import current_period, month_start
from core.policy import Action, require
from reports.choices import ReportKind, ReportStatus, ScoreComponent
from reports.models import Report, ScoreWeight
from reports.selectors import current_weights, monthly_bulletin, quarterly_review
from reports.selectors.annual import annual_assessment, annual_window, scheme_of
from reports.selectors.pending import report_pending


def needs_reason(*, kind: str, period: date) -> bool:
    """Is the period's latest report published (so a rebuild makes a version, with a reason)?"""
    latest = (
        Report.objects.filter(kind=kind, period=period).only("status").order_by("-version").first()
    )
    return latest is not None and latest.is_published


Progress = Callable[[int], None]


def _ignore_progress(percent: int) -> None:
    pass


def report_build(
    *,
    kind: str = ReportKind.MONTHLY,
    period: date,
    user: Any = None,
    reason: str = "",
    job: Job | None = None,
    progress: Progress | None = None,
) -> Report:
    """Build the report of `period` and store its snapshot: the period's draft rebuilt in
    place (never a second draft), else version 1, else (the latest is published) a new
    version, which needs a reason. A quarterly review's period is the first day of the
    quarter's first month; a quarter may be built once it has started.

    The figures are computed first (reads only, reporting `progress` 0–100 as the sections
    are done, so a job's progress bar moves), then stored in one short transaction."""
    require(user, Action.REPORT_BUILD)  # user None: a scheduled build (Celery beat)
    period, figures_of = _figures_of(kind, period)
    reason = (reason or "").strip()
    if not reason and needs_reason(kind=kind, period=period):
        raise ValidationError({"reason": _published_needs_reason()})
    figures = figures_of(progress or _ignore_progress)
    return _report_store(
        kind=kind, period=period, figures=figures, user=user, reason=reason, job=job
    )


def _published_needs_reason() -> str:
    return _("The report of this period is published: give a reason to rebuild it.")


def _figures_of(kind: str, period: date) -> tuple[date, Callable[[Progress], dict]]:
    """The period as stored and how to compute its figures; refuses what cannot be built."""
    if kind == ReportKind.MONTHLY:
        period = month_start(period)
        if period > current_period():
            raise ValidationError(_("A report cannot be built for a month in the future."))
        return period, lambda progress: monthly_bulletin(period.year, period.month, progress)
    if kind == ReportKind.QUARTERLY:
        quarter = quarter_of_period(period)
        if period > current_period():
            raise ValidationError(
                {"quarter": _("A review cannot be built for a quarter that has not started.")}
            )
        return period, lambda progress: quarterly_review(period.year, quarter, progress)
    if kind == ReportKind.ANNUAL:
        return _annual_figures_of(period)
    raise ValidationError(_("Unknown kind of report."))


def _annual_figures_of(period: date) -> tuple[date, Callable[[Progress], dict]]:
    """A year-end assessment: its period is 1 January; the year needs its scheme and its
    first month over (reports.selectors.annual)."""
    if period.month != 1 or period.day != 1:
        raise ValidationError({"year": _("A year-end assessment's period is 1 January.")})
    if annual_window(period.year, timezone.localdate()) is None:
        raise ValidationError(
            {"year": _("An assessment can be built once the year's first month is over.")}
        )
    scheme = scheme_of(period.year)
    if scheme is None:
        raise ValidationError(
            {"year": _("Set the assessment scheme of %(year)s first.") % {"year": period.year}}
        )
    return period, lambda progress: annual_assessment(period.year, progress, scheme)


@transaction.atomic
def _report_store(
    *, kind: str, period: date, figures: dict, user: Any, reason: str, job: Job | None
) -> Report:
    # Lock the period's reports so two builds of one period are stored one after the other
    # (without loading the figures of every earlier version).
    existing = list(
        Report.objects.select_for_update()
        .filter(kind=kind, period=period)
        .only("pk", "version", "status")
        .order_by("-version")
    )
    latest = existing[0] if existing else None
    if latest is not None and latest.is_published and not reason:
        raise ValidationError({"reason": _published_needs_reason()})
    now = timezone.now()
    if latest is not None and not latest.is_published:
        latest.figures = figures
        latest.built_at = now
        latest.built_by = user
        latest.job = job
        if reason:
            latest.rebuild_reason = reason
        latest.save(update_fields=["figures", "built_at", "built_by", "job", "rebuild_reason"])
        return _as_stored(latest)
    return _as_stored(
        Report.objects.create(
            kind=kind,
            period=period,
            version=latest.version + 1 if latest else 1,
            status=ReportStatus.DRAFT,
            figures=figures,
            built_at=now,
            built_by=user,
            rebuild_reason=reason,
            job=job,
        )
    )


def _as_stored(report: Report) -> Report:
    """The report with its figures as stored (Decimals and dates as strings): they are read
    back from the database when asked, like any report's, not kept as built."""
    del report.figures  # deferred: the next access reads the column
    return report


def quarter_of_period(period: date) -> int:
    """The quarter (1–4) whose report has this period: the first day of its first month."""
    if period.day != 1 or period.month not in (1, 4, 7, 10):
        raise ValidationError(
            {"quarter": _("A quarter's period is the first day of its first month.")}
        )
    return (period.month - 1) // 3 + 1


@transaction.atomic
def report_publish(*, report: Report, user: Any, confirm: bool = False, note: str = "") -> Report:
    """Publish a draft: from then on it never changes. While anything of its months is
    still open (records awaiting verification or returned, units that have not reported
    the last month) it is published only with `confirm` and a `note` saying why; the
    report keeps what was pending and the note."""
    require(user, Action.REPORT_PUBLISH)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise ValidationError(_("This report is already published."))
    pending = report_pending(report)
    note = note.strip()
    if pending.any and not (confirm and note):
        errors = {"confirm": [_("Still open in its months:"), *pending.sentences()]}
        if not note:
            errors["note"] = [_("Say why the report is published before they are settled.")]
        raise ValidationError(errors)
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = user
    report.publish_note = note
    report.pending_at_publish = pending.as_stored()
    report.save(
        update_fields=[
            "status",
            "published_at",
            "published_by",
            "publish_note",
            "pending_at_publish",
        ]
    )
    return report


@transaction.atomic
def score_weights_save(*, weights: dict[str, int], user: Any) -> dict[str, int]:
    """Set the weights of the quarterly review's score (the bureau): each a whole number
    from 0 to 100, their total above 0; all are saved or none. Components not given keep
    their weight. Each change is kept in the weights' history; a review already built
    keeps the weights it used. Returns the weights now in force."""
    require(user, Action.REPORT_SET_WEIGHTS)
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(weights) - set(ScoreComponent.values))
    if unknown:
        errors[NON_FIELD_ERRORS] = [
            _("Unknown parts of the score: %(names)s.") % {"names": ", ".join(unknown)}
        ]
    for component, weight in weights.items():
        if component in unknown:
            continue
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
            errors[component] = [_("Give a whole number from 0 to 100.")]
    if errors:
        raise ValidationError(errors)
    merged = current_weights() | weights
    if sum(merged.values()) <= 0:
        raise ValidationError({NON_FIELD_ERRORS: [_("The weights must add up to more than 0.")]})
    stored = {row.component: row for row in ScoreWeight.objects.select_for_update()}
    for component, weight in weights.items():
        row = stored.get(component)
        if row is None:
            ScoreWeight.objects.create(component=component, weight=weight)
        elif row.weight != weight:
            row.weight = weight
            row.save(update_fields=["weight", "updated_at"])
    return current_weights()
