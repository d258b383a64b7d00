"""The floors: the simplest code that produces what a benchmarked path produces.

- the monthly bulletin's totals and per-unit table, both halves (the funds and projects of
  the first, the completed investment, construction, 拟开工, reserve projects and 包保
  leaders of the second), in hand-written SQL (eight queries);
- the bulletin workbook and the project list export, written by XlsxWriter in constant
  memory mode with the same cells and no styles;
- the project list page and API, as a bare view returning the same rows as JSON from
  `.values()` (bench.urls serves it beside the app).

Each floor's output is compared with the real one's (bench.checks), so a floor that no
longer computes the same thing is noticed.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

ZERO = Decimal(0)
RATIO = Decimal("0.0001")
UNIT_GROUPS = ("township", "park", "department")
STAGES = (
    "negotiating",
    "signed",
    "started",
    "constructing",
    "completed",
    "producing",
    "terminated",
)
ORIGINS = ("out_of_city", "out_of_province", "foreign")


def ratio(numerator: Any, denominator: Any) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATIO, rounding=ROUND_HALF_UP)


def _rows(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- 1. The monthly bulletin: totals and the per-unit table -------------------------------------

FUNDS_SQL = """
SELECT
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s), 0) AS cumulative,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period = %(last)s), 0) AS month,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period <= %(ly_last)s), 0) AS last_year,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period = %(ly_last)s), 0) AS last_year_month,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s
      AND p.investor_origin = 'out_of_city'), 0) AS c_out_of_city,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period = %(last)s
      AND p.investor_origin = 'out_of_city'), 0) AS m_out_of_city,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s
      AND p.investor_origin = 'out_of_province'), 0) AS c_out_of_province,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period = %(last)s
      AND p.investor_origin = 'out_of_province'), 0) AS m_out_of_province,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s
      AND p.investor_origin = 'foreign'), 0) AS c_foreign,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period = %(last)s
      AND p.investor_origin = 'foreign'), 0) AS m_foreign,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s AND p.stage <> 'terminated'
      AND (p.started_on BETWEEN %(start)s AND %(end)s OR (p.started_on < %(start)s
           AND (p.completed_on IS NULL OR p.completed_on >= %(start)s)))), 0) AS f_all,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s AND p.stage <> 'terminated'
      AND p.started_on BETWEEN %(start)s AND %(end)s), 0) AS f_new,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s AND p.stage <> 'terminated'
      AND p.started_on < %(start)s
      AND (p.completed_on IS NULL OR p.completed_on >= %(start)s)), 0) AS f_carried_over,
  COALESCE(SUM(f.amount_wan) FILTER (WHERE f.period >= %(start)s AND p.stage <> 'terminated'
      AND p.category = 'industrial'
      AND (p.started_on BETWEEN %(start)s AND %(end)s OR (p.started_on < %(start)s
           AND (p.completed_on IS NULL OR p.completed_on >= %(start)s)))), 0) AS f_industrial
FROM projects_fundsrecord f
JOIN projects_project p ON p.id = f.project_id
WHERE f.status = 'verified' AND f.kind = 'funds'
  AND ((f.period >= %(start)s AND f.period <= %(last)s)
       OR (f.period >= %(ly_start)s AND f.period <= %(ly_last)s))
"""

PROJECTS_SQL = """
SELECT
  COUNT(*) FILTER (WHERE s.kind_all) AS n_all,
  COUNT(*) FILTER (WHERE s.kind_new) AS n_new,
  COUNT(*) FILTER (WHERE s.kind_carried) AS n_carried_over,
  COUNT(*) FILTER (WHERE s.kind_all AND s.category = 'industrial') AS n_industrial,
  COALESCE(SUM(s.contract_amount_wan) FILTER (WHERE s.kind_all), 0) AS a_all,
  COALESCE(SUM(s.contract_amount_wan) FILTER (WHERE s.kind_new), 0) AS a_new,
  COALESCE(SUM(s.contract_amount_wan) FILTER (WHERE s.kind_carried), 0) AS a_carried_over,
  COUNT(*) FILTER (WHERE s.signed) AS signed,
  COALESCE(SUM(s.contract_amount_wan) FILTER (WHERE s.signed), 0) AS signed_amount,
  COUNT(*) FILTER (WHERE s.signed AND s.size_class = '100m') AS signed_100m,
  COALESCE(SUM(s.contract_amount_wan) FILTER (WHERE s.signed AND s.size_class = '100m'), 0)
      AS signed_100m_amount,
  COUNT(*) FILTER (WHERE s.signed_last_year AND s.size_class = '100m') AS signed_100m_ly,
  COALESCE(SUM(s.contract_amount_wan)
      FILTER (WHERE s.signed_last_year AND s.size_class = '100m'), 0) AS signed_100m_ly_amount,
  COUNT(*) FILTER (WHERE s.planned_start_year = %(year)s) AS planned,
  COALESCE(SUM(s.planned_investment_wan) FILTER (WHERE s.planned_start_year = %(year)s), 0)
      AS planned_wan,
  COUNT(*) FILTER (WHERE s.planned_start_year = %(year)s AND s.started_on <= %(end)s)
      AS planned_started
