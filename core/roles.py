"""The roles of DOMAIN.md and the actor every rule is asked about.

Below every app: core.access (which rows) and core.policy (which actions) read them, and
teams.models.User is the actor the pages and the API pass in."""

from __future__ import annotations

from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    BUREAU = "bureau", _("Bureau")
    LEADER = "leader", _("County leader")


class Actor(Protocol):
    """Whoever a rule is asked about: a logged-in account (teams.models.User) or Django's
    anonymous user. Superusers are system administrators and act as the bureau."""

    pk: int | None
    is_authenticated: bool
    is_active: bool
    is_superuser: bool
    role: str
    unit_id: int | None


def role_of(user: Actor | None) -> str | None:
    """The role the rules read: a superuser's is the bureau's; none for the anonymous and
    the deactivated."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.BUREAU
    return user.role


class Installer:
    """Whoever sets the system up from the command line (`manage.py seed_demo`, a county's
    first units and accounts): acts as a system administrator, with no account of its own
    (the audit history names no one)."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    role = Role.BUREAU
    unit_id = None


INSTALLER = Installer()
