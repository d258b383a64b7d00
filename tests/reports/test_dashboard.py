"""The leadership dashboard, through the JSON its cards and charts read: every figure of a
hand-worked county (the bulletin tests' county, figures of January to June 2026, the date
frozen on 15 July 2026), drill-down links whose lists add up to the figure clicked, what a
unit's user sees (their unit, their teams, their rank, nothing of another unit), the
period and its defaults, the cache of published months, flat query counts, the page and
the permission grid."""

import datetime as dt
import json
import time
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import Industry, Project
from reports.models import Report
from tests.factories import IndustryFactory, ProjectFactory
from tests.grid import LOGIN, check_grid
from tests.reports.county import add_key_projects_and_warnings, build_county, funds

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1/dashboard/"
JUNE = "source=live&year=2026&month=6"
SECTIONS = [
    "cards",
    "alerts",
    "monthly_funds",
    "monthly_investment",
    "units",
    "funnel",
    "industries",
    "origins",
    "size_classes",
    "teams",
    "events",
    "key_projects",
]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the test database's ids come back from one run to the next
    yield
    cache.clear()


@pytest.fixture
def county(unit_a, unit_b, bureau_unit, officer_a):
    """The bulletin tests' county, with industry chains: K1 (20000, signed in June) is in a
    segment of the leading chain 新材料; A1 and A2 stay in 装备制造; 生物医药 leads with
    nothing signed. Officer A is a member of the team 深圳组; A1's leader is 王副县长."""
    units = build_county(unit_a, unit_b)
    extra = add_key_projects_and_warnings(unit_a, unit_b)
    extra["team"].members.add(officer_a)
    materials = IndustryFactory(code="NM", name="新材料", is_leading=True, sort_order=1)
    battery = IndustryFactory(code="NM1", name="锂电材料", parent=materials)
    IndustryFactory(code="BIO", name="生物医药", is_leading=True, sort_order=2)
    Project.objects.filter(code="K1").update(industry=battery)
    Project.objects.filter(code="A1").update(leader_name="王副县长")
    return {**units, **extra, "materials": materials}


def get(api, user, url=API, query=JUNE):
    response = api(user).get(f"{url}?{query}" if query else url)
    assert response.status_code == 200, response.content
    return response.json()


# --- Every card and chart series, worked out by hand -------------------------------------------


def test_the_headline_cards(api_as, leader, county):
    data = get(api_as, leader)
    assert data["scope"]["kind"] == "county"
    assert data["period"] == {
        "year": 2026,
        "month": 6,
        "period": "2026-06",
        "months_display": "2026年1—6月",
        "counted_to_display": "截至6月底",
        "source": "live",
        "time_progress": "0.5000",
        "report": None,
    }
    cards = data["cards"]
    assert D(cards["time_progress"]) == D("0.5")
    funds_card = cards["funds"]
    # Jan–Jun 2026: A1 1300 (1000 − 200 + 500), A2 300, B1 300, B2 50, K1 2000, K2 150
    assert D(funds_card["actual_wan"]) == 4100
    assert funds_card["actual_text"] == "0.4"  # 亿元
    assert D(funds_card["target_wan"]) == 10000
    assert D(funds_card["progress"]) == D("0.41")
    assert funds_card["pace"] == "behind"  # 41% of the target at 50% of the year: red
    # Jan–Jun 2025: B1 300 + 1000, B2 200 = 1500; growth 2600 / 1500
    assert D(funds_card["last_year_wan"]) == 1500
    assert D(funds_card["growth"]) == D("1.7333")
    assert funds_card["growth_text"] == "173.3%"
    signed = cards["signed"]  # A1 12000, A2 6000, K1 20000 (K2 terminated, A3 in July)
    assert (signed["count"], D(signed["contract_amount_wan"])) == (3, 38000)
    assert signed["pace"] == "no_target"
    assert cards["started"]["count"] == 2  # A1 in April, K1 in June (B1 started in 2025)
    big = cards["over_100m"]  # A1 and K1; the 12510 goal is 1
    assert (big["count"], D(big["contract_amount_wan"]), D(big["target"])) == (2, 32000, 1)
    assert big["pace"] == "ahead"

    alerts = data["alerts"]  # as of 15 July 2026
    assert alerts["stalled"] == 1  # A2: its agreed start (1 May) passed without a start
    assert alerts["overdue_blockers"] == 2  # A1's due 10 June, K1's due 30 June
    assert alerts["pace"] == "behind"


