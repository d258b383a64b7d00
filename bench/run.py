"""The benchmarks: `python -m bench.run --scale county` (or `make bench SCALE=county`).

Against the bench database of the scale (generated first when missing), each case runs
several times after a warm-up and is reported with its median and spread, its peak
memory, its SQL queries and its ratio to its floor measured in the same run (the two
timed in turns, bench/cases.py):

1. the monthly bulletin build (the Celery task body) against hand-written SQL;
2. the bulletin workbook and the project list export against XlsxWriter (constant memory);
3. the project list page and API under 20 concurrent clients against a bare JSON view,
   all served by gunicorn on loopback;
4. the dashboard (page and API) under the same load, when the app has one;
5. the funds verification queue and the monthly entry page of the largest unit.

The goals of issue 9 are printed as pass or miss; the results go to bench/results.json,
one entry per scale, so query counts can be compared between scales.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REDIS_URL = "redis://127.0.0.1:6379/8"
DEFAULT_OUTPUT = ROOT / "bench" / "results.json"
LIST_QUERY = "stage=constructing&category=industrial&ordering=-contract_amount_wan,code"
# Goals of issue 9 (at province scale, on a 2-core machine).
MAX_FLOOR_RATIO = 2.0
MAX_PEAK_MB = 300
MAX_LIST_P95_MS = 200
MIN_FLOOR_RPS_SHARE = 0.5
MAX_DASHBOARD_P95_MS = 300

IN_PROCESS = [
    ("bulletin", "bulletin_floor", "1. monthly bulletin build"),
    ("workbook", "workbook_floor", "2. bulletin workbook"),
    ("export", "export_floor", "2. project list export"),
    ("funds_queue", None, "5. funds verification queue"),
    ("funds_entry", None, "5. monthly entry, largest unit"),
]
# Issue 20: first answers in process (nothing kept), each against its floor, timed in turns.
FIRST = [
    ("first_list_page", "first_list_page_floor", "6. first answer: project list page"),
    ("first_list_api", "first_list_api_floor", "6. first answer: project list API"),
    ("first_lead_page", "first_lead_page_floor", "6. first answer: lead list page"),
    ("first_record", "first_record_floor", "6. first answer: project page"),
    ("first_dashboard", "first_dashboard_floor", "6. first answer: dashboard API"),
    ("first_dashboard_page", "first_dashboard_page_floor", "6. first answer: dashboard page"),
]
MAX_FIRST_RATIO = 3.0
MAX_MIXED_P95_MS = 300
# Issue 20: the mixed load, each run with nothing kept (keep 0) and with the default.
MIXED = [
    ("mixed_read", "read", "7. mixed readers"),
    ("mixed_write", "write", "7. mixed read-write (1 client in 5 writes)"),
]
UNDER_LOAD = [
    ("list_page", "list_page_floor", "3. project list page"),
    ("list_api", "list_api_floor", "3. project list API"),
    ("dashboard_page", None, "4. dashboard page"),
    ("dashboard_api", None, "4. dashboard API"),
    ("dashboard_live", None, "4. dashboard API, live figures"),
]


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "REDIS_URL": env.get("BENCH_REDIS_URL", REDIS_URL),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "PYTHONPATH": str(ROOT),
            "BENCH_CACHE_PREFIX": f"bench-{os.getpid()}-{int(time.time())}",
        }
    )
    return env


def database_exists(url: str) -> bool:
    import psycopg2

    from bench.scales import database_name, server_url

    connection = psycopg2.connect(server_url(url))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)])
            return cursor.fetchone() is not None
    finally:
        connection.close()


# --- Before the cases: what they need to know -----------------------------------------------------


def prepare(scale: str, args: argparse.Namespace, outputs: str) -> dict[str, Any]:
    """The bulletin's month (the last complete month of the data), the bureau account, its
    token and a session, the unit with the most live projects."""
    from django.db.models import Count, Max, Q
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from core.periods import add_months, format_period
    from projects.choices import LIVE_STAGES
    from projects.models import FundsRecord
    from projects.views import ProjectListView
    from teams.models import Unit, User

    bureau = User.objects.get(username="bench_bureau")
    token, _created = Token.objects.get_or_create(user=bureau)
    client = Client()
    client.force_login(bureau)
    client.get("/")  # a browser's session has its CSRF cookie too (the first page sets it)
    latest = FundsRecord.objects.aggregate(latest=Max("period"))["latest"]
    if latest is None:
        raise SystemExit("The bench database has no funds records: generate it again.")
    period = add_months(latest, -1)
    largest = (
        Unit.objects.annotate(live=Count("projects", filter=Q(projects__stage__in=LIVE_STAGES)))
        .order_by("-live", "pk")
        .values("pk", "code", "name", "live")
        .first()
    )
    from projects.models import Project

    record = (
        Project.objects.filter(unit_id=largest["pk"], stage="constructing")
        .order_by("-contract_amount_wan", "pk")
        .values_list("pk", flat=True)
        .first()
    ) or Project.objects.order_by("pk").values_list("pk", flat=True).first()
    return {
        "scale": scale,
        "record_id": record,
        "period": format_period(period),
        "year": period.year,
        "month": period.month,
        "entry_period": format_period(latest),
        "bureau_id": bureau.pk,
        "token": token.key,
        "session": "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items()),
        "largest_unit_id": largest["pk"],
        "largest_unit": f"{largest['code']} {largest['name']} ({largest['live']} live projects)",
        "list_query": LIST_QUERY,
        "page_rows": ProjectListView.paginate_by,
        "export_query": "export=xlsx",
        "repeat": args.repeat,
        "outputs": outputs,
    }


def publish(context: dict[str, Any]) -> None:
    """The month's bulletin published, as the bureau does every month."""
    from core.periods import parse_period
    from reports.models import Report
    from reports.services import report_build, report_publish
    from teams.models import User

    bureau = User.objects.get(pk=context["bureau_id"])
    period = parse_period(context["period"])
    report = Report.objects.filter(kind="monthly", period=period).order_by("-version").first()
    if report is None:
        report = report_build(period=period, user=bureau)
    if not report.is_published:
        report_publish(report=report, user=bureau, confirm=True, note="bench")


