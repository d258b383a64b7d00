"""Demo trips for `seed_demo`: two years of outbound promotion trips (外出招商活动) of the
demo teams and units, with the companies visited, results, next steps and the leads they
brought in, a few still awaiting results or overdue and a few planned; and the trip
quotas of both years.

Decided up front with one fixed random seed (dates are relative to today), then written
through teams.services as whoever would report each trip. If any trip exists, nothing
is added: running twice changes nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from demo.projects import data as pdata
from demo.projects.writing import acting_as, demo_bureau
from projects.models import Lead
from teams.choices import TeamKind
from teams.models import Team, Unit, User
from trips import services
from trips.choices import QuotaScope
from trips.models import DEFAULT_QUOTAS, Trip, TripQuota, TripVisit

TRIP_SEED = 2025
# Trips over last year and this one: each resident team travels most, then the industry
# groups and the units (those without staff accounts report none).
RESIDENT_TEAM_TRIPS = 14
GROUP_TRIPS = 9
UNIT_TRIPS = {
    "ZSJ": 4,
    "JKQ": 7,
    "GXQ": 6,
    "NYY": 4,
    "CGZ": 5,
    "QLZ": 4,
    "SQZ": 4,
    "BMZ": 3,
    "HKZ": 3,
    "XHJD": 3,
    "GXJ": 5,
    "FGJ": 4,
    "SWJ": 4,
    "KJJ": 3,
    "NYJ": 3,
    "WLJ": 3,
}
# Trips still without results, and plans: (team name or unit code, start in days from
# today, days away). Results are due 7 days after a trip ends: ending 2–6 days ago they
# are awaited, ending 10–40 days ago they are overdue.
OPEN_TRIPS = [
    ("长三角驻点招商小分队", 5, 4),
    ("JKQ", 12, 2),
    ("装备制造产业招商组团", 20, 3),
    ("珠三角驻点招商小分队", -5, 4),
    ("CGZ", -5, 2),
    ("GXQ", -7, 2),
    ("QLZ", -11, 2),
    ("成渝驻点招商小分队", -18, 4),
    ("SWJ", -26, 2),
    ("FGJ", -41, 2),
]
# Units whose last trip of long ago was never reported.
FORGETFUL_UNITS = ["HKZ", "BMZ"]
# Quotas the bureau sets besides DEFAULT_QUOTAS: (trips a year, a quarter at least).
EXTRA_QUOTAS = {QuotaScope.PARK: (4, 0), QuotaScope.TEAM: (6, 0)}

GROUP_CHAINS = {"生物医药": "BIO", "新能源新材料": "NEM", "装备制造": "EQP"}
CHAIN_CITIES = {
    "BIO": ["上海", "苏州", "杭州", "北京", "深圳", "成都", "武汉", "泰州"],
    "NEM": ["常州", "宁波", "合肥", "宜宾", "西安", "无锡", "深圳"],
    "EQP": ["苏州", "无锡", "长沙", "青岛", "济南", "沈阳", "宁波"],
}
TRIP_PURPOSES = {
    "resident": "在{region}开展驻点招商，上门走访{chain}企业，宣传推介我县投资环境",
    "group": "赴{place}开展{chain}产业链招商，对接链主企业和上下游配套企业",
    "unit": "赴{place}拜访{chain}企业，推介{unit}产业平台和招商政策",
    "leader": "{leader}带队赴{place}开展{chain}产业招商考察，拜访意向投资企业",
}
VISIT_NOTES = [
    "介绍我县区位交通和产业配套，企业有意在中部地区布局新产能",
    "企业计划明年扩产，已邀请来县实地考察",
    "了解企业供应链布局，对方关注用地指标和用工保障",
    "参观企业生产线，交流产业链配套需求",
    "企业暂无外迁计划，约定保持联系",
    "企业对标准厂房租赁政策感兴趣，索要政策汇编",
    "",
]
TRIP_OUTCOMES = [
    "企业对我县产业配套和营商环境评价较好，暂无明确投资意向",
    "宣传推介了我县招商政策，与企业建立了常态化联系渠道",
    "收集了行业投资动态和企业布局信息，形成调研报告一份",
    "与行业协会座谈，争取协会协助举办专场推介会",
]
TRIP_NEXT_STEPS = [
    "邀请{company}高管来县实地考察",
    "将企业用地、用电需求提交县招商引资联席会议研究",
    "安排专人跟进，每月电话回访一次",
    "整理对接企业名单，纳入线索库统一跟踪",
    "协调自然资源局提供拟选地块规划条件",
    "起草投资合作意向书，报县政府审定",
]


@dataclass
class TripPlan:
    """One demo trip, decided before anything is written."""

    reporter: User
    unit: Unit | None
    team: Team | None
    leader_name: str
    led_by: User | None
    participants: list[User]
    place: str
    chain: str
    start_on: date
    days: int
    reported: bool = True
    leads: list[Lead] = field(default_factory=list)


class DemoTrips:
    """Plans and writes the demo trips and quotas, through teams.services as whoever
    would report them (a member of the team, an officer of the unit)."""

    def __init__(self, *, bureau: User) -> None:
        self.rng = random.Random(TRIP_SEED)
        self.today = timezone.localdate()
        self.first_day = date(self.today.year - 1, 1, 1)
        self.bureau = bureau
        self.units = {u.code: u for u in Unit.objects.filter(is_active=True)}
        self.staff: dict[int, list[User]] = {}
        for user in User.objects.filter(
            is_active=True, role__in=[Role.UNIT_HEAD, Role.OFFICER], unit__isnull=False
        ).order_by("role", "username"):
            self.staff.setdefault(user.unit_id, []).append(user)
        self.staff.setdefault(bureau.unit_id, []).append(bureau)
        self.leader_account = (
            User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()
        )
        self.teams = list(
            Team.objects.filter(is_active=True).prefetch_related("members").order_by("pk")
        )
        self.county_leaders = sorted({t.leader_name for t in self.teams if t.leader_name})
        self.leads: dict[tuple[str, int], list[Lead]] = {}
        for lead in Lead.objects.order_by("received_on", "pk"):
            self.leads.setdefault(("unit", lead.unit_id), []).append(lead)
            if lead.team_id:
                self.leads.setdefault(("team", lead.team_id), []).append(lead)
        self.linked: set[int] = set()
        self.phones: set[str] = set()
        brands = [a + b for a in pdata.BRAND_FIRST for b in pdata.BRAND_SECOND if a != b]
        self.rng.shuffle(brands)
        self.brands = brands
        self.chain_words = {
            code: [word for segment in segments for word in segment[2]]
            for code, _name, _leading, _categories, segments in pdata.CHAINS
        }
        self.chain_names = {chain[0]: chain[1] for chain in pdata.CHAINS}

    # --- planning -----------------------------------------------------------------------

    def person(self) -> str:
        """A fictional name: a surname and a given name of one or two characters."""
        given = self.rng.choice(pdata.GIVEN_SECOND)
        if self.rng.random() < 0.7:
            given = self.rng.choice(pdata.GIVEN_FIRST) + given
        return self.rng.choice(pdata.SURNAMES) + given

    def phone(self) -> str:
        while True:
            number = self.rng.choice(pdata.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def spread(self, count: int) -> list[date]:
        """`count` start dates, one in each equal slice of the window: every quarter has
        some, none within the last two weeks (those are the open trips)."""
        last = self.today - timedelta(days=16)
        span = (last - self.first_day).days
        return [
            self.first_day + timedelta(days=span * i // count + self.rng.randrange(span // count))
            for i in range(count)
        ]

    def led(self, team: Team | None, pool: list[User], leader_share: float) -> tuple:
        """(leader's name, leading account, participants): a county leader with staff, or
        a staff member leading."""
        participants = self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3)))
        if self.rng.random() < leader_share and self.county_leaders:
            name = team.leader_name if team and team.leader_name else ""
            name = name or self.rng.choice(self.county_leaders)
            account = self.leader_account
            led_by = account if account and name.startswith(account.full_name) else None
            return name, led_by, participants
        head = participants[0]
        return head.get_full_name(), head, participants

    def members(self, team: Team) -> list[User]:
        return sorted((u for u in team.members.all() if u.is_active), key=lambda u: u.username)

    def team_plans(self) -> list[TripPlan]:
        plans = []
        for team in self.teams:
            members = self.members(team)
            if not members:
                continue
            resident = team.kind == TeamKind.RESIDENT
            count = RESIDENT_TEAM_TRIPS if resident else GROUP_TRIPS
            for start_on in self.spread(count):
                plans.append(self.team_plan(team, members, start_on))
        return plans

    def team_plan(self, team: Team, members: list[User], start_on: date) -> TripPlan:
        if team.kind == TeamKind.RESIDENT:
            region = next((r for r in pdata.REGION_CITIES if r in team.name), "")
            cities = pdata.REGION_CITIES.get(region) or pdata.OTHER_PROVINCE_CITIES
            chain = self.rng.choice(["EQP", "ELE", "NEM", "BIO", "LOG"])
            leader_share = 0.3
        else:
            chain = next((c for name, c in GROUP_CHAINS.items() if name in team.name), "EQP")
            cities = CHAIN_CITIES[chain]
            leader_share = 0.75
        name, led_by, participants = self.led(team, members, leader_share)
        places = self.rng.sample(cities, min(len(cities), self.rng.choice([1, 1, 2])))
        reporter = next((p for p in participants if p.role != Role.LEADER), members[0])
        return TripPlan(
            reporter=reporter,
            unit=None,
            team=team,
            leader_name=name,
            led_by=led_by,
            participants=participants,
            place="、".join(places),
            chain=chain,
            start_on=start_on,
            days=self.rng.randint(2, 5),
        )

    def unit_plans(self) -> list[TripPlan]:
        plans = []
        for code, count in UNIT_TRIPS.items():
            unit = self.units.get(code)
            if unit is None or not self.staff.get(unit.pk):
                continue
            unit_plans = [self.unit_plan(unit, start_on) for start_on in self.spread(count)]
            if code in FORGETFUL_UNITS:
                unit_plans[0].reported = False
            plans += unit_plans
        return plans

    def unit_plan(self, unit: Unit, start_on: date) -> TripPlan:
        chain = self.rng.choice(pdata.UNIT_CHAINS.get(unit.code) or ["EQP", "ELE", "LOG"])
        cities = [c for cs in pdata.REGION_CITIES.values() for c in cs if c not in ("香港", "澳门")]
        cities += pdata.SAME_PROVINCE_CITIES + pdata.OTHER_PROVINCE_CITIES
        staff = self.staff[unit.pk]
        name, led_by, participants = self.led(None, staff, 0.15)
        return TripPlan(
            reporter=staff[0],
            unit=unit,
            team=None,
            leader_name=name,
            led_by=led_by,
            participants=participants,
            place=self.rng.choice(cities),
            chain=chain,
            start_on=start_on,
            days=self.rng.randint(1, 3),
        )

    def open_plans(self) -> list[TripPlan]:
        teams = {t.name: t for t in self.teams}
        plans = []
        for owner, start, days in OPEN_TRIPS:
            team = teams.get(owner)
            unit = self.units.get(owner)
            start_on = self.today + timedelta(days=start)
            members = self.members(team) if team is not None else []
            if members:
                plan = self.team_plan(team, members, start_on)
            elif unit is not None and self.staff.get(unit.pk):
                plan = self.unit_plan(unit, start_on)
            else:
                continue
            plan.days, plan.reported = days, False
            plans.append(plan)
        return plans

    def link_leads(self, plan: TripPlan) -> None:
        """Leads of the same team or unit received during the trip or within three weeks
        after it: what the trip brought in. A team's trip is reported by a member of the
        unit that holds those leads (a reporter links only leads they can see)."""
        if plan.start_on > self.today:
            return
        owner = ("team", plan.team.pk) if plan.team else ("unit", plan.unit.pk)
        end_on = plan.start_on + timedelta(days=plan.days - 1)
        found = [
            lead
            for lead in self.leads.get(owner, [])
            if plan.start_on <= lead.received_on <= end_on + timedelta(days=21)
            and lead.pk not in self.linked
        ]
        if not found or self.rng.random() >= 0.8:
            return
        if plan.team:
            units = {lead.unit_id for lead in found}
            members = self.members(plan.team)
            plan.reporter = next((m for m in members if m.unit_id in units), plan.reporter)
            found = [lead for lead in found if lead.unit_id == plan.reporter.unit_id]
        plan.leads = found[: self.rng.choice([1, 1, 2])]
        self.linked.update(lead.pk for lead in plan.leads)

    # --- writing ------------------------------------------------------------------------

    def company(self, chain: str, place: str) -> str:
        city = place.split("、")[0]
        suffix = self.rng.choice(["有限公司", "有限公司", "股份有限公司", "集团有限公司"])
        return f"{city}{self.brands.pop()}{self.rng.choice(self.chain_words[chain])}{suffix}"

    def visits(self, plan: TripPlan) -> list[dict[str, str]]:
        visits = [
            {
                "company": lead.company_name,
                "contact_name": lead.contact_name,
                "contact_title": lead.contact_title,
                "contact_phone": lead.contact_phone,
                "notes": "达成初步投资意向，已录入招商线索",
            }
            for lead in plan.leads
        ]
        for _i in range(max(0, self.rng.choice([1, 2, 2, 3, 3, 4]) - len(visits))):
            planned = plan.start_on > self.today
            visits.append(
                {
                    "company": self.company(plan.chain, plan.place),
                    "contact_name": self.person(),
                    "contact_title": self.rng.choice(pdata.CONTACT_TITLES),
                    "contact_phone": self.phone(),
                    "notes": "" if planned else self.rng.choice(VISIT_NOTES),
                }
            )
        return visits

    def texts(self, plan: TripPlan, visits: list[dict[str, str]]) -> dict[str, str]:
        chain = self.chain_names[plan.chain]
        if plan.team and plan.team.kind == TeamKind.RESIDENT:
            kind, region = "resident", plan.team.region
        else:
            kind, region = ("group" if plan.team else "unit"), ""
        if plan.led_by is None or plan.led_by.role == Role.LEADER:
            kind = "leader" if kind != "resident" else kind
        unit = plan.unit.name if plan.unit else ""
        purpose = TRIP_PURPOSES[kind].format(
            region=region, place=plan.place, chain=chain, unit=unit, leader=plan.leader_name
        )
        if not plan.reported:
            return {"purpose": purpose, "summary": "", "next_steps": ""}
        if plan.leads:
            outcome = (
                f"获取有效招商线索{len(plan.leads)}条，其中{plan.leads[0].company_name}投资意向较强"
            )
        else:
            outcome = self.rng.choice(TRIP_OUTCOMES)
        next_step = self.rng.choice(TRIP_NEXT_STEPS).format(company=visits[0]["company"])
        return {
            "purpose": purpose,
            "summary": f"共走访企业{len(visits)}家，{outcome}。",
            "next_steps": next_step,
        }

    def write(self, plan: TripPlan) -> None:
        visits = self.visits(plan)
        typed = {
            "unit": plan.unit,
            "team": plan.team,
            "leader_name": plan.leader_name,
            "led_by": plan.led_by,
            "destination": plan.place,
            "start_on": plan.start_on,
            "end_on": plan.start_on + timedelta(days=plan.days - 1),
            "participants": plan.participants,
            "leads": plan.leads,
            **self.texts(plan, visits),
        }
        with acting_as(plan.reporter):
            services.trip_save(user=plan.reporter, data=typed, visits=visits)

    def build(self) -> None:
        plans = self.team_plans() + self.unit_plans() + self.open_plans()
        plans.sort(
            key=lambda p: (p.start_on, p.team.pk if p.team else 0, p.unit.pk if p.unit else 0)
        )
        for plan in plans:
            self.link_leads(plan)
            self.write(plan)
        quotas = {**DEFAULT_QUOTAS, **EXTRA_QUOTAS}
        with acting_as(self.bureau):
            for year in (self.today.year - 1, self.today.year):
                existing = set(TripQuota.objects.filter(year=year).values_list("scope", flat=True))
                for scope, (per_year, per_quarter) in quotas.items():
                    if scope not in existing:
                        quota = TripQuota(
                            year=year, scope=scope, per_year=per_year, per_quarter=per_quarter
                        )
                        services.quota_save(user=self.bureau, quota=quota)


def seed_trips() -> dict[str, int]:
    """Two years of trips and their quotas, unless there are trips already (then nothing is
    added). Comes after the projects' seeder: the trips link the leads they brought in."""
    zero = {"trips": 0, "visits": 0, "quotas": 0}
    if Trip.objects.exists():
        return zero
    bureau = demo_bureau()
    if bureau is None:
        return zero
    with transaction.atomic():
        DemoTrips(bureau=bureau).build()
    return {
        "trips": Trip.objects.count(),
        "visits": TripVisit.objects.count(),
        "quotas": TripQuota.objects.count(),
    }
