import pytest

from teams.models import Unit, User
from tests.grid import check_grid

pytestmark = pytest.mark.django_db


def test_units_api_grid(users, api_as, unit_a):
    check_grid(
        users,
        api_as,
        "/api/v1/units/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
        ],
        api=True,
        data=None,
    )
    check_grid(
        users,
        api_as,
        f"/api/v1/units/{unit_a.pk}/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("officer_a", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("bureau", "DELETE", 405),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"name": "甲镇改名"},
    )
    unit_a.refresh_from_db()
    assert unit_a.name == "甲镇改名"


def test_units_api_lists_in_the_contract_format(api_as, bureau_user, unit_a, unit_b):
    body = (
        api_as(bureau_user).get("/api/v1/units/", {"kind": "township", "ordering": "-code"}).json()
    )
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert [u["code"] for u in body["results"]] == ["UB", "UA"]
    assert set(body["results"][0]) >= {"id", "code", "name", "kind"}
    body = api_as(bureau_user).get("/api/v1/units/", {"search": "甲"}).json()
    assert [u["name"] for u in body["results"]] == ["甲镇"]


def test_units_api_creates_and_answers_400_with_field_messages(api_as, bureau_user, unit_a):
    client = api_as(bureau_user)
    response = client.post(
        "/api/v1/units/", {"code": "P1", "name": "产业园", "kind": "park"}, format="json"
    )
    assert response.status_code == 201
    assert Unit.objects.get(code="P1").kind == "park"
    response = client.post("/api/v1/units/", {"code": "UA", "name": "", "kind": "x"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["code"] == ["已有单位使用此编码。"]
    assert errors["name"] == ["该字段不能为空。"]
    assert "kind" in errors


def test_users_api_grid(users, api_as, unit_a):
    officer_a = users["officer_a"]
    check_grid(
        users,
        api_as,
        f"/api/v1/users/{officer_a.pk}/",
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("officer_a", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("bureau", "DELETE", 405),
            ("bureau", "PATCH", 200),
        ],
        api=True,
        data={"full_name": "新名字"},
    )
    new = {
        "username": "api_user",
        "full_name": "接口用户",
        "role": "officer",
        "unit": unit_a.pk,
        "password": "Api-created-2026",
    }
    check_grid(
        users,
        api_as,
        "/api/v1/users/",
        [
            (None, "POST", 401),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "POST", 201),
        ],
        api=True,
        data=new,
    )
    created = User.objects.get(username="api_user")
    assert created.check_password("Api-created-2026")


def test_users_api_never_returns_the_password_and_validates_it(api_as, bureau_user, unit_a):
    client = api_as(bureau_user)
    response = client.post(
        "/api/v1/users/",
        {
            "username": "weak",
            "full_name": "弱",
            "role": "officer",
            "unit": unit_a.pk,
            "password": "12345",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "此密码太短，至少要包含 10 个字符。" in response.json()["password"]
    response = client.get("/api/v1/users/")
    assert all("password" not in row for row in response.json()["results"])


def test_officer_sees_only_their_units_accounts_through_the_api(api_as, users):
    body = api_as(users["officer_b"]).get("/api/v1/users/").json()
    assert [u["username"] for u in body["results"]] == ["officer_b"]


def test_token_from_username_and_password(api_as, officer_a):
    from tests.factories import TEST_PASSWORD

    client = api_as(None)
    response = client.post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/units/").status_code == 200


def test_schema_and_docs(client_as, api_as, officer_a):
    assert api_as(None).get("/api/schema/").status_code == 401
    schema = client_as(officer_a).get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/units/" in schema.content
    docs = client_as(officer_a).get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
