import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from projects import services
from projects.models import Project, StageChange
from tests.projects.conftest import pdf_upload

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        yield


def move(project, user, to, on=None, note=""):
    return services.project_change_stage(project=project, user=user, to=to, on=on, note=note)


def refused_fields(project, user, to, on=None) -> dict:
    with pytest.raises(services.StageChangeRefused) as refused:
        move(project, user, to, on)
    return refused.value.message_dict


def out_of_order(project, user, to, on) -> list[str]:
    with pytest.raises(services.ValidationError) as refused:
        move(project, user, to, on)
    assert set(refused.value.message_dict) == {"on"}
    project.refresh_from_db()
    return refused.value.message_dict["on"]


def file_contract(project, officer, bureau):
    document = services.document_upload(
        project=project, user=officer, kind="contract", file=pdf_upload()
    )
    services.document_review(document=document, user=bureau, status="filed")


def test_signing_needs_date_amount_and_a_filed_contract(project_a, officer_a, bureau_user):
    project_a.contract_amount_wan = 0
    project_a.save()
    errors = refused_fields(project_a, officer_a, "signed")
    # `on` defaults to today, so the date is there; amount and contract are not.
    assert set(errors) == {"contract_amount_wan", "documents"}
    assert errors["documents"] == ["缺少：经招商局备案的合同（合同备案）"]
    project_a.contract_amount_wan = 12000
    project_a.save()
    document = services.document_upload(
        project=project_a, user=officer_a, kind="contract", file=pdf_upload()
    )
    assert set(refused_fields(project_a, officer_a, "signed")) == {"documents"}  # not yet filed
    services.document_review(document=document, user=bureau_user, status="filed")
    move(project_a, officer_a, "signed", on=dt.date(2026, 5, 10), note="签约仪式")
    project_a.refresh_from_db()
    assert project_a.stage == "signed" and project_a.signed_on == dt.date(2026, 5, 10)
    step = StageChange.objects.filter(project=project_a).first()
    assert (step.from_stage, step.to_stage, step.happened_on, step.recorded_by) == (
        "negotiating",
        "signed",
        dt.date(2026, 5, 10),
        officer_a,
    )


def test_each_later_stage_checks_its_date(project_a, officer_a, bureau_user):
    file_contract(project_a, officer_a, bureau_user)
    move(project_a, officer_a, "signed", on=dt.date(2026, 5, 10))
    # A date before the one it follows is refused as such, under the date given.
    assert out_of_order(project_a, officer_a, "started", dt.date(2026, 5, 9)) == [
        "开工日期不能早于签约日期。"
    ]
    move(project_a, officer_a, "started", on=dt.date(2026, 6, 1))
    move(project_a, officer_a, "constructing", on=dt.date(2026, 6, 2))
    assert out_of_order(project_a, officer_a, "completed", dt.date(2026, 5, 1)) == [
        "竣工日期不能早于开工日期。"
    ]
    move(project_a, officer_a, "completed", on=dt.date(2026, 9, 30))
    assert out_of_order(project_a, officer_a, "producing", dt.date(2026, 9, 1)) == [
        "投产日期不能早于竣工日期。"
    ]
    move(project_a, officer_a, "producing", on=dt.date(2026, 10, 15))
    project_a.refresh_from_db()
    assert project_a.stage == "producing"
    assert [s.to_stage for s in project_a.stage_changes.order_by("happened_on", "id")] == [
        "negotiating",
        "signed",
        "started",
        "constructing",
        "completed",
        "producing",
    ]


def test_skipping_stages_needs_the_facts_of_every_stage_passed(project_a, officer_a):
    errors = refused_fields(project_a, officer_a, "started", on=dt.date(2026, 6, 1))
    assert {"signed_on", "documents"} <= set(errors)
    assert "started_on" not in errors  # the move gives it


def test_future_dates_are_refused(project_a, officer_a):
    with pytest.raises(services.ValidationError) as refused:
        move(project_a, officer_a, "signed", on=dt.date(2026, 12, 1))
    assert "on" in refused.value.message_dict


