"""Every uploaded file — a project's documents, funds evidence, inspection photos — served
by one view after the access check, to a browser's session and an API token alike, with
the same safe headers. Files are never served from MEDIA_URL.

Each app registers its files in its AppConfig.ready (`register_protected_file`); a
record's file is at `/files/<kind>/<id>/` (`protected_file_url`), and answers 404 to
whoever may not see the record (core.access), as an unknown id does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from core.uploads import INLINE_TYPES


@dataclass(frozen=True)
class ProtectedFile:
    model: type[Model]
    field: str  # the FileField
    content_type: Callable[[Any], str]  # what the file is (checked by content on upload)


PROTECTED_FILES: dict[str, ProtectedFile] = {}


def register_protected_file(
    kind: str, model: type[Model], field: str, content_type: Callable[[Any], str]
) -> None:
    PROTECTED_FILES[kind] = ProtectedFile(model, field, content_type)


def protected_file_url(kind: str, obj: Model, request: HttpRequest | None = None) -> str:
    """The file's address (absolute when a request is given, as the API answers it)."""
    url = reverse("protected-file", args=[kind, obj.pk])
    return request.build_absolute_uri(url) if request is not None else url


def _requester(request: HttpRequest) -> Any:
    """The session's user, else the API token's (None when neither is given)."""
    if request.user.is_authenticated:
        return request.user
    found = TokenAuthentication().authenticate(Request(request))
    return found[0] if found else None


@require_safe
def protected_file(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    source = PROTECTED_FILES.get(kind)
    if source is None:
        raise Http404
    try:
        user = _requester(request)
    except exceptions.AuthenticationFailed as failed:
        return JsonResponse({"detail": str(failed.detail)}, status=401)
    if user is None:
        if request.headers.get("Authorization"):
            detail = _("Authentication credentials were not provided.")
            return JsonResponse({"detail": detail}, status=401)
        return redirect_to_login(request.get_full_path())
    record = get_object_or_404(source.model._default_manager.visible_to(user), pk=pk)
    stored = getattr(record, source.field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = source.content_type(record) or "application/octet-stream"
    # Only PDFs and images open in the browser; anything else (an Office file, and any
    # type that could carry a script) is downloaded, never rendered.
    inline = content_type in INLINE_TYPES and request.GET.get("download") is None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not inline,
        filename=PurePath(stored.name).name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'; sandbox"
    response["X-Frame-Options"] = "SAMEORIGIN"  # the verification queue shows evidence inline
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response
