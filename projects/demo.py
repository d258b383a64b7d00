"""Demo leads and projects for `seed_demo`: two years of a county's investment promotion.

About 300 leads and 150 projects over the last 24 months, spread over the units, the
industry chains, the sources and every stage, with follow-ups, filed contracts, blockers,
stalls and duplicates, so that every list, report and warning shows something real.

Everything goes through the services, as the person who would do it (an officer of the
unit, the bureau for filing), so the rules apply and the audit history names them. A
fixed random seed gives the same county every time (dates are relative to today). If
any industry, lead or project exists already, nothing is added: running twice changes
nothing.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from projects import demo_data as data
from projects import services
from projects.choices import (
    Category,
    DocumentKind,
    DuplicateDecision,
    FilingStatus,
    LeadSource,
    LeadStatus,
    Origin,
    ProjectType,
    Stage,
)
from projects.models import (
    Blocker,
    Document,
    DuplicatePair,
    FollowUp,
    Industry,
    Lead,
    Project,
)
from teams import services as team_services
from teams.choices import Role, TeamKind, UnitKind
from teams.models import Team, Unit, User

SEED = 2026
WINDOW_DAYS = 725  # everything happens within the last two years
# Leads by status; each converted lead becomes one project.
LEAD_STATUSES = {
    LeadStatus.CONVERTED: 100,
    LeadStatus.FOLLOWING: 100,
    LeadStatus.NEW: 50,
    LeadStatus.DROPPED: 44,
}
DUPLICATE_LEAD_STATUSES = [
    LeadStatus.DROPPED,
    LeadStatus.DROPPED,
    LeadStatus.DROPPED,
    LeadStatus.FOLLOWING,
    LeadStatus.FOLLOWING,
    LeadStatus.NEW,
]
DIRECT_PROJECTS = 50  # entered without a lead (taken over from the old spreadsheets)
# Where the 150 projects stand today, by the story of how they got there.
SHAPES = {
    "negotiating": 16,  # and the two duplicates below
    "negotiating_stalled": 12,
    "signed": 19,
    "signed_stalled": 8,
    "signed_moved_back": 1,
    "started": 15,
    "constructing": 30,
    "completed": 12,
    "producing": 18,
    "terminated_negotiating": 9,
    "terminated_signed": 5,
    "terminated_constructing": 3,
}
# Days from a project's last event to today, and its oldest possible entry (days ago).
SHAPE_TAILS = {
    "negotiating": (3, 420),
    "negotiating_stalled": (45, 600),
    "signed": (1, 55),
    "signed_moved_back": (30, 120),
    "started": (1, 40),
    "constructing": (5, 240),
    "completed": (5, 120),
    "producing": (10, 200),
}
SHAPE_OLDEST = {"signed": 365, "signed_stalled": 600, "signed_moved_back": 500, "started": 450}
FORWARD = [Stage.SIGNED, Stage.STARTED, Stage.CONSTRUCTING, Stage.COMPLETED, Stage.PRODUCING]
SHAPE_STEPS = {
    "negotiating": 0,
    "negotiating_stalled": 0,
    "signed": 1,
    "signed_stalled": 1,
    "signed_moved_back": 2,
    "started": 2,
    "constructing": 3,
    "completed": 4,
    "producing": 5,
    "terminated_negotiating": 0,
    "terminated_signed": 1,
    "terminated_constructing": 3,
}


def _zero() -> dict[str, int]:
    return dict.fromkeys(
        ["industries", "leads", "follow_ups", "projects", "documents", "blockers"], 0
    )


def seed() -> dict[str, int]:
    if Industry.objects.exists() or Lead.objects.exists() or Project.objects.exists():
        return _zero()
    bureau = (
        User.objects.filter(role=Role.BUREAU, is_active=True, unit__kind=UnitKind.BUREAU)
        .order_by("pk")
        .first()
    )
    if bureau is None:
        return _zero()
    with transaction.atomic():
        DemoCounty(bureau=bureau).build()
    return {
        "industries": Industry.objects.count(),
        "leads": Lead.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "projects": Project.objects.count(),
        "documents": Document.objects.count(),
        "blockers": Blocker.objects.count(),
    }


@contextlib.contextmanager
def acting_as(user: User) -> Iterator[None]:
    """The audit history names the user, as when the change comes through a page."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF saying `text` (ASCII), built in memory."""
    content = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


