"""/api/v1/projects/{id}/documents/ and /api/v1/blockers/: grids, uploads checked by
content, the bureau's filing, blockers written by whoever may edit the project."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.choices import BlockerStatus, FilingStatus
from projects.models import Blocker, Document
from tests.grid import check_grid
from tests.projects.conftest import PDF, PNG

pytestmark = pytest.mark.django_db

BLOCKERS = "/api/v1/blockers/"
TODAY = timezone.localdate()


@pytest.fixture
def project(officer_a, industry):
    return services.project_create(
        data=dict(
            name="甲镇智能装备产业园",
            investor="苏州汇川技术有限公司",
            industry=industry,
            contract_amount_wan=20000,
            land_area_mu=80,
            unit=officer_a.unit,
        ),
        user=officer_a,
    )


@pytest.fixture
def document(project, officer_a):
    return services.document_upload(
        project=project,
        user=officer_a,
        kind="contract",
        file=SimpleUploadedFile("投资协议.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def blocker(project, officer_a, unit_b):
    return services.blocker_create(
        project=project,
        data=dict(
            category="land",
            description="用地指标未落实",
            owner_unit=unit_b,
            due_on=TODAY + dt.timedelta(days=10),
        ),
        user=officer_a,
    )


def documents_url(project):
    return f"/api/v1/projects/{project.pk}/documents/"


def upload(client, project, name="合同.pdf", content=PDF, kind="contract", **fields):
    data = {"kind": kind, "title": "", "file": SimpleUploadedFile(name, content), **fields}
    return client.post(documents_url(project), data, format="multipart")


# --- Documents -------------------------------------------------------------------------


def test_documents_list_grid(users, api_as, project, document):
    check_grid(
        users,
        api_as,
        documents_url(project),
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            (None, "POST", 401),
            ("officer_b", "POST", 404),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "DELETE", 405),
        ],
        api=True,
    )
    body = api_as(users["leader"]).get(documents_url(project)).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [row["id"] for row in body["results"]] == [document.pk]
    assert api_as(users["bureau"]).get("/api/v1/projects/999999/documents/").status_code == 404


def test_upload_of_a_real_pdf(api_as, officer_a, project):
    response = upload(api_as(officer_a), project, name="投资合同.pdf", title="投资合同")
    assert response.status_code == 201, response.json()
    row = response.json()
    assert set(row) >= {"id", "kind", "file", "status", "title"}
    assert (row["kind"], row["status"], row["title"]) == ("contract", "pending", "投资合同")
    assert row["content_type"] == "application/pdf"
    document = Document.objects.get(pk=row["id"])
    assert document.uploaded_by == officer_a
    assert document.file.read() == PDF
    # The file is served by the access-checked download view, never from storage.
    path = reverse("protected-file", args=["document", document.pk])
    assert row["file"] == f"http://testserver{path}"
    assert "/media/" not in row["file"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("伪装.pdf", PNG), ("脚本.exe", b"MZ\x90\x00"), ("空.pdf", b"")],
    ids=["png-named-pdf", "exe", "empty"],
)
def test_uploads_checked_by_content_are_refused_on_file(api_as, officer_a, project, name, content):
    response = upload(api_as(officer_a), project, name=name, content=content)
    assert response.status_code == 400
    assert set(response.json()) == {"file"}
    assert not Document.objects.exists()


def test_upload_without_a_file_is_refused_on_file(api_as, officer_a, project):
    response = api_as(officer_a).post(
        documents_url(project), {"kind": "contract"}, format="multipart"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"file"}
    response = upload(api_as(officer_a), project, kind="poem")
    assert response.status_code == 400
    assert set(response.json()) == {"kind"}


def test_cooperating_unit_reads_documents_but_does_not_upload(api_as, officer_b, project, unit_b):
    project.cooperating_units.set([unit_b])
    client = api_as(officer_b)
    assert client.get(documents_url(project)).status_code == 200
    assert upload(client, project).status_code == 403
    assert not Document.objects.exists()


def test_document_detail_grid_and_filing(users, api_as, project, document):
    url = f"{documents_url(project)}{document.pk}/"
    check_grid(
        users,
        api_as,
        url,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_b", "PATCH", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("officer_a", "PATCH", 403),
            ("unit_head_a", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("bureau", "PUT", 405),
            ("bureau", "DELETE", 405),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"status": "filed"},
    )
    document.refresh_from_db()
    assert document.status == FilingStatus.FILED
    assert document.reviewed_by == users["bureau"]
    # Another project's id in the path does not reach the document.
    other = services.project_create(
        data=dict(
            name="另一个项目", investor="某公司", industry=project.industry, unit=project.unit
        ),
        user=users["officer_a"],
    )
    response = api_as(users["bureau"]).get(f"{documents_url(other)}{document.pk}/")
    assert response.status_code == 404


def test_bureau_returns_a_document_with_a_reason(api_as, bureau_user, project, document):
    client = api_as(bureau_user)
    url = f"{documents_url(project)}{document.pk}/"
    response = client.patch(url, {"status": "returned"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"return_reason"}
    response = client.patch(url, {"status": "pending"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"status"}
    response = client.patch(
        url, {"status": "returned", "return_reason": "缺少盖章页"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["return_reason"]) == (
        "returned",
        "缺少盖章页",
    )
    assert response.json()["file"].endswith(f"/files/document/{document.pk}/")


# --- Blockers --------------------------------------------------------------------------


def new_blocker(project, unit, **fields):
    data = {
        "project": project.pk,
        "category": "environment",
        "description": "环评批复未下达",
        "owner_unit": unit.pk,
        "due_on": str(TODAY + dt.timedelta(days=20)),
    }
    data.update(fields)
    return data


def test_blockers_list_grid(users, api_as, project, unit_b, blocker):
    check_grid(
        users,
        api_as,
        BLOCKERS,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("officer_a", "DELETE", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        BLOCKERS,
        [
            (None, "POST", 401),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "POST", 201),
        ],
        api=True,
        data=new_blocker(project, unit_b),
    )
    created = Blocker.objects.get(category="environment")
    assert (created.status, created.created_by) == (BlockerStatus.OPEN, users["officer_a"])
    body = api_as(users["leader"]).get(BLOCKERS).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2


def test_blocker_detail_grid(users, api_as, blocker):
    check_grid(
        users,
        api_as,
        f"{BLOCKERS}{blocker.pk}/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),  # unit B must solve it: it reads it
            ("officer_b", "PATCH", 403),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("leader", "PATCH", 403),
            ("bureau", "DELETE", 405),
            ("officer_a", "PATCH", 200),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"description": "用地指标待县里统筹"},
    )
    blocker.refresh_from_db()
    assert blocker.description == "用地指标待县里统筹"


def test_a_blocker_another_unit_neither_owns_nor_solves_is_404(users, api_as, blocker, unit_a):
    blocker.owner_unit = unit_a
    blocker.save()
    check_grid(
        users,
        api_as,
        f"{BLOCKERS}{blocker.pk}/",
        [("officer_b", "GET", 404), ("officer_b", "PATCH", 404)],
        api=True,
        data={"description": "x"},
    )
    assert api_as(users["officer_b"]).get(BLOCKERS).json()["count"] == 0


def test_blockers_only_on_projects_the_user_may_edit(api_as, officer_b, project, unit_b):
    """Chosen semantics: a project the user may not edit (visible or not) is a 400 on
    `project`, as an unknown id would be."""
    response = api_as(officer_b).post(BLOCKERS, new_blocker(project, unit_b), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"project"}
    project.cooperating_units.set([unit_b])
    response = api_as(officer_b).post(BLOCKERS, new_blocker(project, unit_b), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"project"}
    assert not Blocker.objects.exists()


def test_resolving_a_blocker(api_as, officer_a, blocker):
    url = f"{BLOCKERS}{blocker.pk}/"
    client = api_as(officer_a)
    response = client.patch(url, {"status": "resolved"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"resolution"}
    response = client.patch(
        url, {"status": "resolved", "resolution": "县自然资源局调剂指标"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["resolved_on"] == str(TODAY)
    response = client.patch(url, {"status": "open"}, format="json")
    assert response.json()["resolved_on"] is None


def test_blocker_fields_and_filters(api_as, bureau_user, project, blocker, unit_b):
    Blocker.objects.create(
        project=project,
        category="funding",
        description="配套资金未到位",
        owner_unit=unit_b,
        due_on=TODAY - dt.timedelta(days=3),
    )
    client = api_as(bureau_user)
    row = client.get(f"{BLOCKERS}{blocker.pk}/").json()
    assert set(row) >= {
        "id",
        "project",
        "category",
        "description",
        "owner_unit",
        "due_on",
        "status",
        "resolution",
        "resolved_on",
    }
    body = client.get(BLOCKERS, {"overdue": "true"}).json()
    assert [r["category"] for r in body["results"]] == ["funding"]
    body = client.get(BLOCKERS, {"project": project.pk, "category": "land"}).json()
    assert [r["id"] for r in body["results"]] == [blocker.pk]
    assert client.get(BLOCKERS, {"search": "配套资金"}).json()["count"] == 1
