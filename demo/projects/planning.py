"""What the demo county's leads and projects are: decided up front, with one fixed
random seed, before anything is written."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from core.periods import add_months, month_start
from core.roles import Role
from demo.projects import data
from projects.choices import FundsKind, LeadSource, LeadStatus, Origin, Stage
from projects.models import Industry, Lead, Project
from teams.choices import TeamKind, UnitKind
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
    "negotiating": 16,  # and the two duplicate projects (DemoCounty.duplicate_projects)
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

# Funds in place and completed investment: monthly records over the last two years.
FUNDS_MONTHS = 24
# The share of the contract amount in place over the project's life, by shape.
FUNDS_SHARES = {
    "signed": (0.2, 0.4),
    "signed_stalled": (0.15, 0.35),
    "signed_moved_back": (0.25, 0.45),
    "started": (0.3, 0.5),
    "constructing": (0.5, 0.8),
    "completed": (0.75, 0.92),
    "producing": (0.8, 0.95),
}
# The share of the contract amount invested (完成投资), for projects that have started.
INVESTMENT_SHARES = {
    "started": (0.03, 0.15),
    "constructing": (0.35, 0.75),
    "completed": (0.9, 1.0),
    "producing": (0.92, 1.0),
}
# Funds arrive unevenly over the year: the year-end push (年底冲刺), the Spring Festival.
SEASON = {1: 0.7, 2: 0.6, 11: 1.3, 12: 1.8}
MONTH_CAP_WAN = 4800.0  # a month's funds of a project under 1亿元 (above 5000: flagged)
HUNDRED_MILLION_WAN = 10000
YOY_GROWTH = (1.12, 1.18)  # this year's verified funds against the same months last year
# How much of this year's funds a project signed since last year gives up for the growth
# to show (planning.FundsPlanner.year_on_year), by shape: later stages keep more.
YOY_CUTS = {
    "signed": 1.0,
    "signed_stalled": 1.0,
    "signed_moved_back": 1.0,
    "started": 1.0,
    "constructing": 0.85,
    "completed": 0.6,
    "producing": 0.6,
}
# What happens to a record: verified; left awaiting verification; returned (and left so);
# returned then fixed and awaiting verification again; returned, fixed and verified;
# flagged on entry (confirmed) and awaiting verification.
VERIFIED, SUBMITTED, RETURNED, FIXED, FIXED_VERIFIED, FLAGGED = (
    "verified",
    "submitted",
    "returned",
    "fixed",
    "fixed_verified",
    "flagged",
)
RETURN_STORIES = (RETURNED, FIXED, FIXED_VERIFIED)


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


@dataclass
class FundsPlan:
    """One month's record of a project (funds or investment), decided before writing."""

    plan: Plan
    period: date
    kind: str
    amount: float
    story: str = VERIFIED
    note: str = ""
    reject_reason: str = ""
    first_amount: float | None = None  # entered before the return, when it was wrong
    correction: float = 0.0  # a verified correction afterwards, as a share of the amount
    correction_note: str = ""

    @property
    def counted(self) -> float:
        """What the record adds to the verified funds, its correction included."""
        if self.kind != FundsKind.FUNDS or self.story not in (VERIFIED, FIXED_VERIFIED):
            return 0.0
        return self.amount * (1 + self.correction)


