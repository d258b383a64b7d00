"""Leads and projects: each project's timeline, follow-ups, contract and blockers, and the
leads converted into them; the leads still followed, new or dropped."""

from __future__ import annotations

from bisect import bisect
from datetime import date, timedelta
from itertools import pairwise

from bench.county import CountyGenerator
from bench.rows import (
    CONTRACT,
    CONVERTED_SHARE,
    HORIZON_DAYS,
    OTHER_LEADS_PER_PROJECT,
    RESERVE_PER_PROJECT,
    UnitInfo,
    boolean,
    cents,
    month_of,
    opt,
    stamp,
)


class ProjectGenerator(CountyGenerator):
    def company(self, words_: list[str], leading: bool) -> tuple[str, str, str]:
        """(name, brand, origin) of a fictional investor."""
        from projects.choices import Origin

        r, data = self.rng, self.data
        brand = r.choice(self.brands) + r.choice(data.BRAND_SECOND)
        word = r.choice(words_)
        draw = r.random() * (100 if leading else 91)
        if draw < 58:
            origin = Origin.OUT_OF_PROVINCE
            place = r.choice(self.domestic_cities)
        elif draw < 88:
            origin = Origin.OUT_OF_CITY
            place = r.choice(data.SAME_PROVINCE_CITIES)
        else:
            origin = Origin.FOREIGN
            place = r.choice(data.FOREIGN_PLACES)
        if origin == Origin.FOREIGN:
            suffix = {"韩国": "株式会社", "日本": "株式会社", "新加坡": "私人有限公司"}.get(
                place, "有限公司"
            )
        else:
            suffix = r.choice(("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"))
        return f"{place}{brand}{word}{suffix}", brand, origin

    def lead_row(
        self,
        spools: dict,
        *,
        lead_id: int,
        unit: UnitInfo,
        user: int,
        team: int | None,
        company: tuple[str, str, str],
        project_name: str,
        segment: tuple,
        amount: int,
        received: date,
        status: str,
        source: str,
    ) -> None:
        from projects.matching import company_key

        r, data = self.rng, self.data
        phone = self.phone()
        land = max(5, amount // r.randint(150, 400))
        drop_reason = r.choice(data.LEAD_DROP_REASONS) if status == "dropped" else ""
        created = stamp(received)
        spools["lead"].add(
            str(lead_id),
            created,
            created,
            company[0],
            company_key(company[0]),
            self.person(),
            r.choice(data.CONTACT_TITLES),
            phone,
            phone,
            segment[4],
            project_name,
            segment[4],
            f"总投资约{amount}万元",
            r.choice(data.PERIODS),
            f"用地约{land}亩",
            f"{amount}.00",
            source,
            received.isoformat(),
            status,
            drop_reason,
            "",
            str(self.industry_ids[segment[0]]),
            str(user),
            opt(team),
            str(unit.id),
        )
        if source in ("resident_team", "event", "visit", "business_referral") and r.random() < 0.4:
            self.link_lead_to_trip(lead_id, unit.id, received)
        follow_ups = {"following": r.randint(1, 3), "converted": r.randint(1, 2)}.get(
            status, r.randint(0, 1)
        )
        until = self.today if status == "following" else received + timedelta(days=120)
        days = sorted(self.day_between(received, until) for _ in range(follow_ups))
        for day in days:
            method, note = r.choice(data.LEAD_FOLLOW_UPS)
            self.follow_up(spools, day, method, note, r.choice(data.LEAD_NEXT_STEPS), user, lead_id)

    def follow_up(
        self,
        spools: dict,
        day: date,
        method: str,
        note: str,
        next_step: str,
        user: int,
        lead_id: int | None = None,
        project_id: int | None = None,
    ) -> None:
        spool = spools["follow_up"]
        spool.add(
            str(spool.rows + 1),
            day.isoformat(),
            method,
            note,
            next_step,
            stamp(day, 17),
            str(user),
            opt(lead_id),
            opt(project_id),
        )

    def timeline(self, entered: date, amount: int) -> dict[str, date | None]:
        """The dates of a project's stages from its entry: negotiation, signing, start,
        construction, completion, production; some end terminated. Nothing after today."""
        r = self.rng
        days = timedelta
        dates: dict[str, date | None] = dict.fromkeys(
            ("signed", "started", "constructing", "completed", "producing", "terminated", "agreed")
        )
        negotiation = r.randint(20, 180) if r.random() < 0.9 else r.randint(180, 600)
        fate = r.random()
        if fate < 0.07:
            dates["terminated"] = entered + days(negotiation)
        else:
            signed = entered + days(negotiation)
            dates["signed"] = signed
            dates["agreed"] = signed + days(r.randint(60, 200))
            if fate < 0.09:
                dates["terminated"] = signed + days(r.randint(30, 300))
            elif fate > 0.94:
                pass  # signed and never started (past its agreed start: stalled)
            else:
                started = signed + days(r.randint(30, 210))
                dates["started"] = started
                dates["constructing"] = started + days(r.randint(5, 60))
                building = r.randint(450, 1000) + (r.randint(180, 540) if amount >= 5000 else 0)
                if fate < 0.105:
                    dates["terminated"] = dates["constructing"] + days(r.randint(60, building))
                else:
                    dates["completed"] = dates["constructing"] + days(building)
                    dates["producing"] = dates["completed"] + days(r.randint(15, 150))
        for key, value in dates.items():
            if key != "agreed" and value is not None and value > self.today:
                dates[key] = None
        # Later stages only if the earlier happened (a cut at today keeps the order).
        order = ["signed", "started", "constructing", "completed", "producing"]
        for earlier, later in pairwise(order):
            if dates[earlier] is None:
                dates[later] = None
        if dates["signed"] is None:
            dates["agreed"] = None
        return dates

    def write_projects(self, spools: dict) -> None:
        """Projects in order of entry (their codes count up within each year), the leads
        converted into them, and their stage timeline, follow-ups, contract and blockers."""
        from django.utils import translation
        from django.utils.translation import gettext

        from projects.choices import LeadSource, Stage
        from projects.matching import company_key

        r, data, scale = self.rng, self.data, self.scale
        self.domestic_cities = [
            c for cities in data.REGION_CITIES.values() for c in cities if c not in ("香港", "澳门")
        ] + data.OTHER_PROVINCE_CITIES
        with translation.override("zh-hans"):
            entered_note = gettext("Project entered")
        cumulative, total = [], 0.0
        for unit in self.work_units:
            total += unit.weight
            cumulative.append(total)
        self.unit_cumulative, self.unit_total = cumulative, total
        chain_weights = [3, 3, 3, 3, 2, 1, 1]
        sources = list(data.SOURCE_WEIGHTS)
        source_weights = [data.SOURCE_WEIGHTS[s] for s in sources]
        ages = sorted((int(HORIZON_DAYS * r.random()) for _ in range(scale.projects)), reverse=True)
        converted = [r.random() < CONVERTED_SHARE for _ in ages]
        self.lead_id = sum(converted)  # other leads are numbered after the converted ones
        lead_id = 0
        per_year: dict[int, int] = {}
        stage_id = 0
        document_id = 0
        blocker_id = 0
        cooperating_id = 0
        for project_id, age in enumerate(ages, start=1):
            entered = self.today - timedelta(days=age)
            unit = self.weighted_unit(cumulative, total)
            user = r.choice(unit.users)
            preferred = data.UNIT_CHAINS.get(unit.code) if unit.county == 0 else None
            if preferred and r.random() < 0.8:
                code = r.choices(preferred, weights=[4, 2, 1, 1][: len(preferred)])[0]
                chain = next(c for c in data.CHAINS if c[0] == code)
            else:
                chain = r.choices(data.CHAINS, weights=chain_weights)[0]
            segment = r.choice(chain[4])
            company = self.company(segment[2], chain[2])
            amount = self.amount()
            numbers = data.SCALE_NUMBERS
            sized = numbers[:3] if amount < 1000 else numbers[1:5] if amount < 5000 else numbers[4:]
            name = r.choice(segment[3]).format(
                brand=company[1],
                n=r.choice(sized),
                gw=1 if amount < 5000 else 2 if amount < 20000 else 5,
            )
            teams = self.unit_teams.get(unit.id)
            team = r.choice(teams) if teams and r.random() < 0.25 else None
            weights = chain[3]
            category = r.choices(list(weights), weights=list(weights.values()))[0]
            lead = None
            if converted[project_id - 1]:
                lead_id += 1
                lead = lead_id
                source = LeadSource.RESIDENT_TEAM if team and r.random() < 0.5 else None
                self.lead_row(
                    spools,
                    lead_id=lead,
                    unit=unit,
                    user=user,
                    team=team,
                    company=company,
                    project_name=name,
                    segment=segment,
                    amount=amount,
                    received=entered - timedelta(days=r.randint(10, 120)),
                    status="converted",
                    source=source or r.choices(sources, weights=source_weights)[0],
                )
            dates = self.timeline(entered, amount)
            stage = Stage.NEGOTIATING
            for key in ("signed", "started", "constructing", "completed", "producing"):
                if dates[key] is not None:
                    stage = key
            if dates["terminated"] is not None:
                stage = Stage.TERMINATED
            year = entered.year
            per_year[year] = per_year.get(year, 0) + 1
            project_type = "expansion" if r.random() < 0.12 else "new"
            if project_type == "expansion":
                name = name.removesuffix("项目") + "扩建项目"
            minimum = getattr(unit, "min_intensity", None)
            has_land = category in ("agricultural", "tourism") or (
                category == "industrial" and (amount >= 1000 or r.random() < 0.5)
            )
            if has_land and minimum:
                below = category == "industrial" and r.random() < 0.15
                intensity = (
                    r.randint(minimum // 2, minimum * 9 // 10)
                    if below
                    else r.randint(minimum * 105 // 100, minimum * 25 // 10)
                )
            elif has_land and category == "industrial":
                intensity = r.randint(120, 450)
            else:
                intensity = r.randint(10, 80)
            land = cents(max(300, amount * 1000 // intensity * 10)) if has_land else None
            is_key = (amount >= 10000 and r.random() < 0.85) or (
                amount >= 5000 and r.random() < 0.25
            )
            leader = (
                r.choice(self.leader_names)
                if is_key or (amount >= 1000 and r.random() < 0.3)
                else ""
            )
            output = amount * r.randint(80, 250) // 100 // 10 * 10
            tax_tenths = output * r.randint(30, 80) // 100
            foreign = str(max(1, amount * 10 // 71)) + ".00" if company[2] == "foreign" else None
            last_event = max(
                d for d in (entered, *dates.values()) if d is not None and d <= self.today
            )
            reason = r.choice(data.TERMINATION_REASONS) if stage == Stage.TERMINATED else ""
            leader_id, sponsor, planned_year, planned_wan = self.construction_fields(
                unit, amount, is_key, leader, dates, entered
            )
            spools["project"].add(
                str(project_id),
                stamp(entered),
                stamp(last_event),
                f"{year}-{per_year[year]:04d}",
                name,
                company_key(name),
                company[0],
                company_key(company[0]),
                company[2],
                project_type,
                category,
                f"{amount}.00",
                foreign,
                land,
                leader,
                boolean(is_key),
                stage,
                opt(dates["signed"]),
                opt(dates["started"]),
                opt(dates["completed"]),
                opt(dates["producing"]),
                opt(dates["agreed"]),
                opt(dates["terminated"]),
                reason,
                f"{output}.00",
                f"{tax_tenths // 10}.{tax_tenths % 10}0",
                str(max(10, min(2000, amount * 100 // r.randint(2500, 6000)))),
                f"主要产品：{segment[4]}",
                str(user),
                str(self.industry_ids[segment[0]]),
                opt(lead),
                opt(team),
                str(unit.id),
                entered.isoformat(),
                opt(leader_id),
                opt(sponsor),
                opt(planned_year),
                planned_wan,
            )
            # The timeline: entry, each stage reached, termination.
            steps = [("", Stage.NEGOTIATING, entered, entered_note)]
            previous = Stage.NEGOTIATING
            for key in ("signed", "started", "constructing", "completed", "producing"):
                if dates[key] is not None:
                    steps.append((previous, key, dates[key], ""))
                    previous = key
            if dates["terminated"] is not None:
                steps.append((previous, Stage.TERMINATED, dates["terminated"], reason))
            for from_stage, to_stage, day, note in steps:
                stage_id += 1
                spools["stage_change"].add(
                    str(stage_id),
                    from_stage,
                    to_stage,
                    day.isoformat(),
                    note,
                    stamp(day, 11),
                    str(project_id),
                    str(user),
                )
            self.project_follow_ups(spools, project_id, user, stage, entered, dates)
            if r.random() < 0.1:
                county = self.counties[unit.county]
                for other in r.sample(county, min(len(county), r.randint(1, 2))):
                    if other.id != unit.id:
                        cooperating_id += 1
                        spools["cooperating"].add(
                            str(cooperating_id), str(project_id), str(other.id)
                        )
            if dates["signed"] is not None:
                document_id += 1
                filed = stamp(dates["signed"], 15)
                spools["document"].add(
                    str(document_id),
                    stamp(dates["signed"]),
                    filed,
                    "contract",
                    "投资合同",
                    CONTRACT,
                    "application/pdf",
                    "1024",
                    "filed",
                    "",
                    filed,
                    str(self.bureau_users[0]),
                    str(user),
                    str(project_id),
                )
            if dates["started"] is not None and r.random() < 0.12:
                blocker_id = self.blockers(spools, blocker_id, project_id, unit, user, dates)
            # What the funds pass needs, as integers.
            self.funds_plan.append(
                (
                    project_id,
                    user,
                    amount,
                    month_of(dates["signed"]) if dates["signed"] else 0,
                    month_of(dates["started"]) if dates["started"] else 0,
                    month_of(dates["completed"]) if dates["completed"] else 0,
                    month_of(dates["terminated"]) if dates["terminated"] else 0,
                    r.randint(600, 950),
                    r.randint(850, 1000),
                )
            )
        self.project_years = per_year
        self.write_other_leads(spools, sources, source_weights)

    def construction_fields(
        self,
        unit: UnitInfo,
        amount: int,
        is_key: bool,
        leader: str,
        dates: dict,
        entered: date,
    ) -> tuple[int | None, int | None, int | None, str | None]:
        """What the bulletin's second half reads of a project: its 包保 leader's account
        (every key project's; half the others' with a leader's name, the rest an older
        ledger's name only), a sponsoring department for some, and its 拟开工 plan (the
        year it is planned to start in, with its planned investment of that year): half the
        signed projects for the year of their agreed start, some recent negotiations for
        this year. Drawn from a generator of their own (bench.county)."""
        c = self.construction_rng
        leader_id = None
        if leader and (is_key or c.random() < 0.5):
            leader_id = self.leader_ids[leader]
        sponsor = None
        if leader_id is not None and c.random() < 0.3:
            departments = [
                u for u in self.counties[unit.county] if u.kind == "department" and u.id != unit.id
            ]
            if departments:
                sponsor = c.choice(departments).id
        planned_year = None
        if dates["agreed"] is not None and c.random() < 0.5:
            planned_year = dates["agreed"].year
        elif dates["signed"] is None and (self.today - entered).days < 180 and c.random() < 0.3:
            planned_year = self.today.year
        planned_wan = None
        if planned_year is not None:
            planned_wan = cents(max(1000, amount * c.randint(15, 45)))  # 15-45 % of the amount
        return leader_id, sponsor, planned_year, planned_wan

    def write_reserve_projects(self, spools: dict) -> None:
        """The project library (项目库): reserve projects each unit worked out over the last two
        years (the bulletin counts those of the year as 新研发储备项目), most still in reserve
        or being promoted, some with an investor found. None has become a lead (that needs
        the lead's row)."""
        c, data = self.construction_rng, self.data
        statuses = ("reserve", "promoting", "matched")
        for reserve_id in range(1, round(self.scale.projects * RESERVE_PER_PROJECT) + 1):
            unit = self.work_units[bisect(self.unit_cumulative, c.random() * self.unit_total)]
            chain = c.choices(data.CHAINS, weights=[3, 3, 3, 3, 2, 1, 1])[0]
            segment = c.choice(chain[4])
            name = c.choice(segment[3]).format(brand=unit.name, n=c.choice((50, 100, 200)), gw=1)
            entered = self.today - timedelta(days=c.randint(0, 730))
            amount = c.choice((500, 1000, 2000, 3000, 5000, 8000, 10000, 20000, 50000))
            created = stamp(entered)
            spools["reserve"].add(
                str(reserve_id),
                created,
                created,
                name,
                f"{amount * c.randint(80, 120) // 100}.00",
                f"{unit.name}{c.choice(('工业集中区', '产业园', '标准厂房区', '规划用地'))}",
                f"拟建设{segment[4]}生产线",
                c.choice(("用地、厂房", "合作伙伴、资金", "技术团队", "用地、配套资金")),
                entered.isoformat(),
                c.choices(statuses, weights=(50, 35, 15))[0],
                str(c.choice(unit.users)),
                str(self.industry_ids[segment[0]]),
                None,
                str(unit.id),
            )

    def project_follow_ups(
        self, spools: dict, project_id: int, user: int, stage: str, entered: date, dates: dict
    ) -> None:
        r, data = self.rng, self.data
        if stage == "negotiating":
            if r.random() < 0.7:  # a live negotiation: followed up in the last weeks
                last = self.day_between(max(entered, self.today - timedelta(days=25)), self.today)
            else:  # stalled: nothing for over 30 days
                last = self.day_between(entered, self.today - timedelta(days=35))
            days = [self.day_between(entered, last) for _ in range(r.randint(0, 2))] + [last]
            methods = data.PROJECT_FOLLOW_UPS
        elif stage in ("constructing", "completed", "producing") and r.random() < 0.4:
            days = [
                self.day_between(dates["constructing"], self.today) for _ in range(r.randint(1, 2))
            ]
            methods = data.CONSTRUCTION_FOLLOW_UPS
        else:
            return
        for day in sorted(days):
            method, note = r.choice(methods)
            self.follow_up(spools, day, method, note, "", user, project_id=project_id)

    def blockers(
        self, spools: dict, blocker_id: int, project_id: int, unit: UnitInfo, user: int, dates: dict
    ) -> int:
        r, data = self.rng, self.data
        county = self.counties[unit.county]
        departments = [u for u in county if u.kind == "department"]
        for _ in range(r.randint(1, 2)):
            category = r.choice(list(data.BLOCKERS))
            descriptions, resolutions, owner_code = data.BLOCKERS[category]
            owner = self.unit_by_code.get(owner_code) if owner_code and unit.county == 0 else None
            if owner is None:
                owner = r.choice(departments) if departments and r.random() < 0.4 else unit
            raised = self.day_between(dates["started"], self.today)
            due = raised + timedelta(days=r.randint(15, 90))
            recent = (self.today - raised).days < 200
            is_open = recent and r.random() < 0.6
            resolved_on = None if is_open else self.day_between(raised, due + timedelta(days=30))
            blocker_id += 1
            spools["blocker"].add(
                str(blocker_id),
                stamp(raised),
                stamp(resolved_on or raised),
                category,
                r.choice(descriptions),
                due.isoformat(),
                "open" if is_open else "resolved",
                "" if is_open else r.choice(resolutions),
                opt(resolved_on),
                str(user),
                str(owner.id),
                str(project_id),
            )
        return blocker_id

    def write_other_leads(self, spools: dict, sources: list, source_weights: list) -> None:
        """Leads still followed, new or dropped (the converted ones came with their projects)."""
        r, data = self.rng, self.data
        count = round(self.scale.projects * OTHER_LEADS_PER_PROJECT)
        for _ in range(count):
            self.lead_id += 1
            unit = self.weighted_unit(self.unit_cumulative, self.unit_total)
            chain = r.choices(data.CHAINS, weights=[3, 3, 3, 3, 2, 1, 1])[0]
            segment = r.choice(chain[4])
            company = self.company(segment[2], chain[2])
            amount = self.amount()
            status = r.choices(("following", "new", "dropped"), weights=(45, 20, 35))[0]
            if status == "new":
                received = self.today - timedelta(days=r.randint(0, 90))
            elif status == "following":
                received = self.today - timedelta(days=r.randint(10, 700))
            else:
                received = self.today - timedelta(days=r.randint(60, 900))
            teams = self.unit_teams.get(unit.id)
            self.lead_row(
                spools,
                lead_id=self.lead_id,
                unit=unit,
                user=r.choice(unit.users),
                team=r.choice(teams) if teams and r.random() < 0.2 else None,
                company=company,
                project_name=r.choice(segment[3]).format(brand=company[1], n=50, gw=1),
                segment=segment,
                amount=amount,
                received=received,
                status=status,
                source=r.choices(sources, weights=source_weights)[0],
            )
        spool = spools["trip_leads"]
        for trip, lead in self.trip_lead_rows:
            spool.add(str(spool.rows + 1), str(trip), str(lead))

    # --- funds and investment, streamed ---------------------------------------------------------
