from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from core.periods import add_months
from core.roles import Role
from core.validators import validate_chinese_phone
from demo import targets as targets_demo
from demo import teams as teams_demo
from demo.management.commands import seed_demo
from projects.choices import (
    LIVE_STAGES,
    BlockerStatus,
    FilingStatus,
    FundsKind,
    FundsStatus,
    LeadStatus,
    Origin,
    ReserveStatus,
    Stage,
)
from projects.models import (
    Blocker,
    Document,
    DuplicatePair,
    FollowUp,
    FundsRecord,
    Industry,
    Lead,
    Project,
    ReserveProject,
    StageChange,
)
from targets.choices import Metric, OwnerKind, Pace
from targets.models import Target, YearSetting
from targets.selectors import default_owners, progress_table
from teams.choices import TeamKind, UnitKind
from teams.models import Team, Unit, User
from trips.choices import QuotaScope, TripStatus
from trips.models import DEFAULT_QUOTAS, Trip, TripQuota, TripVisit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The demo contracts are real files: keep them out of the shared test media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def assert_units_and_accounts():
    kinds = {kind: Unit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    assert kinds == {"bureau": 1, "township": 12, "department": 15, "park": 3}
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    officer_units = User.objects.filter(role=Role.OFFICER).values("unit").distinct().count()
    assert officer_units >= 3


def assert_teams():
    assert Team.objects.count() == 9
    assert Team.objects.filter(kind=TeamKind.RESIDENT).count() == 6
    assert Team.objects.filter(kind=TeamKind.GROUP).count() == 3
    for team in Team.objects.all():
        assert team.leader_name and team.budget_wan > 0 and team.active_from
        assert team.member_units.exists() and team.members.exists()


def assert_industries():
    chains = Industry.objects.chains()
    assert chains.count() == 7
    assert set(chains.filter(is_leading=True).values_list("name", flat=True)) == {
        "生物医药",
        "新能源新材料",
        "电子信息",
        "装备制造",
    }
    for chain in chains:
        assert 2 <= chain.segments.count() <= 4


def assert_leads(today):
    assert 280 <= Lead.objects.count() <= 320
    statuses = set(Lead.objects.values_list("status", flat=True))
    assert statuses == set(LeadStatus.values)
    assert not Lead.objects.filter(status=LeadStatus.DROPPED, drop_reason="").exists()
    assert FollowUp.objects.filter(lead__status=LeadStatus.FOLLOWING).exists()
    oldest = Lead.objects.order_by("received_on").first().received_on
    assert (today - oldest).days > 600 and Lead.objects.filter(received_on__gt=today).count() == 0
    assert Lead.objects.values("unit").distinct().count() >= 10
    assert Lead.objects.values("source").distinct().count() >= 6
    # The shared pool: a few companies reported by two units, written differently.
    assert Lead.objects.filter(possible_duplicates__isnull=False).distinct().count() >= 3
    for phone in Lead.objects.values_list("contact_phone", flat=True)[:50]:
        validate_chinese_phone(phone)


def assert_projects(today):
    assert 140 <= Project.objects.count() <= 160
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    from_leads = Project.objects.filter(lead__isnull=False).count()
    assert 50 <= from_leads < Project.objects.count()
    assert set(Project.objects.values_list("investor_origin", flat=True)) == set(Origin.values)
    assert Project.objects.filter(investor_origin=Origin.FOREIGN, foreign_amount_usd_wan__gt=0)
    assert Project.objects.filter(contract_amount_wan__gte=10000).exists()
    assert Project.objects.filter(is_key=True).exists()
    assert Project.objects.filter(cooperating_units__isnull=False).exists()
    assert Project.objects.filter(team__kind=TeamKind.RESIDENT).exists()
    assert Project.objects.filter(team__kind=TeamKind.GROUP).exists()
    assert Project.objects.filter(stage=Stage.TERMINATED).exclude(termination_reason="").exists()
    # Every stage reached follows the order of its dates; all of them are in the past.
    for project in Project.objects.exclude(signed_on=None):
        dates = [project.signed_on, project.started_on, project.completed_on, project.producing_on]
        reached = [d for d in dates if d is not None]
        assert reached == sorted(reached) and reached[-1] <= today
        assert project.documents.filter(kind="contract", status=FilingStatus.FILED).exists()
    assert StageChange.objects.filter(happened_on__lt=today.replace(year=today.year - 1)).exists()
    flagged = Project.objects.with_flags(today)
    assert flagged.filter(stalled_negotiation=True).exists()
    assert flagged.filter(stalled_start=True).exists()
    assert flagged.filter(is_stalled=True).count() >= 10
    assert flagged.filter(below_intensity=True).exists()
    assert Document.objects.filter(status=FilingStatus.RETURNED).exists()
    assert Document.objects.filter(status=FilingStatus.PENDING).exists()
    assert DuplicatePair.objects.exists()


def assert_blockers(today):
    assert Blocker.objects.overdue(today).exists()
    assert Blocker.objects.filter(status=BlockerStatus.OPEN, due_on__gte=today).exists()
    resolved = Blocker.objects.filter(status=BlockerStatus.RESOLVED)
    assert resolved.exists() and not resolved.filter(resolution="").exists()


def assert_trips(today):
    trips = Trip.objects.with_status(today)
    assert 120 <= trips.count() <= 200
    for year in (today.year - 1, today.year):
        assert trips.filter(start_on__year=year).exists()
        scopes = set(TripQuota.objects.filter(year=year).values_list("scope", flat=True))
        assert scopes == set(DEFAULT_QUOTAS) | {QuotaScope.PARK, QuotaScope.TEAM}
    statuses = dict(trips.values_list("status").annotate(n=Count("pk")))
    assert statuses.get(TripStatus.OVERDUE, 0) >= 3
    assert statuses.get(TripStatus.AWAITING, 0) >= 1 and statuses.get(TripStatus.PLAN, 0) >= 2
    assert statuses[TripStatus.REPORTED] >= 100
    assert not trips.filter(status=TripStatus.REPORTED, next_steps="").exists()
    # Resident teams travel most; county leaders and unit staff lead; every trip visits
    # one to four companies, with their contacts.
    per_team = trips.filter(team__isnull=False).values("team__kind").annotate(n=Count("pk"))
    counts = {row["team__kind"]: row["n"] for row in per_team}
    assert counts[TeamKind.RESIDENT] > 2 * counts[TeamKind.GROUP]
    assert (
        trips.filter(unit__isnull=False, team__isnull=True).values("unit").distinct().count() >= 10
    )
    assert trips.filter(led_by__role=Role.LEADER).exists()
    assert trips.filter(led_by__role__in=[Role.OFFICER, Role.UNIT_HEAD]).exists()
    assert not trips.filter(participants__isnull=True).exists()
    visits = trips.annotate(n=Count("visits")).values_list("n", flat=True)
    assert min(visits) >= 1 and max(visits) <= 4
    for phone in TripVisit.objects.values_list("contact_phone", flat=True)[:50]:
        validate_chinese_phone(phone)
    # The leads a trip brought in are the same unit's or team's, received during or after it.
    linked = Trip.leads.through.objects.select_related("trip", "lead")
    assert linked.count() >= 20
    for row in linked:
        trip, lead = row.trip, row.lead
        assert lead.unit_id == trip.unit_id or lead.team_id == trip.team_id
        assert trip.start_on <= lead.received_on
    assert not trips.filter(status=TripStatus.PLAN, leads__isnull=False).exists()


def assert_targets(today):
    """Targets for last year and this year: the county's of every metric, decomposed to
    every unit (a few short, so the gap shows), every team and the demo staff; progress
    this year shows units both ahead of time progress and behind it."""
    units = set(default_owners(OwnerKind.UNIT).values_list("pk", flat=True))
    teams = set(Team.objects.filter(is_active=True).values_list("pk", flat=True))
    people = {u.pk for u in targets_demo.demo_people()}
    assert units and teams and len(people) >= 10
    for year in (today.year - 1, today.year):
        targets = Target.objects.filter(year=year)
        county = dict(
            targets.filter(unit=None, team=None, user=None).values_list("metric", "value")
        )
        assert set(county) == set(Metric.values)
        assert set(targets.filter(unit__isnull=False).values_list("unit", flat=True)) == units
        assert set(targets.filter(team__isnull=False).values_list("team", flat=True)) == teams
        assert set(targets.filter(user__isnull=False).values_list("user", flat=True)) == people
        decomposed = sum(
            targets.filter(unit__isnull=False, metric=Metric.FUNDS).values_list("value", flat=True)
        )
        assert county[Metric.FUNDS] * Decimal("0.7") < decomposed < county[Metric.FUNDS]
        assert county[Metric.SIZE_100M] >= 1 and county[Metric.SIZE_1M] >= 10  # 12510
        rate = YearSetting.objects.get(year=year).usd_rate
        assert Decimal("7.1") <= rate <= Decimal("7.2")
    # Funds if the demo has verified funds this year, else leads.
    this_year = FundsRecord.objects.counted().funds().filter(period__year=today.year)
    metric = Metric.FUNDS if this_year.exists() else Metric.LEADS
    table = progress_table(OwnerKind.UNIT, today.year, today.month)
    paces = {row.metrics[metric].pace for row in table}
    assert {Pace.AHEAD, Pace.BEHIND} <= paces, (metric, paces)


def assert_funds(today):
    records = FundsRecord.objects.all()
    assert set(records.values_list("status", flat=True)) == set(FundsStatus.values)
    assert set(records.values_list("kind", flat=True)) == set(FundsKind.values)
    this_month = today.replace(day=1)
    assert not records.filter(period__gte=this_month).exists()  # nothing in a future month
    assert not records.exclude(project__stage__in=LIVE_STAGES).exists()
    # Older months are verified; last month mostly awaits verification.
    assert not records.filter(period__lt=add_months(this_month, -2)).exclude(
        status=FundsStatus.VERIFIED
    )
    last_month = records.filter(period=add_months(this_month, -1))
    assert last_month.filter(status=FundsStatus.SUBMITTED).count() > last_month.count() / 2
    # Returned with a reason, some fixed and sent again; verified ones corrected afterwards.
    assert not records.filter(status=FundsStatus.REJECTED, reject_reason="").exists()
    assert records.filter(version__gt=1).exists()
    corrections = records.filter(corrects__isnull=False)
    assert corrections.filter(status=FundsStatus.VERIFIED).count() >= 2
    assert corrections.filter(amount_wan__lt=0).exists() and not corrections.filter(note="")
    assert records.filter(flagged=True, status=FundsStatus.SUBMITTED).exists()
    # Evidence for every funds record; the bureau verifies, the project's unit submits.
    assert not records.filter(kind=FundsKind.FUNDS, corrects=None, evidence="").exists()
    verified = records.filter(status=FundsStatus.VERIFIED)
    assert not verified.exclude(verified_by__unit__kind=UnitKind.BUREAU).exists()
    by_others = records.exclude(submitted_by__unit=F("project__unit"))
    assert not by_others.exclude(submitted_by__unit__kind=UnitKind.BUREAU).exists()
    # This year's verified funds, January to last month, grow against last year's.
    if today.month > 1:
        counted = FundsRecord.objects.counted().funds()
        this_year = counted.filter(period__year=today.year, period__lt=this_month)
        last_year = counted.filter(period__year=today.year - 1, period__month__lt=today.month)
        now = this_year.aggregate(total=Sum("amount_wan"))["total"]
        then = last_year.aggregate(total=Sum("amount_wan"))["total"]
        assert now > then * Decimal("1.05")


def assert_library(today):
    statuses = set(ReserveProject.objects.values_list("status", flat=True))
    assert statuses == {ReserveStatus.RESERVE, ReserveStatus.PROMOTING, ReserveStatus.MATCHED}
    assert ReserveProject.objects.filter(entered_on__year=today.year).exists()
    leader = User.objects.get(username="leader")
    assert Project.objects.filter(leader=leader, is_key=True).exists()
    assert Project.objects.filter(sponsor_unit__kind=UnitKind.DEPARTMENT).exists()
    planned = Project.objects.filter(planned_start_year=today.year, planned_investment_wan__gt=0)
    assert planned.filter(stage__in=[Stage.NEGOTIATING, Stage.SIGNED]).exists()


def test_seed_demo_builds_a_county_and_running_it_twice_changes_nothing(media_root):
    call_command("seed_demo", "--quiet-accounts")
    today = timezone.localdate()
    assert_units_and_accounts()
    assert_teams()
    assert_industries()
    assert_leads(today)
    assert_projects(today)
    assert_blockers(today)
    assert_funds(today)
    assert_targets(today)
    assert_trips(today)
    assert_library(today)
    assert any(media_root.rglob("*.pdf"))
    first = row_counts()
    call_command("seed_demo", "--quiet-accounts")
    assert row_counts() == first


def test_seed_demo_prints_one_account_per_role(capsys, monkeypatch):
    # The accounts are all this test reads: the leads and projects would only slow it.
    monkeypatch.setattr(seed_demo, "SEEDERS", [teams_demo.seed, teams_demo.seed_teams])
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("bureau", "leader", "head_cgz", "officer_cgz"):
        assert username in out
    assert "招商局" in out and "县领导" in out and "单位负责人" in out and "招商专员" in out
    assert "demo.teams: teams +9" in out
