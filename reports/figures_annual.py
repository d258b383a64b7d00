"""The typed contract of the year-end assessment's figures (年终一考核), beside the bulletin's
and the review's (reports.figures, whose `Figures` base they share): the scheme it was built
with, then per group of units each unit's lines (indicators, bonuses, deductions, manual
items), its total, rank and grade. Built by reports.selectors.annual, stored by a Report of
kind `annual`, read back (`from_stored`) by its pages, its workbook and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reports.figures import Amount, Figures, Ratio

Points = Decimal  # to two decimals


@dataclass(frozen=True, eq=False)
class SchemeIndicator(Figures):
    metric: str  # reports.choices.IndicatorMetric
    weight: Points
    method: str  # reports.choices.ScoringMethod
    cap: Decimal | None = None  # ratio to target: the most it counts


@dataclass(frozen=True, eq=False)
class SchemeAdjustment(Figures):
    item: str  # reports.choices.AdjustmentItem
    points: Points  # per item counted
    cap: Points | None = None  # at most, in all


@dataclass(frozen=True, eq=False)
class GradeRule(Figures):
    method: str  # reports.choices.GradeMethod
    excellent_min: Points | None = None
    good_min: Points | None = None
    pass_min: Points | None = None
    excellent_share: Ratio | None = None
    good_share: Ratio | None = None
    fail_share: Ratio | None = None


@dataclass(frozen=True, eq=False)
class Scheme(Figures):
    """The scheme as the assessment used it (a later change of the scheme changes nothing)."""

    year: int
    title: str
    indicators: list[SchemeIndicator]
    bonuses: list[SchemeAdjustment]
    deductions: list[SchemeAdjustment]
    grades: GradeRule
    total_weight: Points


@dataclass(frozen=True, eq=False)
class IndicatorLine(Figures):
    """One indicator of a unit: its figure against its base, and the points it earns.

    `value` is what is scored: actual ÷ target (a rate: the rate itself). Ratio to target:
    attainment = min(value, cap). Efficacy coefficient: coefficient = 60 + 40 × (value −
    worst) ÷ (best − worst) over the group's units with a base, attainment = coefficient ÷
    100. points = weight × attainment. Without a base (no target, no quota, no rate) the
    line has no points and is left out."""

    metric: str
    method: str
    weight: Points
    actual: int | Decimal | None
    target: Decimal | None
    value: Ratio | None
    attainment: Ratio | None
    points: Points | None
    cap: Decimal | None = None
    worst: Ratio | None = None
    best: Ratio | None = None
    coefficient: Decimal | None = None


@dataclass(frozen=True, eq=False)
class AdjustmentLine(Figures):
    """A bonus or deduction of a unit: how many, points per item, the cap, the points."""

    item: str
    count: int
    per_item: Points
    cap: Points | None
    points: Points
    capped: bool = False


@dataclass(frozen=True, eq=False)
class ManualLine(Figures):
    item_id: int
    title: str
    points: Points
    note: str


@dataclass(frozen=True, eq=False)
class FindingRef(Figures):
    """A finding of a half-year inspection not rectified by its deadline (a deduction)."""

    finding_id: int
    half: int
    item: str
    text: str
    deadline: date


@dataclass(frozen=True, eq=False)
class FlaggedRef(Figures):
    """A funds record flagged on entry in the year (a deduction), as the bulletin lists it."""

    record_id: int
    project_code: str
    project_name: str
    period: str
    kind: str
    amount_wan: Amount


@dataclass(frozen=True, eq=False)
class AssessedUnit(Figures):
    """A unit's year-end assessment, line by line. indicator_points = Σ points × total
    weight ÷ weights used (the weights of the lines with a base); total = indicator points
    + bonus points − deduction points + manual points. A unit without any line with a base
    has no total, no rank and no grade."""

    unit_id: int
    code: str
    name: str
    kind: str
    indicators: list[IndicatorLine]
    weights_used: Points
    indicator_points: Points | None
    bonuses: list[AdjustmentLine]
    bonus_points: Points
    deductions: list[AdjustmentLine]
    deduction_points: Points
    manual: list[ManualLine]
    manual_points: Points
    total: Points | None
    rank: int | None = None
    grade: str | None = None  # reports.choices.Grade
    findings: list[FindingRef] = field(default_factory=list)
    flagged: list[FlaggedRef] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class AssessedGroup(Figures):
    kind: str  # reports.choices.UnitGroup
    units: list[AssessedUnit]
    grade_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class AnnualAssessment(Figures):
    """年终一考核 of `year`: figures from January to the end of `month` (December once the
    year is over; before that the last complete month, and `year_closed` is false)."""

    period: str  # the year, "2026"
    year: int
    month: int
    end: date
    year_closed: bool
    scheme: Scheme
    unit_groups: list[AssessedGroup]
    formula: str = ""
    kind: str = "annual"
    schema_version: int = 1

    def unit(self, unit_id: int) -> AssessedUnit | None:
        """The unit's assessment, if it was assessed."""
        for group in self.unit_groups:
            for row in group.units:
                if row.unit_id == unit_id:
                    return row
        return None
