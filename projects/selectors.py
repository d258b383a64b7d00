"""Reads of leads and projects: duplicates in the shared pool, lists with their flags, the
project library's catalogue and the projects each county leader sponsors."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from core.access import sees_everything
from core.db import MONEY, money_sum, subquery_count, subquery_sum
from core.roles import Role, role_of
from core.validators import phone_digits
from projects.choices import LIVE_STAGES, BlockerStatus, FundsKind, FundsStatus, ReserveStatus
from projects.matching import company_key
from projects.models import Blocker, FundsRecord, Lead, Project, ReserveProject
from projects.models.projects import SHOWN_FLAGS
from teams.models import Unit

DUPLICATE_AMOUNT_TOLERANCE = Decimal("0.2")


def lead_possible_duplicates(
    *, company_name: str, phone: str, exclude_pk: int | None = None
) -> QuerySet[Lead]:
    """Leads anywhere in the county (the shared pool) naming the same company after
    normalisation, or the same phone."""
    conditions = Q()
    key = company_key(company_name)
    if key:
        conditions |= Q(company_key=key)
    digits = phone_digits(phone)
    if len(digits) >= 7:
        conditions |= Q(phone_key=digits)
    if not conditions:
        return Lead.objects.none()
    leads = Lead.objects.filter(conditions).select_related("unit")
    if exclude_pk:
        leads = leads.exclude(pk=exclude_pk)
    return leads.order_by("-received_on", "-id")


def duplicate_reason(project: Project, other: Project) -> str | None:
    """Why `other` may be the same project: the same name after normalisation, or the
    same investor and industry with a contract amount within 20%; None if neither."""
    from django.utils.translation import gettext as _

    if other.name_key == project.name_key:
        return _("Same project name")
    amount = project.contract_amount_wan or Decimal(0)
    if (
        other.investor_key == project.investor_key
        and other.industry_id == project.industry_id
        and amount * (1 - DUPLICATE_AMOUNT_TOLERANCE)
        <= other.contract_amount_wan
        <= amount * (1 + DUPLICATE_AMOUNT_TOLERANCE)
    ):
        return _("Same investor and industry, contract amount within 20%")
    return None


def project_possible_duplicates(project: Project) -> list[tuple[Project, str]]:
    """Live projects that may be this one, each with why (duplicate_reason)."""
    candidates = (
        Project.objects.live()
        .exclude(pk=project.pk)
        .filter(
            Q(name_key=project.name_key)
            | Q(investor_key=project.investor_key, industry_id=project.industry_id)
        )
    )
    return [(o, reason) for o in candidates if (reason := duplicate_reason(project, o))]


def possible_duplicates_among(projects: list[Project]) -> list[tuple[Project, Project, str]]:
    """Each live project that may be one of `projects` (itself excepted), with why: the
    pairs of project_possible_duplicates for many projects, in one query."""
    names = {p.name_key for p in projects}
    investors = {p.investor_key for p in projects}
    candidates = list(
        Project.objects.live().filter(Q(name_key__in=names) | Q(investor_key__in=investors))
    )
    by_name: dict[str, list[Project]] = {}
    by_investor: dict[tuple, list[Project]] = {}
    for other in candidates:
        by_name.setdefault(other.name_key, []).append(other)
        by_investor.setdefault((other.investor_key, other.industry_id), []).append(other)
    found = []
    for project in projects:
        seen = set()
        near = by_name.get(project.name_key, []) + by_investor.get(
            (project.investor_key, project.industry_id), []
        )
        for other in near:
            if other.pk == project.pk or other.pk in seen:
                continue
            seen.add(other.pk)
            if reason := duplicate_reason(project, other):
                found.append((project, other, reason))
    return found


def project_list(user: Any, today: date) -> QuerySet[Project]:
    """The projects a user sees, with what every list and the project page show beside
    them."""
    return project_rows(user, today, SHOWN_FLAGS).select_related(
        "industry", "industry__parent", "team"
    )


def project_rows(user: Any, today: date, flags: tuple[str, ...]) -> QuerySet[Project]:
    """The projects a user sees with their unit (the API shows its name) and only the
    flags named in `flags`, each as the SQL `with_flags` compiles it to, compiled once a
    day: Django built and compiled the eight flags and their subqueries on every request,
    as long as the query took to run (bench/README.md, issue 20). Rows to show: the SQL
    names the projects table, so never a subquery of another query."""
    rows = Project.objects.visible_to(user).select_related("unit")
    flagged = {
        # SQL Django compiled from with_flags, its values passed apart: nothing typed in
        name: RawSQL(sql, params, kind)  # noqa: S611
        for name, sql, params, kind in _flags_sql(today, flags, rows.db)
    }
    return rows.annotate(**flagged)


@functools.lru_cache(maxsize=32)
def _flags_sql(today: date, flags: tuple[str, ...], using: str) -> tuple[tuple, ...]:
    """Each of `flags` of `with_flags(today)`: its name, SQL, parameters and field."""
    query = Project.objects.with_flags(today).query
    compiler = query.get_compiler(using)
    compiled = []
    for name in flags:
        flag = query.annotations[name]
        sql, params = flag.select_format(compiler, *compiler.compile(flag))
        compiled.append((name, sql, tuple(params), flag.output_field))
    return tuple(compiled)


def investment_of_projects(projects: QuerySet[Project], last_period: date) -> Decimal:
    """The verified completed investment (完成投资) of `projects` from January to
    `last_period` of its year, in one query: what the bulletin's second half sums for a
    list of projects (under construction, 500万元以上 industrial, 包保)."""
    return (
        FundsRecord.objects.counted()
        .investment()
        .filter(
            project__in=projects.order_by().values("pk"),
            year=last_period.year,
            period__lte=last_period,
        )
        .aggregate(total=money_sum("amount_wan"))["total"]
    )


def blocker_list(user: Any) -> QuerySet[Blocker]:
    return Blocker.objects.visible_to(user).select_related("project", "project__unit", "owner_unit")


# --- Funds in place and completed investment ------------------------------------------------


@dataclass
class EntryRow:
    """One line of a unit's monthly entry table: a live project and what its month holds."""

    project: Project
    funds_to_date: Decimal
    funds: FundsRecord | None
    investment: FundsRecord | None


