"""The year-end assessment (年终一考核): scoring by both methods, bonuses, deductions, manual
items and caps, grades by thresholds and by shares, ranks within each group, all worked out
by hand on the hand-built county (tests/reports/annual_county.py) for 2026; the build as a
snapshot that publishing freezes, versions, the task, and the query count."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job, JobStatus
from projects.models import Project
from reports.models import AssessmentScheme, ManualScore, Report
from reports.selectors.annual import (
    adjustment_points,
    annual_assessment,
    annual_window,
    efficacy_attainment,
    grade_by_score,
    grades_by_share,
    ratio_attainment,
)
from reports.services import report_build, report_publish
from reports.services.annual import IndicatorEntry, manual_score_change
from reports.tasks import JOB_KIND_ANNUAL, build_annual_assessment
from targets.models import Target
from tests.factories import ProjectFactory, UnitFactory
from tests.reports.annual_county import (
    AFTER_THE_YEAR,
    HAND_ADJUSTMENTS,
    HAND_INDICATORS,
    YEAR,
    build_annual_county,
    hand_scheme,
    trip,
)
from tests.reports.county import funds

pytestmark = pytest.mark.django_db
D = Decimal
PERIOD = dt.date(YEAR, 1, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        yield


@pytest.fixture
def county(unit_a, unit_b, officer_a, bureau_user):
    built = build_annual_county(unit_a, unit_b, bureau_user)
    hand_scheme(bureau_user)
    return built


def units_by_code(figures):
    return {unit["code"]: unit for group in figures["unit_groups"] for unit in group["units"]}


def line(unit, metric):
    return next(row for row in unit["indicators"] if row["metric"] == metric)


def item(lines, name):
    return next(row for row in lines if row["item"] == name)


# --- The scoring, piece by piece ---------------------------------------------------------------


def test_the_pieces_of_the_score_by_hand():
    # ratio to target: between 0 and the cap, four decimals
    assert ratio_attainment(D("0.6498"), D("1.2")) == D("0.6498")
    assert ratio_attainment(D("1.2467"), D("1.2")) == D("1.2000")
    assert ratio_attainment(D("-0.1"), D(1)) == D(0)
    # 功效系数法: 60 for the worst, 100 for the best, linear between
    assert efficacy_attainment(D("0.2"), D("0.2"), D("1.0")) == D("0.6")
    assert efficacy_attainment(D("1.0"), D("0.2"), D("1.0")) == D("1.0000")
    assert efficacy_attainment(D("0.5"), D("0.2"), D("1.0")) == D("0.7500")  # 60 + 40 × 0.3/0.8
    assert efficacy_attainment(D("0.8"), D("0.8"), D("0.8")) == D(1)  # all alike
    assert efficacy_attainment(D(0), D(0), D(0)) == D("0.6")  # all nothing
    # items: count × points, at most the cap
    assert adjustment_points(3, D("0.5"), D(1)) == (D("1.00"), True)
    assert adjustment_points(2, D(1), D(2)) == (D("2.00"), False)
    assert adjustment_points(4, D(2), None) == (D("8.00"), False)
    # grades by score
    thresholds = {"excellent_min": D(90), "good_min": D(75), "pass_min": D(60)}
    assert [grade_by_score(D(s), thresholds) for s in ("90", "89.99", "75", "60", "59.99")] == [
        "excellent",
        "good",
        "good",
        "pass",
        "fail",
    ]
    assert grade_by_score(None, thresholds) is None


def test_grades_by_shares_by_rank_ties_taking_the_better_grade():
    shares = {"excellent_share": D("0.2"), "good_share": D("0.3"), "fail_share": D("0.2")}
    # ten units ranked: 2 Excellent (⌊10 × 0.2⌋), 3 Good, the last 2 Fail, the rest Pass
    rows = [{"rank": rank} for rank in range(1, 11)]
    grades_by_share(rows, shares)
    assert [row["grade"] for row in rows] == [
        "excellent",
        "excellent",
        "good",
        "good",
        "good",
        "pass",
        "pass",
        "pass",
        "fail",
        "fail",
    ]
    # a tie across the border shares the better grade; a unit without a total none
    rows = [{"rank": r} for r in (1, 2, 2, 4, 5, 6, 7, 8, 8, 10)] + [{"rank": None}]
    grades_by_share(rows, shares)
    grades = [row["grade"] for row in rows]
    assert grades[:3] == ["excellent", "excellent", "excellent"]
    # 8th place shared by the 8th and 9th units: only the 10th is in the last 2
    assert grades[7:] == ["pass", "pass", "fail", None]


def test_the_assessment_period():
    assert annual_window(2026, dt.date(2027, 1, 15)).month == 12
    assert annual_window(2026, dt.date(2026, 7, 15)).month == 6  # the last complete month
    assert annual_window(2026, dt.date(2026, 1, 20)) is None  # January not over
    assert annual_window(2027, dt.date(2026, 12, 1)) is None


# --- The county of 2026, by hand ------------------------------------------------------------------


def test_indicators_by_hand(county):
    units = units_by_code(annual_assessment(YEAR))
    a, b, park = units["UA"], units["UB"], units["PK"]
    # A: funds 2599 of 4000 (1000 − 200 + 500 + 999 of A1, 300 of A2)
    funds_a = line(a, "funds")
    assert (funds_a["actual"], funds_a["target"], funds_a["value"]) == (
        D("2599.00"),
        D("4000.00"),
        D("0.6498"),
    )
    assert (funds_a["attainment"], funds_a["points"]) == (D("0.6498"), D("25.99"))  # 40 × .6498
    # contract amount 18700 of 15000: 124.67%, capped at 100%
    contract = line(a, "contract_amount")
    assert (contract["actual"], contract["value"], contract["attainment"], contract["points"]) == (
        D("18700.00"),
        D("1.2467"),
        D(1),
        D("20.00"),
    )
    # investment by the efficacy coefficient among the townships: A 800/1000 = 0.8 the best,
    # B 0/500 the worst
    inv_a, inv_b = line(a, "investment"), line(b, "investment")
    assert (inv_a["worst"], inv_a["best"]) == (D(0), D("0.8"))
    assert (inv_a["coefficient"], inv_a["points"]) == (D("100.00"), D("20.00"))
    assert (inv_b["coefficient"], inv_b["points"]) == (D("60.00"), D("12.00"))
    # trips 3 of the townships' 4 (A's trip of 2027 is not counted); start rate 1 of 3
    assert (line(a, "trips")["actual"], line(a, "trips")["points"]) == (3, D("7.50"))
    assert (line(a, "start_rate")["value"], line(a, "start_rate")["points"]) == (
        D("0.3333"),
        D("3.33"),
    )
    assert (a["weights_used"], a["indicator_points"]) == (D(100), D("76.82"))
    # B: no project signed, no start rate: left out, the 90 points used scaled to 100
    assert line(b, "start_rate")["points"] is None
    assert [line(b, m)["points"] for m in ("funds", "contract_amount", "trips")] == [
        D("7.00"),  # 350 of 2000
        D("0.00"),
        D("2.50"),  # 1 of 4
    ]
    assert (b["weights_used"], b["indicator_points"]) == (D(90), D("23.89"))  # 21.5 × 100 / 90
    # the park alone in its group: its investment 0 of 1000, all alike at 0 → 60
    assert line(park, "investment")["coefficient"] == D("60.00")
    assert [line(park, m)["points"] for m in ("funds", "contract_amount", "trips")] == [
        D("28.67"),  # 2150 of 3000: 0.7167 × 40
        D("20.00"),  # 20000 of 10000, capped
        D("10.00"),  # 2 of 2
    ]
    assert park["indicator_points"] == D("80.67")


def test_bonuses_deductions_manual_items_and_caps_by_hand(county):
    units = units_by_code(annual_assessment(YEAR))
    a, b, park = units["UA"], units["UB"], units["PK"]
    # A: A1 of 1.2亿 (亿元以上, 3 points), A2 foreign-funded (2 points, its cap)
    assert [(r["item"], r["count"], r["points"], r["capped"]) for r in a["bonuses"]] == [
        ("over_100m", 1, D("3.00"), False),
        ("foreign", 1, D("2.00"), False),
    ]
    assert a["bonus_points"] == D("5.00")
    # one order yellow on 31 December, two red (4 points, cut to 3); the order closed in
    # July does not count; the two findings past their deadline (2, the cap); three flagged
    # records (1.5, cut to 1): the returned one and last year's do not count
    deductions = {r["item"]: (r["count"], r["points"], r["capped"]) for r in a["deductions"]}
    assert deductions == {
        "yellow_orders": (1, D("1.00"), False),
        "red_orders": (2, D("3.00"), True),
        "unrectified_findings": (2, D("2.00"), False),
        "flagged_figures": (3, D("1.00"), True),
    }
    assert a["deduction_points"] == D("7.00")
    assert [f["text"] for f in a["findings"]] == ["台账缺少5月记录", "两个签约项目未按期开工"]
    assert [r["amount_wan"] for r in a["flagged"]] == [D("9000.00"), D("8000.00"), D("7000.00")]
    assert [(m["title"], m["points"]) for m in a["manual"]] == [
        ("招商引资创新做法", D("2.00")),
        ("材料报送不及时", D("-1.00")),
    ]
    assert a["manual_points"] == D("1.00")
    # 76.82 + 5 − 7 + 1
    assert a["total"] == D("75.82")
    # B: its finding due 10 July; its order turned yellow only in January
    assert item(b["deductions"], "unrectified_findings")["count"] == 1
    assert item(b["deductions"], "yellow_orders")["count"] == 0
    assert b["total"] == D("22.89")  # 23.89 − 1
    assert park["bonus_points"] == D("3.00") and park["total"] == D("83.67")


def test_ranks_and_grades_within_each_group(county):
    figures = annual_assessment(YEAR)
    groups = {g["kind"]: g for g in figures["unit_groups"]}
    ranked = {
        kind: [(u["code"], u["total"], u["rank"], u["grade"]) for u in g["units"]]
        for kind, g in groups.items()
    }
    assert ranked["township"] == [
        ("UA", D("75.82"), 1, "good"),
        ("UB", D("22.89"), 2, "fail"),
    ]
    assert ranked["park"] == [("PK", D("83.67"), 1, "good")]
    # D2 has only trips with a base: 1 of 2 → 5 of its 10 points, scaled to 100
    assert ranked["department"] == [
        ("D1", D("0.00"), 2, "fail"),
        ("D2", D("50.00"), 1, "fail"),
    ]
    assert groups["township"]["grade_counts"] == {"excellent": 0, "good": 1, "pass": 0, "fail": 1}
    assert figures["year_closed"] is True and figures["month"] == 12
    assert "功效系数" in figures["formula"] and "60 + 40" in figures["formula"]


def test_grades_by_shares_in_the_county(county, bureau_user):
    hand_scheme(
        bureau_user,
        grade_method="shares",
        excellent_min=None,
        good_min=None,
        pass_min=None,
        excellent_share=D("0.5"),
        good_share=D(0),
        fail_share=D("0.5"),
    )
    units = units_by_code(annual_assessment(YEAR))
    # two townships: the first Excellent, the last Fail; the park alone: ⌊1 × 0.5⌋ = 0 of
    # each, so Pass
    assert (units["UA"]["grade"], units["UB"]["grade"], units["PK"]["grade"]) == (
        "excellent",
        "fail",
        "pass",
    )
    assert (units["D2"]["grade"], units["D1"]["grade"]) == ("excellent", "fail")


def test_a_unit_without_any_base_has_no_total_rank_or_grade(county, bureau_user):
    hand_scheme(
        bureau_user,
        indicators=[IndicatorEntry(metric="investment", weight=D(100), method="efficacy")],
    )
    units = units_by_code(annual_assessment(YEAR))
    d1 = units["D1"]
    assert (d1["indicator_points"], d1["total"], d1["rank"], d1["grade"]) == (
        None,
        None,
        None,
        None,
    )
    # A the best of the townships on investment, B the worst
    assert (units["UA"]["indicator_points"], units["UB"]["indicator_points"]) == (
        D("100.00"),
        D("60.00"),
    )


# --- Build, publish, versions ---------------------------------------------------------------------


def test_the_snapshot_recomputes_by_hand_from_what_it_stores(county, bureau_user):
    report = report_build(kind="annual", period=PERIOD, user=bureau_user)
    stored = Report.objects.get(pk=report.pk).figures
    assert stored["scheme"]["total_weight"] == "100.00"
    assert [i["metric"] for i in stored["scheme"]["indicators"]] == [
        i.metric for i in HAND_INDICATORS
    ]
    assert {i["item"] for i in stored["scheme"]["bonuses"] + stored["scheme"]["deductions"]} == {
        a.item for a in HAND_ADJUSTMENTS
    }
    for group in stored["unit_groups"]:
        for unit in group["units"]:
            used = [line for line in unit["indicators"] if line["points"] is not None]
            if not used:
                continue
            weights = sum(D(line["weight"]) for line in used)
            assert D(unit["weights_used"]) == weights
            scaled = sum(D(line["points"]) for line in used) * 100 / weights
            assert D(unit["indicator_points"]) == scaled.quantize(D("0.01")), unit["code"]
            total = (
                D(unit["indicator_points"])
                + D(unit["bonus_points"])
                - D(unit["deduction_points"])
                + D(unit["manual_points"])
            )
            assert D(unit["total"]) == total, unit["code"]


def test_publishing_freezes_the_snapshot_and_a_rebuild_is_a_new_version(
    county, bureau_user, unit_a
):
    first = report_build(kind="annual", period=PERIOD, user=bureau_user)
    again = report_build(kind="annual", period=PERIOD, user=bureau_user)
    assert again.pk == first.pk and Report.objects.filter(kind="annual").count() == 1
    report_publish(report=first, user=bureau_user, confirm=True, note="年度考核按时发布")
    frozen = Report.objects.get(pk=first.pk).figures
    assert units_by_code(frozen)["UA"]["total"] == "75.82"
    # later: more funds verified for A, a manual item changed, the scheme changed
    funds(ProjectFactory(unit=unit_a, stage="signed"), (2026, 12), 1401)
    manual_score_change(item=county["manual"][0], data={"points": D(5)}, user=bureau_user)
    hand_scheme(bureau_user, excellent_min=D(95))
    assert Report.objects.get(pk=first.pk).figures == frozen
    with pytest.raises(ValidationError) as refused:
        report_build(kind="annual", period=PERIOD, user=bureau_user)
    assert "reason" in refused.value.message_dict
    v2 = report_build(kind="annual", period=PERIOD, user=bureau_user, reason="补录12月资金")
    assert (v2.version, v2.status, v2.rebuild_reason) == (2, "draft", "补录12月资金")
    a = units_by_code(Report.objects.get(pk=v2.pk).figures)["UA"]
    assert line(a, "funds")["actual"] == "4000.00"  # 2599 + 1401: 100% of the target
    assert a["manual_points"] == "4.00"
    assert Report.objects.get(pk=v2.pk).figures["scheme"]["grades"]["excellent_min"] == "95.00"
    assert Report.objects.get(pk=first.pk).figures == frozen
    # the published one keeps what was open when it was published
    assert Report.objects.get(pk=first.pk).pending_at_publish["last_period"] == "2026-12"


def test_which_years_may_be_built(bureau_user, officer_a, unit_a):
    with pytest.raises(ValidationError) as no_scheme:
        report_build(kind="annual", period=PERIOD, user=bureau_user)
    assert "scheme" in str(no_scheme.value) or "方案" in str(no_scheme.value)
    hand_scheme(bureau_user, year=2027)
    with pytest.raises(ValidationError):  # January 2027 is not over
        report_build(kind="annual", period=dt.date(2027, 1, 1), user=bureau_user)
    with pytest.raises(ValidationError):  # not 1 January
        report_build(kind="annual", period=dt.date(2026, 4, 1), user=bureau_user)
    hand_scheme(bureau_user)
    with pytest.raises(PermissionDenied):
        report_build(kind="annual", period=PERIOD, user=officer_a)
    assert not Report.objects.exists()


def test_the_year_under_way_counts_to_its_last_complete_month(bureau_user, unit_a):
    hand_scheme(bureau_user)
    Target.objects.create(year=YEAR, metric="funds", value=D(1000), unit=unit_a)
    project = ProjectFactory(unit=unit_a, stage="signed", signed_on=dt.date(2026, 2, 1))
    funds(project, (2026, 6), 300)
    funds(project, (2026, 7), 200)  # the month under way
    trip(unit_a, dt.date(2026, 7, 2))
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        figures = annual_assessment(YEAR)
    assert (figures["month"], figures["year_closed"], figures["end"]) == (
        6,
        False,
        dt.date(2026, 6, 30),
    )
    a = units_by_code(figures)["UA"]
    assert line(a, "funds")["actual"] == D("300.00")
    assert line(a, "trips")["actual"] == 0


def test_the_task_builds_through_the_service(county, bureau_user):
    job = Job.objects.create(
        kind=JOB_KIND_ANNUAL, params={"year": YEAR, "reason": ""}, created_by=bureau_user
    )
    result = build_annual_assessment(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    report = Report.objects.get(pk=result["report_id"])
    assert (report.kind, report.period, report.job_id, report.status) == (
        "annual",
        PERIOD,
        job.pk,
        "draft",
    )
    assert units_by_code(report.figures)["PK"]["total"] == "83.67"
    assert build_annual_assessment(job.pk) == job.result  # delivered twice: nothing more
    second = Job.objects.create(kind=JOB_KIND_ANNUAL, params={"year": YEAR}, created_by=bureau_user)
    assert build_annual_assessment(second.pk)["report_id"] == report.pk  # the same draft
    bad = Job.objects.create(kind=JOB_KIND_ANNUAL, params={"year": "x"}, created_by=bureau_user)
    build_annual_assessment(bad.pk)
    bad.refresh_from_db()
    assert bad.status == JobStatus.FAILED and bad.error
    no_scheme = Job.objects.create(
        kind=JOB_KIND_ANNUAL, params={"year": 2025}, created_by=bureau_user
    )
    build_annual_assessment(no_scheme.pk)
    no_scheme.refresh_from_db()
    assert no_scheme.status == JobStatus.FAILED and "2025" in no_scheme.error
    assert Report.objects.filter(kind="annual").count() == 1


def test_a_manual_item_counts_from_the_next_build(county, bureau_user):
    item = ManualScore.objects.get(title="材料报送不及时")
    manual_score_change(item=item, data={"points": D(-3), "note": "两次逾期"}, user=bureau_user)
    assert units_by_code(annual_assessment(YEAR))["UA"]["total"] == D("73.82")
    assert [h.points for h in item.history.order_by("history_date")] == [D(-1), D(-3)]
    assert AssessmentScheme.objects.get(year=YEAR).indicators.count() == 5


# --- Query count ---------------------------------------------------------------------------------


def _queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        annual_assessment(YEAR)
    return len(queries)


def test_the_query_count_does_not_grow(county, unit_a, bureau_user):
    def add(count, start):
        for i in range(start, start + count):
            unit = UnitFactory(kind=["township", "park", "department"][i % 3])
            Target.objects.create(year=YEAR, metric="funds", value=D(1000), unit=unit)
            project = ProjectFactory(
                unit=unit,
                stage="constructing",
                signed_on=dt.date(2026, 1 + i % 12, 10),
                started_on=dt.date(2026, 1 + i % 12, 20),
                investor_origin="foreign" if i % 2 else "out_of_city",
                contract_amount_wan=20000 if i % 4 == 0 else 500,
            )
            funds(project, (2026, 1 + i % 12), 10 + i)
            funds(project, (2026, 1 + i % 12), 10 + i, kind="investment")
            trip(unit, dt.date(2026, 1 + i % 12, 3))

    add(3, 0)
    small = _queries()
    assert small <= 30
    add(60, 3)
    assert Project.objects.count() > 60
    assert _queries() == small
    figures = annual_assessment(YEAR)
    assert sum(len(g["units"]) for g in figures["unit_groups"]) == 5 + 63


@pytest.mark.django_db(transaction=True)
def test_the_build_runs_on_a_real_worker(celery_worker, bureau_user, unit_a, api_as):
    import time

    from core.jobs import job_start

    hand_scheme(bureau_user)
    Target.objects.create(year=YEAR, metric="funds", value=D(1000), unit=unit_a)
    funds(ProjectFactory(unit=unit_a, stage="signed"), (2026, 11), 250)
    # the clock runs (the worker's timers need it), in January after the year
    with time_machine.travel(AFTER_THE_YEAR, tick=True):
        job = job_start(
            kind=JOB_KIND_ANNUAL,
            task=build_annual_assessment,
            created_by=bureau_user,
            params={"year": YEAR, "reason": ""},
        )
        for _ in range(300):  # the Job row is the result (no result backend)
            job.refresh_from_db()
            if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                break
            time.sleep(0.1)
    assert job.status == JobStatus.SUCCEEDED, job.error
    report = Report.objects.get(pk=job.result["report_id"])
    assert (report.kind, report.period, report.status) == ("annual", PERIOD, "draft")
    a = units_by_code(report.figures)["UA"]
    assert line(a, "funds")["actual"] == "250.00" and line(a, "funds")["points"] == "10.00"
    body = api_as(bureau_user).get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded" and body["progress"] == 100
