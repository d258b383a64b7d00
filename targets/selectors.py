"""Progress against targets (DOMAIN.md "Targets", "Rates"): one selector for every owner,
year and month, used by the pages, the API, the bulletin and the dashboard.

Counting rules:
- only verified funds records count (corrections included);
- a unit's actuals are those of the projects (and leads, trips) it is responsible for, a
  team's those it brought in, a person's those of the leads they provided and of the
  projects converted from those leads;
- signed and started counts, contract amounts and the 12510 size classes leave out
  terminated projects; money that arrived from a terminated project still counts;
- each 12510 class counts only projects in that class, not above it.

Every figure is computed in the database, in a fixed number of queries per owner kind
(owner_actuals), whatever the number of owners, projects or records.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from core.access import sees_everything
from core.db import money_sum, subquery_count, subquery_sum
from core.periods import add_months, format_period, month_start
from core.policy import Action, may
from projects.choices import LIVE_STAGES, Category, Origin, SizeClass, Stage
from projects.models import FundsRecord, Lead, Project
from targets.choices import Metric, OwnerKind, Pace
from targets.models import Target, YearSetting
from teams.models import Team, Unit, User
from trips.models import Trip

AHEAD_MARGIN = Decimal("0.1")  # ten points above time progress counts as ahead
DEFAULT_USD_RATE = Decimal("7.1")


@dataclass(frozen=True)
class Window:
    """January 1 of `year` to the last day of `month`: what a cumulative figure covers."""

    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def last_period(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def time_progress(self) -> Decimal:
        """序时进度: M / 12."""
        return Decimal(self.month) / Decimal(12)


def default_window(today: date) -> Window:
    """The last complete month, from January of its year: a month's funds are entered and
    verified in the days after it ends, so the month under way would look behind. In
    January that is December of the year before: the final figures of the year just
    ended, which is what the bureau reports on then."""
    last = add_months(month_start(today), -1)
    return Window(last.year, last.month)


# --- What each metric counts -----------------------------------------------------------------


def verified_funds(window: Window) -> QuerySet:
    # The window's year by its stored column: its index lists each project's records of
    # the year in order (bench/README.md, fix 19).
    return (
        FundsRecord.objects.counted()
        .funds()
        .filter(year=window.year, period__lte=window.last_period)
    )


def verified_investment(window: Window) -> QuerySet:
    """Completed investment (完成投资) that counts: verified `investment` records of the
    window's months."""
    return (
        FundsRecord.objects.counted()
        .investment()
        .filter(year=window.year, period__lte=window.last_period)
    )


def signed_in(window: Window) -> QuerySet:
    return Project.objects.exclude(stage=Stage.TERMINATED).filter(
        signed_on__gte=window.start, signed_on__lte=window.end
    )


# The records each source counts in a window; a metric counts those of its source that
# meet its condition.
SOURCES: dict[str, Callable[[Window], QuerySet]] = {
    "funds": verified_funds,
    "investment": verified_investment,
    "project": lambda w: Project.objects.exclude(stage=Stage.TERMINATED).filter(
        Q(signed_on__gte=w.start, signed_on__lte=w.end)
        | Q(started_on__gte=w.start, started_on__lte=w.end)
    ),
    "lead": lambda w: Lead.objects.filter(received_on__gte=w.start, received_on__lte=w.end),
    "trip": lambda w: Trip.objects.filter(start_on__gte=w.start, start_on__lte=w.end),
}


def _signed(w: Window) -> Q:
    return Q(signed_on__gte=w.start, signed_on__lte=w.end)


def _anything(w: Window) -> Q:
    return Q()


@dataclass(frozen=True)
class MetricRule:
    source: str  # "funds", "investment", "project", "lead", "trip": which owner paths apply
    condition: Callable[[Window], Q]  # which of the source's records count
    total: str | None  # the field summed, or None to count

    def records(self, window: Window) -> QuerySet:
        return SOURCES[self.source](window).filter(self.condition(window))


def _size(size_class: str) -> Callable[[Window], Q]:
    return lambda w: _signed(w) & Q(size_class=size_class)