FROM (
  SELECT p.category, p.contract_amount_wan, p.size_class, p.planned_start_year,
    p.planned_investment_wan, p.started_on,
    p.signed_on BETWEEN %(ly_start)s AND %(ly_end)s AS signed_last_year,
    p.started_on BETWEEN %(start)s AND %(end)s AS kind_new,
    (p.started_on < %(start)s AND (p.completed_on IS NULL OR p.completed_on >= %(start)s))
        AS kind_carried,
    (p.started_on BETWEEN %(start)s AND %(end)s OR (p.started_on < %(start)s
        AND (p.completed_on IS NULL OR p.completed_on >= %(start)s))) AS kind_all,
    p.signed_on BETWEEN %(start)s AND %(end)s AS signed
  FROM projects_project p
  WHERE p.stage <> 'terminated'
) s
"""

UNITS_SQL = """
WITH funds AS (
  SELECT p.unit_id, SUM(f.amount_wan) AS funds
  FROM projects_fundsrecord f JOIN projects_project p ON p.id = f.project_id
  WHERE f.status = 'verified' AND f.kind = 'funds'
    AND f.period >= %(start)s AND f.period <= %(last)s
  GROUP BY p.unit_id
), signed AS (
  SELECT unit_id, COUNT(*) AS signed FROM projects_project
  WHERE stage <> 'terminated' AND signed_on BETWEEN %(start)s AND %(end)s
  GROUP BY unit_id
)
SELECT u.id, u.code, u.name, u.kind, COALESCE(funds.funds, 0) AS funds, t.value AS target,
       COALESCE(signed.signed, 0) AS signed, ti.value AS investment_target
FROM teams_unit u
LEFT JOIN funds ON funds.unit_id = u.id
LEFT JOIN signed ON signed.unit_id = u.id
LEFT JOIN targets_target t ON t.unit_id = u.id AND t.year = %(year)s AND t.metric = 'funds'
LEFT JOIN targets_target ti ON ti.unit_id = u.id AND ti.year = %(year)s
      AND ti.metric = 'investment'
WHERE u.is_active AND u.kind <> 'bureau'
ORDER BY CASE u.kind WHEN 'township' THEN 0 WHEN 'park' THEN 1 WHEN 'department' THEN 2
         ELSE 3 END, u.sort_order, u.code
"""

STAGES_SQL = "SELECT unit_id, stage, COUNT(*) AS n FROM projects_project GROUP BY unit_id, stage"

TARGET_SQL = """
SELECT metric, value FROM targets_target
WHERE year = %(year)s AND metric IN ('funds', 'investment')
  AND unit_id IS NULL AND team_id IS NULL AND user_id IS NULL
"""

# --- The second half (工业项目开发建设), as reports/selectors/construction.py defines it --------

# Per responsible unit, over every project (those without a record count as 0): the verified
# investment of the window, of the month, of industrial and of key projects; the projects
# under construction at the end of the window (not terminated, started, not completed by
# then) and their investment; the 500万元以上 key industrial projects of the year's
# statistics (not terminated, new or carried over) and their investment.
INVESTMENT_SQL = """
WITH inv AS (
  SELECT project_id, SUM(amount_wan) AS cumulative,
         SUM(amount_wan) FILTER (WHERE period = %(last)s) AS month
  FROM projects_fundsrecord
  WHERE status = 'verified' AND kind = 'investment' AND year = %(year)s AND period <= %(last)s
  GROUP BY project_id
), s AS (
  SELECT p.unit_id, p.category, p.is_key, inv.cumulative, inv.month,
    p.stage <> 'terminated' AND p.started_on <= %(end)s
        AND (p.completed_on IS NULL OR p.completed_on > %(end)s) AS building,
    p.stage <> 'terminated' AND p.category = 'industrial'
        AND p.contract_amount_wan >= %(key_floor)s
        AND (p.started_on BETWEEN %(start)s AND %(end)s OR (p.started_on < %(start)s
             AND (p.completed_on IS NULL OR p.completed_on >= %(start)s))) AS key_industrial
  FROM projects_project p LEFT JOIN inv ON inv.project_id = p.id
)
SELECT unit_id,
  COALESCE(SUM(cumulative), 0) AS cumulative,
  COALESCE(SUM(month), 0) AS month,
  COALESCE(SUM(cumulative) FILTER (WHERE category = 'industrial'), 0) AS industrial,
  COALESCE(SUM(cumulative) FILTER (WHERE is_key), 0) AS key,
  COUNT(*) FILTER (WHERE building) AS building,
  COALESCE(SUM(cumulative) FILTER (WHERE building), 0) AS building_wan,
  COUNT(*) FILTER (WHERE key_industrial) AS key_industrial,
  COALESCE(SUM(cumulative) FILTER (WHERE key_industrial), 0) AS key_industrial_wan