def funds_entry_projects(unit_id: int) -> QuerySet[Project]:
    """The projects a unit reports for: signed or later, not terminated."""
    return (
        Project.objects.filter(unit_id=unit_id, stage__in=LIVE_STAGES)
        .select_related("industry", "industry__parent")
        .annotate(funds_to_date=verified_total_for_project(FundsKind.FUNDS))
        .order_by("code")
    )


def verified_total_for_project(kind: str, until: date | None = None) -> Coalesce:
    """A project's verified total of one kind (up to a month), as a subquery annotation."""
    records = FundsRecord.objects.counted().filter(project=OuterRef("pk"), kind=kind)
    if until is not None:
        records = records.filter(period__lte=until)
    total = records.values("project").annotate(total=Sum("amount_wan")).values("total")
    return Coalesce(Subquery(total), Decimal(0), output_field=MONEY)


def funds_entry_rows(unit_id: int, period: date) -> list[EntryRow]:
    """The monthly entry table of a unit: two queries, whatever the number of projects."""
    projects = list(funds_entry_projects(unit_id))
    records = FundsRecord.objects.filter(
        project__in=[p.pk for p in projects], period=period, corrects__isnull=True
    )
    by_key = {(r.project_id, r.kind): r for r in records}
    return [
        EntryRow(
            project=p,
            funds_to_date=p.funds_to_date,
            funds=by_key.get((p.pk, FundsKind.FUNDS)),
            investment=by_key.get((p.pk, FundsKind.INVESTMENT)),
        )
        for p in projects
    ]


def project_ledger(project: Project) -> list[dict[str, Any]]:
    """Month by month: verified funds and investment, their cumulative totals and the funds
    rate (资金到位率) to date, all computed in the database (one grouped query, the totals
    to date as running sums over its months)."""
    funds_to_date = running_total("funds")
    rows = (
        FundsRecord.objects.counted()
        .filter(project=project)
        .values("period")
        .annotate(
            funds=money_sum("amount_wan", Q(kind=FundsKind.FUNDS)),
            investment=money_sum("amount_wan", Q(kind=FundsKind.INVESTMENT)),
        )
        .annotate(
            funds_to_date=funds_to_date,
            investment_to_date=running_total("investment"),
            funds_rate=funds_rate_expression(funds_to_date, project.contract_amount_wan),
        )
        .order_by("period")
    )
    return list(rows)


