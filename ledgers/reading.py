"""Reading the first sheet of an office's old ledger (.xlsx, .xls or .csv) as a table: the
header row found under the title rows, then the data rows, streamed.

Ledgers come as offices keep them: a merged title row and a "填报单位：… 日期：…" line
above the headers, full-width brackets and line breaks inside header cells, a unit name
merged down over its projects, formulas, GBK-encoded CSV. The reader undoes all of that,
and nothing more: turning a cell into an amount or a date is ledgers.values' job.

A file is untrusted input: its size, an .xlsx's unpacked size (a zip bomb) and its number
of rows are capped before the work they would cost is done, formulas are read as the
values Excel saved with them (never evaluated), and a large sheet is read row by row so
memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import openpyxl
import xlrd
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from openpyxl.utils.cell import range_boundaries

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # all the members of an .xlsx, unpacked
MAX_COMPRESSION_RATIO = 100
# A member smaller than this cannot hurt whatever its ratio; a sheet of a few thousand
# identical empty rows does compress more than a hundredfold.
RATIO_FLOOR_BYTES = 1024 * 1024
HEADER_SEARCH_ROWS = 30
HEADER_MIN_KNOWN = 2
# Headers named in the "no header row" message: what a ledger of any kind has.
HEADER_EXAMPLES = ("项目名称", "责任单位", "协议引资额(万元)")
EXTENSIONS = (".xlsx", ".xls", ".csv")
CHUNK_BYTES = 64 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file an .xls is
# What Excel shows for a formula that failed: no value at all, for the reader.
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)

# <mergeCell ref="A3:A7"/>, with a namespace prefix or not.
_MERGE_CELL = re.compile(
    rb"""<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([A-Za-z0-9$:]+)["']"""
)
_MERGE_CELL_MAX_BYTES = 512

# A row as a source gives it: its number, its own cells, and its cells with the values of
# merged ranges filled in (the same list when nothing is merged over the row).
_SourceRow = tuple[int, list[Any], list[Any]]


@dataclass
class Row:
    """A data row: its number as Excel shows it (1-based) and its cells, one per header."""

    number: int
    values: list[Any]  # str, int, float, bool, date, datetime or None (blank)


@dataclass
class Table:
    """The first sheet of a ledger: its headers (normalised) and its data rows, which are
    read from the file as the iterator is consumed."""

    headers: list[str]
    header_row: int
    rows: Iterator[Row]


def normalise_header(text: Any) -> str:
    """A header as it is matched: full-width folded to half-width ("（万元）" → "(万元)"),
    without any whitespace or line break, even inside ("协议引资额\\n（万元）")."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def read_table(
    file: File | IO[bytes],
    filename: str,
    known: Callable[[str], bool],
    *,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Finds the header row of the file's first sheet: the first of its first 30 rows with
    at least two cells `known` takes for column headers. The rows under it are read only
    as `Table.rows` is consumed; passing `max_rows` data rows raises ValidationError then.

    `file` is an uploaded file or any seekable binary file; `filename` says its format.
    """
    extension = os.path.splitext(filename)[1].lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” cannot be read: upload an .xlsx, .xls or .csv file."),
            code="file_type",
            params={"name": filename},
        )
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB: split it into smaller files."),
            code="file_size",
            params={"limit": MAX_FILE_BYTES // (1024 * 1024)},
        )
    if extension != ".csv":
        # Offices rename files: read an Excel file as what it is, not as its name says.
        magic = file.read(len(_OLE_MAGIC))
        file.seek(0)
        if magic.startswith(_ZIP_MAGIC):
            extension = ".xlsx"
        elif magic == _OLE_MAGIC:
            extension = ".xls"
    if extension == ".xlsx":
        _check_zip(file, filename)
        source = _xlsx_rows(file, filename)
    elif extension == ".xls":
        source = _xls_rows(file, filename)
    else:
        source = _csv_rows(file, filename)
    try:
        header_row, headers = _find_header(source, known)
    except BaseException:
        source.close()
        raise
    return Table(headers, header_row, _data_rows(source, len(headers), max_rows))


# --- The header row and the data rows ------------------------------------------------------


