"""The draw of 两随机一公开: who may be drawn, a draw repeated from its published seed, the
bureau's rules, and the inspections of drawn projects with their photos."""

import datetime as dt
import random
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from demo.projects.writing import tiny_png as demo_png
from reports.models import Draw, Inspection, InspectionPhoto
from reports.selectors.draws import draw_candidates, draw_pick, draw_repeat
from reports.services.draws import draw_make, inspection_photo_add, inspection_record
from teams.choices import UnitKind
from tests.factories import ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


def tiny_png() -> bytes:
    """A real 1×1 white PNG."""
    return demo_png((255, 255, 255), size=1)


@pytest.fixture
def county(unit_a, unit_b, bureau_unit):
    """Townships A and B (conftest), a park, a department, an inactive township and the
    bureau; one project at each stage."""
    park = UnitFactory(code="PK", name="经开区", kind=UnitKind.PARK)
    department = UnitFactory(code="D1", name="发改局", kind=UnitKind.DEPARTMENT)
    closed = UnitFactory(code="OLD", name="撤并镇", kind=UnitKind.TOWNSHIP, is_active=False)
    stages = [
        "negotiating",
        "signed",
        "started",
        "constructing",
        "completed",
        "producing",
        "terminated",
    ]
    projects = {
        stage: ProjectFactory(
            code=f"P-{stage[:4].upper()}",
            unit=unit_a,
            stage=stage,
            termination_reason="投资方撤资" if stage == "terminated" else "",
        )
        for stage in stages
    }
    return {
        "units": [unit_a, unit_b, park, department],
        "closed": closed,
        "bureau": bureau_unit,
        "projects": projects,
    }


# --- Candidates --------------------------------------------------------------------------


def test_unit_candidates_are_the_active_reporting_units_by_id(county):
    candidates = draw_candidates("units", 2026, 3)
    expected = sorted(county["units"], key=lambda unit: unit.pk)
    assert [c["id"] for c in candidates] == [unit.pk for unit in expected]
    assert candidates[0] == {
        "id": expected[0].pk,
        "code": expected[0].code,
        "name": expected[0].name,
    }
    ids = {c["id"] for c in candidates}
    assert county["bureau"].pk not in ids
    assert county["closed"].pk not in ids


def test_project_candidates_are_the_live_projects_past_negotiation(county, unit_a):
    candidates = draw_candidates("projects", 2026, 3)
    live = ["signed", "started", "constructing", "completed", "producing"]
    expected = sorted((county["projects"][s] for s in live), key=lambda p: p.pk)
    assert [c["id"] for c in candidates] == [p.pk for p in expected]
    first = expected[0]
    assert candidates[0] == {"id": first.pk, "code": first.code, "name": first.name, "unit": "甲镇"}


# --- The pick ------------------------------------------------------------------------------


def test_the_pick_is_python_random_sample_over_the_stored_order():
    candidates = [{"id": pk, "code": f"C{pk}", "name": f"候选{pk}"} for pk in (12, 5, 40, 7, 23)]
    expected = random.Random("2026Q3-公开").sample([12, 5, 40, 7, 23], 3)
    assert draw_pick(candidates, 3, "2026Q3-公开") == expected
    assert draw_pick(candidates, 3, "2026Q3-公开") == expected  # again: the same
    assert len(set(expected)) == 3 and set(expected) <= {12, 5, 40, 7, 23}


def test_different_seeds_give_different_draws():
    candidates = [{"id": pk, "code": str(pk), "name": str(pk)} for pk in range(1, 31)]
    results = {tuple(draw_pick(candidates, 5, seed)) for seed in ("a", "b", "c", "d", "e")}
    assert len(results) > 1
    assert draw_pick(candidates, 5, "a") != draw_pick(candidates, 5, "b")


# --- Making a draw ---------------------------------------------------------------------------


def test_a_unit_draw_keeps_seed_and_candidates_and_can_be_repeated(county, bureau_user):
    draw = draw_make(
        kind="units", year=2026, quarter=3, size=2, seed="县招商局-2026Q3", user=bureau_user
    )
    ids = sorted(unit.pk for unit in county["units"])
    assert draw.candidates == draw_candidates("units", 2026, 3)
    assert [c["id"] for c in draw.candidates] == ids
    assert draw.drawn == random.Random("县招商局-2026Q3").sample(ids, 2)
    assert (draw.seed, draw.size, draw.drawn_by) == ("县招商局-2026Q3", 2, bureau_user)
    assert draw_repeat(draw) is True
    assert not Inspection.objects.exists()  # units report; only projects are inspected
    stored = Draw.objects.get(pk=draw.pk)
    assert draw_pick(stored.candidates, stored.size, stored.seed) == stored.drawn


def test_a_tampered_result_does_not_repeat(county, bureau_user):
    draw = draw_make(kind="units", year=2026, quarter=3, size=2, seed="s", user=bureau_user)
    others = [c["id"] for c in draw.candidates if c["id"] not in draw.drawn]
    Draw.objects.filter(pk=draw.pk).update(drawn=[others[0], draw.drawn[1]])
    assert draw_repeat(Draw.objects.get(pk=draw.pk)) is False


def test_a_blank_seed_gets_a_fresh_one(county, bureau_user):
    draw = draw_make(kind="units", year=2026, quarter=3, size=1, seed="  ", user=bureau_user)
    assert re.fullmatch(r"[0-9a-f]{16}", draw.seed)
    assert draw_repeat(draw) is True


