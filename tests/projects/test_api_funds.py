"""/api/v1/funds/: permission grids, the rules of funds_submit through the API, the
confirmation of amounts out of the ordinary, verification and return, corrections,
immutability, optimistic locking, evidence uploads, filters and flat query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from core.periods import add_months, current_period, format_period
from projects import services
from projects.choices import FundsKind, FundsStatus, Stage
from projects.models import FundsRecord
from tests.factories import ProjectFactory
from tests.grid import check_grid
from tests.projects.conftest import PDF, PNG

pytestmark = pytest.mark.django_db

FUNDS = "/api/v1/funds/"
TODAY = timezone.localdate()
THIS_MONTH = current_period()
LAST_MONTH = add_months(THIS_MONTH, -1)


def month(offset: int) -> str:
    """This month moved by `offset` months, as the API writes it."""
    return format_period(add_months(THIS_MONTH, offset))


def detail(record) -> str:
    return f"{FUNDS}{record.pk}/"


def pdf(name: str = "银行回单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def project(unit_a, industry):
    """A project of unit A under construction (it reports funds and investment),
    with a contract of 8000 万元: under 1亿元."""
    return ProjectFactory(
        unit=unit_a,
        industry=industry,
        name="甲镇新材料产业园",
        stage=Stage.CONSTRUCTING,
        signed_on=TODAY - dt.timedelta(days=200),
        started_on=TODAY - dt.timedelta(days=150),
        contract_amount_wan=8000,
    )


@pytest.fixture
def record(project, officer_a):
    """Last month's funds in place, submitted by unit A with a bank statement."""
    return services.funds_submit(
        user=officer_a,
        project=project,
        period=LAST_MONTH,
        kind=FundsKind.FUNDS,
        amount_wan=Decimal("1200"),
        note="首期到位",
        evidence=pdf(),
    )


@pytest.fixture
def verified(record, bureau_user):
    return services.funds_verify(record=record, user=bureau_user)


def new_record(project, **fields):
    data = {
        "project": project.pk,
        "period": month(-1),
        "kind": "investment",
        "amount_wan": "300.00",
        "note": "厂房主体施工",
    }
    data.update(fields)
    return data


def submit(client, data, *, evidence=None):
    """POSTs a record: multipart when a file goes with it, else JSON."""
    if evidence is not None:
        return client.post(FUNDS, {**data, "evidence": evidence}, format="multipart")
    return client.post(FUNDS, data, format="json")


# --- Grids -----------------------------------------------------------------------------


def test_funds_list_grid(users, api_as, project, record):
    check_grid(
        users,
        api_as,
        FUNDS,
        [
            (None, "GET", 401),
            ("officer_b", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("officer_a", "GET", 200),
            ("officer_a", "DELETE", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        FUNDS,
        [
            (None, "POST", 401),
            ("leader", "POST", 403),
            ("officer_a", "PUT", 405),
            ("officer_a", "PATCH", 405),
            ("officer_a", "POST", 201),
        ],
        api=True,
        data=new_record(project),
    )
    created = FundsRecord.objects.get(kind=FundsKind.INVESTMENT)
    assert (created.project, created.period, created.amount_wan) == (
        project,
        LAST_MONTH,
        Decimal("300"),
    )
    assert (created.status, created.submitted_by) == (FundsStatus.SUBMITTED, users["officer_a"])
    # Another unit's officer lists none of unit A's records; the leader reads them all.
    assert api_as(users["officer_b"]).get(FUNDS).json()["count"] == 0
    assert api_as(users["leader"]).get(FUNDS).json()["count"] == 2


def test_funds_detail_grid(users, api_as, record):
    check_grid(
        users,
        api_as,
        detail(record),
        [
            (None, "GET", 401),
            (None, "PATCH", 401),
            ("officer_b", "GET", 404),
            ("officer_b", "PATCH", 404),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "PATCH", 403),
            ("leader", "PUT", 403),
            ("officer_a", "DELETE", 405),
            ("bureau", "DELETE", 405),
            ("unit_head_a", "PATCH", 200),
        ],
        api=True,
        data={"amount_wan": "1250", "version": 1},
    )
    record.refresh_from_db()
    assert (record.amount_wan, record.version) == (Decimal("1250"), 2)
    assert record.submitted_by == users["unit_head_a"]
    assert FundsRecord.objects.count() == 1


def test_verify_grid(users, api_as, record):
    check_grid(
        users,
        api_as,
        f"{detail(record)}verify/",
        [
            (None, "POST", 401),
            ("officer_b", "POST", 404),
            ("leader", "POST", 403),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("officer_a", "GET", 405),
            ("bureau", "GET", 405),
            ("bureau", "PUT", 405),
            ("bureau", "POST", 200),
        ],
        api=True,
    )
    record.refresh_from_db()
    assert record.status == FundsStatus.VERIFIED
    assert record.verified_by == users["bureau"]


def test_reject_grid(users, api_as, record):
    check_grid(
        users,
        api_as,
        f"{detail(record)}reject/",
        [
            (None, "POST", 401),
            ("officer_b", "POST", 404),
            ("leader", "POST", 403),
            ("officer_a", "POST", 403),
            ("unit_head_a", "POST", 403),
            ("bureau", "GET", 405),
            ("bureau", "POST", 200),
        ],
        api=True,
        data={"reason": "回单金额与申报不符"},
    )
    record.refresh_from_db()
    assert (record.status, record.reject_reason) == (FundsStatus.REJECTED, "回单金额与申报不符")


def test_cooperating_unit_reads_but_does_not_write(users, api_as, project, record, unit_b):
    project.cooperating_units.set([unit_b])
    check_grid(
        users,
        api_as,
        detail(record),
        [("officer_b", "GET", 200), ("officer_b", "PATCH", 403)],
        api=True,
        data={"amount_wan": "1", "version": 1},
    )
    assert [row["id"] for row in api_as(users["officer_b"]).get(FUNDS).json()["results"]] == [
        record.pk
    ]
    response = api_as(users["officer_b"]).post(FUNDS, new_record(project), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"project"}


# --- Fields and validation -------------------------------------------------------------


def test_fields_follow_the_contract(api_as, officer_a, bureau_user, unit_a, project, record):
    row = api_as(officer_a).get(detail(record)).json()
    assert set(row) >= {
        "id",
        "project",
        "period",
        "kind",
        "amount_wan",
        "evidence",
        "note",
        "corrects",
        "status",
        "flagged",
        "reject_reason",
        "flag_reasons",
        "unit",
        "submitted_by",
        "verified_by",
        "verified_at",
        "version",
    }
    assert "confirm" not in row  # write-only
    assert row["project"] == project.pk
    assert row["unit"] == unit_a.pk
    assert row["period"] == month(-1)
    assert (row["kind"], row["amount_wan"], row["note"]) == ("funds", "1200.00", "首期到位")
    assert row["evidence"] == "http://testserver" + reverse(
        "protected-file", args=["evidence", record.pk]
    )
    assert (row["status"], row["flagged"], row["reject_reason"]) == ("submitted", False, "")
    assert (row["submitted_by"], row["verified_by"], row["verified_at"]) == (
        officer_a.pk,
        None,
        None,
    )
    assert (row["corrects"], row["version"]) == (None, 1)

    # Fields the service decides are refused by name when sent, and nothing is saved.
    before = FundsRecord.objects.count()
    response = api_as(officer_a).post(
        FUNDS,
        new_record(project, status="verified", flagged=True, version=7, verified_by=bureau_user.pk),
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert set(response.json()) == {"status", "flagged", "verified_by"}
    assert "不在此填写" in response.json()["status"][0]
    assert FundsRecord.objects.count() == before
    # Sent back as they stand (a client echoing what it read), they are harmless.
    response = api_as(officer_a).post(
        FUNDS, new_record(project, status="submitted", flagged=False, version=7), format="json"
    )
    assert response.status_code == 201, response.json()
    row = response.json()
    assert (row["status"], row["flagged"], row["version"], row["verified_by"]) == (
        "submitted",
        False,
        1,
        None,
    )
    assert row["evidence"] is None


def test_a_future_month_is_refused(api_as, officer_a, project):
    client = api_as(officer_a)
    response = submit(client, new_record(project, period=month(1)))
    assert response.status_code == 400
    assert set(response.json()) == {"period"}
    for bad in ["2026-13", "2026-3", "2026/03", "", "next month"]:
        response = submit(client, new_record(project, period=bad))
        assert response.status_code == 400, bad
        assert set(response.json()) == {"period"}, bad
    response = submit(client, new_record(project, period=month(0)))
    assert response.status_code == 201
    assert response.json()["period"] == month(0)
    assert not FundsRecord.objects.filter(period__gt=THIS_MONTH).exists()


def test_amounts_have_two_decimals_and_are_not_negative(api_as, officer_a, project):
    client = api_as(officer_a)
    response = submit(client, new_record(project, amount_wan="12.345"))
    assert response.status_code == 400
    assert set(response.json()) == {"amount_wan"}
    response = submit(client, new_record(project, amount_wan="-5"))
    assert response.status_code == 400
    assert set(response.json()) == {"amount_wan"}
    response = submit(client, new_record(project, amount_wan="12.34"))
    assert response.status_code == 201
    assert response.json()["amount_wan"] == "12.34"
    assert FundsRecord.objects.count() == 1


def test_the_project_must_be_live_and_the_users(api_as, officer_a, unit_a, unit_b, industry):
    negotiating = ProjectFactory(unit=unit_a, industry=industry, stage=Stage.NEGOTIATING)
    response = submit(api_as(officer_a), new_record(negotiating, kind="funds", amount_wan="0"))
    assert response.status_code == 400
    assert set(response.json()) == {"project"}
    # Investment is reported only once a project has started.
    signed = ProjectFactory(
        unit=unit_a, industry=industry, stage=Stage.SIGNED, signed_on=TODAY, contract_amount_wan=1
    )
    response = submit(api_as(officer_a), new_record(signed))
    assert response.status_code == 400
    assert set(response.json()) == {"project"}
    # Another unit's project is out of reach, like an unknown id.
    elsewhere = ProjectFactory(unit=unit_b, industry=industry, stage=Stage.CONSTRUCTING)
    for project_id in [elsewhere.pk, 999999]:
        response = api_as(officer_a).post(
            FUNDS, {**new_record(elsewhere), "project": project_id}, format="json"
        )
        assert response.status_code == 400
        assert set(response.json()) == {"project"}
    assert not FundsRecord.objects.exists()


def test_funds_in_place_need_evidence(api_as, officer_a, project):
    client = api_as(officer_a)
    response = submit(client, new_record(project, kind="funds", amount_wan="500"))
    assert response.status_code == 400
    assert set(response.json()) == {"evidence"}
    response = submit(client, new_record(project, kind="funds", amount_wan="500"), evidence=pdf())
    assert response.status_code == 201


def test_one_record_per_month_and_kind(api_as, officer_a, project, record):
    response = submit(api_as(officer_a), new_record(project, kind="funds"), evidence=pdf())
    assert response.status_code == 400
    assert FundsRecord.objects.count() == 1


# --- Amounts out of the ordinary -------------------------------------------------------


def test_a_large_month_needs_confirmation(api_as, officer_a, project):
    """Over 5000 万元 in one month for a project under 1亿元."""
    client = api_as(officer_a)
    data = new_record(project, kind="funds", amount_wan="6000")
    response = submit(client, data, evidence=pdf())
    assert response.status_code == 400
    assert set(response.json()) == {"amount_wan"}
    assert len(response.json()["amount_wan"]) == 1
    assert not FundsRecord.objects.exists()

    response = submit(client, {**data, "confirm": "true"}, evidence=pdf())
    assert response.status_code == 201, response.json()
    row = response.json()
    assert row["flagged"] is True
    assert row["flag_reasons"]
    assert row["status"] == "submitted"
    assert FundsRecord.objects.get(pk=row["id"]).flagged


def test_funds_above_the_contract_need_confirmation(api_as, officer_a, project, verified):
    """1200 verified + 7000 this month > 8000 contracted (and 7000 > 5000): two reasons."""
    client = api_as(officer_a)
    data = new_record(project, period=month(0), kind="funds", amount_wan="7000")
    response = submit(client, data, evidence=pdf())
    assert response.status_code == 400
    assert set(response.json()) == {"amount_wan"}
    assert len(response.json()["amount_wan"]) == 2
    # JSON is fine too once the evidence is attached; confirm=true accepts the amount.
    response = submit(client, {**data, "confirm": True}, evidence=pdf())
    assert response.status_code == 201
    assert response.json()["flagged"] is True

    # Under the contract and the monthly limit: no confirmation, no flag.
    small = ProjectFactory(
        unit=project.unit, stage=Stage.SIGNED, signed_on=TODAY, contract_amount_wan=20000
    )
    response = submit(client, new_record(small, kind="funds", amount_wan="6000"), evidence=pdf())
    assert response.status_code == 201
    assert response.json()["flagged"] is False


def test_a_change_of_a_flagged_amount_is_confirmed_again(api_as, officer_a, project):
    client = api_as(officer_a)
    data = new_record(project, kind="funds", amount_wan="6000", confirm="true")
    row = submit(client, data, evidence=pdf()).json()
    response = client.patch(
        f"{FUNDS}{row['id']}/", {"amount_wan": "6500", "version": row["version"]}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"amount_wan"}
    response = client.patch(
        f"{FUNDS}{row['id']}/", {"amount_wan": "600", "version": row["version"]}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["flagged"], response.json()["flag_reasons"]) == (False, "")


# --- Verification and return -----------------------------------------------------------


def test_verify_and_reject_flow(api_as, officer_a, bureau_user, record):
    bureau, unit = api_as(bureau_user), api_as(officer_a)
    response = bureau.post(f"{detail(record)}reject/", {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"reason"}
    response = bureau.post(f"{detail(record)}reject/", {}, format="json")
    assert set(response.json()) == {"reason"}

    response = bureau.post(
        f"{detail(record)}reject/", {"reason": "缺少银行回单原件"}, format="json"
    )
    assert response.status_code == 200
    row = response.json()
    assert (row["status"], row["reject_reason"]) == ("rejected", "缺少银行回单原件")
    row = unit.get(detail(record)).json()
    assert (row["status"], row["reject_reason"], row["version"]) == (
        "rejected",
        "缺少银行回单原件",
        1,
    )
    # A returned record cannot be verified until the unit sends it back.
    assert bureau.post(f"{detail(record)}verify/").status_code == 400

    response = unit.patch(
        detail(record),
        {"amount_wan": "1150", "note": "补充回单", "version": 1, "evidence": pdf("回单原件.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    row = response.json()
    assert (row["status"], row["reject_reason"], row["amount_wan"], row["version"]) == (
        "submitted",
        "",
        "1150.00",
        2,
    )
    assert unit.get(FUNDS, {"status": "submitted"}).json()["count"] == 1

    response = bureau.post(f"{detail(record)}verify/")
    assert response.status_code == 200
    row = response.json()
    assert (row["status"], row["verified_by"]) == ("verified", bureau_user.pk)
    assert row["verified_at"] is not None
    # Decided once: neither verified nor returned again.
    assert bureau.post(f"{detail(record)}verify/").status_code == 400
    response = bureau.post(f"{detail(record)}reject/", {"reason": "重复"}, format="json")
    assert response.status_code == 400
    record.refresh_from_db()
    assert record.status == FundsStatus.VERIFIED


# --- Verified records, corrections, optimistic locking ---------------------------------


def test_a_verified_record_never_changes(api_as, officer_a, bureau_user, verified):
    before = FundsRecord.objects.values().get(pk=verified.pk)
    for client in [api_as(officer_a), api_as(bureau_user)]:
        response = client.patch(
            detail(verified), {"amount_wan": "1", "version": verified.version}, format="json"
        )
        assert response.status_code == 400
        response = client.put(
            detail(verified),
            new_record(verified.project, kind="funds", amount_wan="1", version=verified.version),
            format="json",
        )
        assert response.status_code == 400
    assert FundsRecord.objects.values().get(pk=verified.pk) == before


def test_identity_fields_are_fixed_once_submitted(api_as, officer_a, record):
    client = api_as(officer_a)
    response = client.patch(
        detail(record), {"period": month(-2), "kind": "investment", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"period", "kind"}
    # Sending them unchanged is fine (PUT sends everything).
    response = client.put(
        detail(record),
        new_record(record.project, kind="funds", amount_wan="1300", version=1),
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["amount_wan"] == "1300.00"
    assert response.json()["note"] == "厂房主体施工"


def test_a_correction_of_a_verified_record(api_as, officer_a, project, verified):
    client = api_as(officer_a)
    correction = new_record(
        project, kind="funds", amount_wan="-200", corrects=verified.pk, note="回单重复入账"
    )
    response = submit(client, {**correction, "note": ""})
    assert response.status_code == 400
    assert set(response.json()) == {"note"}

    response = submit(client, correction)
    assert response.status_code == 201, response.json()
    row = response.json()
    assert (row["amount_wan"], row["corrects"], row["status"]) == (
        "-200.00",
        verified.pk,
        "submitted",
    )
    assert row["flagged"] is False
    assert FundsRecord.objects.get(pk=row["id"]).corrects == verified
    verified.refresh_from_db()
    assert verified.amount_wan == Decimal("1200")

    # Only a verified record of the same kind is corrected.
    unverified = FundsRecord.objects.get(pk=row["id"])
    response = submit(client, {**correction, "corrects": unverified.pk})
    assert response.status_code == 400
    assert set(response.json()) == {"corrects"}
    response = submit(client, {**correction, "kind": "investment"})
    assert response.status_code == 400
    assert set(response.json()) == {"corrects"}


def test_optimistic_locking(api_as, officer_a, unit_head_a, record):
    first, second = api_as(officer_a), api_as(unit_head_a)
    assert first.get(detail(record)).json()["version"] == 1
    assert second.get(detail(record)).json()["version"] == 1

    response = first.patch(detail(record), {"amount_wan": "1210", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    response = second.patch(detail(record), {"amount_wan": "1220", "version": 1}, format="json")
    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"]
    record.refresh_from_db()
    assert (record.amount_wan, record.version) == (Decimal("1210"), 2)

    # A change must say which version it read.
    response = second.patch(detail(record), {"amount_wan": "1220"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"version"}
    response = second.patch(detail(record), {"amount_wan": "1220", "version": 2}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 3


# --- Evidence --------------------------------------------------------------------------


def test_evidence_upload_is_checked_by_content(api_as, client_as, officer_a, officer_b, project):
    client = api_as(officer_a)
    data = new_record(project, kind="funds", amount_wan="800")
    response = submit(client, data, evidence=SimpleUploadedFile("回单.pdf", PNG))
    assert response.status_code == 400
    assert set(response.json()) == {"evidence"}
    response = submit(client, data, evidence=SimpleUploadedFile("回单.exe", b"MZ" + PDF))
    assert response.status_code == 400
    assert set(response.json()) == {"evidence"}
    assert not FundsRecord.objects.exists()

    response = submit(client, data, evidence=pdf())
    assert response.status_code == 201, response.json()
    row = response.json()
    url = reverse("protected-file", args=["evidence", row["id"]])
    assert row["evidence"] == f"http://testserver{url}"
    record = FundsRecord.objects.get(pk=row["id"])
    assert record.evidence_type == "application/pdf"
    with record.evidence.open("rb") as handle:
        assert handle.read() == PDF
    # The link is access-checked: the unit reads it, another unit does not.
    response = client_as(officer_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client_as(officer_b).get(url).status_code == 404


# --- Lists -----------------------------------------------------------------------------


def test_filters_and_pagination(api_as, bureau_user, officer_a, unit_a, unit_b, industry):
    projects = {
        unit: ProjectFactory(
            unit=unit,
            industry=industry,
            name=f"{unit.name}智能制造项目",
            stage=Stage.CONSTRUCTING,
            contract_amount_wan=50000,
        )
        for unit in (unit_a, unit_b)
    }
    for offset in range(3):
        for project in projects.values():
            FundsRecord.objects.create(
                project=project,
                period=add_months(THIS_MONTH, -offset),
                kind=FundsKind.INVESTMENT,
                amount_wan=Decimal(100 * (offset + 1)),
                submitted_by=officer_a,
            )
    FundsRecord.objects.filter(project=projects[unit_b], period=THIS_MONTH).update(
        status=FundsStatus.VERIFIED, flagged=True, note="大额"
    )
    client = api_as(bureau_user)

    body = client.get(FUNDS, {"page_size": 4}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], len(body["results"]), body["previous"]) == (6, 4, None)
    assert "page=2" in body["next"]
    body = client.get(body["next"]).json()
    assert (len(body["results"]), body["next"]) == (2, None)
    assert body["previous"] is not None

    def ids(**params):
        response = client.get(FUNDS, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert len(ids(unit=unit_a.pk)) == 3
    assert len(ids(project=projects[unit_b].pk)) == 3
    assert len(ids(period=month(0))) == 2
    assert len(ids(period_after=month(-1))) == 4
    assert len(ids(period_before=month(-1))) == 4
    assert len(ids(period_after=month(-1), period_before=month(-1))) == 2
    assert ids(kind="funds") == []
    assert len(ids(status="verified")) == 1
    assert ids(flagged="true") == ids(status="verified")
    assert ids(search="大额") == ids(status="verified")
    assert len(ids(search="乙镇")) == 3
    amounts = [
        row["amount_wan"] for row in client.get(FUNDS, {"ordering": "amount_wan"}).json()["results"]
    ]
    assert amounts == sorted(amounts, key=Decimal)
    assert client.get(FUNDS, {"kind": "gold"}).status_code == 400
    # An officer filters within what they see only.
    assert api_as(officer_a).get(FUNDS, {"unit": unit_b.pk}).json()["count"] == 0


def test_list_query_count_does_not_grow(api_as, officer_a, unit_a, unit_b, industry):
    client = api_as(officer_a)
    projects = [
        ProjectFactory(unit=unit_a, industry=industry, stage=Stage.CONSTRUCTING) for _ in range(10)
    ]
    projects[0].cooperating_units.set([unit_b])

    def add(months: range):
        for offset in months:
            for project in projects[:9]:
                FundsRecord.objects.create(
                    project=project,
                    period=add_months(THIS_MONTH, -offset),
                    kind=FundsKind.FUNDS,
                    amount_wan=Decimal("10"),
                    evidence=f"funds/{project.pk}/回单.pdf",
                    submitted_by=officer_a,
                )

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(FUNDS, {"page_size": 100})
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    for project in projects[:5]:
        FundsRecord.objects.create(
            project=project, period=THIS_MONTH, kind=FundsKind.INVESTMENT, amount_wan=1
        )
    client.get(FUNDS)  # warm-up: the first request of a client also starts its session
    few, count = count_queries()
    assert count == 5
    add(range(5))
    many, count = count_queries()
    assert count == 50
    assert many == few


# --- The schema ------------------------------------------------------------------------


def test_schema_documents_the_funds_endpoints():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    paths = schema["paths"]
    for path in [FUNDS, f"{FUNDS}{{id}}/", f"{FUNDS}{{id}}/verify/", f"{FUNDS}{{id}}/reject/"]:
        assert path in paths
    assert "delete" not in paths[f"{FUNDS}{{id}}/"]
    content = paths[FUNDS]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert "409" in paths[f"{FUNDS}{{id}}/"]["patch"]["responses"]
    parameters = {p["name"] for p in paths[FUNDS]["get"]["parameters"]}
    assert {"project", "unit", "period", "period_after", "period_before", "kind"} <= parameters
    assert {"status", "flagged", "search", "ordering", "page", "page_size"} <= parameters