def _find_header(
    source: Iterator[_SourceRow], known: Callable[[str], bool]
) -> tuple[int, list[str]]:
    """Consumes the source up to and including the header row, and no further."""
    for number, _own, cells in source:
        if number > HEADER_SEARCH_ROWS:
            break
        headers = [normalise_header(cell) for cell in cells]
        if sum(1 for text in headers if text and known(text)) >= HEADER_MIN_KNOWN:
            while headers and not headers[-1]:
                headers.pop()
            return number, headers
    raise ValidationError(
        _(
            "No header row found in the first %(rows)s rows: the file needs a row of "
            "column headers such as %(examples)s."
        ),
        code="no_header",
        params={"rows": HEADER_SEARCH_ROWS, "examples": "、".join(HEADER_EXAMPLES)},
    )


def _data_rows(source: Iterator[_SourceRow], width: int, max_rows: int) -> Iterator[Row]:
    """The rows under the header, each as wide as the headers. A row whose own cells are
    all blank is skipped even where a merged unit name reaches over it."""
    count = 0
    try:
        for number, own, cells in source:
            if all(cell is None for cell in own[:width]):
                continue
            count += 1
            if count > max_rows:
                raise ValidationError(
                    _(
                        "The file has more than %(limit)s rows: split it into files of at "
                        "most %(limit)s rows each."
                    ),
                    code="too_many_rows",
                    params={"limit": f"{max_rows:,}".replace(",", " ")},
                )
            values = cells[:width]
            values.extend([None] * (width - len(values)))
            yield Row(number, values)
    finally:
        source.close()


def _cell(value: Any) -> Any:
    """A cell's value as every format gives it: blank text and Excel's error values are
    None, a date and time at midnight is a date."""
    if isinstance(value, str):
        if not value.strip() or value.strip() in _EXCEL_ERRORS:
            return None
        return value
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


