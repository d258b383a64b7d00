"""Building, rebuilding and publishing snapshots; the build's query count."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job, JobStatus
from projects.models import Blocker, FundsRecord, Project
from reports.models import Report
from reports.services import report_build, report_publish
from reports.tasks import build_monthly_bulletin
from targets.models import Target
from teams.models import Team
from tests.factories import ProjectFactory, UnitFactory
from tests.reports.county import add_key_projects_and_warnings, build_county, funds

pytestmark = pytest.mark.django_db
JUNE = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def county(unit_a, unit_b, bureau_unit):
    county = build_county(unit_a, unit_b)
    return {**county, **add_key_projects_and_warnings(unit_a, unit_b)}


def test_building_twice_leaves_one_draft_with_the_same_figures(county, bureau_user):
    first = report_build(period=JUNE, user=bureau_user)
    figures = Report.objects.get(pk=first.pk).figures
    second = report_build(period=JUNE, user=bureau_user)
    assert second.pk == first.pk
    assert Report.objects.count() == 1
    report = Report.objects.get()
    assert (report.status, report.version) == ("draft", 1)
    assert report.figures == figures
    assert report.figures["funds"]["cumulative_wan"] == "4100.00"


def test_a_build_reports_its_progress_section_by_section(county, bureau_user):
    """The figures are computed outside the storing transaction, so each step the build
    reports is seen by the job page while it runs."""
    heard = []
    report_build(period=JUNE, user=bureau_user, progress=heard.append)
    assert heard == sorted(heard) and len(heard) >= 4
    assert 0 < heard[0] < 100 and heard[-1] == 100
    heard.clear()
    report_build(
        kind="quarterly", period=dt.date(2026, 4, 1), user=bureau_user, progress=heard.append
    )
    assert heard == sorted(heard) and len(heard) >= 2 and 0 < heard[0] < 100


def test_a_rebuilt_draft_takes_new_figures(county, bureau_user, unit_a):
    report_build(period=JUNE, user=bureau_user)
    funds(ProjectFactory(unit=unit_a, stage="signed"), (2026, 6), 100)
    report = report_build(period=JUNE, user=bureau_user)
    assert report.figures["funds"]["cumulative_wan"] == "4200.00"
    assert Report.objects.count() == 1


def test_publish_freezes_and_a_rebuild_makes_version_two(county, bureau_user, unit_a):
    draft = report_build(period=JUNE, user=bureau_user)
    # June's months still hold open items: publishing asks for a confirmation and a note.
    with pytest.raises(ValidationError) as refused:
        report_publish(report=draft, user=bureau_user, confirm=True)
    assert refused.value.message_dict["confirm"] == [
        "其月份中尚未办结：",
        "2026年1—6月 有 2 条资金记录待核验（14,000.00 万元）。",
        "2026年1—6月 有 1 条记录已退回、尚未重新报送（400.00 万元）。",
        "2 个单位尚未报送 2026年6月：甲镇、乙镇。",
    ]
    assert set(refused.value.message_dict) == {"confirm", "note"}
    assert Report.objects.get(pk=draft.pk).status == "draft"
    published = report_publish(
        report=draft, user=bureau_user, confirm=True, note="两镇6月数据延后报送，先行通报"
    )
    assert published.status == "published" and published.published_by == bureau_user
    assert published.publish_note == "两镇6月数据延后报送，先行通报"
    assert published.pending_at_publish == {
        "first_period": "2026-01",
        "last_period": "2026-06",
        "awaiting": 2,
        "awaiting_wan": "14000.00",
        "returned": 1,
        "returned_wan": "400.00",
        "units_not_reported": ["甲镇", "乙镇"],
    }
    frozen = Report.objects.get(pk=draft.pk).figures
    with pytest.raises(ValidationError):
        report_publish(report=published, user=bureau_user)
    funds(ProjectFactory(unit=unit_a, stage="signed"), (2026, 6), 100)
    with pytest.raises(ValidationError):  # a published month is rebuilt only with a reason
        report_build(period=JUNE, user=bureau_user)
    v2 = report_build(period=JUNE, user=bureau_user, reason="补录乙镇6月到位资金")
    assert (v2.version, v2.status, v2.rebuild_reason) == (2, "draft", "补录乙镇6月到位资金")
    assert v2.figures["funds"]["cumulative_wan"] == "4200.00"
    assert Report.objects.get(pk=draft.pk).figures == frozen  # version 1 never changes
    again = report_build(period=JUNE, user=bureau_user)  # the draft v2 is rebuilt in place
    assert again.pk == v2.pk
    assert list(Report.objects.order_by("version").values_list("version", "status")) == [
        (1, "published"),
        (2, "draft"),
    ]


def test_only_the_bureau_builds_and_publishes(county, officer_a, leader, bureau_user):
    for user in (officer_a, leader):
        with pytest.raises(PermissionDenied):
            report_build(period=JUNE, user=user)
    draft = report_build(period=JUNE, user=bureau_user)
    with pytest.raises(PermissionDenied):
        report_publish(report=draft, user=leader)


def test_a_future_month_is_refused(bureau_user):
    with pytest.raises(ValidationError):
        report_build(period=dt.date(2026, 8, 1), user=bureau_user)


def test_task_records_its_job(county, bureau_user):
    job = Job.objects.create(kind="reports.monthly_bulletin", params={"period": "2026-06"})
    job.created_by = bureau_user
    job.save()
    result = build_monthly_bulletin(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    report = Report.objects.get(pk=result["report_id"])
    assert job.result == {"report_id": report.pk, "version": 1}
    assert report.job == job
    assert build_monthly_bulletin(job.pk) == job.result  # delivered twice: nothing more
    assert Report.objects.count() == 1


def test_task_fails_clearly(bureau_user):
    bad = Job.objects.create(kind="reports.monthly_bulletin", params={"period": "2026-13"})
    build_monthly_bulletin(bad.pk)
    bad.refresh_from_db()
    assert bad.status == JobStatus.FAILED and "YYYY-MM" in bad.error
    future = Job.objects.create(
        kind="reports.monthly_bulletin", params={"period": "2026-09"}, created_by=bureau_user
    )
    build_monthly_bulletin(future.pk)
    future.refresh_from_db()
    assert future.status == JobStatus.FAILED and "不能为未来的月份生成通报" in future.error
    assert not Report.objects.exists()


def _rebuild_queries(bureau_user) -> int:
    with CaptureQueriesContext(connection) as queries:
        report_build(period=JUNE, user=bureau_user)
    return len(queries)


def test_build_query_count_does_not_grow(county, bureau_user, unit_a, unit_b):
    """The same number of queries for a county of 10 projects and one of 200 (with their
    funds records, blockers, key projects and teams), and more units and teams."""
    park = county["park"]
    units = [unit_a, unit_b, park, county["d1"]]
    teams = [county["team"]]

    def add_projects(count):
        for i in range(count):
            project = ProjectFactory(
                unit=units[i % len(units)],
                stage="constructing",
                category="industrial" if i % 2 else "commerce",
                investor_origin=["out_of_city", "out_of_province", "foreign"][i % 3],
                signed_on=dt.date(2025 + i % 2, 1, 10),
                started_on=dt.date(2025 + i % 2, 2, 1),
                is_key=i % 2 == 0,
                team=teams[i % len(teams)] if i % 3 else None,
                agreed_start_on=dt.date(2026, 3, 1),
            )
            Blocker.objects.create(  # overdue at the end of June
                project=project,
                category="land",
                description=f"问题{i}",
                owner_unit=project.unit,
                due_on=dt.date(2026, 5, 1 + i % 28),
            )
            funds(project, (2026, 1 + i % 6), 10 + i)
            funds(project, (2025, 1 + i % 6), 5 + i)

    add_projects(2)  # 10 projects with the county's 8
    assert Project.objects.count() == 10
    report_build(period=JUNE, user=bureau_user)
    small = _rebuild_queries(bureau_user)
    assert small > 20  # the whole build is counted (selectors and the snapshot's save)

    for n in range(6):  # more units of each kind, with targets, and more teams
        kind = ["township", "park", "department"][n % 3]
        unit = UnitFactory(code=f"X{n}", name=f"新单位{n}", kind=kind, sort_order=10 + n)
        Target.objects.create(year=2026, metric="funds", value=D(500 + n), unit=unit)
        units.append(unit)
        teams.append(Team.objects.create(name=f"新分队{n}", kind="group", lead_unit=unit))
    add_projects(190)
    assert Project.objects.count() == 200
    assert FundsRecord.objects.count() > 400
    assert _rebuild_queries(bureau_user) == small

    figures = Report.objects.get().figures
    assert len(figures["key_projects"]) == 2 + 96  # A1, K1 and every other new project
    assert len(figures["warnings"]["overdue_blockers"]) == 1 + 192
    assert sum(len(group["units"]) for group in figures["unit_groups"]) == 5 + 6
    assert len(figures["teams"]) == 2 + 6
