"""The ledger import (issue 17) against its floor: a project ledger of N rows and a funds
ledger of about 6·N rows, made as a county's files (XlsxWriter, constant memory), imported
as the bureau through the app's path (upload, preview, import: ledgers.services, the
bodies of the Celery tasks) and, on a copy of the same database, by the floor: the same
file read and every row put through the same service-level checks (ledgers.rows, what the
preview does), then the projects, their timelines and the funds records written by COPY.

    python -m bench.imports --database-url postgres://…/zhaoshang_bench_county --projects 10000

Each side runs on its own copy of the database (CREATE DATABASE … TEMPLATE), dropped after.
Prints rows/s of each, the ratio and each side's peak resident memory (its own process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("在谈", "签约", "开工", "在建", "竣工")
STAGE_WEIGHTS = (25, 20, 20, 25, 10)
FUNDS_MONTHS = 9  # the funds ledger's months per live project (2025-01 …)


def make_ledgers(folder: Path, projects: int, seed: int) -> tuple[Path, Path, int]:
    """The project and funds ledgers of a county (its units, industries and leaders)."""
    import xlsxwriter

    from core.roles import Role
    from projects.models import Industry
    from teams.models import Unit, User

    r = random.Random(seed)
    units = list(Unit.objects.exclude(kind="bureau").values_list("name", flat=True))
    industries = list(Industry.objects.filter(parent__isnull=False).values_list("name", flat=True))
    leaders = list(User.objects.filter(role=Role.LEADER).values_list("full_name", flat=True))
    project_path, funds_path = folder / "项目台账.xlsx", folder / "到位资金台账.xlsx"
    book = xlsxwriter.Workbook(project_path, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["导入测试项目台账"])
    headers = [
        "项目编号",
        "项目名称",
        "投资方",
        "责任单位",
        "产业",
        "协议引资额（万元）",
        "项目进度",
        "签约日期",
        "开工日期",
        "竣工日期",
        "包保领导",
    ]
    sheet.write_row(2, 0, headers)
    live: list[tuple[str, str, date]] = []
    for n in range(projects):
        stage = r.choices(STAGES, weights=STAGE_WEIGHTS)[0]
        signed = date(2023, 1, 1) + timedelta(days=r.randint(0, 600))
        started = signed + timedelta(days=r.randint(10, 200))
        completed = started + timedelta(days=r.randint(100, 300))
        index = STAGES.index(stage)
        code = f"BX-{n + 1:05d}"
        sheet.write_row(
            3 + n,
            0,
            [
                code,
                f"导入测试项目{n + 1:05d}",
                f"导入测试投资方{n + 1:05d}有限公司",
                r.choice(units),
                r.choice(industries),
                r.choice((500, 1200, 3000, 8000, 20000)),
                stage,
                signed.isoformat() if index >= 1 else "",
                started.strftime("%Y.%m.%d") if index >= 2 else "",
                completed.strftime("%Y年%m月%d日") if index >= 4 else "",
                r.choice(leaders) if leaders and r.random() < 0.2 else "",
            ],
        )
        if index >= 1:
            live.append((code, stage, started))
    book.close()
    book = xlsxwriter.Workbook(funds_path, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["项目编号", "月份", "到位资金（万元）", "完成投资（万元）"])
    rows = 0
    for code, stage, _started in live:
        building = STAGES.index(stage) >= 2
        for month in range(1, FUNDS_MONTHS + 1):
            rows += 1
            sheet.write_row(
                rows,
                0,
                [
                    code,
                    f"2025-{month:02d}",
                    r.choice((10, 50, 120, 300)),
                    r.choice((20, 80, 200)) if building else "",
                ],
            )
    book.close()
    return project_path, funds_path, rows


def _upload(path: Path) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(path.name, path.read_bytes())


def real_path(bureau: Any, kind: str, path: Path) -> int:
    """Upload, preview and import as the bureau; the number of rows imported."""
    from ledgers import services

    ledger = services.ledger_upload(user=bureau, kind=kind, file=_upload(path))
    ledger = services.ledger_map(ledger=ledger, user=bureau, mapping=ledger.mapping)
    ledger = services.ledger_preview(ledger=ledger, progress=lambda percent: None)
    if ledger.counts.get("error"):
        errors = list(ledger.rows.filter(outcome="error").values_list("number", "errors")[:5])
        raise RuntimeError(f"{kind}: rows with errors: {errors}")
    services.ledger_confirm(ledger=ledger, user=bureau)
    ledger.refresh_from_db()
    ledger = services.ledger_import(ledger=ledger, progress=lambda percent: None)
    if ledger.status != "imported":
        raise RuntimeError(f"{kind}: {ledger.error[:500]}")
    return sum(ledger.counts.values())


def floor_path(bureau: Any, kind: str, path: Path) -> int:
    """The same file read and checked row by row as the preview does, then COPY."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.copyload import Spool
    from bench.rows import COLUMNS, FUNDS_COLUMNS, FUNDS_TABLE
    from ledgers.columns import auto_mapping, is_known_header
    from ledgers.reading import read_table
    from ledgers.rows import RowReader
    from projects.matching import company_key

    with path.open("rb") as file:
        table = read_table(file, path.name, is_known_header)
        mapping = auto_mapping(kind, table.headers, {})
        reader = RowReader.for_import(kind, table.headers, mapping, bureau, None)
        rows = [reader.read(row.number, row.values) for row in table.rows]
    now = timezone.now().isoformat()
    with transaction.atomic(), connection.cursor() as cursor:
        if kind == "projects":
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM projects_project")
            next_id = cursor.fetchone()[0] + 1
            spool = Spool(*_table(COLUMNS["project"]))
            changes = Spool(*_table(COLUMNS["stage_change"]))
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM projects_stagechange")
            change_id = cursor.fetchone()[0] + 1
            stage_of = {"negotiating": 0, "signed": 1, "started": 2, "constructing": 3}
            for pk, row in enumerate(rows, start=next_id):
                d = row.data
                spool.add(*_project_values(pk, now, d, company_key, bureau.pk))
                steps = ["negotiating", "signed", "started", "constructing", "completed"]
                for step in steps[: stage_of.get(d["stage"], 4) + 1]:
                    changes.add(
                        str(change_id), "", step, d["entered_on"], "", now, str(pk), str(bureau.pk)
                    )
                    change_id += 1
            spool.copy(cursor)
            changes.copy(cursor)
        else:
            cursor.execute("SELECT code, id FROM projects_project WHERE code LIKE 'BX-%'")
            ids = dict(cursor.fetchall())
            spool = Spool(FUNDS_TABLE, FUNDS_COLUMNS)
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM projects_fundsrecord")
            pk = cursor.fetchone()[0]
            for row in rows:
                for kind_name, field in (("funds", "funds_wan"), ("investment", "investment_wan")):
                    if field in row.data:
                        pk += 1
                        spool.add(
                            *_funds_values(pk, now, row.data, ids, kind_name, field, bureau.pk)
                        )
            spool.copy(cursor)
    return len(rows)