def test_monthly_funds_this_year_against_last(api_as, leader, county):
    months = get(api_as, leader)["monthly_funds"]["months"]
    this_year = [None if m["this_year_wan"] is None else D(m["this_year_wan"]) for m in months]
    # Jan B1 200; Feb B2 50; Mar A1 1000 − 200; Apr K2 150; May nothing (B1's 400 was
    # rejected); Jun A1 500 + A2 300 + B1 100 + K1 2000; nothing after June
    assert this_year == [200, 50, 800, 150, 0, 2900, None, None, None, None, None, None]
    cumulative = [m["this_year_cumulative_wan"] for m in months]
    assert [D(v) for v in cumulative[:6]] == [200, 250, 1050, 1200, 1200, 4100]
    assert cumulative[6:] == [None] * 6
    # 2025: May B1 300; Jun B1 1000 + B2 200; Jul B1 500 (August's 7000 was never verified)
    assert [D(m["last_year_wan"]) for m in months] == [0, 0, 0, 0, 300, 1200, 500, 0, 0, 0, 0, 0]
    assert D(months[5]["last_year_cumulative_wan"]) == 1500
    assert D(months[11]["last_year_cumulative_wan"]) == 2000


def test_units_by_percent_of_target_grouped_by_kind(api_as, leader, county, unit_a, unit_b):
    units = get(api_as, leader)["units"]
    assert D(units["time_progress"]) == D("0.5")
    assert units["own"] is None
    townships, parks, departments = units["groups"]
    assert [g["kind"] for g in units["groups"]] == ["township", "park", "department"]
    ua, ub = townships["units"]
    assert (ua["name"], D(ua["funds_wan"]), D(ua["progress"]), ua["rank"]) == (
        "甲镇",
        1600,
        D("0.4"),
        1,
    )
    assert (ua["behind"], ua["projects"]) == (True, 3)  # A1, A2, A3
    assert (ub["name"], D(ub["funds_wan"]), D(ub["progress"]), ub["rank"]) == (
        "乙镇",
        350,
        D("0.175"),
        2,
    )
    assert (ub["blank"], ub["projects"]) == (True, 2)  # nothing signed this year
    assert D(townships["subtotal"]["progress"]) == D("0.325")
    (pk,) = parks["units"]
    assert (D(pk["funds_wan"]), D(pk["progress"]), pk["behind"]) == (2150, D("0.7167"), False)
    d1, d2 = departments["units"]
    assert (D(d1["progress"]), d1["rank"], d1["projects"]) == (0, 1, 1)
    assert (d2["progress"], d2["rank"], d2["progress_text"]) == (None, None, "")  # no target