METRIC_RULES: dict[str, MetricRule] = {
    Metric.FUNDS: MetricRule("funds", _anything, "amount_wan"),
    Metric.INDUSTRIAL_FUNDS: MetricRule(
        "funds", lambda w: Q(project__category=Category.INDUSTRIAL), "amount_wan"
    ),
    Metric.FOREIGN_FUNDS: MetricRule(
        "funds", lambda w: Q(project__investor_origin=Origin.FOREIGN), "amount_wan"
    ),
    Metric.INVESTMENT: MetricRule("investment", _anything, "amount_wan"),
    Metric.CONTRACT_AMOUNT: MetricRule("project", _signed, "contract_amount_wan"),
    Metric.PROJECTS_SIGNED: MetricRule("project", _signed, None),
    Metric.PROJECTS_STARTED: MetricRule(
        "project", lambda w: Q(started_on__gte=w.start, started_on__lte=w.end), None
    ),
    Metric.SIZE_100M: MetricRule("project", _size(SizeClass.HUNDRED_MILLION), None),
    Metric.SIZE_50M: MetricRule("project", _size(SizeClass.FIFTY_MILLION), None),
    Metric.SIZE_10M: MetricRule("project", _size(SizeClass.TEN_MILLION), None),
    Metric.SIZE_1M: MetricRule("project", _size(SizeClass.ONE_MILLION), None),
    Metric.LEADS: MetricRule("lead", _anything, None),
    Metric.TRIPS: MetricRule("trip", _anything, None),
}

# How each source reaches its owner (the person's trips: those led or joined).
OWNER_PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    OwnerKind.UNIT: {
        "funds": ("project__unit",),
        "investment": ("project__unit",),
        "project": ("unit",),
        "lead": ("unit",),
        "trip": ("unit",),
    },
    OwnerKind.TEAM: {
        "funds": ("project__team",),
        "investment": ("project__team",),
        "project": ("team",),
        "lead": ("team",),
        "trip": ("team",),
    },
    OwnerKind.PERSON: {
        "funds": ("project__lead__provided_by",),
        "investment": ("project__lead__provided_by",),
        "project": ("lead__provided_by",),
        "lead": ("provided_by",),
        "trip": ("led_by", "participants"),
    },
}
OWNER_MODELS: dict[str, type] = {OwnerKind.UNIT: Unit, OwnerKind.TEAM: Team, OwnerKind.PERSON: User}


def usd_rate(year: int) -> Decimal:
    setting = YearSetting.objects.filter(year=year).first()
    return setting.usd_rate if setting else DEFAULT_USD_RATE


def _owned(records: QuerySet, paths: tuple[str, ...]) -> QuerySet:
    condition = Q()
    for path in paths:
        condition |= Q(**{path: OuterRef("pk")})
    return records.filter(condition)


def _convert(metric: str, value: Any, rate: Decimal) -> Decimal:
    value = Decimal(value or 0)
    if metric == Metric.FOREIGN_FUNDS:
        return (value / rate).quantize(Decimal("0.01"))
    return value


def _aggregates(window: Window, metrics: list[str]) -> dict[str, Any]:
    """Each metric as an aggregate over its source's records, filtered by its condition."""
    aggregates: dict[str, Any] = {}
    for metric in metrics:
        rule = METRIC_RULES[metric]
        condition = rule.condition(window)
        if rule.total:
            aggregates[f"m_{metric}"] = money_sum(rule.total, condition or None)
        else:
            aggregates[f"m_{metric}"] = Count("pk", filter=condition or None)
    return aggregates


# Sources totalled in one query grouped by owner (one pass over the records, whatever the
# number of owners) when an owner is reached by one path; a person (several paths) gets
# correlated subqueries, one query for all. At province scale a subquery per owner and
# metric read each unit's records again for every metric (bench/README.md).
GROUPED_SOURCES = ("funds", "investment", "project", "lead", "trip")


