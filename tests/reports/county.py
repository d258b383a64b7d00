"""A small hand-built county for the bulletin tests (figures to the end of June 2026)."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from projects.models import FundsRecord
from reports.models import Report
from targets.models import Target
from teams.choices import UnitKind
from tests.factories import IndustryFactory, ProjectFactory, UnitFactory
from tests.factories import funds_record as funds

D = Decimal


def snapshot(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures as a report stores them (its field's encoder: Decimals and dates as
    strings)."""
    return json.loads(json.dumps(figures, cls=Report._meta.get_field("figures").encoder))


def build_county(unit_a, unit_b):
    """Townships A and B, park K, departments D1 and D2 (D2 without a target)."""
    park = UnitFactory(code="PK", name="经开区", kind=UnitKind.PARK, sort_order=1)
    d1 = UnitFactory(code="D1", name="发改局", kind=UnitKind.DEPARTMENT, sort_order=1)
    d2 = UnitFactory(code="D2", name="工信局", kind=UnitKind.DEPARTMENT, sort_order=2)
    industry = IndustryFactory(code="EQ", name="装备制造")
    for unit, value in ((None, 10000), (unit_a, 4000), (unit_b, 2000), (park, 3000), (d1, 1000)):
        Target.objects.create(year=2026, metric="funds", value=D(value), unit=unit)

    def project(code, unit, **fields):
        return ProjectFactory(code=code, unit=unit, industry=industry, **fields)

    a1 = project(
        "A1",
        unit_a,
        contract_amount_wan=12000,
        category="industrial",
        investor_origin="out_of_province",
        stage="constructing",
        signed_on=dt.date(2026, 2, 10),
        started_on=dt.date(2026, 4, 1),
    )
    a2 = project(
        "A2",
        unit_a,
        contract_amount_wan=6000,
        category="tourism",
        investor_origin="foreign",
        stage="signed",
        signed_on=dt.date(2026, 5, 20),
    )
    project(  # signed after the period
        "A3",
        unit_a,
        contract_amount_wan=700,
        category="industrial",
        investor_origin="out_of_city",
        stage="signed",
        signed_on=dt.date(2026, 7, 1),
    )
    b1 = project(  # carried over: started last year, not completed
        "B1",
        unit_b,
        contract_amount_wan=1500,
        category="industrial",
        investor_origin="out_of_city",
        stage="constructing",
        signed_on=dt.date(2025, 3, 1),
        started_on=dt.date(2025, 6, 1),
    )
    b2 = project(  # completed last year: not in this year's statistics
        "B2",
        unit_b,
        contract_amount_wan=800,
        category="agricultural",
        investor_origin="out_of_city",
        stage="completed",
        signed_on=dt.date(2024, 1, 1),
        started_on=dt.date(2024, 3, 1),
        completed_on=dt.date(2025, 10, 1),
    )
    k1 = project(
        "K1",
        park,
        contract_amount_wan=20000,
        category="commerce",
        investor_origin="out_of_province",
        stage="started",
        signed_on=dt.date(2026, 6, 5),
        started_on=dt.date(2026, 6, 20),
    )
    k2 = project(
        "K2",
        park,
        contract_amount_wan=3000,
        category="commerce",
        investor_origin="out_of_city",
        stage="terminated",
        termination_reason="资金链断裂",
        signed_on=dt.date(2026, 3, 1),
    )
    project(
        "N1",
        d1,
        contract_amount_wan=500,
        category="other",
        investor_origin="out_of_city",
        stage="negotiating",
    )

    march = funds(a1, (2026, 3), 1000)
    funds(a1, (2026, 3), -200, corrects=march)  # a verified correction counts
    funds(a1, (2026, 6), 500)
    funds(a1, (2026, 7), 999)  # after the period
    funds(a1, (2026, 6), 800, kind="investment")  # investment is not funds
    funds(a2, (2026, 6), 300)
    funds(b1, (2026, 1), 200)
    funds(b1, (2026, 6), 100)
    funds(b1, (2026, 4), 5000, status="submitted")  # not verified
    funds(b1, (2026, 5), 400, status="rejected")
    funds(b2, (2026, 2), 50)
    funds(k1, (2026, 6), 2000)
    funds(k2, (2026, 4), 150)  # arrived before termination: counts
    # last year
    funds(b1, (2025, 5), 300)
    funds(b1, (2025, 6), 1000)
    funds(b1, (2025, 7), 500)  # after June: not in the year-on-year base
    funds(b2, (2025, 6), 200)
    return {"park": park, "d1": d1, "d2": d2}


def add_key_projects_and_warnings(unit_a, unit_b):
    """Sections 3–5 on top of build_county: key projects, blockers, a stalled project,
    flagged figures and two teams. None of it changes the figures of sections 1 and 2."""
    from projects.models import Blocker, Project
    from teams.models import Team
    from tests.factories import LeadFactory
    from trips.models import Trip

    team = Team.objects.create(name="深圳组", kind="resident", lead_unit=unit_a)
    Team.objects.create(name="长三角组", kind="group", lead_unit=unit_b)
    projects = {p.code: p for p in Project.objects.all()}
    Project.objects.filter(code__in=["A1", "K1", "K2"]).update(is_key=True)  # K2: terminated
    Project.objects.filter(code="A1").update(team=team)
    # A2: signed, the agreed start passed without a start: stalled; its name looks like a formula
    Project.objects.filter(code="A2").update(
        agreed_start_on=dt.date(2026, 5, 1), name='=HYPERLINK("http://x","点我")'
    )
    a1, k1 = projects["A1"], projects["K1"]

    def blocker(project, due_on, **fields):
        return Blocker.objects.create(
            project=project,
            category="land",
            description=fields.pop("description", "用地未落实"),
            owner_unit=project.unit,
            due_on=due_on,
            **fields,
        )

    overdue = blocker(a1, dt.date(2026, 6, 10), description="用地指标未落实")
    blocker(a1, dt.date(2026, 7, 20))  # open, due after June
    blocker(a1, dt.date(2026, 5, 1), status="resolved", resolution="已解决")
    blocker(k1, dt.date(2026, 6, 30))  # due on the last day: not yet overdue
    b1 = projects["B1"]
    flagged = funds(b1, (2026, 2), 9000, status="submitted")
    FundsRecord.objects.filter(pk=flagged.pk).update(flagged=True, flag_reasons="金额异常")
    FundsRecord.objects.filter(project=b1, status="rejected").update(flagged=True)
    old = funds(b1, (2025, 8), 7000, status="submitted")  # last year: not listed
    FundsRecord.objects.filter(pk=old.pk).update(flagged=True)
    LeadFactory(team=team, unit=unit_a, received_on=dt.date(2026, 3, 1))
    LeadFactory(team=team, unit=unit_a, received_on=dt.date(2026, 7, 2))  # after June
    Trip.objects.create(
        team=team,
        unit=unit_a,
        leader_name="张县长",
        destination="深圳",
        start_on=dt.date(2026, 4, 1),
        end_on=dt.date(2026, 4, 3),
    )
    return {"team": team, "overdue": overdue, "flagged": flagged}
