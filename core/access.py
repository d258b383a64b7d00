"""Which rows a user reaches: the one place row scoping lives.

Every list, detail, export, API endpoint and report takes its rows from `visible_to` and
its writable rows from `editable_by`; which *role* may take which action is the table of
core.policy. Each QuerySet declares its scope instead of writing its own method:

- `unit_path`: the row's responsible unit; its staff read and change the row.
- `reader_paths`: further units whose staff read it (cooperating units, member units).
- `member_paths`: accounts that read and change it whatever their unit (a team's members
  on the team's trips, the account that started a job).
- `reader_member_paths`: accounts that read it only (a team's members read its targets).
- `public`: True when every logged-in user reads every row; a Q for the rows everyone
  reads (the county's targets, published reports).
- `leaders_read_all`: leaders read every row (False: only the public ones, e.g. drafts
  stay the bureau's).
- `write_action`: the core.policy action that lets a role change rows of this kind at
  all (None: nobody changes them through the app). The bureau changes every row its
  role may; others only the rows of their reach.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q

from core.policy import may
from core.roles import Actor, Role, role_of


def is_bureau(user: Actor | Any) -> bool:
    return role_of(user) == Role.BUREAU


def sees_everything(user: Actor | Any) -> bool:
    """The bureau and leaders read every unit's rows."""
    return role_of(user) in (Role.BUREAU, Role.LEADER)


class ScopedQuerySet(models.QuerySet):
    """A QuerySet that knows which rows a user may see and change (see the module)."""

    unit_path: str | None = "unit"
    reader_paths: tuple[str, ...] = ()
    member_paths: tuple[str, ...] = ()
    reader_member_paths: tuple[str, ...] = ()
    public: bool | Q = False
    leaders_read_all: bool = True
    write_action: str | None = None

    def _reached(self, condition: Q, path: str, value: Any) -> Q:
        """Rows reached along a to-many path, as a subquery (a join would repeat rows)."""
        rows = self.model._default_manager.filter(**{path: value})
        return condition | Q(pk__in=rows.values("pk"))

    def _own(self, user: Actor) -> Q:
        """The rows of the user's unit and those naming the user as a member."""
        condition = Q(pk__in=[])
        if self.unit_path and user.unit_id is not None:
            condition |= Q(**{self.unit_path: user.unit_id})
        for path in self.member_paths:
            condition = self._reached(condition, path, user.pk)
        return condition

    def visible_to(self, user: Actor | Any) -> Self:
        role = role_of(user)
        if role is None:
            return self.none()
        if self.public is True or role == Role.BUREAU:
            return self
        if role == Role.LEADER and self.leaders_read_all:
            return self
        through = self._through()
        if through is not None:
            return self.filter(**{f"{through}__in": self._reached_through(through, user, role)})
        if self.public is False and role != Role.LEADER:
            return self.filter(pk__in=self._reached_ids(user))
        condition = self.public if isinstance(self.public, Q) else Q(pk__in=[])
        if role != Role.LEADER:
            condition |= self._own(user)
            for path in self.reader_paths:
                if user.unit_id is not None:
                    condition = self._reached(condition, path, user.unit_id)
            for path in self.reader_member_paths:
                condition = self._reached(condition, path, user.pk)
        return self.filter(condition)

    def _reached_ids(self, user: Actor) -> models.QuerySet:
        """The ids of the rows `visible_to`'s paths reach, as a union of each path's ids
        rather than one OR: PostgreSQL answers "the project's unit is U, or it is one of
        those U cooperates on" by reading every project of the stage asked (12 600 for 5
        shown, 21 ms), where each path's ids come from its own index (bench/README.md,
        issue 20)."""
        rows = self.model._default_manager.order_by()
        reached: list[tuple[str, Any]] = []
        if user.unit_id is not None:
            if self.unit_path:
                reached.append((self.unit_path, user.unit_id))
            reached += [(path, user.unit_id) for path in self.reader_paths]
        reached += [(path, user.pk) for path in (*self.member_paths, *self.reader_member_paths)]
        if not reached:
            return rows.none().values("pk")
        ids = [rows.filter(**{path: value}).values("pk") for path, value in reached]
        return ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]

    def _through(self) -> str | None:
        """The foreign key every scope path goes through (`project` for a funds record's
        `project__unit` and `project__cooperating_units`), if there is one and no row is
        public. Such rows are scoped by their parents' ids: "the record's project is one of
        these" is read from the parent's index, where "its project's unit is U, or it is one
        of the records of the projects U cooperates on" made PostgreSQL count 2.4 million
        funds records joined to their projects (0.44 s → 0.04 s, bench/README.md issue 20)."""
        paths = [
            path
            for path in (
                self.unit_path,
                *self.reader_paths,
                *self.member_paths,
                *self.reader_member_paths,
            )
            if path
        ]
        if not paths or self.public is not False:
            return None
        first = paths[0].split("__", 1)[0]
        if any("__" not in path or path.split("__", 1)[0] != first for path in paths):
            return None
        field = self.model._meta.get_field(first)
        if not (field.many_to_one and field.concrete):
            return None
        return first

    def _reached_through(self, through: str, user: Actor, role: str) -> models.QuerySet:
        """The ids of the parents whose rows the user reads: `visible_to`'s condition, each
        path read from the parent (`project__unit` as the project's `unit`)."""
        parents = self.model._meta.get_field(through).related_model._base_manager.all()

        def rest(path: str) -> str:
            return path.split("__", 1)[1]

        reached: list[tuple[str, Any]] = []
        if role != Role.LEADER:
            if self.unit_path and user.unit_id is not None:
                reached.append((self.unit_path, user.unit_id))
            reached += [(path, user.pk) for path in self.member_paths]
            if user.unit_id is not None:
                reached += [(path, user.unit_id) for path in self.reader_paths]
            reached += [(path, user.pk) for path in self.reader_member_paths]
        if not reached:
            return parents.none().values("pk")
        # A union of each path's parents, not one OR: PostgreSQL estimates "unit U or one of
        # the projects U cooperates on" at half the projects and then scans every record.
        ids = [
            parents.filter(**{rest(path): value}).order_by().values("pk") for path, value in reached
        ]
        return ids[0].union(*ids[1:]) if len(ids) > 1 else ids[0]

    def editable_by(self, user: Actor | Any) -> Self:
        if not self.creatable_by(user):
            return self.none()
        if is_bureau(user):
            return self
        return self.filter(self._own(user))

    def creatable_by(self, user: Actor | Any) -> bool:
        """May the user's role change (and create) rows of this kind at all?"""
        return self.write_action is not None and may(user, self.write_action)


def may_assign_unit(user: Actor | Any, unit: Any) -> bool:
    """A record's responsible unit: the bureau may name any, others only their own."""
    if is_bureau(user):
        return True
    return unit is not None and unit.pk == user.unit_id


def can_edit(user: Actor | Any, obj: models.Model) -> bool:
    qs = type(obj)._default_manager.all()
    return qs.editable_by(user).filter(pk=obj.pk).exists()
