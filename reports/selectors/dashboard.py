"""The leadership dashboard (驾驶舱, issue 8): plain data for one scope and one period,
section by section (the headline cards and each chart), so that each chart can be asked
for on its own and none waits on another.

A scope is the whole county (optionally only the units of one kind), or, for an officer or
unit head, their own unit and their teams. A period is a month whose monthly bulletin is
published, or the live figures of any month up to now.

No figure is computed here a second time: they come from targets.selectors (progress,
actuals, signed_in, verified_funds, drill_down_url), reports.selectors.monthly (units by
kind with their ranks, funds by origin, 亿元以上, key projects, stages per unit) and
trips.selectors.team_performance; this module scopes them, groups them for the charts and
links every figure to the list of the records behind it. Each section costs a fixed number
of queries whatever the number of projects or records. Sections of a published month are
kept in Django's cache under a key naming the section, the scope, the report version and
the language, so two scopes never share an entry; sections that say where things stand
today (warnings, the funnel, the key projects' flags) are kept five minutes only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from core.access import sees_everything
from core.money import format_pct, format_wan, format_yi
from core.periods import month_end_label, month_start, year_to_month_label
from events.selectors import signings_by_event
from projects.choices import STAGE_ORDER, Origin, SizeClass, Stage
from projects.models import Blocker, Industry, Project
from reports.choices import ReportKind, ReportStatus
from reports.models import Report
from reports.selectors.monthly import (
    ORIGINS,
    ZERO,
    FundsCube,
    Units,
    funds_by_origin,
    growth,
    key_projects,
    ratio,
    signed_over_100m,
    stages_per_unit,
    unit_sections,
)
from targets.choices import TWELVE_FIVE_TEN, Metric, OwnerKind, Pace

# The county's yearly "12510" goal (DOMAIN.md), shown while the county sets no size targets.
from targets.selectors import (
    MetricProgress,
    Window,
    default_window,
    drill_down_url,
    measure,
    owner_actuals,
    owners_in_reach,
    progress_table,
    signed_in,
    verified_funds,
    verified_investment,
)
from teams.choices import TeamKind, UnitKind
from teams.models import Unit
from trips.selectors import team_performance

PUBLISHED = "published"
LIVE = "live"
SOURCES = (PUBLISHED, LIVE)
UNIT_KINDS = (UnitKind.TOWNSHIP, UnitKind.PARK, UnitKind.DEPARTMENT)
SECTIONS = (
    "cards",
    "alerts",
    "monthly_funds",
    "monthly_investment",
    "units",
    "funnel",
    "industries",
    "origins",
    "size_classes",
    "teams",
    "events",
    "key_projects",
)
# Where things stand today (stalls, blockers, stages): recomputed on every request.
TODAY_SECTIONS = frozenset({"alerts", "funnel", "key_projects"})
# The board shows the largest key projects; the list behind its link has them all.
BOARD_SIZE = 100
CACHE_SECONDS = 24 * 3600
# Where things stand today (warnings, funnel, the board's flags) is counted over every
# project: computed at most every five minutes per scope rather than on every request.
TODAY_CACHE_SECONDS = 300
CACHE_FORMAT = 2  # raise when the shape of a section changes: old entries are then ignored
SIZE_METRICS = (
    (Metric.SIZE_100M, SizeClass.HUNDRED_MILLION),
    (Metric.SIZE_50M, SizeClass.FIFTY_MILLION),
    (Metric.SIZE_10M, SizeClass.TEN_MILLION),
    (Metric.SIZE_1M, SizeClass.ONE_MILLION),
)
STALL_REASONS = ("negotiation", "start", "key")


def _flag_labels() -> dict[str, str]:
    """The words of the stall flags (those of the bulletin's page and the project list)."""
    return {
        "negotiation": _("no progress in negotiation"),
        "start": _("agreed start date passed"),
        "key": _("key project idle"),
        "overdue": _("Overdue blocker"),
    }


# --- Scope and period ---------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose figures: the county (`unit_id` None), optionally only its units of `unit_kind`;
    or one unit (`unit_id`, its `unit_kind` giving its peers) with its user's teams."""

    unit_id: int | None = None
    unit_name: str = ""
    unit_kind: str | None = None
    team_ids: tuple[int, ...] = ()

    @property
    def is_county(self) -> bool:
        return self.unit_id is None

    @property
    def units(self) -> Units:
        """The responsible units whose projects count (None: every project of the county)."""
        if self.unit_id is not None:
            return [self.unit_id]
        if self.unit_kind:
            return Unit.objects.filter(kind=self.unit_kind).values("pk")
        return None

    @property
    def key(self) -> str:
        if self.unit_id is not None:
            teams = ".".join(str(pk) for pk in self.team_ids) or "none"
            return f"unit-{self.unit_id}-teams-{teams}"
        return f"county-{self.unit_kind or 'all'}"

    def list_params(self) -> dict[str, Any]:
        """The filters that narrow a list page to this scope."""
        if self.unit_id is not None:
            return {"unit": self.unit_id}
        if self.unit_kind:
            return {"unit_kind": self.unit_kind}
        return {}

    def projects(self, projects: QuerySet, path: str = "unit") -> QuerySet:
        units = self.units
        return projects if units is None else projects.filter(**{f"{path}__in": units})

    def as_dict(self) -> dict[str, Any]:
        if self.unit_id is not None:
            return {
                "kind": "unit",
                "label": self.unit_name,
                "unit": {"id": self.unit_id, "name": self.unit_name, "kind": self.unit_kind},
                "unit_kind": None,
                "teams": list(self.team_ids),
            }
        label = _("Whole county")
        if self.unit_kind:
            label = f"{label} · {UnitKind(self.unit_kind).label}"
        return {
            "kind": "county",
            "label": label,
            "unit": None,
            "unit_kind": self.unit_kind,
            "teams": None,
        }


def dashboard_scope(user: Any, unit_kind: str | None = None) -> Scope:
    """Leaders and the bureau see the county (`unit_kind` narrows it to units of one kind);
    anyone else sees their own unit and their teams, whatever `unit_kind` says."""
    if sees_everything(user):
        return Scope(unit_kind=unit_kind or None)
    if user.unit_id is None:
        raise PermissionDenied(_("Your account belongs to no unit."))
    unit = Unit.objects.only("pk", "name", "kind").get(pk=user.unit_id)
    teams = owners_in_reach(user, OwnerKind.TEAM).order_by("pk").values_list("pk", flat=True)
    return Scope(unit_id=unit.pk, unit_name=unit.name, unit_kind=unit.kind, team_ids=tuple(teams))


@dataclass(frozen=True)
class Period:
    """The month the figures run to (from January), and where they come from: `published`
    (the month of a published bulletin, `report` its latest version) or `live`."""

    year: int
    month: int
    source: str
    report: Report | None = None

    @property
    def window(self) -> Window:
        return Window(self.year, self.month)

    @property
    def cached(self) -> bool:
        return self.source == PUBLISHED and self.report is not None

    @property
    def tag(self) -> str:
        """Names the figures: a republished month (a new version) gets a new tag."""
        stamp = ""
        if self.report is not None:
            published = self.report.published_at
            stamp = f"r{self.report.pk}v{self.report.version}"
            stamp += f"t{int(published.timestamp())}" if published else ""
        return f"{self.year}-{self.month:02d}-{self.source}-{stamp}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "period": f"{self.year:04d}-{self.month:02d}",
            # the months counted, as people write them: "2026年1—11月", "截至11月底"
            "months_display": year_to_month_label(self.year, self.month),
            "counted_to_display": month_end_label(self.month),
            "source": self.source,
            "time_progress": ratio(self.month, 12),
            "report": (
                {"id": self.report.pk, "version": self.report.version}
                if self.report is not None
                else None
            ),
        }