class _RunningSum(Func):
    """SUM as a window function over a grouped query's own totals (Django's Sum refuses an
    aggregate to sum)."""

    function = "SUM"
    window_compatible = True
    output_field = MONEY


def running_total(month_total: str) -> Window:
    """A query grouped by period: its total `month_total` summed over the months up to each."""
    return Window(_RunningSum(F(month_total)), order_by=F("period").asc())


class _Quotient(Func):
    """One term over another, grouped by what its terms are grouped by (a window by the
    columns it is ordered by): Django would group by the quotient itself, window and all."""

    arg_joiner = " / "
    template = "(%(expressions)s)"

    def get_group_by_cols(self) -> list[Any]:
        return [col for term in self.get_source_expressions() for col in term.get_group_by_cols()]


def funds_rate_expression(funds_to_date: Any, contract_amount_wan: Decimal) -> Any:
    """资金到位率: verified funds to date over the contract amount (none without a contract)."""
    if not contract_amount_wan:
        return Value(None, output_field=DecimalField())
    return _Quotient(funds_to_date, Value(contract_amount_wan), output_field=DecimalField())


def funds_queue(user: Any) -> QuerySet[FundsRecord]:
    """Records awaiting the bureau's verification, with what the queue shows beside them."""
    return (
        FundsRecord.objects.visible_to(user)
        .filter(status=FundsStatus.SUBMITTED)
        .select_related("project", "project__unit", "submitted_by", "corrects")
        .annotate(funds_to_date=verified_total_for_project_of_record())
    )


def verified_total_for_project_of_record() -> Coalesce:
    records = FundsRecord.objects.counted().filter(
        project=OuterRef("project"), kind=FundsKind.FUNDS
    )
    total = records.values("project").annotate(total=Sum("amount_wan")).values("total")
    return Coalesce(Subquery(total), Decimal(0), output_field=MONEY)


@dataclass
class UnitMonthStatus:
    unit: Unit
    projects: int
    reported: int
    verified: int
    returned: int

    @property
    def missing(self) -> int:
        return self.projects - self.reported


def unit_month_status(user: Any, period: date) -> list[UnitMonthStatus]:
    """Per unit, for a month: projects to report, how many reported funds, verified, returned.
    One query for all units."""
    month = FundsRecord.objects.filter(
        project__unit=OuterRef("pk"),
        period=period,
        kind=FundsKind.FUNDS,
        corrects__isnull=True,
    )

    def count(records: QuerySet) -> Coalesce:
        counted = records.values("project__unit").annotate(n=Count("id")).values("n")
        return Coalesce(Subquery(counted), 0)

    live = Project.objects.filter(unit=OuterRef("pk"), stage__in=LIVE_STAGES)
    units = (
        Unit.objects.visible_to(user)
        .filter(is_active=True)
        .exclude(kind="bureau")
        .annotate(
            to_report=Coalesce(
                Subquery(live.values("unit").annotate(n=Count("id")).values("n")), 0
            ),
            reported=count(month.exclude(status=FundsStatus.REJECTED)),
            verified=count(month.filter(status=FundsStatus.VERIFIED)),
            returned=count(month.filter(status=FundsStatus.REJECTED)),
        )
        .order_by("sort_order", "code")
    )
    if not sees_everything(user):
        units = units.filter(pk=user.unit_id)
    return [UnitMonthStatus(u, u.to_report, u.reported, u.verified, u.returned) for u in units]


# --- The project library (项目库) ----------------------------------------------------------

# The reserve projects still on offer: the promotion catalogue (招商项目册) holds these.
CATALOGUE_STATUSES = (ReserveStatus.RESERVE, ReserveStatus.PROMOTING)


def reserve_list(user: Any) -> QuerySet[ReserveProject]:
    """The library: every logged-in user reads it, with what its list shows."""
    return ReserveProject.objects.visible_to(user).select_related(
        "unit", "industry", "industry__parent"
    )


