"""Demo targets for `seed_demo`: last year's and this year's, sized from the demo county.

For each year the county's target of every metric is decomposed to every unit (a few
units are left short, so the screens show the gap, 分解不足), and targets are set for
every team and the demo officers and unit heads. Each owner's target is worked out from
what it has actually achieved so far (targets.selectors.owner_actuals) so that progress
shows a believable mix: some owners ahead of time progress, some on pace, some behind.
An owner with nothing counted yet gets a modest floor target (and is behind).

Everything goes through targets.services.target_set as the bureau. A fixed random seed
gives the same targets for the same county; if any target exists, nothing is added.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from demo import teams as teams_demo
from demo.projects.writing import acting_as, demo_bureau
from targets import services
from targets.choices import TWELVE_FIVE_TEN, Metric, OwnerKind, Pace
from targets.models import Target, YearSetting
from targets.selectors import AHEAD_MARGIN, Window, default_owners, owner_actuals
from teams.models import User

SEED = 2027

COUNT_METRICS = {
    Metric.PROJECTS_SIGNED,
    Metric.PROJECTS_STARTED,
    Metric.SIZE_100M,
    Metric.SIZE_50M,
    Metric.SIZE_10M,
    Metric.SIZE_1M,
    Metric.LEADS,
    Metric.TRIPS,
}

# What each kind of owner is measured on.
METRICS = {
    OwnerKind.UNIT: list(Metric.values),
    OwnerKind.TEAM: [
        Metric.FUNDS,
        Metric.CONTRACT_AMOUNT,
        Metric.PROJECTS_SIGNED,
        Metric.LEADS,
        Metric.TRIPS,
    ],
    OwnerKind.PERSON: [Metric.FUNDS, Metric.CONTRACT_AMOUNT, Metric.PROJECTS_SIGNED, Metric.LEADS],
}

# The target of a unit or team that has nothing counted yet (none where 0): it is still
# asked to bring something in. A person is asked for half, at least one.
FLOORS = {
    Metric.FUNDS: Decimal(500),
    Metric.INDUSTRIAL_FUNDS: Decimal(300),
    Metric.FOREIGN_FUNDS: Decimal(0),
    Metric.CONTRACT_AMOUNT: Decimal(2000),
    Metric.PROJECTS_SIGNED: Decimal(1),
    Metric.PROJECTS_STARTED: Decimal(1),
    Metric.SIZE_100M: Decimal(0),
    Metric.SIZE_50M: Decimal(0),
    Metric.SIZE_10M: Decimal(0),
    Metric.SIZE_1M: Decimal(0),
    Metric.LEADS: Decimal(4),
    Metric.TRIPS: Decimal(5),
    Metric.INVESTMENT: Decimal(1000),
}
# The county's own target where its units' targets add up to nothing.
COUNTY_FLOORS = {Metric.FOREIGN_FUNDS: Decimal(300)}

# How many units come out short of the county's target per metric, and by how much.
SHORT_UNITS = (2, 4)
SHORT_BY = (0.1, 0.25)


def demo_people() -> list[User]:
    """The demo officers and unit heads: those of teams.demo's accounts and extra officers."""
    usernames = [
        username
        for username, _name, role, _unit in teams_demo.ACCOUNTS
        if role in (Role.OFFICER, Role.UNIT_HEAD)
    ]
    usernames += [username for username, _name, _unit in teams_demo.OFFICERS]
    return list(User.objects.filter(username__in=usernames, is_active=True).order_by("username"))


def _step(metric: str, value: Decimal) -> Decimal:
    """What a target is rounded to: whole projects, leads and trips; round sums of money."""
    if metric in COUNT_METRICS or value < 100:
        return Decimal(1)
    return Decimal(10) if value < 10000 else Decimal(100)


