"""The bench data set: `python -m bench.generate --scale county` (or `make bench-data`).

Drops and recreates the scale's database, runs the migrations, then loads a believable
province, city or county in bulk through PostgreSQL COPY: units of each kind with their
accounts, the demo's industries, teams and their trips, leads, projects at every stage
(timeline, follow-ups, contracts, blockers; 包保 leaders' accounts on the key projects,
拟开工 plans), the project library's reserve projects, two years of monthly funds and
investment records (mostly verified), and targets of the county, units and teams. The same seed and
reference date give the same data. Audit history tables are left empty.

Memory stays flat: the funds records are streamed into COPY as they are generated; the
other tables go through spools that spill to disk. Only a few integers per project are
kept for the funds pass.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench.funds import Generator
from bench.rows import (
    COLUMNS,
    CONTRACT,
    DEFERRED_INDEXES,
    EVIDENCE,
    FUNDS_COLUMNS,
    FUNDS_TABLE,
    LOADED_TABLES,
    month_date,
    opt,
    stamp,
)

DJANGO_SETTINGS = "config.settings.base"
BENCH_PASSWORD = "Bench@2026"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DJANGO_SETTINGS)
    import django

    django.setup()


# --- Small formatting helpers (COPY text) ------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg2

    from bench.scales import database_name, server_url

    name = database_name(url)
    connection = psycopg2.connect(server_url(url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def write_media() -> None:
    """The one bank statement and the one contract every generated record points to."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from demo.projects.writing import tiny_pdf

    for name, text in ((EVIDENCE, "Bank statement (bench)"), (CONTRACT, "Contract (bench)")):
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(tiny_pdf(text)))


def load(generator: Generator, cursor: Any, log: Any) -> None:
    """Everything but the targets, in one go per table."""
    from django.contrib.auth.hashers import make_password

    from bench.copyload import (
        Spool,
        copy_stream,
        create_indexes,
        drop_indexes,
        secondary_indexes,
    )

    spools = {key: Spool(table, columns.split()) for key, (table, columns) in COLUMNS.items()}
    started = time.perf_counter()
    generator.plan_units()
    generator.write_units(spools)
    generator.write_users(spools, make_password(BENCH_PASSWORD))
    generator.write_industries(spools)
    generator.write_teams(spools)
    generator.write_trips(spools)
    generator.write_projects(spools)
    generator.write_reserve_projects(spools)
    log(f"planned and spooled in {time.perf_counter() - started:.1f} s")

    deferred = {table: secondary_indexes(cursor, table) for table in DEFERRED_INDEXES}
    for indexes in deferred.values():
        drop_indexes(cursor, indexes)
    for key, spool in spools.items():
        if key == "target":
            continue
        tick = time.perf_counter()
        rows = spool.copy(cursor)
        generator.counts.add(spool.table, rows)
        log(f"{spool.table}: {rows} rows in {time.perf_counter() - tick:.1f} s")
    tick = time.perf_counter()
    data = generator.data
    notes = {"funds": data.FUNDS_NOTES, "investment": data.INVESTMENT_NOTES}
    rows = copy_stream(
        cursor, FUNDS_TABLE, FUNDS_COLUMNS, generator.funds_lines(generator.bureau_users[0], notes)
    )
    generator.counts.add(FUNDS_TABLE, rows)
    log(
        f"{FUNDS_TABLE}: {rows} rows in {time.perf_counter() - tick:.1f} s "
        f"({generator.slots} month slots, {generator.share:.0%} reported)"
    )
    tick = time.perf_counter()
    cursor.execute("SET maintenance_work_mem = '256MB'")
    for indexes in deferred.values():
        create_indexes(cursor, indexes)
    log(f"secondary indexes built in {time.perf_counter() - tick:.1f} s")
    write_settings(generator, cursor)