@dataclass
class CatalogueChain:
    """An industry chain (产业链) of the catalogue: its reserve projects, largest first."""

    name: str
    projects: list[ReserveProject]
    count: int
    total_wan: Decimal


@dataclass
class Catalogue:
    chains: list[CatalogueChain]
    count: int
    total_wan: Decimal


def reserve_catalogue(reserves: QuerySet[ReserveProject]) -> Catalogue:
    """The promotion catalogue of `reserves` (a filtered library): those still on offer,
    grouped by industry chain (a segment under its chain, a chain under itself) in the
    chains' order, each with its count and total investment. Two queries, whatever the
    rows: the rows with their chain's figures (window sums), and the grand total."""
    on_offer = reserves.filter(status__in=CATALOGUE_STATUSES)
    chain = Coalesce("industry__parent_id", "industry_id")
    rows = (
        on_offer.select_related("unit", "industry", "industry__parent")
        .annotate(
            chain_id=chain,
            chain_name=Coalesce("industry__parent__name", "industry__name"),
            chain_order=Coalesce("industry__parent__sort_order", "industry__sort_order"),
            chain_code=Coalesce("industry__parent__code", "industry__code"),
            chain_count=Window(Count("pk"), partition_by=[chain]),
            chain_total=Window(Sum("total_investment_wan"), partition_by=[chain]),
        )
        .order_by("chain_order", "chain_code", "-total_investment_wan", "name", "pk")
    )
    chains = []
    numbered = list(rows)
    for number, row in enumerate(numbered, start=1):
        row.catalogue_number = number  # numbered through the catalogue, as it is printed
    for _chain, grouped in groupby(numbered, key=lambda row: row.chain_id):
        projects = list(grouped)
        first = projects[0]
        chains.append(
            CatalogueChain(
                name=first.chain_name,
                projects=projects,
                count=first.chain_count,
                total_wan=first.chain_total,
            )
        )
    totals = on_offer.aggregate(count=Count("pk"), total=money_sum("total_investment_wan"))
    return Catalogue(chains=chains, count=totals["count"], total_wan=totals["total"])


# --- The projects county leaders sponsor (包保) ---------------------------------------------


def sponsored_projects(user: Any, today: date) -> QuerySet[Project]:
    """A county leader's projects (those naming the leader as their 包保 leader); for the
    bureau, every project with a leader. Beside each: its verified funds in place to date
    (all years), its verified completed investment of this year, its open and overdue
    blockers, and the stall flags of every list. One query, whatever the rows."""
    projects = Project.objects.visible_to(user).select_related("unit", "sponsor_unit")
    if role_of(user) == Role.LEADER:
        projects = projects.filter(leader=user)
    else:
        projects = projects.filter(leader__isnull=False)
    counted = FundsRecord.objects.counted().filter(project=OuterRef("pk"))
    open_blockers = Blocker.objects.filter(project=OuterRef("pk"), status=BlockerStatus.OPEN)
    return (
        projects.with_flags(today)
        .annotate(
            funds_to_date=subquery_sum(counted.filter(kind=FundsKind.FUNDS), "amount_wan"),
            investment_this_year=subquery_sum(
                counted.filter(kind=FundsKind.INVESTMENT, year=today.year), "amount_wan"
            ),
            open_blockers=subquery_count(open_blockers),
            overdue_blockers=subquery_count(open_blockers.filter(due_on__lt=today)),
        )
        .order_by("leader_name", "code")
    )


def sponsored_totals(projects: QuerySet[Project]) -> dict[str, Any]:
    """The totals of sponsored_projects' rows (as filtered), in one query. (Each total is
    named apart from the rows' figure it sums: an aggregate named as an annotation would
    take its place in the query.)"""
    zero = Value(Decimal(0), output_field=MONEY)
    return projects.order_by().aggregate(
        projects=Count("pk"),
        contract_wan=money_sum("contract_amount_wan"),
        funds_wan=Coalesce(Sum("funds_to_date", output_field=MONEY), zero),
        investment_wan=Coalesce(Sum("investment_this_year", output_field=MONEY), zero),
        open=Coalesce(Sum("open_blockers"), 0),
        overdue=Coalesce(Sum("overdue_blockers"), 0),
    )
