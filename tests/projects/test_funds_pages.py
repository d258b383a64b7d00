import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import FundsRecord
from tests.factories import ProjectFactory
from tests.grid import LOGIN, check_grid
from tests.projects.conftest import PDF, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        yield


def signed_project(unit, industry, code, amount=8000, stage="signed"):
    return ProjectFactory(
        unit=unit,
        industry=industry,
        stage=stage,
        code=code,
        signed_on=dt.date(2026, 1, 10),
        contract_amount_wan=amount,
    )


@pytest.fixture
def record_a(officer_a, industry):
    project = signed_project(officer_a.unit, industry, "A-1")
    return services.funds_submit(
        user=officer_a,
        project=project,
        period=dt.date(2026, 10, 1),
        kind="funds",
        amount_wan=Decimal(300),
        evidence=pdf_upload(),
    )


def test_funds_pages_grid(users, client_as, record_a):
    check_grid(
        users,
        client_as,
        "/funds/entry/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("leader", "GET", 403),
            ("bureau", "GET", 200),
            ("officer_a", "PUT", 405),
        ],
    )
    for url in ["/funds/", "/funds/status/"]:
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
        users,
        client_as,
        "/funds/queue/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),
            ("leader", "GET", 403),
            ("bureau", "GET", 200),
        ],
    )
    check_grid(
        users,
        client_as,
        f"/funds/{record_a.pk}/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )
    check_grid(
        users,
        client_as,
        f"/files/evidence/{record_a.pk}/",
        [
            (None, "GET", LOGIN),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("officer_a", "POST", 405),
        ],
    )
    for action in ["edit", "correct"]:
        check_grid(
            users,
            client_as,
            f"/funds/{record_a.pk}/{action}/",
            [
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
            ],
        )
    for action in ["verify", "reject"]:
        check_grid(
            users,
            client_as,
            f"/funds/{record_a.pk}/{action}/",
            [
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
            ],
        )
    assert FundsRecord.objects.get().status == "submitted"


def test_the_officer_sees_neither_other_units_records_nor_their_evidence(
    client_as, officer_b, record_a
):
    ledger = client_as(officer_b).get("/funds/").content.decode()
    assert "A-1" not in ledger
    assert client_as(officer_b).get(f"/files/evidence/{record_a.pk}/").status_code == 404


def test_monthly_entry_saves_every_line_or_none(client_as, officer_a, industry):
    one = signed_project(officer_a.unit, industry, "A-1")
    two = signed_project(officer_a.unit, industry, "A-2", stage="constructing")
    client = client_as(officer_a)
    url = "/funds/entry/?period=2026-10"
    page = client.get(url).content.decode()
    assert "A-1" in page and "A-2" in page
    typed = {
        f"p{one.pk}-funds": "120.50",
        f"p{one.pk}-evidence": SimpleUploadedFile("回单.pdf", PDF),
        f"p{one.pk}-note": "首笔到位",
        f"p{two.pk}-funds": "6000",  # over 5000 in a month for a project under 1亿元
        f"p{two.pk}-evidence": SimpleUploadedFile("回单2.pdf", PDF),
        f"p{two.pk}-investment": "800",
    }
    response = client.post(url, typed)
    assert response.status_code == 200
    text = response.content.decode()
    assert "未保存任何记录" in text
    assert "项目不足 1 亿元，单月到位资金超过 5000 万元。" in text
    assert 'value="120.50"' in text and 'value="首笔到位"' in text  # kept as typed
    assert not FundsRecord.objects.exists()
    typed[f"p{one.pk}-evidence"] = SimpleUploadedFile("回单.pdf", PDF)
    typed[f"p{two.pk}-evidence"] = SimpleUploadedFile("回单2.pdf", PDF)
    typed[f"p{two.pk}-confirm"] = "on"
    response = client.post(url, typed)
    assert response.status_code == 302
    records = {(r.project.code, r.kind): r for r in FundsRecord.objects.select_related("project")}
    assert records[("A-1", "funds")].amount_wan == Decimal("120.50")
    assert records[("A-2", "funds")].flagged
    assert records[("A-2", "investment")].amount_wan == 800
    assert all(r.status == "submitted" for r in records.values())


def test_a_month_in_two_sittings(client_as, officer_a, industry):
    one = signed_project(officer_a.unit, industry, "A-1")
    two = signed_project(officer_a.unit, industry, "A-2")
    client = client_as(officer_a)
    url = "/funds/entry/?period=2026-10"
    client.post(
        url, {f"p{one.pk}-funds": "100", f"p{one.pk}-evidence": SimpleUploadedFile("a.pdf", PDF)}
    )
    page = client.get(url).content.decode()
    assert 'value="100.00"' in page
    version = FundsRecord.objects.get().version
    client.post(
        url,
        {
            f"p{one.pk}-funds": "100.00",
            f"p{one.pk}-funds_version": version,
            f"p{two.pk}-funds": "50",
            f"p{two.pk}-evidence": SimpleUploadedFile("b.pdf", PDF),
        },
    )
    assert sorted(FundsRecord.objects.values_list("amount_wan", flat=True)) == [50, 100]


def test_a_returned_record_shows_its_reason_to_the_unit(
    client_as, officer_a, bureau_user, record_a
):
    services.funds_reject(record=record_a, user=bureau_user, reason="回单日期不在本月")
    page = client_as(officer_a).get("/funds/entry/?period=2026-10").content.decode()
    assert "回单日期不在本月" in page


def test_the_bureau_verifies_selected_records_together(client_as, bureau_user, officer_a, industry):
    projects = [signed_project(officer_a.unit, industry, f"A-{i}") for i in range(3)]
    records = [
        services.funds_submit(
            user=officer_a,
            project=p,
            period=dt.date(2026, 10, 1),
            kind="funds",
            amount_wan=Decimal(100),
            evidence=pdf_upload(),
        )
        for p in projects
    ]
    client = client_as(bureau_user)
    client.post("/funds/verify/", {"selected": [records[0].pk, records[1].pk], "action": "verify"})
    client.post(
        "/funds/verify/", {"selected": [records[2].pk], "action": "reject", "reason": "凭证缺页"}
    )
    statuses = dict(FundsRecord.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in records] == ["verified", "verified", "rejected"]


@pytest.mark.parametrize(
    "url",
    [
        "/funds/entry/?period=2026-10",
        "/funds/queue/?period=2026-10",
        "/funds/?period=2026-10",
        "/funds/status/?period=2026-10",
    ],
)
def test_funds_page_query_counts_do_not_grow(client_as, officer_a, bureau_user, industry, url):
    client = client_as(bureau_user if "queue" in url else officer_a)

    def add(n, start):
        for i in range(start, start + n):
            project = signed_project(officer_a.unit, industry, f"Q-{i}", amount=100000)
            FundsRecord.objects.create(
                project=project,
                period=dt.date(2026, 10, 1),
                kind="funds",
                amount_wan=10,
                submitted_by=officer_a,
            )

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(3, 0)
    few = count()
    add(40, 3)
    assert count() == few