def _table(spec: tuple[str, str]) -> tuple[str, list[str]]:
    return spec[0], spec[1].split()


def _project_values(pk: int, now: str, d: dict, key: Any, user: int) -> list[str | None]:
    def opt(name: str) -> str | None:
        return d.get(name) or None

    return [
        str(pk), now, now, d["code"], d["name"], key(d["name"]), d["investor"],
        key(d["investor"]), "out_of_province", "new", "industrial", d["contract_amount_wan"],
        None, None, d.get("leader_name", ""), "false", d["stage"], opt("signed_on"),
        opt("started_on"), opt("completed_on"), None, None, None, "", None, None, None, "",
        str(user), str(d["industry"]), None, None, str(d["unit"]), d["entered_on"],
        None if d.get("leader") is None else str(d["leader"]), None, None, None,
    ]  # fmt: skip


def _funds_values(
    pk: int, now: str, d: dict, ids: dict, kind: str, field: str, user: int
) -> list[str | None]:
    from bench.rows import FUNDS_COLUMNS

    values = {
        "id": str(pk),
        "created_at": now,
        "updated_at": now,
        "project_id": str(ids[d["project_code"]]),
        "period": d["period"],
        "kind": kind,
        "amount_wan": d[field],
        "evidence": "",
        "evidence_type": "",
        "note": "",
        "status": "verified",
        "reject_reason": "",
        "flagged": "false",
        "flag_reasons": "",
        "version": "1",
        "submitted_by_id": str(user),
        "verified_by_id": str(user),
        "verified_at": now,
        "corrects_id": None,
    }
    return [values.get(column) for column in FUNDS_COLUMNS]


