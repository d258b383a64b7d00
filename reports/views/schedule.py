"""The report build schedule (issue 7): when Celery beat builds each report draft, said in
words, whether it is on, when it last ran and when it runs next, with the recent changes.
The bureau changes it; leaders read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_celery_beat.models import PeriodicTask

from core.forms import StyledForm
from core.policy import Action, may, require
from reports.selectors.schedule import describe_crontab, next_run, schedule_history, task_label
from reports.services.schedule import SCHEDULE_LIMITS, report_schedule_change, report_tasks


@dataclass
class ScheduleRow:
    task: PeriodicTask
    label: str
    when: str
    enabled: bool
    last_run_at: datetime | None
    next_run_at: datetime | None
    form: ScheduleForm | None


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
    bureau = may(request.user, Action.REPORT_SCHEDULE)
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
        require(request.user, Action.REPORT_READ_SCHEDULE)
        return _page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.REPORT_SCHEDULE)
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