def owner_actuals(
    kind: str,
    owner_ids: Iterable[int] | None,
    window: Window,
    metrics: Iterable[str] | None = None,
) -> dict[Any, dict]:
    """{owner id (None for the county): {metric: actual}} for the window, every metric, or
    those of `metrics` only when given.

    The county: one query per source (funds, projects, leads, trips), each metric a
    filtered aggregate. Units and teams: one query per source grouped by owner. Persons
    (reached by several paths): the funds grouped, the rest in correlated subqueries."""
    rate = usd_rate(window.year)
    wanted = None if metrics is None else set(metrics)
    by_source: dict[str, list[str]] = {}
    for metric, rule in METRIC_RULES.items():
        if wanted is None or metric in wanted:
            by_source.setdefault(rule.source, []).append(metric)
    measured = [metric for metrics in by_source.values() for metric in metrics]
    if kind == OwnerKind.COUNTY:
        totals = {}
        for source, metrics in by_source.items():
            values = SOURCES[source](window).aggregate(**_aggregates(window, metrics))
            for metric in metrics:
                totals[metric] = _convert(metric, values[f"m_{metric}"], rate)
        return {None: totals}
    owners = OWNER_MODELS[kind].objects.all()
    if owner_ids is not None:
        owner_ids = list(owner_ids)
        owners = owners.filter(pk__in=owner_ids)
    grouped: dict[Any, dict[str, Any]] = {}
    annotations = {}
    for source, metrics in by_source.items():
        paths = OWNER_PATHS[kind][source]
        if source in GROUPED_SOURCES and len(paths) == 1:
            records = SOURCES[source](window)
            if owner_ids is not None:
                records = records.filter(**{f"{paths[0]}__in": owner_ids})
            rows = records.values(paths[0]).annotate(**_aggregates(window, metrics)).order_by()
            for row in rows:
                grouped.setdefault(row[paths[0]], {}).update({m: row[f"m_{m}"] for m in metrics})
            continue
        for metric in metrics:
            rule = METRIC_RULES[metric]
            records = _owned(rule.records(window), paths)
            annotations[f"m_{metric}"] = (
                subquery_sum(records, rule.total) if rule.total else subquery_count(records)
            )
    actuals = {}
    for row in owners.annotate(**annotations).values("pk", *annotations):
        values = {**grouped.get(row["pk"], {}), **{m[2:]: v for m, v in row.items() if m != "pk"}}
        actuals[row["pk"]] = {m: _convert(m, values.get(m), rate) for m in measured}
    return actuals


# --- Progress against targets ----------------------------------------------------------------


@dataclass
class MetricProgress:
    metric: str
    target: Decimal | None
    actual: Decimal
    progress: Decimal | None
    time_progress: Decimal
    behind: bool
    pace: str


@dataclass
class OwnerProgress:
    kind: str
    owner: Any  # a Unit, Team or User; None for the county
    blank: bool
    metrics: dict[str, MetricProgress] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.owner) if self.owner is not None else ""

    @property
    def owner_id(self) -> int | None:
        return self.owner.pk if self.owner is not None else None


def measure(metric: str, target: Decimal | None, actual: Decimal, window: Window) -> MetricProgress:
    time_progress = window.time_progress
    if not target:
        return MetricProgress(metric, target, actual, None, time_progress, False, Pace.NO_TARGET)
    progress = actual / target
    if progress < time_progress:
        pace = Pace.BEHIND
    elif progress >= time_progress + AHEAD_MARGIN:
        pace = Pace.AHEAD
    else:
        pace = Pace.ON_PACE
    return MetricProgress(
        metric, target, actual, progress, time_progress, progress < time_progress, pace
    )


def target_values(
    kind: str, owner_ids: list[int] | None, year: int, metrics: list[str] | None = None
) -> dict[tuple, Decimal]:
    """{(owner id, None for the county; metric): target} of the year (of `metrics` only,
    when given)."""
    targets = Target.objects.filter(year=year)
    if metrics is not None:
        targets = targets.filter(metric__in=metrics)
    if kind == OwnerKind.COUNTY:
        targets = targets.filter(unit__isnull=True, team__isnull=True, user__isnull=True)
        return {(None, metric): value for metric, value in targets.values_list("metric", "value")}
    field_name = {OwnerKind.UNIT: "unit", OwnerKind.TEAM: "team", OwnerKind.PERSON: "user"}[kind]
    targets = targets.filter(**{f"{field_name}__isnull": False})
    if owner_ids is not None:
        targets = targets.filter(**{f"{field_name}__in": owner_ids})
    return {
        (owner, metric): value
        for owner, metric, value in targets.values_list(field_name, "metric", "value")
    }


