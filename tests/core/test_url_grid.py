"""The permission grid on every URL pattern, derived from the URL conf, so a new view cannot
be forgotten: a named pattern without a row in GRID fails the first test, naming it.

Each row is (user key, method, expected) as tests.grid.check_grid takes it, tried on a small
county whose records are made the first time a row asks for them. DESIGN.md ("Tests"):
anonymous (pages: the login redirect; the API: 401), an officer of another unit (404 on a
record of unit A that is not public), a leader trying to write (403), the right user
(200/201/202/302), a wrong method (405). A right user's write is sent a minimal valid payload
(302, 201 …) or an empty one, which must come back as the form with its errors (pages: 200,
or 400 where the page says so) or a 400 (API), never 403/404: each row says which.

Builds started here (reports) are queued on commit, which a django_db test never reaches.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from core.models import Job
from projects import services as project_services
from projects.models import Blocker, DuplicatePair
from reports.models import Report
from reports.services.draws import draw_make, inspection_photo_add
from reports.tasks import JOB_KIND_MONTHLY
from targets import services as target_services
from tests.factories import (
    TEST_PASSWORD,
    IndustryFactory,
    LeadFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
)
from tests.grid import LOGIN, check_grid
from tests.projects.conftest import pdf_upload
from tests.reports.annual_county import AnnualGridRecords
from tests.reports.half_year import GridRecords
from tests.reports.test_draws import tiny_png
from tests.trips.trip_helpers import make_team, make_trip
from trips.models import TripVisit

pytestmark = pytest.mark.django_db

Row = tuple[str | None, str, int | str]


# --- The URL conf ----------------------------------------------------------------------------


def url_names() -> set[str]:
    """Every pattern of the URL conf but Django admin's: named ones by the name `reverse`
    takes ("namespace:name"), unnamed ones by their full route. DRF's format-suffix
    patterns (and the "api-root" of each router) share their name, so they count once."""
    names: set[str] = set()

    def walk(patterns: list, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                if inner.split(":")[0] == "admin":
                    continue
                walk(pattern.url_patterns, inner, route)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
            else:
                names.add(route)

    walk(get_resolver().url_patterns, "", "")
    return names


# --- The county ------------------------------------------------------------------------------


class County:
    """Units A and B with the users of tests/conftest.py, and one record of each kind, made
    when a row first asks for it (a row of one URL makes only what that URL needs)."""

    def __init__(self, users: dict) -> None:
        self.users = users
        self.officer_a = users["officer_a"]
        self.bureau = users["bureau"]
        self.unit_a = self.officer_a.unit

    @cached_property
    def industry(self) -> Any:
        return IndustryFactory(code="BIO", name="生物医药")

    @cached_property
    def unit(self) -> Any:
        """A township besides A and B, for the bureau to edit and deactivate."""
        return UnitFactory(code="UC", name="丙镇")

    @cached_property
    def account(self) -> Any:
        """A colleague of officer A (unit A), for the bureau's account pages."""
        return UserFactory(username="staff_a", full_name="甲镇科员", unit=self.unit_a)

    @cached_property
    def lead(self) -> Any:
        return LeadFactory(
            unit=self.unit_a,
            industry=self.industry,
            company_name="甲镇线索企业有限公司",
            contact_phone="13800001111",
        )

    @cached_property
    def project(self) -> Any:
        """A project of unit A under construction (it reports funds and may be drawn)."""
        return ProjectFactory(
            code="A-1",
            name="甲镇新材料产业园",
            unit=self.unit_a,
            industry=self.industry,
            stage="constructing",
            signed_on=dt.date(2026, 1, 10),
            started_on=dt.date(2026, 2, 1),
            contract_amount_wan=8000,
        )

    @cached_property
    def shared_project(self) -> Any:
        """A project of unit A on which unit B cooperates: unit B reads it, A edits it."""
        project = ProjectFactory(code="A-2", unit=self.unit_a, industry=self.industry)
        project.cooperating_units.add(self.users["officer_b"].unit)
        return project

    @cached_property
    def document(self) -> Any:
        return project_services.document_upload(
            project=self.project, user=self.officer_a, kind="contract", file=pdf_upload()
        )

    @cached_property
    def blocker(self) -> Any:
        return Blocker.objects.create(
            project=self.project,
            category="land",
            description="用地指标未落实",
            owner_unit=self.unit_a,
            due_on=dt.date(2026, 8, 1),
        )

    @cached_property
    def funds(self) -> Any:
        """June's funds in place of the project, submitted by unit A with a bank statement."""
        return project_services.funds_submit(
            user=self.officer_a,
            project=self.project,
            period=dt.date(2026, 6, 1),
            kind="funds",
            amount_wan=Decimal("1200"),
            evidence=pdf_upload("银行回单.pdf"),
        )

    @cached_property
    def ledger(self) -> Any:
        """A project ledger officer A uploaded, its columns waiting to be mapped."""
        from ledgers.services import ledger_upload

        text = "项目名称,产业,协议引资额（万元）\n甲镇新项目,生物医药,3000\n".encode("gbk")
        return ledger_upload(
            user=self.officer_a,
            kind="projects",
            file=SimpleUploadedFile("甲镇项目台账.csv", text),
        )

    @cached_property
    def reserve(self) -> Any:
        """A reserve project of unit A's in the project library (which every user reads)."""
        return project_services.reserve_create(
            user=self.officer_a,
            data={
                "name": "甲镇细胞治疗产业化基地",
                "industry": self.industry,
                "total_investment_wan": Decimal("25000"),
                "location": "甲镇生物医药产业园",
            },
        )

    @cached_property
    def pair(self) -> Any:
        twin = ProjectFactory(unit=self.unit_a, industry=self.industry, name=self.project.name)
        return DuplicatePair.objects.create(project=twin, other=self.project, reason="同名")

    @cached_property
    def team(self) -> Any:
        return make_team("长三角小分队", self.unit_a, members=[self.officer_a], budget_wan=50)

    @cached_property
    def trip(self) -> Any:
        """A trip of unit A and of its team (whose only member unit is A)."""
        trip = make_trip((2026, 7, 1), (2026, 7, 3), unit=self.unit_a, team=self.team)
        TripVisit.objects.create(trip=trip, company="上海甲公司", contact_phone="13800000000")
        return trip

    @cached_property
    def visit(self) -> Any:
        return self.trip.visits.get()

    @cached_property
    def event(self) -> Any:
        """The bureau's spring fair (5–6 March), where unit A's project was re-signed."""
        from events.models import Event

        return Event.objects.create(
            kind="fair",
            name="春季投洽会",
            start_on=dt.date(2026, 3, 5),
            end_on=dt.date(2026, 3, 6),
            organiser=self.bureau.unit,
        )

    @cached_property
    def signing(self) -> Any:
        from events.services import event_signing_record

        return event_signing_record(
            event=self.event,
            user=self.officer_a,
            project=self.project,
            signed_on=dt.date(2026, 3, 5),
        )

    @cached_property
    def ground_breaking(self) -> Any:
        """The ground-breaking (集中开工) of 1 February, where unit A's project started."""
        from events.models import Event

        return Event.objects.create(
            kind="ground_breaking",
            name="一季度集中开工",
            start_on=dt.date(2026, 2, 1),
            end_on=dt.date(2026, 2, 1),
            organiser=self.bureau.unit,
        )

    @cached_property
    def event_start(self) -> Any:
        from events.services import event_start_record

        return event_start_record(
            event=self.ground_breaking, user=self.officer_a, project=self.project
        )

    @cached_property
    def target(self) -> Any:
        """Officer A's own funds target for 2026."""
        return target_services.target_set(
            user=self.bureau,
            year=2026,
            metric="funds",
            kind="person",
            owner=self.officer_a,
            value=Decimal("300"),
        )

    @cached_property
    def job(self) -> Any:
        """The bureau's build: its starter's (and the bureau's) only."""
        return Job.objects.create(kind=JOB_KIND_MONTHLY, created_by=self.bureau)

    @cached_property
    def own_job(self) -> Any:
        return Job.objects.create(kind=JOB_KIND_MONTHLY, created_by=self.officer_a)

    def report(self, kind: str, period: dt.date, status: str) -> Report:
        return Report.objects.create(
            kind=kind, period=period, status=status, figures={"period": period.isoformat()[:7]}
        )

    @cached_property
    def monthly(self) -> Report:
        return self.report("monthly", dt.date(2026, 5, 1), "published")

    @cached_property
    def monthly_draft(self) -> Report:
        return self.report("monthly", dt.date(2026, 6, 1), "draft")

    @cached_property
    def quarterly(self) -> Report:
        return self.report("quarterly", dt.date(2026, 1, 1), "published")

    @cached_property
    def quarterly_draft(self) -> Report:
        return self.report("quarterly", dt.date(2026, 4, 1), "draft")

    @cached_property
    def draw(self) -> Any:
        candidate = self.project  # the one live project past negotiation
        assert candidate.stage == "constructing"
        return draw_make(
            kind="projects", year=2026, quarter=3, size=1, seed="公开-2026Q3", user=self.bureau
        )

    @cached_property
    def inspection(self) -> Any:
        return self.draw.inspections.get()

    @cached_property
    def photo(self) -> Any:
        return inspection_photo_add(
            inspection=self.inspection,
            image=SimpleUploadedFile("现场.png", tiny_png()),
            caption="车间内景",
            user=self.bureau,
        )

    @cached_property
    def halfyear(self) -> GridRecords:
        """The half-year inspection's records (tests.reports.half_year.GridRecords)."""
        return GridRecords(self.unit_a, self.users["officer_b"].unit, self.bureau, self.officer_a)

    @cached_property
    def annual(self) -> AnnualGridRecords:
        """The year-end assessment's records (tests.reports.annual_county.AnnualGridRecords)."""
        return AnnualGridRecords(self.unit_a, self.bureau)

    @cached_property
    def stalled_project(self) -> Any:
        """A project of unit A signed but not started past its agreed start date."""
        return ProjectFactory(
            code="A-9",
            unit=self.unit_a,
            industry=self.industry,
            stage="signed",
            signed_on=dt.date(2026, 3, 1),
            agreed_start_on=dt.date(2026, 6, 1),
        )

    @cached_property
    def overdue_blocker(self) -> Any:
        return Blocker.objects.create(
            project=self.project,
            category="funding",
            description="配套资金未到位",
            owner_unit=self.unit_a,
            due_on=dt.date(2026, 7, 1),
        )

    @cached_property
    def order(self) -> Any:
        """A supervision order the bureau issued to unit A, open."""
        from supervision.services import order_issue

        return order_issue(
            user=self.bureau,
            data={
                "unit": self.unit_a,
                "subject_kind": "other",
                "matter": "报送上半年招商工作总结",
                "reason": "未按期报送",
                "due_on": dt.date(2026, 7, 25),
            },
        )

    @cached_property
    def notification(self) -> Any:
        """A notification of officer A's: theirs alone, whatever the reader's role."""
        from core.models import Notification

        return Notification.objects.create(
            recipient=self.officer_a, kind="order_issued", text="您单位收到督办单", link="/orders/"
        )

    @cached_property
    def answered_order(self) -> Any:
        """An order to unit A that officer A has answered, awaiting the bureau."""
        from supervision.services import order_answer, order_issue

        order = order_issue(
            user=self.bureau,
            data={
                "unit": self.unit_a,
                "subject_kind": "report",
                "report_period": dt.date(2026, 6, 1),
                "matter": "补报6月到位资金",
                "reason": "6月资金未报送",
                "due_on": dt.date(2026, 7, 25),
            },
        )
        order_answer(user=self.officer_a, order=order, text="已补报", evidence=pdf_upload())
        return order


