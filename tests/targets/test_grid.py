"""The decomposition grid: saving (all or nothing), the gap figures, copying last year,
the workbook out and back in, refused imports, and what a unit head may set."""

import datetime as dt
import html
import re
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.roles import Role
from targets.models import Target
from teams.choices import UnitKind
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        yield


@pytest.fixture
def park(db):
    return UnitFactory(code="PK", name="丙园区", kind=UnitKind.PARK)


def target(year, metric, value, **owner):
    return Target.objects.create(year=year, metric=metric, value=D(value), **owner)


def values(year, **owner):
    """{metric: value} of an owner's targets ({} for none); the county with no owner."""
    if not owner:
        owner = {"unit": None, "team": None, "user": None}
    return dict(Target.objects.filter(year=year, **owner).values_list("metric", "value"))


def footer(page: str, metric: str) -> dict:
    """The grid's footer for one metric, as the server rendered it."""
    summed = re.search(rf'data-sum="{metric}"[^>]*>([^<]*)<', page)[1]
    total = re.search(rf'data-total="{metric}"[^>]*>([^<]*)<', page)[1]
    gap = re.search(
        rf'data-gap="{metric}" data-status="(\w*)">\s*<span class="gap-value">([^<]*)</span>',
        page,
    )
    return {"sum": summed, "total": total, "status": gap[1], "gap": gap[2]}


def unit_grid(year=2026):
    return f"/targets/?year={year}&kind=unit"


# --- Saving ----------------------------------------------------------------------------------