def test_funnel_industries_origins_and_12510(api_as, leader, county):
    data = get(api_as, leader)
    # as the projects stand today; K2 is terminated
    assert [(s["stage"], s["count"]) for s in data["funnel"]["stages"]] == [
        ("negotiating", 1),  # N1
        ("signed", 2),  # A2, A3
        ("started", 1),  # K1
        ("constructing", 2),  # A1, B1
        ("completed", 1),  # B2
        ("producing", 0),
    ]
    industries = [
        (row["name"], row["leading"], D(row["contract_amount_wan"]), row["count"])
        for row in data["industries"]["industries"]
    ]
    assert industries == [
        ("新材料", True, 20000, 1),  # K1, signed in a segment of the chain
        ("装备制造", False, 18000, 2),  # A1, A2
        ("生物医药", True, 0, 0),  # a leading chain with nothing signed is still shown
    ]
    origins = {row["origin"]: row for row in data["origins"]["origins"]}
    assert [origins[o]["projects"] for o in ("out_of_city", "out_of_province", "foreign")] == [
        0,
        2,  # A1, K1
        1,  # A2
    ]
    assert D(origins["out_of_province"]["contract_amount_wan"]) == 32000
    # verified funds Jan–Jun: 市外 B1 300, B2 50, K2 150; 省外 A1 1300, K1 2000; 境外 A2 300
    assert [D(origins[o]["funds_wan"]) for o in ("out_of_city", "out_of_province", "foreign")] == [
        500,
        3300,
        300,
    ]
    assert (D(data["origins"]["domestic_wan"]), D(data["origins"]["foreign_wan"])) == (3800, 300)
    sizes = [
        (row["size_class"], row["count"], row["goal"], row["pace"])
        for row in data["size_classes"]["classes"]
    ]
    assert sizes == [
        ("100m", 2, 1, "ahead"),  # A1 12000, K1 20000
        ("50m", 1, 2, "on_pace"),  # A2 6000: half the goal at half the year
        ("10m", 0, 5, "behind"),
        ("1m", 0, 10, "behind"),  # A3 (700) was signed in July
    ]


def test_team_ranking_and_key_projects(api_as, leader, county):
    data = get(api_as, leader)
    teams = {g["kind"]: g["teams"] for g in data["teams"]["groups"]}
    # June: A1 (the team's project) had 500 in place; nothing signed, no lead, no trip
    (shenzhen,) = teams["resident"]
    assert (shenzhen["name"], D(shenzhen["funds_wan"]), shenzhen["rank"]) == ("深圳组", 500, 1)
    (delta,) = teams["group"]
    assert (delta["name"], D(delta["funds_wan"]), delta["rank"]) == ("长三角组", 0, 1)

    board = {row["code"]: row for row in data["key_projects"]["projects"]}
    assert set(board) == {"A1", "K1"}  # K2 is key but terminated
    a1, k1 = board["A1"], board["K1"]
    assert (a1["stage"], a1["leader_name"], a1["open_blockers"]) == ("constructing", "王副县长", 2)
    assert (D(a1["funds_to_date_wan"]), D(a1["funds_rate"])) == (1300, D("0.1083"))
    assert (a1["overdue_blocker"], a1["stalled"]) == (True, [])
    assert (D(k1["funds_to_date_wan"]), D(k1["funds_rate"]), k1["open_blockers"]) == (
        2000,
        D("0.1"),
        1,
    )
    assert k1["overdue_blocker"] is True  # due 30 June, still open on 15 July


def test_the_board_keeps_the_largest_key_projects(api_as, leader, county, monkeypatch):
    """A province has thousands of key projects: the board shows the largest, says how many
    there are, and its link lists them all."""
    monkeypatch.setattr("reports.selectors.dashboard.BOARD_SIZE", 1)
    board = get(api_as, leader)["key_projects"]
    assert [row["code"] for row in board["projects"]] == ["K1"]  # 20000 万元 against A1's 12000
    assert board["total"] == 2


def test_signings_at_events_for_the_county_and_for_a_unit(
    api_as, leader, officer_a, bureau_user, unit_a, unit_b, county
):
    """The fair (A must sign 2, B 1) where A1 was signed; the ceremony where A1 was signed
    again (counted nothing) and K1 for the first time. Unit A sees its own quota, short."""
    from events import services as event_services
    from tests.events.event_helpers import make_event

    fair = make_event(bureau_user.unit, (3, 5), (3, 6), name="春季投洽会")
    ceremony = make_event(bureau_user.unit, (6, 10), kind="signing", name="六月集中签约仪式")
    make_event(bureau_user.unit, (7, 10), kind="signing", name="七月签约仪式")
    event_services.event_quota_set(event=fair, user=bureau_user, unit=unit_a, signing_quota=2)
    event_services.event_quota_set(event=fair, user=bureau_user, unit=unit_b, signing_quota=1)
    Project.objects.filter(code="A1").update(signed_on=dt.date(2026, 3, 5))
    Project.objects.filter(code="K1").update(signed_on=dt.date(2026, 6, 10))
    a1, k1 = Project.objects.get(code="A1"), Project.objects.get(code="K1")
    for event, project, on in [
        (fair, a1, dt.date(2026, 3, 5)),
        (ceremony, a1, dt.date(2026, 6, 10)),
        (ceremony, k1, dt.date(2026, 6, 10)),
    ]:
        event_services.event_signing_record(
            event=event, user=bureau_user, project=project, signed_on=on
        )
    county_events = get(api_as, leader)["events"]
    assert county_events == {
        "events": 2,  # July's is after the period
        "first_signings": 2,
        "contract_amount_wan": "32000.00",
        "contract_amount_text": "3.2",
        "quota": 3,
        "quotas_met": 0,
        "quotas_short": 2,
        "url": "/events/?year=2026",
    }
    mine = get(api_as, officer_a)["events"]
    assert (mine["first_signings"], mine["quota"], mine["quotas_short"]) == (1, 2, 1)
    assert mine["url"] == f"/events/?unit={unit_a.pk}&year=2026"


def test_each_section_answers_alone_with_the_same_figures(api_as, leader, county):
    whole = get(api_as, leader)
    for name in SECTIONS:
        alone = get(api_as, leader, f"{API}{name}/")
        assert alone[name] == whole[name]
        assert alone["scope"] == whole["scope"] and alone["period"] == whole["period"]
        assert set(alone) == {"scope", "period", name}


def test_amounts_are_decimal_strings_never_floats(api_as, leader, county):
    data = get(api_as, leader)
    assert isinstance(data["cards"]["funds"]["actual_wan"], str)

    def floats(value):
        if isinstance(value, float):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from floats(item)
        elif isinstance(value, list):
            for item in value:
                yield from floats(item)

    assert list(floats(data)) == []


# --- Drill-down: the list behind a figure adds up to it -----------------------------------------

LIST_API = {"/funds/": "/api/v1/funds/", "/projects/": "/api/v1/projects/"}
LIST_API["/blockers/"] = "/api/v1/blockers/"


def listed(client, url):
    """The rows of the list a drill-down link opens, through the API of that list (the same
    FilterSet as the page)."""
    path, query = url.split("?", 1)
    response = client.get(f"{LIST_API[path]}?{query}&page_size=500")
    assert response.status_code == 200, (url, response.content)
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def amounts(rows, field="amount_wan"):
    return sum((D(row[field]) for row in rows), D(0))