def published_months() -> dict[date, Report]:
    """{month: the latest published version of its monthly bulletin}. One query."""
    reports = (
        Report.objects.filter(kind=ReportKind.MONTHLY, status=ReportStatus.PUBLISHED)
        .only("pk", "period", "version", "published_at")
        .order_by("period", "version")
    )
    return {report.period: report for report in reports}


def dashboard_period(
    *,
    source: str | None,
    year: int | None,
    month: int | None,
    today: date,
    published: dict[date, Report] | None = None,
) -> Period:
    """The period asked for, with its defaults: the source is `published` once a bulletin
    is published (else `live`); a published period defaults to the latest published month
    (of `year`, when given); a live one to the current month (December of a past year).
    Raises ValidationError with field messages for a month that cannot be shown."""
    if published is None:
        published = published_months()
    source = source or (PUBLISHED if published else LIVE)
    if source == PUBLISHED:
        if not published:
            raise ValidationError(
                {"source": _("No monthly bulletin is published yet: choose live figures.")}
            )
        months = sorted(published)
        if month is None:
            candidates = [p for p in months if year is None or p.year == year]
            if not candidates:
                raise ValidationError({"year": _("No monthly bulletin of this year is published.")})
            chosen = candidates[-1]
        else:
            chosen = date(year or months[-1].year, month, 1)
            if chosen not in published:
                raise ValidationError(
                    {
                        "month": _(
                            "The bulletin of this month is not published: choose live figures."
                        )
                    }
                )
        return Period(chosen.year, chosen.month, PUBLISHED, published[chosen])
    # Live figures run to the end of the last complete month, as the bulletin of that month
    # would count them: the month under way is half entered and not yet verified, and its
    # time progress (M/12) and year on year (against last year's whole month) would
    # compare a whole month's time with a few days' records (issue 19).
    last = default_window(today)
    if year is None and month is None:
        return Period(last.year, last.month, LIVE)
    year = year or today.year
    if month is None:
        if year > today.year:
            raise ValidationError({"year": _("A year in the future has no figures yet.")})
        month = last.month if year >= last.year else 12
    if date(year, month, 1) > month_start(today):
        raise ValidationError({"month": _("A month in the future has no figures yet.")})
    if date(year, month, 1) > last.last_period:
        raise ValidationError(
            {
                "month": _(
                    "This month is not over yet: live figures run to the end of the last "
                    "complete month."
                )
            }
        )
    return Period(year, month, LIVE)


