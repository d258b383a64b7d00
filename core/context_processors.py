from functools import cache

from django.conf import settings
from django.http import HttpRequest

from core.navigation import MAIN_NAV, MANAGEMENT_NAV, entries_for
from core.notifications import unread_count


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    context = {"county_name": settings.COUNTY_NAME}
    if user is not None and user.is_authenticated:
        context["main_nav"] = entries_for(user, MAIN_NAV, request.path)
        context["management_nav"] = entries_for(user, MANAGEMENT_NAV, request.path)
        # The navbar's badge: one query, and only on a page that shows it (called there once).
        context["unread_notifications"] = cache(lambda: unread_count(user))
    return context
