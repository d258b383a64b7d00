"""The home page's work queue (a panel of core.home, registered in WorkConfig.ready) and the
notifications page: one's own notifications, each opened (and so read) in one click, or all
marked read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from core.models import Notification
from core.notifications import mark_all_read, mark_read
from core.policy import Action, may
from core.roles import Role, role_of
from work.selectors import todo_for

# A few links to what the queue does not list (starting something new), for whoever may.
QUICK_LINKS = (
    (gettext_lazy("Enter a lead"), "projects:lead_create", Action.LEAD_EDIT, True),
    (gettext_lazy("Monthly entry"), "projects:funds_entry", Action.FUNDS_SUBMIT, True),
    (gettext_lazy("Report a trip"), "trips:trip_create", Action.TRIP_REPORT, True),
    (gettext_lazy("Data freshness"), "reports:freshness", Action.PROGRESS_READ_ALL, False),
)


def quick_links(user: Any) -> list[dict[str, Any]]:
    """The quick links of the user's role: a unit's own work for its staff."""
    unit_staff = role_of(user) in (Role.OFFICER, Role.UNIT_HEAD)
    return [
        {"label": label, "url": reverse(name)}
        for label, name, action, for_unit_staff in QUICK_LINKS
        if may(user, action) and (unit_staff or not for_unit_staff)
    ]


def work_queue_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's work queue (work.selectors.todo_for): each item links to where the
    person acts; "Nothing to do" when it is empty."""
    if not request.user.is_authenticated:
        return None
    return {
        "template": "work/_home_queue.html",
        "items": todo_for(request.user),
        "quick_links": quick_links(request.user),
    }


class NotificationListView(ListView):
    """One's own notifications, newest first; `?unread=1` the unread ones only."""

    template_name = "work/notifications.html"
    paginate_by = 50
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> Any:
        notifications = Notification.objects.of(self.request.user)
        if self.request.GET.get("unread"):
            notifications = notifications.unread()
        return notifications

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["unread_only"] = bool(self.request.GET.get("unread"))
        return context


class NotificationReadView(View):
    """Marks one of one's notifications read; with `open`, goes on to what it is about."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(Notification.objects.of(request.user), pk=pk)
        mark_read(request.user, notification)
        link = notification.link
        if request.POST.get("open") and url_has_allowed_host_and_scheme(
            link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(link)
        return HttpResponseRedirect(reverse("work:notifications"))


class NotificationReadAllView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        count = mark_all_read(request.user)
        if count:
            messages.success(request, _("All notifications are marked read."))
        return HttpResponseRedirect(reverse("work:notifications"))