def test_backward_moves_are_for_the_bureau_with_a_note(project_a, officer_a, bureau_user):
    file_contract(project_a, officer_a, bureau_user)
    move(project_a, officer_a, "signed", on=dt.date(2026, 5, 10))
    with pytest.raises(PermissionDenied):
        move(project_a, officer_a, "negotiating", note="录错了")
    with pytest.raises(services.ValidationError):
        move(project_a, bureau_user, "negotiating", note="")
    move(project_a, bureau_user, "negotiating", note="合同作废，重新洽谈")
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating" and project_a.signed_on is None


def test_termination_needs_a_reason_from_any_stage(project_a, officer_a):
    with pytest.raises(services.ValidationError) as refused:
        move(project_a, officer_a, "terminated")
    assert "note" in refused.value.message_dict
    move(project_a, officer_a, "terminated", note="投资方资金链断裂")
    project_a.refresh_from_db()
    assert (project_a.stage, project_a.termination_reason) == ("terminated", "投资方资金链断裂")
    with pytest.raises(PermissionDenied):
        move(project_a, officer_a, "negotiating", note="恢复")


def test_the_page_shows_the_todo_and_refuses_with_the_missing_facts(
    client_as, project_a, officer_a
):
    client = client_as(officer_a)
    page = client.get(f"/projects/{project_a.pk}/").content.decode()
    todo = page[page.index('data-testid="todo"') :]
    assert "经招商局备案的合同" in todo
    assert "签约日期" not in todo  # the stage form asks for the date itself
    response = client.post(
        f"/projects/{project_a.pk}/stage/",
        {
            "stage-to": "signed",
            "stage-on": "2026-05-10",
            "stage-note": "签约",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "缺少：经招商局备案的合同（合同备案）" in text
    assert 'value="2026-05-10"' in text  # what was typed is kept
    project_a.refresh_from_db()
    assert project_a.stage == "negotiating"


def test_the_page_moves_a_project_with_its_facts(client_as, project_a, officer_a, bureau_user):
    file_contract(project_a, officer_a, bureau_user)
    response = client_as(officer_a).post(
        f"/projects/{project_a.pk}/stage/",
        {
            "stage-to": "signed",
            "stage-on": "2026-05-10",
            "stage-note": "签约仪式",
        },
    )
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.stage == "signed"
    timeline = client_as(officer_a).get(f"/projects/{project_a.pk}/?tab=timeline").content.decode()
    assert "2026-05-10" in timeline and "签约仪式" in timeline


def test_size_class_and_intensity_are_computed_in_the_database(project_a, unit_a):
    assert (project_a.size_class, project_a.intensity) == ("100m", 120)
    unit_a.min_intensity_wan_per_mu = 150
    unit_a.save()
    flagged = Project.objects.with_flags(TODAY).get(pk=project_a.pk)
    assert flagged.below_intensity
    for amount, expected in [
        (9999.99, "50m"),
        (5000, "50m"),
        (1000, "10m"),
        (100, "1m"),
        (99.99, "small"),
    ]:
        Project.objects.filter(pk=project_a.pk).update(contract_amount_wan=amount)
        assert Project.objects.get(pk=project_a.pk).size_class == expected


def test_code_is_year_and_sequence(officer_a, industry):
    first = services.project_create(
        data=dict(name="一", investor="甲公司", industry=industry, unit=officer_a.unit),
        user=officer_a,
    )
    second = services.project_create(
        data=dict(name="二", investor="乙公司", industry=industry, unit=officer_a.unit),
        user=officer_a,
    )
    assert (first.code, second.code) == ("2026-0001", "2026-0002")


def test_stalls(project_a, officer_a, bureau_user):
    # Entered 2026-03-01 with no follow-up: stalled in negotiation after 30 days.
    assert Project.objects.with_flags(TODAY).get(pk=project_a.pk).stalled_negotiation
    services.project_follow_up(
        project=project_a,
        user=officer_a,
        happened_on=dt.date(2026, 11, 1),
        method="visit",
        note="再次洽谈",
    )
    assert not Project.objects.with_flags(TODAY).get(pk=project_a.pk).is_stalled
    file_contract(project_a, officer_a, bureau_user)
    move(project_a, officer_a, "signed", on=dt.date(2026, 11, 2))
    Project.objects.filter(pk=project_a.pk).update(agreed_start_on=dt.date(2026, 11, 19))
    flagged = Project.objects.with_flags(TODAY).get(pk=project_a.pk)
    assert flagged.stalled_start and flagged.is_stalled
    assert list(Project.objects.stalled(TODAY)) == [flagged]
