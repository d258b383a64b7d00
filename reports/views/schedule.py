"""The report build schedule (issue 7): when Celery beat builds each report draft, said in
words, whether it is on, when it last ran and when it runs next, with the recent changes.
The bureau changes it; leaders read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.access import is_bureau, sees_everything
from core.forms import StyledForm
from core.history import Change, HistoryEntry
from reports.services.schedule import SCHEDULE_LIMITS, report_schedule_change, report_tasks

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


@dataclass
class ScheduleRow:
    task: PeriodicTask
    label: str
    when: str
    enabled: bool
    last_run_at: datetime | None
    next_run_at: datetime | None
    form: ScheduleForm | None


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


def _number(name: str, label: str | Promise) -> forms.IntegerField:
    low, high = SCHEDULE_LIMITS[name]
    return forms.IntegerField(label=label, min_value=low, max_value=high)


class ScheduleForm(StyledForm):
    task = forms.IntegerField(widget=forms.HiddenInput)
    day = _number("day", gettext_lazy("Day of month"))
    hour = _number("hour", gettext_lazy("Hour"))
    minute = _number("minute", gettext_lazy("Minute"))
    enabled = forms.BooleanField(label=gettext_lazy("On"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One message for every way a number can be wrong; the page puts the field's label
        # before it ("Hour: enter a whole number from 0 to 23.").
        for name, (low, high) in SCHEDULE_LIMITS.items():
            message = _("Enter a whole number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
            field = self.fields[name]
            for key in ("required", "invalid", "min_value", "max_value", "step_size"):
                field.error_messages[key] = message

    @classmethod
    def for_task(cls, task: PeriodicTask, data: Any = None) -> ScheduleForm:
        crontab = task.crontab
        initial = {"task": task.pk, "enabled": task.enabled}
        if crontab is not None:
            for name, field in (("day", "day_of_month"), ("hour", "hour"), ("minute", "minute")):
                value = getattr(crontab, field)
                initial[name] = int(value) if value.isdigit() else ""
        # one form per build on the page: ids of its own, the same field names
        return cls(data, initial=initial, auto_id=f"id_task{task.pk}_%s")


def _page(
    request: HttpRequest, bound: ScheduleForm | None = None, status: int = 200
) -> HttpResponse:
    bureau = is_bureau(request.user)
    tasks = list(report_tasks().select_related("crontab").order_by("task", "name"))
    now = timezone.now()
    rows = []
    for task in tasks:
        form = None
        if bureau:
            bound_here = bound is not None and bound.data.get("task") == str(task.pk)
            form = bound if bound_here else ScheduleForm.for_task(task)
        rows.append(
            ScheduleRow(
                task=task,
                label=task_label(task),
                when=describe_crontab(task.crontab) if task.crontab else "—",
                enabled=task.enabled,
                last_run_at=task.last_run_at,
                next_run_at=next_run(task, now),
                form=form,
            )
        )
    context = {"rows": rows, "history": schedule_history(tasks), "may_change": bureau}
    return render(request, "reports/schedule.html", context, status=status)


class ScheduleView(View):
    """GET: the bureau and leaders read the schedule. POST: the bureau changes one build."""

    http_method_names = ["get", "post", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sees_everything(request.user):
            raise PermissionDenied
        return _page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not is_bureau(request.user):
            raise PermissionDenied
        task_id = request.POST.get("task", "")
        task = get_object_or_404(report_tasks(), pk=int(task_id) if task_id.isdigit() else 0)
        form = ScheduleForm.for_task(task, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report_schedule_change(
                    task=task,
                    day=data["day"],
                    hour=data["hour"],
                    minute=data["minute"],
                    enabled=data["enabled"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The schedule of %(build)s is saved.") % {"build": task_label(task)}
                )
                return HttpResponseRedirect(reverse("reports:schedule"))
        messages.error(request, _("The schedule was not saved: correct the fields marked below."))
        return _page(request, bound=form, status=400)
