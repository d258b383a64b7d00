import pytest

pytestmark = pytest.mark.django_db


def nav_links(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('id="main-nav"') : html.index("</nav>")]


def test_officers_see_no_bureau_items(client_as, officer_a):
    nav = nav_links(client_as(officer_a))
    assert "首页" in nav
    assert "账号管理" not in nav and "单位管理" not in nav


def test_the_bureau_sees_management(client_as, bureau_user):
    nav = nav_links(client_as(bureau_user))
    assert "单位管理" in nav and "账号管理" in nav


def test_leaders_read_units_but_manage_no_accounts(client_as, leader):
    nav = nav_links(client_as(leader))
    assert "单位管理" in nav and "账号管理" not in nav


def test_english_is_one_switch_away_and_stays(client_as, officer_a):
    client = client_as(officer_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Home" in nav_links(client)
    assert "Units" not in nav_links(client)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "首页" in nav_links(client)


def test_home_grid(users, client_as):
    from tests.grid import LOGIN, check_grid

    check_grid(
        users,
        client_as,
        "/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
        ],
    )
    assert client_as(users["officer_a"]).get("/logout/").status_code == 405
    assert client_as(users["officer_a"]).post("/logout/").status_code == 302
