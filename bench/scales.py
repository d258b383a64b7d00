"""The sizes of the generated data sets, and the database each one lives in."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class Scale:
    name: str
    units: int  # responsible units, the bureau included
    projects: int
    records: int  # monthly funds and investment records (corrections included)
    export_rows: int  # the rows the export case asks for (at most the projects there are)


SCALES = {
    "tiny": Scale("tiny", units=5, projects=60, records=1_000, export_rows=100_000),
    "county": Scale("county", units=40, projects=2_000, records=50_000, export_rows=100_000),
    "city": Scale("city", units=300, projects=20_000, records=500_000, export_rows=100_000),
    "province": Scale(
        "province", units=2_000, projects=100_000, records=2_400_000, export_rows=100_000
    ),
}

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/zhaoshang_bench"


def database_url(scale: str, base: str | None = None) -> str:
    """The bench database of a scale: BENCH_DATABASE_URL's database name with `_<scale>`
    appended (zhaoshang_bench_county, ...)."""
    base = base or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_SERVER
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "zhaoshang_bench"
    return urlunsplit(parts._replace(path=f"/{name}_{scale}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def server_url(url: str) -> str:
    """The same server's maintenance database (to create and drop others)."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))