FROM s
GROUP BY unit_id
"""

# The county's verified investment of the same months a year before; the reserve projects
# worked out in the window (新研发储备项目).
CONSTRUCTION_SQL = """
SELECT ly.cumulative AS ly_cumulative, ly.month AS ly_month,
       reserve.count AS reserve_count, reserve.total AS reserve_wan
FROM (
  SELECT COALESCE(SUM(amount_wan), 0) AS cumulative,
         COALESCE(SUM(amount_wan) FILTER (WHERE period = %(ly_last)s), 0) AS month
  FROM projects_fundsrecord
  WHERE status = 'verified' AND kind = 'investment' AND year = %(ly_year)s
    AND period <= %(ly_last)s
) ly, (
  SELECT COUNT(*) AS count, COALESCE(SUM(total_investment_wan), 0) AS total
  FROM projects_reserveproject WHERE entered_on BETWEEN %(start)s AND %(end)s
) reserve
"""

# 包保: per leader's account, the projects (not terminated) they are responsible for, how
# many started by the end of the window, their verified investment of the window and their
# open blockers.
SPONSORED_SQL = """
WITH lp AS (
  SELECT id, leader_id, started_on FROM projects_project
  WHERE leader_id IS NOT NULL AND stage <> 'terminated'
), inv AS (
  SELECT f.project_id, SUM(f.amount_wan) AS total
  FROM projects_fundsrecord f JOIN lp ON lp.id = f.project_id
  WHERE f.status = 'verified' AND f.kind = 'investment' AND f.year = %(year)s
    AND f.period <= %(last)s
  GROUP BY f.project_id
), blockers AS (
  SELECT lp.leader_id, COUNT(*) AS n
  FROM projects_blocker b JOIN lp ON lp.id = b.project_id
  WHERE b.status = 'open'
  GROUP BY lp.leader_id
)
SELECT lp.leader_id, u.full_name, COUNT(*) AS projects,
       COUNT(*) FILTER (WHERE lp.started_on <= %(end)s) AS started,
       COALESCE(SUM(inv.total), 0) AS investment, COALESCE(MAX(blockers.n), 0) AS blockers
