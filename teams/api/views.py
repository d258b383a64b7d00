"""Units, accounts, teams and trips over REST.

Rows come from the QuerySets' `visible_to` and `editable_by` (core.access) through
ScopedViewSet and ScopedAccess; writes go through teams.services; a trip's status comes
from teams.selectors."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import JSONParser

from core.api.viewsets import ScopedViewSet
from projects.models import Lead
from teams import selectors
from teams.api.serializers import TeamSerializer, TripSerializer, UnitSerializer, UserSerializer
from teams.filters import TeamFilter, TripFilter, UnitFilter, UserFilter
from teams.models import Team, Trip, TripVisit, Unit, User


class UnitViewSet(ScopedViewSet):
    """Units: every user reads them; the bureau creates and changes them."""

    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilter


class UserViewSet(ScopedViewSet):
    """Accounts: the bureau manages them; leaders read all; others read their unit's."""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserFilter
    select_related = ("unit",)


class TeamViewSet(ScopedViewSet):
    """Resident teams (驻点招商小分队) and industry groups (产业招商组团): every user reads
    them; the bureau creates and changes them."""

    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    filterset_class = TeamFilter

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("member_units", queryset=Unit.objects.only("pk")),
                Prefetch("members", queryset=User.objects.only("pk")),
            )
        )


def with_related(trips: QuerySet) -> QuerySet:
    """What a trip's representation reads besides its row, in one query each."""
    return trips.prefetch_related(
        Prefetch("participants", queryset=User.objects.only("pk")),
        Prefetch("leads", queryset=Lead.objects.only("pk")),
        Prefetch("visits", queryset=TripVisit.objects.all()),
    )


@extend_schema_view(
    create=extend_schema(
        description="Reports a trip: for the user's own unit, or for a team the user is a "
        "member of (the bureau for any unit or team). Leaders answer 403."
    )
)
class TripViewSet(ScopedViewSet):
    """Outbound promotion trips (外出招商活动) the user may see: their unit's, those of
    the teams their unit belongs to or they are a member of; all for the bureau and
    leaders. Each has a `status`: `plan` until it ends, then `awaiting` its results for 7
    days, `overdue` after that, `reported` once the results are in."""

    queryset = Trip.objects.all()
    serializer_class = TripSerializer
    filterset_class = TripFilter
    parser_classes = [JSONParser]  # the companies visited are a nested list

    def get_queryset(self) -> QuerySet:
        return with_related(selectors.trip_list(self.request.user, timezone.localdate()))

    def _refetched(self, trip: Trip) -> Trip:
        """The trip just written, with its status (the writer may have moved it out of
        their own reach, e.g. to another team's alone)."""
        return with_related(Trip.objects.with_status(timezone.localdate())).get(pk=trip.pk)

    def perform_create(self, serializer: TripSerializer) -> None:
        serializer.instance = self._refetched(serializer.save())

    def perform_update(self, serializer: TripSerializer) -> None:
        serializer.instance = self._refetched(serializer.save())
