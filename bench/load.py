"""A small load generator: N clients on loopback, each sending the next request as soon as
the last answer is in (a closed loop), for a bounded time. Standard library only, so it
costs little beside the server; run as its own process:

    python -m bench.load --port 8000 --path "/projects/?stage=signed" --clients 20 \
        --duration 20 --cookie "sessionid=..."

It prints one JSON object: per round the requests, errors, requests/s and the latency
percentiles (milliseconds). Only 127.0.0.1 is ever addressed.

With `--plan FILE` (bench/mixed.py writes it) each client is a different user walking a
sequence of its own: `{"clients": [{"headers": {"session": [...], "token": [...]},
"requests": [[method, path, body, content type, auth, kind], ...]}]}`. Each client takes its
next request where it left off (across the warm-up and the rounds); the result also gives
the latencies and statuses of each kind of request over all rounds. A redirect (a form
posted) counts as an answer; 4xx and 5xx as errors, 5xx counted apart.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

HOST = "127.0.0.1"
TIMEOUT = 30.0


def percentile(sorted_values: list[float], share: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Reads one response; (status, whether the connection stays open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for text in lines[1:]:
        if ":" in text:
            name, value = text.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


async def client(
    port: int, request: bytes, deadline: float, latencies: list[float], statuses: dict[int, int]
) -> None:
    reader = writer = None
    while time.perf_counter() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            started = time.perf_counter()
            writer.write(request)
            status, keep_open = await asyncio.wait_for(read_response(reader), TIMEOUT)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            if not keep_open:
                writer.close()
                reader = writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            statuses[0] = statuses.get(0, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.close()


async def one_round(port: int, request: bytes, clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(client(port, request, deadline, latencies, statuses) for _ in range(clients))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    ok = sum(n for status, n in statuses.items() if 200 <= status < 300)

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "seconds": round(elapsed, 2),
        "requests": len(latencies),
        "ok": ok,
        "errors": sum(statuses.values()) - ok,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "rps": round(ok / elapsed, 1),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
    }


def build_request(
    path: str,
    headers: list[str],
    method: str = "GET",
    body: str | None = None,
    content_type: str | None = None,
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Accept: */*", *headers]
    payload = (body or "").encode()
    if method != "GET":
        lines += [f"Content-Type: {content_type}", f"Content-Length: {len(payload)}"]
    return "\r\n".join([*lines, "", ""]).encode() + payload


# --- A plan: each client a user with a sequence of its own ----------------------------------------


class Walker:
    """One client of a plan: its requests, built once, and where it is in them."""

    def __init__(self, spec: dict[str, Any]) -> None:
        headers = spec["headers"]
        self.requests = [
            (kind, build_request(path, headers[auth], method, body, content_type))
            for method, path, body, content_type, auth, kind in spec["requests"]
        ]
        self.position = 0

    def next(self) -> tuple[str, bytes]:
        kind, request = self.requests[self.position % len(self.requests)]
        self.position += 1
        return kind, request


async def walk(
    port: int,
    walker: Walker,
    deadline: float,
    latencies: list[float],
    statuses: dict[int, int],
    by_kind: dict[str, list],
) -> None:
    reader = writer = None
    while time.perf_counter() < deadline:
        kind, request = walker.next()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            started = time.perf_counter()
            writer.write(request)
            status, keep_open = await asyncio.wait_for(read_response(reader), TIMEOUT)
            elapsed = time.perf_counter() - started
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
            times, kind_statuses = by_kind.setdefault(kind, ([], {}))
            times.append(elapsed)
            kind_statuses[status] = kind_statuses.get(status, 0) + 1
            if not keep_open:
                writer.close()
                reader = writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            statuses[0] = statuses.get(0, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.close()


def ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


async def plan_round(
    port: int, walkers: list[Walker], seconds: float, by_kind: dict[str, list]
) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(walk(port, w, deadline, latencies, statuses, by_kind) for w in walkers))
    elapsed = time.perf_counter() - started
    latencies.sort()
    ok = sum(n for status, n in statuses.items() if 200 <= status < 400)
    return {
        "seconds": round(elapsed, 2),
        "requests": len(latencies),
        "ok": ok,
        "errors": sum(statuses.values()) - ok,
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "rps": round(ok / elapsed, 1),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
    }


async def run_plan(args: argparse.Namespace) -> dict[str, Any]:
    with open(args.plan, encoding="utf-8") as source:
        plan = json.load(source)
    walkers = [Walker(spec) for spec in plan["clients"]]
    if args.warmup > 0:
        await plan_round(args.port, walkers, args.warmup, {})
    by_kind: dict[str, list] = {}
    rounds = [
        await plan_round(args.port, walkers, args.duration / args.rounds, by_kind)
        for _ in range(args.rounds)
    ]
    kinds = {}
    for kind, (times, kind_statuses) in sorted(by_kind.items()):
        times.sort()
        kinds[kind] = {
            "requests": len(times),
            "statuses": {str(k): v for k, v in sorted(kind_statuses.items())},
            "p50_ms": ms(percentile(times, 0.50)),
            "p95_ms": ms(percentile(times, 0.95)),
            "p99_ms": ms(percentile(times, 0.99)),
        }
    return {"plan": args.plan, "clients": len(walkers), "rounds": rounds, "kinds": kinds}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    headers = list(args.header or [])
    if args.cookie:
        headers.append(f"Cookie: {args.cookie}")
    request = build_request(args.path, headers)
    if args.warmup > 0:
        await one_round(args.port, request, args.clients, args.warmup)
    rounds = [
        await one_round(args.port, request, args.clients, args.duration / args.rounds)
        for _ in range(args.rounds)
    ]
    return {"path": args.path, "clients": args.clients, "rounds": rounds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Closed-loop load on a loopback server.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", help="the one path every client asks")
    parser.add_argument("--plan", help="a JSON plan: each client its own sequence")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds, all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--cookie", default="")
    parser.add_argument("--header", action="append", help="an extra header line")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200 or not 0 < args.duration <= 600:
        parser.error("clients 1..200, duration up to 600 seconds")
    if not args.plan and not args.path:
        parser.error("--path or --plan")
    print(json.dumps(asyncio.run(run_plan(args) if args.plan else run(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
