from core.api.viewsets import ScopedViewSet
from teams.api.serializers import UnitSerializer, UserSerializer
from teams.filters import UnitFilter, UserFilter
from teams.models import Unit, User


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