def write_settings(generator: Generator, cursor: Any) -> None:
    """Exchange rates, trip quotas and the project code counters of each year."""
    from trips.models import DEFAULT_QUOTAS

    r = generator.rng
    now = stamp(generator.today)
    years = (generator.today.year - 1, generator.today.year)
    for index, year in enumerate(years, start=1):
        rate = r.randint(71000, 72000)
        cursor.execute(
            "INSERT INTO targets_yearsetting (id, created_at, updated_at, year, usd_rate) "
            "VALUES (%s, %s, %s, %s, %s)",
            [index, now, now, year, f"{rate // 10000}.{rate % 10000:04d}"],
        )
    quotas = {**{k.value: v for k, v in DEFAULT_QUOTAS.items()}, "park": (4, 0), "team": (6, 1)}
    quota_id = 0
    for year in years:
        for scope, (per_year, per_quarter) in quotas.items():
            quota_id += 1
            cursor.execute(
                "INSERT INTO trips_tripquota (id, created_at, updated_at, year, scope, per_year,"
                " per_quarter) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [quota_id, now, now, year, scope, per_year, per_quarter],
            )
    for index, (year, value) in enumerate(sorted(generator.project_years.items()), start=1):
        cursor.execute(
            "INSERT INTO core_sequence (id, name, value) VALUES (%s, %s, %s)",
            [index, f"project-{year}", value],
        )


def write_targets(generator: Generator, log: Any) -> int:
    """Targets of the county, every unit and every team for last year and this year, sized
    like the demo's (targets.demo.TargetPlanner) from what each has achieved: some ahead of
    time progress, some on pace, some behind; a few units left short of the county."""
    from django.db import connection

    from bench.copyload import Spool
    from demo.targets import FLOORS, TargetPlanner
    from targets.choices import Metric, OwnerKind
    from targets.selectors import Window, default_owners

    # demo.targets has no floor for a metric added after it (completed investment): a unit
    # with none of it in the year raised KeyError (at province scale). Until it has one,
    # such a unit gets no target of that metric, as for the metrics whose floor is 0.
    for metric in Metric.values:
        FLOORS.setdefault(metric, Decimal(0))
    table, columns = COLUMNS["target"]
    spool = Spool(table, columns.split())
    r = random.Random(generator.seed + 1)
    now = stamp(generator.today)
    last_month = generator.this_month - 1
    for year in (generator.today.year - 1, generator.today.year):
        month = 12 if year < generator.today.year else max(1, month_date(last_month).month)
        window = Window(year, month)
        tick = time.perf_counter()
        planner = TargetPlanner(r, window)
        units = planner.plan(OwnerKind.UNIT, default_owners(OwnerKind.UNIT))
        county = planner.county(units)
        planner.leave_short(units)
        teams = planner.plan(OwnerKind.TEAM, default_owners(OwnerKind.TEAM))
        rows: list[tuple[Any, Any, str, Decimal]] = [
            (None, None, metric, value) for metric, value in county.items()
        ]
        rows += [(None, owner.pk, metric, value) for (owner, metric), value in units.items()]
        rows += [(owner.pk, None, metric, value) for (owner, metric), value in teams.items()]
        for team_id, unit_id, metric, value in rows:
            if value > 0:
                spool.add(
                    str(spool.rows + 1),
                    now,
                    now,
                    str(year),
                    metric,
                    str(value),
                    opt(team_id),
                    opt(unit_id),
                    None,
                )
        log(f"targets of {year} sized in {time.perf_counter() - tick:.1f} s")
    with connection.cursor() as cursor:
        return spool.copy(cursor.cursor)


def fix_sequences(cursor: Any) -> None:
    """Every id sequence past the largest id loaded, so the app can add rows."""
    for table in LOADED_TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)",
            [table],
        )


class RolledBack(Exception):
    pass


def check_app_writes(today: date) -> None:
    """Through the app's services, as a unit's officer: a new lead and project take the next
    ids and the next project code of the year; a funds record is accepted. Rolled back."""
    from django.db import transaction

    from projects import services
    from projects.models import FundsRecord, Industry, Lead, Project
    from teams.models import User

    officer = User.objects.filter(role="officer").order_by("pk").first()
    industry = Industry.objects.filter(parent__isnull=False).order_by("pk").first()
    last_lead = Lead.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_project = Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_record = FundsRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    year_codes = Project.objects.filter(code__startswith=f"{today.year}-").count()
    try:
        with transaction.atomic():
            lead = services.lead_create(
                user=officer,
                data={
                    "company_name": "基准测试科技有限公司",
                    "contact_name": "张三",
                    "contact_phone": "13900000000",
                    "project_name": "基准测试项目",
                    "industry": industry,
                    "unit": officer.unit,
                },
                confirm_duplicates=True,
            )
            project = services.project_create(
                user=officer,
                data={
                    "name": "基准测试项目",
                    "investor": "基准测试科技有限公司",
                    "industry": industry,
                    "unit": officer.unit,
                    "contract_amount_wan": Decimal(100),
                },
                entered_on=today,
            )
            record = FundsRecord.objects.create(
                project=project, period=today.replace(day=1), kind="funds", amount_wan=1
            )
            if lead.pk <= last_lead or project.pk <= last_project or record.pk <= last_record:
                raise RuntimeError("an id sequence is behind the loaded rows")
            if project.code != f"{today.year}-{year_codes + 1:04d}":
                raise RuntimeError(f"project code {project.code} after {year_codes} this year")
            raise RolledBack
    except RolledBack:
        pass


