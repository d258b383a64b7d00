"""A county for the supervision tests: unit A's stalled project, an overdue blocker, and
orders issued through the services on a fixed day (2026-07-15)."""

import datetime as dt

import pytest
import time_machine

from projects.models import Blocker
from supervision import services
from tests.factories import IndustryFactory, ProjectFactory
from tests.projects.conftest import pdf_upload

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
def stalled_project(unit_a, industry):
    """Signed on 1 March, agreed to start by 1 June, not started: stalled."""
    return ProjectFactory(
        code="A-1",
        name="甲镇新材料产业园",
        unit=unit_a,
        industry=industry,
        stage="signed",
        signed_on=dt.date(2026, 3, 1),
        agreed_start_on=dt.date(2026, 6, 1),
        contract_amount_wan=8000,
    )


@pytest.fixture
def project_b(unit_b, industry):
    return ProjectFactory(code="B-1", name="乙镇物流园", unit=unit_b, industry=industry)


@pytest.fixture
def overdue_blocker(stalled_project, unit_a):
    return Blocker.objects.create(
        project=stalled_project,
        category="land",
        description="用地指标未落实",
        owner_unit=unit_a,
        due_on=dt.date(2026, 7, 1),
    )


def issue(bureau_user, unit, **data):
    """An order issued by the bureau (about another matter unless told), due 25 July."""
    payload = {
        "unit": unit,
        "subject_kind": "other",
        "matter": "报送招商引资工作总结",
        "reason": "上半年总结未报送",
        "due_on": dt.date(2026, 7, 25),
        **data,
    }
    return services.order_issue(user=bureau_user, data=payload)


def answer(user, order, text="已完成整改", name="整改报告.pdf"):
    return services.order_answer(user=user, order=order, text=text, evidence=pdf_upload(name))


@pytest.fixture
def order(bureau_user, unit_a):
    return issue(bureau_user, unit_a)


@pytest.fixture
def answered(order, officer_a):
    answer(officer_a, order)
    order.refresh_from_db()
    return order
