"""The quarterly review (一季一调度): figures, scores and ranks worked out by hand on the
hand-built county for the second quarter of 2026; the stored snapshot, versions, the score
weights, the build task and the query count."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job, JobStatus
from core.roles import Role
from projects.models import Blocker, Project
from reports.models import Report, ScoreWeight
from reports.selectors import current_weights, quarterly_review
from reports.services import report_build, report_publish, score_weights_save
from reports.tasks import JOB_KIND_QUARTERLY, build_quarterly_review, schedule_quarterly_review
from targets.models import Target
from teams.models import Team
from tests.factories import LeadFactory, ProjectFactory, UnitFactory, UserFactory
from tests.reports.county import build_county, funds
from trips.models import Trip, TripQuota

pytestmark = pytest.mark.django_db
D = Decimal
Q2 = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


def trip(unit, start, team=None):
    return Trip.objects.create(
        unit=unit,
        team=team,
        leader_name="王局长",
        destination="深圳",
        start_on=start,
        end_on=start + dt.timedelta(days=2),
        summary="已对接",
    )


def add_review_facts(unit_a, unit_b, county):
    """On top of build_county: when projects were entered, agreed start dates, a projects
    signed target, trips, leads, officers, two teams, blockers."""
    entered = {
        "A1": (2026, 1, 5),
        "A2": (2026, 3, 1),
        "A3": (2026, 6, 1),  # entered in the year, signed after June
        "B1": (2025, 1, 1),
        "B2": (2023, 6, 1),
        "K1": (2026, 5, 1),
        "K2": (2026, 2, 1),  # terminated, but it was signed: counts for the signing rate
        "N1": (2026, 4, 1),
    }
    for code, day in entered.items():
        Project.objects.filter(code=code).update(entered_on=dt.date(*day))
    # A1 started on 1 April, before its agreed 15 April; A2 agreed 1 June, not started: late
    Project.objects.filter(code="A1").update(agreed_start_on=dt.date(2026, 4, 15))
    Project.objects.filter(code="A2").update(agreed_start_on=dt.date(2026, 6, 1))
    Target.objects.create(year=2026, metric="projects_signed", value=D(4), unit=unit_a)

    team = Team.objects.create(name="深圳组", kind="resident", lead_unit=unit_a)
    Team.objects.create(name="长三角组", kind="group", lead_unit=unit_b)
    Target.objects.create(year=2026, metric="funds", value=D(2000), team=team)
    Project.objects.filter(code="A1").update(team=team)
    TripQuota.objects.create(year=2026, scope="team", per_year=8, per_quarter=1)

    trip(unit_a, dt.date(2026, 2, 10))
    trip(unit_a, dt.date(2026, 4, 1), team)
    trip(unit_a, dt.date(2026, 5, 10), team)
    trip(unit_a, dt.date(2026, 7, 2), team)  # after the quarter
    trip(unit_b, dt.date(2026, 3, 1))

    for day in ((2026, 1, 8), (2026, 3, 1), (2026, 6, 30)):
        LeadFactory(unit=unit_a, received_on=dt.date(*day))
    LeadFactory(unit=unit_a, received_on=dt.date(2026, 7, 1))  # after the quarter
    LeadFactory(unit=unit_a, received_on=dt.date(2025, 12, 1))  # last year
    UserFactory(username="officer_a2", role=Role.OFFICER, unit=unit_a)
    UserFactory(username="gone_a", role=Role.OFFICER, unit=unit_a, is_active=False)
    UserFactory(username="head_a", role=Role.UNIT_HEAD, unit=unit_a)  # not an officer

    a1 = Project.objects.get(code="A1")
    Blocker.objects.create(
        project=a1,
        category="land",
        description="用地指标未落实",
        owner_unit=unit_a,
        due_on=dt.date(2026, 6, 10),
    )
    Blocker.objects.create(  # due after the quarter
        project=a1,
        category="land",
        description="环评",
        owner_unit=unit_a,
        due_on=dt.date(2026, 7, 20),
    )
    return {**county, "team": team}


@pytest.fixture
def county(unit_a, unit_b, officer_a, officer_b, bureau_unit):
    return add_review_facts(unit_a, unit_b, build_county(unit_a, unit_b))


def units_by_code(figures):
    return {unit["code"]: unit for group in figures["unit_groups"] for unit in group["units"]}


def metric(row, name):
    return next(m for m in row["metrics"] if m["metric"] == name)


def test_unit_figures_worked_out_by_hand(county):
    figures = quarterly_review(2026, 2)
    assert (figures["period"], figures["time_progress"]) == ("2026-04", D("0.5000"))
    assert [g["kind"] for g in figures["unit_groups"]] == ["township", "park", "department"]
    units = units_by_code(figures)
    a, b, park, d1, d2 = (units[c] for c in ("UA", "UB", "PK", "D1", "D2"))

    # funds to the end of June: A1 1000 − 200 + 500, A2 300
    funds_a = metric(a, "funds")
    assert (funds_a["actual"], funds_a["target"], funds_a["progress"]) == (
        D("1600.00"),
        D("4000.00"),
        D("0.4000"),
    )
    assert funds_a["time_progress"] == D("0.5000") and funds_a["behind"] is True
    signed_a = metric(a, "projects_signed")  # A1 and A2 (A3 signed in July)
    assert (signed_a["actual"], signed_a["progress"], signed_a["behind"]) == (2, D("0.5"), False)
    assert [m["metric"] for m in a["metrics"]] == ["funds", "projects_signed"]
    assert metric(park, "funds")["progress"] == D("0.7167")  # 2150 / 3000
    assert d2["metrics"] == []  # no target at all

    # trips: townships 4 a year, departments 5 (quota to date: × 2/4); parks have none
    assert a["trips"] == {
        "count": 3,
        "quarter_count": 2,
        "quota": 4,
        "quota_per_quarter": 0,
        "quota_to_date": D("2.00"),
        "status": "on_track",
    }
    assert (b["trips"]["count"], b["trips"]["status"]) == (1, "behind")  # 1 × 4 < 4 × 2
    assert d1["trips"]["quota_to_date"] == D("2.50")
    assert park["trips"]["quota"] is None and park["trips"]["status"] == "no_quota"

    # rates: A entered A1, A2, A3 and signed A1, A2; A1 started on time; A2 is late;
    # funds to date 1600 over the contract amounts of A1 and A2 (18000)
    assert a["rates"] == {
        "signing_rate": D("0.6667"),
        "start_rate": D("0.5000"),
        "on_time_rate": D("0.5000"),
        "funds_rate": D("0.0889"),
    }
    # B: nothing entered or signed this year; funds rate (all years) 2350 / 2300
    assert b["rates"] == {
        "signing_rate": None,
        "start_rate": None,
        "on_time_rate": None,
        "funds_rate": D("1.0217"),
    }
    assert park["rates"]["signing_rate"] == D("1.0000")  # K2 terminated, but it signed

    # leads: three received from January to June ÷ two active officers
    assert (a["leads"], a["officers"], a["leads_per_officer"]) == (3, 2, D("1.50"))
    assert (b["leads"], b["officers"], b["leads_per_officer"]) == (0, 1, D("0.00"))
    assert (park["officers"], park["leads_per_officer"]) == (0, None)


def test_scores_and_ranks_worked_out_by_hand(county):
    figures = quarterly_review(2026, 2)
    assert figures["weights"] == {
        "funds": 30,
        "contract_amount": 10,
        "projects_signed": 15,
        "projects_started": 15,
        "investment": 0,  # until the bureau weighs it
        "trips": 10,
        "signing_rate": 5,
        "start_rate": 5,
        "on_time_rate": 5,
        "funds_rate": 5,
    }
    units = units_by_code(figures)
    a = units["UA"]
    assert {k: v["attainment"] for k, v in a["components"].items()} == {
        "funds": D("0.8000"),  # 0.4 / 0.5
        "projects_signed": D("1.0000"),  # 0.5 / 0.5
        "trips": D("1.2000"),  # 3 / 2 = 1.5, capped at 1.2
        "signing_rate": D("0.6667"),
        "start_rate": D("0.5000"),
        "on_time_rate": D("0.5000"),
        "funds_rate": D("0.0889"),
    }
    # 30×0.8 + 15×1 + 10×1.2 + 5×(0.6667 + 0.5 + 0.5 + 0.0889) = 59.778 over 75 points
    assert a["score"] == D("79.70")
    # B: funds 0.175/0.5 = 0.35, trips 1/2 = 0.5, funds rate 1.0217 capped at 1:
    # (30×0.35 + 10×0.5 + 5×1) / 45 = 20.5 / 45
    assert units["UB"]["score"] == D("45.56")
    assert units["UB"]["components"]["funds_rate"]["attainment"] == D("1.0000")
    # the park: funds 0.7167/0.5 capped at 1.2; signing 1, start 1, funds rate 2000/20000
    # (30×1.2 + 5×1 + 5×1 + 5×0.1) / 45 = 46.5 / 45
    assert units["PK"]["score"] == D("103.33")
    # D1: funds 0, trips 0 / 2.5, signing 0 / 1 → 0; D2: only its trips, 0
    assert (units["D1"]["score"], units["D2"]["score"]) == (D("0.00"), D("0.00"))
    assert [(u["code"], u["rank"]) for g in figures["unit_groups"] for u in g["units"]] == [
        ("UA", 1),
        ("UB", 2),
        ("PK", 1),
        ("D1", 1),  # equal scores share a rank
        ("D2", 1),
    ]


def test_teams_worked_out_by_hand(county):
    figures = quarterly_review(2026, 2)
    assert [g["kind"] for g in figures["team_groups"]] == ["resident", "group"]
    shenzhen = figures["team_groups"][0]["teams"][0]
    assert shenzhen["name"] == "深圳组"
    # funds of A1 to June: 1300 of 2000 → 0.65 / 0.5 capped; trips 2 of 8 × 2/4 = 4
    assert metric(shenzhen, "funds")["progress"] == D("0.6500")
    assert (shenzhen["trips"]["count"], shenzhen["trips"]["quota_to_date"]) == (2, D("4.00"))
    assert set(shenzhen["components"]) == {"funds", "trips"}
    assert shenzhen["score"] == D("102.50")  # (30×1.2 + 10×0.5) / 40
    other = figures["team_groups"][1]["teams"][0]
    assert (other["score"], other["rank"]) == (D("0.00"), 1)  # 0 trips of 4
    assert "rates" not in shenzhen


def test_blank_lagging_stalled_and_overdue(county):
    figures = quarterly_review(2026, 2)
    assert [u["code"] for u in figures["blank_units"]] == ["UB", "D1", "D2"]
    assert [(u["code"], u["progress"]) for u in figures["lagging_units"]] == [
        ("UA", D("0.4000")),
        ("UB", D("0.1750")),
        ("D1", D("0.0000")),
    ]
    assert [(p["code"], p["why"]) for p in figures["stalled_projects"]] == [("A2", ["start"])]
    assert [b["description"] for b in figures["overdue_blockers"]] == ["用地指标未落实"]


def test_the_snapshot_recomputes_by_hand_with_its_weights(county, bureau_user):
    score_weights_save(weights={"funds": 50, "trips": 0}, user=bureau_user)
    report = report_build(kind="quarterly", period=Q2, user=bureau_user)
    figures = Report.objects.get(pk=report.pk).figures
    assert figures["weights"]["funds"] == 50 and figures["weights"]["trips"] == 0
    assert "1.2" in figures["formula"]["text"]
    rows = [u for g in figures["unit_groups"] for u in g["units"]]
    rows += [t for g in figures["team_groups"] for t in g["teams"]]
    for row in rows:
        parts = row["components"]
        weight = sum(figures["weights"][name] for name in parts)
        weighted = sum(figures["weights"][name] * D(p["attainment"]) for name, p in parts.items())
        expected = (100 * weighted / weight).quantize(D("0.01")) if weight else None
        assert (D(row["score"]) if row["score"] is not None else None) == expected, row["name"]
    # A with funds at 50 points and trips at none:
    # (50×0.8 + 15×1 + 0×1.2 + 5×1.7556) / 85 = 63.778 / 85
    assert units_by_code(figures)["UA"]["score"] == "75.03"
    # D2 only had trips, now worth nothing: no score, no rank
    assert (units_by_code(figures)["D2"]["score"], units_by_code(figures)["D2"]["rank"]) == (
        None,
        None,
    )


def test_build_publish_and_version(county, bureau_user, unit_a):
    first = report_build(kind="quarterly", period=Q2, user=bureau_user)
    again = report_build(kind="quarterly", period=Q2, user=bureau_user)
    assert again.pk == first.pk and Report.objects.count() == 1
    assert Report.objects.get().figures == Report.objects.get(pk=first.pk).figures
    report_publish(report=first, user=bureau_user, confirm=True, note="二季度按时调度")
    frozen = Report.objects.get(pk=first.pk).figures
    funds(ProjectFactory(unit=unit_a, stage="signed"), (2026, 5), 400)
    with pytest.raises(ValidationError):
        report_build(kind="quarterly", period=Q2, user=bureau_user)
    v2 = report_build(kind="quarterly", period=Q2, user=bureau_user, reason="补录5月资金")
    assert (v2.version, v2.status, v2.rebuild_reason) == (2, "draft", "补录5月资金")
    assert metric(units_by_code(v2.figures)["UA"], "funds")["actual"] == "2000.00"
    assert Report.objects.get(pk=first.pk).figures == frozen
    # the monthly bulletin of April is another report
    assert not Report.objects.filter(kind="monthly").exists()


def test_which_quarters_may_be_built(bureau_user, officer_a):
    with pytest.raises(ValidationError) as error:
        report_build(kind="quarterly", period=dt.date(2026, 10, 1), user=bureau_user)
    assert "quarter" in error.value.message_dict
    with pytest.raises(ValidationError):  # not the first month of a quarter
        report_build(kind="quarterly", period=dt.date(2026, 5, 1), user=bureau_user)
    with pytest.raises(PermissionDenied):
        report_build(kind="quarterly", period=Q2, user=officer_a)
    # the quarter under way may be built (a draft of where it stands)
    report = report_build(kind="quarterly", period=dt.date(2026, 7, 1), user=bureau_user)
    assert (report.figures["quarter"], report.figures["quarter_closed"]) == (3, False)


# --- Score weights -------------------------------------------------------------------------------


def test_weights_are_saved_all_or_nothing_by_the_bureau(bureau_user, officer_a, leader):
    assert current_weights()["funds"] == 30
    for user in (officer_a, leader, None):
        with pytest.raises(PermissionDenied):
            score_weights_save(weights={"funds": 40}, user=user)
    with pytest.raises(ValidationError) as error:
        score_weights_save(weights={"funds": 40, "trips": 101}, user=bureau_user)
    assert set(error.value.message_dict) == {"trips"}
    with pytest.raises(ValidationError):
        score_weights_save(weights={"funds": -1}, user=bureau_user)
    with pytest.raises(ValidationError):
        score_weights_save(weights={"luck": 5}, user=bureau_user)
    with pytest.raises(ValidationError):  # all zero
        score_weights_save(weights=dict.fromkeys(current_weights(), 0), user=bureau_user)
    assert current_weights()["funds"] == 30  # nothing was saved
    saved = score_weights_save(weights={"funds": 40, "trips": 20}, user=bureau_user)
    assert (saved["funds"], saved["trips"], saved["start_rate"]) == (40, 20, 5)
    funds_weight = ScoreWeight.objects.get(component="funds")
    assert [h.weight for h in funds_weight.history.order_by("history_date")] == [40]


# --- The task, the schedule ----------------------------------------------------------------------


def test_task_builds_through_the_service(county, bureau_user):
    job = Job.objects.create(
        kind=JOB_KIND_QUARTERLY,
        params={"year": 2026, "quarter": 2, "reason": ""},
        created_by=bureau_user,
    )
    result = build_quarterly_review(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    report = Report.objects.get(pk=result["report_id"])
    assert (report.kind, report.period, report.job_id) == ("quarterly", Q2, job.pk)
    assert units_by_code(report.figures)["UA"]["score"] == "79.70"
    assert build_quarterly_review(job.pk) == job.result  # delivered twice: nothing more
    second = Job.objects.create(
        kind=JOB_KIND_QUARTERLY, params={"year": 2026, "quarter": 2}, created_by=bureau_user
    )
    assert build_quarterly_review(second.pk)["report_id"] == report.pk  # the same draft
    assert Report.objects.count() == 1


def test_task_fails_clearly(bureau_user):
    bad = Job.objects.create(kind=JOB_KIND_QUARTERLY, params={"year": 2026, "quarter": 5})
    build_quarterly_review(bad.pk)
    bad.refresh_from_db()
    assert bad.status == JobStatus.FAILED and bad.error
    future = Job.objects.create(
        kind=JOB_KIND_QUARTERLY, params={"year": 2026, "quarter": 4}, created_by=bureau_user
    )
    build_quarterly_review(future.pk)
    future.refresh_from_db()
    assert future.status == JobStatus.FAILED
    assert "quarter that has not started" in future.error or "季度" in future.error
    assert not Report.objects.exists()


def test_the_schedule_builds_last_quarter_unless_published():
    with time_machine.travel(dt.datetime(2027, 1, 10, 2, 0), tick=False):
        job = Job.objects.get(pk=schedule_quarterly_review())
    assert (job.kind, job.params) == (JOB_KIND_QUARTERLY, {"year": 2026, "quarter": 4})
    Report.objects.create(
        kind="quarterly", period=dt.date(2026, 7, 1), status="published", figures={}
    )
    with time_machine.travel(dt.datetime(2026, 10, 10, 2, 0), tick=False):
        assert schedule_quarterly_review() is None
    assert Job.objects.count() == 1


# --- Query count ---------------------------------------------------------------------------------


def _queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        quarterly_review(2026, 2)
    return len(queries)


def test_query_count_does_not_grow(county, unit_a, unit_b):
    team = county["team"]
    units = [unit_a, unit_b, county["park"], county["d1"]]

    def add(count, start):
        for i in range(start, start + count):
            unit = units[i % len(units)]
            if i % 10 == 0:  # new units and officers too
                unit = UnitFactory(kind=["township", "park", "department"][i % 3])
                UserFactory(role=Role.OFFICER, unit=unit)
            project = ProjectFactory(
                unit=unit,
                stage="constructing",
                signed_on=dt.date(2026, 1 + i % 6, 10),
                started_on=dt.date(2026, 1 + i % 6, 20),
                agreed_start_on=dt.date(2026, 3, 1),
                entered_on=dt.date(2026, 1, 2),
                is_key=i % 2 == 0,
                team=team if i % 3 else None,
            )
            Blocker.objects.create(
                project=project,
                category="land",
                description=f"问题{i}",
                owner_unit=unit,
                due_on=dt.date(2026, 5, 1 + i % 28),
            )
            funds(project, (2026, 1 + i % 6), 10 + i)
            LeadFactory(unit=unit, team=team, received_on=dt.date(2026, 2, 1))
            trip(unit, dt.date(2026, 1 + i % 6, 3), team if i % 2 else None)
            Target.objects.get_or_create(
                year=2026, metric="funds", unit=unit, defaults={"value": D(1000)}
            )

    add(2, 0)  # 10 projects with the county's 8
    small = _queries()
    assert small <= 30  # a handful per section, whatever the rows
    add(190, 2)  # 200
    assert Project.objects.count() == 200
    assert _queries() == small
    figures = quarterly_review(2026, 2)
    assert len(figures["overdue_blockers"]) == 1 + 192
    assert sum(len(g["units"]) for g in figures["unit_groups"]) == 5 + 20


@pytest.mark.django_db(transaction=True)
def test_the_build_runs_on_a_real_worker(celery_worker, bureau_user, unit_a, api_as):
    import time

    from core.jobs import job_start

    # the clock runs (the worker's timers need it), from a day after the second quarter
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=True):
        job = job_start(
            kind=JOB_KIND_QUARTERLY,
            task=build_quarterly_review,
            created_by=bureau_user,
            params={"year": 2026, "quarter": 2, "reason": ""},
        )
        for _ in range(300):  # the Job row is the result (no result backend)
            job.refresh_from_db()
            if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                break
            time.sleep(0.1)
    assert job.status == JobStatus.SUCCEEDED, job.error
    report = Report.objects.get(pk=job.result["report_id"])
    assert (report.kind, report.period, report.status) == ("quarterly", Q2, "draft")
    assert report.figures["quarter"] == 2 and report.figures["weights"]["funds"] == 30
    body = api_as(bureau_user).get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded" and body["progress"] == 100
