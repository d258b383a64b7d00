"""The response clock of new leads (首报首谈) as people see it: an amber or red badge on the
lead list and the lead's page, the words in the workbook. The colours are computed in the
database (LeadQuerySet.with_clock); this only shows them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.views import Column
from projects.choices import LeadClockColour

CLOCK_BADGES = {LeadClockColour.AMBER: "text-bg-warning", LeadClockColour.RED: "text-bg-danger"}


def days_waited(received_on: date | None, today: date | None = None) -> int:
    if received_on is None:
        return 0
    return ((today or timezone.localdate()) - received_on).days


def clock_text(colour: str | None, received_on: date | None) -> str:
    """ "已5天未跟进" for a lead whose clock is amber or red; "" when it does not run."""
    if not colour:
        return ""
    return _("Not followed up for %(days)s days") % {"days": days_waited(received_on)}


def clock_badge(colour: str | None, received_on: date | None) -> SafeString | str:
    if not colour:
        return ""
    return format_html(
        '<span class="badge {}" data-clock="{}" title="{}">{}</span>',
        CLOCK_BADGES.get(colour, "text-bg-secondary"),
        colour,
        LeadClockColour(colour).label,
        clock_text(colour, received_on),
    )


class ClockColumn(Column):
    """The clock on the lead list: a badge on the page, its words in the workbook (which
    reads the column's value)."""

    def display(self, row: Any) -> Any:
        return clock_badge(getattr(row, "clock", ""), row.received_on)
