"""Rows scoped through their project (funds records, documents): a user reads a record when
the record's project is one of the user's unit or one it cooperates on; the query reads the
project ids first (issue 20: counting an officer's funds records scanned 2.4 million)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from projects.models import Blocker, FundsRecord, Project
from tests.factories import ProjectFactory, UnitFactory, funds_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(unit_a, unit_b, industry):
    """A's project, B's project A cooperates on, B's own, C's: a record each, two for A's."""
    unit_c = UnitFactory(code="C", name="丙单位")
    own = ProjectFactory(unit=unit_a, industry=industry)
    shared = ProjectFactory(unit=unit_b, industry=industry)
    shared.cooperating_units.add(unit_a)
    theirs = ProjectFactory(unit=unit_b, industry=industry)
    other = ProjectFactory(unit=unit_c, industry=industry)
    return {
        "own": [funds_record(own, (2026, 1), 10).pk, funds_record(own, (2026, 2), 20).pk],
        "shared": [funds_record(shared, (2026, 1), 30).pk],
        "theirs": [funds_record(theirs, (2026, 1), 40).pk],
        "other": [funds_record(other, (2026, 1), 50).pk],
    }


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_funds_records_are_read_by_their_projects_units(
    records, officer_a, officer_b, unit_head_a, leader, bureau_user
):
    expected = {
        officer_a: records["own"] + records["shared"],
        unit_head_a: records["own"] + records["shared"],
        officer_b: records["shared"] + records["theirs"],
        leader: [pk for seen in records.values() for pk in seen],
        bureau_user: [pk for seen in records.values() for pk in seen],
    }
    for user, seen in expected.items():
        assert ids(FundsRecord.objects.visible_to(user)) == sorted(seen), user
        # what the declared paths say, written as a join: the same rows
        if user not in (leader, bureau_user):
            joined = FundsRecord.objects.filter(
                Q(project__unit=user.unit_id) | Q(project__cooperating_units=user.unit_id)
            ).distinct()
            assert ids(FundsRecord.objects.visible_to(user)) == ids(joined)
    # the visible projects' records, counted from the projects' ids: no join in the count
    with CaptureQueriesContext(connection) as captured:
        assert FundsRecord.objects.visible_to(officer_a).count() == 3
    sql = captured[0]["sql"]
    assert "UNION" in sql and 'INNER JOIN "projects_project" ON ("projects_fundsrecord"' not in sql
    assert ids(Project.objects.visible_to(officer_a)) == ids(
        Project.objects.filter(pk__in=FundsRecord.objects.visible_to(officer_a).values("project"))
    )


def test_a_unit_without_projects_reads_no_records_and_writes_stay_its_own(
    records, officer_a, unit_b
):
    lonely = UnitFactory(code="L", name="无项目单位")
    from tests.factories import UserFactory

    officer = UserFactory(unit=lonely, role="officer")
    assert ids(FundsRecord.objects.visible_to(officer)) == []
    assert ids(FundsRecord.objects.editable_by(officer_a)) == sorted(records["own"])


def test_blockers_keep_their_own_paths(records, officer_a):
    """A blocker is also read by the unit it is assigned to (`owner_unit`), a path not
    through its project: it keeps the general condition."""
    assert Blocker.objects.all()._through() is None
    assert officer_a.unit_id  # the general condition still reads them (tests/projects)
    assert FundsRecord.objects.all()._through() == "project"
