"""The pages and API of the draw (两随机一公开): public to every user, written by the bureau
only; the draw's page repeats the draw; inspection photos served through a checked view."""

import contextlib
import datetime as dt
import io
import random
import re
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Draw, Inspection, InspectionPhoto
from reports.services.draws import draw_make, inspection_photo_add, inspection_record
from teams.choices import UnitKind
from tests.factories import ProjectFactory, UnitFactory
from tests.grid import LOGIN, check_grid
from tests.reports.test_draws import tiny_png

pytestmark = pytest.mark.django_db
LIST = "/reports/draws/"
MAKE = "/reports/draws/make/"
TODAY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def projects(unit_a, unit_b):
    """Three live projects of unit A, one of unit B, one still in negotiation."""
    park = UnitFactory(code="PK", name="经开区", kind=UnitKind.PARK)
    made = [
        ProjectFactory(code="A-1", name="甲镇智能装备", unit=unit_a, stage="signed"),
        ProjectFactory(code="A-2", name="甲镇新材料", unit=unit_a, stage="constructing"),
        ProjectFactory(code="A-3", name="甲镇食品加工", unit=unit_a, stage="producing"),
        ProjectFactory(code="B-1", name="乙镇文旅综合体", unit=unit_b, stage="started"),
        ProjectFactory(code="K-1", name="园区在谈项目", unit=park, stage="negotiating"),
    ]
    return made


@pytest.fixture
def project_draw(projects, bureau_user):
    return draw_make(
        kind="projects", year=2026, quarter=3, size=2, seed="公开-2026Q3", user=bureau_user
    )


@pytest.fixture
def recorded(project_draw, bureau_user):
    """The first inspection of the draw, recorded with findings and a photo."""
    inspection = Inspection.objects.filter(draw=project_draw).order_by("id").first()
    inspection_record(
        inspection=inspection,
        inspected_on=dt.date(2026, 7, 15),
        inspector="王检查、赵核实",
        findings="设备已安装到位，尚未试生产。",
        user=bureau_user,
    )
    photo = inspection_photo_add(
        inspection=inspection,
        image=SimpleUploadedFile("现场.png", tiny_png()),
        caption="车间内景",
        user=bureau_user,
    )
    return inspection, photo


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Permission grids -------------------------------------------------------------------


