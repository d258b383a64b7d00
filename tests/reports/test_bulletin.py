"""The monthly bulletin of a hand-built county, figure by figure (date frozen in July
2026, the bulletin of June 2026)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from projects.models import Project
from reports.selectors import headline, monthly_bulletin
from reports.selectors.monthly import rank_by
from tests.reports.county import build_county, snapshot

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def bulletin(unit_a, unit_b, bureau_unit):
    build_county(unit_a, unit_b)
    return monthly_bulletin(2026, 6)


def test_funds_totals(bulletin):
    funds = bulletin["funds"]
    # Jan–Jun: A1 1300 (1000 − 200 + 500), A2 300, B1 300, B2 50, K1 2000, K2 150
    assert funds["cumulative_wan"] == D("4100")
    # June: A1 500, A2 300, B1 100, K1 2000
    assert funds["month_wan"] == D("2900")
    assert funds["target_wan"] == D("10000")
    assert funds["progress"] == D("0.41")
    # 2025 Jan–Jun: B1 300 + 1000, B2 200; June 2025: 1000 + 200
    assert funds["last_year_cumulative_wan"] == D("1500")
    assert funds["last_year_month_wan"] == D("1200")
    assert funds["growth_cumulative"] == D("1.7333")  # 2600 / 1500
    assert funds["growth_month"] == D("1.4167")  # 1700 / 1200
    assert bulletin["time_progress"] == D("0.5")


def test_origins(bulletin):
    cumulative = bulletin["origins"]["cumulative"]
    assert cumulative["out_of_city"] == D("500")  # B1 300, B2 50, K2 150
    assert cumulative["out_of_province"] == D("3300")  # A1 1300, K1 2000
    assert cumulative["foreign"] == D("300")
    assert cumulative["domestic"] == D("3800")
    assert cumulative["foreign_total"] == D("300")
    month = bulletin["origins"]["month"]
    assert month["out_of_city"] == D("100")
    assert month["out_of_province"] == D("2500")
    assert month["foreign"] == D("300")
    assert month["domestic"] == D("2600")


def test_statistics_projects(bulletin):
    stats = bulletin["statistics_projects"]
    # new: A1 (started April), K1 (June); carried over: B1; B2 completed last year
    assert stats["new"] == {"count": 2, "contract_amount_wan": D("32000"), "funds_wan": D("3300")}
    assert stats["carried_over"] == {
        "count": 1,
        "contract_amount_wan": D("1500"),
        "funds_wan": D("300"),
    }
    assert stats["all"] == {"count": 3, "contract_amount_wan": D("33500"), "funds_wan": D("3600")}
    # industrial among them: A1, B1
    assert stats["industrial"] == {
        "count": 2,
        "funds_wan": D("1600"),
        "count_share": D("0.6667"),
        "funds_share": D("0.4444"),
    }


def test_terminated_projects_leave_the_statistics(unit_a, unit_b, bureau_unit):
    build_county(unit_a, unit_b)
    Project.objects.filter(code="B1").update(stage="terminated", termination_reason="投资方撤资")
    bulletin = monthly_bulletin(2026, 6)
    assert bulletin["funds"]["cumulative_wan"] == D("4100")  # its funds in place still count
    stats = bulletin["statistics_projects"]
    assert stats["carried_over"] == {"count": 0, "contract_amount_wan": 0, "funds_wan": 0}
    assert stats["all"]["funds_wan"] == D("3300")  # A1 1300, K1 2000
    assert stats["industrial"]["funds_wan"] == D("1300")  # A1 (B1 left)


def test_signed(bulletin):
    # A1 12000, A2 6000, K1 20000; K2 terminated, A3 signed in July
    assert bulletin["signed"] == {
        "count": 3,
        "contract_amount_wan": D("38000"),
        "over_100m_count": 2,
        "over_100m_contract_amount_wan": D("32000"),
        # none of 亿元以上 signed in the first half of 2025: no growth to speak of
        "over_100m_last_year_count": 0,
        "over_100m_last_year_contract_amount_wan": 0,
        "over_100m_growth": None,
    }


def first_half(subtotal):
    return {key: subtotal[key] for key in ("funds_wan", "target_wan", "progress")}


def test_unit_groups(bulletin):
    groups = bulletin["unit_groups"]
    assert [g["kind"] for g in groups] == ["township", "park", "department"]
    townships, parks, departments = groups
    ua, ub = townships["units"]
    assert (ua["code"], ua["funds_wan"], ua["target_wan"]) == ("UA", D("1600"), D("4000"))
    assert (ua["progress"], ua["time_progress"], ua["behind"]) == (D("0.4"), D("0.5"), True)
    assert (ua["rank"], ua["blank"]) == (1, False)
    assert ua["stages"]["constructing"] == 1 and ua["stages"]["signed"] == 2
    assert (ub["code"], ub["funds_wan"], ub["progress"]) == ("UB", D("350"), D("0.175"))
    assert (ub["rank"], ub["behind"], ub["blank"]) == (2, True, True)
    assert ub["stages"]["completed"] == 1 and ub["stages"]["terminated"] == 0
    assert first_half(townships["subtotal"]) == {
        "funds_wan": D("1950"),
        "target_wan": D("6000"),
        "progress": D("0.325"),
    }
    (pk,) = parks["units"]
    assert (pk["funds_wan"], pk["progress"], pk["behind"], pk["rank"]) == (
        D("2150"),
        D("0.7167"),
        False,
        1,
    )
    assert pk["stages"]["started"] == 1 and pk["stages"]["terminated"] == 1
    d1, d2 = departments["units"]
    assert (d1["funds_wan"], d1["progress"], d1["behind"], d1["rank"]) == (0, 0, True, 1)
    assert d1["stages"]["negotiating"] == 1
    assert (d2["target_wan"], d2["progress"], d2["behind"], d2["rank"]) == (None, None, False, None)
    assert first_half(departments["subtotal"]) == {
        "funds_wan": 0,
        "target_wan": D("1000"),
        "progress": 0,
    }


def test_headline(bulletin):
    with translation.override("en"):
        assert headline(bulletin) == (
            "Months 1 to 6, funds in place across the county 0.4 hundred million yuan, "
            "41.0% of the annual target, up 173.3% year on year"
        )
        # the stored snapshot (Decimals as strings) gives the same sentence
        assert headline(snapshot(bulletin)) == headline(bulletin)


def test_snapshot_is_plain_json(bulletin):
    stored = snapshot(bulletin)
    assert stored["funds"]["cumulative_wan"] == "4100.00"
    assert stored["unit_groups"][0]["units"][0]["progress"] == "0.4000"


def test_ranks_highest_first_ties_share_a_rank_and_no_value_has_none():
    rows = [{"p": Decimal(v)} if v else {"p": None} for v in ("0.5", "", "0.9", "0.5", "0.1")]
    rank_by(rows, "p")
    assert [row["rank"] for row in rows] == [2, None, 1, 2, 4]
