"""No figure can be inflated through a side door: the facts a stage change records, the
key-project flag, the unit and a signed contract amount change only through their own
service, whichever entry point is tried (API, page, service, model, database, admin)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects import services
from projects.models import Project, StageChange
from tests.factories import UserFactory
from tests.projects.conftest import pdf_upload

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
STAGE_FACTS = {"stage": "producing", "signed_on": "2026-01-01", "started_on": "2026-01-02"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def new_starts(year=2026):
    """What the bulletin counts as 新开工: projects whose start date is in the year."""
    return Project.objects.filter(started_on__year=year).count()


def signed(project, officer, bureau, on=dt.date(2026, 3, 1)):
    document = services.document_upload(
        project=project, user=officer, kind="contract", file=pdf_upload()
    )
    services.document_review(document=document, user=bureau, status="filed")
    services.project_change_stage(project=project, user=officer, to="signed", on=on)
    project.refresh_from_db()
    return project


def test_a_patch_cannot_set_a_stage_or_its_dates(api_as, officer_a, project_a):
    changes = StageChange.objects.count()
    response = api_as(officer_a).patch(f"{PROJECTS}{project_a.pk}/", STAGE_FACTS, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"stage", "signed_on", "started_on"}
    assert response.json()["started_on"] == [
        "“开工日期”不在此填写：它只能通过其自身的办理步骤变更。"
    ]
    project_a.refresh_from_db()
    assert (project_a.stage, project_a.signed_on, project_a.started_on) == (
        "negotiating",
        None,
        None,
    )
    assert StageChange.objects.count() == changes
    assert new_starts() == 0


def test_a_new_project_cannot_be_entered_already_started(api_as, officer_a, industry):
    response = api_as(officer_a).post(
        PROJECTS,
        {
            "name": "某项目",
            "investor": "某公司",
            "industry": industry.pk,
            "contract_amount_wan": "500",
            "started_on": "2026-02-01",
        },
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {"started_on"}
    assert not Project.objects.filter(name="某项目").exists()


def test_the_page_form_offers_none_of_them(client_as, officer_a, project_a, industry):
    response = client_as(officer_a).post(
        f"/projects/{project_a.pk}/edit/",
        {
            "name": "改名后的项目",
            "investor": project_a.investor,
            "investor_origin": project_a.investor_origin,
            "project_type": project_a.project_type,
            "industry": industry.pk,
            "category": project_a.category,
            "contract_amount_wan": "12000",
            "is_key": "on",
            **STAGE_FACTS,
        },
    )
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.name == "改名后的项目"  # what the form offers is saved
    assert (project_a.stage, project_a.started_on, project_a.is_key) == ("negotiating", None, False)


def test_the_service_refuses_them_by_name(officer_a, project_a):
    for field, value in [("started_on", dt.date(2026, 1, 2)), ("stage", "producing")]:
        with pytest.raises(ValidationError) as refused:
            services.project_update(project=project_a, user=officer_a, data={field: value})
        assert set(refused.value.message_dict) == {field}


def test_the_model_and_the_database_refuse_a_date_without_its_stage(project_a):
    project_a.started_on = dt.date(2026, 1, 2)
    with pytest.raises(ValidationError) as refused:
        project_a.full_clean()
    assert refused.value.message_dict["started_on"] == [
        "此日期在项目推进到相应阶段时记录，不能单独填写。"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project_a.pk).update(started_on=dt.date(2026, 1, 2))


def test_dates_keep_their_order_in_the_model_and_the_database(officer_a, bureau_user, project_a):
    project = signed(project_a, officer_a, bureau_user, on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.project_change_stage(
            project=project, user=officer_a, to="started", on=dt.date(2026, 2, 1)
        )
    # said of the date the user gave, in the user's words, not as a missing fact
    assert refused.value.message_dict == {"on": ["开工日期不能早于签约日期。"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(
            stage="started", started_on=dt.date(2026, 2, 1)
        )
    services.project_change_stage(
        project=project, user=officer_a, to="started", on=dt.date(2026, 3, 1)
    )
    assert new_starts() == 1


def test_the_stage_page_says_the_start_is_before_the_signing(
    client_as, officer_a, bureau_user, project_a
):
    project = signed(project_a, officer_a, bureau_user, on=dt.date(2026, 3, 1))
    response = client_as(officer_a).post(
        f"/projects/{project.pk}/stage/", {"stage-to": "started", "stage-on": "2026-02-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "开工日期不能早于签约日期。" in page
    assert "缺少" not in page
    project.refresh_from_db()
    assert project.stage == "signed"


def test_only_the_bureau_designates_a_key_project(api_as, officer_a, bureau_user, project_a):
    url = f"{PROJECTS}{project_a.pk}/"
    response = api_as(officer_a).patch(url, {"is_key": True}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权认定重点项目及其包保领导。"}
    project_a.refresh_from_db()
    assert not project_a.is_key
    # sent back unchanged it is harmless
    assert api_as(officer_a).patch(url, {"is_key": False}, format="json").status_code == 200
    response = api_as(bureau_user).patch(url, {"is_key": True}, format="json")
    assert response.status_code == 200 and response.json()["is_key"] is True


def test_only_the_bureau_gives_a_project_to_another_unit(
    api_as, officer_a, bureau_user, project_a, unit_b
):
    url = f"{PROJECTS}{project_a.pk}/"
    response = api_as(officer_a).patch(url, {"unit": unit_b.pk}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权将项目移交其他责任单位。"}
    response = api_as(bureau_user).patch(url, {"unit": unit_b.pk}, format="json")
    assert response.status_code == 200 and response.json()["unit"] == unit_b.pk


def test_a_signed_contract_amount_is_the_bureau_s_to_change(
    api_as, client_as, officer_a, bureau_user, project_a
):
    project = signed(project_a, officer_a, bureau_user)
    url = f"{PROJECTS}{project.pk}/"
    response = api_as(officer_a).patch(url, {"contract_amount_wan": "90000"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权修改已签约项目的协议引资额。"}
    project.refresh_from_db()
    assert project.contract_amount_wan == 12000
    # the page shows the field as the bureau's
    page = client_as(officer_a).get(f"/projects/{project.pk}/edit/").content.decode()
    assert "项目已签约：协议引资额由招商局修改。" in page
    response = api_as(bureau_user).patch(url, {"contract_amount_wan": "15000"}, format="json")
    assert response.status_code == 200 and response.json()["contract_amount_wan"] == "15000.00"


def test_a_negative_amount_is_named_in_the_user_s_words(client_as, officer_a, industry):
    response = client_as(officer_a).post(
        "/leads/new/",
        {
            "company_name": "某某科技有限公司",
            "contact_name": "王总",
            "contact_phone": "13912345678",
            "project_name": "某项目",
            "industry": industry.pk,
            "source": "other",
            "received_on": "2026-06-01",
            "estimated_amount_wan": "-5",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["estimated_amount_wan"] == ["不能为负数。"]
    assert "约束" not in response.content.decode()


def test_the_admin_changes_nothing(client, unit_a, project_a):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, unit=unit_a)
    client.force_login(admin)
    change = f"/admin/projects/project/{project_a.pk}/change/"
    assert client.get(change).status_code == 200  # it shows the record
    response = client.post(change, {"stage": "producing", "started_on": "2026-01-02"})
    assert response.status_code == 403
    assert client.get("/admin/projects/project/add/").status_code == 403
    assert client.get(f"/admin/projects/project/{project_a.pk}/delete/").status_code == 403
    project_a.refresh_from_db()
    assert (project_a.stage, project_a.started_on) == ("negotiating", None)
