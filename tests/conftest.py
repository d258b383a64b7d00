"""Fixed users per role and unit, clients logged in as each, and a real Celery worker."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import Role
from teams.choices import UnitKind
from tests.factories import UnitFactory, UserFactory

pytest_plugins = ("celery.contrib.pytest",)


@pytest.fixture
def bureau_unit(db):
    return UnitFactory(code="ZSJ", name="县投资促进局", kind=UnitKind.BUREAU)


@pytest.fixture
def unit_a(db):
    return UnitFactory(code="UA", name="甲镇", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def unit_b(db):
    return UnitFactory(code="UB", name="乙镇", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def officer_a(unit_a):
    return UserFactory(username="officer_a", full_name="甲专员", role=Role.OFFICER, unit=unit_a)


@pytest.fixture
def officer_b(unit_b):
    return UserFactory(username="officer_b", full_name="乙专员", role=Role.OFFICER, unit=unit_b)


@pytest.fixture
def unit_head_a(unit_a):
    return UserFactory(username="head_a", full_name="甲镇长", role=Role.UNIT_HEAD, unit=unit_a)


@pytest.fixture
def bureau_user(bureau_unit):
    return UserFactory(username="bureau", full_name="招商局员", role=Role.BUREAU, unit=bureau_unit)


@pytest.fixture
def leader(bureau_unit):
    return UserFactory(username="leader", full_name="县领导", role=Role.LEADER, unit=bureau_unit)


@pytest.fixture
def users(officer_a, officer_b, unit_head_a, bureau_user, leader):
    """Every role by the name the permission grids use."""
    return {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "unit_head_a": unit_head_a,
        "bureau": bureau_user,
        "leader": leader,
    }


def login_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def client_as():
    """client_as(user) → a page client logged in as user (None → anonymous)."""
    return lambda user: login_client(user) if user is not None else Client()


@pytest.fixture
def api_as():
    """api_as(user) → an API client authenticated by token (None → anonymous)."""
    return lambda user: token_client(user) if user is not None else APIClient()


# --- Celery: a real worker thread on the real Redis broker ------------------------------


@pytest.fixture(scope="session")
def celery_app():
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task)

    from config.celery import app

    return app


@pytest.fixture(scope="session")
def celery_worker_parameters():
    return {"perform_ping_check": False, "queues": ("celery",)}
