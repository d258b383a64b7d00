"""Reads of the report build schedule (Celery beat, django-celery-beat's rows): when each
build runs, in words, when it runs next, and the recent changes with who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.history import Change, HistoryEntry

TASK_LABELS: dict[str, str | Promise] = {
    "reports.schedule_monthly_bulletin": gettext_lazy("Monthly bulletin draft"),
    "reports.schedule_quarterly_review": gettext_lazy("Quarterly review draft"),
}
RECENT_CHANGES = 20
CRON_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def task_label(task: Any) -> str:
    """The build's name for people (PeriodicTask.name is a fixed English key)."""
    return str(TASK_LABELS.get(task.task, task.name))


def describe_crontab(crontab: Any) -> str:
    """When a crontab runs, in words: "每月5日 02:00", "1、4、7、10月的10日 02:00"."""
    values = [str(getattr(crontab, name)) for name in CRON_FIELDS]
    minute, hour, day, months, weekdays = values
    if not (minute.isdigit() and hour.isdigit() and day.isdigit()) or weekdays != "*":
        return _("Cron expression %(expression)s") % {"expression": " ".join(values)}
    words = {"day": int(day), "time": f"{int(hour):02d}:{int(minute):02d}"}
    if months == "*":
        text = _("Day %(day)s of every month at %(time)s") % words
    else:
        separator = pgettext("list separator", ", ")
        words["months"] = separator.join(m.strip() for m in months.split(","))
        text = _("Day %(day)s of months %(months)s at %(time)s") % words
    zone = str(crontab.timezone)
    if zone != settings.TIME_ZONE:
        text = f"{text} ({zone})"
    return text


def next_run(task: PeriodicTask, now: datetime) -> datetime | None:
    """The next time the crontab fires after `now` (None when the build is off)."""
    if not task.enabled or task.crontab is None:
        return None
    start, delta, _now = task.crontab.schedule.remaining_delta(now)
    return start + delta


def on_off(enabled: bool) -> str:
    return _("On") if enabled else _("Off")


def schedule_history(tasks: list[PeriodicTask]) -> list[HistoryEntry]:
    """The recent changes of the builds' schedules, newest first: who turned which build on
    or off or moved it, when, from what to what. Beat's own saves (last run, run count) are
    left out. A fixed number of queries, however long the history."""
    historical_task = PeriodicTask.history.model
    historical_crontab = CrontabSchedule.history.model
    rows = list(
        historical_task.objects.filter(task__startswith="reports.")
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    crontab_ids = {row.crontab_id for row in rows} - {None}
    # a crontab as it is now, or (deleted) as its history last saw it
    crontabs: dict[int, Any] = {c.pk: c for c in CrontabSchedule.objects.filter(pk__in=crontab_ids)}
    missing = crontab_ids - crontabs.keys()
    for old in historical_crontab.objects.filter(id__in=missing).order_by("history_date"):
        crontabs[old.id] = old
    labels = {task.pk: task_label(task) for task in tasks}
    previous: dict[int, tuple[str, bool]] = {}
    entries: list[HistoryEntry] = []
    for row in rows:
        crontab = crontabs.get(row.crontab_id)
        state = (describe_crontab(crontab) if crontab else "—", row.enabled)
        before = previous.get(row.id)
        previous[row.id] = state
        if before is None or before == state:  # the starting state, or nothing we show
            continue
        changes = []
        if before[0] != state[0]:
            changes.append(Change(field=_("Runs"), old=before[0], new=state[0]))
        if before[1] != state[1]:
            changes.append(Change(field=_("Status"), old=on_off(before[1]), new=on_off(state[1])))
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=str(user) if user else _("system"),
                action=labels.get(row.id) or str(TASK_LABELS.get(row.task, row.name)),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries[:RECENT_CHANGES]