FROM lp
JOIN teams_user u ON u.id = lp.leader_id
LEFT JOIN inv ON inv.project_id = lp.id
LEFT JOIN blockers ON blockers.leader_id = lp.leader_id
GROUP BY lp.leader_id, u.full_name
"""
KEY_INDUSTRIAL_FLOOR_WAN = 500


def growth(current: Any, previous: Any) -> Decimal | None:
    if not previous:
        return None
    current, previous = Decimal(current), Decimal(previous)
    return ((current - previous) / previous).quantize(RATIO, rounding=ROUND_HALF_UP)


def bulletin_params(year: int, month: int) -> dict[str, Any]:
    end = date(year, month, calendar.monthrange(year, month)[1])
    return {
        "year": year,
        "start": date(year, 1, 1),
        "end": end,
        "last": date(year, month, 1),
        "ly_year": year - 1,
        "ly_start": date(year - 1, 1, 1),
        "ly_end": date(year - 1, month, calendar.monthrange(year - 1, month)[1]),
        "ly_last": date(year - 1, month, 1),
        "key_floor": KEY_INDUSTRIAL_FLOOR_WAN,
    }


def behind(actual: Decimal, target: Decimal | None, month: int) -> bool:
    """Below time progress (M / 12); never without a target."""
    return bool(target) and actual / target < Decimal(month) / Decimal(12)


def bulletin_floor(year: int, month: int) -> dict[str, Any]:
    """The bulletin's totals and per-unit table (funds, target, progress, time progress,
    behind, blank, rank, stages; each group's subtotal) and its second half (completed
    investment, under construction, key industrial projects, 拟开工, new reserve projects,
    包保 leaders; per unit the investment against its target and the projects under
    construction) in eight queries."""
    params = bulletin_params(year, month)
    funds = _rows(FUNDS_SQL, params)[0]
    projects = _rows(PROJECTS_SQL, params)[0]
    targets = {row["metric"]: row["value"] for row in _rows(TARGET_SQL, params)}
    target = targets.get("funds") or None
    investment_target = targets.get("investment") or None
    stages: dict[int, dict[str, int]] = {}
    for row in _rows(STAGES_SQL, params):
        stages.setdefault(row["unit_id"], dict.fromkeys(STAGES, 0))[row["stage"]] = row["n"]
    invested = {row["unit_id"]: row for row in _rows(INVESTMENT_SQL, params)}
    none = dict.fromkeys(("cumulative", "building", "building_wan"), 0)
    groups = {kind: [] for kind in UNIT_GROUPS}
    for row in _rows(UNITS_SQL, params):
        if row["kind"] not in groups:
            continue
        unit_target = row["target"]
        progress = ratio(row["funds"], unit_target)
        unit_invested = invested.get(row["id"], none)
        unit_investment_target = row["investment_target"]
        groups[row["kind"]].append(
            {
                "unit_id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "funds_wan": row["funds"],
                "target_wan": unit_target,
                "progress": progress,
                "time_progress": ratio(month, 12),
                "behind": behind(row["funds"], unit_target, month),
                "blank": not row["signed"],
                "stages": stages.get(row["id"], dict.fromkeys(STAGES, 0)),
                "investment_wan": unit_invested["cumulative"],
                "investment_target_wan": unit_investment_target,
                "investment_progress": ratio(unit_invested["cumulative"], unit_investment_target),
                "investment_behind": behind(
                    Decimal(unit_invested["cumulative"]), unit_investment_target, month
                ),
                "building": unit_invested["building"],
                "building_investment_wan": unit_invested["building_wan"],
            }
        )
    unit_groups = []
    for kind, rows in groups.items():
        ranked = [row["progress"] for row in rows if row["progress"] is not None]
        for row in rows:
            progress = row["progress"]
            row["rank"] = None if progress is None else 1 + sum(p > progress for p in ranked)
        funds_total = sum((row["funds_wan"] for row in rows), ZERO)
        target_total = sum((row["target_wan"] or ZERO for row in rows), ZERO)
        invested_total = sum((row["investment_wan"] for row in rows), ZERO)
        investment_target_total = sum((row["investment_target_wan"] or ZERO for row in rows), ZERO)
        unit_groups.append(
            {
                "kind": kind,
                "units": rows,
                "subtotal": {
                    "funds_wan": funds_total,
                    "target_wan": target_total,
                    "progress": ratio(funds_total, target_total),
                    "investment_wan": invested_total,
                    "investment_target_wan": investment_target_total,
                    "investment_progress": ratio(invested_total, investment_target_total),
                    "building": sum(row["building"] for row in rows),
                    "building_investment_wan": sum(
                        (row["building_investment_wan"] for row in rows), ZERO
                    ),
                },
            }
        )
    origins = {}
    for scope, prefix in (("month", "m_"), ("cumulative", "c_")):
        split = {origin: funds[f"{prefix}{origin}"] for origin in ORIGINS}
        split["domestic"] = split["out_of_city"] + split["out_of_province"]
        split["foreign_total"] = split["foreign"]
        origins[scope] = split
    statistics = {
        kind: {
            "count": projects[f"n_{kind}"],
            "contract_amount_wan": projects[f"a_{kind}"],
            "funds_wan": funds[f"f_{kind}"],
        }
        for kind in ("all", "new", "carried_over")
    }
    statistics["industrial"] = {
        "count": projects["n_industrial"],
        "funds_wan": funds["f_industrial"],
        "count_share": ratio(projects["n_industrial"], projects["n_all"]),
        "funds_share": ratio(funds["f_industrial"], funds["f_all"]),
    }
    construction = construction_floor(params, projects, investment_target, invested, groups)
    return {
        "funds": {
            "month_wan": funds["month"],
            "cumulative_wan": funds["cumulative"],
            "target_wan": target,
            "progress": ratio(funds["cumulative"], target),
            "last_year_month_wan": funds["last_year_month"],
            "last_year_cumulative_wan": funds["last_year"],
            "growth_month": growth(funds["month"], funds["last_year_month"]),
            "growth_cumulative": growth(funds["cumulative"], funds["last_year"]),
        },
        "origins": origins,
        "statistics_projects": statistics,
        "signed": {
            "count": projects["signed"],
            "contract_amount_wan": projects["signed_amount"],
            "over_100m_count": projects["signed_100m"],
            "over_100m_contract_amount_wan": projects["signed_100m_amount"],
            "over_100m_last_year_count": projects["signed_100m_ly"],
            "over_100m_last_year_contract_amount_wan": projects["signed_100m_ly_amount"],
            "over_100m_growth": growth(
                projects["signed_100m_amount"], projects["signed_100m_ly_amount"]
            ),
        },
        "unit_groups": unit_groups,
        "construction": construction,
    }


def construction_floor(
    params: dict[str, Any],
    projects: dict[str, Any],
    target: Decimal | None,
    invested: dict[int, dict[str, Any]],
    groups: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """The second half's totals: the per-unit investment rows summed (every unit's, as the
    county's), the parks' part (the park units of the table), last year's investment and
    the reserve projects (one query), the 包保 leaders (one query)."""
    total = {
        key: sum((row[key] for row in invested.values()), 0)
        for key in (
            "cumulative",
            "month",
            "industrial",
            "key",
            "building",
            "building_wan",
            "key_industrial",
            "key_industrial_wan",
        )
    }
    parks = [invested[row["unit_id"]] for row in groups["park"] if row["unit_id"] in invested]
    parks_count = sum(row["building"] for row in parks)
    parks_wan = sum((row["building_wan"] for row in parks), ZERO)
    other = _rows(CONSTRUCTION_SQL, params)[0]
    leaders = sorted(
        (
            {
                "leader_id": row["leader_id"],
                "leader": row["full_name"],
                "projects": row["projects"],
                "started": row["started"],
                "investment_wan": row["investment"],
                "open_blockers": row["blockers"],
            }
            for row in _rows(SPONSORED_SQL, params)
        ),
        key=lambda row: (-row["investment_wan"], row["leader"]),
    )
    from reports.selectors.monthly import construction_figures

    return construction_figures(
        month=total["month"],
        cumulative=total["cumulative"],
        target=target,
        last_year={"month": other["ly_month"], "cumulative": other["ly_cumulative"]},
        industrial=total["industrial"],
        key=total["key"],
        building=(total["building"], total["building_wan"]),
        in_parks=(parks_count, parks_wan),
        key_industrial=(total["key_industrial"], total["key_industrial_wan"]),
        planned={
            "count": projects["planned"],
            "planned_investment_wan": projects["planned_wan"],
            "started": projects["planned_started"],
        },
        reserve={"count": other["reserve_count"], "total_investment_wan": other["reserve_wan"]},
        sponsored={
            "projects": sum(row["projects"] for row in leaders),
            "leaders": len(leaders),
            "started": sum(row["started"] for row in leaders),
            "investment_wan": sum((row["investment_wan"] for row in leaders), ZERO),
            "by_leader": leaders,
        },
    )


# --- 2. Workbooks: the same cells through XlsxWriter, constant memory, no styles -----------------


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


class SheetWriter:
    """Writes rows in order (constant memory mode flushes each row as the next starts)."""

    def __init__(self, workbook: Any, name: str) -> None:
        self.sheet = workbook.add_worksheet(name[:31])
        self.row = 0

    def write(self, values: list[Any], kinds: list[str] | None = None) -> None:
        for column, value in enumerate(values):
            kind = kinds[column] if kinds else "text"
            if value is None or value == "":
                continue
            if kind == "text":
                self.sheet.write_string(self.row, column, str(value))
            elif kind == "int":
                self.sheet.write_number(self.row, column, int(Decimal(str(value))))
            else:
                number = _number(value)
                if number is not None:
                    self.sheet.write_number(self.row, column, number)
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows


def bulletin_workbook_floor(figures: dict[str, Any], issued: Any = None) -> bytes:
    """The cells of reports.workbook.bulletin_workbook, without fonts, widths, merges or
    print settings. The rows come from the same helpers (their data, not their styles)."""
    import xlsxwriter
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    from projects.choices import STAGE_ORDER, Stage
    from reports.figures import MonthlyBulletin
    from reports.selectors import headline
    from reports.selectors.monthly import construction_headline
    from reports.workbook import (
        _totals_rows,
        _unit_rows,
        _warning_rows,
        bulletin_title,
        construction_rows,
        event_columns,
        event_sheet_rows,
    )

    output = BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    title = bulletin_title(figures)

    cover = SheetWriter(workbook, _("Cover"))
    cover.write([title])
    by, on = (getattr(issued, "by", ""), getattr(issued, "on", None)) if issued else ("", None)
    if by or on:
        cover.write([" ".join((by, on.isoformat() if on else "")).strip()])
    else:
        cover.skip()
    cover.skip()
    sentences = [figures.get("headline") or (headline(figures) if "funds" in figures else "")]
    sentences += figures.get("construction_headline") or construction_headline(figures)
    for sentence in sentences:
        cover.write([sentence])

    def section(name: str, columns: list[tuple[str, Any, Any]], rows: list[Any]) -> None:
        """A title row, a header row, then the rows; a column's kind is a name or how a
        row tells it."""
        sheet = SheetWriter(workbook, name)
        sheet.write([_("%(title)s: %(section)s") % {"title": title, "section": name}])
        sheet.write([header for header, _kind, _get in columns])
        fixed = [kind for _header, kind, _get in columns]
        varies = any(callable(kind) for kind in fixed)
        for row in rows:
            kinds = [kind(row) if callable(kind) else kind for kind in fixed] if varies else fixed
            sheet.write([get(row) for _header, _kind, get in columns], kinds)

    def row_kind(row: dict) -> str:
        return row["kind"]

    section(
        _("Totals"),
        [
            (_("Figure"), "text", lambda r: r["label"]),
            (_("This month"), row_kind, lambda r: r["month"]),
            (_("Cumulative"), row_kind, lambda r: r["cumulative"]),
        ],
        _totals_rows(figures),
    )
    unit_rows = _unit_rows(figures)
    section(
        pgettext("bulletin section", "Units"),
        [
            (_("Group"), "text", lambda r: r["group"]),
            (_("Unit"), "text", lambda r: r["name"]),
            (_("Funds in place (10k yuan)"), "wan", lambda r: r["funds_wan"]),
            (_("Annual target (10k yuan)"), "wan", lambda r: r["target_wan"]),
            (_("Share of target"), "pct", lambda r: r["progress"]),
            (_("Time progress"), "pct", lambda r: r["time_progress"]),
            (_("Behind"), "text", lambda r: _("yes") if r.get("behind") else ""),
            (_("Rank"), "int", lambda r: r.get("rank")),
            *[
                (str(Stage(stage).label), "int", lambda r, s=stage: r.get("stages", {}).get(s))
                for stage in STAGE_ORDER
            ],
        ],
        unit_rows,
    )
    stage_labels = dict(Stage.choices)
    section(
        _("Key projects"),
        [
            (_("Code"), "text", lambda r: r["code"]),
            (_("Project"), "text", lambda r: r["name"]),
            (_("Unit"), "text", lambda r: r["unit"]),
            (_("Stage"), "text", lambda r: stage_labels.get(r["stage"], r["stage"])),
            (_("Contract amount (10k yuan)"), "wan", lambda r: r["contract_amount_wan"]),
            (_("Funds to date (10k yuan)"), "wan", lambda r: r["funds_to_date_wan"]),
            (_("Completed investment (10k yuan)"), "wan", lambda r: r.get("investment_wan")),
            (_("Responsible leader"), "text", lambda r: r.get("leader_name")),
            (_("Open blockers"), "int", lambda r: r["open_blockers"]),
        ],
        figures.get("key_projects", []),
    )
    section(
        _("Teams"),
        [
            (_("Team"), "text", lambda r: r["name"]),
            (_("Leads"), "int", lambda r: r["leads"]),
            (_("Trips"), "int", lambda r: r["trips"]),
            (_("Projects signed"), "int", lambda r: r["projects_signed"]),
            (_("Funds in place (10k yuan)"), "wan", lambda r: r["funds_wan"]),
            (_("Completed investment (10k yuan)"), "wan", lambda r: r.get("investment_wan")),
        ],
        figures.get("teams", []),
    )
    typed = MonthlyBulletin.from_stored(figures)
    if typed.schema_version >= 3:
        section(_("Signings at events"), event_columns(), event_sheet_rows(typed))
    if figures.get("construction"):
        section(
            _("Industrial project construction"),
            [
                (_("Figure"), "text", lambda r: r["label"]),
                (_("Count"), "int", lambda r: r["count"]),
                (_("Amount"), row_kind, lambda r: r["amount"]),
            ],
            construction_rows(figures),
        )
        section(
            _("Construction by unit"),
            [
                (_("Group"), "text", lambda r: r["group"]),
                (_("Unit"), "text", lambda r: r["name"]),
                (_("Projects under construction"), "int", lambda r: r.get("building")),
                (
                    _("Their investment (10k yuan)"),
                    "wan",
                    lambda r: r.get("building_investment_wan"),
                ),
                (_("Completed investment (10k yuan)"), "wan", lambda r: r.get("investment_wan")),
                (_("Annual target (10k yuan)"), "wan", lambda r: r.get("investment_target_wan")),
                (_("Share of target"), "pct", lambda r: r.get("investment_progress")),
            ],
            unit_rows,
        )
        section(
            _("Projects by responsible leader"),
            [
                (_("Responsible leader"), "text", lambda r: r["leader"]),
                (_("Projects"), "int", lambda r: r["projects"]),
                (_("Started"), "int", lambda r: r["started"]),
                (_("Completed investment (10k yuan)"), "wan", lambda r: r["investment_wan"]),
                (_("Open blockers"), "int", lambda r: r["open_blockers"]),
            ],
            figures["construction"]["sponsored"]["by_leader"],
        )
    section(
        _("Warnings"),
        [
            (_("Warning"), "text", lambda r: r[0]),
            (_("Unit"), "text", lambda r: r[1]),
            (_("Project"), "text", lambda r: r[2]),
            (_("Details"), "text", lambda r: r[3]),
            (_("Amount (10k yuan)"), "wan", lambda r: r[4]),
            (_("Share of target"), "pct", lambda r: r[5]),
        ],
        _warning_rows(typed.warnings),
    )
    workbook.close()
    return output.getvalue()


# The project list's export: the same rows and cells as ProjectListView's `?export=xlsx`.
EXPORT_SQL = """
SELECT p.code, p.name, p.investor, u.name AS unit_name, i.name AS industry,
       parent.name AS chain, p.contract_amount_wan, p.size_class, p.stage, p.signed_on,
       p.started_on, p.agreed_start_on, p.is_key, p.intensity, u.min_intensity_wan_per_mu,
       p.created_at::date AS created_on, changes.last_change, follow_ups.last_follow_up,
       recent.project_id IS NOT NULL AS recent_funds,
       overdue.project_id IS NOT NULL AS overdue_blocker