def test_a_project_draw_opens_one_pending_inspection_per_drawn_project(county, bureau_user):
    draw = draw_make(kind="projects", year=2026, quarter=3, size=3, seed="xyz", user=bureau_user)
    live = ["signed", "started", "constructing", "completed", "producing"]
    ids = sorted(county["projects"][s].pk for s in live)
    assert draw.drawn == random.Random("xyz").sample(ids, 3)
    inspections = Inspection.objects.filter(draw=draw)
    assert sorted(i.project_id for i in inspections) == sorted(draw.drawn)
    assert {i.status for i in inspections} == {"pending"}


@pytest.mark.parametrize("user_key", ["officer_a", "unit_head_a", "leader"])
def test_only_the_bureau_draws(county, users, user_key):
    with pytest.raises(PermissionDenied):
        draw_make(kind="units", year=2026, quarter=3, size=1, user=users[user_key])
    assert not Draw.objects.exists()


def test_a_second_draw_of_the_quarter_and_kind_is_refused(county, bureau_user):
    first = draw_make(kind="units", year=2026, quarter=3, size=2, seed="one", user=bureau_user)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        draw_make(kind="units", year=2026, quarter=3, size=1, seed="two", user=bureau_user)
    assert "already has a draw" in " ".join(refused.value.messages)
    assert list(Draw.objects.all()) == [first]
    # the other kind of the same quarter is still open
    draw_make(kind="projects", year=2026, quarter=3, size=1, seed="p", user=bureau_user)
    assert Draw.objects.count() == 2


@pytest.mark.parametrize("size", [0, 5, 100])
def test_a_size_out_of_range_names_the_size_field(county, bureau_user, size):
    # four candidates: 1..4 is allowed
    with pytest.raises(ValidationError) as refused:
        draw_make(kind="units", year=2026, quarter=3, size=size, user=bureau_user)
    assert list(refused.value.message_dict) == ["size"]
    assert not Draw.objects.exists()


def test_all_candidates_may_be_drawn(county, bureau_user):
    draw = draw_make(kind="units", year=2026, quarter=3, size=4, seed="all", user=bureau_user)
    assert sorted(draw.drawn) == sorted(unit.pk for unit in county["units"])


def test_the_quarter_must_have_started(county, bureau_user):
    with pytest.raises(ValidationError) as refused:
        draw_make(kind="units", year=2026, quarter=4, size=1, user=bureau_user)
    assert list(refused.value.message_dict) == ["quarter"]
    # an earlier quarter may still be drawn
    draw_make(kind="units", year=2026, quarter=2, size=1, user=bureau_user)


# --- Inspections ----------------------------------------------------------------------------


@pytest.fixture
def inspection(county, bureau_user):
    draw_make(kind="projects", year=2026, quarter=3, size=2, seed="site", user=bureau_user)
    return Inspection.objects.order_by("id").first()


def test_recording_an_inspection(inspection, bureau_user):
    inspection_record(
        inspection=inspection,
        inspected_on=TODAY,
        inspector="张三、李四",
        findings="厂房主体完工，设备进场三成。",
        user=bureau_user,
    )
    inspection.refresh_from_db()
    assert (inspection.status, inspection.inspected_on, inspection.inspector) == (
        "done",
        TODAY,
        "张三、李四",
    )
    assert inspection.findings == "厂房主体完工，设备进场三成。"
    assert inspection.history.count() == 2  # opened, then recorded


def test_an_inspection_date_in_the_future_is_refused(inspection, bureau_user):
    with pytest.raises(ValidationError) as refused:
        inspection_record(
            inspection=inspection,
            inspected_on=TODAY + dt.timedelta(days=1),
            inspector="张三",
            findings="—",
            user=bureau_user,
        )
    assert list(refused.value.message_dict) == ["inspected_on"]
    inspection.refresh_from_db()
    assert inspection.status == "pending"


def test_an_inspection_before_its_draw_is_refused(inspection, bureau_user):
    with pytest.raises(ValidationError) as refused:
        inspection_record(
            inspection=inspection,
            inspected_on=TODAY - dt.timedelta(days=1),  # the draw was made today
            inspector="张三",
            findings="正常",
            user=bureau_user,
        )
    assert list(refused.value.message_dict) == ["inspected_on"]


@pytest.mark.parametrize("user_key", ["officer_a", "leader"])
def test_only_the_bureau_records_inspections(inspection, users, user_key):
    with pytest.raises(PermissionDenied):
        inspection_record(
            inspection=inspection,
            inspected_on=TODAY,
            inspector="张三",
            findings="正常",
            user=users[user_key],
        )
    with pytest.raises(PermissionDenied):
        inspection_photo_add(
            inspection=inspection,
            image=SimpleUploadedFile("现场.png", tiny_png()),
            caption="",
            user=users[user_key],
        )


def test_a_real_png_is_kept(inspection, bureau_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = inspection_photo_add(
        inspection=inspection,
        image=SimpleUploadedFile("现场.png", tiny_png()),
        caption="厂房外景",
        user=bureau_user,
    )
    assert (photo.inspection, photo.caption, photo.uploaded_by) == (
        inspection,
        "厂房外景",
        bureau_user,
    )
    with photo.image.open("rb") as stored:
        assert stored.read() == tiny_png()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("现场.png", b"this is text, not a picture\n"),  # a .png that is really text
        ("现场.jpg", tiny_png()),  # a PNG called JPEG: the content decides
        ("报告.pdf", b"%PDF-1.4\n%%EOF\n"),  # a real PDF: not a photo
        ("现场.txt", b"hello"),
    ],
)
def test_anything_but_a_png_or_jpeg_is_refused(
    inspection, bureau_user, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as refused:
        inspection_photo_add(
            inspection=inspection,
            image=SimpleUploadedFile(name, content),
            caption="",
            user=bureau_user,
        )
    assert list(refused.value.message_dict) == ["image"]
    assert not InspectionPhoto.objects.exists()
