"""The benchmarked paths measured inside one process, and their floors. Each runs in a
child process of its own (`python -m bench.cases CASE CONTEXT.json`), so its memory
high-water is its own: a warm-up (whose SQL queries are counted), the timed repetitions,
then one more run under tracemalloc for the peak of Python allocations.

A path with a floor is timed in a child of its own too (`python -m bench.cases
CASE:FLOOR CONTEXT.json`): after a warm-up of each, the path and its floor run in turns,
so both meet the machine in the same state. On a shared 2-core VM the speed of the same
code drifts by a third within a minute; timed one after the other, a path and its floor
had ratios from 1.9 to 2.6 in runs of the same code (bench/README.md, fix 18).

The real paths are the app's: the Celery task body that builds the monthly bulletin, the
workbook of the stored bulletin, the project list's `?export=xlsx`, the funds verification
queue and the monthly entry page (through Django's test client, middleware included).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def _client(context: dict[str, Any]) -> Any:
    from django.test import Client

    from teams.models import User

    client = Client()
    client.force_login(User.objects.get(pk=context["bureau_id"]))
    return client


def _get(client: Any, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response.content


def _figures(context: dict[str, Any]) -> dict[str, Any]:
    from reports.models import Report

    report = (
        Report.objects.filter(kind="monthly", period=f"{context['period']}-01")
        .order_by("-version")
        .first()
    )
    if report is None:
        raise RuntimeError("no bulletin stored for the period: run the bulletin case first")
    return report.figures


def _output(context: dict[str, Any], name: str) -> Path:
    return Path(context["outputs"]) / name


# --- Each case: set-up (untimed) returns the callable that is timed ------------------------------


def case_bulletin(context: dict[str, Any]) -> Callable[[], Any]:
    """The Celery task body (reports.tasks.build_monthly_bulletin) run on a job row."""
    from core.models import Job
    from reports.tasks import JOB_KIND_MONTHLY, build_monthly_bulletin

    def run() -> Any:
        job = Job.objects.create(
            kind=JOB_KIND_MONTHLY,
            # a published month is built again as a new version, which needs a reason
            params={"period": context["period"], "reason": "bench"},
            created_by_id=context["bureau_id"],
        )
        result = build_monthly_bulletin(job.pk)
        if not result:
            job.refresh_from_db()
            raise RuntimeError(f"the build failed: {job.error}")
        return result

    return run


def finish_bulletin(context: dict[str, Any], output: Any) -> list[str]:
    _output(context, "bulletin.json").write_text(json.dumps(_figures(context)))
    return []


def case_bulletin_floor(context: dict[str, Any]) -> Callable[[], Any]:
    from bench.floors import bulletin_floor

    return lambda: bulletin_floor(context["year"], context["month"])


def finish_bulletin_floor(context: dict[str, Any], output: Any) -> list[str]:
    from bench import checks

    figures = json.loads(_output(context, "bulletin.json").read_text())
    return checks.bulletin(output, figures)


def case_workbook(context: dict[str, Any]) -> Callable[[], Any]:
    from reports.workbook import bulletin_workbook

    figures = _figures(context)
    return lambda: bulletin_workbook(figures)


def finish_workbook(context: dict[str, Any], output: bytes) -> list[str]:
    _output(context, "workbook.xlsx").write_bytes(output)
    return []


def case_workbook_floor(context: dict[str, Any]) -> Callable[[], Any]:
    from bench.floors import bulletin_workbook_floor

    figures = _figures(context)
    return lambda: bulletin_workbook_floor(figures)


def finish_workbook_floor(context: dict[str, Any], output: bytes) -> list[str]:
    from bench import checks

    return checks.workbooks(output, _output(context, "workbook.xlsx").read_bytes())


def case_export(context: dict[str, Any]) -> Callable[[], Any]:
    """The project list page's `?export=xlsx` as the bureau (every project)."""
    client = _client(context)
    return lambda: _get(client, f"/projects/?{context['export_query']}")


def finish_export(context: dict[str, Any], output: bytes) -> list[str]:
    _output(context, "export.xlsx").write_bytes(output)
    return []


def case_export_floor(context: dict[str, Any]) -> Callable[[], Any]:
    from django.utils import timezone

    from bench.floors import project_export_floor
    from projects.views import ProjectListView

    title = str(ProjectListView.title)
    headers = [str(column.label) for column in ProjectListView.columns]
    return lambda: project_export_floor(timezone.localdate(), title, headers)


def finish_export_floor(context: dict[str, Any], output: bytes) -> list[str]:
    from bench import checks

    return checks.workbooks(output, _output(context, "export.xlsx").read_bytes())


def case_funds_queue(context: dict[str, Any]) -> Callable[[], Any]:
    client = _client(context)
    return lambda: _get(client, "/funds/queue/")


def case_funds_entry(context: dict[str, Any]) -> Callable[[], Any]:
    """The monthly entry page of the unit with the most live projects, for the data's
    current month (as the bureau opens it for that unit)."""
    client = _client(context)
    path = f"/funds/entry/?unit={context['largest_unit_id']}&period={context['entry_period']}"
    return lambda: _get(client, path)


# --- Issue 20: first answers (nothing kept: the child runs with UNCHANGED_ANSWER_SECONDS=0) ------


def _token(context: dict[str, Any]) -> Any:
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Token {context['token']}")


def _asking(client_of: Callable[[dict[str, Any]], Any], path: str) -> Callable:
    def make(context: dict[str, Any]) -> Callable[[], Any]:
        client, where = client_of(context), path.format(**context)
        return lambda: _get(client, where)

    return make


FIRST_ANSWERS = {
    # name: (who asks, the real path, its floor)
    "first_list_page": (
        _client,
        "/projects/?{list_query}",
        "/bench/floor/projects/?{list_query}&limit={page_rows}",
    ),
    "first_list_api": (
        _token,
        "/api/v1/projects/?{list_query}&page_size=50",
        "/api/bench/floor/projects/?{list_query}&limit=50",
    ),
    "first_lead_page": (
        _client,
        "/leads/?status=following",
        "/bench/floor/list/leads/?status=following&limit={page_rows}",
    ),
    "first_record": (_client, "/projects/{record_id}/", "/bench/floor/record/{record_id}/"),
    "first_dashboard": (_token, "/api/v1/dashboard/", "/api/bench/floor/dashboard/"),
    "first_dashboard_page": (_client, "/dashboard/", "/bench/floor/dashboard/"),
}


CASES: dict[str, tuple[Callable, Callable | None]] = {
    "bulletin": (case_bulletin, finish_bulletin),
    "bulletin_floor": (case_bulletin_floor, finish_bulletin_floor),
    "workbook": (case_workbook, finish_workbook),
    "workbook_floor": (case_workbook_floor, finish_workbook_floor),
    "export": (case_export, finish_export),
    "export_floor": (case_export_floor, finish_export_floor),
    "funds_queue": (case_funds_queue, None),
    "funds_entry": (case_funds_entry, None),
}
for _name, (_who, _real, _floor) in FIRST_ANSWERS.items():
    CASES[_name] = (_asking(_who, _real), None)
    CASES[f"{_name}_floor"] = (_asking(_who, _floor), None)


def rss_mb() -> float:
    """This process's resident set high-water mark (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _times(times: list[float]) -> dict[str, Any]:
    return {
        "times": [round(t, 4) for t in times],
        "median_s": round(statistics.median(times), 4),
        "min_s": round(min(times), 4),
        "max_s": round(max(times), 4),
    }


def _timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _activate_language() -> None:
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def measure(name: str, context: dict[str, Any], timed: bool = True) -> dict[str, Any]:
    """A case's SQL queries, memory and output; its times too when `timed` (a case with a
    floor is timed by `measure_in_turns` instead)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _activate_language()
    make, finish = CASES[name]
    baseline = rss_mb()
    run = make(context)
    with CaptureQueriesContext(connection) as captured:
        output = run()  # the warm-up
    queries = len(captured)  # before the next request clears the log
    times = [_timed(run) for _ in range(context["repeat"] if timed else 0)]
    tracemalloc.start()
    output = run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    differences = finish(context, output) if finish else []
    return {
        **(_times(times) if times else {}),
        "queries": queries,
        "tracemalloc_peak_mb": round(peak / MB, 1),
        "rss_peak_mb": round(rss_mb(), 1),
        "rss_baseline_mb": round(baseline, 1),
        "differences": differences,
    }