class _MergeFiller:
    """Gives every cell of a merged range the value of its top-left cell, while the rows
    stream by in order (Excel keeps the value only in that cell)."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        # (min_row, min_col, max_row, max_col), 1-based and inclusive.
        self._pending = sorted(ranges, reverse=True)  # popped from the end: top rows first
        self._active: list[tuple[tuple[int, int, int, int], Any]] = []

    def __bool__(self) -> bool:
        return bool(self._pending or self._active)

    def fill(self, number: int, own: list[Any]) -> list[Any]:
        while self._pending and self._pending[-1][0] <= number:
            bounds = self._pending.pop()
            min_row, min_col = bounds[0], bounds[1]
            top_left = own[min_col - 1] if min_row == number and min_col <= len(own) else None
            self._active.append((bounds, top_left))
        self._active = [(b, value) for b, value in self._active if b[2] >= number]
        if not self._active:
            return own
        cells = list(own)
        for (_min_row, min_col, _max_row, max_col), value in self._active:
            if len(cells) < max_col:
                cells.extend([None] * (max_col - len(cells)))
            cells[min_col - 1 : max_col] = [value] * (max_col - min_col + 1)
        return cells


# --- .xlsx -----------------------------------------------------------------------------------


def _not_xlsx(filename: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a valid .xlsx file: open it in Excel or WPS and save it again."),
        code="not_xlsx",
        params={"name": filename},
    )


def _check_zip(file: IO[bytes], filename: str) -> None:
    """Refuses a zip bomb from the sizes its directory declares, before anything unpacks
    it: zipfile never unpacks a member past its declared size, so the check holds."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _not_xlsx(filename) from error
    finally:
        file.seek(0)
    total = sum(member.file_size for member in members)
    too_packed = any(
        member.file_size > RATIO_FLOOR_BYTES
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > MAX_UNZIPPED_BYTES or too_packed:
        raise ValidationError(
            _(
                "“%(name)s” unpacks to far more data than a ledger holds (over %(limit)s MB, "
                "or compressed over %(ratio)s times) and was refused."
            ),
            code="zip_bomb",
            params={
                "name": filename,
                "limit": MAX_UNZIPPED_BYTES // (1024 * 1024),
                "ratio": MAX_COMPRESSION_RATIO,
            },
        )


def _xlsx_merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, from its XML: a read-only openpyxl sheet does not give
    them, and its <mergeCells> list comes after all the rows, so it is a pass of its own.

    The pass scans the unpacked bytes for the <mergeCell ref="A3:A7"/> tags rather than
    parsing the XML: an XML parse of a 100 000-row sheet costs 4 to 10 seconds before the
    first row is read (while the user waits for the upload), the scan half a second. In
    a sheet's XML a "<" is markup (text and attributes escape it), so the scan finds only
    tags; memory stays flat (1 MiB at a time).
    """
    ranges: list[tuple[int, int, int, int]] = []
    tail = b""
    # The part openpyxl reads the rows from (an internal of its read-only sheet, stable
    # since openpyxl 2.4), so both passes read the same sheet.
    with sheet._get_source() as source:
        while chunk := source.read(1024 * 1024):
            data = tail + chunk
            end = 0
            for match in _MERGE_CELL.finditer(data):
                min_col, min_row, max_col, max_row = range_boundaries(match[1].decode("ascii"))
                ranges.append((min_row, min_col, max_row, max_col))
                end = match.end()
            # A tag cut by the chunk's end starts in its last bytes: keep them, but not a
            # tag already found.
            tail = data[max(end, len(data) - _MERGE_CELL_MAX_BYTES) :]
    return ranges


def _xlsx_rows(file: IO[bytes], filename: str) -> Iterator[_SourceRow]:
    try:
        # data_only: a formula cell gives the value Excel saved with it (None if it saved
        # none); read_only: rows are parsed from the XML as they are asked for.
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # a broken file fails in any part of openpyxl's reader
        raise _not_xlsx(filename) from error
    try:
        if not workbook.worksheets:
            raise _not_xlsx(filename)
        sheet = workbook.worksheets[0]
        try:
            filler = _MergeFiller(_xlsx_merged_ranges(sheet))
        except (ValueError, TypeError, KeyError, zipfile.BadZipFile) as error:
            raise _not_xlsx(filename) from error
        # The <dimension> some programs write is wrong; without it every row is read.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                row = next(rows, None)
            except (ParseError, ValueError, KeyError, zipfile.BadZipFile) as error:
                raise _not_xlsx(filename) from error
            if row is None:
                return
            number += 1
            own = [_cell(value) for value in row]
            yield number, own, filler.fill(number, own) if filler else own
    finally:
        workbook.close()


# --- .xls ------------------------------------------------------------------------------------


def _xls_value(cell: Any, datemode: int) -> Any:
    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return _cell(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_NUMBER:
        # An .xls keeps every number as a float; 42 is 42 as an .xlsx gives it.
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    return _cell(cell.value)


def _xls_rows(file: IO[bytes], filename: str) -> Iterator[_SourceRow]:
    """An .xls is at most 65 536 rows and xlrd reads a sheet whole, so it is read whole;
    formulas come as the values Excel saved."""
    try:
        book = xlrd.open_workbook(file_contents=file.read(), formatting_info=True, on_demand=True)
    except Exception as error:  # xlrd fails on a broken file in many ways
        raise ValidationError(
            _("“%(name)s” is not a valid .xls file: open it in Excel or WPS and save it as .xlsx."),
            code="not_xls",
            params={"name": filename},
        ) from error
    try:
        sheet = book.sheet_by_index(0)
        filler = _MergeFiller(
            [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
        )
        for index in range(sheet.nrows):
            own = [_xls_value(cell, book.datemode) for cell in sheet.row(index)]
            yield index + 1, own, filler.fill(index + 1, own) if filler else own
    finally:
        book.release_resources()


# --- .csv ------------------------------------------------------------------------------------


class _Unclosable(io.RawIOBase):
    """The caller's file seen as a raw stream, so the text wrapper reading it never
    closes it (the service saves the upload after reading its header)."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _csv_encoding(file: IO[bytes], filename: str) -> str:
    """UTF-8 (with or without a BOM) if the whole file decodes as strict UTF-8, else GBK
    (as its superset GB18030): what Excel and WPS save on Chinese Windows."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        file.seek(0)
        try:
            while chunk := file.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            file.seek(0)
        return encoding
    raise ValidationError(
        _("“%(name)s” is neither UTF-8 nor GBK text: save it from Excel as “CSV UTF-8”."),
        code="csv_encoding",
        params={"name": filename},
    )


def _csv_rows(file: IO[bytes], filename: str) -> Iterator[_SourceRow]:
    encoding = _csv_encoding(file, filename)
    text = io.TextIOWrapper(
        io.BufferedReader(_Unclosable(file), CHUNK_BYTES), encoding=encoding, newline=""
    )
    reader = csv.reader(text)
    number = 0
    try:
        while True:
            try:
                record = next(reader, None)
            except csv.Error as error:
                raise ValidationError(
                    _("Row %(row)s of “%(name)s” is not valid CSV."),
                    code="csv_invalid",
                    params={"row": number + 1, "name": filename},
                ) from error
            if record is None:
                return
            # A record is a row as Excel shows it, even with line breaks inside a cell.
            number += 1
            own = [_cell(value) for value in record]
            yield number, own, own
    finally:
        text.detach()
