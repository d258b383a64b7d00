import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessLog
from django.test import Client
from django.utils import timezone

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOCK_MESSAGE = "该账号连续 5 次登录失败，已锁定 30 分钟。"


def log_in(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def test_login_page_is_chinese_and_logs_in(officer_a):
    client = Client()
    page = client.get("/login/").content.decode()
    assert "登录" in page and "用户名" in page and "密码" in page
    response = log_in(client, "officer_a", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_message(officer_a):
    response = log_in(Client(), "officer_a", "not-the-password")
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码。" in response.content.decode()


def test_five_failures_lock_the_username_for_30_minutes(officer_a, officer_b):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert log_in(Client(), "officer_a", "wrong-password").status_code == 200
        fifth = log_in(Client(), "officer_a", "wrong-password")
        assert fifth.status_code == 403
        assert LOCK_MESSAGE in fifth.content.decode()
        # Even the right password is refused while locked ...
        locked = log_in(Client(), "officer_a", TEST_PASSWORD)
        assert locked.status_code == 403
        assert LOCK_MESSAGE in locked.content.decode()
        # ... and only that username is locked.
        assert log_in(Client(), "officer_b", TEST_PASSWORD).status_code == 302
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert is_locked("officer_a")
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert not is_locked("officer_a")
        assert log_in(Client(), "officer_a", TEST_PASSWORD).status_code == 302


def is_locked(username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler
    from django.test import RequestFactory

    request = RequestFactory().post("/login/")
    request.axes_attempt_time = timezone.now()
    request.axes_ip_address = "127.0.0.1"
    request.axes_user_agent = ""
    request.axes_path_info = "/login/"
    request.axes_http_accept = ""
    return AxesProxyHandler.is_locked(request, {"username": username})


def test_four_failures_do_not_lock(officer_a):
    for _ in range(4):
        log_in(Client(), "officer_a", "wrong-password")
    assert log_in(Client(), "officer_a", TEST_PASSWORD).status_code == 302


def test_the_token_endpoint_shares_the_lockout(officer_a):
    from rest_framework.test import APIClient

    client = APIClient()
    for _ in range(5):
        client.post(
            "/api/v1/auth/token/", {"username": "officer_a", "password": "bad"}, format="json"
        )
    response = client.post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 403
    assert LOCK_MESSAGE in response.json()["detail"]
    assert log_in(Client(), "officer_a", TEST_PASSWORD).status_code == 403


def test_every_login_attempt_is_logged(officer_a):
    log_in(Client(), "officer_a", "wrong-password")
    log_in(Client(), "officer_a", TEST_PASSWORD)
    from axes.models import AccessFailureLog

    assert AccessFailureLog.objects.filter(username="officer_a").count() == 1
    assert AccessLog.objects.filter(username="officer_a").count() == 1


def test_a_new_session_on_login(officer_a):
    client = Client()
    client.get("/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    log_in(client, "officer_a", TEST_PASSWORD)
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"


def test_session_ends_after_30_idle_minutes(officer_a):
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        log_in(client, "officer_a", TEST_PASSWORD)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/").status_code == 200  # 29 minutes after the last request
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and "/login/" in response["Location"]
        page = client.get(response["Location"]).content.decode()
        assert "会话已过期，请重新登录。" in page


def test_session_ends_12_hours_after_login_however_active(officer_a):
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        log_in(client, "officer_a", TEST_PASSWORD)
    minutes = 0
    while minutes < 12 * 60 - 20:
        minutes += 20
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_security_headers_and_csp(client_as, officer_a):
    response = client_as(officer_a).get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(client_as, bureau_user, unit_a):
    client = client_as(bureau_user)
    for url in ["/", "/units/", f"/units/{unit_a.pk}/", "/accounts/", "/accounts/new/", "/login/"]:
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {url}"
        assert " onclick=" not in html and " onload=" not in html


def test_admin_is_for_superusers_only(client_as, bureau_user):
    response = client_as(bureau_user).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True, unit=None)
    assert client_as(root).get("/admin/").status_code == 200


def test_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "zhaoshang.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_bureau_lifts_a_lockout(client_as, users, officer_a):
    for _ in range(5):
        log_in(Client(), "officer_a", "wrong-password")
    assert log_in(Client(), "officer_a", TEST_PASSWORD).status_code == 403
    from tests.grid import check_grid

    check_grid(
        users,
        client_as,
        f"/accounts/{officer_a.pk}/unlock/",
        [
            ("officer_b", "POST", 404),
            ("leader", "POST", 403),
            ("bureau", "GET", 405),
            ("bureau", "POST", 302),
        ],
    )
    assert log_in(Client(), "officer_a", TEST_PASSWORD).status_code == 302