def test_the_bureau_saves_the_county_and_unit_targets_at_once(
    client_as, bureau_user, unit_a, unit_b, park
):
    client = client_as(bureau_user)
    response = client.post(
        unit_grid(),
        {
            "total-funds": "1000",
            "total-projects_signed": "5",
            f"o{unit_a.pk}-funds": "300.5",
            f"o{unit_b.pk}-funds": "500",
            f"o{unit_a.pk}-projects_signed": "3",
            f"o{park.pk}-leads": "12",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/targets/?year=2026&kind=unit"
    assert values(2026) == {"funds": D(1000), "projects_signed": D(5)}
    assert values(2026, unit=unit_a) == {"funds": D("300.50"), "projects_signed": D(3)}
    assert values(2026, unit=unit_b) == {"funds": D(500)}
    assert values(2026, unit=park) == {"leads": D(12)}

    # Emptying a cell removes its target; the others stay.
    response = client.post(
        unit_grid(),
        {
            "total-funds": "1000",
            "total-projects_signed": "5",
            f"o{unit_a.pk}-funds": "300.50",
            f"o{unit_b.pk}-funds": "",
            f"o{unit_a.pk}-projects_signed": "3",
            f"o{park.pk}-leads": "12",
        },
    )
    assert response.status_code == 302
    assert values(2026, unit=unit_b) == {}
    assert values(2026, unit=unit_a) == {"funds": D("300.50"), "projects_signed": D(3)}


def test_a_bad_number_saves_nothing_and_comes_back_as_typed(client_as, bureau_user, unit_a, unit_b):
    target(2026, "funds", 100, unit=unit_a)
    client = client_as(bureau_user)
    response = client.post(
        unit_grid(),
        {
            "total-funds": "2000",
            f"o{unit_a.pk}-funds": "800",
            f"o{unit_b.pk}-funds": "一百",
            f"o{unit_a.pk}-leads": "-3",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert values(2026) == {} and values(2026, unit=unit_a) == {"funds": D(100)}
    assert 'value="2000"' in page and 'value="800"' in page and 'value="一百"' in page
    errors = re.search(r'data-testid="grid-errors">(.*?)</div>', page, re.S)[1]
    assert "乙镇 · " in errors and "甲镇 · " in errors  # each error names its owner …
    assert errors.count("<li>") == 2
    from targets.choices import Metric

    assert f"甲镇 · {Metric.LEADS.label}" in html.unescape(errors)  # … and its metric
    assert f"乙镇 · {Metric.FUNDS.label}" in html.unescape(errors)
    # The footer still adds up what was typed (the unreadable cell counts as nothing).
    assert footer(page, "funds") == {
        "sum": "800.00",
        "total": "2,000.00",
        "status": "under",
        "gap": "1,200.00",
    }


# --- The gap ---------------------------------------------------------------------------------


def test_the_footer_shows_the_sum_the_total_and_the_gap(
    client_as, bureau_user, unit_a, unit_b, park
):
    target(2026, "funds", 1000)
    target(2026, "funds", 300, unit=unit_a)
    target(2026, "funds", 450.5, unit=unit_b)
    target(2026, "projects_signed", 5)
    target(2026, "projects_signed", 3, unit=unit_a)
    target(2026, "projects_signed", 4, unit=park)
    target(2026, "leads", 20)
    target(2026, "leads", 12, unit=unit_a)
    target(2026, "leads", 8, unit=park)
    target(2026, "trips", 6, unit=unit_b)  # no county target: nothing to compare with
    target(2025, "funds", 999, unit=unit_a)  # another year

    page = client_as(bureau_user).get(unit_grid()).content.decode()

    # 300 + 450.50 = 750.50 of 1000: 249.50 short (分解不足)
    assert footer(page, "funds") == {
        "sum": "750.50",
        "total": "1,000.00",
        "status": "under",
        "gap": "249.50",
    }
    # 3 + 4 = 7 of 5: 2 too many (超额分解)
    assert footer(page, "projects_signed") == {
        "sum": "7",
        "total": "5",
        "status": "over",
        "gap": "2",
    }
    assert footer(page, "leads") == {"sum": "20", "total": "20", "status": "even", "gap": ""}
    assert footer(page, "trips") == {"sum": "6", "total": "", "status": "", "gap": ""}
    # Units come grouped by kind (townships, parks, departments), each under its header.
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    order = re.findall(
        r'<th scope="rowgroup"[^>]*>(?:<span[^>]*>)?([^<]+)<|<tr data-owner="(\w+)"', body
    )
    assert [group or owner for group, owner in order] == [
        "total",
        "乡镇/街道",
        "UA",
        "UB",
        "园区/开发区",
        "PK",
    ]
    assert 'data-label-under="' in page and "js/targets.js" in page


# --- Copying last year -----------------------------------------------------------------------


def test_copying_last_year_fills_only_what_is_not_set(client_as, bureau_user, unit_a, unit_b):
    target(2025, "funds", 900)
    target(2025, "funds", 400, unit=unit_a)
    target(2025, "leads", 10, unit=unit_a)
    target(2025, "funds", 500, unit=unit_b)
    target(2026, "funds", 450, unit=unit_a)  # already set this year: kept
    response = client_as(bureau_user).post("/targets/copy/?year=2026&kind=unit")
    assert response.status_code == 302
    assert response["Location"] == "/targets/?year=2026&kind=unit"
    assert values(2026) == {"funds": D(900)}
    assert values(2026, unit=unit_a) == {"funds": D(450), "leads": D(10)}
    assert values(2026, unit=unit_b) == {"funds": D(500)}
    assert values(2025, unit=unit_a) == {"funds": D(400), "leads": D(10)}


# --- The workbook ----------------------------------------------------------------------------


def test_export_then_import_gives_the_same_targets(client_as, bureau_user, unit_a, unit_b, park):
    target(2026, "funds", 300.25, unit=unit_a)
    target(2026, "projects_signed", 3, unit=unit_a)
    target(2026, "leads", 8, unit=park)
    before = {u.code: values(2026, unit=u) for u in (unit_a, unit_b, park)}
    client = client_as(bureau_user)

    response = client.get(unit_grid() + "&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2026" in rows[0][0]  # the title row
    assert [r[0] for r in rows[2:]] == ["UA", "UB", "PK"]

    Target.objects.filter(year=2026).delete()
    upload = SimpleUploadedFile("分解.xlsx", response.content, content_type=XLSX)
    response = client.post("/targets/import/?year=2026&kind=unit", {"file": upload})
    assert response.status_code == 302
    assert {u.code: values(2026, unit=u) for u in (unit_a, unit_b, park)} == before


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年招商引资目标任务分解表"])
    sheet.append(["代码", "名称", "funds", "projects_signed", "leads"])
    for row in rows:
        sheet.append(row)
    output = BytesIO()
    book.save(output)
    return SimpleUploadedFile("分解表.xlsx", output.getvalue(), content_type=XLSX)


def test_an_import_with_bad_rows_imports_nothing_and_lists_each_bad_row(
    client_as, bureau_user, unit_a, unit_b, park
):
    target(2026, "funds", 100, unit=unit_a)
    upload = workbook(
        [
            ["UA", "甲镇", 300, 3, 10],  # row 3: good
            ["ZZ", "不存在的镇", 100, 1, 1],  # row 4: unknown unit
            ["UB", "乙镇", "三百", 2, 5],  # row 5: text in a number cell
            ["PK", "丙园区", 50, -1, 2],  # row 6: negative
        ]
    )
    response = client_as(bureau_user).post("/targets/import/?year=2026&kind=unit", {"file": upload})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    errors = re.search(r'data-testid="import-errors">(.*?)</div>', page, re.S)[1]
    items = re.findall(r"<li>(.*?)</li>", errors, re.S)
    assert len(items) == 3
    assert "4" in items[0] and "ZZ" in items[0]
    assert "5" in items[1] and "三百" in items[1]
    assert "6" in items[2] and "projects_signed" in items[2]
    assert list(Target.objects.values_list("unit__code", "metric", "value")) == [
        ("UA", "funds", D(100))
    ]


def test_a_file_that_is_not_a_workbook_is_refused(client_as, bureau_user, unit_a):
    client = client_as(bureau_user)
    fake = SimpleUploadedFile("分解表.xlsx", b"not a zip", content_type=XLSX)
    response = client.post("/targets/import/?year=2026&kind=unit", {"file": fake})
    assert response.status_code == 200
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not Target.objects.exists()


# --- A unit head decomposes to their staff ----------------------------------------------------


@pytest.fixture
def staff(unit_a, unit_b, officer_a, officer_b, unit_head_a):
    other_head = UserFactory(username="head_b", role=Role.UNIT_HEAD, unit=unit_b)
    return {"officer_a": officer_a, "officer_b": officer_b, "head_b": other_head}


def test_a_unit_head_sets_their_staffs_targets_against_the_units(
    client_as, unit_head_a, unit_a, staff
):
    target(2026, "funds", 600, unit=unit_a)
    client = client_as(unit_head_a)
    page = client.get("/targets/").content.decode()  # their default: their unit's staff
    assert 'data-owner="officer_a"' in page and 'data-owner="head_a"' in page
    assert 'data-owner="officer_b"' not in page
    assert footer(page, "funds") == {
        "sum": "0.00",
        "total": "600.00",
        "status": "under",
        "gap": "600.00",
    }

    response = client.post(
        "/targets/?year=2026&kind=person",
        {
            f"o{staff['officer_a'].pk}-funds": "400",
            f"o{unit_head_a.pk}-funds": "250",
            "total-funds": "99999",  # the unit's own target is not theirs to change
            f"o{staff['officer_b'].pk}-funds": "1",  # not one of their rows: ignored
        },
    )
    assert response.status_code == 302
    assert values(2026, user=staff["officer_a"]) == {"funds": D(400)}
    assert values(2026, user=unit_head_a) == {"funds": D(250)}
    assert values(2026, user=staff["officer_b"]) == {}
    assert values(2026, unit=unit_a) == {"funds": D(600)}
    page = client.get("/targets/?year=2026&kind=person").content.decode()
    assert footer(page, "funds") == {
        "sum": "650.00",
        "total": "600.00",
        "status": "over",
        "gap": "50.00",
    }


def test_a_unit_head_sets_neither_another_units_staff_nor_unit_targets(
    client_as, unit_head_a, unit_a, unit_b, staff
):
    client = client_as(unit_head_a)
    other = f"/targets/?year=2026&kind=person&unit={unit_b.pk}"
    assert client.get(other).status_code == 404
    assert client.post(other, {f"o{staff['officer_b'].pk}-funds": "5"}).status_code == 404
    assert client.post(f"/targets/copy/?year=2026&kind=person&unit={unit_b.pk}").status_code == 404
    assert client.post(unit_grid(), {f"o{unit_a.pk}-funds": "5"}).status_code == 403
    assert client.post("/targets/?year=2026&kind=team", {"total-funds": "5"}).status_code == 403
    assert client.post("/targets/copy/?year=2026&kind=unit").status_code == 403
    assert not Target.objects.exists()


def test_the_bureau_sets_any_units_staff_and_a_leader_reads_without_inputs(
    client_as, bureau_user, leader, unit_b, staff
):
    url = f"/targets/?year=2026&kind=person&unit={unit_b.pk}"
    response = client_as(bureau_user).post(url, {f"o{staff['officer_b'].pk}-leads": "6"})
    assert response.status_code == 302
    assert values(2026, user=staff["officer_b"]) == {"leads": D(6)}
    page = client_as(leader).get(url).content.decode()
    assert 'data-owner="officer_b"' in page
    assert re.search(rf'name="o{staff["officer_b"].pk}-leads"[^>]*disabled', page)
    assert "targets/copy/" not in page and "targets/import/" not in page
