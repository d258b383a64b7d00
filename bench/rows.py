"""What the generator writes: the COPY text of values, the tables and their columns, and
the few facts it keeps of the rows it made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

HORIZON_DAYS = 4 * 365  # projects entered over the last four years
FUNDS_MONTHS = 25  # two years of monthly records before the current month, and this one
EVIDENCE = "funds/bench/bank-statement.pdf"
CONTRACT = "projects/bench/contract.pdf"
UNITS_PER_COUNTY = 39
CONVERTED_SHARE = 0.55  # projects that come from a lead
OTHER_LEADS_PER_PROJECT = 0.9
RESERVE_PER_PROJECT = 0.12  # the project library: reserve projects of the last two years


def cents(value: int) -> str:
    """An amount kept as whole cents (fen), written as 万元 with two decimals: money never
    goes through a float."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def stamp(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00:00+08"


def boolean(value: bool) -> str:
    return "t" if value else "f"


def opt(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def month_of(day: date) -> int:
    """A month as one integer (year * 12 + month - 1), to count months by subtraction."""
    return day.year * 12 + day.month - 1


def month_date(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


# --- What the generator knows of the rows it made ---------------------------------------------


@dataclass(slots=True)
class UnitInfo:
    id: int
    code: str
    name: str
    kind: str
    county: int
    weight: float
    min_intensity: int | None = None
    users: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, rows: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + rows

    @property
    def total(self) -> int:
        return sum(self.rows.values())


NULL = "\\N"

COLUMNS = {
    "unit": (
        "teams_unit",
        "id created_at updated_at code name kind is_active sort_order min_intensity_wan_per_mu",
    ),
    "user": (
        "teams_user",
        "id password last_login is_superuser username email is_staff is_active date_joined "
        "full_name role phone unit_id",
    ),
    "industry": (
        "projects_industry",
        "id created_at updated_at code name is_leading is_active sort_order parent_id",
    ),
    "team": (
        "teams_team",
        "id created_at updated_at name kind region leader_name budget_wan active_from "
        "active_until is_active lead_unit_id",
    ),
    "team_units": ("teams_team_member_units", "id team_id unit_id"),
    "team_members": ("teams_team_members", "id team_id user_id"),
    "trip": (
        "trips_trip",
        "id created_at updated_at leader_name destination start_on end_on purpose summary "
        "next_steps led_by_id team_id unit_id",
    ),
    "trip_participants": ("trips_trip_participants", "id trip_id user_id"),
    "trip_visit": (
        "trips_tripvisit",
        "id company contact_name contact_title contact_phone notes trip_id",
    ),
    "lead": (
        "projects_lead",
        "id created_at updated_at company_name company_key contact_name contact_title "
        "contact_phone phone_key current_products project_name planned_products scale period "
        "requirements estimated_amount_wan source received_on status drop_reason notes "
        "industry_id provided_by_id team_id unit_id",
    ),
    "trip_leads": ("trips_trip_leads", "id trip_id lead_id"),
    "follow_up": (
        "projects_followup",
        "id happened_on method note next_step recorded_at recorded_by_id lead_id project_id",
    ),
    "project": (
        "projects_project",
        "id created_at updated_at code name name_key investor investor_key investor_origin "
        "project_type category contract_amount_wan foreign_amount_usd_wan land_area_mu "
        "leader_name is_key stage signed_on started_on completed_on producing_on "
        "agreed_start_on terminated_on termination_reason expected_output_wan "
        "expected_tax_wan expected_jobs description created_by_id industry_id lead_id "
        "team_id unit_id entered_on leader_id sponsor_unit_id planned_start_year "
        "planned_investment_wan",
    ),
    "cooperating": ("projects_project_cooperating_units", "id project_id unit_id"),
    "stage_change": (
        "projects_stagechange",
        "id from_stage to_stage happened_on note recorded_at project_id recorded_by_id",
    ),
    "document": (
        "projects_document",
        "id created_at updated_at kind title file content_type size status return_reason "
        "reviewed_at reviewed_by_id uploaded_by_id project_id",
    ),
    "blocker": (
        "projects_blocker",
        "id created_at updated_at category description due_on status resolution resolved_on "
        "created_by_id owner_unit_id project_id",
    ),
    "reserve": (
        "projects_reserveproject",
        "id created_at updated_at name total_investment_wan location summary needs entered_on "
        "status created_by_id industry_id lead_id unit_id",
    ),
    "target": (
        "targets_target",
        "id created_at updated_at year metric value team_id unit_id user_id",
    ),
}
FUNDS_TABLE = "projects_fundsrecord"
FUNDS_COLUMNS = [
    *("id", "created_at", "updated_at", "period", "kind", "amount_wan", "evidence"),
    *("evidence_type", "note", "status", "flagged", "flag_reasons", "reject_reason"),
    *("verified_at", "version", "corrects_id", "project_id", "submitted_by_id", "verified_by_id"),
]
# Tables whose secondary indexes are built after the load rather than row by row.
DEFERRED_INDEXES = (
    "projects_project",
    "projects_lead",
    "projects_followup",
    "projects_stagechange",
    FUNDS_TABLE,
)
# Every table the generator fills (its id sequence is set after the load).
LOADED_TABLES = [table for table, _columns in COLUMNS.values()] + [
    FUNDS_TABLE,
    "targets_yearsetting",
    "trips_tripquota",
    "core_sequence",
]


# --- The database --------------------------------------------------------------------------------
