"""The permission grid of every page of leads and projects."""

import pytest

from projects.models import Blocker, Document, DuplicatePair, Lead
from tests.factories import LeadFactory, ProjectFactory
from tests.grid import LOGIN, check_grid
from tests.projects.conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_a(unit_a, industry):
    return LeadFactory(unit=unit_a, industry=industry, company_name="甲镇线索企业有限公司")


def test_list_pages_grid(users, client_as):
    for url in ["/leads/", "/projects/", "/blockers/", "/industries/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            ],
        )


def test_create_pages_grid(users, client_as, industry):
    for url in ["/leads/new/", "/projects/new/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_a", "GET", 200),
                ("leader", "GET", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 200),
                ("officer_a", "PUT", 405),
            ],
        )
    check_grid(
        users,
        client_as,
        "/industries/new/",
        [
            ("officer_a", "GET", 403),
            ("leader", "GET", 403),
            ("bureau", "GET", 200),
        ],
    )


def test_lead_pages_grid(users, client_as, lead_a):
    check_grid(
        users,
        client_as,
        f"/leads/{lead_a.pk}/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )
    for url in [f"/leads/{lead_a.pk}/edit/", f"/leads/{lead_a.pk}/convert/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("leader", "GET", 403),
                ("officer_a", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "DELETE", 405),
            ],
        )
    for url in [f"/leads/{lead_a.pk}/follow-up/", f"/leads/{lead_a.pk}/drop/"]:
        check_grid(
            users,
            client_as,
            url,
            [
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
            ],
        )


def test_project_pages_grid(users, client_as, project_a, unit_b):
    pk = project_a.pk
    check_grid(
        users,
        client_as,
        f"/projects/{pk}/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        f"/projects/{pk}/edit/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("leader", "GET", 403),
            ("officer_a", "GET", 200),
            ("bureau", "GET", 200),
        ],
    )
    for action in ["stage", "follow-up", "documents", "blockers"]:
        check_grid(
            users,
            client_as,
            f"/projects/{pk}/{action}/",
            [
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
            ],
        )


def test_cooperating_units_read_but_do_not_edit(users, client_as, project_a, unit_b):
    project_a.cooperating_units.add(unit_b)
    check_grid(users, client_as, f"/projects/{project_a.pk}/", [("officer_b", "GET", 200)])
    check_grid(users, client_as, f"/projects/{project_a.pk}/edit/", [("officer_b", "GET", 403)])
    check_grid(users, client_as, f"/projects/{project_a.pk}/stage/", [("officer_b", "POST", 403)])


def test_document_file_grid(users, client_as, project_a, officer_a):
    from projects import services

    document = services.document_upload(
        project=project_a, user=officer_a, kind="contract", file=pdf_upload()
    )
    url = f"/files/document/{document.pk}/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )
    review = f"/projects/{project_a.pk}/documents/{document.pk}/review/"
    check_grid(
        users,
        client_as,
        review,
        [
            (None, "POST", LOGIN),
            ("officer_b", "POST", 404),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
        ],
    )
    check_grid(users, client_as, review, [("bureau", "POST", 302)], data={"review-status": "filed"})
    assert Document.objects.get(pk=document.pk).status == "filed"


def test_blocker_edit_grid(users, client_as, project_a, officer_a, unit_b):
    import datetime as dt

    blocker = Blocker.objects.create(
        project=project_a,
        category="land",
        description="用地指标未落实",
        owner_unit=unit_b,
        due_on=dt.date(2026, 1, 1),
    )
    check_grid(
        users,
        client_as,
        f"/blockers/{blocker.pk}/edit/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 403),  # the owner unit reads the blocker, the project's unit edits
            ("leader", "GET", 403),
            ("officer_a", "GET", 200),
            ("bureau", "GET", 200),
        ],
    )


def test_duplicate_queue_grid(users, client_as, project_a):
    other = ProjectFactory(unit=project_a.unit, name=project_a.name)
    pair = DuplicatePair.objects.create(project=other, other=project_a, reason="同名")
    check_grid(
        users,
        client_as,
        "/projects/duplicates/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("leader", "GET", 403),
            ("bureau", "GET", 200),
        ],
    )
    check_grid(
        users,
        client_as,
        f"/projects/duplicates/{pair.pk}/decide/",
        [
            (None, "POST", LOGIN),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
        ],
    )
    assert Lead.objects.count() == 0
