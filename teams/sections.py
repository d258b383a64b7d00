"""The tabs of a team's page that belong to the apps above teams: each registers, in its
AppConfig.ready, a function giving the page's context for its tab (the leads and
projects the team brought in, its trips, its targets), so teams imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

# Rows of each list shown on a team's page; the rest is one click away, on the list.
TEAM_PAGE_ROWS = 20

TeamSection = Callable[[HttpRequest, Any], dict[str, Any]]
TEAM_PAGE_SECTIONS: list[TeamSection] = []


def register_team_section(section: TeamSection) -> None:
    if section not in TEAM_PAGE_SECTIONS:
        TEAM_PAGE_SECTIONS.append(section)