def test_every_link_lists_the_records_behind_its_figure(api_as, leader, county):
    client = api_as(leader)
    data = get(api_as, leader)
    cards = data["cards"]
    assert amounts(listed(client, cards["funds"]["url"])) == D(cards["funds"]["actual_wan"])
    signed = listed(client, cards["signed"]["url"])
    assert len(signed) == cards["signed"]["count"] == 3
    assert amounts(signed, "contract_amount_wan") == D(cards["signed"]["contract_amount_wan"])
    assert len(listed(client, cards["started"]["url"])) == cards["started"]["count"]
    big = listed(client, cards["over_100m"]["url"])
    assert sorted(p["code"] for p in big) == ["A1", "K1"]
    assert len(listed(client, data["alerts"]["stalled_url"])) == data["alerts"]["stalled"]
    overdue = listed(client, data["alerts"]["overdue_blockers_url"])
    assert len(overdue) == data["alerts"]["overdue_blockers"]

    for month in data["monthly_funds"]["months"]:
        for key in ("this_year", "last_year"):
            for suffix in ("", "_cumulative"):
                url = month[f"{key}{suffix}_url"]
                if url is None:
                    assert month[f"{key}{suffix}_wan"] is None
                    continue
                assert amounts(listed(client, url)) == D(month[f"{key}{suffix}_wan"]), url

    for group in data["units"]["groups"]:
        for unit in group["units"]:
            projects = listed(client, unit["url"])  # the unit's bar opens its project list
            assert {p["unit"] for p in projects} <= {unit["unit_id"]}
            assert len(projects) == unit["projects"]
            assert amounts(listed(client, unit["funds_url"])) == D(unit["funds_wan"])

    for stage in data["funnel"]["stages"]:
        assert len(listed(client, stage["url"])) == stage["count"]
    for row in data["industries"]["industries"]:
        projects = listed(client, row["url"])
        assert len(projects) == row["count"]
        assert amounts(projects, "contract_amount_wan") == D(row["contract_amount_wan"])
    for row in data["origins"]["origins"]:
        assert len(listed(client, row["projects_url"])) == row["projects"]
        assert amounts(listed(client, row["funds_url"])) == D(row["funds_wan"])
    for row in data["size_classes"]["classes"]:
        assert len(listed(client, row["url"])) == row["count"]
    for group in data["teams"]["groups"]:
        for team in group["teams"]:
            assert amounts(listed(client, team["url"])) == D(team["funds_wan"])
    key = listed(client, data["key_projects"]["list_url"])
    assert sorted(p["code"] for p in key) == sorted(
        p["code"] for p in data["key_projects"]["projects"]
    )