# --- How a URL is tried ----------------------------------------------------------------------


def no_kwargs(county: County) -> dict[str, Any]:
    return {}


def pk(record: str, **more: str) -> Callable[[County], dict[str, Any]]:
    """The URL's `pk` (and other keywords) from the county's records by name."""

    def kwargs(county: County) -> dict[str, Any]:
        found = {"pk": getattr(county, record).pk}
        found.update({key: getattr(county, name).pk for key, name in more.items()})
        return found

    return kwargs


@dataclass(frozen=True)
class Check:
    """Rows tried on one URL. `data` is made afresh for each row (an uploaded file is read
    once); `query` is appended to the URL; `client` "token" sends a page URL with an API
    token instead of a session, "bad-token" with a token that is no one's."""

    rows: tuple[Row, ...]
    kwargs: Callable[[County], dict[str, Any]] = no_kwargs
    data: Callable[[County], Any] | None = None
    query: Callable[[County], str] | str = ""
    client: str = "session"


def data(**fields: Any) -> Callable[[County], dict[str, Any]]:
    return lambda county: fields


EMPTY = data()

# Pages and endpoints every logged-in user reads (lists, the county's shared records).
READ_PAGE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_b", "GET", 200),
    ("unit_head_a", "GET", 200),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("bureau", "POST", 405),
)
READ_API: tuple[Row, ...] = (
    (None, "GET", 401),
    ("officer_b", "GET", 200),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("leader", "POST", 403),  # leaders change nothing, whatever the endpoint
)
# A record of unit A: its unit's staff, the bureau and leaders read it, unit B does not.
UNIT_A_PAGE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_b", "GET", 404),
    ("officer_a", "GET", 200),
    ("unit_head_a", "GET", 200),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("officer_a", "POST", 405),
)
# The edit form of a record of unit A; the empty form comes back with its errors (200).
UNIT_A_FORM: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_b", "GET", 404),
    ("officer_b", "POST", 404),
    ("leader", "GET", 403),
    ("leader", "POST", 403),
    ("officer_a", "GET", 200),
    ("bureau", "GET", 200),
    ("officer_a", "DELETE", 405),
    ("officer_a", "POST", 200),
)
# A form posted from the page of a record of unit A; the empty form comes back (200).
UNIT_A_ACTION: tuple[Row, ...] = (
    (None, "POST", LOGIN),
    ("officer_b", "POST", 404),
    ("leader", "POST", 403),
    ("officer_a", "GET", 405),
    ("officer_a", "POST", 200),
)
# The library's records are public: unit B reads them (200) and may not change them (403).
PUBLIC_UNIT_A_FORM: tuple[Row, ...] = tuple(
    (who, method, 403 if who == "officer_b" else expected) for who, method, expected in UNIT_A_FORM
)
PUBLIC_UNIT_A_ACTION: tuple[Row, ...] = tuple(
    (who, method, 403 if who == "officer_b" else expected)
    for who, method, expected in UNIT_A_ACTION
)
# A new record's form, for unit staff; the empty form comes back (200).
CREATE_PAGE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_a", "GET", 200),
    ("officer_b", "GET", 200),
    ("leader", "GET", 403),
    ("leader", "POST", 403),
    ("bureau", "GET", 200),
    ("officer_a", "PUT", 405),
    ("officer_a", "POST", 200),
)
# A form of the bureau's alone; the empty form comes back (200).
BUREAU_FORM: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_a", "GET", 403),
    ("unit_head_a", "POST", 403),
    ("leader", "GET", 403),
    ("leader", "POST", 403),
    ("bureau", "GET", 200),
    ("bureau", "PUT", 405),
    ("bureau", "POST", 200),
)
# A record of unit A over the API: reads, and the refusals that come before any payload is
# read (each entry adds its right user's write with a payload).
UNIT_A_API: tuple[Row, ...] = (
    (None, "GET", 401),
    (None, "PATCH", 401),
    ("officer_b", "GET", 404),
    ("officer_b", "PATCH", 404),
    ("officer_a", "GET", 200),
    ("unit_head_a", "GET", 200),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("leader", "PATCH", 403),
    ("officer_a", "DELETE", 405),
    ("bureau", "DELETE", 405),
)
# An action (POST) on a record of unit A over the API, before its payload is read.
UNIT_A_API_ACTION: tuple[Row, ...] = (
    (None, "POST", 401),
    ("officer_b", "POST", 404),
    ("leader", "POST", 403),
    ("officer_a", "GET", 405),
)
# A published report: every logged-in user reads it; a draft: the bureau alone.
PUBLISHED_PAGE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_b", "GET", 200),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("bureau", "POST", 405),
)
DRAFT_PAGE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_a", "GET", 404),
    ("leader", "GET", 404),  # leaders read published reports only
    ("bureau", "GET", 200),
    ("bureau", "POST", 405),
)
PUBLISHED_API: tuple[Row, ...] = (
    (None, "GET", 401),
    ("officer_b", "GET", 200),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("bureau", "PATCH", 405),
    ("bureau", "DELETE", 405),
)
DRAFT_API: tuple[Row, ...] = (
    (None, "GET", 401),
    ("officer_a", "GET", 404),
    ("leader", "GET", 404),
    ("bureau", "GET", 200),
    ("bureau", "PUT", 405),
)


def publish_page(draft: str, published: str) -> tuple[Check, ...]:
    """A report's publish page: the bureau is asked to confirm (GET) and publishes a draft
    (POST, with a note and the confirmation, needed only while its months are open)."""
    note = data(note="按期发布", confirm="on")
    return (
        Check(
            kwargs=pk(draft),
            rows=(
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "POST", 404),  # a draft is the bureau's: not found
                ("leader", "POST", 404),
                ("leader", "GET", 404),
                ("bureau", "GET", 200),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 302),
            ),
            data=note,
        ),
        Check(
            kwargs=pk(published),
            rows=(
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 302),  # published already: back to the report
            ),
            data=note,
        ),
    )


def publish_api(draft: str) -> tuple[Check, ...]:
    return (
        Check(
            kwargs=pk(draft),
            rows=(
                (None, "POST", 401),
                ("officer_a", "POST", 403),  # writing is the bureau's, before any lookup
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 200),
                ("bureau", "POST", 400),  # published already
            ),
            data=data(confirm=True, note="按期发布"),
        ),
    )


def png(county: County) -> dict[str, Any]:
    return {"photo-image": SimpleUploadedFile("外景.png", tiny_png()), "photo-caption": "外景"}


def monthly_task(county: County) -> dict[str, Any]:
    """The monthly build's schedule with none of its fields: refused field by field."""
    return {"task": PeriodicTask.objects.get(task="reports.schedule_monthly_bulletin").pk}


def draw_form(county: County) -> dict[str, Any]:
    """This quarter's draw of one project, from the county's project under construction."""
    note = f"候选：{county.project.code}"
    return {"kind": "projects", "year": 2026, "quarter": 3, "size": 1, "seed": "", "note": note}


def person_grid(county: County) -> str:
    return f"?year=2026&kind=person&unit={county.unit_a.pk}"


def hy(name: str) -> Callable[[County], dict[str, Any]]:
    """The URL's `pk`: one of the half-year inspection's records (GridRecords) by name."""
    return lambda county: {"pk": getattr(county.halfyear, name).pk}


def hy_finding_form(county: County) -> dict[str, Any]:
    item = county.halfyear.draft_item
    return {"finding-item": item.pk, "finding-text": "台账已补", "finding-deadline": ""}


HY_REPORT = data(
    **{
        "report-reported_on": "2026-07-10",
        "report-reported_by": "甲镇长",
        "report-outcome": "fairly_good",
    }
)
# A bureau's form posted on a draft of the half-year inspection (its unit sees it: 403).
HY_DRAFT_ACTION: tuple[Row, ...] = (
    (None, "POST", LOGIN),
    ("officer_b", "POST", 404),
    ("officer_a", "POST", 403),
    ("leader", "POST", 404),  # drafts are not yet the county's
    ("bureau", "GET", 405),
    ("bureau", "POST", 200),  # empty form: comes back with its errors
)
# The same on the draft inspection itself, which its units do not see yet.
HY_DRAFT_INSPECTION_ACTION: tuple[Row, ...] = tuple(
    (who, method, 404 if who == "officer_a" else expected)
    for who, method, expected in HY_DRAFT_ACTION
)
# The same on a published inspection: every user sees it, only the bureau writes.
HY_PUBLISHED_ACTION: tuple[Row, ...] = (
    ("officer_b", "POST", 403),
    ("leader", "POST", 403),
)


