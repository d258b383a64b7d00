import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from core.management.commands import seed_demo
from core.validators import validate_chinese_phone
from projects.choices import BlockerStatus, FilingStatus, LeadStatus, Origin, Stage
from projects.models import (
    Blocker,
    Document,
    DuplicatePair,
    FollowUp,
    Industry,
    Lead,
    Project,
    StageChange,
)
from teams import demo as teams_demo
from teams.choices import Role, TeamKind, UnitKind
from teams.models import Team, Unit, User

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


def test_seed_demo_builds_a_county_and_running_it_twice_changes_nothing(media_root):
    call_command("seed_demo", "--quiet-accounts")
    today = timezone.localdate()
    assert_units_and_accounts()
    assert_teams()
    assert_industries()
    assert_leads(today)
    assert_projects(today)
    assert_blockers(today)
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
    assert "teams.demo: teams +9" in out
