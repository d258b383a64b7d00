"""The year-end assessment's figures are the bulletin's and the review's: for every unit of
the county, the assessment of 2026 counts the same funds in place, contract amount,
projects signed and started, completed investment, leads, trips against quota and rates as
the December bulletin (reports.selectors.monthly) and the fourth quarter's review
(reports.selectors.quarterly), and the same flagged figures and overdue orders as their
warnings and deductions."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
import time_machine

from projects.models import Project
from reports.selectors.annual import annual_assessment
from reports.selectors.monthly import monthly_bulletin
from reports.selectors.quarterly import quarterly_review
from reports.services.annual import IndicatorEntry
from targets.models import Target
from tests.factories import LeadFactory
from tests.reports.annual_county import AFTER_THE_YEAR, YEAR, build_annual_county, hand_scheme

pytestmark = pytest.mark.django_db
D = Decimal
METRICS = [
    "funds",
    "contract_amount",
    "projects_signed",
    "size_12510",
    "projects_started",
    "investment",
    "trips",
    "leads",
    "signing_rate",
    "start_rate",
    "on_time_rate",
    "funds_rate",
]
# Targets for every unit and metric, so the review lists each metric of each unit.
TARGETS = {
    "funds": 1500,
    "contract_amount": 8000,
    "projects_signed": 2,
    "projects_started": 1,
    "investment": 600,
    "leads": 3,
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        yield


@pytest.fixture
def county(unit_a, unit_b, officer_a, bureau_user):
    built = build_annual_county(unit_a, unit_b, bureau_user)
    units = [unit_a, unit_b, built["park"], built["d1"], built["d2"]]
    for unit in units:
        for metric, value in TARGETS.items():
            Target.objects.get_or_create(
                year=YEAR, metric=metric, unit=unit, defaults={"value": D(value)}
            )
    entered = {"A1": (2026, 1, 5), "A2": (2026, 3, 1), "A3": (2026, 6, 1), "K1": (2026, 5, 1)}
    for code, day in entered.items():
        Project.objects.filter(code=code).update(entered_on=dt.date(*day))
    Project.objects.filter(code="A1").update(agreed_start_on=dt.date(2026, 4, 15))
    Project.objects.filter(code="A2").update(agreed_start_on=dt.date(2026, 6, 1))
    for unit, day in (
        (unit_a, (2026, 3, 1)),
        (unit_a, (2026, 9, 1)),
        (built["park"], (2026, 12, 31)),
    ):
        LeadFactory(unit=unit, received_on=dt.date(*day))
    LeadFactory(unit=unit_b, received_on=dt.date(2027, 1, 3))  # next year
    hand_scheme(
        bureau_user,
        indicators=[
            IndicatorEntry(metric=metric, weight=D(5), method="ratio", cap=D("1.2"))
            for metric in METRICS
        ],
    )
    return units


def by_unit(rows, key="unit_id"):
    return {row[key]: row for group in rows for row in group["units"]}


def test_the_assessment_counts_what_the_bulletin_and_the_review_count(county):
    assessment = annual_assessment(YEAR)
    bulletin = monthly_bulletin(YEAR, 12)
    review = quarterly_review(YEAR, 4)
    assessed = by_unit(assessment["unit_groups"])
    in_bulletin = by_unit(bulletin["unit_groups"])
    in_review = by_unit(review["unit_groups"])
    assert set(assessed) == set(in_bulletin) == set(in_review) == {u.pk for u in county}
    assert assessment["month"] == bulletin["month"] == review["month"] == 12

    for unit_id, unit in assessed.items():
        lines = {line["metric"]: line for line in unit["indicators"]}
        month_row, review_row = in_bulletin[unit_id], in_review[unit_id]
        name = unit["name"]
        # the bulletin's December row: funds and completed investment against their targets
        assert lines["funds"]["actual"] == month_row["funds_wan"], name
        assert lines["funds"]["target"] == month_row["target_wan"], name
        assert lines["investment"]["actual"] == month_row["investment_wan"], name
        assert lines["investment"]["target"] == month_row["investment_target_wan"], name
        # the review of the fourth quarter: every metric with a target
        metrics = {row["metric"]: row for row in review_row["metrics"]}
        for metric in TARGETS:
            assert lines[metric]["actual"] == metrics[metric]["actual"], (name, metric)
            assert lines[metric]["target"] == metrics[metric]["target"], (name, metric)
        # trips against the yearly quota, and the four rates
        assert lines["trips"]["actual"] == review_row["trips"]["count"], name
        assert lines["trips"]["target"] == D(review_row["trips"]["quota"]), name
        for rate in ("signing_rate", "start_rate", "on_time_rate", "funds_rate"):
            assert lines[rate]["value"] == review_row["rates"][rate], (name, rate)
        # the supervision orders the review deducts (once it does)
        deductions = {row["item"]: row["count"] for row in unit["deductions"]}
        if "orders_yellow" in review_row:
            assert deductions["yellow_orders"] == review_row["orders_yellow"], name
            assert deductions["red_orders"] == review_row["orders_red"], name

    # figures flagged on entry, unit by unit, as the bulletin's warnings list them
    flagged = Counter(record["unit"] for record in bulletin["warnings"]["flagged_figures"])
    assert {u["name"]: len(u["flagged"]) for u in assessed.values() if u["flagged"]} == dict(
        flagged
    )
    assert sum(flagged.values()) == 3
    # 亿元以上 signings: the bulletin's count is the units' bonuses
    over_100m = sum(
        row["count"]
        for u in assessed.values()
        for row in u["bonuses"]
        if row["item"] == "over_100m"
    )
    assert over_100m == bulletin["signed"]["over_100m_count"] == 2
    # the numbers are not all nothing: A's worked-out figures
    a = {line["metric"]: line for line in assessed[county[0].pk]["indicators"]}
    assert (a["funds"]["actual"], a["trips"]["actual"], a["leads"]["actual"]) == (
        D("2599.00"),
        3,
        2,
    )
    assert (a["size_12510"]["actual"], a["start_rate"]["value"]) == (3, D("0.3333"))
    assert a["on_time_rate"]["value"] == D("0.5000")  # A1 on time, A2 not started by 1 June
