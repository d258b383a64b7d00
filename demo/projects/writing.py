"""Writes the planned demo through the services, as the people who would do it."""

from __future__ import annotations

import contextlib
import struct
import zlib
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from simple_history.models import HistoricalRecords

from core.periods import add_months
from core.roles import Role
from demo.projects import data
from demo.projects.planning import (
    FIXED,
    FIXED_VERIFIED,
    FLAGGED,
    RETURN_STORIES,
    VERIFIED,
    FundsPlan,
    FundsPlanner,
    Plan,
    Planner,
)
from projects import services
from projects.choices import (
    BlockerStatus,
    Category,
    DocumentKind,
    DuplicateDecision,
    FilingStatus,
    FundsKind,
    LeadStatus,
    Origin,
    ProjectType,
    Stage,
)
from projects.models import (
    Document,
    DuplicatePair,
    FundsRecord,
    Project,
)
from teams import services as team_services
from teams.choices import UnitKind
from teams.models import Unit, User


def demo_bureau() -> User | None:
    """The bureau user the demo acts as."""
    return (
        User.objects.filter(role=Role.BUREAU, is_active=True, unit__kind=UnitKind.BUREAU)
        .order_by("pk")
        .first()
    )


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


# Every funds record needs its evidence, but a file of its own for each of two years'
# records (some 500) would only fill the media folder with copies of one demo page and slow
# the seed. Records of the last three months, and the flagged, corrected and resubmitted
# ones, get a file of their own; older ones all share this one, stored once. It goes
# through services.funds_submit like an upload rather than being set on the record
# afterwards: funds_submit refuses funds without evidence, and a verified record cannot
# be changed at all (a database trigger).
ARCHIVED_EVIDENCE = "funds/demo/archived-bank-statement.pdf"


def archived_evidence() -> FieldFile:
    """The shared evidence of the demo's older funds records, a file already stored.

    funds_submit checks it like an upload (a PDF by its content); being stored already,
    it is not saved again: the record only keeps its name. Close it once submitted."""
    field = FundsRecord._meta.get_field("evidence")
    name = ARCHIVED_EVIDENCE
    if not field.storage.exists(name):
        name = field.storage.save(name, ContentFile(tiny_pdf("Bank statements (archived) demo")))
    return FieldFile(None, field, name)