FROM projects_project p
JOIN teams_unit u ON u.id = p.unit_id
JOIN projects_industry i ON i.id = p.industry_id
LEFT JOIN projects_industry parent ON parent.id = i.parent_id
LEFT JOIN (SELECT project_id, MAX(happened_on) AS last_change
           FROM projects_stagechange GROUP BY project_id) changes ON changes.project_id = p.id
LEFT JOIN (SELECT project_id, MAX(happened_on) AS last_follow_up FROM projects_followup
           WHERE project_id IS NOT NULL GROUP BY project_id) follow_ups
       ON follow_ups.project_id = p.id
LEFT JOIN (SELECT DISTINCT project_id FROM projects_fundsrecord
           WHERE kind = 'funds' AND period >= %(key_idle)s AND status <> 'rejected') recent
       ON recent.project_id = p.id
LEFT JOIN (SELECT DISTINCT project_id FROM projects_blocker
           WHERE status = 'open' AND due_on < %(today)s) overdue ON overdue.project_id = p.id
ORDER BY p.created_at DESC, p.id DESC
"""


def export_rows(today: date) -> Iterator[list[Any]]:
    """The export's rows, the warnings worked out in Python from the row's dates."""
    from django.utils.translation import gettext as _

    from projects.choices import SizeClass, Stage

    stage_labels = {key: str(label) for key, label in Stage.choices}
    size_labels = {key: str(label) for key, label in SizeClass.choices}
    texts = {
        "negotiation": _("No follow-up for 30 days"),
        "start": _("Past the agreed start date"),
        "key": _("Key project idle for 90 days"),
        "intensity": _("Below the park's minimum intensity"),
        "blocker": _("Overdue blocker"),
    }
    stall = today - timedelta(days=30)
    key_idle = today - timedelta(days=90)
    params = {"today": today, "key_idle": key_idle}
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor(name="bench_export") as cursor:
        cursor.itersize = 2000
        cursor.execute(EXPORT_SQL, params)
        for row in cursor:
            (code, name, investor, unit, industry, chain, amount, size_class, stage, signed_on,
             started_on, agreed_on, is_key, intensity, minimum, created_on, last_change,
             last_follow_up, recent_funds, overdue) = row  # fmt: skip
            last_change_on = last_change or created_on
            last_activity = max(last_change_on, last_follow_up or last_change_on)
            warnings = []
            if stage == "negotiating" and last_activity < stall:
                warnings.append(texts["negotiation"])
            if stage == "signed" and agreed_on and agreed_on < today and started_on is None:
                warnings.append(texts["start"])
            if (
                is_key
                and stage not in ("terminated", "producing")
                and last_change_on < key_idle
                and not recent_funds
            ):
                warnings.append(texts["key"])
            if minimum is not None and intensity is not None and intensity < minimum:
                warnings.append(texts["intensity"])
            if overdue:
                warnings.append(texts["blocker"])
            yield [
                code,
                name,
                investor,
                unit,
                f"{chain} · {industry}" if chain else industry,
                amount,
                size_labels.get(size_class, ""),
                stage_labels.get(stage, stage),
                signed_on,
                started_on,
                "；".join(warnings),
            ]


def project_export_floor(today: date, title: str, headers: list[str]) -> bytes:
    """The project list export as XlsxWriter writes it in constant memory: a title row, a
    header row, then every project (newest first), no styles but the dates' format."""
    import xlsxwriter

    output = BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(0, 0, title)
    for column, header in enumerate(headers):
        sheet.write_string(1, column, header)
    for number, row in enumerate(export_rows(today), start=2):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                sheet.write_number(number, column, float(value))
            elif isinstance(value, date):
                sheet.write_datetime(number, column, value, date_format)
            else:
                sheet.write_string(number, column, value)
    workbook.close()
    return output.getvalue()


