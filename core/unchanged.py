"""Answers kept while the database is unchanged.

A list page or an API list asked again by the same user, with the same query, while
nothing has been written to the database since, gets the answer it got before instead of
running its queries again. "Nothing written" is PostgreSQL's write-ahead log position
(`pg_current_wal_insert_lsn()`): every change — a save in the app, the admin, a Celery
job, a script — moves it, so a kept answer can never outlive a change the user could see.
The key also holds the user, the language, the day (flags such as "stalled" depend on the
date) and, for pages, the CSRF cookie (the page carries a token for it). An answer is kept
`UNCHANGED_ANSWER_SECONDS` (a minute) at most, which bounds the one window this misses: a
commit that is already in the log but not yet visible to the reading transaction. 0 keeps
nothing (the query-count tests measure the lists' own queries so).

Without PostgreSQL (the SQLite of `make run`) nothing is kept. bench/README.md, fix 13.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language


def database_position() -> str | None:
    """Where PostgreSQL's write-ahead log stands (moves with every write); None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


def _key(request: HttpRequest, position: str, *parts: str) -> str:
    raw = "\n".join(
        [
            request.get_host(),  # the API's links to next pages hold it
            request.get_full_path(),
            str(request.user.pk),
            get_language() or "",
            timezone.localdate().isoformat(),
            position,
            *parts,
        ]
    )
    return "unchanged:" + hashlib.sha256(raw.encode()).hexdigest()


def kept_while_unchanged(
    request: HttpRequest, answer: Callable[[], Any], *, page: bool = False
) -> Any:
    """The answer of `answer()` (a response not yet rendered: a TemplateResponse or DRF's
    Response), or the same bytes again while the database has not changed. `page`: an HTML
    page, kept only when it shows no one-off message and the user has a CSRF cookie. An
    API answer is kept in JSON only."""
    seconds = settings.UNCHANGED_ANSWER_SECONDS
    if not seconds or request.method != "GET" or not request.user.is_authenticated:
        return answer()
    renderer = getattr(request, "accepted_renderer", None)  # an API request (DRF)
    if renderer is not None and renderer.format != "json":  # the browsable API: a form page
        return answer()
    extra = []
    if page:
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if not csrf or len(get_messages(request)):
            return answer()
        extra.append(csrf)
    position = database_position()
    if position is None:
        return answer()
    key = _key(request, position, *extra)
    kept = cache.get(key)
    if kept is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = answer()
    if response.status_code == 200 and hasattr(response, "add_post_render_callback"):

        def keep(rendered: HttpResponse) -> None:
            cache.set(key, (rendered.content, rendered["Content-Type"]), seconds)

        response.add_post_render_callback(keep)
    return response