class DemoCounty(Planner, FundsPlanner):
    """The demo county, written."""

    # --- industries and parks --------------------------------------------------------------

    def seed_industries(self) -> None:
        order = 0
        for code, name, leading, _weights, segments in data.CHAINS:
            order += 1
            chain = services.industry_save(
                user=self.bureau,
                data={"code": code, "name": name, "is_leading": leading, "sort_order": order},
            )
            self.industries[code] = chain
            for seg_code, seg_name, *_rest in segments:
                order += 1
                segment = services.industry_save(
                    user=self.bureau,
                    data={
                        "code": seg_code,
                        "name": seg_name,
                        "parent": chain,
                        "is_leading": leading,
                        "sort_order": order,
                    },
                )
                self.industries[seg_code] = segment

    def seed_park_minimums(self) -> None:
        for code, minimum in data.PARK_MIN_INTENSITY.items():
            unit = self.units.get(code)
            if unit is not None and unit.min_intensity_wan_per_mu is None:
                self.units[code] = team_services.unit_save(
                    user=self.bureau,
                    data={"min_intensity_wan_per_mu": Decimal(minimum)},
                    unit=unit,
                )

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
        projects = sorted(projects, key=lambda p: (p.day, order[id(p)]))
        for plan in projects:
            with acting_as(plan.user):
                self.write_project(plan)
        self.write_funds(projects)

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
            power = max(200, round(amount * r.uniform(0.3, 1.5), -2))
            water = max(20, round(amount * r.uniform(0.05, 0.5), -1))
            requirements = f"用地约{land}亩，用电负荷约{power:.0f}千伏安，日用水约{water:.0f}吨"
        else:
            scale = f"总投资约{money_text(amount)}，规划建筑面积{area_text}"
            requirements = f"用地约{land}亩，需配套进场道路和停车场"
        return {"scale": scale, "requirements": requirements, "period": r.choice(data.PERIODS)}

    def write_lead(self, plan: Plan) -> None:
        company = plan.company
        typed = {
            "company_name": company.name,
            "contact_name": company.contact_name,
            "contact_title": company.contact_title,
            "contact_phone": company.phone,
            "current_products": plan.segment[4],
            "project_name": plan.project_name,
            "planned_products": plan.segment[4],
            "estimated_amount_wan": Decimal(plan.amount),
            "industry": plan.industry,
            "source": plan.source,
            "unit": plan.unit,
            "team": plan.team,
            "received_on": plan.day,
            **self.lead_texts(plan),
        }
        lead = services.lead_create(
            user=plan.user, data=typed, confirm_duplicates=plan.confirm_duplicates
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

    def project_fields(self, plan: Plan, project: dict[str, Any]) -> None:
        """The facts the officer types, into `project` (a key project is the bureau's:
        `is_key` is set by the bureau once the project is entered)."""
        r, amount = self.rng, plan.amount
        category = self.weighted(plan.chain[3])
        project["name"] = plan.project_name
        project["investor"] = plan.company.name
        project["investor_origin"] = plan.company.origin
        project["industry"] = plan.industry
        project["category"] = category
        project["contract_amount_wan"] = Decimal(amount)
        project["unit"] = plan.unit
        project["team"] = plan.team
        project["agreed_start_on"] = plan.agreed_start_on  # in the contract it will sign
        if plan.company.origin == Origin.FOREIGN:
            project["foreign_amount_usd_wan"] = Decimal(max(1, round(amount / 7.1)))
        if r.random() < 0.12 and not plan.duplicate_of:
            project["project_type"] = ProjectType.EXPANSION
            project["name"] = project["name"].removesuffix("项目") + "扩建项目"
        # Land: industrial projects buy it (small ones rent standard factories); in a park
        # with a minimum intensity, a few fall below it (亩均论英雄).
        minimum = data.PARK_MIN_INTENSITY.get(plan.unit.code)
        has_land = {
            Category.INDUSTRIAL: amount >= 1000 or r.random() < 0.5,
            Category.AGRICULTURAL: True,
            Category.TOURISM: True,
            Category.COMMERCE: r.random() < 0.6,
        }.get(category, False)
        if has_land and minimum:
            below = category == Category.INDUSTRIAL and r.random() < 0.15
            low, high = (0.5, 0.9) if below else (1.05, 2.5)
            intensity = r.uniform(minimum * low, minimum * high)
        elif has_land and category == Category.INDUSTRIAL:
            intensity = r.uniform(120, 450)
        elif has_land:
            intensity = r.uniform(10, 80)  # farms, resorts and markets use much land
        if has_land:
            project["land_area_mu"] = Decimal(str(max(3.0, round(amount / intensity, 1))))
        project["is_key"] = (amount >= 10000 and r.random() < 0.85) or (
            amount >= 5000 and r.random() < 0.25
        )
        if project["is_key"] or (amount >= 1000 and r.random() < 0.3):
            project["leader_name"] = r.choice(data.COUNTY_LEADERS)
        output = amount * r.uniform(0.8, 2.5)
        project["expected_output_wan"] = Decimal(round(output, -1))
        project["expected_tax_wan"] = Decimal(str(round(output * r.uniform(0.03, 0.08), 1)))
        project["expected_jobs"] = max(10, min(2000, int(amount / r.uniform(25, 60))))

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
        typed: dict[str, Any] = {"cooperating_units": cooperating}
        if lead_plan is not None:
            typed["description"] = services.project_from_lead(lead_plan.lead).description
        else:
            typed["description"] = f"主要产品：{plan.segment[4]}"
        self.project_fields(plan, typed)
        is_key = typed.pop("is_key")
        if lead_plan is not None:
            project = services.lead_convert(
                lead=lead_plan.lead, user=user, data=typed, entered_on=plan.day
            )
        else:
            project = services.project_create(user=user, data=typed, entered_on=plan.day)
        if is_key:
            with acting_as(self.bureau):
                project = services.project_update(
                    project=project, user=self.bureau, data={"is_key": True}
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
            typed: dict[str, Any] = {
                "category": category,
                "description": r.choice(descriptions),
                "owner_unit": owner,
            }
            outcome = r.random()
            if shape in ("completed", "producing") or outcome < 0.35:
                due_on = self.between(since, until)
                resolved_on = self.between(due_on - timedelta(days=20), due_on + timedelta(days=15))
                blocker = services.blocker_create(
                    project=project, user=plan.user, data={**typed, "due_on": due_on}
                )
                solver = self.writer_or_bureau(owner)
                with acting_as(solver):
                    services.blocker_update(
                        blocker=blocker,
                        user=solver,
                        data={
                            "status": BlockerStatus.RESOLVED,
                            "resolution": r.choice(resolutions),
                            "resolved_on": min(max(since, resolved_on), self.today),
                        },
                    )
                continue
            if outcome < 0.75:
                due_on = max(since, self.days_ago(r.randint(3, 90)))  # overdue
                if due_on >= self.today:
                    due_on = self.days_ago(1)
            else:
                due_on = self.today + timedelta(days=r.randint(7, 60))
            services.blocker_create(
                project=project, user=plan.user, data={**typed, "due_on": due_on}
            )

    # --- funds in place and completed investment -------------------------------------------

    def write_funds(self, projects: list[Plan]) -> None:
        """Each project's months in order: submitted by the unit's officer, verified or
        returned by the bureau, as the plan says."""
        live = Project.objects.in_bulk([p.project.pk for p in projects if p.project])
        for plan in projects:
            if plan.project is not None:
                plan.project = live[plan.project.pk]  # its stage as it stands now
        order = {id(p): n for n, p in enumerate(projects)}
        records = self.funds_plans(projects)
        self.recent_from = add_months(self.last_month, -2)  # the last three months
        for entry in sorted(records, key=lambda x: (order[id(x.plan)], x.period, x.kind)):
            self.write_funds_record(entry)

    def evidence(self, entry: FundsPlan, own: bool = False) -> FieldFile | SimpleUploadedFile:
        project = entry.plan.project
        if own or entry.period >= self.recent_from or entry.story == FLAGGED:
            text = f"Bank statement {project.code} {entry.period:%Y-%m} demo"
            name = f"statement-{project.code}-{entry.period:%Y%m}.pdf"
            return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")
        return archived_evidence()

    def submit(self, entry: FundsPlan, amount: float, **kwargs: Any) -> FundsRecord:
        """Submitted by the officer who follows the project (an officer or head of its
        unit; the bureau if the unit has none)."""
        user, project = entry.plan.user, entry.plan.project
        if user.unit_id != project.unit_id:
            user = self.writer_or_bureau(project.unit)
        evidence = kwargs.pop("evidence", None)
        if entry.kind == FundsKind.FUNDS and "record" not in kwargs and "corrects" not in kwargs:
            evidence = self.evidence(entry)
        kwargs.setdefault("note", entry.note)
        try:
            with acting_as(user):
                return services.funds_submit(
                    user=user,
                    project=project,
                    period=entry.period,
                    kind=entry.kind,
                    amount_wan=Decimal(f"{amount:.2f}"),
                    evidence=evidence,
                    **kwargs,
                )
        finally:
            if evidence is not None:
                evidence.close()

    def verify(self, saved: FundsRecord) -> FundsRecord:
        with acting_as(self.bureau):
            return services.funds_verify(record=saved, user=self.bureau)

    def write_funds_record(self, entry: FundsPlan) -> None:
        story = entry.story
        first = entry.first_amount if entry.first_amount is not None else entry.amount
        saved = self.submit(entry, first, confirm=story == FLAGGED)
        if story in RETURN_STORIES:
            with acting_as(self.bureau):
                saved = services.funds_reject(
                    record=saved, user=self.bureau, reason=entry.reject_reason
                )
            if story in (FIXED, FIXED_VERIFIED):
                # Fixed by the unit: the right amount, or a clearer bank statement.
                evidence = None
                if entry.first_amount is None:
                    evidence = self.evidence(entry, own=True)
                saved = self.submit(
                    entry, entry.amount, record=saved, version=saved.version, evidence=evidence
                )
        if story in (VERIFIED, FIXED_VERIFIED):
            saved = self.verify(saved)
        if entry.correction:
            correction = self.submit(
                entry,
                entry.amount * entry.correction,
                corrects=saved,
                note=entry.correction_note,
                evidence=self.evidence(entry, own=True),
            )
            self.verify(correction)


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


def tiny_png(rgb: tuple[int, int, int], size: int = 8) -> bytes:
    """A valid PNG of one colour, `size` pixels square, built in memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )
