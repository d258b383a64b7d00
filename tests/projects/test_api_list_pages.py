"""The API lists' pages cut by their rows' ids first (core.api.pagination.rows_of_page) are
the slices of the sorted rows, and the project rows' flags read from the SQL compiled once
a day (projects.selectors.project_rows) are those `with_flags` computes (issue 20)."""

import datetime as dt
from decimal import Decimal

import pytest

from projects.models import FundsRecord, Project
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
    flags = ("is_stalled", "below_intensity")
    rows = project_rows(officer_a, today, flags).order_by("pk")
    expected = project_list(officer_a, today).order_by("pk")
    shown = [(p.pk, p.is_stalled, p.below_intensity) for p in rows]
    assert shown == [(p.pk, p.is_stalled, p.below_intensity) for p in expected]
    assert {flag for _pk, *up in shown for flag, on in zip(flags, up, strict=True) if on} == set(
        flags
    )
    assert len(shown) == 4
    stalled = project_rows(officer_a, today, flags).filter(is_stalled=True)
    assert list(stalled) == list(expected.filter(is_stalled=True))
    assert project_rows(officer_a, dt.date(2026, 2, 1), flags).filter(is_stalled=True).count() == 0
