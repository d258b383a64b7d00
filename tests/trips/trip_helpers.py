"""Teams and trips for the tests of issue 6, made directly (the services have their own
tests)."""

from __future__ import annotations

import datetime as dt

from teams.choices import TeamKind
from teams.models import Team
from trips.models import Trip, TripVisit


def make_team(name, lead_unit, *, kind=TeamKind.RESIDENT, member_units=(), members=(), **fields):
    team = Team.objects.create(name=name, kind=kind, lead_unit=lead_unit, **fields)
    team.member_units.set([lead_unit, *member_units])
    team.members.set(members)
    return team


def make_trip(
    start,
    end=None,
    *,
    unit=None,
    team=None,
    led_by=None,
    participants=(),
    summary="",
    destination="上海",
    visits=(),
):
    start = dt.date(*start) if isinstance(start, tuple) else start
    end = dt.date(*end) if isinstance(end, tuple) else (end or start)
    trip = Trip.objects.create(
        unit=unit,
        team=team,
        leader_name=led_by.get_full_name() if led_by else "带队人",
        led_by=led_by,
        destination=destination,
        start_on=start,
        end_on=end,
        summary=summary,
    )
    trip.participants.set(participants)
    for company in visits:
        TripVisit.objects.create(trip=trip, company=company)
    return trip
