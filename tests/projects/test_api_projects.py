"""/api/v1/industries/ and /api/v1/projects/: permission grids, the unit rule, flags,
stage gates through `stage/`, and flat query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from projects import services
from projects.choices import DocumentKind, FilingStatus, LeadStatus, Stage
from projects.models import Industry, Project, StageChange
from tests.factories import LeadFactory, ProjectFactory, UnitFactory
from tests.grid import check_grid
from tests.projects.conftest import pdf_upload

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
INDUSTRIES = "/api/v1/industries/"
TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def project(officer_a, industry):
    """A project of unit A in negotiation, entered through the service."""
    return services.project_create(
        data=dict(
            name="甲镇新能源电池项目",
            investor="宁波锂能科技有限公司",
            industry=industry,
            contract_amount_wan=0,
            land_area_mu=50,
            unit=officer_a.unit,
        ),
        user=officer_a,
        entered_on=days_ago(100),
    )


def new_project(industry, **fields):
    data = {
        "name": "年产10万台电机项目",
        "investor": "浙江卧龙电驱有限公司",
        "investor_origin": "out_of_province",
        "project_type": "new",
        "industry": industry.pk,
        "category": "industrial",
        "contract_amount_wan": "15000.00",
        "land_area_mu": "60.00",
        "leader_name": "李县长",
        "expected_jobs": 300,
    }
    data.update(fields)
    return data


def file_contract(project, bureau_user):
    document = services.document_upload(
        project=project, user=bureau_user, kind=DocumentKind.CONTRACT, file=pdf_upload()
    )
    services.document_review(document=document, user=bureau_user, status=FilingStatus.FILED)


# --- Industries ------------------------------------------------------------------------


def test_industries_grid(users, api_as, industry):
    check_grid(
        users,
        api_as,
        INDUSTRIES,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            (None, "POST", 401),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "PUT", 405),
            ("bureau", "POST", 201),
        ],
        api=True,
        data={"code": "NEV", "name": "新能源汽车", "is_leading": True},
    )
    check_grid(
        users,
        api_as,
        f"{INDUSTRIES}{industry.pk}/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("officer_a", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("bureau", "DELETE", 405),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"name": "生物医药产业链"},
    )
    industry.refresh_from_db()
    assert industry.name == "生物医药产业链"
    assert Industry.objects.get(code="NEV").is_leading


def test_industry_segments_belong_to_a_chain(api_as, bureau_user, industry):
    client = api_as(bureau_user)
    response = client.post(
        INDUSTRIES, {"code": "BIO-1", "name": "创新药", "parent": industry.pk}, format="json"
    )
    assert response.status_code == 201
    segment = response.json()
    assert set(segment) >= {"id", "code", "name", "parent", "is_leading"}
    response = client.post(
        INDUSTRIES, {"code": "BIO-1-1", "name": "小分子", "parent": segment["id"]}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"parent"}
    response = client.post(INDUSTRIES, {"code": "BIO", "name": "重复"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"code"}
    body = client.get(INDUSTRIES, {"parent": industry.pk}).json()
    assert [row["code"] for row in body["results"]] == ["BIO-1"]


# --- Projects: grids -------------------------------------------------------------------


def test_projects_list_grid(users, api_as, industry, project):
    check_grid(
        users,
        api_as,
        PROJECTS,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "DELETE", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        PROJECTS,
        [
            (None, "POST", 401),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "POST", 201),
        ],
        api=True,
        data=new_project(industry),
    )
    created = Project.objects.get(name="年产10万台电机项目")
    assert created.unit == users["officer_a"].unit
    assert created.stage == Stage.NEGOTIATING
    assert created.created_by == users["officer_a"]
    assert StageChange.objects.filter(project=created, to_stage=Stage.NEGOTIATING).count() == 1


def test_project_detail_grid(users, api_as, project):
    check_grid(
        users,
        api_as,
        f"{PROJECTS}{project.pk}/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_b", "PATCH", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("leader", "PATCH", 403),
            ("bureau", "DELETE", 405),
            ("officer_a", "DELETE", 405),
            ("officer_a", "PATCH", 200),
            ("unit_head_a", "PATCH", 200),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"leader_name": "王副县长"},
    )
    project.refresh_from_db()
    assert project.leader_name == "王副县长"


def test_cooperating_unit_reads_but_does_not_write(users, api_as, project, unit_b):
    project.cooperating_units.set([unit_b])
    check_grid(
        users,
        api_as,
        f"{PROJECTS}{project.pk}/",
        [("officer_b", "GET", 200), ("officer_b", "PATCH", 403)],
        api=True,
        data={"leader_name": "乙"},
    )
    check_grid(
        users,
        api_as,
        f"{PROJECTS}{project.pk}/stage/",
        [("officer_b", "POST", 403)],
        api=True,
        data={"to": "terminated", "note": "乙镇想终止"},
    )
    body = api_as(users["officer_b"]).get(PROJECTS).json()
    assert [row["id"] for row in body["results"]] == [project.pk]


# --- Projects: fields and rules --------------------------------------------------------


def test_project_fields_follow_the_contract(api_as, officer_a, unit_a, unit_b, industry):
    # What the services set is refused by name, not silently dropped: nothing is saved.
    response = api_as(officer_a).post(
        PROJECTS,
        new_project(industry, cooperating_units=[unit_b.pk], stage="producing", code="X"),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"stage", "code"}
    assert not Project.objects.exists()
    response = api_as(officer_a).post(
        PROJECTS, new_project(industry, cooperating_units=[unit_b.pk]), format="json"
    )
    assert response.status_code == 201
    row = response.json()
    assert set(row) >= {
        "id",
        "code",
        "name",
        "investor",
        "investor_origin",
        "project_type",
        "industry",
        "category",
        "contract_amount_wan",
        "foreign_amount_usd_wan",
        "land_area_mu",
        "unit",
        "cooperating_units",
        "team",
        "leader_name",
        "is_key",
        "lead",
        "stage",
        "signed_on",
        "started_on",
        "completed_on",
        "producing_on",
        "agreed_start_on",
        "size_class",
        "intensity",
        "expected_output_wan",
        "expected_tax_wan",
        "expected_jobs",
        "description",
        "is_stalled",
        "below_intensity",
    }
    assert row["unit"] == unit_a.pk
    assert row["cooperating_units"] == [unit_b.pk]
    assert row["stage"] == "negotiating"  # read-only: only `stage/` moves it
    assert row["code"].startswith(f"{TODAY.year}-")
    assert row["size_class"] == "100m"
    assert row["intensity"] == "250.00"
    assert row["is_stalled"] is False
    assert row["below_intensity"] is False

    response = api_as(officer_a).patch(
        f"{PROJECTS}{row['id']}/",
        {"contract_amount_wan": "600", "size_class": "100m", "cooperating_units": []},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["size_class"] == "1m"
    assert response.json()["intensity"] == "10.00"
    assert response.json()["cooperating_units"] == []


def test_a_project_belongs_to_the_officers_unit_only(
    api_as, officer_a, bureau_user, unit_b, industry
):
    response = api_as(officer_a).post(
        PROJECTS, new_project(industry, unit=unit_b.pk), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}
    response = api_as(bureau_user).post(
        PROJECTS, new_project(industry, unit=unit_b.pk), format="json"
    )
    assert response.status_code == 201
    assert response.json()["unit"] == unit_b.pk


def test_project_input_errors_name_their_fields(api_as, officer_a, industry):
    response = api_as(officer_a).post(
        PROJECTS,
        new_project(industry, name="", contract_amount_wan="-5", investor_origin="mars"),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "contract_amount_wan", "investor_origin"}


def test_a_project_created_from_a_lead_converts_it(api_as, officer_a, unit_a, unit_b, industry):
    lead = LeadFactory(unit=unit_a, industry=industry)
    response = api_as(officer_a).post(PROJECTS, new_project(industry, lead=lead.pk), format="json")
    assert response.status_code == 201
    assert response.json()["lead"] == lead.pk
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    # Converted once only; another unit's lead is out of reach.
    response = api_as(officer_a).post(
        PROJECTS, new_project(industry, name="另一个", lead=lead.pk), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"lead"}
    # The lead of a project is fixed by its conversion.
    project_id = Project.objects.get(lead=lead).pk
    another = LeadFactory(unit=unit_a, industry=industry)
    response = api_as(officer_a).patch(
        f"{PROJECTS}{project_id}/", {"lead": another.pk}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"lead"}
    other = LeadFactory(unit=unit_b, industry=industry)
    response = api_as(officer_a).post(
        PROJECTS, new_project(industry, name="第三个", lead=other.pk), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"lead"}


def test_flags_stalled_and_below_intensity(api_as, bureau_user, officer_a, project, unit_a):
    unit_a.min_intensity_wan_per_mu = Decimal("200")
    unit_a.save()
    Project.objects.filter(pk=project.pk).update(
        contract_amount_wan=5000, created_at=timezone.now() - dt.timedelta(days=100)
    )
    client = api_as(officer_a)
    row = client.get(f"{PROJECTS}{project.pk}/").json()
    assert row["intensity"] == "100.00"
    assert row["below_intensity"] is True
    assert row["is_stalled"] is True  # negotiating, nothing for 100 days
    assert [r["id"] for r in client.get(PROJECTS, {"stalled": "true"}).json()["results"]] == [
        project.pk
    ]
    assert client.get(PROJECTS, {"stalled": "false"}).json()["count"] == 0
    services.project_follow_up(
        project=project, user=officer_a, happened_on=days_ago(2), method="phone", note="仍在谈"
    )
    assert client.get(f"{PROJECTS}{project.pk}/").json()["is_stalled"] is False


def test_project_filters_and_pagination(api_as, bureau_user, unit_a, unit_b, industry):
    for n in range(3):
        ProjectFactory(unit=unit_a, industry=industry, name=f"甲{n}")
    ProjectFactory(unit=unit_b, industry=industry, name="乙镇物流园", stage=Stage.SIGNED)
    client = api_as(bureau_user)
    body = client.get(PROJECTS, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    assert body["previous"] is None
    body = client.get(PROJECTS, {"stage": "signed"}).json()
    assert [row["name"] for row in body["results"]] == ["乙镇物流园"]
    body = client.get(PROJECTS, {"unit": unit_a.pk, "ordering": "name"}).json()
    assert [row["name"] for row in body["results"]] == ["甲0", "甲1", "甲2"]
    assert client.get(PROJECTS, {"search": "物流"}).json()["count"] == 1
    assert client.get(PROJECTS, {"stage": "flying"}).status_code == 400


def test_project_list_query_count_does_not_grow(api_as, officer_a, unit_a, industry):
    client = api_as(officer_a)
    partners = [UnitFactory(), UnitFactory()]

    def add(n):
        for _ in range(n):
            ProjectFactory(unit=unit_a, industry=industry).cooperating_units.set(partners)

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PROJECTS, {"page_size": 100})
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    add(3)
    client.get(PROJECTS)  # the first request of a client also starts its session
    few, count = count_queries()
    assert count == 3
    add(27)
    many, count = count_queries()
    assert count == 30
    assert many == few


# --- Stages ----------------------------------------------------------------------------


def stage(client, project, **data):
    return client.post(f"{PROJECTS}{project.pk}/stage/", data, format="json")


def test_stage_grid(users, api_as, project):
    check_grid(
        users,
        api_as,
        f"{PROJECTS}{project.pk}/stage/",
        [
            (None, "POST", 401),
            ("officer_b", "POST", 404),
            ("leader", "POST", 403),
            ("officer_a", "GET", 405),
            ("officer_a", "PUT", 405),
            ("officer_a", "POST", 200),
        ],
        api=True,
        data={"to": "terminated", "on": str(days_ago(1)), "note": "企业资金链断裂"},
    )
    project.refresh_from_db()
    assert project.stage == Stage.TERMINATED
    assert project.termination_reason == "企业资金链断裂"


def test_stage_gates_through_the_api(api_as, officer_a, bureau_user, project):
    client = api_as(officer_a)

    def refused(to, on, *fields):
        response = stage(client, project, to=to, on=str(on))
        assert response.status_code == 400, response.json()
        assert set(response.json()) == set(fields)

    def moved(to, on):
        before = StageChange.objects.filter(project=project).count()
        response = stage(client, project, to=to, on=str(on), note="按期推进")
        assert response.status_code == 200, response.json()
        assert response.json()["stage"] == to
        assert StageChange.objects.filter(project=project).count() == before + 1
        change = StageChange.objects.filter(project=project).order_by("-id").first()
        assert (change.to_stage, change.happened_on, change.recorded_by) == (to, on, officer_a)
        return response.json()

    # Signing needs a contract amount and a filed contract; jumping ahead needs them too.
    refused("signed", days_ago(60), "contract_amount_wan", "documents")
    refused("started", days_ago(60), "signed_on", "contract_amount_wan", "documents")
    client.patch(f"{PROJECTS}{project.pk}/", {"contract_amount_wan": "8000"}, format="json")
    refused("signed", days_ago(60), "documents")
    file_contract(project, bureau_user)
    row = moved("signed", days_ago(60))
    assert row["signed_on"] == str(days_ago(60))

    refused("started", days_ago(61), "on")
    moved("started", days_ago(40))
    moved("constructing", days_ago(30))
    refused("completed", days_ago(41), "on")
    moved("completed", days_ago(20))
    refused("producing", days_ago(21), "on")
    row = moved("producing", days_ago(10))
    assert row["producing_on"] == str(days_ago(10))

    # Unknown stages, the same stage and future dates are refused on their fields.
    refused("flying", days_ago(1), "to")
    refused("producing", days_ago(1), "to")
    response = stage(client, project, to="terminated", on=str(TODAY + dt.timedelta(days=1)))
    assert set(response.json()) == {"on"}
    response = stage(client, project, to="terminated")
    assert response.status_code == 400
    assert set(response.json()) == {"note"}


def test_moving_back_is_the_bureaus_with_a_note(api_as, officer_a, bureau_user, project):
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.STARTED,
        contract_amount_wan=8000,
        signed_on=days_ago(50),
        started_on=days_ago(40),
    )
    response = stage(api_as(officer_a), project, to="signed", note="录入错误")
    assert response.status_code == 403
    response = stage(api_as(bureau_user), project, to="signed")
    assert response.status_code == 400
    assert set(response.json()) == {"note"}
    response = stage(
        api_as(bureau_user), project, to="signed", on=str(days_ago(1)), note="录入错误"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "signed"
    assert body["started_on"] is None
    change = StageChange.objects.filter(project=project).order_by("-id").first()
    assert (change.from_stage, change.to_stage, change.note) == ("started", "signed", "录入错误")


# --- The schema ------------------------------------------------------------------------


def test_schema_generates_without_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    for path in [
        "/api/v1/industries/",
        "/api/v1/leads/{id}/follow-ups/",
        "/api/v1/projects/{id}/stage/",
        "/api/v1/projects/{project_id}/documents/{doc_id}/",
        "/api/v1/blockers/",
    ]:
        assert path in schema["paths"]
    assert "delete" not in schema["paths"]["/api/v1/projects/{id}/"]