CHECKS = [
    (
        "funds records of unknown projects",
        "projects_fundsrecord f",
        "projects_project",
        "f.project_id",
    ),
    ("projects of unknown units", "projects_project f", "teams_unit", "f.unit_id"),
    ("projects of unknown leads", "projects_project f", "projects_lead", "f.lead_id"),
    ("projects of unknown leader accounts", "projects_project f", "teams_user", "f.leader_id"),
    (
        "reserve projects of unknown units",
        "projects_reserveproject f",
        "teams_unit",
        "f.unit_id",
    ),
    ("leads of unknown accounts", "projects_lead f", "teams_user", "f.provided_by_id"),
    (
        "stage changes of unknown projects",
        "projects_stagechange f",
        "projects_project",
        "f.project_id",
    ),
    ("trips of unknown accounts", "trips_trip f", "teams_user", "f.led_by_id"),
    ("follow-ups of unknown leads", "projects_followup f", "projects_lead", "f.lead_id"),
]


def check_references(cursor: Any) -> None:
    """Foreign keys are not checked row by row during the load: check the main ones now."""
    for what, table, target, column in CHECKS:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {target} t WHERE t.id = {column})"
        )
        missing = cursor.fetchone()[0]
        if missing:
            raise RuntimeError(f"{missing} {what}")


def generate(scale_name: str, seed: int, today: date, url: str, log: Any = print) -> dict[str, Any]:
    """Recreate the database of `url` and fill it; returns the row counts and timings."""
    from bench.scales import SCALES, database_name

    scale = SCALES[scale_name]
    began = time.perf_counter()
    recreate_database(url)
    setup_django(url)
    migrate()
    seconds = time.perf_counter() - began
    log(f"database {database_name(url)} created and migrated in {seconds:.1f} s")
    from django.db import connection, transaction

    write_media()
    generator = Generator(scale, seed, today)
    loading = time.perf_counter()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        # Foreign keys are checked once after the load (check_references), not row by row.
        cursor.execute("SET LOCAL session_replication_role = replica")
        load(generator, cursor, log)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        check_references(cursor)
        # Statistics and the visibility map, as autovacuum would leave them on a live
        # database; the targets below are sized with queries that need them.
        tick = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        log(f"VACUUM ANALYZE in {time.perf_counter() - tick:.1f} s")
    targets = write_targets(generator, log)
    generator.counts.add("targets_target", targets)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute("ANALYZE targets_target")
        fix_sequences(cursor)
    check_app_writes(today)
    log("the app adds a lead, a project and a funds record (rolled back): sequences are right")
    seconds = time.perf_counter() - loading
    rows = generator.counts.total
    return {
        "scale": scale_name,
        "seed": seed,
        "today": today.isoformat(),
        "rows": generator.counts.rows,
        "total_rows": rows,
        "load_seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "units": len(generator.units),
        "projects": scale.projects,
        "records": generator.counts.rows.get(FUNDS_TABLE, 0),
    }


def main(argv: list[str] | None = None) -> int:
    from bench.scales import SCALES, database_url

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="county")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the reference date the data is built around (default: today)",
    )
    parser.add_argument("--database-url", default=None, help="default: BENCH_DATABASE_URL_<scale>")
    args = parser.parse_args(argv)
    url = args.database_url or database_url(args.scale)
    today = args.today or date.today()
    result = generate(args.scale, args.seed, today, url)
    print(
        f"{result['scale']}: {result['total_rows']} rows ({result['units']} units, "
        f"{result['projects']} projects, {result['records']} funds records) loaded in "
        f"{result['load_seconds']} s: {result['rows_per_second']} rows/s"
    )
    print(f"Run the app on it: DATABASE_URL={url} .venv/bin/python manage.py runserver")
    print(f"Log in as bench_bureau, bench_leader or <unit code>_head, password {BENCH_PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