def measure_in_turns(name: str, floor: str, context: dict[str, Any]) -> dict[str, Any]:
    """The times of a case and of its floor, run in turns after a warm-up of each, and the
    ratio of their medians."""
    _activate_language()
    run, run_floor = CASES[name][0](context), CASES[floor][0](context)
    run()
    run_floor()
    times: dict[str, list[float]] = {name: [], floor: []}
    for _ in range(context["repeat"]):
        times[name].append(_timed(run))
        times[floor].append(_timed(run_floor))
    return {key: _times(values) for key, values in times.items()}


# --- The paths served under load: what they are, how many queries each costs --------------------


def http_cases(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The list page and API (a page of the list, two filters, sorted), their floors and
    the dashboard (page and API). `floor`: the case whose rows must be the same."""
    query = context["list_query"]
    return [
        {"name": "list_page", "path": f"/projects/?{query}", "auth": "session",
         "floor": "list_page_floor"},
        {"name": "list_page_floor", "auth": "session",
         "path": f"/bench/floor/projects/?{query}&limit={context['page_rows']}"},
        {"name": "list_api", "path": f"/api/v1/projects/?{query}&page_size=50", "auth": "token",
         "floor": "list_api_floor"},
        {"name": "list_api_floor", "auth": "token",
         "path": f"/api/bench/floor/projects/?{query}&limit=50"},
        {"name": "dashboard_page", "path": "/dashboard/", "auth": "session"},
        {"name": "dashboard_api", "path": "/api/v1/dashboard/", "auth": "token"},
        {"name": "dashboard_live", "path": "/api/v1/dashboard/?source=live", "auth": "token"},
    ]  # fmt: skip


def probe(context: dict[str, Any]) -> dict[str, Any]:
    """Each served path once as the bureau: whether it exists, its status and its SQL
    queries (the second request: the first stamps the session), and whether each floor
    answers with the real path's rows."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from bench import checks

    session = _client(context)
    token = Client(HTTP_AUTHORIZATION=f"Token {context['token']}")
    results: dict[str, Any] = {}
    bodies: dict[str, Any] = {}
    for case in http_cases(context):
        path = case["path"].split("?")[0]
        try:
            resolve(path)
        except Resolver404:
            results[case["name"]] = {"present": False}
            continue
        client = session if case["auth"] == "session" else token
        client.get(case["path"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(case["path"])
        results[case["name"]] = {
            "present": True,
            "status": response.status_code,
            "queries": len(captured),
        }
        bodies[case["name"]] = response.content.decode()
    for case in http_cases(context):
        floor = case.get("floor")
        if not floor or case["name"] not in bodies or floor not in bodies:
            continue
        floor_ids = [row["id"] for row in json.loads(bodies[floor])["results"]]
        if case["name"] == "list_page":
            real_ids = checks.page_ids(bodies[case["name"]])
        else:
            real_ids = [row["id"] for row in json.loads(bodies[case["name"]])["results"]]
        results[floor]["differences"] = checks.same_rows(real_ids, floor_ids)
        results[floor]["rows"] = len(floor_ids)
    return results


def main(argv: list[str]) -> int:
    name, context_path, *flags = argv
    context = json.loads(Path(context_path).read_text())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if name == "probe":
        result = probe(context)
    elif name == "mixed_probe":
        from bench.mixed import probe as mixed_probe

        _activate_language()
        result = mixed_probe(json.loads(Path(flags[0]).read_text()))
    elif ":" in name:
        result = measure_in_turns(*name.split(":"), context)
    else:
        result = measure(name, context, timed="--untimed" not in flags)

    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
