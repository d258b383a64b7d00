"""The bulletin's second half (工业项目开发建设) of a hand-built county, figure by figure:
the bulletin of June 2026, the date frozen in July 2026."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from core.money import format_wan
from core.roles import Role
from projects.models import Blocker, ReserveProject
from reports.selectors import monthly_bulletin
from reports.selectors.monthly import construction_headline, red_reason_text
from targets.models import Target
from teams.choices import UnitKind
from tests.factories import IndustryFactory, ProjectFactory, UnitFactory, UserFactory
from tests.factories import funds_record as record
from tests.reports.county import snapshot

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


def invest(project, month, amount, status="verified"):
    return record(project, month, amount, status=status, kind="investment")


@pytest.fixture
def county(unit_a, unit_b, bureau_unit):
    park = UnitFactory(code="PK", name="经开区", kind=UnitKind.PARK, sort_order=1)
    industry = IndustryFactory(code="EQ", name="装备制造")
    l1 = UserFactory(username="l1", full_name="王县长", role=Role.LEADER, unit=bureau_unit)
    l2 = UserFactory(username="l2", full_name="李副县长", role=Role.LEADER, unit=bureau_unit)

    def project(code, unit, **fields):
        values = {"category": "industrial", "stage": "constructing", **fields}
        return ProjectFactory(code=code, name=f"项目{code}", unit=unit, industry=industry, **values)

    p1 = project(
        "P1", unit_a, contract_amount_wan=800, signed_on=dt.date(2026, 1, 10),
        started_on=dt.date(2026, 2, 1), is_key=True, leader=l1, leader_name="王县长",
    )  # fmt: skip
    p2 = project(
        "P2", park, contract_amount_wan=3000, signed_on=dt.date(2025, 3, 1),
        started_on=dt.date(2025, 5, 1), is_key=True, leader=l1, leader_name="王县长",
    )  # fmt: skip
    p3 = project(
        "P3", unit_b, category="commerce", stage="completed", contract_amount_wan=200,
        signed_on=dt.date(2026, 2, 1), started_on=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 5, 20),
    )  # fmt: skip
    p4 = project(
        "P4", park, contract_amount_wan=400, signed_on=dt.date(2026, 1, 2),
        started_on=dt.date(2026, 1, 10),
    )  # fmt: skip
    p5 = project(
        "P5", unit_a, stage="terminated", termination_reason="撤资", contract_amount_wan=5000,
        signed_on=dt.date(2026, 1, 2), started_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    project(
        "P6", unit_a, stage="signed", signed_on=dt.date(2026, 3, 1), planned_start_year=2026,
        planned_investment_wan=1200, leader=l2, leader_name="李副县长",
    )  # fmt: skip
    project(
        "P7", unit_b, signed_on=dt.date(2026, 2, 1), started_on=dt.date(2026, 4, 1),
        planned_start_year=2026, planned_investment_wan=800,
    )  # fmt: skip
    project("P8", unit_b, stage="signed", planned_start_year=2027, planned_investment_wan=999)

    invest(p1, (2026, 3), 200)
    invest(p1, (2026, 6), 300)
    invest(p1, (2026, 5), 100, status="submitted")  # not verified: does not count
    invest(p2, (2026, 2), 1000)
    invest(p2, (2025, 6), 400)  # a year before
    invest(p3, (2026, 4), 50)
    invest(p4, (2026, 6), 20)
    invest(p5, (2026, 2), 70)  # before its termination: counts in the county's total
    invest(p1, (2026, 7), 999)  # after the bulletin's month
    record(p2, (2026, 3), 500)  # funds in place are not investment

    Blocker.objects.create(
        project=p1, category="land", description="用地", owner_unit=unit_a,
        due_on=dt.date(2026, 8, 1),
    )  # fmt: skip
    for day, amount in ((dt.date(2026, 3, 1), 5000), (dt.date(2025, 12, 1), 9000),
                        (dt.date(2026, 6, 30), 3000)):  # fmt: skip
        ReserveProject.objects.create(
            name=f"储备{amount}", industry=industry, total_investment_wan=amount,
            unit=unit_a, entered_on=day,
        )  # fmt: skip
    Target.objects.create(year=2026, metric="investment", value=4000)
    Target.objects.create(year=2026, metric="investment", value=2000, unit=unit_a)
    return {"park": park, "l1": l1, "l2": l2}


@pytest.fixture
def bulletin(county):
    return monthly_bulletin(2026, 6)


def test_completed_investment(bulletin):
    invested = bulletin["construction"]["investment"]
    # Jan–Jun 2026, verified: P1 200 + 300, P2 1000, P3 50, P4 20, P5 70
    assert invested["cumulative_wan"] == D("1640")
    assert invested["month_wan"] == D("320")  # June: P1 300, P4 20
    assert (invested["target_wan"], invested["progress"]) == (D("4000"), D("0.41"))
    assert (invested["last_year_cumulative_wan"], invested["last_year_month_wan"]) == (400, 400)
    assert invested["growth_cumulative"] == D("3.1")  # (1640 − 400) / 400
    assert invested["growth_month"] == D("-0.2")
    assert invested["industrial_wan"] == D("1590")  # all but commerce P3
    assert invested["key_projects_wan"] == D("1500")  # P1, P2


def test_under_construction_and_the_key_industrial_projects(bulletin):
    building = bulletin["construction"]["under_construction"]
    # started by 30 June, not completed by then, not terminated: P1, P2, P4, P7
    assert (building["count"], building["investment_wan"]) == (4, D("1520"))
    assert (building["in_parks_count"], building["in_parks_investment_wan"]) == (2, D("1020"))
    assert building["in_parks_count_share"] == D("0.5")
    assert building["in_parks_investment_share"] == D("0.6711")
    key = bulletin["construction"]["key_industrial"]
    # industrial, ≥ 500万, in the year's statistics: P1 and P7 (new), P2 (carried over);
    # P4 is below 500万, P5 terminated
    assert (key["floor_wan"], key["count"], key["investment_wan"]) == (500, 3, D("1500"))


def test_planned_starts_reserve_projects_and_sponsors(bulletin, county):
    built = bulletin["construction"]
    assert built["planned_starts"] == {
        "count": 2,  # P6, P7 (P8 is planned for 2027)
        "planned_investment_wan": D("2000"),
        "started": 1,  # P7
    }
    # worked out in January–June 2026: 5000 and 3000 (not December's 9000)
    assert built["new_reserve_projects"] == {"count": 2, "total_investment_wan": D("8000")}
    sponsored = built["sponsored"]
    assert (sponsored["projects"], sponsored["leaders"], sponsored["started"]) == (3, 2, 2)
    assert sponsored["investment_wan"] == D("1500")
    assert sponsored["by_leader"] == [
        {
            "leader_id": county["l1"].pk,
            "leader": "王县长",
            "projects": 2,
            "started": 2,
            "investment_wan": D("1500"),
            "open_blockers": 1,
        },
        {
            "leader_id": county["l2"].pk,
            "leader": "李副县长",
            "projects": 1,
            "started": 0,
            "investment_wan": 0,
            "open_blockers": 0,
        },
    ]


def test_per_unit_investment_and_projects_under_construction(bulletin, unit_a, county):
    units = {row["code"]: row for group in bulletin["unit_groups"] for row in group["units"]}
    ua, pk = units["UA"], units["PK"]
    assert (ua["investment_wan"], ua["investment_target_wan"]) == (D("570"), D("2000"))
    assert ua["investment_progress"] == D("0.285")
    assert (ua["building"], ua["building_investment_wan"]) == (1, D("500"))
    assert (pk["building"], pk["building_investment_wan"], pk["investment_wan"]) == (
        2,
        D("1020"),
        D("1020"),
    )
    townships = bulletin["unit_groups"][0]["subtotal"]
    assert (townships["investment_wan"], townships["building"]) == (D("620"), 2)
    key = {row["code"]: row for row in bulletin["key_projects"]}
    assert (key["P1"]["investment_wan"], key["P1"]["leader_name"]) == (D("500"), "王县长")


def test_the_headline_of_the_second_half(bulletin):
    with translation.override("en"):
        assert construction_headline(bulletin) == [
            "Months 1 to 6, completed investment across the county 0.2 hundred million yuan, "
            "41.0% of the annual target, up 310.0% year on year",
            "4 projects under construction, completed investment 0.2 hundred million yuan, "
            "2 of them in parks",
            "3 key industrial projects of 5 million yuan or more, completed investment "
            "0.2 hundred million yuan",
            "2 projects to start, planned investment of the year 0.2 hundred million yuan",
            "2 new reserve projects, total investment 0.8 hundred million yuan",
            "3 projects sponsored by 2 leaders, 2 started, completed investment 0.2 hundred "
            "million yuan",
        ]
        assert construction_headline(snapshot(bulletin)) == construction_headline(bulletin)


def test_a_snapshot_without_the_second_half_still_reads(bulletin):
    old = {key: value for key, value in snapshot(bulletin).items() if key != "construction"}
    assert construction_headline(old) == []


def test_the_red_list_says_why_and_holds_only_units_with_a_reason(county, unit_a, unit_b):
    for unit in (unit_a, unit_b):
        Target.objects.create(year=2026, metric="funds", value=1000, unit=unit)
    p7 = ProjectFactory(code="P9", unit=unit_b, stage="signed", signed_on=dt.date(2026, 1, 5))
    record(p7, (2026, 5), 600)  # unit B: 60% against 50% time progress, nothing stalled
    bulletin = monthly_bulletin(2026, 6)
    with translation.override("en"):
        red = {
            row["code"]: [red_reason_text(reason) for reason in row["reasons"]]
            for row in bulletin["warnings"]["red_list"]
        }
    # unit A: no funds in place against a target, half the year gone; unit B, last but
    # ahead of time progress, is not on it
    assert red == {"UA": ["behind time progress by 50.0%"]}


def test_the_page_and_the_workbook_print_the_second_half(county, client_as, bureau_user):
    from io import BytesIO

    from openpyxl import load_workbook

    from reports.services import report_build, report_publish

    report = report_build(period=dt.date(2026, 6, 1), user=bureau_user)
    report_publish(report=report, user=bureau_user, confirm=True, note="按时通报")
    client = client_as(bureau_user)
    page = client.get(f"/reports/monthly/{report.pk}/").content.decode()
    assert "6. 工业项目开发建设" in page
    assert "已开工建设项目4个，完成投资0.2亿元，其中园区项目2个" in page
    assert "3个包保项目由2位领导分别推进，2个已开工，完成投资0.2亿元" in page
    response = client.get(f"/reports/monthly/{report.pk}/xlsx/")
    book = load_workbook(BytesIO(response.content))
    cover = book["封面"]
    assert cover["A1"].value == "青山县招商引资工作通报（2026年1—6月）"
    assert cover["A2"].value == f"县投资促进局 {dt.date(2026, 7, 15).isoformat()}"
    assert cover["A5"].value.startswith("1-6月份全县完成投资0.2亿元，完成年度任务的41.0%")
    built = {row[0].value: row for row in book["工业项目开发建设"].iter_rows(min_row=3)}
    assert (built["已开工建设项目"][1].value, built["已开工建设项目"][2].value) == (4, 1520)
    assert built["拟开工项目（年度计划投资）"][2].value == 2000
    sponsors = [[c.value for c in r] for r in book["领导包保项目推进情况"].iter_rows(min_row=3)]
    assert sponsors == [["王县长", 2, 2, 1500, 1], ["李副县长", 1, 0, 0, 0]]


def test_the_dashboard_card_and_chart_of_completed_investment(
    county, api_as, client_as, bureau_user
):
    from django.core.cache import cache

    cache.clear()
    query = "source=live&year=2026&month=6"
    card = api_as(bureau_user).get(f"/api/v1/dashboard/cards/?{query}").json()["cards"]
    invested = card["investment"]
    assert (invested["actual_wan"], invested["target_wan"], invested["progress"]) == (
        "1640.00",
        "4000.00",
        "0.4100",
    )
    assert (invested["actual_text"], invested["growth_text"]) == ("0.2", "310.0%")
    # the card opens the verified investment records it sums
    listed = client_as(bureau_user).get(invested["url"])
    assert listed.status_code == 200
    # P1 ×2, P2, P3, P4, P5: the records behind 1640
    assert listed.context["paginator"].count == 6
    chart = api_as(bureau_user).get(f"/api/v1/dashboard/monthly_investment/?{query}").json()
    months = chart["monthly_investment"]["months"]
    assert [D(m["this_year_wan"]) for m in months[:6]] == [0, 1070, 200, 50, 0, 320]
    assert D(months[5]["last_year_wan"]) == 400 and months[6]["this_year_wan"] is None


def test_every_figure_of_the_second_half_opens_the_records_it_counts(
    county, bulletin, client_as, bureau_user, unit_a
):
    """The page links each total (and each unit's) to a list of the projects or records
    it counts: the list's count, or the sum of its amounts, is the figure."""
    from django.db.models import Sum

    from reports.services import report_build

    report = report_build(period=dt.date(2026, 6, 1), user=bureau_user)
    client = client_as(bureau_user)
    page = client.get(f"/reports/monthly/{report.pk}/")
    rows = {row["key"]: row for row in page.context["construction_rows"]}

    def listed(key):
        response = client.get(rows[key]["url"])
        assert response.status_code == 200, key
        assert rows[key]["url"].replace("&", "&amp;") in page.content.decode()
        return response.context["paginator"].object_list

    def total(key):
        return listed(key).aggregate(total=Sum("amount_wan"))["total"]

    assert total("investment") == rows["investment"]["amount"] == 1640
    assert total("investment_month") == rows["investment_month"]["amount"] == 320
    assert total("investment_last_year") == rows["investment_last_year"]["amount"] == 400
    assert total("investment_industrial") == rows["investment_industrial"]["amount"] == 1590
    assert total("investment_key") == rows["investment_key"]["amount"] == 1500
    counted = {
        "building": ["P1", "P2", "P4", "P7"],
        "building_in_parks": ["P2", "P4"],
        "key_industrial": ["P1", "P2", "P7"],
        "planned_starts": ["P6", "P7"],
        "sponsored": ["P1", "P2", "P6"],
    }
    for key, codes in counted.items():
        assert sorted(listed(key).values_list("code", flat=True)) == codes, key
        assert rows[key]["count"] == len(codes), key
    reserve = listed("new_reserve_projects")
    assert sorted(reserve.values_list("name", flat=True)) == ["储备3000", "储备5000"]
    assert rows["new_reserve_projects"]["count"] == 2
    # each list shows its 合计 of the amount beside the count (issue 19): the investment of
    # the year, the planned investment, the reserve projects' total investment
    for key in (*counted, "new_reserve_projects"):
        response = client.get(rows[key]["url"])
        shown = [amount for _label, amount in response.context["totals"]]
        assert rows[key]["amount"] in shown, (key, rows[key]["amount"], shown)
        totals = re.findall(r'data-testid="total">([^<]+)<', response.content.decode())
        assert any(format_wan(rows[key]["amount"]) in text for text in totals), (key, totals)
    # a unit's row: its projects under construction and its investment
    unit = next(
        u for g in page.context["unit_groups"] for u in g["units"] if u["unit_id"] == unit_a.pk
    )
    building = client.get(unit["links"]["building"]).context["paginator"].object_list
    assert list(building.values_list("code", flat=True)) == ["P1"] and unit["building"] == 1
    ledger = client.get(unit["links"]["investment"]).context["paginator"].object_list
    assert ledger.aggregate(total=Sum("amount_wan"))["total"] == unit["investment_wan"] == 570
