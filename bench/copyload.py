"""Bulk loading through PostgreSQL COPY: rows are formatted as COPY text and either spooled
(a temporary file that stays in memory up to a few megabytes, then spills to disk) or
streamed straight from a generator, so memory stays flat whatever the number of rows."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

NULL = "\\N"
SPOOL_MEMORY = 8 * 1024 * 1024
CHUNK_ROWS = 4000


def line(values: Sequence[str | None]) -> str:
    """One row in COPY text format. The generator's texts never hold a tab, a newline or a
    backslash (bench.words checks its lists), so no value needs escaping."""
    return "\t".join(NULL if value is None else value for value in values) + "\n"


class Spool:
    """The rows of one table, kept until `copy` sends them in one COPY."""

    def __init__(self, table: str, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        # closed by copy(), once its rows are sent
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, mode="w+b")  # noqa: SIM115
        self.pending: list[str] = []
        self.rows = 0

    def add(self, *values: str | None) -> None:
        self.pending.append(line(values))
        self.rows += 1
        if len(self.pending) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.file.write("".join(self.pending).encode())
            self.pending = []

    def copy(self, cursor: Any) -> int:
        self._flush()
        self.file.seek(0)
        copy_from(cursor, self.table, self.columns, self.file)
        self.file.close()
        return self.rows


class GeneratorReader(io.RawIOBase):
    """A file whose content is produced on demand from an iterator of lines: COPY reads it
    while the lines are generated, so PostgreSQL parses one chunk while Python makes the
    next (two processes, two cores)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines: Iterator[str] = iter(lines)
        self.buffer = b""
        self.rows = 0

    def readable(self) -> bool:
        return True

    def _more(self) -> bool:
        chunk = []
        for text in self.lines:
            chunk.append(text)
            if len(chunk) >= CHUNK_ROWS:
                break
        if not chunk:
            return False
        self.rows += len(chunk)
        self.buffer += "".join(chunk).encode()
        return True

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self.buffer) < size) and self._more():
            pass
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def copy_from(cursor: Any, table: str, columns: Sequence[str], file: Any) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    cursor.copy_expert(sql, file, size=1024 * 1024)


def copy_stream(cursor: Any, table: str, columns: Sequence[str], lines: Iterable[str]) -> int:
    reader = GeneratorReader(lines)
    copy_from(cursor, table, columns, reader)
    return reader.rows


# --- Secondary indexes: dropped before a big COPY and built again after it ------------------


def secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint (primary keys and
    unique constraints stay; conditional unique indexes are plain indexes and go too)."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef
        FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = %s
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint c
              WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))
                  ::regclass
          )
        ORDER BY i.indexname
        """,
        [table],
    )
    return list(cursor.fetchall())


def drop_indexes(cursor: Any, indexes: list[tuple[str, str]]) -> None:
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')


def create_indexes(cursor: Any, indexes: list[tuple[str, str]]) -> None:
    for _name, definition in indexes:
        cursor.execute(definition)