@dataclass
class Company:
    name: str
    brand: str
    origin: str
    contact_name: str
    contact_title: str
    phone: str


@dataclass
class Plan:
    """What happens to one lead or one project: decided before anything is written."""

    company: Company
    chain: tuple
    segment: tuple
    industry: Industry
    unit: Unit
    user: User
    team: Team | None
    amount: int
    project_name: str
    day: date  # lead: received on; project: entered on
    status: str = ""  # lead status
    follow_ups: list[tuple[date, str, str, str]] = field(default_factory=list)
    drop_reason: str = ""
    confirm_duplicates: bool = False
    source: str = LeadSource.OTHER
    lead: Lead | None = None
    # projects only
    lead_plan: Plan | None = None
    shape: str = ""
    steps: list[tuple[str, date]] = field(default_factory=list)
    agreed_start_on: date | None = None
    moved_back_on: date | None = None
    terminated_on: date | None = None
    duplicate_of: Plan | None = None
    decide_distinct: bool = False
    project: Project | None = None


class DemoCounty:
    def __init__(self, *, bureau: User) -> None:
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.bureau = bureau
        self.units = {u.code: u for u in Unit.objects.filter(is_active=True)}
        writers: dict[int, list[User]] = {}
        for user in User.objects.filter(
            is_active=True, role__in=[Role.OFFICER, Role.UNIT_HEAD]
        ).order_by("role", "username"):
            writers.setdefault(user.unit_id, []).append(user)
        self.writers = writers
        self.work_units = [
            u for u in self.units.values() if u.kind != UnitKind.BUREAU and writers.get(u.pk)
        ]
        self.teams = list(Team.objects.filter(is_active=True).order_by("pk"))
        self.team_units = {
            t.pk: set(t.member_units.values_list("pk", flat=True)) for t in self.teams
        }
        brands = [a + b for a in data.BRAND_FIRST for b in data.BRAND_SECOND if a != b]
        self.rng.shuffle(brands)
        self.brands = brands
        self.phones: set[str] = set()
        self.industries: dict[str, Industry] = {}

    # --- small helpers -------------------------------------------------------------------

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def between(self, start: date, end: date) -> date:
        end = min(end, self.today)
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def weighted(self, weights: dict) -> Any:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def person(self) -> str:
        if self.rng.random() < 0.7:
            given = self.rng.choice(data.GIVEN_FIRST) + self.rng.choice(data.GIVEN_SECOND)
        else:
            given = self.rng.choice(data.GIVEN_SECOND)
        return self.rng.choice(data.SURNAMES) + given

    def phone(self) -> str:
        while True:
            number = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randint(0, 10**8 - 1):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def amount(self) -> int:
        size = self.rng.random()
        if size < 0.12:
            return self.rng.randrange(10000, 60001, 1000)
        if size < 0.27:
            return self.rng.randrange(5000, 10000, 500)
        if size < 0.65:
            return self.rng.randrange(1000, 5000, 100)
        if size < 0.95:
            return self.rng.randrange(100, 1000, 50)
        return self.rng.randrange(30, 100, 10)

    def user_of(self, unit: Unit) -> User:
        return self.rng.choice(self.writers[unit.pk])

    def writer_or_bureau(self, unit: Unit) -> User:
        return self.writers[unit.pk][0] if self.writers.get(unit.pk) else self.bureau

    # --- industries and parks --------------------------------------------------------------

    def seed_industries(self) -> None:
        order = 0
        for code, name, leading, _weights, segments in data.CHAINS:
            order += 1
            chain = Industry(code=code, name=name, is_leading=leading, sort_order=order)
            chain.full_clean()
            chain.save()
            self.industries[code] = chain
            for seg_code, seg_name, *_rest in segments:
                order += 1
                segment = Industry(
                    code=seg_code,
                    name=seg_name,
                    parent=chain,
                    is_leading=leading,
                    sort_order=order,
                )
                segment.full_clean()
                segment.save()
                self.industries[seg_code] = segment

    def seed_park_minimums(self) -> None:
        for code, minimum in data.PARK_MIN_INTENSITY.items():
            unit = self.units.get(code)
            if unit is not None and unit.min_intensity_wan_per_mu is None:
                unit.min_intensity_wan_per_mu = Decimal(minimum)
                team_services.unit_save(unit=unit)

    # --- planning --------------------------------------------------------------------------

    def company(self, words: list[str], team: Team | None) -> Company:
        brand = self.brands.pop()
        word = self.rng.choice(words)
        region = next((r for r in data.REGION_CITIES if team and r in team.name), None)
        if region and team and team.kind == TeamKind.RESIDENT:
            place = self.rng.choice(data.REGION_CITIES[region])
            origin = Origin.FOREIGN if place in ("香港", "澳门") else Origin.OUT_OF_PROVINCE
        else:
            origin = self.weighted(
                {Origin.OUT_OF_PROVINCE: 58, Origin.OUT_OF_CITY: 30, Origin.FOREIGN: 12}
            )
            if origin == Origin.FOREIGN:
                place = self.rng.choice(data.FOREIGN_PLACES)
            elif origin == Origin.OUT_OF_CITY:
                place = self.rng.choice(data.SAME_PROVINCE_CITIES)
            else:
                domestic = [
                    c
                    for cities in data.REGION_CITIES.values()
                    for c in cities
                    if c not in ("香港", "澳门")
                ]
                place = self.rng.choice(domestic + data.OTHER_PROVINCE_CITIES)
        if origin == Origin.FOREIGN:
            suffix = {"韩国": "株式会社", "日本": "株式会社", "新加坡": "私人有限公司"}.get(
                place, "股份有限公司" if place == "台湾" else "有限公司"
            )
            name = f"{place}{brand}{word}{suffix}"
        else:
            suffix = self.weighted(
                {"有限公司": 70, "股份有限公司": 12, "有限责任公司": 10, "集团有限公司": 8}
            )
            if self.rng.random() < 0.15:
                name = f"{brand}{word}（{place}）{suffix}"
            else:
                name = f"{place}{brand}{word}{suffix}"
        return Company(
            name=name,
            brand=brand,
            origin=origin,
            contact_name=self.person(),
            contact_title=self.rng.choice(data.CONTACT_TITLES),
            phone=self.phone(),
        )

    def pick_team(self, chain_name: str, unit: Unit, resident: bool) -> Team | None:
        if resident:
            residents = [t for t in self.teams if t.kind == TeamKind.RESIDENT]
            near = [t for t in residents if unit.pk in self.team_units[t.pk]]
            return self.rng.choice(near or residents) if residents else None
        group = next(
            (t for t in self.teams if t.kind == TeamKind.GROUP and chain_name in t.name), None
        )
        if group is None:
            return None
        chance = 0.5 if unit.pk in self.team_units[group.pk] else 0.1
        return group if self.rng.random() < chance else None

    def plan(self, *, source: str = LeadSource.OTHER, day: date | None = None) -> Plan:
        unit = self.weighted({u: data.UNIT_WEIGHTS.get(u.code, 1) for u in self.work_units})
        preferred = data.UNIT_CHAINS.get(unit.code)
        if preferred and self.rng.random() < 0.8:
            chain_code = self.rng.choice(preferred)
            chain = next(c for c in data.CHAINS if c[0] == chain_code)
        else:
            chain = self.rng.choices(data.CHAINS, weights=[3, 3, 3, 3, 2, 1, 1])[0]
        segment = self.rng.choice(chain[4])
        team = self.pick_team(chain[1], unit, source == LeadSource.RESIDENT_TEAM)
        company = self.company(segment[2], team)
        amount = self.amount()
        numbers = data.SCALE_NUMBERS
        sized = numbers[:3] if amount < 1000 else numbers[1:5] if amount < 5000 else numbers[4:]
        project_name = self.rng.choice(segment[3]).format(
            brand=company.brand,
            n=self.rng.choice(sized),
            gw=1 if amount < 5000 else 2 if amount < 20000 else 5,
        )
        return Plan(
            company=company,
            chain=chain,
            segment=segment,
            industry=self.industries[segment[0]],
            unit=unit,
            user=self.user_of(unit),
            team=team,
            amount=amount,
            project_name=project_name,
            day=day or self.today,
            source=source,
        )

    def lead_follow_ups(self, start: date, end: date, count: int) -> list:
        days = sorted(self.between(start, end) for _ in range(count))
        return [
            (day, *self.rng.choice(data.LEAD_FOLLOW_UPS), self.rng.choice(data.LEAD_NEXT_STEPS))
            for day in days
        ]

    def timeline(self, plan: Plan) -> None:
        """Dates of the project's stages, working back from today, within two years."""
        r, shape = self.rng, plan.shape
        gaps = [r.randint(20, 150), r.randint(15, 120), r.randint(7, 45)]
        gaps += [r.randint(90, 300), r.randint(15, 90)]
        gaps = gaps[: SHAPE_STEPS[shape]]
        if shape.startswith("terminated"):
            gaps.append(r.randint(30, 240))
        agreed_gap = r.randint(30, 150)
        if shape == "signed_stalled":
            tail = agreed_gap + r.randint(10, 200)
        else:
            tail = r.randint(*SHAPE_TAILS.get(shape, (5, 300)))
        if gaps:
            # Entered any time in the window: the stages stretch or shrink to fit.
            oldest = SHAPE_OLDEST.get(shape, WINDOW_DAYS)
            age = r.randint(min(oldest, tail + sum(gaps) // 2), oldest)
            room = max(len(gaps), age - tail) / sum(gaps)
            gaps = [max(1, round(g * room)) for g in gaps]
        day = plan.day = self.days_ago(tail + sum(gaps))
        for stage, gap in zip(FORWARD, gaps[: SHAPE_STEPS[shape]], strict=False):
            day += timedelta(days=gap)
            plan.steps.append((stage, day))
        if shape.startswith("terminated"):
            plan.terminated_on = day + timedelta(days=gaps[-1])
        if shape == "signed":
            agreed_gap = r.randint(tail + 10, 200)
        if shape == "signed_moved_back":
            started_on = plan.steps[1][1]
            agreed_gap = r.randint(10, max(10, (started_on - plan.steps[0][1]).days))
            plan.moved_back_on = self.between(started_on + timedelta(days=5), self.today)
        if plan.steps:
            plan.agreed_start_on = plan.steps[0][1] + timedelta(days=agreed_gap)
        # Follow-ups: a live negotiation has one in the last weeks; a stalled one not since.
        methods = data.PROJECT_FOLLOW_UPS
        if shape == "negotiating":
            last = self.between(max(plan.day, self.days_ago(25)), self.today)
            days = [self.between(plan.day, last) for _ in range(r.randint(0, 2))] + [last]
        elif shape == "negotiating_stalled":
            days = [self.between(plan.day, self.days_ago(35)) for _ in range(r.randint(1, 3))]
        elif shape == "terminated_negotiating":
            days = [self.between(plan.day, plan.terminated_on) for _ in range(r.randint(0, 2))]
        elif shape in ("constructing", "completed", "producing") and r.random() < 0.5:
            methods = data.CONSTRUCTION_FOLLOW_UPS
            building = plan.steps[2][1]
            days = [self.between(building, self.today) for _ in range(r.randint(1, 2))]
        else:
            days = []
        plan.follow_ups = [(d, *r.choice(methods), "") for d in sorted(days)]

    def make_plans(self) -> tuple[list[Plan], list[Plan]]:
        r = self.rng
        shapes = [shape for shape, count in SHAPES.items() for _ in range(count)]
        r.shuffle(shapes)
        statuses = [status for status, count in LEAD_STATUSES.items() for _ in range(count)]
        r.shuffle(statuses)
        leads, projects = [], []
        for status in statuses:
            lead = self.plan(source=self.weighted(data.SOURCE_WEIGHTS))
            lead.status = status
            if status == LeadStatus.CONVERTED:
                project = self.project_plan(lead.company, shapes.pop(), lead)
                projects.append(project)
                lead.day = max(
                    self.days_ago(WINDOW_DAYS + 5), project.day - timedelta(r.randint(10, 120))
                )
                lead.follow_ups = self.lead_follow_ups(lead.day, project.day, r.randint(1, 3))
            elif status == LeadStatus.NEW:
                lead.day = self.days_ago(r.randint(0, 75))
            elif status == LeadStatus.FOLLOWING:
                lead.day = self.days_ago(r.randint(10, 700))
                lead.follow_ups = self.lead_follow_ups(lead.day, self.today, r.randint(1, 4))
            else:
                lead.day = self.days_ago(r.randint(60, 720))
                end = lead.day + timedelta(days=120)
                lead.follow_ups = self.lead_follow_ups(lead.day, end, r.randint(0, 2))
                lead.drop_reason = r.choice(data.LEAD_DROP_REASONS)
            leads.append(lead)
        leads += self.duplicate_leads(leads)
        for _ in range(DIRECT_PROJECTS - 2):
            resident = r.random() < 0.2
            plan = self.plan(source=LeadSource.RESIDENT_TEAM if resident else LeadSource.OTHER)
            projects.append(self.project_plan(plan.company, shapes.pop(), None, plan))
        projects += self.duplicate_projects(projects)
        return leads, projects

    def project_plan(
        self, company: Company, shape: str, lead: Plan | None, plan: Plan | None = None
    ) -> Plan:
        plan = plan or Plan(
            **{
                k: getattr(lead, k)
                for k in (
                    "company",
                    "chain",
                    "segment",
                    "industry",
                    "unit",
                    "user",
                    "team",
                    "project_name",
                )
            },
            amount=0,
            day=self.today,
        )
        plan.lead_plan = lead
        plan.shape = shape
        base = lead.amount if lead else self.amount()
        if lead:
            plan.amount = max(30, round(base * self.rng.uniform(0.8, 1.3) / 50) * 50)
        else:
            plan.amount = base
        self.timeline(plan)
        return plan

    def duplicate_leads(self, leads: list[Plan]) -> list[Plan]:
        """Leads another unit reported too, the company's name written differently."""
        domestic = [p for p in leads if p.company.origin != Origin.FOREIGN]
        originals = self.rng.sample(domestic, len(DUPLICATE_LEAD_STATUSES))
        duplicates = []
        for original, status in zip(originals, DUPLICATE_LEAD_STATUSES, strict=True):
            name = original.company.name
            if "（" in name:
                variant = name.replace("（", "(").replace("）", ")")
            elif name.endswith(("有限责任公司", "股份有限公司")):
                variant = name[:-6] + "有限公司"
            else:
                variant = name[:-4] + "有限责任公司"
            others = [u for u in self.work_units if u != original.unit]
            unit = self.rng.choice(others)
            company = Company(
                name=variant,
                brand=original.company.brand,
                origin=original.company.origin,
                contact_name=original.company.contact_name,
                contact_title=original.company.contact_title,
                phone=original.company.phone if self.rng.random() < 0.5 else self.phone(),
            )
            day = min(self.today, original.day + timedelta(days=self.rng.randint(3, 60)))
            plan = Plan(
                company=company,
                chain=original.chain,
                segment=original.segment,
                industry=original.industry,
                unit=unit,
                user=self.user_of(unit),
                team=None,
                amount=original.amount,
                project_name=original.project_name,
                day=day,
                status=status,
                confirm_duplicates=True,
                source=self.weighted(data.SOURCE_WEIGHTS),
            )
            if status != LeadStatus.NEW:
                plan.follow_ups = self.lead_follow_ups(day, self.today, 1)
            if status == LeadStatus.DROPPED:
                plan.drop_reason = f"与{original.unit.name}上报的信息重复，由其牵头跟进"
            duplicates.append(plan)
        return duplicates

    def duplicate_projects(self, projects: list[Plan]) -> list[Plan]:
        """One project reported by a second unit (left for the bureau to decide) and one
        second phase of the same investor (decided: distinct projects)."""
        originals = [
            p
            for p in projects
            if p.shape in ("constructing", "producing", "completed") and p.day < self.days_ago(90)
        ]
        first, second = self.rng.sample(originals, 2)
        duplicates = []
        for original, distinct in ((first, False), (second, True)):
            unit = self.rng.choice([u for u in self.work_units if u != original.unit])
            name = original.project_name
            if distinct:
                name = name.removesuffix("项目") + "二期项目"
            plan = Plan(
                company=original.company,
                chain=original.chain,
                segment=original.segment,
                industry=original.industry,
                unit=original.unit if distinct else unit,
                user=self.user_of(original.unit if distinct else unit),
                team=original.team,
                amount=round(original.amount * 1.1),
                project_name=name,
                day=self.today,
                shape="negotiating",
                duplicate_of=original,
                decide_distinct=distinct,
            )
            self.timeline(plan)
            plan.day = max(plan.day, original.day + timedelta(days=20))
            plan.follow_ups = [f for f in plan.follow_ups if f[0] >= plan.day] or [
                (self.today, *data.PROJECT_FOLLOW_UPS[0], "")
            ]
            duplicates.append(plan)
        return duplicates

    # --- writing ---------------------------------------------------------------------------

    def build(self) -> None:
        with acting_as(self.bureau):
            self.seed_industries()
            self.seed_park_minimums()
        leads, projects = self.make_plans()
        order = {id(p): n for n, p in enumerate(leads)}
        for plan in sorted(leads, key=lambda p: (p.day, order[id(p)])):
            with acting_as(plan.user):
                self.write_lead(plan)
        order = {id(p): n for n, p in enumerate(projects)}
        for plan in sorted(projects, key=lambda p: (p.day, order[id(p)])):
            with acting_as(plan.user):
                self.write_project(plan)

    def lead_texts(self, plan: Plan) -> dict[str, str]:
        r, amount = self.rng, plan.amount
        land = max(5, round(amount / r.uniform(150, 400)))
        area = land * 667 * r.uniform(0.8, 1.5)  # square metres of buildings
        area_text = (
            f"{area / 10000:.1f}万平方米" if area >= 10000 else f"{round(area, -2):.0f}平方米"
        )
        if plan.chain[0] in ("BIO", "NEM", "ELE", "EQP", "AGR"):
            output = amount * r.uniform(1.2, 2.5)
            scale = (
                f"总投资约{money_text(amount)}，建设厂房{area_text}，"
                f"达产后年产值约{money_text(output)}"
            )
            power = max(200, round(amount * r.uniform(0.5, 3), -2))
            water = max(20, round(amount * r.uniform(0.05, 0.5), -1))
            requirements = f"用地约{land}亩，用电负荷约{power:.0f}千伏安，日用水约{water:.0f}吨"
        else:
            scale = f"总投资约{money_text(amount)}，规划建筑面积{area_text}"
            requirements = f"用地约{land}亩，需配套进场道路和停车场"
        return {"scale": scale, "requirements": requirements, "period": r.choice(data.PERIODS)}

    def write_lead(self, plan: Plan) -> None:
        company = plan.company
        lead = Lead(
            company_name=company.name,
            contact_name=company.contact_name,
            contact_title=company.contact_title,
            contact_phone=company.phone,
            current_products=plan.segment[4],
            project_name=plan.project_name,
            planned_products=plan.segment[4],
            estimated_amount_wan=Decimal(plan.amount),
            industry=plan.industry,
            source=plan.source,
            unit=plan.unit,
            team=plan.team,
            received_on=plan.day,
            **self.lead_texts(plan),
        )
        lead = services.lead_save(
            lead=lead, user=plan.user, confirm_duplicates=plan.confirm_duplicates
        )
        for day, method, note, next_step in plan.follow_ups:
            services.lead_follow_up(
                lead=lead,
                user=plan.user,
                happened_on=day,
                method=method,
                note=note,
                next_step=next_step,
            )
        if plan.status == LeadStatus.DROPPED:
            services.lead_drop(lead=lead, user=plan.user, reason=plan.drop_reason)
        plan.lead = lead

    def project_fields(self, plan: Plan, project: Project) -> None:
        r, amount = self.rng, plan.amount
        category = self.weighted(plan.chain[3])
        project.name = plan.project_name
        project.investor = plan.company.name
        project.investor_origin = plan.company.origin
        project.industry = plan.industry
        project.category = category
        project.contract_amount_wan = Decimal(amount)
        project.unit = plan.unit
        project.team = plan.team
        if plan.company.origin == Origin.FOREIGN:
            project.foreign_amount_usd_wan = Decimal(max(1, round(amount / 7.1)))
        if r.random() < 0.12 and not plan.duplicate_of:
            project.project_type = ProjectType.EXPANSION
            project.name = project.name.removesuffix("项目") + "扩建项目"
        minimum = data.PARK_MIN_INTENSITY.get(plan.unit.code)
        if category == Category.INDUSTRIAL and (amount >= 1000 or r.random() < 0.5):
            if minimum and r.random() < 0.15:
                intensity = r.uniform(minimum * 0.5, minimum * 0.9)  # below the park's floor
            elif minimum:
                intensity = r.uniform(minimum * 1.05, minimum * 2.5)
            else:
                intensity = r.uniform(120, 450)
            project.land_area_mu = Decimal(str(max(3.0, round(amount / intensity, 1))))
        elif category in (Category.AGRICULTURAL, Category.TOURISM):
            project.land_area_mu = Decimal(r.randrange(30, 800, 10))
        elif category == Category.COMMERCE and r.random() < 0.6:
            project.land_area_mu = Decimal(r.randrange(20, 150))
        project.is_key = (amount >= 10000 and r.random() < 0.85) or (
            amount >= 5000 and r.random() < 0.25
        )
        if project.is_key or (amount >= 1000 and r.random() < 0.3):
            project.leader_name = r.choice(data.COUNTY_LEADERS)
        output = amount * r.uniform(0.8, 2.5)
        project.expected_output_wan = Decimal(round(output, -1))
        project.expected_tax_wan = Decimal(str(round(output * r.uniform(0.03, 0.08), 1)))
        project.expected_jobs = max(10, min(2000, int(amount / r.uniform(25, 60))))

    def write_project(self, plan: Plan) -> None:
        r, user = self.rng, plan.user
        cooperating: list[Unit] = []
        if r.random() < 0.18:
            others = sorted(
                (u for u in self.units.values() if u.kind != UnitKind.BUREAU and u != plan.unit),
                key=lambda u: u.pk,
            )
            cooperating = r.sample(others, r.randint(1, 2))
        lead_plan = plan.lead_plan
        if lead_plan is not None:
            project = services.project_from_lead(lead_plan.lead)
            self.project_fields(plan, project)
            project = services.lead_convert(
                lead=lead_plan.lead,
                user=user,
                project=project,
                cooperating_units=cooperating,
                entered_on=plan.day,
            )
        else:
            project = Project(description=f"主要产品：{plan.segment[4]}")
            self.project_fields(plan, project)
            project = services.project_create(
                project=project, user=user, cooperating_units=cooperating, entered_on=plan.day
            )
        plan.project = project
        for day, method, note, next_step in plan.follow_ups:
            services.project_follow_up(
                project=project,
                user=user,
                happened_on=day,
                method=method,
                note=note,
                next_step=next_step,
            )
        if plan.duplicate_of is not None and plan.decide_distinct:
            pair = DuplicatePair.objects.get(project=project)
            with acting_as(self.bureau):
                services.duplicate_decide(
                    pair=pair, user=self.bureau, decision=DuplicateDecision.DISTINCT
                )
        self.write_documents(plan, project)
        for stage, day in plan.steps:
            services.project_change_stage(project=project, user=user, to=stage, on=day)
            if stage == Stage.STARTED and plan.moved_back_on:
                with acting_as(self.bureau):
                    services.project_change_stage(
                        project=project,
                        user=self.bureau,
                        to=Stage.SIGNED,
                        on=plan.moved_back_on,
                        note=data.MOVED_BACK_NOTE,
                    )
                break
        if plan.terminated_on:
            services.project_change_stage(
                project=project,
                user=user,
                to=Stage.TERMINATED,
                on=min(plan.terminated_on, self.today),
                note=r.choice(data.TERMINATION_REASONS),
            )
        self.write_blockers(plan, project)

    def upload(self, project: Project, user: User, kind: str, title: str, name: str) -> Document:
        text = f"{title_ascii(kind)} {project.code} demo"
        file = SimpleUploadedFile(
            f"{name}-{project.code}.pdf", tiny_pdf(text), content_type="application/pdf"
        )
        return services.document_upload(
            project=project, user=user, kind=kind, file=file, title=title
        )

    def review(self, document: Document, status: str, reason: str = "") -> None:
        with acting_as(self.bureau):
            services.document_review(
                document=document, user=self.bureau, status=status, reason=reason
            )

    def write_documents(self, plan: Plan, project: Project) -> None:
        r, user = self.rng, plan.user
        contract = f"{project.name}投资合同"
        if plan.steps:
            # Signing needs the filed contract: upload it (some first returned), then file it.
            if r.random() < 0.08:
                returned = self.upload(project, user, DocumentKind.CONTRACT, contract, "contract")
                self.review(returned, FilingStatus.RETURNED, r.choice(data.RETURN_REASONS))
            document = self.upload(project, user, DocumentKind.CONTRACT, contract, "contract")
            self.review(document, FilingStatus.FILED)
            project.agreed_start_on = plan.agreed_start_on
            services.project_update(project=project, user=user)
        elif plan.shape == "negotiating" and r.random() < 0.3:
            title = f"{project.name}投资意向协议"
            self.upload(project, user, DocumentKind.AGREEMENT, title, "agreement")
            if r.random() < 0.3:
                returned = self.upload(project, user, DocumentKind.CONTRACT, contract, "contract")
                self.review(returned, FilingStatus.RETURNED, r.choice(data.RETURN_REASONS))
        if plan.shape in ("constructing", "completed", "producing") and r.random() < 0.3:
            title = f"{project.name}施工许可证"
            evidence = self.upload(project, user, DocumentKind.EVIDENCE, title, "permit")
            if r.random() < 0.5:
                self.review(evidence, FilingStatus.FILED)

    def write_blockers(self, plan: Plan, project: Project) -> None:
        r, shape = self.rng, plan.shape
        chances = {
            "constructing": (0.45, 0.15),
            "started": (0.45, 0.15),
            "signed": (0.35, 0.05),
            "signed_stalled": (0.5, 0.1),
            "completed": (0.25, 0),
            "producing": (0.25, 0),
            "negotiating": (0.08, 0),
            "negotiating_stalled": (0.15, 0),
        }.get(shape, (0, 0))
        roll = r.random()
        count = 2 if roll < chances[1] else 1 if roll < chances[0] else 0
        # Problems come up once the project is signed, and are solved before completion.
        since = plan.steps[0][1] if plan.steps else plan.day
        until = plan.steps[3][1] if len(plan.steps) > 3 else self.days_ago(10)
        for _ in range(count):
            category = r.choice(list(data.BLOCKERS))
            descriptions, resolutions, owner_code = data.BLOCKERS[category]
            owner = self.units.get(owner_code or "") or plan.unit
            blocker = Blocker(
                project=project,
                category=category,
                description=r.choice(descriptions),
                owner_unit=owner,
            )
            outcome = r.random()
            if shape in ("completed", "producing") or outcome < 0.4:
                blocker.due_on = self.between(since, until)
                resolved_on = self.between(
                    blocker.due_on - timedelta(days=20), blocker.due_on + timedelta(days=15)
                )
                services.blocker_save(blocker=blocker, user=plan.user)
                blocker.resolved_on = max(since, resolved_on)
                solver = self.writer_or_bureau(owner)
                with acting_as(solver):
                    services.blocker_resolve(
                        blocker=blocker, user=solver, resolution=r.choice(resolutions)
                    )
                continue
            if outcome < 0.75:
                blocker.due_on = max(since, self.days_ago(r.randint(3, 90)))  # overdue
                if blocker.due_on >= self.today:
                    blocker.due_on = self.days_ago(1)
            else:
                blocker.due_on = self.today + timedelta(days=r.randint(7, 60))
            services.blocker_save(blocker=blocker, user=plan.user)


def money_text(amount_wan: float) -> str:
    """亿元 from 1 亿 up, else 万元 (as people write them in a lead)."""
    if amount_wan >= 10000:
        return f"{amount_wan / 10000:.1f}".removesuffix(".0") + "亿元"
    return f"{round(amount_wan, -1):.0f}万元"


def title_ascii(kind: str) -> str:
    return {
        DocumentKind.CONTRACT: "Investment contract",
        DocumentKind.AGREEMENT: "Letter of intent",
        DocumentKind.EVIDENCE: "Construction permit",
    }.get(kind, "Document")