def run_child(name: str, context_path: str, env: dict[str, str], *flags: str) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", "bench.cases", name, context_path, *flags],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- gunicorn and the load generator --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the app (bench.settings) on loopback: `workers` processes of
    `threads` threads each, sized for two cores shared with PostgreSQL and the load."""

    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [
                *(gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", str(self.workers), "--worker-class", "gthread"),
                *("--threads", str(self.threads), "--log-level", "warning"),
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def worker_peak_mb(self) -> float | None:
        """The largest resident set high-water mark among the workers."""
        if self.process is None:
            return None
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return None
        peaks = []
        for child in children:
            try:
                status = Path(f"/proc/{child}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return round(max(peaks), 1) if peaks else None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def load(server: Server, case: dict[str, Any], context: dict[str, Any], args: Any) -> dict:
    command = [
        *(PYTHON, "-m", "bench.load", "--port", str(server.port), "--path", case["path"]),
        *("--clients", str(args.clients), "--duration", str(args.duration)),
        *("--rounds", str(args.rounds), "--warmup", str(args.warmup)),
    ]
    if case["auth"] == "session":
        command += ["--cookie", context["session"]]
    else:
        command += ["--header", f"Authorization: Token {context['token']}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    rounds = result["rounds"]

    def middle(key: str) -> float | None:
        values = [r[key] for r in rounds if r[key] is not None]
        return round(statistics.median(values), 1) if values else None

    return {
        "rounds": rounds,
        "rps": middle("rps"),
        "rps_min": min(r["rps"] for r in rounds),
        "rps_max": max(r["rps"] for r in rounds),
        "p50_ms": middle("p50_ms"),
        "p95_ms": middle("p95_ms"),
        "p99_ms": middle("p99_ms"),
        "errors": sum(r["errors"] for r in rounds),
        "worker_rss_peak_mb": server.worker_peak_mb(),
    }


def load_plan(server: Server, plan: Path, args: Any) -> dict:
    """The clients of a plan (bench/mixed.py), each walking its own sequence."""
    command = [
        *(PYTHON, "-m", "bench.load", "--port", str(server.port), "--plan", str(plan)),
        *("--duration", str(args.duration), "--rounds", str(args.rounds)),
        *("--warmup", str(args.warmup)),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    rounds = result["rounds"]

    def middle(key: str) -> float | None:
        values = [r[key] for r in rounds if r[key] is not None]
        return round(statistics.median(values), 1) if values else None

    return {
        "rounds": rounds,
        "kinds": result["kinds"],
        "rps": middle("rps"),
        "rps_min": min(r["rps"] for r in rounds),
        "rps_max": max(r["rps"] for r in rounds),
        "p50_ms": middle("p50_ms"),
        "p95_ms": middle("p95_ms"),
        "p99_ms": middle("p99_ms"),
        "requests": sum(r["requests"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "server_errors": sum(r["server_errors"] for r in rounds),
        "worker_rss_peak_mb": server.worker_peak_mb(),
    }


def mixed(
    args: argparse.Namespace, context: dict[str, Any], env: dict[str, str], outputs: str
) -> dict[str, Any]:
    """Issue 20: the mixed readers and the mixed read-write run, each with nothing kept and
    with the default keeping, and the readers' list sequence against its floor in turns."""
    from django.utils import timezone

    from bench import mixed as plans

    today = timezone.localdate()
    users = plans.choose_users(args.seed)
    sessions = [plans.sign_in(user) for user in users]
    folder = Path(outputs)

    def write(name: str, **options: bool) -> Path:
        path = folder / f"plan-{name}.json"
        plan = plans.make_plan(users, sessions, args.seed, today, **options)
        path.write_text(json.dumps(plan, ensure_ascii=False))
        return path

    cases: dict[str, Any] = {}
    reading = write("read")
    print("mixed sequence: statuses, queries and floors in process...", flush=True)
    off = {**env, "UNCHANGED_ANSWER_SECONDS": "0"}  # the probe counts the pages' own queries
    cases["mixed_queries"] = run_child(
        "mixed_probe", str(folder / "context.json"), off, str(reading)
    )
    cases["mixed_queries"]["users"] = [f"{u.username} ({u.role})" for u in users]
    off = {**env, "UNCHANGED_ANSWER_SECONDS": "0"}
    lists, floor = write("lists", lists_only=True), write("floor", lists_only=True, floor=True)
    turns: dict[str, list] = {"mixed_lists": [], "mixed_lists_floor": []}
    for turn in range(args.turns):
        order = [("mixed_lists", lists), ("mixed_lists_floor", floor)]
        for name, path in order if turn % 2 == 0 else order[::-1]:
            print(f"{name} under load (turn {turn + 1}, nothing kept)...", flush=True)
            with Server(off, args.workers, args.threads) as server:
                turns[name].append(load_plan(server, path, args))
    for name, runs in turns.items():
        cases[name] = {
            "turns": runs,
            **{
                key: statistics.median(r[key] for r in runs)
                for key in ("rps", "p50_ms", "p95_ms", "p99_ms")
            },
            "errors": sum(r["errors"] for r in runs),
            "server_errors": sum(r["server_errors"] for r in runs),
        }
    shares = [
        round(real["rps"] / base["rps"], 2)
        for real, base in zip(turns["mixed_lists"], turns["mixed_lists_floor"], strict=True)
        if base["rps"]
    ]
    cases["mixed_lists"]["floor_share_turns"] = shares
    cases["mixed_lists"]["floor_share"] = statistics.median(shares) if shares else None
    for name, style, label in MIXED:
        for suffix, server_env in (("", off), ("_kept", env)):
            path = reading if style == "read" else write(f"write{suffix}", writes=True)
            print(f"{label}{' (kept answers)' if suffix else ' (nothing kept)'}...", flush=True)
            with Server(server_env, args.workers, args.threads) as server:
                cases[f"{name}{suffix}"] = load_plan(server, path, args)
    return cases


# --- Goals and the report -------------------------------------------------------------------------


def ratio(real: float | None, floor: float | None) -> float | None:
    if not real or not floor:
        return None
    return round(real / floor, 2)


def goals(cases: dict[str, Any], scales: dict[str, Any]) -> list[dict[str, Any]]:
    found = []

    def goal(name: str, ok: bool | None, detail: str) -> None:
        found.append({"goal": name, "pass": ok, "detail": detail})

    for name, label, in_process_peak in (
        ("bulletin", "bulletin build ≤ 2× floor, ≤ 300 MB", True),
        ("workbook", "bulletin workbook ≤ 2× floor, ≤ 300 MB", True),
        ("export", "project export ≤ 2× floor, ≤ 300 MB", True),
    ):
        case = cases.get(name, {})
        times, peak = case.get("floor_ratio"), case.get("rss_peak_mb")
        ok = None if times is None or peak is None else times <= MAX_FLOOR_RATIO
        ok = ok and peak <= MAX_PEAK_MB if ok is not None else None
        goal(label, ok, f"{times}× floor, {peak} MB" if in_process_peak else "")
    for name, label in (("list_page", "list page"), ("list_api", "list API")):
        case = cases.get(name, {})
        floor = cases.get(f"{name}_floor", {})
        p95, rps, floor_rps = case.get("p95_ms"), case.get("rps"), floor.get("rps")
        if p95 is None or not rps or not floor_rps:
            goal(f"{label} p95 ≤ 200 ms, ≥ half the floor's requests/s", None, "not measured")
            continue
        ok = p95 <= MAX_LIST_P95_MS and rps >= MIN_FLOOR_RPS_SHARE * floor_rps
        goal(
            f"{label} p95 ≤ 200 ms, ≥ half the floor's requests/s",
            ok,
            f"p95 {p95} ms, {rps} req/s against the floor's {floor_rps}",
        )
    for name, label in (("dashboard_page", "dashboard page"), ("dashboard_api", "dashboard API")):
        case = cases.get(name, {})
        if not case.get("present"):
            goal(f"{label} p95 ≤ 300 ms", None, "not in the app yet")
            continue
        p95 = case.get("p95_ms")
        goal(f"{label} p95 ≤ 300 ms", p95 is not None and p95 <= MAX_DASHBOARD_P95_MS, f"{p95} ms")
    for name, _floor, label in FIRST:
        times = cases.get(name, {}).get("floor_ratio")
        goal(
            f"{label.removeprefix('6. ')} ≤ {MAX_FIRST_RATIO:g}× floor",
            None if times is None else times <= MAX_FIRST_RATIO,
            f"{times}× floor",
        )
    lists, floor = cases.get("mixed_lists", {}), cases.get("mixed_lists_floor", {})
    if lists.get("rps") and floor.get("rps"):
        ok = lists["floor_share"] >= MIN_FLOOR_RPS_SHARE and lists["p95_ms"] <= MAX_MIXED_P95_MS
        goal(
            "mixed list sequence, nothing kept: ≥ half the floor's requests/s, p95 ≤ 300 ms",
            ok,
            f"{lists['rps']} req/s against the floor's {floor['rps']} "
            f"(× {lists['floor_share']} in turns {lists['floor_share_turns']}), "
            f"p95 {lists['p95_ms']} ms",
        )
    mixed_runs = [n for n in ("mixed_lists", "mixed_lists_floor") if n in cases]
    mixed_runs += [f"{n}{k}" for n, _s, _l in MIXED for k in ("", "_kept") if f"{n}{k}" in cases]
    if mixed_runs:
        failing = {n: cases[n].get("server_errors") for n in mixed_runs}
        bad = {n: e for n, e in failing.items() if e}
        goal("mixed runs: no 5xx", not bad, ", ".join(f"{n} {e}" for n, e in bad.items()) or "none")
    county, province = scales.get("county"), scales.get("province")
    if county and province:
        few = county["cases"].get("mixed_queries", {}).get("kinds", {})
        many = province["cases"].get("mixed_queries", {}).get("kinds", {})
        both = sorted(set(few) & set(many))
        grow = [f"{k} {few[k]['queries']}→{many[k]['queries']}" for k in both
                if many[k]["queries"] > few[k]["queries"]]  # fmt: skip
        goal(
            "mixed sequence: no page's query count grows from county to province",
            not grow if both else None,
            ", ".join(grow) or f"none grows ({len(both)} kinds of page and role)",
        )
    if county and province:
        # No case may need more queries at province than at county. One may need fewer: a
        # select box of more than 200 units loads its options on demand (core.forms), so the
        # province's list page does not fetch the 2 000 units a county page lists.
        counts = [
            (name, county["cases"][name]["queries"], case["queries"])
            for name, case in province["cases"].items()
            if name in county["cases"]
            and case.get("queries") is not None
            and county["cases"][name].get("queries") is not None
        ]
        grow = [f"{name} {few}→{many}" for name, few, many in counts if many > few]
        fewer = [f"{name} {few}→{many}" for name, few, many in counts if many < few]
        detail = ", ".join(grow) or "none grows"
        if fewer:
            detail += f" (fewer: {', '.join(fewer)})"
        goal("query counts do not grow from county to province", not grow, detail)
    else:
        goal("query counts do not grow from county to province", None, "needs both scales' results")
    return found


def fmt(value: Any, unit: str = "") -> str:
    return "—" if value is None else f"{value}{unit}"


def report(result: dict[str, Any]) -> str:
    cases, lines = result["cases"], []
    lines.append(f"Scale {result['scale']}: bulletin of {result['context']['period']}")
    header = (
        f"{'case':34} {'median':>9} {'spread':>17} {'peak MB':>13} {'queries':>7} {'×floor':>7}"
    )
    lines += [header, "-" * len(header)]
    for name, floor, label in IN_PROCESS + FIRST:
        for key, title in ((name, label), (floor, "   floor")):
            if key is None:
                continue
            case = cases.get(key, {})
            if "error" in case:
                lines.append(f"{title:34} error: {case['error']}")
                continue
            spread = f"{fmt(case.get('min_s'))}–{fmt(case.get('max_s'))} s"
            peak = f"{fmt(case.get('tracemalloc_peak_mb'))}/{fmt(case.get('rss_peak_mb'))}"
            lines.append(
                f"{title:34} {fmt(case.get('median_s'), ' s'):>9} {spread:>17} {peak:>13} "
                f"{fmt(case.get('queries')):>7} {fmt(case.get('floor_ratio')):>7}"
            )
            if case.get("differences"):
                lines.append(f"{'':34} floor ≠ real: {'; '.join(case['differences'][:3])}")
    lines.append("")
    header = f"{'case (20 clients)':34} {'req/s':>7} {'spread':>13} {'p50/p95/p99 ms':>20} "
    header += f"{'worker MB':>9} {'queries':>7} {'×floor':>7}"
    lines += [header, "-" * len(header)]
    for name, floor, label in UNDER_LOAD:
        for key, title in ((name, label), (floor, "   floor")):
            if key is None:
                continue
            case = cases.get(key, {})
            if not case.get("present", True):
                lines.append(f"{title:34} not in the app yet")
                continue
            if "error" in case:
                lines.append(f"{title:34} error: {case['error']}")
                continue
            spread = f"{fmt(case.get('rps_min'))}–{fmt(case.get('rps_max'))}"
            latency = (
                f"{fmt(case.get('p50_ms'))}/{fmt(case.get('p95_ms'))}/{fmt(case.get('p99_ms'))}"
            )
            lines.append(
                f"{title:34} {fmt(case.get('rps')):>7} {spread:>13} {latency:>20} "
                f"{fmt(case.get('worker_rss_peak_mb')):>9} {fmt(case.get('queries')):>7} "
                f"{fmt(case.get('floor_ratio')):>7}"
            )
            if case.get("differences"):
                lines.append(f"{'':34} floor ≠ real: {'; '.join(case['differences'][:3])}")
    lines.append("")
    header = (
        f"{'mixed load (20 users)':34} {'req/s':>7} {'p50/p95/p99 ms':>20} {'errors':>7} {'5xx':>5}"
    )
    lines += [header, "-" * len(header)]
    rows = [
        ("mixed_lists", "7. list sequence, nothing kept"),
        ("mixed_lists_floor", "   its floor"),
    ]
    for name, _style, label in MIXED:
        rows += [(name, f"{label}, nothing kept"), (f"{name}_kept", f"{label}, kept")]
    for key, title in rows:
        case = cases.get(key)
        if not case:
            continue
        latency = f"{fmt(case.get('p50_ms'))}/{fmt(case.get('p95_ms'))}/{fmt(case.get('p99_ms'))}"
        lines.append(
            f"{title[:34]:34} {fmt(case.get('rps')):>7} {latency:>20} "
            f"{fmt(case.get('errors')):>7} {fmt(case.get('server_errors')):>5}"
        )
        for kind, figures in sorted(case.get("kinds", {}).items()):
            lines.append(
                f"{'':4}{kind:30} {figures['requests']:>7} "
                f"{fmt(figures['p50_ms'])}/{fmt(figures['p95_ms'])}/{fmt(figures['p99_ms']):>7} "
                f"{figures['statuses']}"
            )
    if cases.get("mixed_lists", {}).get("floor_share_turns"):
        lines.append(
            f"list sequence ÷ floor, in turns: {cases['mixed_lists']['floor_share_turns']}"
        )
    probed = cases.get("mixed_queries", {})
    if probed.get("kinds"):
        lines.append("queries (and ms in process) of each page of the sequence, by role:")
        for kind, figures in sorted(probed["kinds"].items()):
            lines.append(f"    {kind:34} {figures['queries']:>4} q {figures['ms']:>6} ms")
        if probed.get("differences"):
            lines.append(f"    floor ≠ real: {'; '.join(probed['differences'][:3])}")
        if probed.get("not_200"):
            lines.append(f"    not 200: {probed['not_200']}")
    lines.append("")
    lines.append("Peak MB: tracemalloc peak of the case / resident high-water of its process.")
    lines.append("Goals (issue 9; they apply at province scale on a 2-core machine):")
    for item in result["goals"]:
        mark = {True: "pass", False: "MISS", None: "  — "}[item["pass"]]
        lines.append(f"  [{mark}] {item['goal']}: {item['detail']}")
    return "\n".join(lines)


# --- The run --------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.scales import database_url

    url = args.database_url or database_url(args.scale)
    if not database_exists(url):
        print(f"No bench database for {args.scale} yet: generating it (make bench-data).")
        subprocess.run(
            [PYTHON, "-m", "bench.generate", "--scale", args.scale, "--database-url", url],
            cwd=ROOT,
            check=True,
        )
    env = child_env(url)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")})
    import django

    django.setup()
    from bench.generate import migrate

    migrate()  # a database generated by an earlier version of the app gets its migrations
    with tempfile.TemporaryDirectory(prefix="bench-") as outputs:
        context = prepare(args.scale, args, outputs)
        context_path = str(Path(outputs) / "context.json")
        Path(context_path).write_text(json.dumps(context))
        cases: dict[str, Any] = {}
        for name, floor, label in IN_PROCESS:
            if args.cases and name not in args.cases:
                continue
            # a case with a floor: memory and queries of each alone, times in turns
            flags = ("--untimed",) if floor else ()
            for key in (name, floor):
                if key is not None:
                    print(f"{label}{' (floor)' if key == floor else ''}...", flush=True)
                    cases[key] = run_child(key, context_path, env, *flags)
            if floor:
                print(f"{label} and its floor, in turns...", flush=True)
                timed = run_child(f"{name}:{floor}", context_path, env)
                for key in (name, floor):
                    cases[key].update(timed.get(key, {"error": timed.get("error")}))
                if "median_s" in cases[name] and "median_s" in cases[floor]:
                    cases[name]["floor_ratio"] = ratio(
                        cases[name]["median_s"], cases[floor]["median_s"]
                    )
        publish(context)  # the dashboard shows the last published month by default
        probed = run_child("probe", context_path, env)
        if "error" in probed:
            print(f"The served paths could not be probed: {probed['error']}")
        off = {**env, "UNCHANGED_ANSWER_SECONDS": "0"}
        for name, floor, label in FIRST:
            if args.cases and name not in args.cases and "first" not in args.cases:
                continue
            for key in (name, floor):
                print(f"{label}{' (floor)' if key == floor else ''}...", flush=True)
                cases[key] = run_child(key, context_path, off, "--untimed")
            print(f"{label} and its floor, in turns...", flush=True)
            timed = run_child(f"{name}:{floor}", context_path, off)
            for key in (name, floor):
                cases[key].update(timed.get(key, {"error": timed.get("error")}))
            if "median_s" in cases[name] and "median_s" in cases[floor]:
                cases[name]["floor_ratio"] = ratio(
                    cases[name]["median_s"], cases[floor]["median_s"]
                )
        from bench.cases import http_cases

        for case in http_cases(context):
            name = case["name"]
            if args.cases and name.removesuffix("_floor") not in args.cases:
                continue
            cases[name] = dict(probed.get(name, {"present": False}))
            if not cases[name].get("present") or "error" in probed:
                continue
            print(f"{name} under load...", flush=True)
            with Server(env, args.workers, args.threads) as server:
                cases[name].update(load(server, case, context, args))
        for name, floor, _label in UNDER_LOAD:
            if floor and cases.get(name, {}).get("rps") and cases.get(floor, {}).get("rps"):
                cases[name]["floor_ratio"] = ratio(cases[floor]["rps"], cases[name]["rps"])
        if not args.cases or "mixed" in args.cases:
            cases.update(mixed(args, context, env, outputs))
    context.pop("session", None)
    context.pop("token", None)
    context.pop("outputs", None)
    return {
        "scale": args.scale,
        "date": date.today().isoformat(),
        "machine": {"cpus": os.cpu_count()},
        "settings": {
            "repeat": args.repeat,
            "clients": args.clients,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "gunicorn": f"{args.workers} workers × {args.threads} threads (gthread)",
        },
        "context": context,
        "cases": cases,
    }


def main(argv: list[str] | None = None) -> int:
    from bench.scales import SCALES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="county")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after the warm-up")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per case")
    parser.add_argument("--rounds", type=int, default=3, help="the load is measured in rounds")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load unmeasured")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cases", nargs="*", help="only these (e.g. bulletin list_page)")
    parser.add_argument("--seed", type=int, default=2026, help="of the mixed sequences")
    parser.add_argument("--turns", type=int, default=2, help="mixed lists and floor, in turns")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    result = run(args)
    stored: dict[str, Any] = {"scales": {}}
    if args.output.exists():
        with contextlib.suppress(ValueError):
            stored = json.loads(args.output.read_text())
    scales = stored.setdefault("scales", {})
    scales[args.scale] = result
    result["goals"] = goals(result["cases"], scales)
    args.output.write_text(json.dumps(stored, indent=2, ensure_ascii=False, default=str))
    print()
    print(report(result))
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
