from django.conf import settings
from django.http import HttpRequest

from core.navigation import MAIN_NAV, MANAGEMENT_NAV, entries_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    context = {"county_name": settings.COUNTY_NAME}
    if user is not None and user.is_authenticated:
        context["main_nav"] = entries_for(user, MAIN_NAV, request.path)
        context["management_nav"] = entries_for(user, MANAGEMENT_NAV, request.path)
    return context