# --- Helpers ------------------------------------------------------------------------------------


def plain(data: Any) -> Any:
    """JSON-ready data: Decimals and dates as strings (amounts are never floats)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def list_url(name: str, **params: Any) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _pace_of_count(count: int) -> str:
    """Warnings have no time progress: any is behind, none is ahead."""
    return Pace.BEHIND if count else Pace.AHEAD


def _measure_sum(rows: list[MetricProgress], metric: str, window: Window) -> MetricProgress:
    """One metric over several owners: the sum of their actuals against the sum of their
    targets (no target when none of them has one)."""
    actual = sum((row.actual for row in rows), ZERO)
    targets = [row.target for row in rows if row.target is not None]
    target = sum(targets, ZERO) if targets else None
    return measure(metric, target, actual, window)


# --- The dashboard ------------------------------------------------------------------------------


class Dashboard:
    """The sections of one scope and period, computed on demand (each at most once)."""

    def __init__(self, scope: Scope, period: Period, today: date) -> None:
        self.scope = scope
        self.period = period
        self.today = today
        self.window = period.window

    # -- what several sections share

    @cached_property
    def progress(self) -> dict[str, MetricProgress]:
        """Every metric's progress against its target for the scope (targets.selectors)."""
        year, month = self.period.year, self.period.month
        if self.scope.unit_id is not None:
            units = list(Unit.objects.filter(pk=self.scope.unit_id))
            return progress_table(OwnerKind.UNIT, year, month, owners=units)[0].metrics
        if self.scope.unit_kind:
            units = list(Unit.objects.filter(kind=self.scope.unit_kind))
            table = progress_table(OwnerKind.UNIT, year, month, owners=units)
            return {
                metric: _measure_sum([row.metrics[metric] for row in table], metric, self.window)
                for metric in Metric.values
            }
        return progress_table(OwnerKind.COUNTY, year, month)[0].metrics

    def actuals(self, window: Window) -> dict[str, Decimal]:
        """Every metric's actual for the scope over another window (targets.selectors)."""
        if self.scope.is_county and not self.scope.unit_kind:
            return owner_actuals(OwnerKind.COUNTY, None, window)[None]
        ids = (
            [self.scope.unit_id]
            if self.scope.unit_id is not None
            else list(Unit.objects.filter(kind=self.scope.unit_kind).values_list("pk", flat=True))
        )
        per_unit = owner_actuals(OwnerKind.UNIT, ids, window)
        return {m: sum((row[m] for row in per_unit.values()), ZERO) for m in Metric.values}

    def drill(self, metric: str, window: Window | None = None, **options: Any) -> str | None:
        """The list of the records behind a figure of the scope (targets.drill_down_url)."""
        window = window or self.window
        if self.scope.unit_id is not None:
            return drill_down_url(OwnerKind.UNIT, self.scope.unit_id, metric, window, **options)
        extra = {**self.scope.list_params(), **options.pop("extra", {})}
        return drill_down_url(OwnerKind.COUNTY, None, metric, window, extra=extra, **options)

    def list_url(self, name: str, **params: Any) -> str:
        return list_url(name, **self.scope.list_params(), **params)

    # -- sections

    def section(self, name: str) -> Any:
        """One section as plain JSON data; those of a published month come from the cache."""
        if name not in SECTIONS:
            raise KeyError(name)
        compute: Callable[[], Any] = getattr(self, f"_{name}")
        if name in TODAY_SECTIONS:  # as of today: kept a few minutes only
            key = self._cache_key(name, self.today.isoformat())
            return cache.get_or_set(key, lambda: plain(compute()), TODAY_CACHE_SECONDS)
        if not self.period.cached:
            return plain(compute())
        return cache.get_or_set(self._cache_key(name), lambda: plain(compute()), CACHE_SECONDS)

    def _cache_key(self, name: str, *more: str) -> str:
        parts = [name, self.scope.key, self.period.tag, get_language() or "", *more]
        return ":".join(["dashboard", str(CACHE_FORMAT), *parts])

    def all(self) -> dict[str, Any]:
        return {name: self.section(name) for name in SECTIONS}

    def _cards(self) -> dict[str, Any]:
        """The headline cards, each coloured by its pace against time progress."""
        progress = self.progress
        funds = progress[Metric.FUNDS]
        last_year = self.actuals(Window(self.period.year - 1, self.period.month))[Metric.FUNDS]
        signed = progress[Metric.PROJECTS_SIGNED]
        started = progress[Metric.PROJECTS_STARTED]
        big = progress[Metric.SIZE_100M]
        if big.target is None and self.scope.is_county and not self.scope.unit_kind:
            big = measure(
                Metric.SIZE_100M,
                Decimal(TWELVE_FIVE_TEN[Metric.SIZE_100M]),
                big.actual,
                self.window,
            )
        big_amount = signed_over_100m(self.window, self.scope.units)["contract_amount_wan"]
        amount = progress[Metric.CONTRACT_AMOUNT].actual
        change = growth(funds.actual, last_year)
        return {
            "investment": self._amount_card(Metric.INVESTMENT),
            "time_progress": ratio(self.period.month, 12),
            "time_progress_text": format_pct(ratio(self.period.month, 12)),
            "funds": {
                "actual_wan": funds.actual,
                "actual_text": format_yi(funds.actual),
                "actual_wan_text": format_wan(funds.actual),
                "target_wan": funds.target,
                "target_text": format_yi(funds.target),
                "progress": ratio(funds.actual, funds.target),
                "progress_text": format_pct(ratio(funds.actual, funds.target)),
                "pace": funds.pace,
                "last_year_wan": last_year,
                "growth": change,
                "growth_text": format_pct(change),
                "url": self.drill(Metric.FUNDS),
            },
            "signed": {
                "count": int(signed.actual),
                "target": signed.target,
                "progress_text": format_pct(signed.progress),
                "pace": signed.pace,
                "contract_amount_wan": amount,
                "contract_amount_text": format_yi(amount),
                "contract_amount_wan_text": format_wan(amount),
                "url": self.drill(Metric.PROJECTS_SIGNED),
            },
            "started": {
                "count": int(started.actual),
                "target": started.target,
                "progress_text": format_pct(started.progress),
                "pace": started.pace,
                "url": self.drill(Metric.PROJECTS_STARTED),
            },
            "over_100m": {
                "count": int(big.actual),
                "target": big.target,
                "progress_text": format_pct(big.progress),
                "pace": big.pace,
                "contract_amount_wan": big_amount,
                "contract_amount_text": format_yi(big_amount),
                "url": self.drill(Metric.SIZE_100M),
            },
        }

    def _amount_card(self, metric: str) -> dict[str, Any]:
        """A card of an amount against its target, time progress and a year before."""
        figure = self.progress[metric]
        last_year = self.actuals(Window(self.period.year - 1, self.period.month))[metric]
        change = growth(figure.actual, last_year)
        return {
            "actual_wan": figure.actual,
            "actual_text": format_yi(figure.actual),
            "actual_wan_text": format_wan(figure.actual),
            "target_wan": figure.target,
            "target_text": format_yi(figure.target),
            "progress": ratio(figure.actual, figure.target),
            "progress_text": format_pct(ratio(figure.actual, figure.target)),
            "pace": figure.pace,
            "last_year_wan": last_year,
            "growth": change,
            "growth_text": format_pct(change),
            "url": self.drill(metric),
        }

    def _alerts(self) -> dict[str, Any]:
        """Stalled projects and overdue blockers as of today (the lists count the same)."""
        stalled = self.scope.projects(Project.objects.all()).stalled(self.today).count()
        overdue = self.scope.projects(Blocker.objects.overdue(self.today), "project__unit")
        overdue_count = overdue.count()
        return {
            "as_of": self.today,
            "stalled": stalled,
            "stalled_url": self.list_url("projects:project_list", stalled="true"),
            "overdue_blockers": overdue_count,
            "overdue_blockers_url": self.list_url("projects:blocker_list", overdue="true"),
            "pace": _pace_of_count(stalled + overdue_count),
        }

    def _monthly_funds(self) -> dict[str, Any]:
        return self._monthly(Metric.FUNDS, verified_funds)

    def _monthly_investment(self) -> dict[str, Any]:
        return self._monthly(Metric.INVESTMENT, verified_investment)

    def _monthly(self, metric: str, records_of: Callable[[Window], Any]) -> dict[str, Any]:
        """Verified funds (or completed investment) month by month, this year (to the
        month) against last year (all twelve months), with their cumulative totals."""
        year, month = self.period.year, self.period.month

        def by_month(window: Window) -> dict[int, Decimal]:
            records = self.scope.projects(records_of(window), "project__unit")
            rows = records.values("period").annotate(total=Sum("amount_wan")).order_by()
            return {row["period"].month: row["total"] for row in rows}

        this_year = by_month(Window(year, month))
        last_year = by_month(Window(year - 1, 12))
        months = []
        this_total = last_total = ZERO
        for m in range(1, 13):
            last_total += last_year.get(m, ZERO)
            row: dict[str, Any] = {
                "month": m,
                "label": pgettext("month on a chart axis", "M%(month)d") % {"month": m},
                "last_year_wan": last_year.get(m, ZERO),
                "last_year_cumulative_wan": last_total,
                "last_year_url": self.drill(metric, Window(year - 1, m), month_only=True),
                "last_year_cumulative_url": self.drill(metric, Window(year - 1, m)),
                "this_year_wan": None,
                "this_year_cumulative_wan": None,
                "this_year_url": None,
                "this_year_cumulative_url": None,
            }
            if m <= month:
                this_total += this_year.get(m, ZERO)
                row |= {
                    "this_year_wan": this_year.get(m, ZERO),
                    "this_year_cumulative_wan": this_total,
                    "this_year_url": self.drill(metric, Window(year, m), month_only=True),
                    "this_year_cumulative_url": self.drill(metric, Window(year, m)),
                }
            months.append(row)
        return {
            "year": year,
            "series": {
                "this_year": _("%(year)d monthly") % {"year": year},
                "last_year": _("%(year)d monthly") % {"year": year - 1},
                "this_year_cumulative": _("%(year)d cumulative") % {"year": year},
                "last_year_cumulative": _("%(year)d cumulative") % {"year": year - 1},
            },
            "months": months,
        }

    def _units(self) -> dict[str, Any]:
        """Units by % of their funds target, grouped by kind, with their rank in the group
        (the bulletin's section 2). A unit's own user sees their unit and its rank only."""
        groups = []
        own = None
        for group in unit_sections(self.period.year, self.period.month):
            if self.scope.is_county and self.scope.unit_kind not in (None, group["kind"]):
                continue
            ranked = sum(1 for row in group["units"] if row["rank"] is not None)
            rows = []
            for row in group["units"]:
                if not self.scope.is_county and row["unit_id"] != self.scope.unit_id:
                    continue
                rows.append(
                    {
                        "unit_id": row["unit_id"],
                        "code": row["code"],
                        "name": row["name"],
                        "funds_wan": row["funds_wan"],
                        "funds_text": format_wan(row["funds_wan"]),
                        "target_wan": row["target_wan"],
                        "progress": row["progress"],
                        "progress_text": format_pct(row["progress"]),
                        "behind": row["behind"],
                        "blank": row["blank"],
                        "rank": row["rank"],
                        "projects": sum(row["stages"].values()),
                        "url": list_url("projects:project_list", unit=row["unit_id"]),
                        "funds_url": drill_down_url(
                            OwnerKind.UNIT, row["unit_id"], Metric.FUNDS, self.window
                        ),
                    }
                )
            if not rows and not self.scope.is_county:
                continue
            entry: dict[str, Any] = {
                "kind": group["kind"],
                "label": UnitKind(group["kind"]).label,
                "ranked": ranked,
                "units": rows,
            }
            if self.scope.is_county:
                entry["subtotal"] = group["subtotal"]
            else:
                own = {**rows[0], "kind": group["kind"], "label": entry["label"], "ranked": ranked}
            groups.append(entry)
        return {
            "time_progress": ratio(self.period.month, 12),
            "time_progress_label": _("Time progress"),
            "groups": groups,
            "own": own,
        }

    def _funnel(self) -> dict[str, Any]:
        """Projects at each stage as they stand today (terminated ones left out)."""
        if self.scope.unit_id is not None:
            ids = [self.scope.unit_id]
        else:
            ids = list(self.scope.projects(Unit.objects.all(), "pk").values_list("pk", flat=True))
        per_unit = stages_per_unit(ids)
        labels = dict(Stage.choices)
        return {
            "as_of": self.today,
            "stages": [
                {
                    "stage": stage,
                    "label": labels[stage],
                    "count": sum(counts[stage] for counts in per_unit.values()),
                    "url": self.list_url("projects:project_list", stage=stage),
                }
                for stage in STAGE_ORDER
            ],
        }

    def _industries(self) -> dict[str, Any]:
        """Contract amount signed in the year per industry chain (a segment counts for its
        chain); the leading chains are marked and shown even with nothing signed."""
        projects = self.scope.projects(signed_in(self.window))
        rows = (
            projects.annotate(chain=Coalesce(F("industry__parent"), F("industry")))
            .values("chain")
            .annotate(amount=Sum("contract_amount_wan"), count=Count("pk"))
            .order_by()
        )
        figures = {row["chain"]: row for row in rows}
        chains = Industry.objects.filter(pk__in=list(figures)) | Industry.objects.filter(
            parent__isnull=True, is_leading=True, is_active=True
        )
        result = []
        for chain in chains.order_by("sort_order", "code"):
            row = figures.get(chain.pk, {"amount": ZERO, "count": 0})
            result.append(
                {
                    "industry_id": chain.pk,
                    "name": chain.name,
                    "leading": chain.is_leading,
                    "contract_amount_wan": row["amount"],
                    "contract_amount_text": format_wan(row["amount"]),
                    "count": row["count"],
                    "url": self.drill(Metric.CONTRACT_AMOUNT, extra={"industry": chain.pk}),
                }
            )
        result.sort(key=lambda row: (-row["contract_amount_wan"], not row["leading"]))
        return {"industries": result, "leading_label": _("Leading industry")}

    def _origins(self) -> dict[str, Any]:
        """Projects signed in the year and verified funds in place, by investor origin."""
        signed = {
            row["investor_origin"]: row
            for row in self.scope.projects(signed_in(self.window))
            .values("investor_origin")
            .annotate(count=Count("pk"), amount=Sum("contract_amount_wan"))
            .order_by()
        }
        by_origin = FundsCube(self.window, self.scope.units, columns=())
        funds = funds_by_origin(by_origin)["cumulative"]
        labels = dict(Origin.choices)
        return {
            "series": {"projects": _("Projects signed"), "funds": _("Funds in place (万元)")},
            "origins": [
                {
                    "origin": origin,
                    "label": labels[origin],
                    "projects": signed.get(origin, {}).get("count", 0),
                    "contract_amount_wan": signed.get(origin, {}).get("amount") or ZERO,
                    "projects_url": self.drill(
                        Metric.PROJECTS_SIGNED, extra={"investor_origin": origin}
                    ),
                    "funds_wan": funds[origin],
                    "funds_text": format_wan(funds[origin]),
                    "funds_url": self.drill(Metric.FUNDS, extra={"investor_origin": origin}),
                }
                for origin in ORIGINS
            ],
            "domestic_wan": funds["domestic"],
            "foreign_wan": funds["foreign_total"],
        }

    def _size_classes(self) -> dict[str, Any]:
        """12510: projects signed in the year per size class against the goal (the targets;
        for the whole county without size targets, the 1-2-5-10 of DOMAIN.md)."""
        labels = dict(SizeClass.choices)
        whole_county = self.scope.is_county and not self.scope.unit_kind
        rows = []
        for metric, size_class in SIZE_METRICS:
            figure = self.progress[metric]
            goal = figure.target
            if goal is None and whole_county:
                goal = Decimal(TWELVE_FIVE_TEN[metric])
            figure = measure(metric, goal, figure.actual, self.window)
            rows.append(
                {
                    "metric": metric,
                    "size_class": size_class,
                    "label": labels[size_class],
                    "count": int(figure.actual),
                    "goal": int(goal) if goal is not None else None,
                    "pace": figure.pace,
                    "url": self.drill(metric),
                }
            )
        return {
            "series": {"count": _("Signed"), "goal": _("Goal")},
            "classes": rows,
        }

    def _events(self) -> dict[str, Any]:
        """Signings at the year's events to the period's end (以会招商, the bulletin's events
        section): how many events, their first signings and contract amount (a re-signing
        counts nothing), and the signing quotas of the scope's units: set, met, short. Three
        queries (events.selectors.signings_by_event)."""
        events = signings_by_event(year=self.period.year, until=self.window.end)
        units = [
            unit
            for event in events
            for unit in event.units
            if (self.scope.unit_id is None or unit.unit_id == self.scope.unit_id)
            and (not self.scope.unit_kind or unit.unit_kind == self.scope.unit_kind)
        ]
        if self.scope.is_county and not self.scope.unit_kind:
            signings = sum(event.first_signings for event in events)
            amount = sum((event.contract_amount_wan for event in events), ZERO)
        else:
            signings = sum(unit.first_signings for unit in units)
            amount = sum((unit.contract_amount_wan for unit in units), ZERO)
        quotas = [unit for unit in units if unit.quota]
        return {
            "events": len(events),
            "first_signings": signings,
            "contract_amount_wan": amount,
            "contract_amount_text": format_yi(amount),
            "quota": sum(unit.quota or 0 for unit in quotas),
            "quotas_met": sum(1 for unit in quotas if unit.met),
            "quotas_short": sum(1 for unit in quotas if not unit.met),
            "url": self.list_url("events:event_list", year=self.period.year),
        }

    def _teams(self) -> dict[str, Any]:
        """The month's team ranking (trips.selectors.team_performance: by funds in place,
        then projects signed, within each kind), as on the team performance page. A unit's
        user sees their own teams; teams work across units, so a unit kind leaves them be."""
        labels = dict(TeamKind.choices)
        groups = []
        for group in team_performance(self.period.year, self.period.month):
            rows = [
                {
                    "team_id": row.team.pk,
                    "name": row.team.name,
                    "rank": row.rank,
                    "funds_wan": row.funds_wan,
                    "funds_text": format_wan(row.funds_wan),
                    "projects_signed": row.projects_signed,
                    "leads": row.leads,
                    "visits": row.visits,
                    "trips": row.trips,
                    "url": drill_down_url(
                        OwnerKind.TEAM, row.team.pk, Metric.FUNDS, self.window, month_only=True
                    ),
                }
                for row in group.rows
                if self.scope.is_county or row.team.pk in self.scope.team_ids
            ]
            if rows:
                groups.append(
                    {
                        "kind": group.kind,
                        "label": labels[group.kind],
                        "teams": rows,
                        "ranked": len(group.rows),
                    }
                )
        return {"month": self.period.month, "groups": groups}

    def _key_project_count(self) -> int:
        projects = Project.objects.live().filter(is_key=True)
        if self.scope.units is not None:
            projects = projects.filter(unit__in=self.scope.units)
        return projects.count()

    def _key_projects(self) -> dict[str, Any]:
        """The key projects (the bulletin's section 3) with their funds rate and, as of
        today, their stall flags and overdue blockers."""
        rows = key_projects(self.window, self.scope.units, largest=BOARD_SIZE)
        flags = {
            row["pk"]: row
            for row in Project.objects.filter(pk__in=[r["project_id"] for r in rows])
            .with_flags(self.today)
            .values(
                "pk", "stalled_negotiation", "stalled_start", "stalled_key", "has_overdue_blocker"
            )
        }
        labels = dict(Stage.choices)
        flag_labels = _flag_labels()
        result = []
        for row in rows:
            flag = flags.get(row["project_id"], {})
            rate = ratio(row["funds_to_date_wan"], row["contract_amount_wan"])
            stalled = [r for r in STALL_REASONS if flag.get(f"stalled_{r}")]
            overdue = bool(flag.get("has_overdue_blocker"))
            result.append(
                {
                    **row,
                    "stage_label": labels.get(row["stage"], row["stage"]),
                    "stage_order": STAGE_ORDER.index(row["stage"]),
                    "contract_amount_text": format_wan(row["contract_amount_wan"]),
                    "funds_to_date_text": format_wan(row["funds_to_date_wan"]),
                    "funds_rate": rate,
                    "funds_rate_text": format_pct(rate),
                    "stalled": stalled,
                    "overdue_blocker": overdue,
                    "flags_text": "；".join(
                        str(flag_labels[r]) for r in [*stalled, *(["overdue"] if overdue else [])]
                    ),
                    "url": reverse("projects:project_detail", args=[row["project_id"]]),
                }
            )
        return {
            "as_of": self.today,
            "projects": result,
            "total": self._key_project_count(),
            "list_url": self.list_url("projects:project_list", is_key="true", live="true"),
        }
