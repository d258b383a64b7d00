"""The dashboard's card of data freshness (reports.selectors.freshness): for the county, how
many units are stale on each; for a unit, its own three dates. One query."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from core.access import sees_everything
from core.policy import Action, may
from reports.selectors.freshness import STALE_DAYS, freshness_summary, unit_freshness
from reports.views.freshness import freshness_cells

register = template.Library()


@register.inclusion_tag("reports/_freshness_card.html", takes_context=True)
def freshness_card(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    today = timezone.localdate()
    rows = unit_freshness(user)
    county = sees_everything(user)
    return {
        "county": county,
        "summary": freshness_summary(rows, today) if county else None,
        "own": freshness_cells(rows[0], today) if rows and not county else None,
        "stale_days": STALE_DAYS,
        "may_read_table": may(user, Action.PROGRESS_READ_ALL),
    }
