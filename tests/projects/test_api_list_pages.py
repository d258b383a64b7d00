"""The API lists' pages cut by their rows' ids first (core.api.pagination.rows_of_page) are
the slices of the sorted rows, and the project rows' flags read from the SQL compiled once
a day (projects.selectors.project_rows) are those `with_flags` computes (issue 20)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from projects.models import FundsRecord, Project
from projects.models.projects import SHOWN_FLAGS
from projects.selectors import project_list, project_rows
from tests.factories import ProjectFactory, UnitFactory, funds_record

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
FUNDS = "/api/v1/funds/"


def pages(client, path, **query):
    """The ids of every page of a list, page after page, and the count it answers."""
    ids, number = [], 1
    while True:
        body = client.get(path, {**query, "page": number}).json()
        ids.append([row["id"] for row in body["results"]])
        if body["next"] is None:
            return ids, body["count"]
        number += 1


@pytest.fixture
def projects(unit_a, unit_b, industry):
    unit_b.sort_order = 1
    unit_b.save()
    for n in range(7):
        ProjectFactory(
            unit=unit_a if n % 2 else unit_b,
            industry=industry,
            name=f"项目{n % 3}",  # names repeat: the code breaks the tie
            contract_amount_wan=100 * (n % 4),
        )
    return Project.objects.order_by("pk")


@pytest.mark.parametrize("ordering", ["", "name,code", "-contract_amount_wan,code", "unit,code"])
def test_project_pages_are_the_slices_of_the_sorted_rows(api_as, bureau_user, projects, ordering):
    query = {"page_size": 3, **({"ordering": ordering} if ordering else {})}
    shown, count = pages(api_as(bureau_user), PROJECTS, **query)
    keys = [key.replace("unit", "unit__sort_order") for key in ordering.split(",") if key]
    sorted_rows = Project.objects.order_by(*keys) if keys else Project.objects.all()
    rows = list(sorted_rows.values_list("pk", flat=True))
    assert count == 7
    assert shown == [rows[0:3], rows[3:6], rows[6:7]]


def test_funds_pages_are_the_slices_of_the_sorted_records(api_as, bureau_user, projects):
    for n, project in enumerate(projects[:3]):
        for month in (1, 2, 3):
            funds_record(project, (2026, month), 10 * month + n)  # no two amounts alike
            funds_record(project, (2026, month), 100 * month + n, kind="investment")
    shown, count = pages(api_as(bureau_user), FUNDS, page_size=4)
    rows = list(FundsRecord.objects.values_list("pk", flat=True))  # the model's order
    assert count == 18
    assert shown == [rows[n : n + 4] for n in range(0, 18, 4)]
    shown, _count = pages(api_as(bureau_user), FUNDS, page_size=4, ordering="-amount_wan")
    assert [pk for page in shown for pk in page] == list(
        FundsRecord.objects.order_by("-amount_wan").values_list("pk", flat=True)
    )


def test_project_rows_flags_are_with_flags(officer_a, unit_a, unit_b, industry):
    """The flags compiled once a day (project_rows, which project_list reads) equal the
    expressions of ProjectQuerySet.with_flags, each of them, filtered on too."""
    today = dt.date(2026, 11, 20)
    unit_a.min_intensity_wan_per_mu = Decimal("200")
    unit_a.save()
    ProjectFactory(unit=unit_a, industry=industry, contract_amount_wan=5000, land_area_mu=50)
    ProjectFactory(unit=unit_a, industry=industry, contract_amount_wan=5000, land_area_mu=10)
    ProjectFactory(
        unit=unit_a,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 1, 5),
        agreed_start_on=dt.date(2026, 3, 1),
    )
    ProjectFactory(unit=unit_a, industry=industry, land_area_mu=None)
    ProjectFactory(unit=UnitFactory(), industry=industry)  # not officer A's
    expected = Project.objects.visible_to(officer_a).with_flags(today).order_by("pk")

    def flags_of(rows, flags=SHOWN_FLAGS):
        return [(p.pk, *(getattr(p, flag) for flag in flags)) for p in rows]

    assert flags_of(project_list(officer_a, today).order_by("pk")) == flags_of(expected)
    two = ("is_stalled", "below_intensity")
    shown = flags_of(project_rows(officer_a, today, two).order_by("pk"), two)
    assert shown == flags_of(expected, two)
    assert len(shown) == 4
    assert {flag for _pk, *up in shown for flag, on in zip(two, up, strict=True) if on} == set(two)
    stalled = project_rows(officer_a, today, two).filter(is_stalled=True)
    assert list(stalled) == list(expected.filter(is_stalled=True))
    assert project_rows(officer_a, dt.date(2026, 2, 1), two).filter(is_stalled=True).count() == 0


def test_sums_over_flagged_rows_keep_the_flags_they_read(officer_a, unit_a, industry):
    """ProjectQuerySet.aggregate drops the flags from a sum that does not read them (the
    count and totals of a list) and keeps them for one that does."""
    today = dt.date(2026, 11, 20)
    ProjectFactory(unit=unit_a, industry=industry, contract_amount_wan=100)
    ProjectFactory(
        unit=unit_a,
        industry=industry,
        stage="signed",
        contract_amount_wan=300,
        signed_on=dt.date(2026, 1, 5),
        agreed_start_on=dt.date(2026, 3, 1),
    )
    rows = project_list(officer_a, today)
    sums = rows.aggregate(
        rows=Count("*"),
        amount=Sum("contract_amount_wan"),
        stalled=Count("pk", filter=Q(is_stalled=True)),
        stalled_amount=Sum("contract_amount_wan", filter=Q(is_stalled=True)),
    )
    assert sums == {"rows": 2, "amount": 400, "stalled": 1, "stalled_amount": 300}
    assert rows.aggregate(amount=Sum("contract_amount_wan")) == {"amount": 400}
