import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Seconds between writes of the "last seen" mark: a session is not saved on every request.
LAST_SEEN_RESOLUTION = 30


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login unless marked @login_not_required.

    The API answers for itself (401 from DRF), so it is left to its own authentication.
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without requests, and after
    SESSION_ABSOLUTE_LIFETIME since login, whatever the activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        self.lifetime = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self.expired(request.session):
            logout(request)
            messages.warning(request, _("Your session has expired. Please log in again."))
        response = self.get_response(request)
        # After the view, so the login request itself stamps the session it creates; only
        # sessions of a login (an API call with a token has none and gets none).
        if request.user.is_authenticated and SESSION_KEY in request.session:
            self.stamp(request.session)
        return response

    def expired(self, session: Any) -> bool:
        now = time.time()
        login_at = session.get("login_at", now)
        last_seen = session.get("last_seen", now)
        return now - last_seen > self.idle or now - login_at > self.lifetime

    def stamp(self, session: Any) -> None:
        now = time.time()
        session.setdefault("login_at", now)
        if now - session.get("last_seen", 0) >= LAST_SEEN_RESOLUTION:
            session["last_seen"] = now
