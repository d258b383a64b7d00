import pytest

from teams.models import Unit
from tests.grid import LOGIN, check_grid

pytestmark = pytest.mark.django_db


def test_unit_list_grid(users, client_as, unit_a):
    check_grid(
        users,
        client_as,
        "/units/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "DELETE", 405),
        ],
    )


def test_unit_detail_grid(users, client_as, unit_a):
    url = f"/units/{unit_a.pk}/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 200),  # units are the county's shared reference list
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )


def test_unit_create_grid(users, client_as):
    data = {"code": "NEW", "name": "新单位", "kind": "park", "sort_order": 3}
    check_grid(
        users,
        client_as,
        "/units/new/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("bureau", "PUT", 405),
        ],
        data=None,
    )
    check_grid(users, client_as, "/units/new/", [("bureau", "POST", 302)], data=data)
    assert Unit.objects.get(code="NEW").name == "新单位"


def test_unit_update_grid(users, client_as, unit_a):
    url = f"/units/{unit_a.pk}/edit/"
    data = {"code": "UA", "name": "甲镇（新）", "kind": "township", "sort_order": 1}
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("bureau", "DELETE", 405),
        ],
        data=None,
    )
    unit_a.refresh_from_db()
    assert unit_a.name == "甲镇"
    check_grid(users, client_as, url, [("bureau", "POST", 302)], data=data)
    unit_a.refresh_from_db()
    assert unit_a.name == "甲镇（新）"


def test_unit_deactivate_grid(users, client_as, unit_a):
    url = f"/units/{unit_a.pk}/active/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "POST", LOGIN),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
        ],
    )
    unit_a.refresh_from_db()
    assert unit_a.is_active
    check_grid(users, client_as, url, [("bureau", "POST", 302)])
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    assert Unit.objects.filter(pk=unit_a.pk).exists()  # deactivated, never deleted


def test_unit_form_errors_name_the_field_in_chinese(client_as, bureau_user, unit_a):
    response = client_as(bureau_user).post(
        "/units/new/", {"code": "UA", "name": "", "kind": "nonsense"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "编码：已有单位使用此编码。" in text
    assert "名称：该字段是必填项。" in text
    assert "类型：选择一个有效的选项。" in text


def test_unit_list_filters_search_sorts_and_exports(client_as, bureau_user, unit_a, unit_b):
    client = client_as(bureau_user)
    page = client.get("/units/", {"search": "乙"}).content.decode()
    assert "乙镇" in page and "甲镇" not in page
    page = client.get("/units/", {"ordering": "-code"}).content.decode()
    assert page.index("乙镇") < page.index("甲镇")
    response = client.get("/units/", {"search": "甲", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:2] == ["编码", "名称"]
    assert rows[2][:2] == ["UA", "甲镇"]
    assert len(rows) == 3
