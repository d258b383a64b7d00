"""Units, accounts, teams and trips over REST.

Rows come from the QuerySets' `visible_to` and `editable_by` (core.access) through
ScopedViewSet and ScopedAccess; writes go through teams.services; a trip's status comes
from trips.selectors."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.api.viewsets import ScopedViewSet
from teams.api.serializers import TeamSerializer, UnitSerializer, UserSerializer
from teams.filters import TeamFilter, UnitFilter, UserFilter
from teams.models import Team, Unit, User


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