def ya(name: str, unit: bool = False) -> Callable[[County], dict[str, Any]]:
    """The URL's `pk` (and unit A as `unit_id`): one of the year-end assessment's records
    (AnnualGridRecords) by name."""

    def kwargs(county: County) -> dict[str, Any]:
        found = {"pk": getattr(county.annual, name).pk}
        if unit:
            found["unit_id"] = county.unit_a.pk
        return found

    return kwargs


def ya_year(county: County) -> dict[str, Any]:
    return {"year": 2026}


def ya_build(county: County) -> dict[str, Any]:
    assert county.annual.scheme  # a year is built under its scheme
    return {"year": 2026}


def ya_scheme_form(county: County) -> dict[str, Any]:
    return {
        "grade_method": "thresholds",
        "excellent_min": "90",
        "good_min": "80",
        "pass_min": "60",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-metric": "funds",
        "indicators-0-weight": "100",
        "indicators-0-method": "ratio",
        "indicators-0-cap": "1.2",
    }


def ya_manual_form(county: County) -> dict[str, Any]:
    return {"unit": county.unit_a.pk, "title": "重大项目推进", "points": "2", "note": "县委表扬"}


# A published assessment: the bureau and leaders read it; a unit's staff are taken to their
# own unit's breakdown.
YA_PUBLISHED_PAGE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_a", "GET", 302),
    ("officer_b", "GET", 302),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("bureau", "POST", 405),
)
# A unit's breakdown (unit A's) of a published assessment: its own staff, the bureau and
# leaders read it; another unit's staff do not.
YA_UNIT_PAGE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_b", "GET", 404),
    ("officer_a", "GET", 200),
    ("unit_head_a", "GET", 200),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("officer_a", "POST", 405),
)
# The whole assessment's workbook: the bureau's and the leaders'.
YA_WHOLE: tuple[Row, ...] = (
    (None, "GET", LOGIN),
    ("officer_a", "GET", 404),
    ("leader", "GET", 200),
    ("bureau", "GET", 200),
    ("bureau", "POST", 405),
)