def progress_table(
    kind: str, year: int, month: int, owners: Iterable[Any] | None = None
) -> list[OwnerProgress]:
    """Each owner's progress on every metric for the year up to the end of `month`.
    `owners` (Units, Teams or Users) defaults to every active owner of the kind."""
    window = Window(year, month)
    if kind == OwnerKind.COUNTY:
        owner_list: list[Any] = [None]
    elif owners is None:
        owner_list = list(default_owners(kind))
    else:
        owner_list = list(owners)
    ids = None if kind == OwnerKind.COUNTY else [o.pk for o in owner_list]
    actuals = owner_actuals(kind, ids, window)
    targets = target_values(kind, ids, year)
    table = []
    for owner in owner_list:
        key = owner.pk if owner is not None else None
        values = actuals.get(key, {})
        row = OwnerProgress(
            kind=kind,
            owner=owner,
            blank=kind == OwnerKind.UNIT and not values.get(Metric.PROJECTS_SIGNED),
        )
        for metric in Metric.values:
            row.metrics[metric] = measure(
                metric, targets.get((key, metric)), values.get(metric, Decimal(0)), window
            )
        table.append(row)
    return table


def default_owners(kind: str) -> QuerySet:
    if kind == OwnerKind.UNIT:
        return Unit.objects.active().exclude(kind="bureau").in_report_order()
    if kind == OwnerKind.TEAM:
        return Team.objects.filter(is_active=True).order_by("kind", "name")
    return (
        User.objects.filter(is_active=True, targets__isnull=False).distinct().select_related("unit")
    )


def owners_in_reach(user: Any, kind: str) -> QuerySet:
    """The units, teams or persons whose progress the user may read: every one for the
    bureau and leaders; for others their own unit, their teams and themselves (a unit head
    also the unit's staff, to whom the unit head decomposes targets)."""
    if sees_everything(user):
        return OWNER_MODELS[kind].objects.all()
    if kind == OwnerKind.UNIT:
        return Unit.objects.filter(pk=user.unit_id) if user.unit_id else Unit.objects.none()
    if kind == OwnerKind.TEAM:
        return Team.objects.filter(members=user)
    people = Q(pk=user.pk)
    if may(user, Action.TARGET_DECOMPOSE) and user.unit_id:
        people |= Q(unit=user.unit_id)
    return User.objects.filter(people)


# --- Rates ----------------------------------------------------------------------------------


@dataclass
class UnitRates:
    unit: Unit
    signing_rate: Decimal | None
    start_rate: Decimal | None
    on_time_rate: Decimal | None
    funds_rate: Decimal | None


def _ratio(numerator: Any, denominator: Any) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


def unit_rates(year: int, month: int, units: Iterable[Unit] | None = None) -> list[UnitRates]:
    """The four rates of DOMAIN.md per unit, in one query:
    签约率 signed / entered (projects entered in the year, terminated included);
    开工率 started / signed (projects signed in the year);
    履约率 started by the agreed date / those whose agreed start date has passed in the year;
    资金到位率 verified funds to date / contract amount, over live signed projects."""
    window = Window(year, month)
    own = Project.objects.filter(unit=OuterRef("pk"))
    entered = own.filter(entered_on__gte=window.start, entered_on__lte=window.end)
    signed = own.exclude(stage=Stage.TERMINATED).filter(
        signed_on__gte=window.start, signed_on__lte=window.end
    )
    due = own.filter(
        signed_on__isnull=False, agreed_start_on__gte=window.start, agreed_start_on__lte=window.end
    )
    live = own.filter(stage__in=LIVE_STAGES, signed_on__lte=window.end)
    funds = (
        FundsRecord.objects.counted()
        .funds()
        .filter(
            project__unit=OuterRef("pk"),
            project__stage__in=LIVE_STAGES,
            period__lte=window.last_period,
        )
    )
    chosen = list(units) if units is not None else list(default_owners(OwnerKind.UNIT))
    rows = (
        Unit.objects.filter(pk__in=[u.pk for u in chosen])
        .annotate(
            entered=subquery_count(entered),
            entered_signed=subquery_count(entered.filter(signed_on__lte=window.end)),
            signed=subquery_count(signed),
            signed_started=subquery_count(signed.filter(started_on__lte=window.end)),
            due=subquery_count(due),
            due_on_time=subquery_count(due.filter(started_on__lte=F("agreed_start_on"))),
            contract=subquery_sum(live, "contract_amount_wan"),
            funds=subquery_sum(funds, "amount_wan"),
        )
        .values(
            "pk",
            "entered",
            "entered_signed",
            "signed",
            "signed_started",
            "due",
            "due_on_time",
            "contract",
            "funds",
        )
    )
    by_pk = {row["pk"]: row for row in rows}
    result = []
    for unit in chosen:
        row = by_pk[unit.pk]
        result.append(
            UnitRates(
                unit=unit,
                signing_rate=_ratio(row["entered_signed"], row["entered"]),
                start_rate=_ratio(row["signed_started"], row["signed"]),
                on_time_rate=_ratio(row["due_on_time"], row["due"]),
                funds_rate=_ratio(row["funds"], row["contract"]),
            )
        )
    return result


