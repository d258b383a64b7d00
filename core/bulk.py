"""Many records written at once, the way an import needs: on PostgreSQL by COPY (the ids
drawn from the table's sequence first, so the records come back with them), with their
audit history rows written the same way; elsewhere (the SQLite of `make run`) by Django's
bulk_create. What is written is what bulk_create would write: each field's value as it
would save it (auto_now dates set, files by name), generated columns left to the database.
No save signal is sent, as with bulk_create."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

NULL = "\\N"
COPY_CHUNK = 256 * 1024  # bytes sent to PostgreSQL at a time
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def create(
    objs: Iterable[Model],
    *,
    model: type[Model] | None = None,
    count: int | None = None,
    user: Any = None,
    reason: str = "",
) -> list[Model]:
    """`objs` (of one model) inserted, their ids set; with a history row each ('+', `user`,
    `reason`, now) when the model keeps an audit history. `objs` may be a generator that
    checks each record as it makes it (give `model`, and `count`: at most how many): on
    PostgreSQL each is made while the database stores the ones before it, so the checks
    and the writing share the machine's two cores. Returns the records written."""
    if model is None:
        objs = list(objs)
        if not objs:
            return objs
        model = type(objs[0])
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    history = getattr(model, manager) if manager else None
    if connection.vendor != "postgresql":
        objs = list(objs)
        if history is None:
            return model.objects.bulk_create(objs, batch_size=1000)
        return bulk_create_with_history(
            objs, model, batch_size=1000, default_user=user, default_change_reason=reason
        )
    count = len(objs) if count is None else count  # type: ignore[arg-type]
    if not count:
        return []
    fields, written = _written(model), []
    ids = _drawn_ids(model, count)
    now = timezone.now()
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False)]
    stamped_new = [f.attname for f in fields if getattr(f, "auto_now_add", False)]

    def made() -> Iterator[Model]:
        for index, obj in enumerate(objs):
            if index >= count:
                raise ValueError(f"more than {count} records to write")
            setattr(obj, model._meta.pk.attname, ids[index])
            for name in stamped:  # the dates a save sets itself
                setattr(obj, name, now)
            for name in stamped_new:
                if getattr(obj, name) is None:
                    setattr(obj, name, now)
            obj._state.adding, obj._state.db = False, "default"
            written.append(obj)
            yield obj

    texts: list[list[str]] = []  # each record's values, kept for its history row

    def lines() -> Iterator[str]:
        for values in _texts(fields, made()):
            if history is not None:
                texts.append(values)
            yield "\t".join(values) + "\n"

    _copy(model._meta.db_table, [f.column for f in fields], lines())
    if history is not None and written:
        _copy_history(history.model, fields, texts, user, reason)
    return written


def new(model: type[Model], **values: Any) -> Model:
    """A record to write in bulk, `values` by attname (`project_id`, not `project`), the
    other fields their defaults; made as Django makes the records it reads (the values in
    field order), in half the time of `model(**values)`."""
    record = model(
        *[
            values.pop(f.attname) if f.attname in values else f.get_default()
            for f in model._meta.concrete_fields
        ]
    )
    if values:
        raise TypeError(f"{model.__name__} has no fields {sorted(values)}")
    return record


def _written(model: type[Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _drawn_ids(model: type[Model], count: int) -> list[int]:
    """`count` ids of the table's sequence (those not used are a gap, as a rollback's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [value for (value,) in cursor.fetchall()]


def _escaped(text: str) -> str:
    """A text in COPY's text format (most texts need nothing: str.translate would cost
    more than these tests)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(ESCAPES)
    return text


def _text(value: Any) -> str:
    """A value in COPY's text format (a file by its name, as FileField stores it)."""
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, str):  # a choice (a str of its own type)
        return _escaped(value)
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _escaped(str(value))


@functools.lru_cache(maxsize=16)
def _moment(value: datetime) -> str:
    """A datetime's text (the records of one write share theirs: made once)."""
    return value.isoformat()


_BY_TYPE: dict[type, Any] = {
    str: _escaped,
    type(None): lambda value: NULL,
    bool: lambda value: "t" if value else "f",
    int: str,
    Decimal: str,
    date: date.isoformat,
    datetime: _moment,
}


def _json_text(encoder: Any) -> Any:
    def text(value: Any) -> str:
        return NULL if value is None else _escaped(json.dumps(value, cls=encoder))

    return text


def _texts(fields: Sequence[Any], objs: Iterable[Model]) -> Iterator[list[str]]:
    """Each record's values (by attname) in COPY text format."""
    texts = [_json_text(f.encoder) if isinstance(f, JSONField) else _text for f in fields]
    pairs = list(zip([f.attname for f in fields], texts, strict=True))
    for obj in objs:
        values = obj.__dict__
        yield [text(values.get(name)) for name, text in pairs]


def _copy(table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    """`lines` sent in one COPY, made while PostgreSQL stores the ones sent before."""
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f'COPY "{table}" ({names}) FROM STDIN', _Stream(lines), size=COPY_CHUNK
        )


class _Stream(io.RawIOBase):
    """A file whose bytes are the lines, made as COPY reads them."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines, self.pending = iter(lines), b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        parts, length = [self.pending], len(self.pending)
        for line in self.lines:
            part = line.encode()
            parts.append(part)
            length += len(part)
            if 0 <= size <= length:
                break
        data = b"".join(parts)
        if size < 0:
            self.pending = b""
            return data
        self.pending = data[size:]
        return data[:size]


def _copy_history(
    history: type[Model], fields: Sequence[Any], texts: list[list[str]], user: Any, reason: str
) -> None:
    """One '+' history row per record (its values `texts`, in the order of `fields`), as
    simple_history's bulk_history_create writes it."""
    tracked = {f.attname for f in history.tracked_fields}
    kept = [i for i, f in enumerate(fields) if f.attname in tracked]
    own = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    tail = "\t".join([_text(timezone.now()), _text(reason), "+", _text(getattr(user, "pk", user))])
    columns = [history._meta.get_field(fields[i].name).column for i in kept] + own
    everything = len(kept) == len(fields)
    _copy(
        history._meta.db_table,
        columns,
        (
            "\t".join(values if everything else [values[i] for i in kept]) + "\t" + tail + "\n"
            for values in texts
        ),
    )
