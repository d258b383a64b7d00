"""The bench code cannot rot: a SCALE=tiny data set is generated (twice, to show the seed
repeats it) and every benchmark case runs once, briefly. Every case must report numbers and
every floor must produce what the real path produces. The timings are never asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-06-15"  # a fixed reference date: the same seed then gives the same rows


def smoke_url() -> str:
    """A database of its own beside the test database (test_<name>_bench_tiny)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path=f"/test_{name}_bench_tiny"))


def run(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def query(url: str, sql: str) -> list[tuple]:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        connection.close()


DIGEST = """
SELECT (SELECT md5(string_agg(concat_ws('|', id, code, name, unit_id, stage, signed_on,
                                        contract_amount_wan), ',' ORDER BY id))
        FROM projects_project),
       (SELECT md5(string_agg(concat_ws('|', id, project_id, period, kind, amount_wan, status),
                              ',' ORDER BY id))
        FROM projects_fundsrecord)
"""


@pytest.fixture(scope="module")
def tiny():
    url = smoke_url()
    output = run("bench.generate", "--scale", "tiny", "--today", TODAY, "--database-url", url)
    yield url, output
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')
    connection.close()


def test_the_generator_loads_a_tiny_county_the_app_can_write_to(tiny):
    url, output = tiny
    assert "rows/s" in output
    assert "the app adds a lead, a project and a funds record" in output
    [(units, kinds)] = query(url, "SELECT COUNT(*), COUNT(DISTINCT kind) FROM teams_unit")
    assert (units, kinds) == (5, 4)  # townships, a park, a department and the bureau
    [(projects, stages)] = query(
        url, "SELECT COUNT(*), COUNT(DISTINCT stage) FROM projects_project"
    )
    assert projects == 60 and stages >= 5
    [(records, verified)] = query(
        url,
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'verified') FROM projects_fundsrecord",
    )
    assert 850 <= records <= 1150  # about 1 000
    assert verified > records * 0.8  # mostly verified
    [(months,)] = query(url, "SELECT COUNT(DISTINCT period) FROM projects_fundsrecord")
    assert months == 25  # two years before June 2026, and June itself
    [(targets,)] = query(url, "SELECT COUNT(*) FROM targets_target WHERE unit_id IS NULL "
                              "AND team_id IS NULL AND metric = 'funds'")  # fmt: skip
    assert targets == 2  # the county's funds target of last year and this year
    [(login,)] = query(url, "SELECT COUNT(*) FROM teams_user WHERE username = 'bench_bureau'")
    assert login == 1


def test_the_same_seed_gives_the_same_rows(tiny):
    url, _output = tiny
    first = query(url, DIGEST)
    run("bench.generate", "--scale", "tiny", "--today", TODAY, "--database-url", url)
    assert query(url, DIGEST) == first


def test_every_case_runs_and_every_floor_produces_the_real_output(tiny, tmp_path):
    url, _output = tiny
    results = tmp_path / "results.json"
    printed = run(
        *("bench.run", "--scale", "tiny", "--database-url", url, "--output", str(results)),
        *(
            "--repeat",
            "1",
            "--duration",
            "1",
            "--rounds",
            "1",
            "--warmup",
            "0",
        ),  # the writers write first
        *("--clients", "4", "--turns", "1"),
    )
    stored = json.loads(results.read_text())["scales"]["tiny"]
    cases = stored["cases"]
    for name in (
        "bulletin",
        "bulletin_floor",
        "workbook",
        "workbook_floor",
        "export",
        "export_floor",
        "funds_queue",
        "funds_entry",
    ):
        case = cases[name]
        assert "error" not in case, (name, case)
        assert case["median_s"] > 0 and case["queries"] >= 0, name
        assert case["rss_peak_mb"] > 0 and case["tracemalloc_peak_mb"] >= 0, name
        assert case["differences"] == [], (name, case["differences"])
    for name in ("bulletin", "workbook", "export"):
        assert cases[name]["floor_ratio"] > 0
    assert cases["bulletin"]["queries"] > cases["bulletin_floor"]["queries"] > 0
    for name in ("list_page", "list_page_floor", "list_api", "list_api_floor"):
        case = cases[name]
        assert case["present"] and case["status"] == 200, (name, case)
        assert case["rps"] > 0 and case["p95_ms"] > 0 and case["errors"] == 0, (name, case)
    for floor in ("list_page_floor", "list_api_floor"):
        assert cases[floor]["differences"] == [] and cases[floor]["rows"] > 0
    for name in ("dashboard_page", "dashboard_api"):
        if cases[name]["present"]:
            assert cases[name]["status"] == 200 and cases[name]["rps"] > 0, (name, cases[name])
    # issue 20: first answers against their floors, in process, nothing kept
    for name in (
        "first_list_page",
        "first_list_api",
        "first_lead_page",
        "first_record",
        "first_dashboard",
        "first_dashboard_page",
    ):
        assert "error" not in cases[name] and "error" not in cases[f"{name}_floor"], name
        assert cases[name]["floor_ratio"] > 0 and cases[name]["queries"] > 0, name
    # the mixed load: 20 users, each its own sequence; readers, read-write, kept or not
    for name in (
        "mixed_read",
        "mixed_read_kept",
        "mixed_write",
        "mixed_write_kept",
        "mixed_lists",
        "mixed_lists_floor",
    ):
        case = cases[name]
        assert case["rps"] > 0 and case["errors"] == 0 and case["server_errors"] == 0, (name, case)
    kinds = cases["mixed_write"]["kinds"]
    assert len(kinds) >= 3  # a second of load reaches a few kinds of request
    assert any(kind.startswith("write_") for kind in kinds), kinds
    probed = cases["mixed_queries"]
    assert probed["not_200"] == {} and probed["differences"] == [], probed
    assert probed["floor_checked"] > 0 and probed["kinds"]
    assert cases["mixed_lists"]["floor_share"] > 0
    goals = {goal["goal"] for goal in stored["goals"]}
    assert any("first answer" in goal for goal in goals)
    assert any("mixed list sequence" in goal for goal in goals)
    assert any("bulletin build" in goal for goal in goals)
    assert "Goals" in printed and "req/s" in printed


def test_the_ledger_import_and_its_floor_write_the_same_rows(tiny):
    url, _output = tiny
    printed = run("bench.imports", "--database-url", url, "--projects", "15")
    assert "15 project rows" in printed
    assert "the floor wrote what the import wrote: yes" in printed
    assert "import ≥ 0.5× the floor's rows/s:" in printed
