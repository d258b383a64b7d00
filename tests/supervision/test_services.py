"""The order's life through the services: issue, answer, return, answer again, close; the
subject rules; the refusals."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.policy import Refused
from supervision import services
from supervision.models import SupervisionOrder
from tests.projects.conftest import pdf_upload
from tests.supervision.conftest import TODAY, answer, issue

pytestmark = pytest.mark.django_db


def messages(error) -> dict:
    return error.value.message_dict


def test_the_bureau_issues_a_blue_open_order(bureau_user, unit_a, order):
    assert (order.level, order.status) == ("blue", "open")
    assert order.issued_by == bureau_user and order.issued_on == TODAY
    assert order.second_due_on is None
    assert order.history.count() == 1


def test_the_whole_thread_issue_answer_return_answer_close(
    order, officer_a, unit_head_a, bureau_user
):
    first = answer(officer_a, order, text="已上报初稿")
    order.refresh_from_db()
    assert order.status == "answered" and first.decision == "pending"

    services.order_return(user=bureau_user, order=order, reason="缺少数据支撑")
    order.refresh_from_db()
    first.refresh_from_db()
    assert order.status == "returned"
    assert (first.decision, first.decision_reason) == ("returned", "缺少数据支撑")

    second = answer(unit_head_a, order, text="已补充数据")
    order.refresh_from_db()
    assert order.status == "answered"

    services.order_close(user=bureau_user, order=order)
    order.refresh_from_db()
    second.refresh_from_db()
    assert (order.status, order.closed_on, order.closed_by) == ("closed", TODAY, bureau_user)
    assert second.decision == "accepted" and second.decided_by == bureau_user
    thread = list(order.answers.values_list("text", "decision"))
    assert thread == [("已上报初稿", "returned"), ("已补充数据", "accepted")]


def test_closing_an_unanswered_order_is_refused_with_a_message(order, bureau_user):
    with pytest.raises(ValidationError) as refused:
        services.order_close(user=bureau_user, order=order)
    # Said in Chinese once /tmp/tr_supervision.json is in the catalogue: 只有已答复的督办单才能办结
    expected = _("Only an answered order can be closed: this one is %(status)s.") % {
        "status": _("To be handled")
    }
    assert messages(refused) == {"status": [expected]}


def test_returning_needs_a_reason_and_an_answer(order, answered, bureau_user):
    with pytest.raises(ValidationError) as refused:
        services.order_return(user=bureau_user, order=answered, reason="  ")
    assert list(messages(refused)) == ["reason"]


def test_an_answer_needs_its_text_and_evidence(order, officer_a):
    with pytest.raises(ValidationError) as refused:
        services.order_answer(user=officer_a, order=order, text="", evidence=None)
    assert set(messages(refused)) == {"text", "evidence"}


def test_evidence_is_checked_by_its_content(order, officer_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("整改.pdf", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as refused:
        services.order_answer(user=officer_a, order=order, text="已整改", evidence=fake)
    assert list(messages(refused)) == ["evidence"]


def test_an_answered_order_is_not_answered_twice(answered, officer_a):
    with pytest.raises(ValidationError) as refused:
        answer(officer_a, answered)
    assert list(messages(refused)) == ["status"]


def test_another_unit_cannot_answer(order, officer_b):
    with pytest.raises(PermissionDenied):
        answer(officer_b, order)


@pytest.mark.parametrize("who", ["leader", "bureau"])
def test_leaders_and_the_bureau_do_not_answer(order, users, who):
    with pytest.raises(Refused):
        answer(users[who], order)


def test_a_leader_is_refused_every_write(order, answered, leader, unit_a, stalled_project):
    writes = [
        lambda: issue(leader, unit_a),
        lambda: services.order_raise_for_project(user=leader, project=stalled_project),
        lambda: services.order_close(user=leader, order=answered),
        lambda: services.order_return(user=leader, order=answered, reason="不行"),
        lambda: services.orders_escalate(today=TODAY, user=leader),
    ]
    for write in writes:
        with pytest.raises(Refused):
            write()


def test_units_do_not_issue_close_or_return(answered, officer_a, unit_head_a, unit_a):
    for user in (officer_a, unit_head_a):
        with pytest.raises(Refused):
            issue(user, unit_a)
        with pytest.raises(Refused):
            services.order_close(user=user, order=answered)


def test_the_subject_must_match_the_kind(bureau_user, unit_a, stalled_project):
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, subject_kind="project")
    assert list(messages(refused)) == ["project"]
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, subject_kind="other", project=stalled_project)
    assert list(messages(refused)) == ["project"]
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, subject_kind="report")
    assert list(messages(refused)) == ["report_period"]


def test_the_subject_must_be_the_units(bureau_user, unit_a, unit_b, project_b, overdue_blocker):
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, subject_kind="project", project=project_b)
    assert messages(refused) == {"project": [_("The project is not the unit's.")]}
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_b, subject_kind="blocker", blocker=overdue_blocker)
    assert list(messages(refused)) == ["blocker"]


def test_a_blockers_order_is_about_its_project_too(bureau_user, unit_a, overdue_blocker):
    order = issue(bureau_user, unit_a, subject_kind="blocker", blocker=overdue_blocker)
    assert order.project == overdue_blocker.project


def test_a_missing_report_names_a_past_month(bureau_user, unit_a):
    order = issue(bureau_user, unit_a, subject_kind="report", report_period=dt.date(2026, 6, 9))
    assert order.report_period == dt.date(2026, 6, 1)
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, subject_kind="report", report_period=dt.date(2026, 6, 1))
    assert list(messages(refused)) == ["report_period"]  # one live order a month
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, subject_kind="report", report_period=dt.date(2026, 9, 1))
    assert list(messages(refused)) == ["report_period"]


def test_the_deadline_is_not_in_the_past_and_the_bureau_is_not_a_unit_to_order(
    bureau_user, unit_a, bureau_unit
):
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, due_on=dt.date(2026, 7, 1))
    assert list(messages(refused)) == ["due_on"]
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, bureau_unit)
    assert list(messages(refused)) == ["unit"]


def test_status_and_level_are_not_typed(bureau_user, unit_a):
    with pytest.raises(ValidationError) as refused:
        issue(bureau_user, unit_a, level="red")
    assert list(messages(refused)) == ["level"]


def test_raising_from_a_stalled_project_prefills_what_and_why(bureau_user, stalled_project):
    order = services.order_raise_for_project(user=bureau_user, project=stalled_project)
    assert order.unit == stalled_project.unit and order.subject_kind == "project"
    assert "甲镇新材料产业园" in order.matter
    assert "2026-06-01" in order.reason
    assert order.due_on == TODAY + dt.timedelta(days=services.RAISED_ORDER_DAYS)
    with pytest.raises(ValidationError) as refused:  # one live order per project
        services.order_raise_for_project(user=bureau_user, project=stalled_project)
    assert list(messages(refused)) == ["project"]


def test_a_project_that_is_not_stalled_raises_nothing(bureau_user, project_b):
    with pytest.raises(ValidationError) as refused:
        services.order_raise_for_project(user=bureau_user, project=project_b)
    assert list(messages(refused)) == ["project"]


def test_raising_from_an_overdue_blocker_goes_to_its_owner_unit(
    bureau_user, overdue_blocker, unit_b
):
    overdue_blocker.owner_unit = unit_b
    overdue_blocker.save()
    order = services.order_raise_for_blocker(user=bureau_user, blocker=overdue_blocker)
    assert order.unit == unit_b and order.blocker == overdue_blocker
    assert "用地指标未落实" in order.matter and "2026-07-01" in order.reason


def test_a_blocker_not_overdue_raises_nothing(bureau_user, overdue_blocker):
    overdue_blocker.due_on = dt.date(2026, 8, 1)
    overdue_blocker.save()
    with pytest.raises(ValidationError) as refused:
        services.order_raise_for_blocker(user=bureau_user, blocker=overdue_blocker)
    assert list(messages(refused)) == ["blocker"]


def test_a_closed_order_lets_the_subject_have_a_new_one(bureau_user, officer_a, stalled_project):
    first = services.order_raise_for_project(user=bureau_user, project=stalled_project)
    answer(officer_a, first)
    services.order_close(user=bureau_user, order=first)
    second = services.order_raise_for_project(user=bureau_user, project=stalled_project)
    assert second.pk != first.pk


def test_the_database_keeps_one_live_order_per_project(bureau_user, stalled_project):
    order = services.order_raise_for_project(user=bureau_user, project=stalled_project)
    twin = SupervisionOrder(
        unit=order.unit,
        subject_kind="project",
        project=stalled_project,
        matter="重复",
        reason="重复",
        due_on=order.due_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_database_refuses_an_order_whose_subject_does_not_match(unit_a, stalled_project):
    wrong = SupervisionOrder(
        unit=unit_a,
        subject_kind="other",
        project=stalled_project,
        matter="x",
        reason="y",
        due_on=TODAY,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        wrong.save()


def test_a_pdf_is_kept_with_its_type(order, officer_a):
    kept = services.order_answer(
        user=officer_a, order=order, text="已整改", evidence=pdf_upload("整改.pdf")
    )
    assert kept.evidence_type == "application/pdf"
    assert kept.evidence.name.startswith(f"supervision/{order.pk}/")
