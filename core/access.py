"""Who may see and change what: the one place access rules live.

Every list, detail, export, API endpoint and report asks these functions and the
QuerySet methods below; nothing else decides access.

- The bureau (and superusers) see and change everything.
- Leaders see everything and change nothing.
- Officers and unit heads see and change their own unit's records; they read records
  of other units that name their unit as a cooperating unit.
- A team's members (Team.members) also see, report and complete the team's trips
  (`may_report_for_team`, teams.models.TripQuerySet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

from teams.choices import Role

if TYPE_CHECKING:
    from teams.models import Team, Unit, User


def is_bureau(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.BUREAU))


def is_leader(user: Any) -> bool:
    return bool(user.is_authenticated and not user.is_superuser and user.role == Role.LEADER)


def is_unit_head(user: Any) -> bool:
    return bool(user.is_authenticated and not user.is_superuser and user.role == Role.UNIT_HEAD)


def sees_everything(user: Any) -> bool:
    return is_bureau(user) or is_leader(user)


def may_write(user: Any) -> bool:
    """Anyone logged in but a leader may write something."""
    return bool(user.is_authenticated and user.is_active and not is_leader(user))


class ScopedQuerySet(models.QuerySet):
    """A QuerySet that knows which rows a user may see and change.

    Subclasses say how a row reaches its responsible unit (`unit_path`), which further
    units may read it (`reader_paths`), whether every logged-in user reads all rows
    (`public`) and whether only the bureau writes (`bureau_managed`).
    """

    unit_path: str = "unit"
    reader_paths: tuple[str, ...] = ()
    public: bool = False
    bureau_managed: bool = False

    def visible_to(self, user: User | Any) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if self.public or sees_everything(user):
            return self
        if user.unit_id is None:
            return self.none()
        condition = Q(**{self.unit_path: user.unit_id})
        for path in self.reader_paths:
            readers = self.model._default_manager.filter(**{path: user.unit_id})
            condition |= Q(pk__in=readers.values("pk"))
        return self.filter(condition)

    def editable_by(self, user: User | Any) -> Self:
        if not may_write(user):
            return self.none()
        if is_bureau(user):
            return self
        if self.bureau_managed or user.unit_id is None:
            return self.none()
        return self.filter(**{self.unit_path: user.unit_id})

    def creatable_by(self, user: User | Any) -> bool:
        """May the user create rows of this kind at all (for some unit)?"""
        if not may_write(user):
            return False
        return is_bureau(user) or not self.bureau_managed


def may_assign_unit(user: User | Any, unit: Unit | None) -> bool:
    """A record's responsible unit: the bureau may name any, others only their own."""
    if is_bureau(user):
        return True
    return unit is not None and unit.pk == user.unit_id


def may_report_for_team(user: User | Any, team: Team | None) -> bool:
    """May the user report a trip (or change one) in the name of this team? The bureau for
    any team; otherwise only a member of the team (Team.members) who may write. Officers of
    a member unit who are not members read the team's trips but do not report for it."""
    if team is None or not may_write(user):
        return False
    if is_bureau(user):
        return True
    return team.members.filter(pk=user.pk).exists()


def can_edit(user: User | Any, obj: models.Model) -> bool:
    qs = type(obj)._default_manager.all()
    return qs.editable_by(user).filter(pk=obj.pk).exists()
