"""/api/v1/targets/ and /api/v1/targets/progress/: permission grids, setting targets through
targets.services.target_set, the one-target-per-owner rule, filters, progress figures
worked out by hand with the date frozen, who reads whose progress, flat query counts and
the schema."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from projects import services as project_services
from projects.choices import FundsKind, Stage
from targets import services
from targets.choices import Metric, OwnerKind
from targets.models import Target
from teams.choices import TeamKind, UnitKind
from teams.models import Team
from tests.factories import IndustryFactory, ProjectFactory, UnitFactory
from tests.grid import check_grid

pytestmark = pytest.mark.django_db

TARGETS = "/api/v1/targets/"
PROGRESS = "/api/v1/targets/progress/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def detail(target) -> str:
    return f"{TARGETS}{target.pk}/"


def set_target(owner_kind, owner, value, *, by, metric=Metric.FUNDS, year=2026):
    return services.target_set(
        user=by, year=year, metric=metric, kind=owner_kind, owner=owner, value=Decimal(value)
    )


@pytest.fixture
def staff_target(officer_a, bureau_user):
    """Officer A's own funds target for 2026, decomposed from unit A's."""
    return set_target(OwnerKind.PERSON, officer_a, "300", by=bureau_user)


# --- Permission grids ---------------------------------------------------------------------


def test_targets_list_grid(users, api_as, officer_a, officer_b, unit_a):
    check_grid(
        users,
        api_as,
        TARGETS,
        [
            (None, "GET", 401),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("bureau", "PUT", 405),
        ],
        api=True,
    )
    staff_of_a = {"year": 2026, "metric": "funds", "value": "200", "user": officer_a.pk}
    check_grid(
        users,
        api_as,
        TARGETS,
        [
            (None, "POST", 401),
            ("officer_a", "POST", 403),
            ("leader", "POST", 403),
            ("unit_head_a", "POST", 201),
        ],
        api=True,
        data=staff_of_a,
    )
    staff_of_b = {"year": 2026, "metric": "funds", "value": "200", "user": officer_b.pk}
    check_grid(
        users,
        api_as,
        TARGETS,
        [("unit_head_a", "POST", 403), ("officer_b", "POST", 403), ("bureau", "POST", 201)],
        api=True,
        data=staff_of_b,
    )
    # A unit head decomposes to the unit's staff only: never the unit's or the county's own.
    for owner in ({"unit": unit_a.pk}, {}):
        check_grid(
            users,
            api_as,
            TARGETS,
            [("unit_head_a", "POST", 403), ("leader", "POST", 403)],
            api=True,
            data={"year": 2026, "metric": "leads", "value": "12", **owner},
        )
    assert Target.objects.filter(metric="leads").count() == 0
    assert Target.objects.get(user=officer_a).value == Decimal("200")
    assert Target.objects.get(user=officer_b).value == Decimal("200")


def test_target_detail_grid(users, api_as, staff_target):
    check_grid(
        users,
        api_as,
        detail(staff_target),
        [
            (None, "GET", 401),
            ("officer_b", "GET", 404),
            ("officer_a", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("leader", "GET", 200),
            (None, "PATCH", 401),
            ("officer_b", "PATCH", 403),
            ("officer_a", "PATCH", 403),
            ("leader", "PATCH", 403),
            ("unit_head_a", "PATCH", 200),
            ("bureau", "DELETE", 405),
            ("unit_head_a", "DELETE", 405),
        ],
        api=True,
        data={"value": "450"},
    )
    staff_target.refresh_from_db()
    assert staff_target.value == Decimal("450")
    assert staff_target.history.count() == 2  # set, then changed: the history keeps both


def test_unit_head_cannot_change_a_target_of_another_units_staff(
    api_as, unit_head_a, officer_b, bureau_user
):
    target = set_target(OwnerKind.PERSON, officer_b, "100", by=bureau_user)
    response = api_as(unit_head_a).patch(detail(target), {"value": "1"}, format="json")
    assert response.status_code == 404  # not even visible to unit A
    target.refresh_from_db()
    assert target.value == Decimal("100")


# --- Setting targets ----------------------------------------------------------------------


def test_bureau_sets_targets_for_each_kind_of_owner(api_as, bureau_user, unit_a, officer_a):
    team = Team.objects.create(name="长三角小分队", kind=TeamKind.RESIDENT, lead_unit=unit_a)
    client = api_as(bureau_user)
    owners = [({}, "county"), ({"unit": unit_a.pk}, "unit"), ({"team": team.pk}, "team")]
    owners.append(({"user": officer_a.pk}, "person"))
    for owner, kind in owners:
        body = {"year": 2026, "metric": "contract_amount", "value": "12000.5", **owner}
        response = client.post(TARGETS, body, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["owner_kind"] == kind
        assert data["value"] == "12000.50"
        assert {"id", "year", "metric", "value", "unit", "team", "user"} <= set(data)
    county = Target.objects.get(unit=None, team=None, user=None)
    assert county.value == Decimal("12000.50")
    assert county.history.first().history_user == bureau_user


def test_second_target_for_the_same_owner_is_400_and_patch_changes_it(api_as, bureau_user, unit_a):
    client = api_as(bureau_user)
    body = {"year": 2026, "metric": "funds", "value": "1000", "unit": unit_a.pk}
    first = client.post(TARGETS, body, format="json")
    assert first.status_code == 201
    again = client.post(TARGETS, {**body, "value": "2000"}, format="json")
    assert again.status_code == 400
    assert list(again.json()) == ["non_field_errors"]
    county = {"year": 2026, "metric": "funds", "value": "5000"}
    assert client.post(TARGETS, county, format="json").status_code == 201
    assert client.post(TARGETS, county, format="json").status_code == 400
    url = f"{TARGETS}{first.json()['id']}/"
    changed = client.patch(url, {"value": "2000"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["value"] == "2000.00"
    assert Target.objects.filter(unit=unit_a).count() == 1
    assert Target.objects.get(unit=unit_a).value == Decimal("2000")


def test_bad_targets_answer_400_naming_the_field(api_as, bureau_user, unit_a, unit_b, officer_a):
    client = api_as(bureau_user)
    cases = [
        ({"year": 2026, "metric": "funds", "value": "-1"}, "value"),
        ({"year": 2026, "metric": "funds", "value": None}, "value"),
        ({"year": 2026, "metric": "funds"}, "value"),
        ({"year": 2026, "metric": "profit", "value": "1"}, "metric"),
        ({"year": 1999, "metric": "funds", "value": "1"}, "year"),
        ({"year": 2026, "metric": "funds", "value": "1", "unit": 999999}, "unit"),
        (
            {
                "year": 2026,
                "metric": "funds",
                "value": "1",
                "unit": unit_a.pk,
                "user": officer_a.pk,
            },
            "non_field_errors",
        ),
    ]
    for body, field in cases:
        response = client.post(TARGETS, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    target = set_target(OwnerKind.UNIT, unit_a, "10", by=bureau_user)
    for change, field in [({"year": 2025}, "year"), ({"unit": unit_b.pk}, "unit")]:
        response = client.patch(detail(target), {**change, "value": "20"}, format="json")
        assert response.status_code == 400
        assert field in response.json()
    target.refresh_from_db()
    assert (target.year, target.unit, target.value) == (2026, unit_a, Decimal("10"))
    assert client.patch(detail(target), {"value": None}, format="json").status_code == 400
    assert not Target.objects.exclude(pk=target.pk).exists()


def test_targets_list_filters_and_visible_rows(
    api_as, bureau_user, officer_a, officer_b, unit_a, unit_b
):
    set_target(OwnerKind.COUNTY, None, "5000", by=bureau_user)
    set_target(OwnerKind.UNIT, unit_a, "1000", by=bureau_user)
    set_target(OwnerKind.UNIT, unit_b, "900", by=bureau_user)
    set_target(OwnerKind.UNIT, unit_a, "30", by=bureau_user, metric=Metric.LEADS)
    set_target(OwnerKind.UNIT, unit_a, "800", by=bureau_user, year=2025)
    set_target(OwnerKind.PERSON, officer_a, "300", by=bureau_user)

    def values(reader, **query):
        body = api_as(reader).get(TARGETS, query).json()
        assert set(body) == {"count", "next", "previous", "results"}
        return sorted(Decimal(row["value"]) for row in body["results"])

    assert values(bureau_user, owner_kind="unit", year=2026, metric="funds") == [900, 1000]
    assert values(bureau_user, owner_kind="county") == [5000]
    assert values(bureau_user, owner_kind="person") == [300]
    assert values(bureau_user, unit=unit_a.pk, year=2025) == [800]
    assert values(bureau_user, user=officer_a.pk) == [300]
    assert values(bureau_user, metric="leads") == [30]
    # An officer reads the county's, the unit's and the unit's staff's targets only.
    assert values(officer_a, year=2026, metric="funds") == [300, 1000, 5000]
    assert values(officer_b, year=2026, metric="funds") == [900, 5000]
    assert api_as(bureau_user).get(TARGETS, {"owner_kind": "x"}).status_code == 400


# --- Progress -----------------------------------------------------------------------------


@pytest.fixture
def frozen_july():
    with time_machine.travel(dt.datetime(2026, 7, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def funds_case(settings, tmp_path, frozen_july, unit_a, unit_b, officer_a, bureau_user):
    """Unit A: a funds target of 1000 万元 for 2026 and one project (signed in 2025) with
    300 万元 verified in 2026 up to June. Not counted: a submitted record (500, April), a
    record verified in July (400, after the period) and one of December 2025 (250)."""
    settings.MEDIA_ROOT = tmp_path
    set_target(OwnerKind.UNIT, unit_a, "1000", by=bureau_user)
    set_target(OwnerKind.COUNTY, None, "4000", by=bureau_user)
    project = ProjectFactory(
        unit=unit_a,
        industry=IndustryFactory(code="EQ", name="装备制造"),
        stage=Stage.CONSTRUCTING,
        contract_amount_wan=12000,
        signed_on=dt.date(2025, 11, 3),
        started_on=dt.date(2025, 12, 1),
    )

    def submit(month, amount, *, verify=True):
        record = project_services.funds_submit(
            user=officer_a,
            project=project,
            period=dt.date(*month, 1),
            kind=FundsKind.FUNDS,
            amount_wan=Decimal(amount),
            evidence=SimpleUploadedFile("回单.pdf", PDF, content_type="application/pdf"),
        )
        if verify:
            project_services.funds_verify(record=record, user=bureau_user)

    submit((2026, 3), "200")
    submit((2026, 5), "100")
    submit((2026, 4), "500", verify=False)
    submit((2026, 7), "400")
    submit((2025, 12), "250")
    return project


def test_progress_of_a_unit_worked_out_by_hand(api_as, leader, funds_case, unit_a):
    response = api_as(leader).get(
        PROGRESS,
        {"year": 2026, "period": "2026-06", "kind": "unit", "owner": unit_a.pk, "metric": "funds"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "year": 2026,
            "period": "2026-06",
            "owner_kind": "unit",
            "owner_id": unit_a.pk,
            "owner_name": "甲镇",
            "blank": True,  # its only project was signed in 2025
            "metric": "funds",
            "target": "1000.00",
            "actual": "300.00",
            "progress": "0.3000",
            "time_progress": "0.5000",
            "behind": True,
            "pace": "behind",
        }
    ]


def test_progress_lists_every_owner_and_metric_of_a_kind(api_as, bureau_user, funds_case):
    response = api_as(bureau_user).get(PROGRESS, {"year": 2026, "period": "2026-06"})
    rows = response.json()["results"]
    assert response.json()["count"] == len(rows) == 3 * len(Metric.values)  # county, A, B
    by_owner = {(r["owner_kind"], r["owner_name"], r["metric"]): r for r in rows}
    county = by_owner[("county", str(OwnerKind.COUNTY.label), "funds")]
    assert county["owner_id"] is None
    assert (county["target"], county["actual"], county["progress"]) == (
        "4000.00",
        "300.00",
        "0.0750",
    )
    no_target = by_owner[("unit", "乙镇", "funds")]
    assert (no_target["target"], no_target["progress"], no_target["behind"]) == (None, None, False)
    assert no_target["pace"] == "no_target"
    leads = by_owner[("unit", "甲镇", "leads")]
    assert (leads["actual"], leads["time_progress"]) == ("0.00", "0.5000")


def test_progress_period_defaults_to_the_last_complete_month(
    api_as, bureau_user, funds_case, unit_a
):
    client = api_as(bureau_user)
    query = {"kind": "unit", "owner": unit_a.pk, "metric": "funds"}
    for extra in ({}, {"year": 2026}):
        [row] = client.get(PROGRESS, {**query, **extra}).json()["results"]
        # July is under way (the date is frozen in July): June is the last complete month.
        assert (row["period"], row["time_progress"]) == ("2026-06", "0.5000")
        assert row["actual"] == "300.00"  # July's 400 is not in the window yet
    [row] = client.get(PROGRESS, {**query, "year": 2025}).json()["results"]
    assert (row["period"], row["actual"], row["target"]) == ("2025-12", "250.00", None)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": 1900}, "year"),
        ({"period": "2026-13"}, "period"),
        ({"period": "June"}, "period"),
        ({"year": 2026, "period": "2025-06"}, "period"),
        ({"kind": "province"}, "kind"),
        ({"metric": "profit"}, "metric"),
        ({"owner": 1}, "owner"),
        ({"kind": "county", "owner": 1}, "owner"),
    ],
)
def test_progress_bad_query_answers_400_naming_the_parameter(api_as, officer_a, query, field):
    response = api_as(officer_a).get(PROGRESS, query)
    assert response.status_code == 400
    assert field in response.json()


def test_progress_grid(users, api_as, unit_a):
    check_grid(
        users,
        api_as,
        PROGRESS,
        [
            (None, "GET", 401),
            ("officer_a", "GET", 200),
            ("leader", "GET", 200),
            ("leader", "POST", 403),
            ("bureau", "POST", 405),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        f"{PROGRESS}?kind=unit&owner={unit_a.pk}",
        [
            ("officer_a", "GET", 200),
            ("unit_head_a", "GET", 200),
            ("officer_b", "GET", 403),
            ("leader", "GET", 200),
            ("bureau", "GET", 200),
        ],
        api=True,
    )
    check_grid(
        users,
        api_as,
        f"{PROGRESS}?kind=unit&owner=999999",
        [("bureau", "GET", 404), ("leader", "GET", 404), ("officer_a", "GET", 403)],
        api=True,
    )


def test_progress_shows_others_only_their_county_unit_teams_and_selves(
    api_as, users, unit_a, unit_b, officer_a, officer_b, unit_head_a, bureau_user, leader
):
    team_a = Team.objects.create(name="长三角小分队", kind=TeamKind.RESIDENT, lead_unit=unit_a)
    team_a.members.add(officer_a)
    Team.objects.create(name="珠三角小分队", kind=TeamKind.RESIDENT, lead_unit=unit_b)
    for person in (officer_a, officer_b, unit_head_a):
        set_target(OwnerKind.PERSON, person, "100", by=bureau_user)

    def owners(user, **query):
        rows = api_as(user).get(PROGRESS, {"metric": "funds", **query}).json()["results"]
        return sorted((row["owner_kind"], row["owner_name"]) for row in rows)

    assert owners(officer_a) == sorted(
        [
            ("county", str(OwnerKind.COUNTY.label)),
            ("person", "甲专员"),
            ("team", "长三角小分队"),
            ("unit", "甲镇"),
        ]
    )
    assert owners(officer_b, kind="unit") == [("unit", "乙镇")]
    assert owners(officer_b, kind="team") == []
    assert owners(unit_head_a, kind="person") == sorted(
        [("person", "甲专员"), ("person", "甲镇长")]
    )
    for everyone in (bureau_user, leader):
        assert owners(everyone, kind="unit") == sorted([("unit", "甲镇"), ("unit", "乙镇")])
        assert len(owners(everyone, kind="team")) == 2
        assert len(owners(everyone, kind="person")) == 3
    client = api_as(officer_a)
    assert client.get(PROGRESS, {"kind": "person", "owner": officer_b.pk}).status_code == 403
    assert client.get(PROGRESS, {"kind": "team", "owner": team_a.pk}).status_code == 200
    assert client.get(PROGRESS, {"kind": "person", "owner": officer_a.pk}).status_code == 200
    head = api_as(unit_head_a)
    assert head.get(PROGRESS, {"kind": "person", "owner": officer_a.pk}).status_code == 200
    assert head.get(PROGRESS, {"kind": "person", "owner": officer_b.pk}).status_code == 403


def test_progress_query_count_does_not_grow_with_units(api_as, bureau_user, frozen_july):
    industry = IndustryFactory(code="EQ")
    client = api_as(bureau_user)

    def add_units(first, last):
        for index in range(first, last):
            unit = UnitFactory(code=f"X{index:02d}", kind=UnitKind.PARK)
            ProjectFactory(
                unit=unit,
                industry=industry,
                stage=Stage.SIGNED,
                signed_on=dt.date(2026, 3, 1),
                contract_amount_wan=100,
            )
            set_target(OwnerKind.UNIT, unit, "500", by=bureau_user)
            set_target(OwnerKind.UNIT, unit, "2", by=bureau_user, metric=Metric.PROJECTS_SIGNED)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PROGRESS, {"kind": "unit", "period": "2026-06", "page_size": 500})
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    add_units(0, 3)
    few, count = queries()
    assert count == 3 * len(Metric.values)
    add_units(3, 20)
    many, count = queries()
    assert count == 20 * len(Metric.values)
    assert many == few


def test_schema_documents_the_targets_endpoints():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    paths = schema["paths"]
    assert {TARGETS, f"{TARGETS}{{id}}/", PROGRESS} <= set(paths)
    assert "delete" not in paths[f"{TARGETS}{{id}}/"]
    list_parameters = {p["name"] for p in paths[TARGETS]["get"]["parameters"]}
    assert {"year", "metric", "unit", "team", "user", "owner_kind"} <= list_parameters
    progress_parameters = {p["name"] for p in paths[PROGRESS]["get"]["parameters"]}
    assert {"year", "period", "kind", "owner", "metric"} <= progress_parameters
    row = schema["components"]["schemas"]["ProgressRow"]["properties"]
    assert {"target", "actual", "progress", "time_progress", "behind"} <= set(row)