def side(name: str, template: str, url_of: Any, args: argparse.Namespace, folder: Path) -> dict:
    """One side (real or floor) on its own copy of the database, in a child process."""
    import subprocess

    scratch = f"{template}_import_{name}"
    _sql(url_of("postgres"), f'DROP DATABASE IF EXISTS "{scratch}"')
    _sql(url_of("postgres"), f'CREATE DATABASE "{scratch}" TEMPLATE "{template}"')
    env = dict(os.environ, DATABASE_URL=url_of(scratch), DJANGO_SETTINGS_MODULE="bench.settings")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.imports", "--side", name, "--folder", str(folder)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        _sql(url_of("postgres"), f'DROP DATABASE IF EXISTS "{scratch}"')


def _sql(url: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def run_side(name: str, folder: Path) -> dict:
    import django

    django.setup()
    from django.conf import settings

    from core.roles import Role
    from teams.models import User

    settings.MEDIA_ROOT = str(folder / f"media-{name}")
    bureau = User.objects.filter(role=Role.BUREAU, is_active=True).order_by("pk").first()
    work = real_path if name == "real" else floor_path
    result = {}
    for kind, file in (("projects", "项目台账.xlsx"), ("funds", "到位资金台账.xlsx")):
        started = time.perf_counter()
        rows = work(bureau, kind, folder / file)
        result[kind] = {"rows": rows, "seconds": time.perf_counter() - started}
    # the process's peak resident memory (tracemalloc would slow the allocations it counts)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["digest"] = written_digest()
    return result


DIGEST = """
SELECT (SELECT md5(string_agg(concat_ws('|', code, name, unit_id, industry_id, stage,
                                        contract_amount_wan, signed_on, started_on, completed_on,
                                        leader_name), ',' ORDER BY code))
        FROM projects_project WHERE code LIKE 'BX-%%'),
       (SELECT count(*) FROM projects_stagechange s JOIN projects_project p ON p.id = s.project_id
        WHERE p.code LIKE 'BX-%%'),
       (SELECT md5(string_agg(concat_ws('|', p.code, f.period, f.kind, f.amount_wan, f.status),
                              ',' ORDER BY p.code, f.period, f.kind))
        FROM projects_fundsrecord f JOIN projects_project p ON p.id = f.project_id
        WHERE p.code LIKE 'BX-%%')
"""


def written_digest() -> list:
    """What a side wrote, to compare: the projects, their timelines' length, the funds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(DIGEST, [])
        return list(cursor.fetchone())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--projects", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--turns", type=int, default=3, help="runs of both sides (median)")
    parser.add_argument("--side", choices=["real", "floor"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.side:
        print(json.dumps(run_side(args.side, args.folder)))
        return
    base, _slash, template = args.database_url.rpartition("/")

    def url_of(name: str) -> str:
        return f"{base}/{name}"

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # a data set made before the ledgers app
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        _projects, _funds, funds_rows = make_ledgers(folder, args.projects, args.seed)
        connection.close()
        print(f"ledgers: {args.projects} project rows, {funds_rows} funds rows")
        print(
            f"{'turn':4} {'side':6} {'projects rows/s':>16} {'funds rows/s':>14} "
            f"{'all rows/s':>12} {'peak MB':>8}"
        )
        ratios, same = [], True
        for turn in range(1, args.turns + 1):
            # the sides take turns (the machine's noise moves both), first one then the other
            order = ("floor", "real") if turn % 2 else ("real", "floor")
            results = {name: side(name, template, url_of, args, folder) for name in order}
            rates = {name: _report(turn, name, results[name]) for name in ("floor", "real")}
            ratios.append(rates["real"] / rates["floor"])
            same = same and results["real"]["digest"] == results["floor"]["digest"]
    print(f"the floor wrote what the import wrote: {'yes' if same else 'NO'}")
    ratio = statistics.median(ratios)
    verdict = "pass" if ratio >= 0.5 else "MISS"
    turns = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"[{verdict}] import ≥ 0.5× the floor's rows/s: {ratio:.2f}× (median of turns: {turns})")


def _report(turn: int, name: str, result: dict) -> float:
    """Prints one side's line of a turn; its rows/s."""
    rows = sum(result[k]["rows"] for k in ("projects", "funds"))
    rate = rows / sum(result[k]["seconds"] for k in ("projects", "funds"))
    print(
        f"{turn:4} {name:6} {result['projects']['rows'] / result['projects']['seconds']:16.0f} "
        f"{result['funds']['rows'] / result['funds']['seconds']:14.0f} "
        f"{rate:12.0f} {result['peak_mb']:8.1f}"
    )
    return rate


if __name__ == "__main__":
    main()
