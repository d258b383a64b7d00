import pytest
from django.apps import apps
from django.core.management import call_command

from teams.choices import Role, UnitKind
from teams.models import Unit, User

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_seed_demo_builds_a_county_and_running_it_twice_changes_nothing():
    call_command("seed_demo", "--quiet-accounts")
    kinds = {kind: Unit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    assert kinds == {"bureau": 1, "township": 12, "department": 15, "park": 3}
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    officer_units = User.objects.filter(role=Role.OFFICER).values("unit").distinct().count()
    assert officer_units >= 3
    first = row_counts()
    call_command("seed_demo", "--quiet-accounts")
    assert row_counts() == first


def test_seed_demo_prints_one_account_per_role(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("bureau", "leader", "head_cgz", "officer_cgz"):
        assert username in out
    assert "招商局" in out and "县领导" in out and "单位负责人" in out and "招商专员" in out
