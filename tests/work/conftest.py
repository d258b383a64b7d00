"""A county for the work queue's tests on a fixed day (Wednesday 15 July 2026): unit A's
projects, its funds, blockers, leads, trips and orders, each made when a test asks."""

import datetime as dt

import pytest
import time_machine

from tests.factories import IndustryFactory, ProjectFactory

TODAY = dt.date(2026, 7, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def industry(db):
    return IndustryFactory(code="BIO", name="生物医药")


@pytest.fixture
def building(unit_a, industry):
    """Unit A's project under construction: it reports funds and completed investment."""
    return ProjectFactory(
        code="A-1",
        name="甲镇新材料产业园",
        unit=unit_a,
        industry=industry,
        stage="constructing",
        signed_on=dt.date(2026, 1, 10),
        started_on=dt.date(2026, 2, 1),
        contract_amount_wan=8000,
    )


@pytest.fixture
def stalled(unit_a, industry):
    """Signed on 1 March, agreed to start by 1 June, not started: stalled."""
    return ProjectFactory(
        code="A-9",
        name="甲镇迟迟未开工项目",
        unit=unit_a,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 3, 1),
        agreed_start_on=dt.date(2026, 6, 1),
        contract_amount_wan=3000,
    )


def by_kind(items):
    """The queue's items by kind (a kind seen twice: the list of them)."""
    found = {}
    for item in items:
        found.setdefault(item.kind, []).append(item)
    return {kind: group if len(group) > 1 else group[0] for kind, group in found.items()}
