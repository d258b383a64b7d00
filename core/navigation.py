"""The navigation: which entries each role sees. Pages enforce access themselves;
this only hides what a person cannot use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.policy import Action, may


def anyone(user: Any) -> bool:
    return bool(user.is_authenticated)


def allowed(*actions: str) -> Callable[[Any], bool]:
    """Shown to whoever may take one of the actions (core.policy)."""
    return lambda user: any(may(user, action) for action in actions)


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    shown_to: Callable[[Any], bool] = anyone


@dataclass(frozen=True)
class NavGroup:
    """A menu of entries under one label."""

    label: str | Promise
    entries: list[NavEntry]


MAIN_NAV: list[NavEntry | NavGroup] = [
    NavEntry(_("Home"), "home"),  # the work queue (work.selectors.todo_for)
    NavEntry(_("Dashboard"), "reports:dashboard"),
    NavEntry(_("Leads"), "projects:lead_list"),
    NavGroup(
        _("Projects"),
        [
            NavEntry(_("Projects"), "projects:project_list"),
            NavEntry(_("Project library"), "projects:reserve_list"),
            NavEntry(_("Events"), "events:event_list"),
            NavEntry(
                _("Sponsored projects"), "projects:sponsored", allowed(Action.PROGRESS_READ_ALL)
            ),
            NavEntry(_("Ledger import"), "ledgers:list", allowed(Action.LEDGER_IMPORT)),
        ],
    ),
    NavGroup(
        _("Funds in place"),
        [
            NavEntry(_("Monthly entry"), "projects:funds_entry", allowed(Action.FUNDS_SUBMIT)),
            NavEntry(_("Funds ledger"), "projects:funds_ledger"),
            NavEntry(
                _("Verification queue"), "projects:funds_queue", allowed(Action.FUNDS_READ_QUEUE)
            ),
            NavEntry(_("Reporting status"), "projects:funds_status"),
        ],
    ),
    NavEntry(_("Blockers"), "projects:blocker_list"),
    NavEntry(_("Supervision orders"), "supervision:order_list"),
    NavGroup(
        _("Targets"),
        [
            NavEntry(
                _("Set targets"),
                "targets:grid",
                allowed(Action.TARGET_SET, Action.TARGET_DECOMPOSE),
            ),
            NavEntry(_("Progress table"), "targets:progress", allowed(Action.PROGRESS_READ_ALL)),
            NavEntry(_("My progress"), "targets:mine"),
        ],
    ),
    NavGroup(
        _("Teams and trips"),
        [
            NavEntry(_("Trips"), "trips:trip_list"),
            NavEntry(_("Report a trip"), "trips:trip_create", allowed(Action.TRIP_REPORT)),
            NavEntry(_("Trips against quota"), "trips:quota_table"),
            NavEntry(_("Teams"), "teams:team_list"),
            NavEntry(_("Team performance"), "trips:team_performance"),
        ],
    ),
    NavGroup(
        _("Reports"),
        [
            NavEntry(_("Monthly bulletins"), "reports:monthly_list"),
            NavEntry(_("Quarterly reviews"), "reports:quarterly_list"),
            NavEntry(_("Draws and inspections"), "reports:draw_list"),
            NavEntry(_("Half-year inspections"), "reports:halfyear_list"),
            NavEntry(_("Year-end assessments"), "reports:annual_list"),
            NavEntry(_("Data freshness"), "reports:freshness", allowed(Action.PROGRESS_READ_ALL)),
        ],
    ),
]

MANAGEMENT_NAV: list[NavEntry | NavGroup] = [
    NavEntry(_("Units"), "teams:unit_list", allowed(Action.UNIT_READ_ALL)),
    NavEntry(_("Accounts"), "teams:user_list", allowed(Action.ACCOUNT_MANAGE)),
    NavEntry(_("Trip quotas"), "trips:quota_settings", allowed(Action.QUOTA_SET)),
    NavEntry(_("Industries"), "projects:industry_list", allowed(Action.INDUSTRY_READ_ALL)),
    NavEntry(
        _("Possible duplicate projects"),
        "projects:duplicate_list",
        allowed(Action.DUPLICATE_DECIDE),
    ),
    NavEntry(_("Lead response clock"), "projects:lead_clock", allowed(Action.LEAD_SET_CLOCK)),
    NavEntry(_("Score weights"), "reports:weights", allowed(Action.REPORT_SET_WEIGHTS)),
    NavEntry(_("Build schedule"), "reports:schedule", allowed(Action.REPORT_SCHEDULE)),
    NavEntry(_("API documentation"), "api-docs", anyone),
]


def entries_for(user: Any, entries: list[NavEntry | NavGroup], path: str) -> list[dict]:
    shown = []
    for entry in entries:
        if isinstance(entry, NavGroup):
            children = entries_for(user, entry.entries, path)
            if children:
                active = any(child["active"] for child in children)
                shown.append({"label": entry.label, "children": children, "active": active})
        elif entry.shown_to(user):
            url = reverse(entry.url_name)
            active = path == url if url == "/" else path.startswith(url)
            shown.append({"label": entry.label, "url": url, "active": active})
    return shown