class Planner:
    """Plans the demo; `writing.DemoCounty` writes what it planned."""

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

    # --- planning --------------------------------------------------------------------------

    def company(self, words: list[str], team: Team | None, leading: bool) -> Company:
        """A fictional investor; foreign capital goes mostly to the leading industries."""
        brand = self.brands.pop()
        word = self.rng.choice(words)
        region = next((r for r in data.REGION_CITIES if team and r in team.name), None)
        if region and team and team.kind == TeamKind.RESIDENT:
            place = self.rng.choice(data.REGION_CITIES[region])
            origin = Origin.FOREIGN if place in ("香港", "澳门") else Origin.OUT_OF_PROVINCE
        else:
            origin = self.weighted(
                {
                    Origin.OUT_OF_PROVINCE: 58,
                    Origin.OUT_OF_CITY: 30,
                    Origin.FOREIGN: 14 if leading else 3,
                }
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

    def plan(self, *, source: str = LeadSource.OTHER) -> Plan:
        """Who has which investor for what: the part leads and projects share."""
        unit = self.weighted({u: data.UNIT_WEIGHTS.get(u.code, 1) for u in self.work_units})
        preferred = data.UNIT_CHAINS.get(unit.code)
        if preferred and self.rng.random() < 0.8:
            chain_code = self.rng.choices(preferred, weights=[4, 2, 1, 1][: len(preferred)])[0]
            chain = next(c for c in data.CHAINS if c[0] == chain_code)
        else:
            chain = self.rng.choices(data.CHAINS, weights=[3, 3, 3, 3, 2, 1, 1])[0]
        segment = self.rng.choice(chain[4])
        team = self.pick_team(chain[1], unit, source == LeadSource.RESIDENT_TEAM)
        company = self.company(segment[2], team, leading=chain[2])
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
            day=self.today,
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
                project = self.project_plan(shapes.pop(), lead)
                projects.append(project)
                lead.day = max(
                    self.days_ago(WINDOW_DAYS + 5), project.day - timedelta(r.randint(10, 120))
                )
                lead.follow_ups = self.lead_follow_ups(lead.day, project.day, r.randint(1, 2))
            elif status == LeadStatus.NEW:
                lead.day = self.days_ago(r.randint(0, 75))
            elif status == LeadStatus.FOLLOWING:
                lead.day = self.days_ago(r.randint(10, 700))
                lead.follow_ups = self.lead_follow_ups(lead.day, self.today, r.randint(1, 3))
            else:
                lead.day = self.days_ago(r.randint(60, 720))
                end = lead.day + timedelta(days=120)
                lead.follow_ups = self.lead_follow_ups(lead.day, end, r.randint(0, 1))
                lead.drop_reason = r.choice(data.LEAD_DROP_REASONS)
            leads.append(lead)
        leads += self.duplicate_leads(leads)
        for _ in range(DIRECT_PROJECTS - 2):
            resident = r.random() < 0.2
            plan = self.plan(source=LeadSource.RESIDENT_TEAM if resident else LeadSource.OTHER)
            projects.append(self.project_plan(shapes.pop(), None, plan))
        projects += self.duplicate_projects(projects)
        return leads, projects

    def project_plan(self, shape: str, lead: Plan | None, plan: Plan | None = None) -> Plan:
        """A project converted from `lead`, or entered directly as `plan` says."""
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
        if lead:
            # Negotiation moves the amount away from the lead's first estimate.
            plan.amount = max(30, round(lead.amount * self.rng.uniform(0.8, 1.3) / 50) * 50)
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


class FundsPlanner:
    """Plans the demo's monthly funds in place and completed investment (`Planner` mixin).

    Up to 24 months, from the month after signing (funds) or the month of the start
    (investment) to last month, never this month; amounts add up to a share of the
    contract amount, unevenly; this year's verified funds grow against last year's."""

    rng: random.Random
    today: date

    def funds_plans(self, projects: list[Plan]) -> list[FundsPlan]:
        self.last_month = add_months(month_start(self.today), -1)
        records: list[FundsPlan] = []
        for plan in projects:
            if not plan.steps or plan.terminated_on or plan.shape not in FUNDS_SHARES:
                continue
            records += self.funds_months(plan)
            if plan.shape in INVESTMENT_SHARES:
                records += self.investment_months(plan)
        flagged = self.funds_statuses(records)
        self.funds_corrections(records)
        self.year_on_year(records)
        self.fit_funds_caps(records)
        self.flagged_amounts(records, flagged)
        self.wrong_amounts(records)
        # Nobody reports a few thousand yuan: what the shaping left that small goes.
        return [x for x in records if x.amount >= 0.5]

    def months_from(self, first: date) -> list[date]:
        first = max(first, add_months(self.last_month, 1 - FUNDS_MONTHS))
        count = (self.last_month.year - first.year) * 12 + self.last_month.month - first.month
        return [add_months(first, i) for i in range(count + 1)]

    def stage_months(self, plan: Plan) -> tuple[date | None, date | None]:
        started = completed = None
        if plan.shape in INVESTMENT_SHARES:
            started = month_start(plan.steps[1][1])
            if len(plan.steps) > 3:
                completed = month_start(plan.steps[3][1])
        return started, completed

    def spread(self, total: float, weights: list[float], cap: float | None) -> list[float]:
        """`total` over the months in proportion to `weights`, no month above `cap`."""
        amounts = [total * w / sum(weights) for w in weights]
        for _ in range(3):
            if cap is None:
                break
            excess = sum(a - cap for a in amounts if a > cap)
            room = [i for i, a in enumerate(amounts) if 0 < a < cap]
            if not excess or not room:
                break
            amounts = [min(a, cap) for a in amounts]
            for i in room:
                amounts[i] += excess / len(room)
        return [min(a, cap) if cap else a for a in amounts]

    def funds_months(self, plan: Plan) -> list[FundsPlan]:
        r = self.rng
        months = self.months_from(add_months(month_start(plan.steps[0][1]), 1))
        if not months:
            return []
        started, completed = self.stage_months(plan)
        weights = []
        for month in months:
            if completed and month > completed:
                phase = 0.4
            elif started and month >= started:
                phase = 1.3
            else:
                phase = 0.7
            weight = phase * SEASON.get(month.month, 1.0) * r.lognormvariate(0, 0.6)
            weights.append(0.0 if r.random() < 0.25 else weight)
        if not any(weights):
            weights[r.randrange(len(weights))] = 1.0
        total = plan.amount * r.uniform(*FUNDS_SHARES[plan.shape])
        cap = MONTH_CAP_WAN if plan.amount < HUNDRED_MILLION_WAN else None
        return [
            FundsPlan(
                plan=plan,
                period=month,
                kind=FundsKind.FUNDS,
                amount=amount,
                note=r.choice(data.FUNDS_NOTES) if r.random() < 0.35 else "",
            )
            for month, amount in zip(months, self.spread(total, weights, cap), strict=True)
            if amount > 0
        ]

    def investment_months(self, plan: Plan) -> list[FundsPlan]:
        r = self.rng
        started, completed = self.stage_months(plan)
        months = self.months_from(started)
        if not months:
            return []
        weights = []
        for month in months:
            if completed and month > completed:
                weights.append(r.uniform(0.05, 0.2) if r.random() < 0.2 else 0.0)
            else:
                weight = SEASON.get(month.month, 1.0) * r.lognormvariate(0, 0.5)
                weights.append(weight if r.random() < 0.85 else 0.0)
        if not any(weights):
            weights[0] = 1.0
        total = plan.amount * r.uniform(*INVESTMENT_SHARES[plan.shape])
        return [
            FundsPlan(
                plan=plan,
                period=month,
                kind=FundsKind.INVESTMENT,
                amount=amount,
                note=r.choice(data.INVESTMENT_NOTES) if r.random() < 0.3 else "",
            )
            for month, amount in zip(months, self.spread(total, weights, None), strict=True)
            if amount > 0
        ]

    def funds_statuses(self, records: list[FundsPlan]) -> list[FundsPlan]:
        """Older than the last two months: verified. The month before last: mostly
        verified; last month: mostly awaiting verification. A handful returned (some of
        them fixed), one or two flagged on entry. Returns the flagged ones."""
        r, last = self.rng, self.last_month
        before = add_months(last, -1)
        for record in records:
            if record.period == last:
                record.story = VERIFIED if r.random() < 0.15 else SUBMITTED
            elif record.period == before and r.random() < 0.08:
                record.story = SUBMITTED
        flagged = self.pick_flagged(records)
        taken = {id(x.plan) for x in flagged}
        funds = [
            x
            for x in records
            if x.kind == FundsKind.FUNDS and id(x.plan) not in taken and x.amount >= 10
        ]
        recent = [x for x in funds if x.period >= before]
        older = [x for x in funds if x.period < before]
        stories = [RETURNED, RETURNED, RETURNED, FIXED, FIXED]
        picks = list(zip(r.sample(recent, min(5, len(recent))), stories, strict=False))
        picks += [(x, FIXED_VERIFIED) for x in r.sample(older, min(3, len(older)))]
        for record, story in picks:
            record.story = story
            record.reject_reason = r.choice(data.FUNDS_RETURN_REASONS)[0]
        return flagged

    def pick_flagged(self, records: list[FundsPlan]) -> list[FundsPlan]:
        """Last month: funds above the contract amount (the investor put in more), and
        over 5000 万元 in one month for a project under 1亿元."""
        r, last = self.rng, self.last_month
        plans: dict[int, Plan] = {id(x.plan): x.plan for x in records}
        totals: dict[int, float] = {}
        for record in records:
            if record.kind == FundsKind.FUNDS:
                totals[id(record.plan)] = totals.get(id(record.plan), 0.0) + record.amount
        # Above the contract amount where most of it is in place already.
        above = sorted(
            (p for p in plans.values() if p.shape in ("completed", "producing")),
            key=lambda p: -totals.get(id(p), 0.0) / p.amount,
        )[:3]
        # The biggest month where it is least out of line: the smallest share so far.
        big = sorted(
            (
                p
                for p in plans.values()
                if p.shape in ("constructing", "started") and 5500 <= p.amount < HUNDRED_MILLION_WAN
            ),
            key=lambda p: (totals.get(id(p), 0.0) + 5400) / p.amount,
        )[:1]
        flagged = []
        for candidates, note in (
            (above, data.FUNDS_OVER_CONTRACT_NOTE),
            (big, data.FUNDS_BIG_MONTH_NOTE),
        ):
            candidates = [p for p in candidates if all(p is not x.plan for x in flagged)]
            if not candidates:
                continue
            plan = r.choice(candidates)
            record = next(
                (
                    x
                    for x in records
                    if x.plan is plan and x.period == last and x.kind == FundsKind.FUNDS
                ),
                None,
            )
            if record is None:
                record = FundsPlan(plan=plan, period=last, kind=FundsKind.FUNDS, amount=0.0)
                records.append(record)
            record.story, record.note = FLAGGED, note
            flagged.append(record)
        return flagged

    def funds_corrections(self, records: list[FundsPlan]) -> None:
        """Three verified records corrected afterwards: two down, one up."""
        r = self.rng
        before = add_months(self.last_month, -1)
        candidates = [
            x
            for x in records
            if x.kind == FundsKind.FUNDS
            and x.story == VERIFIED
            and x.period < before
            and x.amount >= 20
        ]
        picks = r.sample(candidates, min(3, len(candidates)))
        for record, down in zip(picks, (True, True, False), strict=False):
            if down:
                record.correction = -r.uniform(0.2, 0.5)
                record.correction_note = r.choice(data.FUNDS_CORRECTIONS_DOWN)
            else:
                record.correction = r.uniform(0.1, 0.3)
                record.correction_note = r.choice(data.FUNDS_CORRECTIONS_UP)

    def year_on_year(self, records: list[FundsPlan]) -> None:
        """This year's verified funds, January to last month, grow by 12–18% against the
        same months of last year.

        The demo county starts two years ago, so last year had far fewer signed projects
        than this year: left alone, this year would be several times last year. Last
        year's months grow first (within each project's share); what is still too much
        comes off this year's months of the projects signed since, which then have less
        of their contract amount in place so far (and the older ones, if need be)."""
        if self.today.month == 1:
            return
        this_year = set(self.months_from(date(self.today.year, 1, 1)))
        last_year = {d.replace(year=d.year - 1) for d in this_year}
        target = self.rng.uniform(*YOY_GROWTH)
        funds = [x for x in records if x.kind == FundsKind.FUNDS and x.story != FLAGGED]

        def total(months: set[date], among: list[FundsPlan] = funds) -> float:
            return sum(x.counted for x in among if x.period in months)

        for _ in range(8):
            now, then = total(this_year), total(last_year)
            if not now or not then or abs(now / then / target - 1) < 0.01:
                return
            factor = min(now / then / target, 1.5)
            for record in funds:
                if record.period in last_year:
                    record.amount *= factor
            self.fit_funds_caps(records)
        old = {id(x.plan) for x in funds if x.period in last_year}
        newer = [x for x in funds if x.period in this_year and id(x.plan) not in old]
        excess = total(this_year) - total(last_year) * target
        # The earlier a project's stage, the less of its funds is in place so far.
        weighed = sum(x.counted * YOY_CUTS[x.plan.shape] for x in newer)
        if excess > 0 and weighed:
            for record in newer:
                record.amount *= 1 - min(0.85, excess / weighed * YOY_CUTS[record.plan.shape])
        now, then = total(this_year), total(last_year)
        if now > then * target:
            for record in funds:
                if record.period in this_year:
                    record.amount *= then * target / now

    def fit_funds_caps(self, records: list[FundsPlan]) -> None:
        """No month above 4800 万元 for a project under 1亿元, no project's funds above
        the top of its share: those would be flagged, or out of character."""
        totals: dict[int, float] = {}
        for record in records:
            if record.kind != FundsKind.FUNDS or record.story == FLAGGED:
                continue
            if record.plan.amount < HUNDRED_MILLION_WAN:
                record.amount = min(record.amount, MONTH_CAP_WAN)
            key = id(record.plan)
            totals[key] = totals.get(key, 0.0) + record.amount * (1 + max(0, record.correction))
        for record in records:
            if record.kind != FundsKind.FUNDS or record.story == FLAGGED:
                continue
            limit = record.plan.amount * FUNDS_SHARES[record.plan.shape][1]
            if totals[id(record.plan)] > limit:
                record.amount *= limit / totals[id(record.plan)]

    def flagged_amounts(self, records: list[FundsPlan], flagged: list[FundsPlan]) -> None:
        r = self.rng
        for record in flagged:
            plan = record.plan
            if record.note == data.FUNDS_OVER_CONTRACT_NOTE:
                others = sum(
                    x.amount * (1 + x.correction)
                    for x in records
                    if x.plan is plan and x.kind == FundsKind.FUNDS and x is not record
                )
                record.amount = plan.amount * r.uniform(1.02, 1.06) - others
            else:
                record.amount = r.uniform(5050, 5800)

    def wrong_amounts(self, records: list[FundsPlan]) -> None:
        """A record returned for its amount was first entered too high (the promised
        payment, not the one that arrived), unless that would have been flagged."""
        r = self.rng
        totals: dict[int, float] = {}
        for record in records:
            if record.kind == FundsKind.FUNDS:
                key = id(record.plan)
                # A later correction down is not there yet when the record comes in.
                added = record.amount * (1 + max(0.0, record.correction))
                totals[key] = totals.get(key, 0.0) + added
        amount_reasons = [text for text, wrong in data.FUNDS_RETURN_REASONS if wrong]
        evidence_reasons = [text for text, wrong in data.FUNDS_RETURN_REASONS if not wrong]
        for record in records:
            if record.story not in RETURN_STORIES or record.reject_reason not in amount_reasons:
                continue
            plan = record.plan
            wrong = round(record.amount * r.uniform(1.2, 1.6), 2)
            over_month = plan.amount < HUNDRED_MILLION_WAN and wrong > MONTH_CAP_WAN
            if over_month or totals[id(plan)] + wrong - record.amount > plan.amount * 0.99:
                record.reject_reason = r.choice(evidence_reasons)
            else:
                record.first_amount = wrong
