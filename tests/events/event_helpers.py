"""Events and projects for the tests of events (issue 18, part 1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from events.models import Event
from tests.factories import ProjectFactory


def day(month, date, year=2026):
    return dt.date(year, month, date)


def make_event(organiser, start, end=None, *, kind="fair", name=None):
    start = day(*start) if isinstance(start, tuple) else start
    end = day(*end) if isinstance(end, tuple) else (end or start)
    return Event.objects.create(
        kind=kind,
        name=name or f"{start:%m%d}推介会",
        start_on=start,
        end_on=end,
        organiser=organiser,
    )


def signed_project(unit, code, signed_on, amount, *, stage="signed", started_on=None, **more):
    signed_on = day(*signed_on) if isinstance(signed_on, tuple) else signed_on
    if isinstance(started_on, tuple):
        started_on = day(*started_on)
    return ProjectFactory(
        code=code,
        unit=unit,
        stage=stage,
        signed_on=signed_on,
        started_on=started_on,
        contract_amount_wan=Decimal(amount),
        **more,
    )