def test_list_and_make_grid(users, client_as, projects):
    check_grid(
        users,
        client_as,
        LIST,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("officer_b", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        MAKE,
        [
            (None, "POST", LOGIN),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
            ("bureau", "POST", 302),
        ],
        data={"kind": "projects", "year": 2026, "quarter": 3, "size": 2, "seed": "", "note": ""},
    )
    assert Draw.objects.count() == 1


def test_draw_detail_grid(users, client_as, project_draw):
    url = f"/reports/draws/{project_draw.pk}/"
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
    check_grid(
        users, client_as, f"/reports/draws/{project_draw.pk + 1000}/", [("bureau", "GET", 404)]
    )


def test_inspection_page_and_record_grid(users, client_as, project_draw):
    inspection = project_draw.inspections.order_by("id").first()
    url = f"/reports/inspections/{inspection.pk}/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    check_grid(
        users, client_as, f"/reports/inspections/{inspection.pk + 1000}/", [("leader", "GET", 404)]
    )
    record = {
        "record-inspected_on": "2026-07-15",
        "record-inspector": "王检查",
        "record-findings": "已开工，进度正常。",
    }
    check_grid(
        users,
        client_as,
        f"{url}record/",
        [
            (None, "POST", LOGIN),
            ("officer_a", "POST", 403),
            ("officer_b", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
            ("bureau", "POST", 302),
        ],
        data=record,
    )
    check_grid(
        users,
        client_as,
        f"/reports/inspections/{inspection.pk + 1000}/record/",
        [("bureau", "POST", 404)],
        data=record,
    )
    inspection.refresh_from_db()
    assert (inspection.status, inspection.inspected_on) == ("done", dt.date(2026, 7, 15))


def test_photo_upload_grid(users, client_as, project_draw):
    """Each request with a fresh file (an uploaded file is read once per request)."""
    inspection = project_draw.inspections.order_by("id").first()
    url = f"/reports/inspections/{inspection.pk}/photos/"
    for user_key, method, expected in [
        (None, "POST", LOGIN),
        ("officer_a", "POST", 403),
        ("leader", "POST", 403),
        ("bureau", "GET", 405),
        ("bureau", "POST", 302),
    ]:
        data = {"photo-image": SimpleUploadedFile("现场.png", tiny_png()), "photo-caption": "外景"}
        check_grid(users, client_as, url, [(user_key, method, expected)], data=data)
    assert list(InspectionPhoto.objects.values_list("inspection_id", "caption")) == [
        (inspection.pk, "外景")
    ]


def test_photo_view_grid_and_content(users, client_as, recorded):
    _inspection, photo = recorded
    url = f"/files/inspection-photo/{photo.pk}/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )
    response = client_as(users["officer_b"]).get(url)
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == tiny_png()
    assert "sandbox" in response["Content-Security-Policy"]
    # an unknown photo: 404
    check_grid(users, client_as, f"{url[:-1]}0/", [("bureau", "GET", 404)])


# --- What the pages show ----------------------------------------------------------------------


def test_the_public_page_shows_the_findings_to_an_officer_of_any_unit(
    users, client_as, recorded, project_draw
):
    _inspection, photo = recorded
    for key in ("officer_a", "officer_b", "leader"):
        html = page(client_as(users[key]), LIST)
        assert "设备已安装到位，尚未试生产。" in html
        assert "王检查、赵核实" in html
        assert f'<code data-testid="seed">{project_draw.seed}</code>' in html
        assert f"/files/inspection-photo/{photo.pk}/" in html
        assert 'data-testid="thumbnail"' in html
        for drawn in Inspection.objects.filter(draw=project_draw).select_related("project"):
            assert drawn.project.name in html
        assert "draw-form" not in html
    assert "draw-form" in page(client_as(users["bureau"]), LIST)


def test_a_unit_draw_lists_the_drawn_units(users, client_as, projects, bureau_user, unit_a):
    draw = draw_make(kind="units", year=2026, quarter=3, size=1, seed="u", user=bureau_user)
    candidates = [c["id"] for c in draw.candidates]
    picked = random.Random("u").sample(candidates, 1)[0]
    name = next(c["name"] for c in draw.candidates if c["id"] == picked)
    html = page(client_as(users["officer_b"]), LIST)
    section = html[html.index(f'data-draw="{draw.pk}"') :]
    drawn_list = section[section.index('data-testid="drawn"') : section.index("</ol>")]
    assert name in drawn_list
    for other in draw.candidates:
        if other["id"] != picked:
            assert other["name"] not in drawn_list


def test_the_draw_page_shows_seed_candidates_and_the_repeated_draw(
    users, client_as, projects, project_draw
):
    html = page(client_as(users["officer_b"]), f"/reports/draws/{project_draw.pk}/")
    live = sorted(p.pk for p in projects if p.stage != "negotiating")
    expected = random.Random("公开-2026Q3").sample(live, 2)
    assert '<code data-testid="seed">公开-2026Q3</code>' in html
    assert '<dd class="col-sm-8" data-testid="candidate-count">4</dd>' in html
    assert 'data-testid="repeat" data-same="yes"' in html
    # candidates in their stored order (by id), the drawn ones marked
    positions = [html.index(f'data-candidate="{pk}"') for pk in live]
    assert positions == sorted(positions)
    assert html.count('data-testid="picked"') == 2
    assert "园区在谈项目" not in html  # negotiating: never a candidate
    # the drawn, in the order picked, and the method with the ids to repeat it
    drawn_list = html[html.index('<ol data-testid="drawn">') :]
    assert drawn_list.index(f'data-id="{expected[0]}"') < drawn_list.index(
        f'data-id="{expected[1]}"'
    )
    method = unescape(html[html.index('data-testid="method"') :].split("</pre>")[0])
    assert "drawn = random.Random('公开-2026Q3').sample(ids, 2)" in method


def shown_code(html: str) -> str:
    """The reproduction code as the page shows it: the text of its <pre>, lines and all."""
    block = html[html.index('data-testid="method"') :].split("</pre>")[0]
    return unescape(re.sub(r"<[^>]+>", "", block.split(">", 1)[1]))


def test_the_reproduction_code_runs_when_pasted_and_prints_the_draw(
    users, client_as, projects, project_draw
):
    html = page(client_as(users["officer_b"]), f"/reports/draws/{project_draw.pk}/")
    code = shown_code(html)
    assert code.count("\n") >= 6  # one statement a line, as typed into Python
    assert code.startswith("import random\n")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<pasted>", "exec"), {})
    assert printed.getvalue().strip() == str(project_draw.drawn)
    # a draw of many candidates: ten ids a line, still one program
    candidates = [{"id": pk, "code": f"U{pk}", "name": f"单位{pk}"} for pk in range(1, 38)]
    Draw.objects.filter(pk=project_draw.pk).update(
        candidates=candidates, drawn=random.Random(project_draw.seed).sample(range(1, 38), 2)
    )
    project_draw.refresh_from_db()
    code = shown_code(page(client_as(users["leader"]), f"/reports/draws/{project_draw.pk}/"))
    assert max(len(line) for line in code.splitlines()) < 80
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<pasted>", "exec"), {})
    assert printed.getvalue().strip() == str(project_draw.drawn)


def test_a_draw_that_no_longer_repeats_is_shown_as_differing(users, client_as, project_draw):
    candidates = [c["id"] for c in project_draw.candidates]
    wrong = [pk for pk in candidates if pk not in project_draw.drawn][:1] + project_draw.drawn[:1]
    Draw.objects.filter(pk=project_draw.pk).update(drawn=wrong)
    html = page(client_as(users["leader"]), f"/reports/draws/{project_draw.pk}/")
    assert 'data-testid="repeat" data-same="no"' in html


def test_the_inspection_page_shows_the_record_and_forms_only_to_the_bureau(
    users, client_as, recorded
):
    inspection, photo = recorded
    url = f"/reports/inspections/{inspection.pk}/"
    officer = page(client_as(users["officer_b"]), url)
    assert '<dd class="col-sm-8" data-testid="inspected-on">2026-07-15</dd>' in officer
    assert "王检查、赵核实" in officer
    assert "设备已安装到位，尚未试生产。" in officer
    assert f"/files/inspection-photo/{photo.pk}/" in officer
    assert "车间内景" in officer
    assert "record-form" not in officer and "photo-form" not in officer
    bureau = page(client_as(users["bureau"]), url)
    assert "record-form" in bureau and "photo-form" in bureau


# --- Writing through the pages --------------------------------------------------------------


def test_the_bureau_draws_from_the_page(users, client_as, projects):
    response = client_as(users["bureau"]).post(
        MAKE,
        {
            "kind": "projects",
            "year": 2026,
            "quarter": 3,
            "size": 3,
            "seed": "页面",
            "note": "三季度",
        },
    )
    draw = Draw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/draws/{draw.pk}/"
    live = sorted(p.pk for p in projects if p.stage != "negotiating")
    assert draw.drawn == random.Random("页面").sample(live, 3)
    assert (draw.note, draw.drawn_by) == ("三季度", users["bureau"])
    assert Inspection.objects.filter(draw=draw).count() == 3


def test_the_form_shows_the_service_errors(users, client_as, projects):
    bureau = client_as(users["bureau"])
    too_many = bureau.post(
        MAKE, {"kind": "projects", "year": 2026, "quarter": 3, "size": 9, "seed": ""}
    )
    assert too_many.status_code == 200
    assert too_many.context["form"].errors["size"]
    assert not Draw.objects.exists()
    bureau.post(MAKE, {"kind": "projects", "year": 2026, "quarter": 3, "size": 1, "seed": "a"})
    again = bureau.post(
        MAKE, {"kind": "projects", "year": 2026, "quarter": 3, "size": 1, "seed": "b"}
    )
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()
    assert Draw.objects.get().seed == "a"


def test_recording_from_the_page_refuses_a_future_date(users, client_as, project_draw):
    inspection = project_draw.inspections.order_by("id").first()
    response = client_as(users["bureau"]).post(
        f"/reports/inspections/{inspection.pk}/record/",
        {
            "record-inspected_on": "2026-07-16",
            "record-inspector": "王检查",
            "record-findings": "正常",
        },
    )
    assert response.status_code == 200
    assert response.context["record_form"].errors["inspected_on"]
    inspection.refresh_from_db()
    assert inspection.status == "pending"


def test_a_png_that_is_really_text_is_refused_on_the_page(users, client_as, project_draw):
    inspection = project_draw.inspections.order_by("id").first()
    response = client_as(users["bureau"]).post(
        f"/reports/inspections/{inspection.pk}/photos/",
        {"photo-image": SimpleUploadedFile("现场.png", b"just text\n"), "photo-caption": ""},
    )
    assert response.status_code == 200
    assert response.context["photo_form"].errors["image"]
    assert not InspectionPhoto.objects.exists()


def test_history_is_shown(users, client_as, recorded):
    inspection, _ = recorded
    html = page(client_as(users["leader"]), f"/reports/inspections/{inspection.pk}/")
    history = html[html.index('id="pane-history"') :]
    assert "王检查、赵核实" in history  # the recorded inspector, as a change


# --- Query counts ------------------------------------------------------------------------------


def test_the_list_page_queries_do_not_grow_with_draws_and_photos(users, client_as, bureau_user):
    units = [UnitFactory(code=f"T{i}", kind=UnitKind.TOWNSHIP) for i in range(3)]
    for i in range(6):
        ProjectFactory(code=f"Q-{i}", unit=units[i % 3], stage="constructing")

    def count() -> int:
        client = client_as(users["officer_b"])
        client.get(LIST)  # the session and the like, once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    draw_make(kind="projects", year=2026, quarter=1, size=1, seed="1", user=bureau_user)
    small = count()
    for quarter in (2, 3):
        draw = draw_make(
            kind="projects", year=2026, quarter=quarter, size=4, seed=str(quarter), user=bureau_user
        )
        draw_make(kind="units", year=2026, quarter=quarter, size=2, user=bureau_user)
        for inspection in draw.inspections.all():
            inspection_photo_add(
                inspection=inspection,
                image=SimpleUploadedFile("p.png", tiny_png()),
                caption="",
                user=bureau_user,
            )
    assert count() == small


# --- API -----------------------------------------------------------------------------------------


def test_api_grid_and_content(users, api_as, recorded, project_draw):
    url = "/api/v1/reports/draws/"
    check_grid(
        users,
        api_as,
        url,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "POST", 405),
        ],
        api=True,
    )
    detail = f"{url}{project_draw.pk}/"
    check_grid(
        users,
        api_as,
        detail,
        [
            (None, "GET", 401),
            ("officer_a", "GET", 200),
            ("bureau", "PATCH", 405),
            ("bureau", "DELETE", 405),
        ],
        api=True,
    )
    check_grid(users, api_as, f"{url}{project_draw.pk + 1000}/", [("leader", "GET", 404)], api=True)
    body = api_as(users["officer_b"]).get(detail).json()
    assert (body["seed"], body["size"], body["kind"], body["year"], body["quarter"]) == (
        "公开-2026Q3",
        2,
        "projects",
        2026,
        3,
    )
    ids = [c["id"] for c in body["candidates"]]
    assert body["drawn"] == random.Random(body["seed"]).sample(ids, body["size"])
    inspection, photo = recorded
    done = next(i for i in body["inspections"] if i["id"] == inspection.pk)
    assert (done["status"], done["inspected_on"], done["findings"]) == (
        "done",
        "2026-07-15",
        "设备已安装到位，尚未试生产。",
    )
    assert done["photos"][0]["url"].endswith(f"/files/inspection-photo/{photo.pk}/")
    listed = api_as(users["leader"]).get(url, {"kind": "units"}).json()
    assert listed["count"] == 0
