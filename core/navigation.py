"""The navigation: which entries each role sees. Pages enforce access themselves;
this only hides what a person cannot use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import is_bureau, sees_everything


def anyone(user: Any) -> bool:
    return bool(user.is_authenticated)


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    shown_to: Callable[[Any], bool] = anyone


MAIN_NAV: list[NavEntry] = [
    NavEntry(_("Home"), "home"),
    NavEntry(_("Leads"), "projects:lead_list"),
    NavEntry(_("Projects"), "projects:project_list"),
    NavEntry(_("Blockers"), "projects:blocker_list"),
]

MANAGEMENT_NAV: list[NavEntry] = [
    NavEntry(_("Units"), "teams:unit_list", sees_everything),
    NavEntry(_("Accounts"), "teams:user_list", is_bureau),
    NavEntry(_("Industries"), "projects:industry_list", sees_everything),
    NavEntry(_("Possible duplicate projects"), "projects:duplicate_list", is_bureau),
    NavEntry(_("API documentation"), "api-docs", anyone),
]


def entries_for(user: Any, entries: list[NavEntry], path: str) -> list[dict]:
    shown = []
    for entry in entries:
        if entry.shown_to(user):
            url = reverse(entry.url_name)
            active = path == url if url == "/" else path.startswith(url)
            shown.append({"label": entry.label, "url": url, "active": active})
    return shown
