"""Two years of monthly funds in place and completed investment, streamed straight into
COPY as they are generated."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bench.projects import ProjectGenerator
from bench.rows import EVIDENCE, NULL, boolean, cents, month_date, stamp


class Generator(ProjectGenerator):
    """The whole data set (bench.county, bench.projects and the funds below)."""

    def month_slots(self, plan: tuple[int, ...]) -> tuple[range, range]:
        """The months of the window in which a project reports funds (from its signing to two
        years after its completion) and investment (from its start to half a year after)."""
        _pid, _user, _amount, signed, started, completed, terminated, _fs, _is = plan
        end = self.this_month
        if terminated:
            end = min(end, terminated)
        funds = range(0)
        if signed:
            funds_end = min(end, completed + 24) if completed else end
            funds = range(max(signed, self.first_month), funds_end + 1)
        investment = range(0)
        if started:
            investment_end = min(end, completed + 6) if completed else end
            investment = range(max(started, self.first_month), investment_end + 1)
        return funds, investment

    def funds_lines(self, bureau: int, notes: dict) -> Any:
        """The COPY lines of every funds and investment record, project by project. The
        share of month slots that get a record is set so the total meets the scale."""
        from django.utils import translation
        from django.utils.translation import gettext

        r, data = self.rng, self.data
        slots = 0.0
        for months in map(self.month_slots, self.funds_plan):
            for kind_months in months:
                # The current month is reported by four in ten so far.
                slots += len(kind_months) - (0.6 if self.this_month in kind_months else 0)
        # Corrections add about half a percent.
        share = min(1.0, self.scale.records / 1.005 / max(1.0, slots))
        slots = round(slots)
        self.slots, self.share = slots, share
        with translation.override("zh-hans"):
            big_month = gettext("Over 5000 万元 in one month for a project under 1亿元.")
        record_id = 0
        season = {1: 70, 2: 60, 11: 130, 12: 180}
        return_reasons = [reason for reason, _wrong in data.FUNDS_RETURN_REASONS]
        for plan in self.funds_plan:
            project_id, user, amount, signed, started, completed, _term, fshare, ishare = plan
            funds, investment = self.month_slots(plan)
            life = max(6, (completed + 24 - signed) if completed else 60)
            build = max(6, (completed + 6 - started) if completed else 36)
            funds_month = amount * 100 * fshare // 1000 // life
            invest_month = amount * 100 * ishare // 1000 // build
            for kind, months, base, kind_notes in (
                ("funds", funds, funds_month, notes["funds"]),
                ("investment", investment, invest_month, notes["investment"]),
            ):
                for month in months:
                    age = self.this_month - month
                    if r.random() >= (share * 0.4 if age == 0 else share):
                        continue
                    period = month_date(month)
                    value = base * r.randint(70, 130) * season.get(period.month, 100) // 10000
                    value = max(100, value)  # at least 1 万元
                    flagged = False
                    if kind == "funds" and amount < 10000 and value > 480000:
                        value = 480000  # a month's funds stay under 4800 万元 (else flagged)
                    if kind == "funds" and age < 6 and amount < 10000 and r.random() < 0.002:
                        value = r.randint(5200, 7000) * 100
                        flagged = True
                    draw = r.random()
                    if age == 0:
                        status = "submitted"
                    elif age == 1:
                        status = (
                            "verified"
                            if draw < 0.65
                            else "submitted"
                            if draw < 0.95
                            else "rejected"
                        )
                    else:
                        status = (
                            "verified"
                            if draw < 0.965
                            else "rejected"
                            if draw < 0.99
                            else "submitted"
                        )
                    reported = period + timedelta(days=31 + r.randint(0, 8))
                    if age == 0 or reported > self.today:
                        reported = self.day_between(period, self.today)
                    checked = min(self.today, reported + timedelta(days=r.randint(2, 20)))
                    record_id += 1
                    yield self.funds_line(
                        record_id,
                        reported,
                        checked,
                        period,
                        kind,
                        value,
                        r.choice(kind_notes),
                        status,
                        flagged,
                        big_month if flagged else "",
                        r.choice(return_reasons) if status == "rejected" else "",
                        None,
                        project_id,
                        user,
                        bureau,
                    )
                    if status == "verified" and r.random() < 0.005:
                        down = r.random() < 0.6
                        correction = (
                            -value * r.randint(10, 30) // 100
                            if down
                            else value * r.randint(5, 20) // 100
                        )
                        note = r.choice(
                            data.FUNDS_CORRECTIONS_DOWN if down else data.FUNDS_CORRECTIONS_UP
                        )
                        corrected = r.random() < 0.7
                        record_id += 1
                        yield self.funds_line(
                            record_id,
                            checked,
                            min(self.today, checked + timedelta(days=5)),
                            period,
                            kind,
                            correction,
                            note,
                            "verified" if corrected else "submitted",
                            False,
                            "",
                            "",
                            record_id - 1,
                            project_id,
                            user,
                            bureau,
                        )
        self.records = record_id

    def funds_line(
        self,
        record_id: int,
        reported: date,
        checked: date,
        period: date,
        kind: str,
        value: int,
        note: str,
        status: str,
        flagged: bool,
        flag_reasons: str,
        reject_reason: str,
        corrects: int | None,
        project_id: int,
        user: int,
        bureau: int,
    ) -> str:
        done = status != "submitted"
        evidence = EVIDENCE if kind == "funds" else ""
        return (
            f"{record_id}\t{stamp(reported)}\t{stamp(checked if done else reported)}\t"
            f"{period.isoformat()}\t{kind}\t{cents(value)}\t{evidence}\t"
            f"{'application/pdf' if evidence else ''}\t{note}\t{status}\t{boolean(flagged)}\t"
            f"{flag_reasons}\t{reject_reason}\t{stamp(checked) if done else NULL}\t"
            f"{1 if status != 'rejected' else 2}\t{NULL if corrects is None else corrects}\t"
            f"{project_id}\t{user}\t{bureau if done else NULL}\n"
        )
