"""The typed contract of the reports' figures: the monthly bulletin and the quarterly review
as frozen dataclasses, with the version of their shape.

The selectors build these objects; a report stores them (`stored()`: the JSON the API
serves, its Decimals as strings); pages and workbooks read a stored report back into the
same objects (`from_stored`) and only format them, so the three always agree. A snapshot
stored before a field existed reads with that field's default (an older bulletin has no
construction half: `construction` is None), and fields a snapshot holds that the contract
no longer names are ignored.

Objects are read by attribute; they also read as the stored JSON does (`figures["funds"]`,
`.get("funds")`, `**row`), and compare equal to the plain data they stand for.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Self, Union, get_args, get_origin, get_type_hints

# 1: the first half only, as dicts (before this contract); 2: the typed contract, with the
# construction half, red-list reasons and last year's 亿元以上 signings; 3: the signings at
# events (以会招商); 4: overdue supervision orders in the warnings (and on the red list) and
# the review's deduction for them.
SCHEMA_VERSION = 4


class Figures:
    """What every part of the contract can do: be read by its stored names, be stored,
    be read back."""

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in _names(type(self))

    def keys(self) -> list[str]:
        return [item.name for item in fields(self)]  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Figures | dict):
            theirs = other.stored() if isinstance(other, Figures) else other
            return self.stored() == theirs
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def stored(self) -> dict[str, Any]:
        """As a report keeps it (nested dicts and lists; Decimals and dates are encoded by
        the report's field)."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_stored(cls, data: dict[str, Any] | None) -> Self:
        """The object of stored figures: strings back to Decimals and dates, nested parts
        to their classes; a field the snapshot lacks takes its default (or None)."""
        return _make(cls, data or {}, strict=False)

    @classmethod
    def from_built(cls, data: dict[str, Any]) -> Self:
        """The object of figures just computed: every field must be there, and nothing
        else (a key misspelt in a selector fails here, not in a reader's report)."""
        return _make(cls, data, strict=True)


def _make(cls: type, data: Any, strict: bool) -> Any:
    if isinstance(data, cls):
        return data
    hints = _hints(cls)
    names = _names(cls)
    if strict:
        unknown = set(data) - names
        if unknown:
            raise TypeError(f"{cls.__name__}: unknown figures {sorted(unknown)}")
    values = {}
    for item in fields(cls):
        if item.name in data:
            values[item.name] = _read(hints[item.name], data[item.name], strict)
        elif (
            strict
            and item.default is dataclasses.MISSING
            and (item.default_factory is dataclasses.MISSING)
        ):
            raise TypeError(f"{cls.__name__}: {item.name} missing")
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            values[item.name] = _blank(hints[item.name])  # an incomplete snapshot still reads
    return cls(**values)


def _blank(hint: Any) -> Any:
    """What a field a snapshot lacks reads as: an empty list or mapping, an empty part."""
    origin = get_origin(hint)
    if origin is list:
        return []
    if origin is dict:
        return {}
    if isinstance(hint, type) and issubclass(hint, Figures):
        return _make(hint, {}, strict=False)
    return None


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


@cache
def _names(cls: type) -> frozenset[str]:
    return frozenset(item.name for item in fields(cls))  # type: ignore[arg-type]


def _read(hint: Any, value: Any, strict: bool = False) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        for option in options:  # a value already of one of the types stays as it is
            if isinstance(option, type) and isinstance(value, option):
                return value
        if isinstance(value, str) and Decimal in options:  # an amount, stored as a string
            return Decimal(value)
        return _read(options[0], value, strict)
    if origin is list:
        (item,) = get_args(hint)
        return [_read(item, each, strict) for each in value]
    if origin is dict:
        _key, item = get_args(hint)
        return {key: _read(item, each, strict) for key, each in value.items()}
    if isinstance(hint, type) and issubclass(hint, Figures):
        return _make(hint, value, strict)
    if hint is Decimal:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if hint is date:
        return value if isinstance(value, date) else date.fromisoformat(value)
    if hint is int:
        return int(value)
    if hint is bool:
        return bool(value)
    if hint is str:
        return str(value)
    return value


Amount = Decimal  # 万元
Ratio = Decimal  # a share or a progress, to four decimals


# --- Shared by both reports --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class UnitRef(Figures):
    unit_id: int
    code: str
    name: str


@dataclass(frozen=True, eq=False)
class BehindUnit(Figures):
    unit_id: int
    code: str
    name: str
    progress: Ratio | None = None
    time_progress: Ratio | None = None


@dataclass(frozen=True, eq=False)
class StalledProject(Figures):
    project_id: int
    code: str
    name: str
    unit: str
    why: list[str] = field(default_factory=list)  # reports.choices.StallReason values


@dataclass(frozen=True, eq=False)
class OverdueBlocker(Figures):
    blocker_id: int
    project_code: str
    project_name: str
    unit: str
    category: str
    description: str
    owner_unit: str
    due_on: date | None = None


@dataclass(frozen=True, eq=False)
class OverdueOrder(Figures):
    """A supervision order (督办单) overdue at the period's end, not closed by then."""

    order_id: int
    unit_id: int
    unit: str
    subject_kind: str  # supervision.choices.SubjectKind
    project: str  # the project's name (of the blocker's project), or blank
    matter: str
    due_on: date
    level: str  # supervision.choices.OrderLevel: yellow (overdue) or red (overdue again)

    @property
    def subject_text(self) -> str:
        """What the order is about as the bulletin prints it: its project, or its kind."""
        from reports.choices import label_of
        from supervision.choices import SubjectKind

        return self.project or label_of(SubjectKind, self.subject_kind)


@dataclass(frozen=True, eq=False)
class FlaggedFigure(Figures):
    record_id: int
    project_code: str
    project_name: str
    unit: str
    period: str
    kind: str
    amount_wan: Amount
    status: str
    reasons: str = ""


@dataclass(frozen=True, eq=False)
class RedReason(Figures):
    """Why a unit is on the red list (reports.choices.RedReason), with its size."""

    reason: str
    by: Ratio | None = None  # behind 序时 by this much
    count: int | None = None  # stalled projects, overdue blockers, overdue orders


@dataclass(frozen=True, eq=False)
class ListEntry(Figures):
    """A unit on the red list (黑榜) or the top list (红榜) of its group."""

    unit_id: int
    code: str
    name: str
    kind: str
    progress: Ratio | None = None
    reasons: list[RedReason] = field(default_factory=list)


# --- The monthly bulletin ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FundsTotals(Figures):
    month_wan: Amount
    cumulative_wan: Amount
    target_wan: Amount | None = None
    progress: Ratio | None = None
    last_year_month_wan: Amount = Decimal(0)
    last_year_cumulative_wan: Amount = Decimal(0)
    growth_month: Ratio | None = None
    growth_cumulative: Ratio | None = None


@dataclass(frozen=True, eq=False)
class OriginSplit(Figures):
    out_of_city: Amount
    out_of_province: Amount
    foreign: Amount
    domestic: Amount
    foreign_total: Amount


@dataclass(frozen=True, eq=False)
class StatisticsKind(Figures):
    count: int
    contract_amount_wan: Amount
    funds_wan: Amount


@dataclass(frozen=True, eq=False)
class IndustrialShare(Figures):
    count: int
    funds_wan: Amount
    count_share: Ratio | None = None
    funds_share: Ratio | None = None


@dataclass(frozen=True, eq=False)
class StatisticsProjects(Figures):
    all: StatisticsKind
    new: StatisticsKind
    carried_over: StatisticsKind
    industrial: IndustrialShare


@dataclass(frozen=True, eq=False)
class Signed(Figures):
    count: int
    contract_amount_wan: Amount
    over_100m_count: int
    over_100m_contract_amount_wan: Amount
    over_100m_last_year_count: int | None = None
    over_100m_last_year_contract_amount_wan: Amount | None = None
    over_100m_growth: Ratio | None = None


@dataclass(frozen=True, eq=False)
class UnitRow(Figures):
    unit_id: int
    code: str
    name: str
    funds_wan: Amount
    target_wan: Amount | None
    progress: Ratio | None
    time_progress: Ratio
    behind: bool
    blank: bool
    stages: dict[str, int] = field(default_factory=dict)
    rank: int | None = None
    investment_wan: Amount | None = None
    investment_target_wan: Amount | None = None
    investment_progress: Ratio | None = None
    investment_behind: bool = False
    building: int | None = None
    building_investment_wan: Amount | None = None


@dataclass(frozen=True, eq=False)
class GroupSubtotal(Figures):
    funds_wan: Amount
    target_wan: Amount
    progress: Ratio | None = None
    investment_wan: Amount | None = None
    investment_target_wan: Amount | None = None
    investment_progress: Ratio | None = None
    building: int | None = None
    building_investment_wan: Amount | None = None


@dataclass(frozen=True, eq=False)
class UnitGroup(Figures):
    kind: str  # reports.choices.UnitGroup
    units: list[UnitRow]
    subtotal: GroupSubtotal


@dataclass(frozen=True, eq=False)
class KeyProject(Figures):
    project_id: int
    code: str
    name: str
    unit: str
    stage: str
    contract_amount_wan: Amount
    funds_to_date_wan: Amount
    open_blockers: int
    leader_name: str = ""
    investment_wan: Amount | None = None


@dataclass(frozen=True, eq=False)
class TeamRow(Figures):
    team_id: int
    name: str
    kind: str
    leads: int
    trips: int
    projects_signed: int
    funds_wan: Amount
    investment_wan: Amount | None = None


@dataclass(frozen=True, eq=False)
class EventUnit(Figures):
    """A unit's first signings at an event against its signing quota (None: it signed
    there without one)."""

    unit_id: int
    name: str
    kind: str
    quota: int | None
    first_signings: int
    contract_amount_wan: Amount

    @property
    def short_by(self) -> int:
        """How many signings the unit still owes its quota (0: met, or no quota)."""
        return max(0, (self.quota or 0) - self.first_signings)


@dataclass(frozen=True, eq=False)
class EventRow(Figures):
    """An event of the year (以会招商) with its first signings up to the month's end: a
    project re-signed there (重复签约) is counted in `re_signings` only."""

    event_id: int
    name: str
    kind: str  # events.choices.EventKind
    start_on: date
    end_on: date
    first_signings: int
    contract_amount_wan: Amount
    re_signings: int
    units: list[EventUnit]


@dataclass(frozen=True, eq=False)
class InvestmentTotals(Figures):
    month_wan: Amount
    cumulative_wan: Amount
    target_wan: Amount | None
    progress: Ratio | None
    last_year_month_wan: Amount
    last_year_cumulative_wan: Amount
    growth_month: Ratio | None
    growth_cumulative: Ratio | None
    industrial_wan: Amount
    key_projects_wan: Amount


@dataclass(frozen=True, eq=False)
class UnderConstruction(Figures):
    count: int
    investment_wan: Amount
    in_parks_count: int
    in_parks_investment_wan: Amount
    in_parks_count_share: Ratio | None
    in_parks_investment_share: Ratio | None


@dataclass(frozen=True, eq=False)
class KeyIndustrial(Figures):
    floor_wan: Amount
    count: int
    investment_wan: Amount


@dataclass(frozen=True, eq=False)
class PlannedStarts(Figures):
    count: int
    planned_investment_wan: Amount
    started: int


@dataclass(frozen=True, eq=False)
class NewReserveProjects(Figures):
    count: int
    total_investment_wan: Amount


@dataclass(frozen=True, eq=False)
class LeaderRow(Figures):
    leader_id: int
    leader: str
    projects: int
    started: int
    investment_wan: Amount
    open_blockers: int


@dataclass(frozen=True, eq=False)
class Sponsored(Figures):
    projects: int
    leaders: int
    started: int
    investment_wan: Amount
    by_leader: list[LeaderRow] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Construction(Figures):
    """The bulletin's second half, 工业项目开发建设 (reports.selectors.construction)."""

    investment: InvestmentTotals
    under_construction: UnderConstruction
    key_industrial: KeyIndustrial
    planned_starts: PlannedStarts
    new_reserve_projects: NewReserveProjects
    sponsored: Sponsored


@dataclass(frozen=True, eq=False)
class Warnings(Figures):
    blank_units: list[UnitRef] = field(default_factory=list)
    behind_units: list[BehindUnit] = field(default_factory=list)
    stalled_projects: list[StalledProject] = field(default_factory=list)
    overdue_blockers: list[OverdueBlocker] = field(default_factory=list)
    overdue_orders: list[OverdueOrder] = field(default_factory=list)
    flagged_figures: list[FlaggedFigure] = field(default_factory=list)
    red_list: list[ListEntry] = field(default_factory=list)
    top_list: list[ListEntry] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class MonthlyBulletin(Figures):
    """一月一通报 of `month` of `year`, January to the month's end (DOMAIN.md "Reports")."""

    period: str
    year: int
    month: int
    time_progress: Ratio
    funds: FundsTotals
    origins: dict[str, OriginSplit]  # "month", "cumulative"
    statistics_projects: StatisticsProjects
    signed: Signed
    unit_groups: list[UnitGroup]
    key_projects: list[KeyProject]
    teams: list[TeamRow]
    warnings: Warnings
    headline: str = ""
    construction: Construction | None = None
    construction_headline: list[str] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    kind: str = "monthly"
    schema_version: int = 1  # a snapshot without one: stored before the typed contract


# --- The quarterly review ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MetricRow(Figures):
    metric: str  # targets.choices.Metric
    target: Decimal
    actual: int | Decimal
    progress: Ratio | None
    time_progress: Ratio
    behind: bool


@dataclass(frozen=True, eq=False)
class Trips(Figures):
    count: int
    quarter_count: int
    quota: int | None
    quota_per_quarter: int | None
    quota_to_date: Decimal | None
    status: str  # trips.choices.QuotaStatus


@dataclass(frozen=True, eq=False)
class Component(Figures):
    weight: int
    attainment: Decimal


@dataclass(frozen=True, eq=False)
class ReviewUnit(Figures):
    unit_id: int
    code: str
    name: str
    metrics: list[MetricRow]
    trips: Trips | None
    rates: dict[str, Ratio | None]  # reports.choices.ScoreComponent (the four rates)
    leads: int
    officers: int
    leads_per_officer: Decimal | None
    blank: bool
    behind: bool
    funds_progress: Ratio | None
    components: dict[str, Component]  # reports.choices.ScoreComponent
    score: Decimal | None
    rank: int | None = None
    # the supervision orders overdue at the quarter's end and the points they cost (schema 4;
    # an older review has none: its score is its parts' score)
    orders_yellow: int = 0
    orders_red: int = 0
    order_deduction: Decimal = Decimal(0)
    base_score: Decimal | None = None  # the parts' score, before the deduction


@dataclass(frozen=True, eq=False)
class ReviewUnitGroup(Figures):
    kind: str
    units: list[ReviewUnit]


@dataclass(frozen=True, eq=False)
class ReviewTeam(Figures):
    team_id: int
    name: str
    kind: str
    metrics: list[MetricRow]
    trips: Trips | None
    leads: int
    components: dict[str, Component]
    score: Decimal | None
    rank: int | None = None


@dataclass(frozen=True, eq=False)
class ReviewTeamGroup(Figures):
    kind: str
    teams: list[ReviewTeam]


@dataclass(frozen=True, eq=False)
class Formula(Figures):
    cap: Decimal
    rate_cap: Decimal
    time_progress: Ratio
    quota_share: Ratio
    metric_components: dict[str, str]
    rate_components: list[str]
    text: str = ""
    # points off a unit's score per supervision order overdue at the quarter's end, by level
    # (yellow, red), and the most they may take (schema 4)
    order_points: dict[str, Decimal] = field(default_factory=dict)
    order_deduction_cap: Decimal | None = None


@dataclass(frozen=True, eq=False)
class QuarterlyReview(Figures):
    """一季一调度 of `quarter` of `year`, January to the quarter's end."""

    period: str
    year: int
    quarter: int
    month: int
    end: date
    quarter_closed: bool
    time_progress: Ratio
    weights: dict[str, int]  # reports.choices.ScoreComponent
    formula: Formula
    unit_groups: list[ReviewUnitGroup]
    team_groups: list[ReviewTeamGroup]
    blank_units: list[UnitRef] = field(default_factory=list)
    lagging_units: list[BehindUnit] = field(default_factory=list)
    stalled_projects: list[StalledProject] = field(default_factory=list)
    overdue_blockers: list[OverdueBlocker] = field(default_factory=list)
    kind: str = "quarterly"
    schema_version: int = 1


def typed_figures(kind: str, stored: dict[str, Any] | None) -> MonthlyBulletin | QuarterlyReview:
    """A stored report's figures as their contract's object."""
    contract = MonthlyBulletin if kind == "monthly" else QuarterlyReview
    return contract.from_stored(stored)
