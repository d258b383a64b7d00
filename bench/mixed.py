"""A working morning at province scale (issue 20): 20 clients, each signed in as a different
user, each walking a seeded random sequence of its own.

- Users: ten officers of ten units, four unit heads of four others, the two bureau accounts
  and four county leaders, drawn (with the seed) from the units that have projects.
- What each asks: the project and lead list pages and API lists with different filters
  (stages, category, unit, key projects), search words of the generated names
  (bench/words.py and the demo's segments), sorts and pages; the funds records API list;
  project and lead pages; the dashboard of its scope (page and JSON); the progress table
  (the bureau's and leaders': every unit's or team's; an officer's: their own unit's); the
  bureau's verification queue.
- `read-write`: one client in five writes every third request, through the real endpoints:
  an officer's follow-ups posted from the project page (session and CSRF token, answered by
  a redirect), another officer's completed investment of a month (`POST /api/v1/funds/`), a
  unit head's lead follow-ups (`POST /api/v1/leads/<id>/follow-ups/`), the bureau's
  verifications (`POST /api/v1/funds/<id>/verify/`). Each write has a target of its own (a
  project and month not reported yet, a record still awaiting), read from the database
  when the plan is made, so no write repeats one before it.
- `lists`: only the list requests of the readers' sequences, and their floor: the same
  lists asked of bench.floors.floor_list (the same rows from `.values()`).

The plan is a JSON file bench/load.py walks (`--plan`). `probe` asks, in process, one
request of each kind the same way at every scale (`same_requests`: the same filters, sort
and page for the same role; the run compares their SQL queries between county and
province: none may grow), and whether each floor answers with the real list's rows.
"""

from __future__ import annotations

import json
import random
import re
import secrets
from datetime import date
from typing import Any
from urllib.parse import urlencode

CLIENTS = 20
SEQUENCE = 400  # requests per client: more than a run of 23 s reaches at county scale
PAGE_ROWS, API_ROWS = 25, 50
WRITE_EVERY = 3  # a writer writes every third request, from its first
LIST_KINDS = ("project_page", "project_api", "lead_page", "lead_api", "funds_api")
PROJECT_ORDERINGS = (
    "-contract_amount_wan,code",
    "code",
    "-signed_on,code",
    "-started_on,code",
    "name,code",
    "unit,code",
    "-created_at,code",
)
LEAD_ORDERINGS = ("",)  # the default (-received_on, -id): other sorts of leads tie
# (kind, weight) of a reader's requests; the queue is the bureau's, the progress table of
# every unit the bureau's and leaders' (the others get their unit's own)
WEIGHTS = (
    ("project_page", 20),
    ("project_api", 12),
    ("lead_page", 8),
    ("lead_api", 6),
    ("funds_api", 6),
    ("project_record", 16),
    ("lead_record", 6),
    ("dashboard_page", 7),
    ("dashboard_api", 5),
    ("progress", 4),
    ("queue", 6),
)


def _words() -> list[str]:
    from demo.projects import data as demo_data

    words = {w for chain in demo_data.CHAINS for segment in chain[4] for w in segment[2]}
    return sorted(words)


