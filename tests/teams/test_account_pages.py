import pytest

from teams.models import User
from tests.factories import TEST_PASSWORD
from tests.grid import LOGIN, check_grid

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "username": "new_officer",
    "full_name": "新专员",
    "role": "officer",
    "phone": "13800000000",
    "email": "",
    "password1": "Qingshan-county-2026",
    "password2": "Qingshan-county-2026",
}


def test_account_list_grid(users, client_as):
    check_grid(
        users,
        client_as,
        "/accounts/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )


def test_officer_lists_only_their_units_accounts(client_as, officer_a, officer_b, unit_head_a):
    page = client_as(officer_b).get("/accounts/").content.decode()
    assert "officer_b" in page
    assert "officer_a" not in page and "head_a" not in page


def test_account_detail_grid(users, client_as):
    url = f"/accounts/{users['officer_a'].pk}/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("bureau", "POST", 405),
        ],
    )


def test_account_create_grid(users, client_as, unit_a):
    check_grid(
        users,
        client_as,
        "/accounts/new/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("unit_head_a", "GET", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("bureau", "PUT", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        "/accounts/new/",
        [("bureau", "POST", 302)],
        data={**NEW_ACCOUNT, "unit": unit_a.pk},
    )
    account = User.objects.get(username="new_officer")
    assert account.unit == unit_a
    assert account.check_password("Qingshan-county-2026")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-1", "此密码太短，至少要包含 10 个字符。"),
        ("password123", "这个密码太常见了。"),
        ("3141592653589", "密码只包含数字。"),
    ],
)
def test_new_account_password_is_validated(client_as, bureau_user, unit_a, password, message):
    data = {**NEW_ACCOUNT, "unit": unit_a.pk, "password1": password, "password2": password}
    response = client_as(bureau_user).post("/accounts/new/", data)
    assert response.status_code == 200
    assert f"密码：{message}" in response.content.decode()
    assert not User.objects.filter(username="new_officer").exists()


def test_account_needs_a_unit_and_bureau_role_needs_the_bureau(client_as, bureau_user, unit_a):
    client = client_as(bureau_user)
    response = client.post("/accounts/new/", {**NEW_ACCOUNT, "unit": ""})
    assert "单位：该字段是必填项。" in response.content.decode()
    response = client.post("/accounts/new/", {**NEW_ACCOUNT, "unit": unit_a.pk, "role": "bureau"})
    assert "单位：招商局角色的账号必须属于招商局。" in response.content.decode()
    assert not User.objects.filter(username="new_officer").exists()


def test_account_update_grid(users, client_as):
    target = users["officer_a"]
    url = f"/accounts/{target.pk}/edit/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 403),  # accounts are managed by the bureau, even one's own
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("bureau", "DELETE", 405),
        ],
    )
    data = {
        "username": "officer_a",
        "full_name": "甲专员（改）",
        "role": "unit_head",
        "unit": target.unit_id,
        "phone": "",
        "email": "",
    }
    check_grid(users, client_as, url, [("bureau", "POST", 302)], data=data)
    target.refresh_from_db()
    assert (target.full_name, target.role) == ("甲专员（改）", "unit_head")


def test_account_deactivate_grid(users, client_as, officer_a):
    url = f"/accounts/{officer_a.pk}/active/"
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "POST", LOGIN),
            ("officer_b", "POST", 404),
            ("unit_head_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
            ("bureau", "POST", 302),
        ],
    )
    officer_a.refresh_from_db()
    assert not officer_a.is_active
    # A deactivated account cannot log in.
    response = client_as(None).post("/login/", {"username": "officer_a", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "用户名" in response.content.decode()


def test_password_reset_grid(users, client_as, officer_a):
    url = f"/accounts/{officer_a.pk}/password/"
    new = {"password1": "Fresh-password-2026", "password2": "Fresh-password-2026"}
    check_grid(
        users,
        client_as,
        url,
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("bureau", "GET", 200),
            ("bureau", "DELETE", 405),
        ],
        data=None,
    )
    check_grid(users, client_as, url, [("bureau", "POST", 302)], data=new)
    officer_a.refresh_from_db()
    assert officer_a.check_password("Fresh-password-2026")


def test_password_reset_refuses_mismatch(client_as, bureau_user, officer_a):
    response = client_as(bureau_user).post(
        f"/accounts/{officer_a.pk}/password/",
        {"password1": "Fresh-password-2026", "password2": "Other-password-2026"},
    )
    assert "确认密码：两次输入的密码不一致。" in response.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password(TEST_PASSWORD)


def test_own_password_change(client_as, officer_a):
    client = client_as(officer_a)
    assert client.get("/password/").status_code == 200
    response = client.post(
        "/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "My-new-password-77",
            "new_password2": "My-new-password-77",
        },
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("My-new-password-77")
    assert client_as(None).get("/password/").status_code == 302
