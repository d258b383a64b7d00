"""The county's (or city's, or province's) units and their accounts, the industries, the
promotion teams and their trips."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from bench.rows import (
    FUNDS_MONTHS,
    HORIZON_DAYS,
    UNITS_PER_COUNTY,
    Counts,
    UnitInfo,
    boolean,
    month_of,
    opt,
    stamp,
)


class CountyGenerator:
    """Decides and writes the data set. Every random draw comes from one seeded generator in
    a fixed order, so a seed and a reference date always give the same rows."""

    def __init__(self, scale: Any, seed: int, today: date) -> None:
        from bench import words
        from demo import teams as teams_demo
        from demo.projects import data

        words.check_texts()
        self.data = data
        self.teams_demo = teams_demo
        self.words = words
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        # The second half's fields (包保 accounts, 拟开工 plans, the project library) draw from
        # a generator of their own, so the rest of the data set is what it was without them.
        self.construction_rng = random.Random(seed + 2)
        self.today = today
        self.this_month = month_of(today)
        self.first_month = self.this_month - FUNDS_MONTHS + 1
        self.counts = Counts()
        self.units: list[UnitInfo] = []
        self.county_names: dict[int, str] = {}
        self.bureau_users: list[int] = []
        self.leader_names = list(data.COUNTY_LEADERS)
        self.leader_ids: dict[str, int] = {}  # each county leader's account (包保 leaders)
        self.user_id = 0
        self.used_names: set[str] = set()
        self.used_phones: set[str] = set()
        self.brands = [a + b for a in data.BRAND_FIRST for b in data.BRAND_SECOND if a != b]
        self.industry_ids: dict[str, int] = {}
        self.teams: list[tuple[int, str, int, list[int], list[int]]] = []
        self.unit_teams: dict[int, list[int]] = {}
        self.trips_by_unit: dict[int, list[tuple[int, int]]] = {}
        self.project_years: dict[int, int] = {}
        self.funds_plan: list[tuple[int, ...]] = []
        self.lead_id = 0
        self.trip_lead_rows: list[tuple[int, int]] = []

    # --- draws ------------------------------------------------------------------------------

    def person(self) -> str:
        data, r = self.data, self.rng
        if r.random() < 0.7:
            given = r.choice(data.GIVEN_FIRST) + r.choice(data.GIVEN_SECOND)
        else:
            given = r.choice(data.GIVEN_SECOND)
        return r.choice(data.SURNAMES) + given

    def phone(self) -> str:
        r = self.rng
        while True:
            number = r.choice(self.data.MOBILE_PREFIXES) + f"{r.randrange(10**8):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def day_between(self, start: date, end: date) -> date:
        end = min(end, self.today)
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def amount(self) -> int:
        """A contract amount in 万元, as the demo draws them (a tenth over 1亿元)."""
        r = self.rng
        size = r.random()
        if size < 0.12:
            return r.randrange(10000, 60001, 1000)
        if size < 0.27:
            return r.randrange(5000, 10000, 500)
        if size < 0.65:
            return r.randrange(1000, 5000, 100)
        if size < 0.95:
            return r.randrange(100, 1000, 50)
        return r.randrange(30, 100, 10)

    def weighted_unit(self, cumulative: list[float], total: float) -> UnitInfo:
        return self.work_units[bisect(cumulative, self.rng.random() * total)]

    def unique_name(self, candidates: Iterable[str]) -> str:
        """The first candidate no unit or county has taken yet."""
        for name in candidates:
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of names")

    def place(self) -> str:
        chars = self.words.PLACE_CHARS
        return self.rng.choice(chars) + self.rng.choice(chars)

    # --- units and accounts -------------------------------------------------------------------

    def plan_units(self) -> None:
        from teams.choices import UnitKind

        teams_demo, words, r = self.teams_demo, self.words, self.rng
        code, name = teams_demo.BUREAU
        self.units.append(UnitInfo(1, code, name, UnitKind.BUREAU, 0, 0.0))
        self.used_names.add(name)
        work = self.scale.units - 1
        counties = max(1, -(-work // UNITS_PER_COUNTY))
        serial = 0
        for county in range(counties):
            size = work // counties + (1 if county < work % counties else 0)
            parks = max(1, round(size * 0.1))
            departments = max(1, round(size * 0.38))
            townships = max(1, size - parks - departments)
            if county == 0:
                prefix = ""
            else:
                prefix = self.unique_name(
                    self.place() + r.choice(words.COUNTY_SUFFIXES) for _ in range(1000)
                ).rstrip("县")
            self.county_names[county] = prefix
            kinds = [
                (UnitKind.TOWNSHIP, townships, list(teams_demo.TOWNSHIPS)),
                (UnitKind.PARK, parks, words.PARKS),
                (UnitKind.DEPARTMENT, departments, words.DEPARTMENTS),
            ]
            for kind, count, known in kinds:
                for index in range(count):
                    serial += 1
                    letter = {"township": "T", "park": "P", "department": "D"}[kind]
                    if index < len(known) and (kind != UnitKind.TOWNSHIP or county == 0):
                        known_code, known_name = known[index]
                        unit_code = known_code if county == 0 else f"{letter}{serial:05d}"
                        if county:
                            known_name = prefix + known_name.removeprefix("县")
                        unit_name = self.unique_name([known_name])
                    else:
                        unit_code = f"{letter}{serial:05d}"
                        suffix = r.choice(words.TOWNSHIP_SUFFIXES)
                        unit_name = self.unique_name(
                            f"{prefix}{self.place()}{suffix}" for _ in range(1000)
                        )
                    base = {"township": 1.2, "park": 3.0, "department": 0.6}[kind]
                    base = self.data.UNIT_WEIGHTS.get(unit_code, base) if county == 0 else base
                    weight = base * r.lognormvariate(0, 0.6)
                    unit_id = len(self.units) + 1
                    self.units.append(UnitInfo(unit_id, unit_code, unit_name, kind, county, weight))
        self.work_units = [u for u in self.units if u.kind != UnitKind.BUREAU]
        self.unit_by_code = {u.code: u for u in self.units}
        self.counties: dict[int, list[UnitInfo]] = {}
        for unit in self.work_units:
            self.counties.setdefault(unit.county, []).append(unit)

    def write_units(self, spools: dict) -> None:
        created = stamp(self.today - timedelta(days=HORIZON_DAYS + 30))
        minimums = self.data.PARK_MIN_INTENSITY
        for order, unit in enumerate(self.units, start=1):
            minimum = None
            if unit.kind == "park":
                minimum = minimums.get(unit.code) or (
                    self.rng.choice([150, 200, 250, 300]) if self.rng.random() < 0.6 else None
                )
                unit.min_intensity = minimum
            spools["unit"].add(
                str(unit.id),
                created,
                created,
                unit.code,
                unit.name,
                unit.kind,
                "t",
                str(order),
                opt(minimum),
            )

    def write_users(self, spools: dict, password: str) -> None:
        from core.roles import Role

        joined = stamp(self.today - timedelta(days=HORIZON_DAYS))
        bureau = self.units[0]

        def add(username: str, full_name: str, role: str, unit: UnitInfo) -> int:
            self.user_id += 1
            spools["user"].add(
                str(self.user_id),
                password,
                None,
                "f",
                username,
                "",
                "f",
                "t",
                joined,
                full_name,
                role,
                "",
                str(unit.id),
            )
            return self.user_id

        self.bureau_users = [add("bench_bureau", "李明", Role.BUREAU, bureau)]
        self.bureau_users.append(add("bench_bureau2", self.person(), Role.BUREAU, bureau))
        for index, leader in enumerate(self.leader_names, start=1):
            username = "bench_leader" if index == 1 else f"bench_leader{index}"
            self.leader_ids[leader] = add(username, leader, Role.LEADER, bureau)
        for unit in self.work_units:
            head_name = self.person()
            unit.users.append(add(f"{unit.code.lower()}_head", head_name, Role.UNIT_HEAD, unit))
            unit.names.append(head_name)
            for number in range(1, 2 + min(3, int(unit.weight))):
                officer = self.person()
                unit.users.append(
                    add(f"{unit.code.lower()}_officer{number}", officer, Role.OFFICER, unit)
                )
                unit.names.append(officer)

    # --- industries, teams, trips ---------------------------------------------------------------

    def write_industries(self, spools: dict) -> None:
        created = stamp(self.today - timedelta(days=HORIZON_DAYS + 30))
        order = 0
        for code, name, leading, _weights, segments in self.data.CHAINS:
            order += 1
            chain_id = order
            self.industry_ids[code] = chain_id
            spools["industry"].add(
                str(chain_id), created, created, code, name, boolean(leading), "t", str(order), None
            )
            for seg_code, seg_name, *_rest in segments:
                order += 1
                self.industry_ids[seg_code] = order
                spools["industry"].add(
                    str(order),
                    created,
                    created,
                    seg_code,
                    seg_name,
                    boolean(leading),
                    "t",
                    str(order),
                    str(chain_id),
                )

    def plan_teams(self) -> list[tuple]:
        """(name, kind, region, leader, lead unit, member units, members, budget) of each team:
        the demo's nine where their units exist, three more for each further county."""
        from teams.choices import TeamKind

        r, data = self.rng, self.data
        plans = []
        for name, kind, region, leader, lead, members, _users, budget in self.teams_demo.TEAMS:
            units = [self.unit_by_code[c] for c in members if c in self.unit_by_code]
            if not units:
                continue
            lead_unit = self.unit_by_code.get(lead, self.units[0])
            plans.append((name, kind, region, leader, lead_unit, units, budget))
        regions = list(data.REGION_CITIES)
        for county, units in sorted(self.counties.items()):
            if county == 0:
                continue
            prefix = self.county_names[county]
            departments = [u for u in units if u.kind == "department"] or units
            for region in r.sample(regions, 2):
                members = r.sample(units, min(len(units), r.randint(3, 4)))
                plans.append(
                    (
                        f"{prefix}{region}驻点招商小分队",
                        TeamKind.RESIDENT,
                        region,
                        f"{self.person()}（副县长）",
                        r.choice(departments),
                        members,
                        r.choice([50, 60, 80]),
                    )
                )
            chain = r.choice(data.CHAINS[:4])
            members = r.sample(units, min(len(units), r.randint(3, 4)))
            plans.append(
                (
                    f"{prefix}{chain[1]}产业招商组团",
                    TeamKind.GROUP,
                    "",
                    f"{self.person()}（副县长）",
                    r.choice(departments),
                    members,
                    r.choice([100, 120, 150]),
                )
            )
        return plans

    def write_teams(self, spools: dict) -> None:
        created = stamp(self.today - timedelta(days=800))
        active_from = date(self.today.year - 2, 1, 1).isoformat()
        used: set[str] = set()
        for index, (name, kind, region, leader, lead, members, budget) in enumerate(
            self.plan_teams(), start=1
        ):
            if name in used:
                name = f"{name}（{index}）"
            used.add(name)
            spools["team"].add(
                str(index),
                created,
                created,
                name,
                kind,
                region,
                leader,
                f"{budget}.00",
                active_from,
                None,
                "t",
                str(lead.id),
            )
            member_users: list[int] = []
            for unit in members:
                spools["team_units"].add(
                    str(spools["team_units"].rows + 1), str(index), str(unit.id)
                )
                self.unit_teams.setdefault(unit.id, []).append(index)
                member_users.append(self.rng.choice(unit.users))
            for user in sorted(set(member_users)):
                spools["team_members"].add(
                    str(spools["team_members"].rows + 1), str(index), str(user)
                )
            self.teams.append(
                (index, kind, lead.id, [u.id for u in members], sorted(set(member_users)))
            )

    def write_trips(self, spools: dict) -> None:
        """Each unit's and team's outbound trips of last year and this year (planned ones a
        few weeks ahead), with who went, whom they met and what came of it."""
        r, data, words = self.rng, self.data, self.words
        quota = {"township": 4, "department": 5, "park": 4}
        cities = [c for cities in data.REGION_CITIES.values() for c in cities]
        cities += data.OTHER_PROVINCE_CITIES
        trip_id = 0
        due = self.today - timedelta(days=7)
        owners: list[tuple[UnitInfo | None, tuple | None]] = [(u, None) for u in self.work_units]
        owners += [(None, team) for team in self.teams]
        for unit, team in owners:
            for year in (self.today.year - 1, self.today.year):
                first = date(year, 1, 1)
                last = date(year, 12, 31) if year < self.today.year else self.today
                base = quota[unit.kind] if unit else 6
                count = base + r.randint(0, 2)
                if year == self.today.year:
                    count = max(1, round(count * (self.today.timetuple().tm_yday / 365)))
                    last = self.today + timedelta(days=30)  # planned trips
                for _ in range(count):
                    trip_id += 1
                    start = first + timedelta(days=r.randrange(max(1, (last - first).days)))
                    end = start + timedelta(days=r.randint(0, 4))
                    if team:
                        owner_unit = r.choice(team[3]) if r.random() < 0.5 else None
                        leader = r.choice(team[4]) if team[4] else None
                        leader_name = r.choice(self.leader_names)
                        participants = team[4][:2]
                    else:
                        owner_unit = unit.id
                        leader = unit.users[0]
                        leader_name = unit.names[0]
                        participants = unit.users[1:3]
                    reported = end < due and r.random() < 0.92
                    created = stamp(min(start, self.today))
                    spools["trip"].add(
                        str(trip_id),
                        created,
                        created,
                        leader_name,
                        r.choice(cities),
                        start.isoformat(),
                        end.isoformat(),
                        r.choice(words.TRIP_PURPOSES),
                        r.choice(words.TRIP_SUMMARIES) if reported else "",
                        r.choice(words.TRIP_NEXT_STEPS) if reported else "",
                        opt(leader),
                        opt(team[0] if team else None),
                        opt(owner_unit),
                    )
                    for user in participants:
                        spools["trip_participants"].add(
                            str(spools["trip_participants"].rows + 1), str(trip_id), str(user)
                        )
                    for _visit in range(r.randint(1, 3) if reported else 0):
                        spools["trip_visit"].add(
                            str(spools["trip_visit"].rows + 1),
                            r.choice(self.brands) + r.choice(("科技有限公司", "集团有限公司")),
                            self.person(),
                            r.choice(data.CONTACT_TITLES),
                            self.phone(),
                            r.choice(words.VISIT_NOTES),
                            str(trip_id),
                        )
                    if owner_unit is not None and start <= self.today:
                        self.trips_by_unit.setdefault(owner_unit, []).append(
                            (start.toordinal(), trip_id)
                        )
        for trips in self.trips_by_unit.values():
            trips.sort()

    def link_lead_to_trip(self, lead_id: int, unit_id: int, received: date) -> None:
        trips = self.trips_by_unit.get(unit_id)
        if not trips:
            return
        index = bisect(trips, (received.toordinal(), 1 << 62)) - 1
        if index >= 0 and received.toordinal() - trips[index][0] < 120:
            self.trip_lead_rows.append((trips[index][1], lead_id))

    # --- leads and projects ---------------------------------------------------------------------
