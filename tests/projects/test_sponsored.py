"""我包保的项目 (/projects/sponsored/): each figure worked out by hand, who sees which
projects, and a query count that does not grow with the rows."""

import datetime as dt
from html.parser import HTMLParser
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.roles import Role
from projects.models import Blocker
from tests.factories import ProjectFactory, UserFactory, funds_record
from tests.grid import LOGIN, check_grid

pytestmark = pytest.mark.django_db

URL = "/projects/sponsored/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


class Rows(HTMLParser):
    """The table's rows: for each, its class and its cells by column key."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.column: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("data-testid") == "sponsored-row":
            self.rows.append({"class": attrs.get("class") or ""})
        elif tag == "td" and "data-column" in attrs and self.rows:
            self.column = attrs["data-column"]
            self.rows[-1][self.column] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.column = None

    def handle_data(self, data: str) -> None:
        if self.column:
            self.rows[-1][self.column] += data.strip()


def rows_of(response) -> dict[str, dict]:
    assert response.status_code == 200
    parser = Rows()
    parser.feed(response.content.decode())
    return {row["code"]: row for row in parser.rows}


@pytest.fixture
def other_leader(bureau_unit):
    return UserFactory(
        username="leader_2", full_name="王副县长", role=Role.LEADER, unit=bureau_unit
    )


@pytest.fixture
def county(leader, other_leader, unit_a, unit_b, industry):
    """Two projects of the leader (one under construction, one signed and past its agreed
    start), one of another leader, one with none; funds and blockers around them."""
    building = ProjectFactory(
        code="2025-0001",
        name="甲镇生物医药产业园",
        unit=unit_a,
        sponsor_unit=unit_b,
        industry=industry,
        leader=leader,
        leader_name=leader.full_name,
        stage="constructing",
        signed_on=dt.date(2025, 3, 1),
        started_on=dt.date(2025, 6, 1),
        contract_amount_wan=20000,
    )
    late = ProjectFactory(
        code="2026-0002",
        name="乙镇新材料项目",
        unit=unit_b,
        industry=industry,
        leader=leader,
        leader_name=leader.full_name,
        stage="signed",
        signed_on=dt.date(2026, 2, 1),
        agreed_start_on=dt.date(2026, 5, 1),
        contract_amount_wan=5000,
    )
    others = ProjectFactory(
        code="2026-0003",
        unit=unit_a,
        industry=industry,
        leader=other_leader,
        leader_name=other_leader.full_name,
        contract_amount_wan=800,
    )
    ProjectFactory(code="2026-0004", unit=unit_a, industry=industry)  # no leader

    # funds in place, verified: 3000 in 2025 and 2000 in 2026 (5000 to date); a submitted
    # record and a returned one count nothing
    funds_record(building, (2025, 11), "3000")
    funds_record(building, (2026, 3), "2000")
    funds_record(building, (2026, 6), "999", status="submitted")
    funds_record(building, (2026, 5), "500", status="rejected")
    # completed investment: verified 4000 last year (not this year's), 1500 + 800 this year;
    # 700 submitted this month (not counted)
    funds_record(building, (2025, 12), "4000", kind="investment")
    funds_record(building, (2026, 4), "1500", kind="investment")
    funds_record(building, (2026, 6), "800", kind="investment")
    funds_record(building, (2026, 7), "700", status="submitted", kind="investment")
    funds_record(late, (2026, 4), "1000")
    funds_record(others, (2026, 4), "300")

    def blocker(project, due_on, status="open"):
        Blocker.objects.create(
            project=project,
            category="land",
            description="用地指标未落实",
            owner_unit=unit_a,
            due_on=due_on,
            status=status,
            resolution="已解决" if status == "resolved" else "",
        )

    blocker(building, dt.date(2026, 7, 1))  # open and overdue
    blocker(building, dt.date(2026, 8, 31))  # open, due later
    blocker(building, dt.date(2026, 1, 1), status="resolved")  # resolved: neither
    return {"building": building, "late": late, "others": others}


def test_a_leaders_projects_with_their_figures(client_as, leader, county):
    rows = rows_of(client_as(leader).get(URL))
    assert set(rows) == {"2025-0001", "2026-0002"}  # the leader's own, no one else's

    building = rows["2025-0001"]
    assert building["name"] == "甲镇生物医药产业园"
    assert (building["unit"], building["sponsor_unit"]) == ("甲镇", "乙镇")
    assert building["contract_amount_wan"] == "20,000.00"
    assert building["funds_to_date"] == "5,000.00"  # 3000 (2025) + 2000 (2026)
    assert building["investment_this_year"] == "2,300.00"  # 1500 + 800 of 2026
    assert (building["open_blockers"], building["overdue_blockers"]) == ("2", "1")
    assert "table-danger" not in building["class"]  # not stalled

    late = rows["2026-0002"]
    assert late["funds_to_date"] == "1,000.00" and late["investment_this_year"] == "0.00"
    assert (late["open_blockers"], late["overdue_blockers"]) == ("0", "0")
    assert "table-danger" in late["class"]  # signed, past its agreed start: stalled
    assert "leader" not in late  # a leader's own page names no leader


def test_the_totals_and_the_chinese_page(client_as, leader, county):
    page = client_as(leader).get(URL).content.decode()
    assert "我包保的项目" in page
    totals = page[page.index('data-testid="sponsored-totals"') :]
    assert "25,000.00" in totals  # contract amounts: 20000 + 5000
    assert '<div class="fs-5" data-testid="total-funds">6,000.00</div>' in totals
    assert '<div class="fs-5" data-testid="total-investment">2,300.00</div>' in totals
    assert "2026年完成投资（万元）" in totals
    assert "累计到位资金（万元）" in page and "逾期未解决问题" in page


def test_the_export_holds_the_same_figures(client_as, leader, county):
    response = client_as(leader).get(f"{URL}?export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    by_code = {row[0]: row for row in rows[2:]}
    assert set(by_code) == {"2025-0001", "2026-0002"}
    row = by_code["2025-0001"]
    assert row[1:4] == ("甲镇生物医药产业园", "甲镇", "乙镇")
    assert row[5:10] == (20000, 5000, 2300, 2, 1)  # contract, funds, investment, blockers


def test_the_bureau_sees_every_leaders_projects_and_filters_by_leader(
    client_as, bureau_user, other_leader, county
):
    client = client_as(bureau_user)
    rows = rows_of(client.get(URL))
    assert set(rows) == {"2025-0001", "2026-0002", "2026-0003"}  # not the one with no leader
    assert rows["2026-0003"]["leader"] == "王副县长"
    assert rows["2026-0003"]["funds_to_date"] == "300.00"
    assert set(rows_of(client.get(f"{URL}?leader={other_leader.pk}"))) == {"2026-0003"}
    assert set(rows_of(client.get(f"{URL}?stalled=true"))) == {"2026-0002"}
    ordered = list(rows_of(client.get(f"{URL}?ordering=-funds_to_date")))
    assert ordered == ["2025-0001", "2026-0002", "2026-0003"]


def test_sponsored_grid_and_navigation(users, client_as, county):
    check_grid(
        users,
        client_as,
        URL,
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 403),  # officers and unit heads sponsor nothing
            ("unit_head_a", "GET", 403),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "POST", 405),
        ],
    )
    assert 'href="/projects/sponsored/"' in client_as(users["leader"]).get("/").content.decode()
    assert (
        'href="/projects/sponsored/"' not in client_as(users["officer_a"]).get("/").content.decode()
    )


def count_queries(client, url: str) -> int:
    client.get(url)  # warm-up: the first request of a session also stamps the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def sponsored(leader, unit, industry, how_many, start):
    for number in range(start, start + how_many):
        project = ProjectFactory(
            code=f"Q-{number:04d}",
            unit=unit,
            industry=industry,
            leader=leader,
            stage="constructing",
            signed_on=dt.date(2025, 1, 1),
            started_on=dt.date(2025, 2, 1),
        )
        funds_record(project, (2026, 3), "100")
        funds_record(project, (2026, 3), "50", kind="investment")
        Blocker.objects.create(
            project=project,
            category="funding",
            description="资金缺口",
            owner_unit=unit,
            due_on=dt.date(2026, 6, 1),
        )


@pytest.mark.parametrize("who", ["leader", "bureau"])
def test_the_query_count_does_not_grow_with_the_rows(client_as, users, unit_a, industry, who):
    client = client_as(users[who])
    sponsored(users["leader"], unit_a, industry, 3, 0)
    few = count_queries(client, URL)
    sponsored(users["leader"], unit_a, industry, 40, 3)
    assert count_queries(client, URL) == few
