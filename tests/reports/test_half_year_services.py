"""The half-year inspection (半年一督查): a full round through the services, the rules each
refuses, and the open rectifications that follow a unit into the year-end assessment,
worked out by hand with the date frozen."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Finding, HalfYearInspection, InspectedUnit, Rectification
from reports.selectors.halfyear import halfyear_results, open_rectifications
from reports.services.halfyear import (
    ChecklistEntry,
    finding_record,
    halfyear_checklist_set,
    halfyear_create,
    halfyear_publish,
    halfyear_report_record,
    halfyear_title,
    halfyear_units_add,
    halfyear_units_add_drawn,
    rectification_confirm,
    rectification_report,
    rectification_return,
)
from reports.services.halfyear import _published_message as published_message
from tests.factories import UnitFactory, UserFactory
from tests.reports.half_year import MADE, make_half_year, png_upload, record_results, units_draw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(MADE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def half(unit_a, unit_b, bureau_user):
    return make_half_year(unit_a, unit_b, bureau_user)


@pytest.fixture
def found(half, bureau_user):
    return record_results(half, bureau_user)


def test_a_full_round(half, found, bureau_user, officer_a, unit_head_a, frozen_today):
    inspection = half.inspection
    assert inspection.title == halfyear_title(2026, 1)  # 青山县2026年上半年招商引资督查
    assert [(i.order, i.title) for i in half.items] == [
        (1, "招商台账"),
        (2, "项目推进"),
        (3, "资金到位"),
    ]
    assert (half.a.source, half.a.draw) == ("drawn", half.draw)
    assert (half.b.source, half.b.draw) == ("chosen", None)
    half.a.refresh_from_db()
    assert (half.a.outcome, half.a.reported_by) == ("fairly_good", "甲镇长")
    assert found["a_ledger"].status == "open" and found["a_ledger"].file_type == "image/png"
    assert found["a_funds"].status == "no_action"

    published = halfyear_publish(inspection=inspection, user=bureau_user)
    assert published.status == "published" and published.published_by == bureau_user

    # After publishing, the unit rectifies; the bureau returns it, then confirms it.
    finding = found["a_ledger"]
    rectification_report(
        finding=finding,
        note="已补录5月台账",
        file=SimpleUploadedFile("补录.png", png_upload().read()),
        user=officer_a,
    )
    finding.refresh_from_db()
    assert finding.status == "reported" and finding.is_open
    rectification_return(finding=finding, reason="缺少签字页", user=bureau_user)
    finding.refresh_from_db()
    assert finding.status == "open"
    returned = Rectification.objects.get(finding=finding)
    assert (returned.status, returned.return_reason) == ("returned", "缺少签字页")

    frozen_today.move_to(dt.datetime(2026, 7, 2, 9, 0))
    rectification_report(finding=finding, note="已补签字页", user=unit_head_a)
    rectification_confirm(finding=finding, user=bureau_user)
    finding.refresh_from_db()
    assert (finding.status, finding.rectified_on) == ("rectified", dt.date(2026, 7, 2))
    assert list(finding.rectifications.values_list("status", flat=True).order_by("id")) == [
        "returned",
        "confirmed",
    ]
    assert finding.history.count() >= 4  # recorded, reported, returned, reported, confirmed


def test_the_results_matrix_marks_overdue_findings(half, found):
    results = halfyear_results(half.inspection, dt.date(2026, 7, 15))
    assert [item.title for item in results.items] == ["招商台账", "项目推进", "资金到位"]
    by_unit = {row.inspected.unit.code: row for row in results.rows}
    a = by_unit["UA"]
    assert [cell.finding.text if cell.finding else None for cell in a.cells] == [
        "台账缺少5月记录",
        "两个签约项目未按期开工",
        "凭证齐全",
    ]
    # On 07-15: A's ledger (06-30) and B's ledger (07-10) are overdue; A's progress is not.
    assert [cell.overdue for cell in a.cells] == [True, False, False]
    assert (a.inspected.open_count, a.inspected.overdue_count) == (2, 1)
    b = by_unit["UB"]
    assert [cell.finding is not None for cell in b.cells] == [True, False, False]
    assert b.cells[0].overdue
    assert (results.open_count, results.overdue_count) == (3, 2)


def test_open_rectifications_worked_out_by_hand(half, found, bureau_user, officer_a, officer_b):
    # A draft counts nothing: its findings may still change.
    assert open_rectifications(year=2026, until=dt.date(2026, 12, 31)) == []
    halfyear_publish(inspection=half.inspection, user=bureau_user)
    with time_machine.travel(dt.datetime(2026, 7, 5, 9, 0), tick=False):
        rectification_report(finding=found["b_ledger"], note="已按月更新", user=officer_b)
        rectification_confirm(finding=found["b_ledger"], user=bureau_user)  # B: closed 07-05
    with time_machine.travel(dt.datetime(2026, 8, 3, 9, 0), tick=False):
        rectification_report(finding=found["a_progress"], note="一个已开工", user=officer_a)

    # On 07-01: A has 2 open (ledger overdue since 06-30); B has 1, not yet overdue.
    on_july_1 = open_rectifications(year=2026, until=dt.date(2026, 7, 1))
    assert [(u.unit_code, u.open_count, u.overdue_count) for u in on_july_1] == [
        ("UA", 2, 1),
        ("UB", 1, 0),
    ]
    a = on_july_1[0]
    assert [(f.item, f.deadline, f.overdue) for f in a.findings] == [
        ("招商台账", dt.date(2026, 6, 30), True),
        ("项目推进", dt.date(2026, 7, 31), False),
    ]
    # On 12-31: B was confirmed on 07-05; A's two are still open (a report awaiting the
    # bureau is still open), both overdue.
    at_year_end = open_rectifications(year=2026, until=dt.date(2026, 12, 31))
    assert [(u.unit_name, u.open_count, u.overdue_count) for u in at_year_end] == [("甲镇", 2, 2)]
    assert open_rectifications(year=2025, until=dt.date(2026, 12, 31)) == []
    # Before anything was found, nothing was open.
    assert open_rectifications(year=2026, until=dt.date(2026, 6, 19)) == []


def test_open_rectifications_take_two_queries_whatever_the_rows(
    half, found, bureau_user, django_assert_num_queries
):
    halfyear_publish(inspection=half.inspection, user=bureau_user)
    with django_assert_num_queries(2):
        few = open_rectifications(year=2026, until=dt.date(2026, 12, 31))
    inspection = HalfYearInspection.objects.create(year=2026, half=2, title="下半年")
    halfyear_checklist_set(
        inspection=inspection, items=[ChecklistEntry(title="台账")], user=bureau_user
    )
    units = [UnitFactory(code=f"T{n}", name=f"镇{n}") for n in range(6)]
    halfyear_units_add(inspection=inspection, units=units, user=bureau_user)
    item = inspection.items.get()
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0), tick=False):
        for row in InspectedUnit.objects.filter(inspection=inspection):
            finding_record(
                inspected=row,
                item=item,
                text="缺失",
                deadline=dt.date(2026, 10, 1),
                user=bureau_user,
            )
    halfyear_publish(inspection=inspection, user=bureau_user)
    with django_assert_num_queries(2):
        many = open_rectifications(year=2026, until=dt.date(2026, 12, 31))
    assert len(many) == len(few) + 6


def test_the_matrix_takes_three_queries_whatever_the_rows(half, found, bureau_user):
    def count() -> int:
        inspection = HalfYearInspection.objects.get(pk=half.inspection.pk)
        with CaptureQueriesContext(connection) as queries:
            halfyear_results(inspection, dt.date(2026, 7, 15))
        return len(queries)

    few = count()
    more = [UnitFactory(code=f"M{n}", name=f"乡{n}") for n in range(5)]
    halfyear_units_add(inspection=half.inspection, units=more, user=bureau_user)
    for row in InspectedUnit.objects.filter(unit__in=more):
        finding_record(
            inspected=row,
            item=half.items[0],
            text="缺",
            deadline=dt.date(2026, 8, 1),
            user=bureau_user,
        )
    assert count() == few == 3


# --- Refusals ---------------------------------------------------------------------------------


def test_a_unit_may_not_rectify_another_units_finding(found, officer_b):
    with pytest.raises(PermissionDenied):
        rectification_report(finding=found["a_ledger"], note="代为整改", user=officer_b)
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("user_key", ["leader", "officer_a", "unit_head_a"])
def test_only_the_bureau_records_and_publishes(half, users, user_key):
    user = users[user_key]
    writes = [
        lambda: halfyear_create(year=2026, half=2, user=user),
        lambda: halfyear_checklist_set(
            inspection=half.inspection, items=[ChecklistEntry(title="x")], user=user
        ),
        lambda: halfyear_units_add(inspection=half.inspection, units=[half.park], user=user),
        lambda: finding_record(inspected=half.a, item=half.items[0], text="x", user=user),
        lambda: halfyear_report_record(
            inspected=half.a,
            reported_on=dt.date(2026, 6, 18),
            reported_by="x",
            outcome="good",
            user=user,
        ),
        lambda: halfyear_publish(inspection=half.inspection, user=user),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()


def test_a_leader_may_not_rectify_nor_decide(found, leader, bureau_user):
    with pytest.raises(PermissionDenied):
        rectification_report(finding=found["a_ledger"], note="x", user=leader)
    with pytest.raises(PermissionDenied):
        rectification_confirm(finding=found["a_ledger"], user=leader)
    with pytest.raises(PermissionDenied):
        rectification_report(finding=found["a_ledger"], note="x", user=bureau_user)


def test_a_published_inspection_refuses_changes_to_findings_and_outcomes(half, found, bureau_user):
    halfyear_publish(inspection=half.inspection, user=bureau_user)
    with pytest.raises(ValidationError) as refused:
        finding_record(
            inspected=half.a, item=half.items[0], text="改写", deadline=None, user=bureau_user
        )
    # 督查结果已发布：发现的问题和述职评价不再更改（整改继续进行）。
    assert refused.value.message_dict == {"text": [published_message()]}
    with pytest.raises(ValidationError) as refused:
        halfyear_report_record(
            inspected=half.a,
            reported_on=dt.date(2026, 6, 18),
            reported_by="甲镇长",
            outcome="good",
            user=bureau_user,
        )
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError):
        halfyear_units_add(inspection=half.inspection, units=[half.park], user=bureau_user)
    with pytest.raises(ValidationError):
        halfyear_publish(inspection=half.inspection, user=bureau_user)
    assert Finding.objects.get(pk=found["a_ledger"].pk).text == "台账缺少5月记录"


def test_publishing_needs_the_outcome_of_every_drawn_unit(half, bureau_user):
    with pytest.raises(ValidationError) as refused:
        halfyear_publish(inspection=half.inspection, user=bureau_user)
    assert "甲镇" in refused.value.messages[0]


def test_one_inspection_per_half(half, bureau_user):
    with pytest.raises(ValidationError) as refused:
        halfyear_create(year=2026, half=1, user=bureau_user)
    assert "half" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        halfyear_create(year=2026, half=3, user=bureau_user)
    assert "half" in refused.value.message_dict


def test_only_a_draw_of_units_of_the_half_gives_units(half, unit_a, bureau_user):
    second = HalfYearInspection.objects.create(year=2026, half=2, title="下半年")
    with pytest.raises(ValidationError) as refused:
        halfyear_units_add_drawn(inspection=second, draw=half.draw, user=bureau_user)
    assert "draw" in refused.value.message_dict
    # The same draw again adds nobody twice.
    assert (
        halfyear_units_add_drawn(inspection=half.inspection, draw=half.draw, user=bureau_user) == []
    )


def test_the_bureau_and_inactive_units_are_not_chosen(half, bureau_unit, bureau_user):
    closed = UnitFactory(code="OLD", name="撤并镇", is_active=False)
    for unit in (bureau_unit, closed):
        with pytest.raises(ValidationError):
            halfyear_units_add(inspection=half.inspection, units=[unit], user=bureau_user)


def test_a_finding_names_an_item_of_its_inspection_and_a_deadline_ahead(half, bureau_user):
    other = HalfYearInspection.objects.create(year=2026, half=2, title="下半年")
    (foreign,) = halfyear_checklist_set(
        inspection=other, items=[ChecklistEntry(title="外来")], user=bureau_user
    )
    with pytest.raises(ValidationError) as refused:
        finding_record(
            inspected=half.a, item=foreign, text="", deadline=dt.date(2026, 6, 1), user=bureau_user
        )
    assert set(refused.value.message_dict) == {"item", "text", "deadline"}


def test_a_file_that_is_not_what_it_says_is_refused(half, bureau_user):
    fake = SimpleUploadedFile("照片.png", b"not a png")
    with pytest.raises(ValidationError) as refused:
        finding_record(inspected=half.a, item=half.items[0], text="x", file=fake, user=bureau_user)
    assert "file" in refused.value.message_dict


def test_a_second_report_waits_for_the_decision_and_a_return_needs_a_reason(
    found, officer_a, bureau_user
):
    finding = found["a_ledger"]
    rectification_report(finding=finding, note="已补录", user=officer_a)
    with pytest.raises(ValidationError):
        rectification_report(finding=finding, note="再次", user=officer_a)
    with pytest.raises(ValidationError) as refused:
        rectification_return(finding=finding, reason=" ", user=bureau_user)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        rectification_report(finding=found["a_funds"], note="无需", user=officer_a)
    with pytest.raises(ValidationError):
        rectification_confirm(finding=found["a_progress"], user=bureau_user)  # nothing reported


def test_the_checklist_keeps_items_with_findings(half, found, bureau_user):
    first, second, third = half.items
    with pytest.raises(ValidationError) as refused:
        halfyear_checklist_set(
            inspection=half.inspection,
            items=[ChecklistEntry(title=first.title, id=first.pk)],
            user=bureau_user,
        )
    assert "项目推进" in refused.value.message_dict["items"][0]
    reordered = halfyear_checklist_set(
        inspection=half.inspection,
        items=[
            ChecklistEntry(title=third.title, id=third.pk),
            ChecklistEntry(title="招商台账（含电子台账）", id=first.pk),
            ChecklistEntry(title=second.title, id=second.pk),
            ChecklistEntry(title="安全生产"),
        ],
        user=bureau_user,
    )
    assert [(i.order, i.title) for i in reordered] == [
        (1, "资金到位"),
        (2, "招商台账（含电子台账）"),
        (3, "项目推进"),
        (4, "安全生产"),
    ]
    assert Finding.objects.get(pk=found["a_ledger"].pk).item_id == first.pk


def test_a_drawn_unit_keeps_its_draw_and_another_person_of_the_bureau_may_act(
    unit_a, unit_b, bureau_user, bureau_unit
):
    colleague = UserFactory(username="bureau2", role="bureau", unit=bureau_unit)
    draw = units_draw(unit_a, bureau_user)
    inspection = halfyear_create(year=2026, half=1, title="  上半年督查 ", user=colleague)
    assert inspection.title == "上半年督查"
    (row,) = halfyear_units_add_drawn(inspection=inspection, draw=draw, user=bureau_user)
    assert row.draw == draw and draw.inspected_units.get() == row
