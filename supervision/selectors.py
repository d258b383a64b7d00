"""Reads and figures of supervision orders: who sees which, the red ones for the home
page, and each unit's counts that the bulletin's warnings and the review's deduction use.
Every figure is computed in the database, in one query whatever the number of orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet

from core.access import is_bureau
from core.db import subquery_count
from core.roles import Role, role_of
from supervision.choices import OrderLevel
from supervision.models import SupervisionAnswer, SupervisionOrder
from teams.choices import UnitKind
from teams.models import Unit


def order_list(user: Any) -> QuerySet[SupervisionOrder]:
    """The orders a user sees (the bureau and leaders all, a unit its own), with what the
    list shows beside them."""
    return (
        SupervisionOrder.objects.visible_to(user)
        .select_related("unit", "project", "blocker", "issued_by")
        .annotate(
            answer_count=subquery_count(SupervisionAnswer.objects.filter(order=OuterRef("pk")))
        )
    )


def order_answers(order: SupervisionOrder) -> QuerySet[SupervisionAnswer]:
    """The order's thread: every answer, oldest first, with who answered and decided."""
    return order.answers.select_related("answered_by", "decided_by").order_by("answered_at", "id")


def open_orders_by_level(user: Any) -> dict[str, int]:
    """How many orders not closed the user sees, per level (every level present). One
    query."""
    counted = (
        SupervisionOrder.objects.visible_to(user)
        .live()
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
    )
    found = {row["level"]: row["n"] for row in counted}
    return {level: found.get(level, 0) for level in OrderLevel.values}


def red_orders_for(user: Any) -> QuerySet[SupervisionOrder]:
    """The red orders (overdue again, not closed) a user is shown on the home page:
    - a unit's staff (officer, unit head): their unit's;
    - a county leader: those about the projects they are the 包保 leader of (a blocker's
      order is about its project too); every leader reads all orders on the list;
    - the bureau: all of them (it issued them)."""
    red = SupervisionOrder.objects.red().select_related("unit", "project", "blocker")
    role = role_of(user)
    if role is None:
        return red.none()
    if is_bureau(user):
        return red
    if role == Role.LEADER:
        return red.filter(project__leader=user.pk)
    return red.filter(unit=user.unit_id)


@dataclass(frozen=True)
class UnitOrderCounts:
    """A unit's supervision orders as they stood at the end of `until`: not closed yet
    (`open`, any level), of those yellow and red, and closed from `since` to `until`."""

    unit: Unit
    open: int
    yellow: int
    red: int
    closed: int


def order_counts_by_unit(*, until: date, since: date | None = None) -> list[UnitOrderCounts]:
    """Each active unit (the bureau aside) with its orders as of the end of `until`:
    - open: issued by then and not closed by then;
    - yellow: of those, turned yellow by then and not yet red then (overdue once);
    - red: of those, turned red by then (overdue again);
    - closed: closed from `since` (default: 1 January of `until`'s year) to `until`.
    One query, whatever the number of units and orders."""
    since = since or date(until.year, 1, 1)
    orders = SupervisionOrder.objects.filter(unit=OuterRef("pk"))
    open_then = orders.filter(issued_on__lte=until).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=until)
    )
    units = (
        Unit.objects.active()
        .exclude(kind=UnitKind.BUREAU)
        .annotate(
            open_count=subquery_count(open_then),
            yellow_count=subquery_count(
                open_then.filter(yellow_on__lte=until).filter(
                    Q(red_on__isnull=True) | Q(red_on__gt=until)
                )
            ),
            red_count=subquery_count(open_then.filter(red_on__lte=until)),
            closed_count=subquery_count(orders.filter(closed_on__gte=since, closed_on__lte=until)),
        )
        .order_by("sort_order", "code")
    )
    return [
        UnitOrderCounts(
            unit=unit,
            open=unit.open_count,
            yellow=unit.yellow_count,
            red=unit.red_count,
            closed=unit.closed_count,
        )
        for unit in units
    ]


def overdue_orders(*, until: date) -> QuerySet[SupervisionOrder]:
    """The orders overdue at the end of `until` (turned yellow by then and not closed by
    then), oldest deadline first, each with `red_then`: overdue again by then. What the
    bulletin lists in its warnings and counts against a unit on the red list."""
    return (
        SupervisionOrder.objects.filter(issued_on__lte=until, yellow_on__lte=until)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=until))
        .annotate(red_then=Q(red_on__lte=until))
        .order_by("due_on", "pk")
    )