# --- 3. The list page and API: a bare view over `.values()` --------------------------------------

FLOOR_FIELDS = (
    "id",
    "code",
    "name",
    "investor",
    "unit__name",
    "industry__name",
    "contract_amount_wan",
    "size_class",
    "stage",
    "signed_on",
    "started_on",
)


def _user(request: HttpRequest) -> Any:
    """The session's user, or (as the API) the owner of the token sent."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Token "):
        from rest_framework.authtoken.models import Token

        token = Token.objects.select_related("user").filter(key=header[6:]).first()
        return token.user if token else None
    return request.user


def floor_projects(request: HttpRequest) -> JsonResponse:
    """The rows the project list shows for `stage`, `category` and `ordering` (comma
    separated), `limit` of them, as JSON: no filter form, no flags, no serializer. Served
    as a page (session) and under /api/ (token), like the two paths it is the floor of."""
    from projects.models import Project

    user = _user(request)
    if user is None or not user.is_authenticated:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    limit = min(500, int(request.GET.get("limit", "50")))
    ordering = [key for key in request.GET.get("ordering", "-id").split(",") if key]
    rows = (
        Project.objects.visible_to(user)
        .filter(stage=request.GET.get("stage"), category=request.GET.get("category"))
        .order_by(*ordering)
        .values(*FLOOR_FIELDS)[:limit]
    )
    return JsonResponse({"results": list(rows)})


# --- Issue 20: the lists of the mixed sequence, a record page and the dashboard -------------------

# What each list of the mixed sequence (bench/mixed.py) shows, by hand: the rows as `.values()`,
# filtered by the query parameters the sequence sends, sorted and cut as the real list does.
LIST_FLOORS: dict[str, dict[str, Any]] = {
    "projects": {
        "fields": FLOOR_FIELDS,
        "search": ("code", "name", "investor", "leader_name"),
        "ordering": {"unit": "unit__sort_order"},
        "default": ("-created_at", "-id"),
    },
    "leads": {
        "fields": (
            "id",
            "received_on",
            "company_name",
            "project_name",
            "industry__name",
            "estimated_amount_wan",
            "source",
            "unit__name",
            "status",
        ),
        "search": ("company_name", "project_name", "contact_name", "planned_products"),
        "ordering": {"unit": "unit__sort_order"},
        "default": ("-received_on", "-id"),
    },
    "funds": {
        "fields": (
            "id",
            "project_id",
            "project__code",
            "project__name",
            "period",
            "kind",
            "amount_wan",
            "status",
        ),
        "search": ("project__code", "project__name", "note"),
        "ordering": {"project": "project__code"},
        "default": ("-period", "project_id", "kind", "id"),
    },
}
# query parameter → the field it filters (an exact match); `stage` may repeat
LIST_FILTERS = {
    "projects": {"stage": "stage", "category": "category", "unit": "unit_id", "is_key": "is_key"},
    "leads": {"status": "status", "source": "source", "unit": "unit_id"},
    "funds": {"status": "status", "kind": "kind", "unit": "project__unit_id"},
}


def _list_model(kind: str) -> Any:
    from projects.models import FundsRecord, Lead, Project

    return {"projects": Project, "leads": Lead, "funds": FundsRecord}[kind]


def list_rows(kind: str, user: Any, query: Any) -> Any:
    """The rows (a sorted QuerySet of `.values()`) a list of the mixed sequence shows for
    its filters, `search` and `ordering`: `kind` is projects, leads or funds."""
    from django.db.models import Q

    spec = LIST_FLOORS[kind]
    rows = _list_model(kind).objects.visible_to(user)
    for name, field in LIST_FILTERS[kind].items():
        values = [value for value in query.getlist(name) if value]
        if not values:
            continue
        if name == "is_key":
            rows = rows.filter(**{field: values[0] == "true"})
        elif len(values) > 1:
            rows = rows.filter(**{f"{field}__in": values})
        else:
            rows = rows.filter(**{field: values[0]})
    if query.get("period"):
        rows = rows.filter(period=f"{query['period']}-01")
    for word in query.get("search", "").split():
        condition = Q()
        for field in spec["search"]:
            condition |= Q(**{f"{field}__icontains": word})
        rows = rows.filter(condition)
    ordering = [key for key in query.get("ordering", "").split(",") if key]
    ordering = [
        ("-" if key.startswith("-") else "")
        + spec["ordering"].get(key.lstrip("-"), key.lstrip("-"))
        for key in ordering
    ] or list(spec["default"])
    return rows.order_by(*ordering).values(*spec["fields"])


def floor_list(request: HttpRequest, kind: str) -> JsonResponse:
    """The rows a list of the mixed sequence shows, `limit` (the page size) of them from
    `page`, as JSON: no filter form, no flags, no serializer."""
    user = _user(request)
    if user is None or not user.is_authenticated:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    limit = min(500, int(request.GET.get("limit", "50")))
    start = (int(request.GET.get("page", "1")) - 1) * limit
    rows = list_rows(kind, user, request.GET)[start : start + limit]
    return JsonResponse({"results": list(rows)})


def floor_project(request: HttpRequest, pk: int) -> JsonResponse:
    """What a project's page shows, as JSON: the project, its unit, industry and lead, its
    timeline, documents, blockers, follow-ups, cooperating units and last 60 funds records,
    each list one `.values()` query."""
    from projects.models import Project

    user = _user(request)
    if user is None or not user.is_authenticated:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    project = (
        Project.objects.visible_to(user)
        .filter(pk=pk)
        .values(
            *FLOOR_FIELDS,
            "investor_origin",
            "description",
            "land_area_mu",
            "leader_name",
            "lead__company_name",
            "industry__parent__name",
        )
        .first()
    )
    if project is None:
        return JsonResponse({"detail": "not found"}, status=404)
    relations = {
        "timeline": (
            "stage_changes",
            ("happened_on", "to_stage", "note", "recorded_by__full_name"),
        ),
        "documents": ("documents", ("kind", "title", "status", "uploaded_by__full_name")),
        "blockers": (
            "blockers",
            ("category", "description", "due_on", "status", "owner_unit__name"),
        ),
        "follow_ups": ("follow_ups", ("happened_on", "method", "note", "recorded_by__full_name")),
        "funds": ("funds_records", ("period", "kind", "amount_wan", "status")),
    }
    answer: dict[str, Any] = {"project": project}
    for key, (relation, fields) in relations.items():
        related = getattr(Project, relation).rel.related_model
        rows = related.objects.filter(project_id=pk).values(*fields)
        answer[key] = list(rows[:60] if key == "funds" else rows)
    answer["cooperating_units"] = list(
        Project.cooperating_units.through.objects.filter(project_id=pk).values("unit__name")
    )
    return JsonResponse(answer)


def floor_dashboard(request: HttpRequest) -> HttpResponse:
    """The figures the dashboard is cut from: the last published bulletin's, as stored."""
    user = _user(request)
    if user is None or not user.is_authenticated:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT figures::text FROM reports_report WHERE kind = 'monthly' "
            "AND status = 'published' ORDER BY period DESC, version DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return HttpResponse(row[0] if row else "{}", content_type="application/json")
