"""The typed contract of the reports' figures (reports.figures): built figures are checked
against it, a stored report reads back into the same objects, and a snapshot stored before
the contract (or before the construction half) still reads, shows and downloads."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from reports.figures import SCHEMA_VERSION, MonthlyBulletin, QuarterlyReview, Signed
from reports.models import Report
from reports.selectors import monthly_bulletin, quarterly_review
from tests.reports.county import build_county, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def county(unit_a, unit_b, bureau_unit):
    build_county(unit_a, unit_b)


def test_a_built_bulletin_is_its_contract_and_reads_back_the_same(county):
    bulletin = monthly_bulletin(2026, 6)
    assert isinstance(bulletin, MonthlyBulletin)
    assert bulletin.schema_version == SCHEMA_VERSION == 4
    assert bulletin.funds.cumulative_wan == Decimal("4100")
    stored = snapshot(bulletin)  # as the report keeps it: Decimals as strings
    assert stored["funds"]["cumulative_wan"] == "4100.00"
    again = MonthlyBulletin.from_stored(stored)
    assert again.funds.cumulative_wan == Decimal("4100.00")
    assert again.unit_groups[0].units[0].stages["constructing"] == 1
    assert again == bulletin  # the same figures, read back


def test_a_review_is_its_contract_too(county):
    review = quarterly_review(2026, 2)
    assert isinstance(review, QuarterlyReview)
    again = QuarterlyReview.from_stored(snapshot(review))
    assert again.end == dt.date(2026, 6, 30)
    assert again == review


def test_figures_of_a_misspelt_or_missing_name_are_refused_when_built():
    good = {
        "count": 1,
        "contract_amount_wan": Decimal(1),
        "over_100m_count": 0,
        "over_100m_contract_amount_wan": Decimal(0),
    }
    assert Signed.from_built(good).count == 1
    with pytest.raises(TypeError, match="unknown figures"):
        Signed.from_built({**good, "over_100m_cuont": 0})
    with pytest.raises(TypeError, match="count missing"):
        Signed.from_built({k: v for k, v in good.items() if k != "count"})


def test_a_snapshot_stored_before_the_contract_still_reads_shows_and_downloads(
    county, client_as, bureau_user
):
    old = snapshot(monthly_bulletin(2026, 6))
    for key in ("construction", "construction_headline", "events", "schema_version"):
        del old[key]
    for group in old["unit_groups"]:  # no investment per unit then
        for unit in group["units"]:
            del unit["investment_wan"], unit["building"]
    del old["signed"]["over_100m_growth"]
    report = Report.objects.create(
        kind="monthly", period=dt.date(2026, 6, 1), status="published", figures=old
    )
    read = MonthlyBulletin.from_stored(report.figures)
    assert (read.schema_version, read.construction, read.construction_headline) == (1, None, [])
    assert read.unit_groups[0].units[0].investment_wan is None
    page = client_as(bureau_user).get(f"/reports/monthly/{report.pk}/")
    assert page.status_code == 200
    assert "工业项目开发建设" not in page.content.decode()
    assert "以会招商" not in page.content.decode()  # not counted then: no such section
    book = load_workbook(
        BytesIO(client_as(bureau_user).get(f"/reports/monthly/{report.pk}/xlsx/").content)
    )
    assert "工业项目开发建设" not in book.sheetnames
    assert book["总体情况"]["C3"].value == 4100
