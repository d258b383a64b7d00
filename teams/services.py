"""Writes of units, accounts, teams, trips and trip quotas. Pages, the API and seed_demo
all come through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teams.models import Team, Unit, User


def check_password(password: str, user: User) -> None:
    """Django's password validators, their messages filed under `password`."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


@transaction.atomic
def unit_save(*, unit: Unit) -> Unit:
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_set_active(*, unit: Unit, active: bool) -> Unit:
    unit.is_active = active
    unit._change_reason = _("Activated") if active else _("Deactivated")
    unit.save(update_fields=["is_active", "updated_at"])
    return unit


@transaction.atomic
def user_create(*, password: str, **fields: Any) -> User:
    user = User(**fields)
    check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_save(*, user: User) -> User:
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool) -> User:
    user.is_active = active
    user._change_reason = _("Activated") if active else _("Deactivated")
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_reset_password(*, user: User, password: str) -> User:
    """The bureau sets a new password for an account (validated like any password)."""
    check_password(password, user)
    user.set_password(password)
    user._change_reason = _("Password reset")
    user.save(update_fields=["password"])
    return user


def user_unlock(*, user: User) -> int:
    """Lifts a login lockout (failed attempts are forgotten); returns how many were."""
    return axes_reset(username=user.username)


# --- Teams -------------------------------------------------------------------------------


@transaction.atomic
def team_save(
    *,
    team: Team,
    member_units: Iterable[Unit] | None = None,
    members: Iterable[User] | None = None,
) -> Team:
    """Creates or changes a team; `member_units` and `members`, when given, replace the
    team's. The lead unit is always one of the member units."""
    team.full_clean()
    team.save()
    if member_units is not None:
        team.member_units.set(member_units)
    if team.lead_unit_id and not team.member_units.filter(pk=team.lead_unit_id).exists():
        team.member_units.add(team.lead_unit_id)
    if members is not None:
        team.members.set(members)
    return team