def _rounded(metric: str, value: Decimal, rounding: str) -> Decimal:
    step = _step(metric, value)
    steps = value / step
    if rounding == "down":
        whole = math.floor(steps)
    elif rounding == "up":
        whole = math.ceil(steps)
    else:
        whole = int(steps.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(whole, 1) * step


class TargetPlanner:
    """Decides the targets of one year, from what each owner has counted so far."""

    def __init__(self, rng: random.Random, window: Window) -> None:
        self.rng = rng
        self.window = window

    def _paces(self, owner_ids: list[int]) -> dict[int, str]:
        """Where each owner with something counted should stand: at least one ahead and
        one behind, the others drawn."""
        ids = sorted(owner_ids)
        self.rng.shuffle(ids)
        paces = {}
        for index, owner_id in enumerate(ids):
            if index < 2:
                paces[owner_id] = [Pace.AHEAD, Pace.BEHIND][index]
            else:
                paces[owner_id] = self.rng.choices(
                    [Pace.AHEAD, Pace.ON_PACE, Pace.BEHIND], weights=[40, 35, 25]
                )[0]
        return paces

    def _factor(self, low: float, high: float) -> Decimal:
        """A random factor between the bounds, as a Decimal (figures never touch floats)."""
        return Decimal(str(round(self.rng.uniform(low, high), 4)))

    def _sized(self, metric: str, actual: Decimal, pace: str) -> Decimal:
        """A full-year target that puts `actual` at `pace` against time progress: progress
        is time progress × r, with r ≥ 1 + margin / time progress to be ahead."""
        time_progress = self.window.time_progress
        margin = AHEAD_MARGIN / time_progress
        if pace == Pace.AHEAD:
            ratio, rounding = (1 + margin) * self._factor(1.03, 1.35), "down"
        elif pace == Pace.ON_PACE:
            ratio, rounding = 1 + margin * self._factor(0.2, 0.8), "nearest"
        else:
            ratio, rounding = self._factor(0.55, 0.93), "up"
        full_year = actual / (time_progress * ratio.quantize(Decimal("0.0001")))
        return _rounded(metric, full_year, rounding)

    def plan(self, kind: str, owners: Iterable[Any]) -> dict[tuple[Any, str], Decimal]:
        """{(owner, metric): target} for the owners of a kind."""
        owners = list(owners)
        actuals = owner_actuals(kind, [o.pk for o in owners], self.window)
        scale = Decimal("0.5") if kind == OwnerKind.PERSON else Decimal(1)
        targets: dict[tuple[Any, str], Decimal] = {}
        for metric in METRICS[kind]:
            counted = [o.pk for o in owners if actuals[o.pk][metric] > 0]
            paces = self._paces(counted)
            for owner in owners:
                actual = actuals[owner.pk][metric]
                if actual > 0:
                    targets[owner, metric] = self._sized(metric, actual, paces[owner.pk])
                elif FLOORS[metric]:
                    targets[owner, metric] = _rounded(metric, FLOORS[metric] * scale, "up")
        return targets

    def leave_short(self, unit_targets: dict[tuple[Any, str], Decimal]) -> None:
        """A few units get less than their share, so the decomposition falls short."""
        for metric in Metric.values:
            if metric in TWELVE_FIVE_TEN:
                continue
            cuttable = [
                key
                for key, value in unit_targets.items()
                if key[1] == metric and value >= 2 * _step(metric, value)
            ]
            count = min(len(cuttable), self.rng.randint(*SHORT_UNITS))
            for key in self.rng.sample(cuttable, count):
                cut = unit_targets[key] * Decimal(str(round(1 - self.rng.uniform(*SHORT_BY), 4)))
                unit_targets[key] = _rounded(metric, cut, "down")

    def county(self, unit_targets: dict[tuple[Any, str], Decimal]) -> dict[str, Decimal]:
        """The county's target of each metric: what its units were asked for in full (the
        12510 goal at least), before a few were left short."""
        totals = {}
        for metric in Metric.values:
            total = sum(
                (value for (_unit, m), value in unit_targets.items() if m == metric), Decimal(0)
            )
            total = max(total, Decimal(TWELVE_FIVE_TEN.get(metric, 0)))
            totals[metric] = total or COUNTY_FLOORS.get(metric, Decimal(0))
        return totals


def _year_settings(years: list[int], rng: random.Random) -> int:
    """The exchange rate of each year (7.1–7.2 元 per dollar), where none is set yet."""
    rates = {year: Decimal(str(round(rng.uniform(7.1, 7.2), 4))) for year in years}
    present = set(YearSetting.objects.filter(year__in=years).values_list("year", flat=True))
    for year, rate in rates.items():
        if year not in present:
            setting = YearSetting(year=year, usd_rate=rate)
            setting.full_clean()
            setting.save()
    return len(set(years) - present)


def seed() -> dict[str, int]:
    """Targets for last year and this year, unless any target exists already."""
    bureau = demo_bureau()
    if bureau is None:
        return {"year_settings": 0, "targets": 0}
    today = timezone.localdate()
    years = [today.year - 1, today.year]
    rng = random.Random(SEED)
    with transaction.atomic():
        added_settings = _year_settings(years, rng)
        if Target.objects.exists():
            return {"year_settings": added_settings, "targets": 0}
        with acting_as(bureau):
            for year in years:
                window = Window(year, 12 if year < today.year else today.month)
                _seed_year(bureau, window, TargetPlanner(rng, window))
    return {"year_settings": added_settings, "targets": Target.objects.count()}


def _seed_year(bureau: User, window: Window, planner: TargetPlanner) -> None:
    units = planner.plan(OwnerKind.UNIT, default_owners(OwnerKind.UNIT))
    county = planner.county(units)
    planner.leave_short(units)
    plans = [
        (OwnerKind.COUNTY, {(None, metric): value for metric, value in county.items()}),
        (OwnerKind.UNIT, units),
        (OwnerKind.TEAM, planner.plan(OwnerKind.TEAM, default_owners(OwnerKind.TEAM))),
        (OwnerKind.PERSON, planner.plan(OwnerKind.PERSON, demo_people())),
    ]
    for kind, targets in plans:
        for (owner, metric), value in targets.items():
            if value > 0:
                services.target_set(
                    user=bureau,
                    year=window.year,
                    metric=metric,
                    kind=kind,
                    owner=owner,
                    value=value,
                )