def test_a_link_opens_the_list_page_with_the_same_total(client_as, api_as, leader, county):
    """The links are pages: the funds card's page, exported, adds up to the card."""
    data = get(api_as, leader)
    client = client_as(leader)
    page = client.get(data["cards"]["funds"]["url"])
    assert page.status_code == 200
    # the page itself says the total (合计) of the card's figure
    assert "合计金额（万元）：4,100.00" in page.content.decode()
    export = client.get(data["cards"]["funds"]["url"] + "&export=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))[2:]
    assert sum(D(str(row[4])) for row in rows) == D("4100")
    unit_page = client.get(data["units"]["groups"][0]["units"][0]["url"]).content.decode()
    for code in ("A1", "A2", "A3"):
        assert f">{code}<" in unit_page


def test_unit_kind_narrows_the_county(api_as, leader, bureau_user, county):
    data = get(api_as, leader, query=f"{JUNE}&unit_kind=park")
    assert data["scope"]["unit_kind"] == "park"
    funds_card = data["cards"]["funds"]
    # the park: K1 2000 + K2 150 against its 3000
    assert (D(funds_card["actual_wan"]), D(funds_card["target_wan"])) == (2150, 3000)
    assert D(funds_card["progress"]) == D("0.7167")
    assert "unit_kind=park" in funds_card["url"]
    assert amounts(listed(api_as(leader), funds_card["url"])) == 2150
    assert [g["kind"] for g in data["units"]["groups"]] == ["park"]
    assert data["cards"]["signed"]["count"] == 1  # K1
    assert data["alerts"]["overdue_blockers"] == 1  # K1's
    assert len(listed(api_as(leader), data["alerts"]["overdue_blockers_url"])) == 1
    assert [s["count"] for s in data["funnel"]["stages"]] == [0, 0, 1, 0, 0, 0]
    assert [p["code"] for p in data["key_projects"]["projects"]] == ["K1"]
    # the 12510 default goal is the county's, not the park's
    assert data["size_classes"]["classes"][0]["goal"] is None
    assert get(api_as, bureau_user, query=f"{JUNE}&unit_kind=park")["cards"] == data["cards"]


# --- A unit's user: their unit, their teams, their rank; nothing of another unit -----------------


def test_a_unit_user_sees_their_unit_and_their_rank(api_as, officer_a, unit_head_a, county):
    data = get(api_as, officer_a)
    assert data["scope"]["kind"] == "unit" and data["scope"]["label"] == "甲镇"
    cards = data["cards"]
    # A1 1300 + A2 300 against 甲镇's 4000; nothing in 2025
    assert (D(cards["funds"]["actual_wan"]), D(cards["funds"]["target_wan"])) == (1600, 4000)
    assert (cards["funds"]["pace"], cards["funds"]["growth"]) == ("behind", None)
    assert (cards["signed"]["count"], D(cards["signed"]["contract_amount_wan"])) == (2, 18000)
    assert cards["started"]["count"] == 1
    assert cards["over_100m"]["count"] == 1
    # their own unit's funds by origin only: A1 1300 (省外), A2 300 (境外)
    origins = {row["origin"]: D(row["funds_wan"]) for row in data["origins"]["origins"]}
    assert origins == {"out_of_city": 0, "out_of_province": 1300, "foreign": 300}
    assert (data["alerts"]["stalled"], data["alerts"]["overdue_blockers"]) == (1, 1)
    own = data["units"]["own"]
    assert (own["name"], own["rank"], own["ranked"], own["kind"]) == ("甲镇", 1, 2, "township")
    assert [u["name"] for g in data["units"]["groups"] for u in g["units"]] == ["甲镇"]
    months = data["monthly_funds"]["months"]
    assert [D(m["this_year_wan"]) for m in months[:6]] == [0, 0, 800, 0, 0, 800]
    assert [t["name"] for g in data["teams"]["groups"] for t in g["teams"]] == ["深圳组"]
    assert [p["code"] for p in data["key_projects"]["projects"]] == ["A1"]
    assert [s["count"] for s in data["funnel"]["stages"]] == [0, 2, 0, 1, 0, 0]
    # the unit head of the same unit sees the same
    assert get(api_as, unit_head_a)["cards"] == cards
    # the links of a unit's user list their own unit's records, adding up to their figures
    client = api_as(officer_a)
    assert amounts(listed(client, cards["funds"]["url"])) == 1600
    assert len(listed(client, data["alerts"]["overdue_blockers_url"])) == 1


def test_no_other_units_records_leak_into_a_unit_users_json(
    api_as, officer_a, officer_b, unit_a, unit_b, county
):
    others = [unit_b, county["park"], county["d1"], county["d2"]]
    other_projects = Project.objects.exclude(unit=unit_a)
    for query in (JUNE, f"{JUNE}&unit_kind=park"):  # asking for another kind changes nothing
        text = json.dumps(get(api_as, officer_a, query=query), ensure_ascii=False)
        for unit in others:
            assert unit.name not in text and f'"{unit.code}"' not in text
            assert f'"unit_id": {unit.pk},' not in text and f"unit={unit.pk}&" not in text
        for project in other_projects:
            assert project.name not in text and f'"project_id": {project.pk},' not in text
        assert "长三角组" not in text  # a team officer A is not a member of
    # and the other way round: officer B sees 乙镇 only
    text = json.dumps(get(api_as, officer_b), ensure_ascii=False)
    assert "乙镇" in text and "甲镇" not in text and "深圳组" not in text


def test_an_account_without_a_unit_is_refused(api_as, client_as, county):
    from tests.factories import UserFactory

    nowhere = UserFactory(username="nowhere", role="officer", unit=None)
    assert api_as(nowhere).get(f"{API}?{JUNE}").status_code == 403
    assert client_as(nowhere).get(f"/dashboard/?{JUNE}").status_code == 403


# --- The period, published or live ----------------------------------------------------------------


def publish(period, version=1):
    return Report.objects.create(
        kind="monthly",
        period=period,
        version=version,
        status="published",
        published_at=timezone.now(),
        figures={},
    )


def test_the_default_period(api_as, leader, county):
    # nothing published: live figures to the end of the last complete month (June, on 15
    # July: July is not over)
    period = get(api_as, leader, query="")["period"]
    assert (period["source"], period["period"]) == ("live", "2026-06")
    assert get(api_as, leader, query="source=live&year=2026")["period"]["period"] == "2026-06"
    assert get(api_as, leader, query="source=live&year=2025")["period"]["period"] == "2025-12"
    Report.objects.create(kind="monthly", period=dt.date(2026, 6, 1), figures={})  # a draft
    assert get(api_as, leader, query="")["period"]["source"] == "live"
    publish(dt.date(2026, 4, 1))
    may = publish(dt.date(2026, 5, 1))
    publish(dt.date(2026, 5, 1), version=2)
    # the latest month with a published bulletin, its latest version
    period = get(api_as, leader, query="")["period"]
    assert (period["source"], period["period"]) == ("published", "2026-05")
    assert period["report"]["version"] == 2 and period["report"]["id"] != may.pk
    assert get(api_as, leader, query="month=4")["period"]["period"] == "2026-04"
    assert get(api_as, leader, query="source=live")["period"]["period"] == "2026-06"


def test_a_period_that_cannot_be_shown_answers_400(api_as, leader, county):
    publish(dt.date(2026, 5, 1))
    client = api_as(leader)
    for query, field in [
        ("source=published&month=6", "month"),  # June is not published
        ("source=published&year=2025", "year"),
        ("source=live&month=8", "month"),  # the future
        ("source=live&month=7", "month"),  # not over yet
        ("source=live&year=2027", "year"),
        ("month=13", "month"),
        ("source=weekly", "source"),
        ("unit_kind=bureau", "unit_kind"),
    ]:
        response = client.get(f"{API}?{query}")
        assert response.status_code == 400, query
        assert field in response.json() or "non_field_errors" in response.json(), query


def test_published_figures_are_cached_per_scope(api_as, leader, officer_a, county, monkeypatch):
    monkeypatch.setattr("reports.selectors.dashboard.TODAY_CACHE_SECONDS", TODAY_CACHE_SECONDS)
    june = publish(dt.date(2026, 6, 1))
    first = get(api_as, leader, query="")
    assert first["period"]["source"] == "published"
    assert D(first["cards"]["funds"]["actual_wan"]) == 4100
    # a late record for May: the published month's figures stay as cached
    a1 = Project.objects.get(code="A1")
    funds(a1, (2026, 5), 1000)
    again = get(api_as, leader, query="")
    assert D(again["cards"]["funds"]["actual_wan"]) == 4100
    assert again["monthly_funds"] == first["monthly_funds"]
    # live figures are not cached
    assert D(get(api_as, leader)["cards"]["funds"]["actual_wan"]) == 5100
    # another scope never reads the county's entry
    mine = get(api_as, officer_a, query="")
    assert mine["period"]["source"] == "published"
    assert D(mine["cards"]["funds"]["actual_wan"]) == 2600  # 1600 + the late 1000
    assert [u["name"] for g in mine["units"]["groups"] for u in g["units"]] == ["甲镇"]
    # the parks only: their own entry
    parks = get(api_as, leader, query="unit_kind=park")
    assert D(parks["cards"]["funds"]["actual_wan"]) == 2150
    # where things stand today is kept a few minutes only (here: three seconds from the
    # answer just before the change, so a slow machine's earlier requests do not matter)
    cache.clear()
    assert get(api_as, leader, query="")["alerts"]["stalled"] == 1
    Project.objects.filter(code="A2").update(started_on=dt.date(2026, 7, 1), stage="started")
    assert get(api_as, leader, query="")["alerts"]["stalled"] == 1
    time.sleep(TODAY_CACHE_SECONDS + 0.2)
    assert get(api_as, leader, query="")["alerts"]["stalled"] == 0
    # a new version of the month: new figures
    publish(dt.date(2026, 6, 1), version=june.version + 1)
    assert D(get(api_as, leader, query="")["cards"]["funds"]["actual_wan"]) == 5100


TODAY_CACHE_SECONDS = 3


def test_a_cached_month_costs_few_queries(api_as, leader, county):
    publish(dt.date(2026, 6, 1))
    client = api_as(leader)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(API).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(API).status_code == 200
    assert len(warm) < len(cold) / 2, (len(warm), len(cold))


# --- Speed: the query count does not grow with projects and records -------------------------------


def test_the_query_count_does_not_grow(api_as, leader, officer_a, unit_a, unit_b, county):
    industry = Industry.objects.get(code="EQ")

    def add_projects(count):
        for i in range(count):
            project = ProjectFactory(
                unit=unit_a if i % 2 else unit_b,
                industry=industry,
                stage="signed",
                is_key=i % 3 == 0,
                signed_on=dt.date(2026, 1 + i % 6, 2),
                contract_amount_wan=100 + i,
            )
            funds(project, (2026, 1 + i % 6), 10)
            funds(project, (2025, 1 + i % 12), 5)

    def queries(user, query):
        client = api_as(user)
        client.get(f"{API}?{query}")  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}?{query}").status_code == 200
        return len(captured)

    cases = [(leader, JUNE), (officer_a, JUNE), (leader, f"{JUNE}&unit_kind=township")]
    add_projects(10)
    few = [queries(user, query) for user, query in cases]
    add_projects(190)
    assert [queries(user, query) for user, query in cases] == few


