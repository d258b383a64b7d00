"""Trips over REST. Rows come from `Trip.objects.visible_to` (core.access) through
ScopedViewSet; writes go through trips.services; a trip's status comes from
trips.selectors."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import JSONParser

from core.api.viewsets import ScopedViewSet
from projects.models import Lead
from teams.models import User
from trips import selectors
from trips.api.serializers import TripSerializer
from trips.filters import TripFilter
from trips.models import Trip, TripVisit


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
