"""Writes of units, accounts and teams (the bureau's). Pages, the API and the demo all
come through here: each service checks the role (core.policy), takes only the fields a
person types (core.services.take) and validates the record whole."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.policy import Action, require
from core.services import declare_input, take
from teams.models import Team, Unit, User

UNIT_INPUT = declare_input(
    Unit, "code", "name", "kind", "sort_order", "min_intensity_wan_per_mu", "is_active"
)
USER_INPUT = declare_input(
    User, "username", "full_name", "role", "unit", "phone", "email", "is_active", "password"
)
TEAM_INPUT = declare_input(
    Team,
    "name",
    "kind",
    "region",
    "leader_name",
    "lead_unit",
    "member_units",
    "members",
    "budget_wan",
    "active_from",
    "active_until",
    "is_active",
)


def check_password(password: str, user: User) -> None:
    """Django's password validators, their messages filed under `password`."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


@transaction.atomic
def unit_save(*, user: Any, data: Mapping[str, Any], unit: Unit | None = None) -> Unit:
    """Creates a unit or changes one."""
    require(user, Action.UNIT_MANAGE)
    unit = Unit.objects.select_for_update().get(pk=unit.pk) if unit else Unit()
    take(unit, data, UNIT_INPUT)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_set_active(*, user: Any, unit: Unit, active: bool) -> Unit:
    require(user, Action.UNIT_MANAGE)
    unit.is_active = active
    unit._change_reason = _("Activated") if active else _("Deactivated")
    unit.save(update_fields=["is_active", "updated_at"])
    return unit


@transaction.atomic
def user_create(*, user: Any, data: Mapping[str, Any]) -> User:
    """Creates an account with its first password (`password` in `data`)."""
    require(user, Action.ACCOUNT_MANAGE)
    data = dict(data)
    password = data.pop("password", None) or ""
    account = User()
    take(account, data, USER_INPUT)
    if not password:
        raise ValidationError({"password": _("Give the account its first password.")})
    check_password(password, account)
    account.set_password(password)
    account.full_clean(exclude=["password"])
    account.save()
    return account


@transaction.atomic
def user_save(*, user: Any, account: User, data: Mapping[str, Any]) -> User:
    """Changes an account; a `password` in `data` sets a new one."""
    require(user, Action.ACCOUNT_MANAGE)
    account = User.objects.select_for_update().get(pk=account.pk)
    data = dict(data)
    password = data.pop("password", None)
    take(account, data, USER_INPUT)
    account.full_clean(exclude=["password"])
    account.save()
    if password:
        user_reset_password(user=user, account=account, password=password)
    return account


@transaction.atomic
def user_set_active(*, user: Any, account: User, active: bool) -> User:
    require(user, Action.ACCOUNT_MANAGE)
    account.is_active = active
    account._change_reason = _("Activated") if active else _("Deactivated")
    account.save(update_fields=["is_active"])
    return account


@transaction.atomic
def user_reset_password(*, user: Any, account: User, password: str) -> User:
    """The bureau sets a new password for an account (validated like any password)."""
    require(user, Action.ACCOUNT_MANAGE)
    check_password(password, account)
    account.set_password(password)
    account._change_reason = _("Password reset")
    account.save(update_fields=["password"])
    return account


def user_unlock(*, user: Any, account: User) -> int:
    """Lifts a login lockout (failed attempts are forgotten); returns how many were."""
    require(user, Action.ACCOUNT_MANAGE)
    return axes_reset(username=account.username)


# --- Teams -------------------------------------------------------------------------------


@transaction.atomic
def team_save(*, user: Any, data: Mapping[str, Any], team: Team | None = None) -> Team:
    """Creates or changes a team; `member_units` and `members`, when given, replace the
    team's. The lead unit is always one of the member units."""
    require(user, Action.TEAM_MANAGE)
    team = Team.objects.select_for_update().get(pk=team.pk) if team else Team()
    many = take(team, data, TEAM_INPUT)
    team.full_clean()
    team.save()
    if "member_units" in many:
        team.member_units.set(many["member_units"])
    if team.lead_unit_id and not team.member_units.filter(pk=team.lead_unit_id).exists():
        team.member_units.add(team.lead_unit_id)
    if "members" in many:
        team.members.set(many["members"])
    return team