# --- The page ---------------------------------------------------------------------------------------


def test_dashboard_grid(users, client_as, api_as, county):
    check_grid(
        users,
        client_as,
        "/dashboard/",
        [
            (None, "GET", LOGIN),
            ("officer_a", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
            ("leader", "POST", 405),
            ("bureau", "PUT", 405),
        ],
    )
    for url in (API, f"{API}units/"):
        check_grid(
            users,
            api_as,
            url,
            [
                (None, "GET", 401),
                ("officer_a", "GET", 200),
                ("officer_b", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("leader", "POST", 403),  # leaders change nothing
                ("officer_a", "POST", 405),
                ("bureau", "DELETE", 405),
            ],
            api=True,
        )
    check_grid(users, api_as, f"{API}nothing/", [("leader", "GET", 404)], api=True)


def test_the_page_frames_each_chart_and_reads_its_own_json(client_as, leader, officer_a, county):
    response = client_as(leader).get(f"/dashboard/?{JUNE}")
    page = response.content.decode()
    query = "source=live&amp;year=2026&amp;month=6"
    for name in ["monthly_funds", "units", "funnel", "industries", "origins"]:
        assert f'data-chart="{name}" data-url="/api/v1/dashboard/{name}/?{query}"' in page
    for name in ["size_classes", "teams"]:
        assert f'data-chart="{name}"' in page
    assert f'data-url="/api/v1/dashboard/key_projects/?{query}"' in page
    assert "vendor/echarts/echarts.min.js" in page and "js/dashboard.js" in page
    assert "css/dashboard.css" in page
    assert "<script>" not in page  # the Content-Security-Policy forbids inline scripts
    assert 'name="unit_kind"' in page and 'data-testid="card-rank"' not in page
    assert 'href="/dashboard/"' in page  # in the navigation
    mine = client_as(officer_a).get(f"/dashboard/?{JUNE}").content.decode()
    assert 'name="unit_kind"' not in mine and 'data-testid="card-rank"' in mine
    assert 'data-testid="scope-label">甲镇<' in mine


def test_the_page_explains_a_period_it_cannot_show(client_as, leader, county):
    publish(dt.date(2026, 5, 1))
    response = client_as(leader).get("/dashboard/?source=published&month=6")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="filter-errors"' in page and "data-chart=" not in page
    assert 'data-published-months="2026-05"' in page