# --- Decomposition gaps and drill-down links (the pages) ----------------------------------------


@dataclass(frozen=True)
class Gap:
    """One metric's column of a decomposition grid: the sum of the rows against the total
    they should reach (the county's target; for a unit's staff, the unit's target)."""

    total: Decimal | None
    sum: Decimal
    status: str  # "under" (分解不足), "over" (超额分解), "even", or "" when no total is set

    @property
    def gap(self) -> Decimal | None:
        """How far the sum is from the total, whichever side."""
        return None if self.total is None else abs(self.total - self.sum)


def decomposition_gaps(
    totals: Mapping[str, Decimal | None], rows: Iterable[Mapping[str, Decimal | None]]
) -> dict[str, Gap]:
    """{metric: Gap} for a grid as shown: the saved values, or the values as typed when a
    save was refused (empty and unreadable cells count as nothing, as in the browser)."""
    rows = list(rows)
    gaps = {}
    for metric in Metric.values:
        total = totals.get(metric)
        summed = sum((row.get(metric) or Decimal(0) for row in rows), Decimal(0))
        if total is None:
            status = ""
        elif summed < total:
            status = "under"
        elif summed > total:
            status = "over"
        else:
            status = "even"
        gaps[metric] = Gap(total, summed, status)
    return gaps


DRILL_DOWN_OWNER_PARAM = {
    OwnerKind.UNIT: "unit",
    OwnerKind.TEAM: "team",
    OwnerKind.PERSON: "provided_by",
}
DRILL_DOWN_EXTRA: dict[str, dict[str, str]] = {
    Metric.INDUSTRIAL_FUNDS: {"category": Category.INDUSTRIAL},
    Metric.FOREIGN_FUNDS: {"investor_origin": Origin.FOREIGN},
    Metric.SIZE_100M: {"size_class": SizeClass.HUNDRED_MILLION},
    Metric.SIZE_50M: {"size_class": SizeClass.FIFTY_MILLION},
    Metric.SIZE_10M: {"size_class": SizeClass.TEN_MILLION},
    Metric.SIZE_1M: {"size_class": SizeClass.ONE_MILLION},
}


def drill_down_url(
    kind: str,
    owner_id: int | None,
    metric: str,
    window: Window,
    *,
    month_only: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> str | None:
    """The list of the records a figure counts, filtered so that the list's total (its
    count, or the sum of its amounts) is the figure: METRIC_RULES and OWNER_PATHS said in
    the lists' filters. Foreign funds list their records in 万元 (the figure is their sum
    in 万美元). Trips have no list yet: None. A list shows only what its reader may see,
    so an officer's list of a team's projects leaves out those of other units.
    `month_only` narrows the window to its last month (the month's own figure); `extra`
    adds further filters of the list (a unit kind, an industry, an origin)."""
    rule = METRIC_RULES[metric]
    first_day = window.last_period if month_only else window.start
    params: dict[str, Any] = {}
    if kind != OwnerKind.COUNTY:
        params[DRILL_DOWN_OWNER_PARAM[kind]] = owner_id
    if rule.source in ("funds", "investment"):
        name = "projects:funds_ledger"
        params |= {
            "status": "verified",
            "kind": rule.source,
            "period_after": format_period(first_day),
            "period_before": format_period(window.last_period),
        }
    elif rule.source == "project":
        name = "projects:project_list"
        dates = "started" if metric == Metric.PROJECTS_STARTED else "signed"
        params |= {
            "live": "true",
            f"{dates}_after": first_day.isoformat(),
            f"{dates}_before": window.end.isoformat(),
        }
    elif rule.source == "lead":
        name = "projects:lead_list"
        params |= {
            "received_after": first_day.isoformat(),
            "received_before": window.end.isoformat(),
        }
    else:
        return None
    params |= DRILL_DOWN_EXTRA.get(metric, {})
    params |= dict(extra or {})
    return f"{reverse(name)}?{urlencode(params)}"