GRID: dict[str, tuple[Check, ...]] = {
    # --- Shell, login, files, options -------------------------------------------------------
    "home": (Check(READ_PAGE),),
    "login": (
        Check(
            (
                (None, "GET", 200),
                ("officer_a", "GET", 302),  # logged in: home, whatever the method (405: anonymous)
                (None, "DELETE", 405),
            )
        ),
        Check(((None, "POST", 302),), data=data(username="officer_a", password=TEST_PASSWORD)),
        Check(((None, "POST", 200),), data=data(username="officer_a", password="wrong")),
    ),
    "logout": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "GET", 405),
                ("leader", "POST", 302),  # logging out is no change of the county's
                ("officer_a", "POST", 302),
            )
        ),
    ),
    "password_change": (
        Check(
            (
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "GET", 200),
                ("leader", "GET", 200),  # one's own password: leaders too
                ("officer_a", "DELETE", 405),
                ("officer_a", "POST", 200),  # empty form: comes back with its errors
            )
        ),
        Check(
            (("leader", "POST", 302),),
            data=data(
                old_password=TEST_PASSWORD,
                new_password1="Fresh-password-2026",
                new_password2="Fresh-password-2026",
            ),
        ),
    ),
    # Any method redirects to `next`; a POST also sets the language. Open to the anonymous.
    "set_language": (
        Check(
            ((None, "POST", 302), ("officer_a", "POST", 302), ("leader", "GET", 302)),
            data=data(language="en", next="/"),
        ),
    ),
    "select-options": (
        Check(  # a list's filter: everyone's, as its page is
            kwargs=data(key="projects.filters.ProjectFilter", field_name="unit"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),
                ("leader", "GET", 200),
                ("officer_a", "POST", 405),
            ),
        ),
        Check(  # a model form: for those who may write its kind
            kwargs=data(key="projects.forms.ProjectForm", field_name="cooperating_units"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_a", "GET", 200),
                ("leader", "GET", 403),
            ),
        ),
        Check(
            kwargs=data(key="projects.models.Project", field_name="unit"),
            rows=(("bureau", "GET", 404),),
        ),
    ),
    "protected-file": (
        Check(
            kwargs=lambda c: {"kind": "document", "pk": c.document.pk},
            rows=(
                (None, "GET", LOGIN),  # no Authorization header: the page's login redirect
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 405),
            ),
        ),
        Check(
            kwargs=lambda c: {"kind": "document", "pk": c.document.pk},
            rows=(("officer_b", "GET", 404), ("officer_a", "GET", 200)),
            client="token",
        ),
        Check(
            kwargs=lambda c: {"kind": "document", "pk": c.document.pk},
            rows=((None, "GET", 401),),
            client="bad-token",
        ),
        Check(
            kwargs=lambda c: {"kind": "evidence", "pk": c.funds.pk},
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),
                ("leader", "GET", 200),
                ("officer_a", "POST", 405),
            ),
        ),
        Check(
            kwargs=lambda c: {"kind": "inspection-photo", "pk": c.photo.pk},
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),  # the draw and its findings are public
                ("leader", "GET", 200),
                ("bureau", "POST", 405),
            ),
        ),
        Check(
            kwargs=lambda c: {"kind": "halfyear-finding", "pk": c.halfyear.finding.pk},
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),  # published results are public
                ("leader", "GET", 200),
                ("bureau", "POST", 405),
            ),
        ),
        Check(
            kwargs=lambda c: {"kind": "halfyear-finding", "pk": c.halfyear.draft_finding.pk},
            rows=(
                ("officer_b", "GET", 404),
                ("leader", "GET", 404),  # a draft: the bureau's and the unit's
                ("officer_a", "GET", 200),
                ("bureau", "GET", 200),
            ),
        ),
        Check(
            kwargs=lambda c: {"kind": "halfyear-rectification", "pk": c.halfyear.rectification.pk},
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),
                ("officer_a", "GET", 200),
                ("bureau", "POST", 405),
            ),
        ),
        Check(
            kwargs=lambda c: {"kind": "nothing", "pk": c.document.pk},
            rows=(("bureau", "GET", 404),),
        ),
    ),
    # --- Units, accounts, teams -------------------------------------------------------------
    "teams:unit_list": (Check(READ_PAGE),),
    "teams:unit_create": (
        Check(BUREAU_FORM),
        Check(
            (("bureau", "POST", 302),),
            data=data(code="NEW", name="新单位", kind="park", sort_order=3),
        ),
    ),
    "teams:unit_detail": (Check(READ_PAGE, kwargs=pk("unit")),),  # the county's shared list
    "teams:unit_update": (
        Check(BUREAU_FORM, kwargs=pk("unit")),
        Check(
            (("bureau", "POST", 302),),
            kwargs=pk("unit"),
            data=data(code="UC", name="丙镇（新）", kind="township", sort_order=1),
        ),
    ),
    "teams:unit_set_active": (
        Check(
            kwargs=pk("unit"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
        ),
    ),
    "teams:user_list": (Check(READ_PAGE),),
    "teams:user_create": (
        Check(BUREAU_FORM),
        Check(
            (("bureau", "POST", 302),),
            data=lambda c: {
                "username": "new_officer",
                "full_name": "新专员",
                "role": "officer",
                "unit": c.unit_a.pk,
                "phone": "",
                "email": "",
                "password1": "Qingshan-county-2026",
                "password2": "Qingshan-county-2026",
            },
        ),
    ),
    "teams:user_detail": (Check(UNIT_A_PAGE, kwargs=pk("account")),),
    "teams:user_update": (
        Check(
            kwargs=pk("account"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("officer_b", "POST", 404),
                ("officer_a", "GET", 403),  # accounts are the bureau's, a colleague's too
                ("leader", "POST", 403),
                ("bureau", "GET", 200),
                ("bureau", "DELETE", 405),
                ("bureau", "POST", 200),  # empty form: comes back with its errors
            ),
        ),
        Check(
            (("bureau", "POST", 302),),
            kwargs=pk("account"),
            data=lambda c: {
                "username": "staff_a",
                "full_name": "甲镇科员（改）",
                "role": "officer",
                "unit": c.unit_a.pk,
                "phone": "",
                "email": "",
            },
        ),
    ),
    "teams:user_set_active": (
        Check(
            kwargs=pk("account"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
        ),
    ),
    "teams:user_unlock": (
        Check(
            kwargs=pk("account"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
        ),
    ),
    "teams:user_password_reset": (
        Check(
            kwargs=pk("account"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 200),
                ("bureau", "DELETE", 405),
            ),
        ),
        Check(
            (("bureau", "POST", 302),),
            kwargs=pk("account"),
            data=data(password1="Fresh-password-2026", password2="Fresh-password-2026"),
        ),
    ),
    "teams:team_list": (Check(READ_PAGE),),
    "teams:team_create": (Check(BUREAU_FORM),),
    "teams:team_detail": (Check(READ_PAGE, kwargs=pk("team")),),  # teams are the county's
    "teams:team_update": (
        Check((*BUREAU_FORM, ("officer_a", "POST", 403)), kwargs=pk("team")),  # a member
    ),
    # --- Industries, leads, projects --------------------------------------------------------
    "projects:industry_list": (Check(READ_PAGE),),
    "projects:industry_create": (
        Check(BUREAU_FORM),
        Check((("bureau", "POST", 302),), data=data(code="NEV", name="新能源汽车", sort_order=1)),
    ),
    "projects:industry_update": (
        Check(BUREAU_FORM, kwargs=pk("industry")),
        Check(
            (("bureau", "POST", 302),),
            kwargs=pk("industry"),
            data=data(code="BIO", name="生物医药产业链", sort_order=1, is_active="on"),
        ),
    ),
    "projects:lead_list": (Check(READ_PAGE), Check(READ_PAGE, query="?clock=red")),
    "projects:lead_clock": (
        Check(BUREAU_FORM),
        Check((("bureau", "POST", 302),), data=data(amber_days=2, red_days=5)),
    ),
    "projects:lead_create": (Check(CREATE_PAGE),),
    "projects:lead_duplicates": (
        Check(
            query="?company_name=甲镇线索",
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),  # the county's shared pool
                ("leader", "GET", 200),
                ("officer_a", "POST", 405),
            ),
        ),
    ),
    "projects:lead_detail": (Check(UNIT_A_PAGE, kwargs=pk("lead")),),
    "projects:lead_update": (Check(UNIT_A_FORM, kwargs=pk("lead")),),
    "projects:lead_follow_up": (Check(UNIT_A_ACTION, kwargs=pk("lead")),),
    "projects:lead_drop": (Check(UNIT_A_ACTION, kwargs=pk("lead")),),
    "projects:lead_convert": (Check(UNIT_A_FORM, kwargs=pk("lead")),),
    "projects:project_list": (Check(READ_PAGE),),
    "projects:project_create": (Check(CREATE_PAGE),),
    "projects:duplicate_list": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 403),
                ("leader", "GET", 403),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            )
        ),
    ),
    "projects:duplicate_decide": (
        Check(
            kwargs=pk("pair"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=data(decision="distinct"),
        ),
    ),
    "projects:project_detail": (
        Check(UNIT_A_PAGE, kwargs=pk("project")),
        Check((("officer_b", "GET", 200),), kwargs=pk("shared_project")),  # cooperating
    ),
    "projects:project_update": (
        Check(UNIT_A_FORM, kwargs=pk("project")),
        Check((("officer_b", "GET", 403), ("officer_b", "POST", 403)), kwargs=pk("shared_project")),
    ),
    "projects:project_stage": (Check(UNIT_A_ACTION, kwargs=pk("project")),),
    "projects:project_follow_up": (Check(UNIT_A_ACTION, kwargs=pk("project")),),
    "projects:document_upload": (Check(UNIT_A_ACTION, kwargs=pk("project")),),
    "projects:blocker_create": (Check(UNIT_A_ACTION, kwargs=pk("project")),),
    "projects:project_funds": (
        Check(UNIT_A_ACTION, kwargs=pk("project")),
        # A cooperating unit reads the project but reports none of its funds.
        Check((("officer_b", "POST", 403),), kwargs=pk("shared_project")),
    ),
    "projects:document_review": (
        Check(
            kwargs=pk("project", document_pk="document"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),  # filing is the bureau's
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=data(**{"review-status": "filed"}),
        ),
    ),
    "projects:blocker_list": (Check(READ_PAGE),),
    "projects:blocker_update": (Check(UNIT_A_FORM, kwargs=pk("blocker")),),
    # --- Funds ------------------------------------------------------------------------------
    "projects:funds_ledger": (Check(READ_PAGE),),
    "projects:funds_status": (Check(READ_PAGE),),
    "projects:funds_entry": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 200),
                ("leader", "GET", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 200),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 302),  # no line entered: nothing to save, saved
            )
        ),
    ),
    "projects:funds_queue": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 403),
                ("leader", "GET", 403),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            )
        ),
    ),
    "projects:funds_verify_many": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=lambda c: {"selected": [c.funds.pk]},
        ),
    ),
    "projects:funds_detail": (Check(UNIT_A_PAGE, kwargs=pk("funds")),),
    "projects:funds_edit": (Check(UNIT_A_ACTION, kwargs=pk("funds")),),
    "projects:funds_correct": (Check(UNIT_A_ACTION, kwargs=pk("funds")),),
    "projects:funds_verify": (
        Check(
            kwargs=pk("funds"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 403),  # verifying is the bureau's, asked before the lookup
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
        ),
    ),
    "projects:funds_reject": (
        Check(
            kwargs=pk("funds"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 200),  # empty form: the reason is missing
            ),
        ),
        Check(
            (("bureau", "POST", 302),),
            kwargs=pk("funds"),
            data=data(**{"reject-reason": "回单不符"}),
        ),
    ),
    # --- The project library, sponsored projects ------------------------------------------
    "projects:reserve_list": (Check(READ_PAGE),),
    "projects:reserve_create": (Check(CREATE_PAGE),),
    "projects:reserve_catalogue": (Check(READ_PAGE),),
    "projects:reserve_catalogue_xlsx": (Check(READ_PAGE),),
    "projects:reserve_detail": (Check(READ_PAGE, kwargs=pk("reserve")),),
    "projects:reserve_update": (Check(PUBLIC_UNIT_A_FORM, kwargs=pk("reserve")),),
    "projects:reserve_lead": (Check(PUBLIC_UNIT_A_FORM, kwargs=pk("reserve")),),
    "projects:reserve_move": (
        Check(PUBLIC_UNIT_A_ACTION, kwargs=pk("reserve")),
        Check((("officer_a", "POST", 302),), kwargs=pk("reserve"), data=data(to="promoting")),
    ),
    "projects:reserve_material_upload": (Check(PUBLIC_UNIT_A_ACTION, kwargs=pk("reserve")),),
    "projects:sponsored": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 403),  # officers and unit heads sponsor nothing
                ("unit_head_a", "GET", 403),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("leader", "POST", 405),
            )
        ),
    ),
    # --- Ledger imports: unit staff import, their unit's imports are theirs; leaders none ---
    "ledgers:list": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 200),
                ("officer_b", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("bureau", "GET", 200),
                ("leader", "GET", 403),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 200),  # no file: the form comes back with its errors
            )
        ),
    ),
    "ledgers:template": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_b", "GET", 200),
                ("bureau", "GET", 200),
                ("leader", "GET", 403),
                ("bureau", "POST", 405),
            ),
            kwargs=lambda county: {"kind": "projects"},
        ),
    ),
    "ledgers:detail": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("bureau", "GET", 200),
                ("leader", "GET", 403),
                ("officer_a", "POST", 405),
            ),
            kwargs=pk("ledger"),
        ),
    ),
    "ledgers:map": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),  # nothing chosen: the project name is missing
            ),
            kwargs=pk("ledger"),
        ),
    ),
    "ledgers:confirm": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 302),  # not previewed yet: back to the page, told why
            ),
            kwargs=pk("ledger"),
        ),
    ),
    # --- Trips ------------------------------------------------------------------------------
    "trips:team_performance": (Check(READ_PAGE),),
    "trips:trip_list": (Check(READ_PAGE),),
    "trips:trip_create": (Check(CREATE_PAGE),),
    "trips:quota_table": (Check(READ_PAGE),),
    "trips:quota_settings": (Check((*BUREAU_FORM[:-1], ("bureau", "POST", 302))),),
    "trips:trip_detail": (Check(UNIT_A_PAGE, kwargs=pk("trip")),),
    "trips:trip_update": (Check(UNIT_A_FORM, kwargs=pk("trip")),),
    "trips:trip_lead_create": (Check(UNIT_A_FORM, kwargs=pk("trip", visit_pk="visit")),),
    # --- Events (以会招商) -------------------------------------------------------------------
    "events:event_list": (Check(READ_PAGE),),
    "events:event_create": (
        Check(BUREAU_FORM),
        Check(
            (("bureau", "POST", 302),),
            data=lambda c: {
                "kind": "promotion",
                "name": "长三角推介会",
                "start_on": "2026-07-20",
                "end_on": "2026-07-21",
                "organiser": c.bureau.unit.pk,
            },
        ),
    ),
    # Every user reads every event (officer B too); the bureau alone changes it.
    "events:event_detail": (Check(READ_PAGE, kwargs=pk("event")),),
    "events:event_update": (Check(BUREAU_FORM, kwargs=pk("event")),),
    "events:event_quota_set": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 200),  # empty: the page comes back with the errors
            ),
            kwargs=pk("event"),
        ),
        Check(
            (("bureau", "POST", 302),),
            kwargs=pk("event"),
            data=lambda c: {"quota-unit": c.unit_a.pk, "quota-signing_quota": 1},
        ),
    ),
    "events:event_signing": (
        Check(
            (
                (None, "POST", LOGIN),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),
            ),
            kwargs=pk("event"),
        ),
        Check(
            (
                ("officer_b", "POST", 200),  # unit A's project is not theirs: refused on the form
                ("leader", "POST", 403),
                ("officer_a", "POST", 302),
            ),
            kwargs=pk("event"),
            data=lambda c: {"signing-project": c.project.pk, "signing-signed_on": "2026-03-05"},
        ),
    ),
    "events:event_signing_remove": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 302),
            ),
            kwargs=pk("event", record_pk="signing"),
        ),
    ),
    "events:event_start": (
        Check(
            (
                (None, "POST", LOGIN),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),
            ),
            kwargs=pk("ground_breaking"),
        ),
        Check(
            (("officer_b", "POST", 200), ("officer_a", "POST", 302)),
            kwargs=pk("ground_breaking"),
            data=lambda c: {"start-project": c.project.pk},
        ),
    ),
    "events:event_start_remove": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 302),
            ),
            kwargs=pk("ground_breaking", record_pk="event_start"),
        ),
    ),
    "events:event_lead": (
        Check(
            (
                (None, "POST", LOGIN),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),
            ),
            kwargs=pk("event"),
        ),
        Check(
            (("officer_b", "POST", 200), ("officer_a", "POST", 302)),
            kwargs=pk("event"),
            data=lambda c: {"lead-lead": c.lead.pk},
        ),
    ),
    "events:event_invite": (
        Check(
            (
                (None, "POST", LOGIN),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),
            ),
            kwargs=pk("event"),
        ),
        Check(
            (("officer_b", "POST", 302), ("officer_a", "POST", 302)),
            kwargs=pk("event"),
            data=data(**{"invitation-company_name": "宁波锂能科技有限公司"}),
        ),
    ),
    # --- Supervision orders: the bureau issues, closes, returns; unit A answers its own ---
    "supervision:order_list": (Check(READ_PAGE),),
    "supervision:order_create": (
        Check(BUREAU_FORM),
        Check(
            (("bureau", "POST", 302),),
            data=lambda c: {
                "unit": c.unit_a.pk,
                "subject_kind": "other",
                "matter": "报送招商线索",
                "reason": "本季度未报送",
                "due_on": "2026-07-30",
            },
        ),
    ),
    "supervision:order_detail": (Check(UNIT_A_PAGE, kwargs=pk("order")),),
    "supervision:order_answer": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("leader", "POST", 403),
                ("bureau", "POST", 403),  # the unit answers, not the bureau
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),  # empty form: the text and evidence are missing
            ),
            kwargs=pk("order"),
        ),
        Check(
            (("unit_head_a", "POST", 302),),
            kwargs=pk("order"),
            data=lambda c: {"answer-text": "已报送", "answer-evidence": pdf_upload()},
        ),
    ),
    "supervision:order_close": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            kwargs=pk("answered_order"),
        ),
    ),
    "supervision:order_return": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 200),  # empty form: the reason is missing
            ),
            kwargs=pk("answered_order"),
        ),
        Check(
            (("bureau", "POST", 302),),
            kwargs=pk("answered_order"),
            data=data(**{"return-reason": "材料不全"}),
        ),
    ),
    "supervision:raise_for_project": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 403),  # issuing is the bureau's, asked before the lookup
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            kwargs=pk("stalled_project"),
        ),
    ),
    "supervision:raise_for_blocker": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_b", "POST", 403),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            kwargs=pk("overdue_blocker"),
        ),
    ),
    # --- Targets ----------------------------------------------------------------------------
    "targets:grid": (
        Check(
            query="?year=2026&kind=unit",
            rows=(
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "GET", 403),
                ("unit_head_a", "GET", 403),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 302),  # nothing typed: nothing changed, saved
            ),
        ),
        Check(
            query=person_grid,
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),  # unit A's staff
                ("officer_b", "POST", 404),
                ("officer_a", "GET", 403),
                ("officer_a", "POST", 403),
                ("unit_head_a", "GET", 200),
                ("leader", "GET", 200),
                ("leader", "POST", 403),
                ("bureau", "GET", 200),
                ("unit_head_a", "DELETE", 405),
                ("unit_head_a", "POST", 302),
            ),
        ),
    ),
    "targets:grid_copy": (
        Check(
            query=person_grid,
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("unit_head_a", "GET", 405),
                ("bureau", "GET", 405),
                ("unit_head_a", "POST", 302),
                ("bureau", "POST", 302),
            ),
        ),
    ),
    "targets:grid_import": (
        Check(
            query=person_grid,
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("unit_head_a", "GET", 405),
                ("bureau", "GET", 405),
                ("unit_head_a", "POST", 200),  # no workbook: the page says so
            ),
        ),
    ),
    "targets:progress": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 403),
                ("unit_head_a", "GET", 403),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            )
        ),
    ),
    "targets:mine": (Check((*READ_PAGE, ("officer_a", "GET", 200))),),
    # --- Reports: dashboard, bulletin, review, schedule, draw -------------------------------
    "reports:dashboard": (Check((*READ_PAGE, ("bureau", "PUT", 405))),),
    "reports:monthly_list": (Check(READ_PAGE),),
    "reports:monthly_build": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),  # to the job's page
            ),
            data=data(period="2026-06"),
        ),
        Check((("bureau", "POST", 400),), data=EMPTY),
    ),
    "reports:monthly_detail": (
        Check(PUBLISHED_PAGE, kwargs=pk("monthly")),
        Check(DRAFT_PAGE, kwargs=pk("monthly_draft")),
    ),
    "reports:monthly_xlsx": (
        Check(PUBLISHED_PAGE, kwargs=pk("monthly")),
        Check(DRAFT_PAGE, kwargs=pk("monthly_draft")),
    ),
    "reports:monthly_publish": publish_page("monthly_draft", "monthly"),
    "reports:job": (
        Check(
            kwargs=pk("job"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_a", "GET", 404),
                ("unit_head_a", "GET", 404),
                ("leader", "GET", 200),  # the bureau and leaders see every job
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            ),
        ),
        Check((("officer_a", "GET", 200),), kwargs=pk("own_job")),
    ),
    "reports:quarterly_list": (Check(READ_PAGE),),
    "reports:quarterly_build": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=data(year="2026", quarter="2"),
        ),
    ),
    "reports:quarterly_detail": (
        Check(PUBLISHED_PAGE, kwargs=pk("quarterly")),
        Check(DRAFT_PAGE, kwargs=pk("quarterly_draft")),
        Check((("bureau", "GET", 404),), kwargs=pk("monthly")),  # a bulletin is no review
    ),
    "reports:quarterly_xlsx": (
        Check(PUBLISHED_PAGE, kwargs=pk("quarterly")),
        Check(DRAFT_PAGE, kwargs=pk("quarterly_draft")),
    ),
    "reports:quarterly_publish": publish_page("quarterly_draft", "quarterly"),
    "reports:weights": (
        Check(
            (
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 400),  # empty form: comes back with its errors
            )
        ),
    ),
    "reports:schedule": (
        Check(
            (
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "GET", 403),
                ("unit_head_a", "GET", 403),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 400),  # the build named, none of its fields
            ),
            data=monthly_task,
        ),
    ),
    "reports:freshness_card": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            )
        ),
    ),
    "reports:freshness": (
        Check(
            (
                (None, "GET", LOGIN),
                ("officer_a", "GET", 403),
                ("unit_head_a", "GET", 403),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            )
        ),
        Check((("bureau", "GET", 200),), query="?export=xlsx"),
    ),
    "reports:draw_list": (Check(READ_PAGE),),
    "reports:draw_make": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=draw_form,
        ),
    ),
    "reports:draw_detail": (Check(READ_PAGE, kwargs=pk("draw")),),  # draws are public
    "reports:inspection_detail": (Check(READ_PAGE, kwargs=pk("inspection")),),
    "reports:inspection_record": (
        Check(
            kwargs=pk("inspection"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),  # unit A's project, the bureau's inspection
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=data(
                **{
                    "record-inspected_on": "2026-07-15",
                    "record-inspector": "王检查",
                    "record-findings": "已开工，进度正常。",
                }
            ),
        ),
    ),
    "reports:inspection_photo_add": (
        Check(
            kwargs=pk("inspection"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=png,
        ),
    ),
    # --- The year-end assessment (年终一考核) -----------------------------------------------------
    "reports:annual_list": (Check(READ_PAGE),),
    "reports:annual_build": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),  # to the job's page
            ),
            data=ya_build,
        ),
        Check((("bureau", "POST", 400),), data=EMPTY),
    ),
    "reports:annual_detail": (
        Check(YA_PUBLISHED_PAGE, kwargs=ya("published")),
        Check(DRAFT_PAGE, kwargs=ya("draft")),
        Check((("bureau", "GET", 404),), kwargs=pk("monthly")),  # a bulletin is no assessment
    ),
    "reports:annual_unit": (
        Check(YA_UNIT_PAGE, kwargs=ya("published", unit=True)),
        Check(DRAFT_PAGE, kwargs=ya("draft", unit=True)),
    ),
    "reports:annual_xlsx": (
        Check(YA_WHOLE, kwargs=ya("published")),
        Check(DRAFT_PAGE, kwargs=ya("draft")),
    ),
    "reports:annual_publish": (
        Check(
            kwargs=ya("draft"),
            rows=(
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "POST", 404),  # a draft is the bureau's: not found
                ("leader", "POST", 404),
                ("leader", "GET", 404),
                ("bureau", "GET", 200),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 302),
            ),
            data=data(note="按期发布", confirm="on"),
        ),
        Check(
            kwargs=ya("published"),
            rows=(
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 302),  # published already: back to the assessment
            ),
            data=data(note="按期发布", confirm="on"),
        ),
    ),
    "reports:annual_scheme": (
        Check(
            kwargs=ya_year,
            rows=(
                (None, "GET", LOGIN),
                (None, "POST", LOGIN),
                ("officer_a", "GET", 200),  # how units are assessed is published
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 200),  # empty form: comes back with its errors
            ),
        ),
        Check((("bureau", "POST", 302),), kwargs=ya_year, data=ya_scheme_form),
    ),
    "reports:annual_manual": (
        Check(
            kwargs=ya_year,
            rows=(
                (None, "GET", LOGIN),
                ("officer_a", "GET", 403),  # a unit sees its own in its breakdown
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 200),
            ),
        ),
        Check((("bureau", "POST", 302),), kwargs=ya_year, data=ya_manual_form),
    ),
    "reports:annual_manual_edit": (
        Check(
            kwargs=ya("manual"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_a", "GET", 404),
                ("officer_b", "POST", 404),
                ("leader", "GET", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 200),
                ("bureau", "DELETE", 405),
                ("bureau", "POST", 200),
            ),
        ),
        Check((("bureau", "POST", 302),), kwargs=ya("manual"), data=ya_manual_form),
    ),
    "reports:annual_manual_remove": (
        Check(
            kwargs=ya("manual"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_a", "POST", 404),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
        ),
    ),
    # --- The half-year inspection (半年一督查) ----------------------------------------------------
    "reports:halfyear_list": (Check(READ_PAGE),),
    "reports:halfyear_create": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
            data=data(year=2027, half=1, title=""),
        ),
        Check((("bureau", "POST", 200),), data=EMPTY),
    ),
    "reports:halfyear_detail": (
        Check(PUBLISHED_PAGE, kwargs=hy("inspection")),
        Check(DRAFT_PAGE, kwargs=hy("draft")),
    ),
    "reports:halfyear_checklist": (
        Check(
            kwargs=hy("draft"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_a", "GET", 404),
                ("leader", "GET", 404),
                ("bureau", "GET", 200),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 200),  # no items: comes back with its errors
            ),
        ),
        Check(
            (("bureau", "POST", 302),),
            kwargs=hy("draft"),
            data=lambda c: {
                "items-TOTAL_FORMS": "1",
                "items-INITIAL_FORMS": "1",
                "items-0-id": c.halfyear.draft_item.pk,
                "items-0-title": "招商台账（含电子台账）",
            },
        ),
        Check(
            kwargs=hy("inspection"),
            rows=(("officer_a", "GET", 403), ("leader", "POST", 403)),
        ),
    ),
    "reports:halfyear_units_drawn": (
        Check(HY_DRAFT_INSPECTION_ACTION, kwargs=hy("draft")),
        Check(HY_PUBLISHED_ACTION, kwargs=hy("inspection")),
        Check(
            (("bureau", "POST", 302),),
            kwargs=hy("draft"),
            data=lambda c: {"drawn-draw": c.halfyear.units_draw.pk},
        ),
    ),
    "reports:halfyear_units_chosen": (
        Check(HY_DRAFT_INSPECTION_ACTION, kwargs=hy("draft")),
        Check(HY_PUBLISHED_ACTION, kwargs=hy("inspection")),
        Check(
            (("bureau", "POST", 302),),
            kwargs=hy("draft"),
            data=lambda c: {"chosen-units": [c.users["officer_b"].unit.pk]},
        ),
    ),
    "reports:halfyear_publish": (
        Check(
            kwargs=hy("inspection"),
            rows=(
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 200),  # published already: the page says so
            ),
        ),
        Check(
            kwargs=hy("draft"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_a", "POST", 404),
                ("leader", "POST", 404),
                ("bureau", "GET", 405),
                ("bureau", "POST", 302),
            ),
        ),
    ),
    "reports:halfyear_xlsx": (
        Check(PUBLISHED_PAGE, kwargs=hy("inspection")),
        Check(DRAFT_PAGE, kwargs=hy("draft")),
    ),
    "reports:halfyear_unit": (
        Check(READ_PAGE, kwargs=hy("unit")),
        Check(
            kwargs=hy("draft_unit"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),  # their own unit, from the start
                ("leader", "GET", 404),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 405),
            ),
        ),
    ),
    "reports:halfyear_unit_report": (
        Check(HY_DRAFT_ACTION, kwargs=hy("draft_unit")),
        Check(HY_PUBLISHED_ACTION, kwargs=hy("unit"), data=HY_REPORT),
        Check((("bureau", "POST", 302),), kwargs=hy("draft_unit"), data=HY_REPORT),
    ),
    "reports:halfyear_finding_record": (
        Check(HY_DRAFT_ACTION, kwargs=hy("draft_unit")),
        Check(HY_PUBLISHED_ACTION, kwargs=hy("unit")),
        Check((("bureau", "POST", 302),), kwargs=hy("draft_unit"), data=hy_finding_form),
    ),
    "reports:halfyear_finding": (
        Check(READ_PAGE, kwargs=hy("finding")),
        Check(
            kwargs=hy("draft_finding"),
            rows=(
                (None, "GET", LOGIN),
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("leader", "GET", 404),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 405),
            ),
        ),
    ),
    "reports:halfyear_rectify": (
        Check(
            kwargs=hy("finding"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 403),  # another unit's finding
                ("leader", "POST", 403),
                ("bureau", "POST", 403),  # the unit rectifies; the bureau decides
                ("officer_a", "GET", 405),
            ),
            data=data(**{"rect-note": "已补录"}),
        ),
        Check((("officer_a", "POST", 200),), kwargs=hy("finding"), data=EMPTY),
        Check(
            (("officer_a", "POST", 302),),
            kwargs=hy("finding"),
            data=data(**{"rect-note": "已补录"}),
        ),
        Check((("officer_b", "POST", 404),), kwargs=hy("draft_finding")),
    ),
    "reports:halfyear_decide": (
        Check(
            kwargs=hy("reported"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 200),  # no decision: comes back with its errors
            ),
        ),
        Check(
            (("bureau", "POST", 302),),
            kwargs=hy("reported"),
            data=data(**{"decide-decision": "confirm"}),
        ),
    ),
    # --- The work queue and notifications ---------------------------------------------------
    "work:notifications": (Check(READ_PAGE),),
    "work:notification_read": (
        Check(
            kwargs=pk("notification"),
            rows=(
                (None, "POST", LOGIN),
                ("officer_b", "POST", 404),
                ("bureau", "POST", 404),  # another's notification, whatever the role
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 302),
            ),
        ),
    ),
    "work:notification_read_all": (
        Check(
            (
                (None, "POST", LOGIN),
                ("officer_a", "GET", 405),
                ("leader", "POST", 302),  # one's own notifications: no change of the county's
                ("officer_a", "POST", 302),
            )
        ),
    ),
    "me-todo": (Check((*READ_API, ("officer_a", "GET", 200), ("officer_a", "POST", 405))),),
    "notification-list": (
        Check(
            (
                (None, "GET", 401),
                ("officer_a", "GET", 200),
                ("leader", "GET", 200),
                ("leader", "POST", 405),
                ("officer_a", "POST", 405),
            )
        ),
    ),
    "notification-detail": (
        Check(
            kwargs=pk("notification"),
            rows=(
                (None, "GET", 401),
                ("officer_b", "GET", 404),
                ("bureau", "GET", 404),
                ("officer_a", "GET", 200),
                ("officer_a", "PATCH", 405),
                ("officer_a", "DELETE", 405),
            ),
        ),
    ),
    "notification-read": (
        Check(
            kwargs=pk("notification"),
            rows=(
                (None, "POST", 401),
                ("officer_b", "POST", 404),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 200),
            ),
        ),
    ),
    "notification-read-all": (
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "GET", 405),
                ("leader", "POST", 200),
                ("officer_a", "POST", 200),
            )
        ),
    ),
    # --- API: token, root, jobs, schema -----------------------------------------------------
    "api-token": (
        Check(
            (
                (None, "GET", 405),
                (None, "POST", 200),
                ("leader", "POST", 200),  # a token is no change of the county's
            ),
            data=data(username="officer_a", password=TEST_PASSWORD),
        ),
        Check(((None, "POST", 400),), data=data(username="officer_a", password="wrong")),
    ),
    "api-root": (Check((*READ_API, ("officer_a", "POST", 405))),),
    # The schema and its docs: logged-in users read them; there is nothing to write (405).
    "api-schema": (Check((*READ_API[:4], ("leader", "POST", 405), ("officer_a", "POST", 405))),),
    "api-docs": (Check((*READ_API[:4], ("leader", "POST", 405), ("officer_a", "POST", 405))),),
    "job-list": (Check((*READ_API, ("officer_a", "GET", 200), ("officer_a", "POST", 405))),),
    "job-detail": (
        Check(
            kwargs=pk("job"),
            rows=(
                (None, "GET", 401),
                ("officer_a", "GET", 404),  # the bureau's job: its starter's
                ("leader", "GET", 200),  # the bureau and leaders see every job
                ("bureau", "GET", 200),
                ("bureau", "PATCH", 405),
            ),
        ),
        Check((("officer_a", "GET", 200),), kwargs=pk("own_job")),
    ),
    # --- API: units, accounts, teams --------------------------------------------------------
    "unit-list": (
        Check((*READ_API, ("bureau", "PUT", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 201),
            ),
            data=data(code="NEW", name="新单位", kind="park"),
        ),
    ),
    "unit-detail": (
        Check((*READ_API[:4], ("bureau", "DELETE", 405)), kwargs=pk("unit")),
        Check(
            (
                (None, "PATCH", 401),
                ("officer_a", "PATCH", 403),
                ("leader", "PATCH", 403),
                ("bureau", "PATCH", 200),
            ),
            kwargs=pk("unit"),
            data=data(name="丙镇改名"),
        ),
    ),
    "user-list": (
        Check((*READ_API, ("bureau", "PUT", 405))),
        Check(
            (
                (None, "POST", 401),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 201),
            ),
            data=lambda c: {
                "username": "api_user",
                "full_name": "接口用户",
                "role": "officer",
                "unit": c.unit_a.pk,
                "password": "Api-created-2026",
            },
        ),
    ),
    "user-detail": (
        Check(
            tuple(row for row in UNIT_A_API if row != ("officer_b", "PATCH", 404)),
            kwargs=pk("account"),
        ),
        Check(
            # Accounts are the bureau's: any other role is refused before the lookup.
            (("officer_b", "PATCH", 403), ("officer_a", "PATCH", 403), ("bureau", "PATCH", 200)),
            kwargs=pk("account"),
            data=data(full_name="新名字"),
        ),
    ),
    "team-list": (
        Check((*READ_API, ("bureau", "PUT", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 400),  # empty: refused field by field
            ),
            data=EMPTY,
        ),
    ),
    "team-detail": (
        Check((*READ_API[:4], ("bureau", "DELETE", 405)), kwargs=pk("team")),  # public
        Check(
            (
                (None, "PATCH", 401),
                ("officer_a", "PATCH", 403),  # a member does not manage the team
                ("officer_b", "PATCH", 403),
                ("leader", "PATCH", 403),
                ("bureau", "PATCH", 200),
            ),
            kwargs=pk("team"),
            data=data(budget_wan="95.50"),
        ),
    ),
    # --- API: industries, leads, projects, documents, blockers, funds -----------------------
    "industry-list": (
        Check((*READ_API, ("bureau", "PUT", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 201),
            ),
            data=data(code="NEV", name="新能源汽车"),
        ),
    ),
    "industry-detail": (
        Check((*READ_API[:4], ("bureau", "DELETE", 405)), kwargs=pk("industry")),
        Check(
            (("officer_a", "PATCH", 403), ("leader", "PATCH", 403), ("bureau", "PATCH", 200)),
            kwargs=pk("industry"),
            data=data(name="生物医药产业链"),
        ),
    ),
    "lead-list": (
        Check((*READ_API, ("officer_a", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 201),
            ),
            data=lambda c: {
                "company_name": "无锡新辰光电科技有限公司",
                "contact_name": "陈总",
                "contact_phone": "13912340000",
                "project_name": "年产2GW光伏组件项目",
                "estimated_amount_wan": "30000.00",
                "industry": c.industry.pk,
                "source": "business_referral",
            },
        ),
    ),
    "lead-detail": (
        Check(UNIT_A_API, kwargs=pk("lead")),
        Check(
            (("unit_head_a", "PATCH", 200), ("officer_a", "PATCH", 200)),
            kwargs=pk("lead"),
            data=data(notes="已电话联系"),
        ),
    ),
    "lead-drop": (
        Check(UNIT_A_API_ACTION, kwargs=pk("lead")),
        Check((("officer_a", "POST", 400),), kwargs=pk("lead"), data=EMPTY),  # no reason
        Check((("officer_a", "POST", 200),), kwargs=pk("lead"), data=data(reason="企业放弃")),
    ),
    "lead-follow-ups": (
        Check(
            (*UNIT_A_API_ACTION[:3], ("officer_b", "GET", 404), ("officer_a", "GET", 200)),
            kwargs=pk("lead"),
        ),
        Check(
            (("officer_a", "PUT", 405), ("officer_a", "POST", 201)),
            kwargs=pk("lead"),
            data=data(method="phone", note="电话沟通用地需求"),
        ),
    ),
    "project-list": (
        Check((*READ_API, ("officer_a", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 201),
            ),
            data=lambda c: {
                "name": "年产10万台电机项目",
                "investor": "浙江卧龙电驱有限公司",
                "investor_origin": "out_of_province",
                "project_type": "new",
                "industry": c.industry.pk,
                "category": "industrial",
                "contract_amount_wan": "15000.00",
                "land_area_mu": "60.00",
            },
        ),
    ),
    "project-detail": (
        Check(UNIT_A_API, kwargs=pk("project")),
        Check(
            (("unit_head_a", "PATCH", 200), ("officer_a", "PATCH", 200)),
            kwargs=pk("project"),
            data=data(leader_name="王副县长"),
        ),
    ),
    "project-stage": (
        Check(UNIT_A_API_ACTION, kwargs=pk("project")),
        Check((("officer_a", "POST", 400),), kwargs=pk("project"), data=EMPTY),  # no `to`
    ),
    "project-document-list": (
        Check(
            kwargs=lambda c: {"project_id": c.project.pk},
            rows=(
                (None, "GET", 401),
                (None, "POST", 401),
                ("officer_b", "GET", 404),
                ("officer_b", "POST", 404),
                ("officer_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "DELETE", 405),
            ),
        ),
        Check(
            (("officer_a", "POST", 400),),  # no file: refused on `file`
            kwargs=lambda c: {"project_id": c.project.pk},
            data=data(kind="contract"),
        ),
    ),
    "project-document-detail": (
        Check(
            kwargs=lambda c: {"project_id": c.project.pk, "doc_id": c.document.pk},
            rows=(*UNIT_A_API[:-2], ("bureau", "PUT", 405), ("bureau", "DELETE", 405)),
        ),
        Check(
            (("officer_a", "PATCH", 403), ("bureau", "PATCH", 200)),  # filing: the bureau's
            kwargs=lambda c: {"project_id": c.project.pk, "doc_id": c.document.pk},
            data=data(status="filed"),
        ),
        Check(
            # An empty body: the bureau is told what is missing; unit A may not file at all.
            (("officer_a", "PATCH", 403), ("bureau", "PATCH", 400)),
            kwargs=lambda c: {"project_id": c.project.pk, "doc_id": c.document.pk},
            data=EMPTY,
        ),
    ),
    "blocker-list": (
        Check((*READ_API, ("officer_a", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("leader", "POST", 403),
                ("officer_b", "POST", 400),  # unit A's project is not one unit B may edit
                ("officer_a", "POST", 201),
            ),
            data=lambda c: {
                "project": c.project.pk,
                "category": "land",
                "description": "用地指标未落实",
                "owner_unit": c.unit_a.pk,
                "due_on": "2026-08-01",
            },
        ),
    ),
    "blocker-detail": (
        Check(UNIT_A_API, kwargs=pk("blocker")),
        Check(
            (("officer_a", "PATCH", 200),),
            kwargs=pk("blocker"),
            data=data(description="用地指标仍未落实"),
        ),
    ),
    "funds-record-list": (
        Check((*READ_API, ("officer_a", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 201),
            ),
            data=lambda c: {
                "project": c.project.pk,
                "period": "2026-06",
                "kind": "investment",
                "amount_wan": "300.00",
                "note": "厂房主体施工",
            },
        ),
    ),
    "funds-record-detail": (
        Check(UNIT_A_API, kwargs=pk("funds")),
        Check(
            (("unit_head_a", "PATCH", 200),),
            kwargs=pk("funds"),
            data=data(amount_wan="1250", version=1),
        ),
    ),
    "funds-record-verify": (
        Check(
            (*UNIT_A_API_ACTION, ("officer_a", "POST", 403), ("bureau", "POST", 200)),
            kwargs=pk("funds"),
        ),
    ),
    "funds-record-reject": (
        Check((*UNIT_A_API_ACTION, ("officer_a", "POST", 403)), kwargs=pk("funds")),  # no body
        Check((("bureau", "POST", 400),), kwargs=pk("funds"), data=EMPTY),  # no reason
        Check((("officer_a", "POST", 403),), kwargs=pk("funds"), data=data(reason="回单不符")),
        Check((("bureau", "POST", 200),), kwargs=pk("funds"), data=data(reason="回单不符")),
    ),
    # --- API: the project library ------------------------------------------------------------
    "reserve-project-list": (
        Check((*READ_API, ("officer_a", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 201),
            ),
            data=lambda c: {
                "name": "甲镇智能装备产业园",
                "industry": c.industry.pk,
                "total_investment_wan": "30000.00",
            },
        ),
    ),
    "reserve-project-detail": (
        Check(
            (
                (None, "GET", 401),
                (None, "PATCH", 401),
                ("officer_b", "GET", 200),  # the library is public
                ("leader", "GET", 200),
                ("officer_b", "PATCH", 403),
                ("leader", "PATCH", 403),
                ("officer_a", "DELETE", 405),
                ("officer_a", "PATCH", 200),
            ),
            kwargs=pk("reserve"),
            data=data(location="甲镇生物医药产业园二期"),
        ),
    ),
    "reserve-project-move": (
        Check(
            (
                (None, "POST", 401),
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 400),  # no `to`
            ),
            kwargs=pk("reserve"),
        ),
        Check((("officer_a", "POST", 200),), kwargs=pk("reserve"), data=data(to="promoting")),
    ),
    "reserve-project-lead": (
        Check(
            (
                (None, "POST", 401),
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("officer_a", "GET", 405),
                ("officer_a", "POST", 400),  # no investor: refused field by field
            ),
            kwargs=pk("reserve"),
            data=EMPTY,
        ),
    ),
    "reserve-project-materials": (
        Check(
            (
                (None, "GET", 401),
                (None, "POST", 401),
                ("officer_b", "GET", 200),
                ("leader", "GET", 200),
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 400),  # no file
            ),
            kwargs=pk("reserve"),
        ),
    ),
    # --- API: events ------------------------------------------------------------------------
    "event-list": (
        Check((*READ_API, ("officer_a", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "PUT", 405),
                ("bureau", "POST", 201),
            ),
            data=data(kind="fair", name="秋季投洽会", start_on="2026-09-08", end_on="2026-09-10"),
        ),
        Check((("bureau", "POST", 400),), data=EMPTY),
    ),
    "event-detail": (
        Check(
            (
                (None, "GET", 401),
                (None, "PATCH", 401),
                ("officer_b", "GET", 200),
                ("leader", "GET", 200),
                ("officer_a", "PATCH", 403),
                ("leader", "PATCH", 403),
                ("bureau", "DELETE", 405),
                ("bureau", "PATCH", 200),
            ),
            kwargs=pk("event"),
            data=data(place="县会展中心"),
        ),
        Check((("bureau", "PATCH", 400),), kwargs=pk("event"), data=data(end_on="2026-03-01")),
    ),
    "event-quotas": (
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 400),
            ),
            kwargs=pk("event"),
        ),
        Check(
            (("bureau", "POST", 200),),
            kwargs=pk("event"),
            data=lambda c: {"unit": c.unit_a.pk, "signing_quota": 1},
        ),
    ),
    "event-signings": (
        Check(
            (
                (None, "GET", 401),
                (None, "POST", 401),
                ("officer_b", "GET", 200),
                ("leader", "GET", 200),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 400),
            ),
            kwargs=pk("event"),
        ),
        Check(
            (
                ("officer_b", "POST", 400),  # unit A's project: not theirs to name
                ("leader", "POST", 403),
                ("officer_a", "POST", 201),
            ),
            kwargs=pk("event"),
            data=lambda c: {"project": c.project.pk, "signed_on": "2026-03-05"},
        ),
    ),
    "event-starts": (
        Check(
            (
                (None, "GET", 401),
                ("officer_b", "GET", 200),
                ("leader", "GET", 200),
                ("leader", "POST", 403),
                ("officer_a", "DELETE", 405),
                ("officer_a", "POST", 400),
            ),
            kwargs=pk("ground_breaking"),
        ),
        Check(
            (("officer_b", "POST", 400), ("officer_a", "POST", 201)),
            kwargs=pk("ground_breaking"),
            data=lambda c: {"project": c.project.pk},
        ),
    ),
    # --- API: trips, targets ----------------------------------------------------------------
    "trip-list": (
        Check((*READ_API, ("officer_a", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("leader", "POST", 403),
                ("officer_a", "PUT", 405),
                ("officer_a", "POST", 201),
            ),
            data=data(
                leader_name="甲专员",
                destination="宁波",
                start_on="2026-07-05",
                end_on="2026-07-06",
                companies_visited=[{"company": "宁波锂能科技有限公司"}],
                summary="走访企业1家。",
            ),
        ),
    ),
    "trip-detail": (
        Check((*UNIT_A_API, ("officer_a", "POST", 405)), kwargs=pk("trip")),
        Check(
            (("officer_a", "PATCH", 200),), kwargs=pk("trip"), data=data(next_steps="邀请来县考察")
        ),
    ),
    "target-list": (
        Check((*READ_API, ("officer_a", "GET", 200), ("bureau", "PUT", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("unit_head_a", "POST", 201),  # a unit head decomposes to the unit's staff
            ),
            data=lambda c: {"year": 2026, "metric": "leads", "value": "12", "user": c.officer_a.pk},
        ),
    ),
    "target-detail": (
        Check(
            kwargs=pk("target"),
            rows=(
                (None, "GET", 401),
                (None, "PATCH", 401),
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "DELETE", 405),
                ("unit_head_a", "DELETE", 405),
            ),
        ),
        Check(
            (
                ("officer_b", "PATCH", 403),  # setting targets is not an officer's, before lookup
                ("officer_a", "PATCH", 403),
                ("leader", "PATCH", 403),
                ("unit_head_a", "PATCH", 200),
            ),
            kwargs=pk("target"),
            data=data(value="450"),
        ),
    ),
    "target-progress": (
        Check((*READ_API, ("officer_a", "GET", 200), ("bureau", "POST", 405))),
        Check(
            query=lambda c: f"?kind=unit&owner={c.unit_a.pk}",
            rows=(("officer_a", "GET", 200), ("officer_b", "GET", 403)),
        ),
    ),
    # --- API: supervision orders -------------------------------------------------------------
    "order-list": (
        Check((*READ_API, ("officer_a", "POST", 403), ("bureau", "PUT", 405))),
        Check((("bureau", "POST", 400),), data=EMPTY),
        Check(
            (("bureau", "POST", 201),),
            data=lambda c: {
                "unit": c.unit_a.pk,
                "subject_kind": "project",
                "project": c.project.pk,
                "matter": "加快项目建设进度",
                "reason": "完成投资滞后",
                "due_on": "2026-07-30",
            },
        ),
    ),
    "order-detail": (
        Check(
            (
                (None, "GET", 401),
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("leader", "PATCH", 403),
                ("bureau", "PATCH", 405),  # an order changes only by its actions
                ("officer_a", "DELETE", 405),
                ("bureau", "DELETE", 405),
            ),
            kwargs=pk("order"),
        ),
    ),
    "order-answer": (
        Check(
            (*UNIT_A_API_ACTION, ("bureau", "POST", 403), ("officer_a", "POST", 400)),
            kwargs=pk("order"),
        ),
    ),
    "order-close": (
        Check((("bureau", "POST", 400),), kwargs=pk("order")),  # not answered yet
        Check(
            (
                *UNIT_A_API_ACTION,
                ("officer_a", "POST", 403),
                ("bureau", "POST", 200),
                ("bureau", "POST", 400),  # closed already
            ),
            kwargs=pk("answered_order"),
        ),
    ),
    "order-return": (
        Check((*UNIT_A_API_ACTION, ("officer_a", "POST", 403)), kwargs=pk("answered_order")),
        Check((("bureau", "POST", 400),), kwargs=pk("answered_order"), data=EMPTY),
        Check(
            (("bureau", "POST", 200),),
            kwargs=pk("answered_order"),
            data=data(reason="材料不全"),
        ),
    ),
    # --- API: dashboard and reports ---------------------------------------------------------
    "api-dashboard": (Check((*READ_API, ("officer_a", "GET", 200), ("officer_a", "POST", 405))),),
    "api-dashboard-section": (
        Check(
            (*READ_API, ("officer_a", "GET", 200), ("officer_a", "POST", 405)),
            kwargs=data(section="units"),
        ),
        Check((("leader", "GET", 404),), kwargs=data(section="nothing")),
    ),
    "report-monthly-list": (
        Check((*READ_API, ("officer_a", "GET", 200), ("bureau", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 202),  # the job, queued on commit
            ),
            data=data(period="2026-06"),
        ),
        Check((("bureau", "POST", 400),), data=EMPTY),
    ),
    "report-monthly-detail": (
        Check(PUBLISHED_API, kwargs=pk("monthly")),
        Check(DRAFT_API, kwargs=pk("monthly_draft")),
    ),
    "report-monthly-xlsx": (
        Check((*PUBLISHED_API[:4], ("bureau", "POST", 405)), kwargs=pk("monthly")),
        Check(DRAFT_API[:4], kwargs=pk("monthly_draft")),
    ),
    "report-monthly-publish": publish_api("monthly_draft"),
    "report-quarterly-list": (
        Check((*READ_API, ("officer_a", "GET", 200), ("bureau", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 202),
            ),
            data=data(year=2026, quarter=2),
        ),
        Check((("bureau", "POST", 400),), data=EMPTY),
    ),
    "report-quarterly-detail": (
        Check(PUBLISHED_API, kwargs=pk("quarterly")),
        Check(DRAFT_API, kwargs=pk("quarterly_draft")),
        Check((("bureau", "GET", 404),), kwargs=pk("monthly")),
    ),
    "report-quarterly-xlsx": (
        Check((*PUBLISHED_API[:4], ("bureau", "POST", 405)), kwargs=pk("quarterly")),
        Check(DRAFT_API[:4], kwargs=pk("quarterly_draft")),
    ),
    "report-quarterly-publish": publish_api("quarterly_draft"),
    "report-draw-list": (Check((*READ_API, ("officer_a", "POST", 405))),),
    "report-draw-detail": (Check((*READ_API, ("officer_a", "PATCH", 405)), kwargs=pk("draw")),),
    "report-inspection-list": (Check((*READ_API, ("officer_a", "POST", 405))),),
    "report-inspection-detail": (
        Check(PUBLISHED_API, kwargs=hy("inspection")),
        Check(DRAFT_API, kwargs=hy("draft")),
    ),
    "report-inspection-finding-list": (Check((*READ_API, ("officer_a", "POST", 405))),),
    "report-inspection-finding-detail": (
        Check((*READ_API, ("officer_a", "PATCH", 405)), kwargs=hy("finding")),
        Check(
            (("officer_b", "GET", 404), ("officer_a", "GET", 200), ("leader", "GET", 404)),
            kwargs=hy("draft_finding"),
        ),
    ),
    "report-inspection-finding-rectify": (
        Check(
            kwargs=hy("finding"),
            rows=(
                (None, "POST", 401),
                ("officer_b", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 403),
                ("officer_a", "GET", 405),
            ),
            data=data(note="已补录"),
        ),
        Check((("officer_a", "POST", 400),), kwargs=hy("finding"), data=data(note="")),
        Check((("officer_a", "POST", 200),), kwargs=hy("finding"), data=data(note="已补录")),
        Check((("officer_b", "POST", 404),), kwargs=hy("draft_finding"), data=data(note="x")),
    ),
    "report-inspection-finding-confirm": (
        Check(
            kwargs=hy("reported"),
            rows=(
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 200),
                ("bureau", "POST", 400),  # confirmed already
            ),
        ),
    ),
    "report-inspection-finding-return": (
        Check(
            kwargs=hy("reported"),
            rows=(
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
            ),
        ),
        Check((("bureau", "POST", 400),), kwargs=hy("reported"), data=data(reason="")),
        Check((("bureau", "POST", 200),), kwargs=hy("reported"), data=data(reason="缺签字页")),
    ),
    "report-assessment-list": (
        Check((*READ_API, ("officer_a", "GET", 200), ("bureau", "DELETE", 405))),
        Check(
            (
                (None, "POST", 401),
                ("officer_a", "POST", 403),
                ("unit_head_a", "POST", 403),
                ("leader", "POST", 403),
                ("bureau", "POST", 202),  # the job, queued on commit
            ),
            data=ya_build,
        ),
        Check((("bureau", "POST", 400),), data=EMPTY),
    ),
    "report-assessment-detail": (
        Check(
            kwargs=ya("published"),
            rows=(
                (None, "GET", 401),
                ("officer_b", "GET", 404),  # a unit reads its own breakdown only
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "PATCH", 405),
                ("bureau", "DELETE", 405),
            ),
        ),
        Check(DRAFT_API, kwargs=ya("draft")),
        Check((("bureau", "GET", 404),), kwargs=pk("monthly")),
    ),
    "report-assessment-xlsx": (
        Check(
            kwargs=ya("published"),
            rows=(
                (None, "GET", 401),
                ("officer_a", "GET", 404),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            ),
        ),
        Check(DRAFT_API[:4], kwargs=ya("draft")),
    ),
    "report-assessment-publish": (
        Check(
            kwargs=ya("draft"),
            rows=(
                (None, "POST", 401),
                ("officer_a", "POST", 403),  # writing is the bureau's, before any lookup
                ("leader", "POST", 403),
                ("bureau", "GET", 405),
                ("bureau", "POST", 200),
                ("bureau", "POST", 400),  # published already
            ),
            data=data(confirm=True, note="按期发布"),
        ),
    ),
    "report-assessment-units": (
        Check(
            kwargs=ya("published"),
            rows=(
                (None, "GET", 401),
                ("officer_b", "GET", 200),  # their own unit's only
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("bureau", "POST", 405),
            ),
        ),
        Check((("officer_a", "GET", 404), ("leader", "GET", 404)), kwargs=ya("draft")),
    ),
    "report-assessment-unit": (
        Check(
            kwargs=ya("published", unit=True),
            rows=(
                (None, "GET", 401),
                ("officer_b", "GET", 404),
                ("officer_a", "GET", 200),
                ("unit_head_a", "GET", 200),
                ("leader", "GET", 200),
                ("bureau", "GET", 200),
                ("officer_a", "POST", 405),
            ),
        ),
        Check(
            (("officer_a", "GET", 404), ("leader", "GET", 404), ("bureau", "GET", 200)),
            kwargs=ya("draft", unit=True),
        ),
    ),
}