def choose_users(seed: int) -> list[Any]:
    """Twenty accounts, ordered so that every fifth (0, 5, 10, 15) is a writer: two
    officers, a unit head and the bureau."""
    from django.db.models import Count

    from core.roles import Role
    from teams.models import Unit, User

    rng = random.Random(seed)
    units = list(
        Unit.objects.exclude(kind="bureau")
        .annotate(n=Count("projects"))
        .filter(n__gte=3)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    picked = rng.sample(units, min(14, len(units)))
    by_unit: dict[tuple[int, str], list[Any]] = {}
    for user in User.objects.filter(unit_id__in=picked, is_active=True).order_by("username"):
        by_unit.setdefault((user.unit_id, user.role), []).append(user)
    officers = [
        rng.choice(by_unit[(u, Role.OFFICER)]) for u in picked[:10] if (u, Role.OFFICER) in by_unit
    ]
    heads = [by_unit[(u, Role.UNIT_HEAD)][0] for u in picked[10:] if (u, Role.UNIT_HEAD) in by_unit]
    bureau = list(
        User.objects.filter(role=Role.BUREAU, username__startswith="bench_bureau").order_by(
            "username"
        )[:2]
    )
    leaders = list(
        User.objects.filter(role=Role.LEADER, username__startswith="bench_leader").order_by(
            "username"
        )[:4]
    )
    # officers 0-9, heads 10-13, then leader, bureau, bureau, leaders: writers 0, 5, 10, 15
    order = [*officers[:10], *heads[:4], *leaders[:1], *bureau[:2], *leaders[1:4]]
    if len(order) < CLIENTS:  # a tiny county has fewer units: accounts are used again
        order = (order * CLIENTS)[:CLIENTS]
    return order[:CLIENTS]


def sign_in(user: Any) -> dict[str, Any]:
    """A session (as a browser after login: session cookie and CSRF cookie) and a token."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    csrf = secrets.token_hex(16)  # a CSRF secret of 32 characters, as Django makes one
    token, _created = Token.objects.get_or_create(user=user)
    return {
        "cookie": f"sessionid={session}; csrftoken={csrf}",
        "csrf": csrf,
        "token": token.key,
    }


class Scope:
    """What one user sees, sampled: project and lead ids, units to filter by, months."""

    def __init__(self, user: Any, rng: random.Random, today: date) -> None:
        from core.access import sees_everything
        from projects.models import Lead, Project

        self.user = user
        self.county = sees_everything(user)
        projects = list(
            Project.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)
        )
        leads = list(Lead.objects.visible_to(user).order_by("pk").values_list("pk", flat=True))
        self.projects = rng.sample(projects, min(200, len(projects)))
        self.leads = rng.sample(leads, min(100, len(leads)))
        if self.county:
            units = list(
                Project.objects.order_by().values_list("unit_id", flat=True).distinct()[:3000]
            )
            self.units = rng.sample(sorted(units), min(50, len(units)))
        else:
            self.units = []
        months = []
        year, month = today.year, today.month
        for _ in range(6):
            months.append(f"{year}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        self.months = months
        self._counts: dict[str, int] = {}

    def count(self, kind: str, query: dict[str, Any]) -> int:
        from django.http import QueryDict

        from bench.floors import list_rows

        key = f"{kind}?{urlencode(query, doseq=True)}"
        if key not in self._counts:
            params = QueryDict(urlencode(query, doseq=True))
            self._counts[key] = list_rows(kind, self.user, params).count()
        return self._counts[key]


def _page(rng: random.Random, scope: Scope, kind: str, query: dict[str, Any], size: int) -> None:
    """Page 2 or 3 now and then, when the rows reach it."""
    if rng.random() < 0.2:
        page = rng.choice((2, 3))
        if scope.count(kind, query) > (page - 1) * size:
            query["page"] = page


def project_query(rng: random.Random, scope: Scope, words: list[str], size: int) -> dict:
    from projects.choices import Category, Stage

    query: dict[str, Any] = {}
    if rng.random() < 0.5:
        query["stage"] = rng.sample([s.value for s in Stage], rng.choice((1, 1, 2)))
    if rng.random() < 0.3:
        query["category"] = rng.choice([c.value for c in Category])
    if scope.units and rng.random() < 0.3:
        query["unit"] = rng.choice(scope.units)
    if rng.random() < 0.15:
        query["is_key"] = "true"
    if rng.random() < 0.25:
        query["search"] = rng.choice(words)
    if rng.random() < 0.7:
        query["ordering"] = rng.choice(PROJECT_ORDERINGS)
    _page(rng, scope, "projects", query, size)
    return query


def lead_query(rng: random.Random, scope: Scope, words: list[str], size: int) -> dict:
    from projects.choices import LeadSource, LeadStatus

    query: dict[str, Any] = {}
    if rng.random() < 0.4:
        query["status"] = rng.choice([s.value for s in LeadStatus])
    if rng.random() < 0.2:
        query["source"] = rng.choice([s.value for s in LeadSource])
    if scope.units and rng.random() < 0.2:
        query["unit"] = rng.choice(scope.units)
    if rng.random() < 0.25:
        query["search"] = rng.choice(words)
    _page(rng, scope, "leads", query, size)
    return query


def funds_query(rng: random.Random, scope: Scope, size: int) -> dict:
    from projects.choices import FundsKind, FundsStatus

    query: dict[str, Any] = {}
    if rng.random() < 0.6:
        query["period"] = rng.choice(scope.months)
    if rng.random() < 0.4:
        query["status"] = rng.choice([s.value for s in FundsStatus])
    if rng.random() < 0.4:
        query["kind"] = rng.choice([k.value for k in FundsKind])
    if scope.units and rng.random() < 0.2:
        query["unit"] = rng.choice(scope.units)
    _page(rng, scope, "funds", query, size)
    return query


def _get(path: str, query: dict[str, Any], auth: str, kind: str) -> list:
    text = urlencode(query, doseq=True)
    return ["GET", f"{path}?{text}" if text else path, None, None, auth, kind]


def reader_request(rng: random.Random, scope: Scope, words: list[str]) -> list:
    kinds = [(k, w) for k, w in WEIGHTS if k != "queue" or scope.user.role == "bureau"]
    kind = rng.choices([k for k, _w in kinds], weights=[w for _k, w in kinds])[0]
    if kind == "project_page":
        return _get("/projects/", project_query(rng, scope, words, PAGE_ROWS), "session", kind)
    if kind == "project_api":
        query = {**project_query(rng, scope, words, API_ROWS), "page_size": API_ROWS}
        return _get("/api/v1/projects/", query, "token", kind)
    if kind == "lead_page":
        return _get("/leads/", lead_query(rng, scope, words, PAGE_ROWS), "session", kind)
    if kind == "lead_api":
        query = {**lead_query(rng, scope, words, API_ROWS), "page_size": API_ROWS}
        return _get("/api/v1/leads/", query, "token", kind)
    if kind == "funds_api":
        query = {**funds_query(rng, scope, API_ROWS), "page_size": API_ROWS}
        return _get("/api/v1/funds/", query, "token", kind)
    if kind == "project_record" and scope.projects:
        return _get(f"/projects/{rng.choice(scope.projects)}/", {}, "session", kind)
    if kind == "lead_record" and scope.leads:
        return _get(f"/leads/{rng.choice(scope.leads)}/", {}, "session", kind)
    if kind == "dashboard_api":
        return _get("/api/v1/dashboard/", {}, "token", kind)
    if kind == "progress":
        if scope.county:
            return _get(
                "/targets/progress/", {"kind": rng.choice(("unit", "team"))}, "session", kind
            )
        return _get("/targets/mine/", {}, "session", kind)
    if kind == "queue":
        return _get("/funds/queue/", {}, "session", kind)
    return _get("/dashboard/", {}, "session", "dashboard_page")


# --- Writes ---------------------------------------------------------------------------------------


def write_style(user: Any, index: int) -> str | None:
    """What a writer writes, by its role: the bureau verifies, a unit head follows leads up,
    the officers follow projects up (the first writer) or report investment (the second)."""
    if user.role == "bureau":
        return "verify"
    if user.role == "unit_head":
        return "lead_follow_up"
    if user.role == "officer":
        return "follow_up" if (index // 5) % 2 == 0 else "funds"
    return None  # a leader reads


def write_targets(user: Any, rng: random.Random, today: date, style: str | None) -> list[list]:
    """The writes of one writer, each on a target of its own."""
    from projects.choices import LIVE_STAGES, FundsKind, FundsStatus, LeadStatus
    from projects.models import FundsRecord, Lead, Project

    writes: list[list] = []
    if style is None:
        return writes
    if style == "follow_up":  # an officer's follow-ups, posted from the project page
        projects = list(
            Project.objects.editable_by(user)
            .filter(stage__in=LIVE_STAGES)
            .values_list("pk", flat=True)
        )
        for pk in rng.sample(projects, min(60, len(projects))) * 3:
            body = {
                "follow_up-happened_on": today.isoformat(),
                "follow_up-method": rng.choice(("visit", "phone", "meeting")),
                "follow_up-note": "对接企业，推进项目建设",
                "follow_up-next_step": "",
            }
            writes.append(["form", f"/projects/{pk}/follow-up/", body, "write_follow_up"])
    elif style == "funds":  # another officer's completed investment of months not reported
        started = dict(
            Project.objects.editable_by(user)
            .filter(stage__in=("started", "constructing"), started_on__isnull=False)
            .values_list("pk", "started_on")
        )
        reported = set(
            FundsRecord.objects.filter(
                project_id__in=started, kind=FundsKind.INVESTMENT
            ).values_list("project_id", "period")
        )
        months = []
        year, month = today.year, today.month
        for _ in range(12):
            months.append(date(year, month, 1))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        free = [
            (pk, period)
            for pk, started_on in sorted(started.items())
            for period in months
            if period >= started_on.replace(day=1) and (pk, period) not in reported
        ]
        for pk, period in rng.sample(free, min(150, len(free))):
            body = {
                "project": pk,
                "period": period.strftime("%Y-%m"),
                "kind": "investment",
                "amount_wan": f"{rng.randint(5, 300)}.00",
                "note": "",
            }
            writes.append(["json", "/api/v1/funds/", body, "write_funds"])
    elif style == "lead_follow_up":  # a unit head's lead follow-ups
        leads = list(
            Lead.objects.editable_by(user)
            .filter(status__in=(LeadStatus.NEW, LeadStatus.FOLLOWING))
            .values_list("pk", flat=True)
        )
        for pk in rng.sample(leads, min(60, len(leads))) * 3:
            body = {
                "happened_on": today.isoformat(),
                "method": rng.choice(("visit", "phone", "online")),
                "note": "电话回访企业，了解投资意向",
                "next_step": "",
            }
            writes.append(["json", f"/api/v1/leads/{pk}/follow-ups/", body, "write_lead_follow_up"])
    else:  # the bureau's verifications of records awaiting
        awaiting = list(
            FundsRecord.objects.filter(status=FundsStatus.SUBMITTED)
            .order_by("pk")
            .values_list("pk", flat=True)[:5000]
        )
        for pk in rng.sample(awaiting, min(150, len(awaiting))):
            writes.append(["json", f"/api/v1/funds/{pk}/verify/", {}, "write_verify"])
    return writes


def _write_request(write: list, session: dict[str, Any]) -> list:
    style, path, body, kind = write
    if style == "form":
        fields = {"csrfmiddlewaretoken": session["csrf"], **body}
        return [
            "POST",
            path,
            urlencode(fields),
            "application/x-www-form-urlencoded",
            "session",
            kind,
        ]
    return ["POST", path, json.dumps(body), "application/json", "token", kind]


# --- The plans ------------------------------------------------------------------------------------


def make_plan(
    users: list[Any],
    sessions: list[dict[str, Any]],
    seed: int,
    today: date,
    *,
    writes: bool = False,
    lists_only: bool = False,
    floor: bool = False,
) -> dict[str, Any]:
    """Each client's sequence. The readers' requests depend on the seed only, so the plans
    with and without writes, and with and without kept answers, ask the same; `lists_only`
    keeps the list requests; `floor` asks them of the floor instead."""
    words = _words()
    clients = []
    for index, (user, session) in enumerate(zip(users, sessions, strict=True)):
        rng = random.Random(f"{seed}-{index}")
        scope = Scope(user, rng, today)
        reads = [reader_request(rng, scope, words) for _ in range(SEQUENCE)]
        if lists_only:
            reads = [r for r in reads if r[5] in LIST_KINDS]
            if floor:
                reads = [floor_request(r) for r in reads]
        requests = reads
        if writes and index % 5 == 0:
            style = write_style(user, index)
            targets = write_targets(user, random.Random(f"{seed}-w-{index}-{today}"), today, style)
            requests, targets = [], iter(targets)
            for number, read in enumerate(reads):
                write = next(targets, None) if number % WRITE_EVERY == 0 else None
                requests.append(_write_request(write, session) if write else read)
        clients.append(
            {
                "user": user.username,
                "user_id": user.pk,
                "role": user.role,
                "headers": {
                    "session": [f"Cookie: {session['cookie']}"],
                    "token": [f"Authorization: Token {session['token']}"],
                },
                "requests": requests,
            }
        )
    return {"clients": clients}


FLOOR_PATHS = {
    "project_page": ("/bench/floor/list/projects/", PAGE_ROWS),
    "project_api": ("/api/bench/floor/list/projects/", API_ROWS),
    "lead_page": ("/bench/floor/list/leads/", PAGE_ROWS),
    "lead_api": ("/api/bench/floor/list/leads/", API_ROWS),
    "funds_api": ("/api/bench/floor/list/funds/", API_ROWS),
}


def floor_request(request: list) -> list:
    """The same list asked of its floor: the same filters, sort and page, `limit` rows."""
    method, path, body, content_type, auth, kind = request
    floor_path, rows = FLOOR_PATHS[kind]
    query = path.partition("?")[2]
    query = "&".join(
        part for part in query.split("&") if part and not part.startswith("page_size=")
    )
    return [
        method,
        f"{floor_path}?{query}&limit={rows}".replace("?&", "?"),
        body,
        content_type,
        auth,
        kind,
    ]


# --- In process: statuses, queries, floors ------------------------------------------------------

ROW_LINKS = {
    "project_page": re.compile(r'href="/projects/(\d+)/"'),
    "lead_page": re.compile(r'href="/leads/(\d+)/"'),
}


def _ids(kind: str, body: bytes, floor: bool = False) -> list[int]:
    if kind in ROW_LINKS and not floor:
        ids: list[int] = []
        for match in ROW_LINKS[kind].finditer(body.decode()):
            pk = int(match[1])
            if pk not in ids:
                ids.append(pk)
        return ids
    return [row["id"] for row in json.loads(body)["results"]]


def same_requests(user: Any, today: date) -> list[list]:
    """One request of each kind the user's sequence holds, asked the same way at every
    scale (the same filters, sort and page for the same role), so that a query count can be
    compared from county to province: a list filtered, sorted and paged as the sequence's
    are (a unit filter for those who see every unit, on the unit with most projects), the
    record page of the largest project under construction (the latest lead), the dashboard,
    the progress table and the queue."""
    from django.db.models import Count

    from core.access import sees_everything
    from projects.models import Lead, Project

    county = sees_everything(user)
    unit: dict[str, Any] = {}
    if county:
        largest = (
            Project.objects.order_by()
            .values("unit_id")
            .annotate(n=Count("id"))
            .order_by("-n", "unit_id")
            .first()
        )
        unit = {"unit": largest["unit_id"]} if largest else {}
    # a record the user may edit when the user edits any (its forms and their choices are on
    # the page), else one the user reads: the same kind of page at every scale
    projects = Project.objects.editable_by(user)
    if county or not projects.exists():
        projects = Project.objects.visible_to(user)
    record = (
        projects.filter(stage="constructing").order_by("-contract_amount_wan", "pk").first()
        or projects.order_by("pk").first()
    )
    leads = Lead.objects.editable_by(user)
    if county or not leads.exists():
        leads = Lead.objects.visible_to(user)
    lead = leads.order_by("-received_on", "-pk").first()
    month = f"{today.year}-{today.month:02d}"
    project = {"stage": ["constructing", "signed"], "ordering": "-signed_on,code"}
    searched = {"search": "科技", "ordering": "code"}
    lead_query = {"status": "following", **unit}
    funds = {"period": month, "kind": "funds", "status": "verified", **unit}
    requests = [
        _get("/projects/", {**project, **unit}, "session", "project_page"),
        _get("/projects/", searched, "session", "project_page_search"),
        _get(
            "/api/v1/projects/", {**project, **unit, "page_size": API_ROWS}, "token", "project_api"
        ),
        _get("/leads/", lead_query, "session", "lead_page"),
        _get("/api/v1/leads/", {**lead_query, "page_size": API_ROWS}, "token", "lead_api"),
        _get("/api/v1/funds/", {**funds, "page_size": API_ROWS}, "token", "funds_api"),
        _get("/dashboard/", {}, "session", "dashboard_page"),
        _get("/api/v1/dashboard/", {}, "token", "dashboard_api"),
    ]
    if record is not None:
        requests.append(_get(f"/projects/{record.pk}/", {}, "session", "project_record"))
    if lead is not None:
        requests.append(_get(f"/leads/{lead.pk}/", {}, "session", "lead_record"))
    if county:
        requests.append(_get("/targets/progress/", {"kind": "unit"}, "session", "progress"))
        requests.append(_get("/targets/progress/", {"kind": "team"}, "session", "progress_team"))
    else:
        requests.append(_get("/targets/mine/", {}, "session", "progress"))
    if user.role == "bureau":
        requests.append(_get("/funds/queue/", {}, "session", "queue"))
    return requests


def probe(plan: dict[str, Any], per_role: int = 2, checked: int = 3) -> dict[str, Any]:
    """For `per_role` clients of each role, one request of each kind asked the same way at
    every scale (`same_requests`), in process: status and SQL queries (the second asking:
    the first stamps the session); and for the first `checked` list requests of every
    client, whether the floor gives the same rows."""
    import time

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from teams.models import User

    counts: dict[str, dict[str, int]] = {}
    statuses: dict[str, list] = {}
    differences: list[str] = []
    seen_roles: dict[str, int] = {}
    checked_lists = 0
    for spec in plan["clients"]:
        user = User.objects.get(pk=spec["user_id"])
        session, token = (
            Client(),
            Client(HTTP_AUTHORIZATION=f"Token {spec['headers']['token'][0].split()[-1]}"),
        )
        session.force_login(user)
        clients = {"session": session, "token": token}
        role_turn = seen_roles.get(spec["role"], 0)
        seen_roles[spec["role"]] = role_turn + 1
        lists = 0
        same = same_requests(user, timezone.localdate()) if role_turn < per_role else []
        # A member of a team sees its team on their pages (the team's progress, the team
        # choices of a record's forms): a query or a section more, whatever the scale. The
        # same request is the same filters asked by the same role, in a team or not.
        in_team = " in a team" if user.teams.filter(is_active=True).exists() else ""
        asked = [(request, True) for request in same] + [
            (request, False) for request in spec["requests"]
        ]
        for (method, path, _body, _type, auth, kind), measure in asked:
            if method != "GET":
                continue
            check = not measure and kind in LIST_KINDS and lists < checked
            if not measure and not check:
                continue
            client = clients[auth]
            client.get(path)
            queries: list[str] = []

            def counted(run: Any, sql: str, *rest: Any, queries: list[str] = queries) -> Any:
                queries.append(sql)
                return run(sql, *rest)

            with connection.execute_wrapper(counted):
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                statuses.setdefault(kind, []).append(f"{path} {response.status_code}")
            if measure:
                key = f"{kind}/{spec['role']}{in_team}"
                counts.setdefault(key, {"queries": 0, "ms": 0, "path": path})
                counts[key]["queries"] = max(counts[key]["queries"], len(queries))
                counts[key]["ms"] = max(counts[key]["ms"], round(elapsed * 1000))
            if check and response.status_code == 200:
                lists += 1
                checked_lists += 1
                floor = floor_request([method, path, None, None, auth, kind])
                answer = clients[auth].get(floor[1])
                real_ids, floor_ids = (
                    _ids(kind, response.content),
                    _ids(kind, answer.content, floor=True),
                )
                if real_ids != floor_ids:
                    differences.append(
                        f"{path}: real {real_ids[:4]}… ({len(real_ids)}), "
                        f"floor {floor_ids[:4]}… ({len(floor_ids)})"
                    )
    return {
        "kinds": counts,
        "not_200": statuses,
        "floor_checked": checked_lists,
        "differences": differences[:10],
    }
