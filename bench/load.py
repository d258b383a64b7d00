"""A small load generator: N clients on loopback, each sending the next request as soon as
the last answer is in (a closed loop), for a bounded time. Standard library only, so it
costs little beside the server; run as its own process:

    python -m bench.load --port 8000 --path "/projects/?stage=signed" --clients 20 \
        --duration 20 --cookie "sessionid=..."

It prints one JSON object: per round the requests, errors, requests/s and the latency
percentiles (milliseconds). Only 127.0.0.1 is ever addressed.
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


def build_request(path: str, headers: list[str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "Accept: */*", *headers, "", ""]
    return "\r\n".join(lines).encode()


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
    parser.add_argument("--path", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds, all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--cookie", default="")
    parser.add_argument("--header", action="append", help="an extra header line")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200 or not 0 < args.duration <= 600:
        parser.error("clients 1..200, duration up to 600 seconds")
    print(json.dumps(asyncio.run(run(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
