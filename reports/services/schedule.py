"""The report build schedule (issue 7): the bureau changes when Celery beat builds the report
drafts. The schedule lives in django-celery-beat's tables (PeriodicTask + CrontabSchedule);
every change is kept in their audit history (registered in reports.models), with its user."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from core.policy import Action, require

REPORT_TASK_PREFIX = "reports."

# The bounds of each field, and the message that names it. Days stop at 28 so that a build
# runs in every month, February included.
SCHEDULE_LIMITS: dict[str, tuple[int, int]] = {"day": (1, 28), "hour": (0, 23), "minute": (0, 59)}
SCHEDULE_ERRORS = {
    "day": gettext_lazy("Day of month must be a whole number from 1 to 28."),
    "hour": gettext_lazy("Hour must be a whole number from 0 to 23."),
    "minute": gettext_lazy("Minute must be a whole number from 0 to 59."),
}


def report_tasks() -> Any:
    """The scheduled report builds: django-celery-beat's rows whose task is one of ours."""
    return PeriodicTask.objects.filter(task__startswith=REPORT_TASK_PREFIX)


def _check_values(values: dict[str, Any]) -> None:
    errors = {}
    for name, (low, high) in SCHEDULE_LIMITS.items():
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = str(SCHEDULE_ERRORS[name])
    if errors:
        raise ValidationError(errors)


def _keep_starting_state(obj: PeriodicTask | CrontabSchedule) -> None:
    """Rows made before the history was registered (by the data migrations) have none: record
    their state before the first change, so the change shows what it changed from."""
    manager = type(obj).history
    if not manager.filter(id=obj.pk).exists():
        manager.bulk_history_create([obj])


@transaction.atomic
def report_schedule_change(
    *, task: PeriodicTask, day: int, hour: int, minute: int, enabled: bool, user: Any
) -> PeriodicTask:
    """Run a report build on `day` of the month at `hour`:`minute` (the crontab's months and
    time zone are kept: the quarterly build stays in January, April, July and October), or
    switch it off.

    The task gets a crontab row of its own, made for it, and never edits a crontab row that
    another task may share; the row it leaves is deleted when no task uses it any more."""
    require(user, Action.REPORT_SCHEDULE)
    _check_values({"day": day, "hour": hour, "minute": minute})
    task = report_tasks().select_for_update(of=("self",)).select_related("crontab").get(pk=task.pk)
    old = task.crontab
    if old is None:
        raise ValidationError(_("This build is not scheduled by a crontab."))
    wanted = {"minute": str(minute), "hour": str(hour), "day_of_month": str(day)}
    same_time = all(getattr(old, field) == value for field, value in wanted.items())
    if same_time and task.enabled == enabled:
        return task
    _keep_starting_state(task)
    if not same_time:
        _keep_starting_state(old)
        crontab = CrontabSchedule(
            **wanted,
            month_of_year=old.month_of_year,
            day_of_week=old.day_of_week,
            timezone=old.timezone,
        )
        crontab._history_user = user
        crontab.save()
        task.crontab = crontab
    task.enabled = enabled
    task._history_user = user
    task.save()  # its signal tells beat (PeriodicTasks) to reload the schedule
    if not same_time and not PeriodicTask.objects.filter(crontab=old).exists():
        old._history_user = user
        old.delete()
    PeriodicTasks.update_changed()
    return task