# --- The tests -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def county(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return County(users)


def url_of(name: str, kwargs: dict[str, Any]) -> str:
    """A named pattern reversed; an unnamed one (keyed by its route) with its converters
    filled in from `kwargs`."""
    if "/" not in name:
        return reverse(name, kwargs=kwargs)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda found: str(kwargs[found[1]]), name)


def bad_token(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token no-such-token")
    return client


def test_every_url_pattern_has_a_grid_entry_and_every_entry_a_pattern():
    names = url_names()
    missing = sorted(names - GRID.keys())
    stale = sorted(GRID.keys() - names)
    assert not (missing or stale), (
        f"URL patterns without a permission grid in GRID: {missing}; "
        f"GRID entries naming no URL pattern: {stale}"
    )


@pytest.mark.parametrize("name", sorted(GRID))
def test_url_grid(name, county, users, client_as, api_as):
    failures = []
    for check in GRID[name]:
        query = check.query(county) if callable(check.query) else check.query
        url = url_of(name, check.kwargs(county)) + query
        api = url.startswith("/api/")
        make_client = {
            "session": api_as if api else client_as,
            "token": api_as,
            "bad-token": bad_token,
        }[check.client]
        assert check.rows, f"{name}: a check without rows"
        for row in check.rows:
            payload = check.data(county) if check.data else None
            try:
                check_grid(users, make_client, url, [row], api=api, data=payload)
            except AssertionError as failed:
                failures.append(str(failed).split("\n")[0])
    assert not failures, "\n".join(failures)
